import { describe, expect, it, jest } from '@jest/globals';
import { type CorsDecision, type CorsPolicy, type PreflightRoutes, createCorsPolicy } from './index.js';

const APP = 'https://app.example.com';
const ADMIN = 'https://admin.example.com';
const headerOf = (decision: CorsDecision, name: string) => decision.headers.find(([key]) => key === name)?.[1];
const preflight = (requestMethod: string, requestHeaders?: string) => ({ method: 'OPTIONS', origin: APP, requestMethod, requestHeaders });

/** The reproduction: GET /form global, PATCH /form admin only, DELETE /form with CORS off. */
function formRoutes(extra: Partial<Record<string, CorsPolicy>> = {}) {
  const global = createCorsPolicy({ origin: [APP], methods: ['GET', 'HEAD', 'PATCH', 'DELETE'], maxAge: 600 });
  const admin = createCorsPolicy({ origin: [ADMIN], methods: ['GET', 'HEAD', 'PATCH', 'DELETE'], maxAge: 600 });
  const off = createCorsPolicy({ origin: false });
  const byMethod: Record<string, CorsPolicy> = { GET: global, HEAD: global, PATCH: admin, DELETE: off, ...extra };
  const routes: PreflightRoutes<CorsPolicy> = { served: Object.entries(byMethod) as [string, CorsPolicy][], fallback: createCorsPolicy({ origin: [APP] }) };
  return { global, admin, off, routes };
}

describe('preflight answers and sibling routes (the browser caches methods and headers per URL)', () => {
  it('never advertises a sibling method whose route refuses the origin or has CORS off', () => {
    const { global, routes } = formRoutes();
    const decision = global.evaluate(preflight('GET', 'x-app-version'), undefined, routes) as CorsDecision;
    expect(decision.allowed).toBe(true);
    expect(headerOf(decision, 'access-control-allow-methods')).toBe('GET, HEAD');
  });

  it('makes the answer non-reusable when a header it must allow could reach a safelisted sibling that refuses the origin', () => {
    // POST /form refuses app.example.com: after a cached GET answer listing x-app-version, a POST with that header
    // and a text/plain body would go out unpreflighted.
    const { global, routes } = formRoutes({ POST: createCorsPolicy({ origin: [ADMIN] }) });
    const decision = global.evaluate(preflight('GET', 'x-app-version'), undefined, routes) as CorsDecision;
    expect(decision.allowed).toBe(true);
    expect(headerOf(decision, 'access-control-allow-headers')).toBe('x-app-version');
    expect(headerOf(decision, 'access-control-max-age')).toBe('0');
    expect(decision.reusable).toBe(false);
  });

  it('keeps the configured Max-Age when the safe lists cover the request', () => {
    const { global, routes } = formRoutes();
    const decision = global.evaluate(preflight('GET', 'x-app-version'), undefined, routes) as CorsDecision;
    expect(headerOf(decision, 'access-control-max-age')).toBe('600');
    expect(decision.reusable).toBeUndefined();
  });

  it('drops headers that an advertisable sibling method does not allow', () => {
    const patch = createCorsPolicy({ origin: [APP], allowedHeaders: ['content-type'] });
    const { global, routes } = formRoutes({ PATCH: patch });
    const decision = global.evaluate(preflight('GET', 'content-type,x-app-version'), undefined, routes) as CorsDecision;
    expect(headerOf(decision, 'access-control-allow-methods')).toBe('GET, HEAD, PATCH');
    // x-app-version is asked for but PATCH /form refuses it: answered once, never cached.
    expect(headerOf(decision, 'access-control-max-age')).toBe('0');
    const plain = global.evaluate(preflight('GET', 'content-type'), undefined, routes) as CorsDecision;
    expect(headerOf(plain, 'access-control-allow-headers')).toBe('content-type');
    expect(headerOf(plain, 'access-control-max-age')).toBe('600');
  });

  it('does not advertise a sibling that allows the origin but not credentials when the answer grants them', () => {
    const withCredentials = createCorsPolicy({ origin: [APP], credentials: true, methods: ['GET', 'PATCH'] });
    const withoutCredentials = createCorsPolicy({ origin: [APP], methods: ['PATCH'] });
    const routes: PreflightRoutes<CorsPolicy> = { served: [['GET', withCredentials], ['PATCH', withoutCredentials]], fallback: withCredentials };
    const decision = withCredentials.evaluate(preflight('GET', 'x-a'), undefined, routes) as CorsDecision;
    expect(headerOf(decision, 'access-control-allow-methods')).toBe('GET');
  });

  it("does not count a sibling whose origin function answers '*' (never with credentials) under a credentialed answer", () => {
    const withCredentials = createCorsPolicy({ origin: [APP], credentials: true, methods: ['GET', 'PATCH'] });
    const star = createCorsPolicy({ origin: () => '*' as never, credentials: true, methods: ['PATCH'] });
    const routes: PreflightRoutes<CorsPolicy> = { served: [['GET', withCredentials], ['PATCH', star]], fallback: undefined };
    const decision = withCredentials.evaluate(preflight('GET', 'x-a'), undefined, routes) as CorsDecision;
    expect(headerOf(decision, 'access-control-allow-methods')).toBe('GET');
  });

  it('replaces a methods wildcard by the methods whose routes allow the origin', () => {
    const any = createCorsPolicy({ origin: [APP], methods: '*' });
    const refusing = createCorsPolicy({ origin: [ADMIN] });
    const routes: PreflightRoutes<CorsPolicy> = { served: [['GET', any], ['PUT', any], ['DELETE', refusing]], fallback: any };
    const decision = any.evaluate(preflight('PUT'), undefined, routes) as CorsDecision;
    expect(headerOf(decision, 'access-control-allow-methods')).toBe('GET, PUT');
  });

  it('replaces a headers wildcard by the requested names when a reachable sibling lists its headers', () => {
    const any = createCorsPolicy({ origin: [APP], allowedHeaders: '*' });
    const listed = createCorsPolicy({ origin: [APP], allowedHeaders: ['x-a'] });
    const routes: PreflightRoutes<CorsPolicy> = { served: [['GET', any], ['POST', listed]], fallback: any };
    const decision = any.evaluate(preflight('GET', 'x-a'), undefined, routes) as CorsDecision;
    expect(headerOf(decision, 'access-control-allow-headers')).toBe('x-a');
    const other = any.evaluate(preflight('GET', 'x-b'), undefined, routes) as CorsDecision;
    expect(headerOf(other, 'access-control-max-age')).toBe('0');
  });

  it('never makes an answer for a method no route serves reusable', () => {
    const { routes } = formRoutes();
    const decision = routes.fallback!.evaluate(preflight('PUT'), undefined, routes) as CorsDecision;
    expect(decision.allowed).toBe(true);
    expect(headerOf(decision, 'access-control-max-age')).toBe('0');
  });

  it('lets methods no route serves constrain nothing where such requests reach no handler (no fallback policy)', () => {
    const get = createCorsPolicy({ origin: [APP], allowedHeaders: ['x-app-version'], maxAge: 600 });
    const narrow = createCorsPolicy({ origin: [APP], allowedHeaders: ['content-type'] });
    const withFallback = get.evaluate(preflight('GET', 'x-app-version'), undefined, { served: [['GET', get]], fallback: narrow }) as CorsDecision;
    // A POST with x-app-version could reach middleware judged by the narrower global policy: not cached.
    expect(headerOf(withFallback, 'access-control-max-age')).toBe('0');
    const without = get.evaluate(preflight('GET', 'x-app-version'), undefined, { served: [['GET', get]], fallback: undefined }) as CorsDecision;
    expect(headerOf(without, 'access-control-max-age')).toBe('600');
  });

  it('lists configured methods no route serves when the fallback policy allows them, and then checks headers against it', () => {
    const route = createCorsPolicy({ origin: [APP], methods: ['GET', 'PUT', 'PATCH'], allowedHeaders: ['x-a', 'x-b'], maxAge: 600 });
    const global = createCorsPolicy({ origin: [APP], methods: ['GET', 'PUT', 'PATCH'], allowedHeaders: ['x-a'] });
    const routes: PreflightRoutes<CorsPolicy> = { served: [['GET', route], ['PUT', route]], fallback: global };
    const a = route.evaluate(preflight('PUT', 'x-a'), undefined, routes) as CorsDecision;
    expect(headerOf(a, 'access-control-allow-methods')).toBe('GET, PUT, PATCH');
    expect(headerOf(a, 'access-control-max-age')).toBe('600');
    // A cached x-b would let a PATCH (no route: middleware judged by the global policy) carry it unpreflighted.
    const b = route.evaluate(preflight('PUT', 'x-b'), undefined, routes) as CorsDecision;
    expect(headerOf(b, 'access-control-max-age')).toBe('0');
  });

  it('answers exactly as before when every route at the URL shares the policy', () => {
    const policy = createCorsPolicy({ origin: [APP], maxAge: 60 });
    const routes: PreflightRoutes<CorsPolicy> = { served: [['GET', policy], ['PATCH', policy]], fallback: policy };
    const alone = policy.evaluate(preflight('PATCH', 'x-a')) as CorsDecision;
    expect(policy.evaluate(preflight('PATCH', 'x-a'), undefined, routes)).toEqual(alone);
  });

  it('asks asynchronous origin functions of siblings and waits for them', async () => {
    const primary = createCorsPolicy({ origin: [APP], methods: ['GET', 'PATCH', 'DELETE'] });
    const asyncYes = createCorsPolicy({ origin: async (origin: string) => origin === APP });
    const asyncNo = createCorsPolicy({ origin: async () => false });
    const routes: PreflightRoutes<CorsPolicy> = { served: [['GET', primary], ['PATCH', asyncYes], ['DELETE', asyncNo]], fallback: primary };
    const decision = await primary.evaluate(preflight('GET', 'x-a'), undefined, routes);
    expect(headerOf(decision, 'access-control-allow-methods')).toBe('GET, PATCH');
  });

  it('leaves refused preflights as they are', () => {
    const { admin, routes } = formRoutes();
    const decision = admin.evaluate(preflight('PATCH'), undefined, routes) as CorsDecision;
    expect(decision).toMatchObject({ allowed: false, status: 403, headers: [] });
  });
});

describe('preflights for safelisted methods', () => {
  it('judges a GET, HEAD or POST preflight by origin and headers, not by the methods list (Fetch never checks them)', () => {
    const policy = createCorsPolicy({ origin: [APP], methods: ['PUT'], allowedHeaders: ['x-a'] });
    for (const method of ['GET', 'HEAD', 'POST']) {
      expect((policy.evaluate(preflight(method, 'x-a')) as CorsDecision).allowed).toBe(true);
      expect((policy.evaluate(preflight(method, 'x-b')) as CorsDecision).reason?.code).toBe('header-not-allowed');
    }
    expect((policy.evaluate(preflight('DELETE')) as CorsDecision).reason?.code).toBe('method-not-allowed');
  });
});

describe('preflight Vary', () => {
  it("lists the request headers a preflight's answer depends on, even under '*'", () => {
    const decision = createCorsPolicy({ origin: '*' }).evaluate(preflight('PUT')) as CorsDecision;
    expect(decision.vary).toEqual(['Access-Control-Request-Method', 'Access-Control-Request-Headers']);
  });
});

describe('preflights for handlers the router tells apart by something a preflight does not carry (rule 5)', () => {
  const v1 = createCorsPolicy({ origin: [APP], credentials: true, maxAge: 600 });
  const v2 = createCorsPolicy({ origin: [APP, ADMIN] });
  const v3 = createCorsPolicy({ origin: async (origin: string) => origin === ADMIN });
  const routes = (...alternatives: CorsPolicy[]): PreflightRoutes<CorsPolicy> => ({ served: [['GET', v1], ['HEAD', v1]], fallback: undefined, alternatives });

  it('grants only what every candidate grants, and never for reuse', () => {
    const decision = v1.evaluate(preflight('GET', 'x-api-version'), undefined, routes(v2)) as CorsDecision;
    expect(decision.allowed).toBe(true);
    expect(headerOf(decision, 'access-control-allow-origin')).toBe(APP);
    expect(headerOf(decision, 'access-control-allow-credentials')).toBeUndefined();
    expect(headerOf(decision, 'access-control-max-age')).toBe('0');
    expect(decision.reusable).toBe(false);
  });

  it("answers with the first candidate's refusal, waiting for an async origin function", async () => {
    const decision = await v1.evaluate(preflight('GET'), undefined, routes(v2, v3));
    expect(decision.allowed).toBe(false);
    expect(decision.reason?.code).toBe('origin-not-allowed');
  });

  it('changes nothing when the only candidate is the judging policy', () => {
    const decision = v1.evaluate(preflight('GET'), undefined, routes(v1)) as CorsDecision;
    expect(headerOf(decision, 'access-control-max-age')).toBe('600');
    expect(headerOf(decision, 'access-control-allow-credentials')).toBe('true');
  });
});

describe('preflights for a URL part of whose routes the adapter cannot see (rule 7)', () => {
  const HIDDEN = "under an Express sub-app mounted at '/v1' that cors() cannot see; add it to cors({ subApps })";

  it('refuses with route-unresolved and the hidden part in the message, whatever the policy allows; onRefusal hears it', () => {
    const onRefusal = jest.fn();
    const policy = createCorsPolicy({ origin: [APP], debug: true, onRefusal });
    const decision = policy.evaluate(preflight('PUT'), undefined, { served: [], fallback: policy, unresolved: HIDDEN }) as CorsDecision;
    expect(decision).toMatchObject({ kind: 'preflight', allowed: false, status: 403, reason: { code: 'route-unresolved', message: expect.stringContaining(HIDDEN) } });
    expect(headerOf(decision, 'access-control-allow-origin')).toBeUndefined();
    expect(headerOf(decision, 'polycors-reason')).toBe('route-unresolved');
    expect(onRefusal).toHaveBeenCalledWith(expect.objectContaining({ reason: expect.objectContaining({ code: 'route-unresolved' }) }));
  });

  it('leaves actual requests and plain OPTIONS alone (they are judged as before)', () => {
    const policy = createCorsPolicy({ origin: [APP] });
    const routes = { served: [], fallback: policy, unresolved: HIDDEN };
    expect((policy.evaluate({ method: 'PUT', origin: APP }, undefined, routes) as CorsDecision).allowed).toBe(true);
    expect((policy.evaluate({ method: 'OPTIONS', origin: APP }, undefined, routes) as CorsDecision).kind).toBe('actual');
  });
});
