import { describe, expect, it, jest } from '@jest/globals';
import { type CorsDecision, createCorsPolicy } from './index.js';

const APP = 'https://app.example.com';
const preflight = (extra: Record<string, string> = {}) => ({ method: 'OPTIONS', origin: APP, requestMethod: 'PATCH', ...extra });
const headerOf = (decision: CorsDecision, name: string) => decision.headers.find(([key]) => key === name)?.[1];

describe('classification', () => {
  const policy = createCorsPolicy({ origin: APP });

  it('treats a request without Origin as not CORS, with Vary: Origin because the answer depends on it', () => {
    const decision = policy.evaluate({ method: 'GET' }) as CorsDecision;
    expect(decision).toMatchObject({ kind: 'not-cors', headers: [], vary: ['Origin'] });
  });

  it("answers '*' even without Origin when the policy answers '*' to everyone, so caches need no Vary", () => {
    const decision = createCorsPolicy({ origin: '*' }).evaluate({ method: 'GET' }) as CorsDecision;
    expect(decision).toMatchObject({ kind: 'not-cors', headers: [['access-control-allow-origin', '*']], vary: [] });
  });

  it('treats OPTIONS with Access-Control-Request-Method as a preflight and a plain OPTIONS as an actual request', () => {
    expect((policy.evaluate(preflight()) as CorsDecision).kind).toBe('preflight');
    expect((policy.evaluate({ method: 'OPTIONS', origin: APP }) as CorsDecision).kind).toBe('actual');
  });
});

describe('allowed preflights', () => {
  it('answers 204 with the default methods and echoes the requested headers', () => {
    const decision = createCorsPolicy({ origin: APP }).evaluate(preflight({ requestHeaders: 'content-type,x-app-version' })) as CorsDecision;
    expect(decision).toMatchObject({ kind: 'preflight', allowed: true, status: 204 });
    expect(decision.headers).toEqual([
      ['access-control-allow-origin', APP],
      ['access-control-allow-methods', 'GET, HEAD, PUT, PATCH, POST, DELETE'],
      ['access-control-allow-headers', 'content-type,x-app-version'],
    ]);
    expect(decision.vary).toEqual(['Origin', 'Access-Control-Request-Method', 'Access-Control-Request-Headers']);
  });

  it('lower-cases and tidies requested headers before echoing them', () => {
    const decision = createCorsPolicy({ origin: APP }).evaluate(preflight({ requestHeaders: ' Content-Type , X-App-Version,,' })) as CorsDecision;
    expect(headerOf(decision, 'access-control-allow-headers')).toBe('content-type,x-app-version');
  });

  it('matches configured header names case-insensitively and in any order', () => {
    const policy = createCorsPolicy({ origin: APP, allowedHeaders: ['X-App-Version', 'Content-Type'] });
    const decision = policy.evaluate(preflight({ requestHeaders: 'x-app-version,CONTENT-TYPE' })) as CorsDecision;
    expect(decision.allowed).toBe(true);
    expect(headerOf(decision, 'access-control-allow-headers')).toBe('x-app-version, content-type');
  });

  it('sends credentials, max-age and the configured status', () => {
    const policy = createCorsPolicy({ origin: APP, credentials: true, maxAge: 300, optionsSuccessStatus: 200 });
    const decision = policy.evaluate(preflight()) as CorsDecision;
    expect(decision.status).toBe(200);
    expect(headerOf(decision, 'access-control-allow-credentials')).toBe('true');
    expect(headerOf(decision, 'access-control-max-age')).toBe('300');
  });

  it('marks the decision to continue to the app with preflightContinue', () => {
    const decision = createCorsPolicy({ origin: APP, preflightContinue: true }).evaluate(preflight()) as CorsDecision;
    expect(decision.continue).toBe(true);
  });

  it("answers '*' for methods and headers when configured without credentials", () => {
    const decision = createCorsPolicy({ origin: '*', methods: '*', allowedHeaders: '*' }).evaluate(preflight({ requestMethod: 'PURGE', requestHeaders: 'x-a' })) as CorsDecision;
    expect(decision.headers).toEqual([
      ['access-control-allow-origin', '*'],
      ['access-control-allow-methods', '*'],
      ['access-control-allow-headers', '*'],
    ]);
  });

  it("refuses Authorization under allowedHeaders '*' unless it is listed by name (Fetch Standard)", () => {
    const wildcard = createCorsPolicy({ origin: '*', allowedHeaders: '*' }).evaluate(preflight({ requestHeaders: 'authorization' })) as CorsDecision;
    expect(wildcard.reason?.code).toBe('header-authorization-not-covered-by-wildcard');
    const listed = createCorsPolicy({ origin: '*', allowedHeaders: ['*', 'Authorization'] }).evaluate(preflight({ requestHeaders: 'authorization' })) as CorsDecision;
    expect(headerOf(listed, 'access-control-allow-headers')).toBe('*, authorization');
  });

  it('answers Private Network Access preflights only when enabled', () => {
    const request = preflight({ requestPrivateNetwork: 'true' });
    expect((createCorsPolicy({ origin: APP }).evaluate(request) as CorsDecision).reason?.code).toBe('private-network-not-allowed');
    const allowed = createCorsPolicy({ origin: APP, privateNetworkAccess: true }).evaluate(request) as CorsDecision;
    expect(headerOf(allowed, 'access-control-allow-private-network')).toBe('true');
  });

  it("allows the route's own methods when methods are not configured", () => {
    const policy = createCorsPolicy({ origin: APP }, { defaultMethods: ['POST', 'PATCH'] });
    expect((policy.evaluate(preflight()) as CorsDecision).allowed).toBe(true);
    expect((policy.evaluate(preflight({ requestMethod: 'DELETE' })) as CorsDecision).reason?.code).toBe('method-not-allowed');
  });
});

describe('hot path', () => {
  it('reuses one frozen decision for every actual request from a listed origin', () => {
    const policy = createCorsPolicy({ origin: [APP, 'https://other.example.com'], credentials: true });
    const first = policy.evaluate({ method: 'GET', origin: APP }) as CorsDecision;
    expect(policy.evaluate({ method: 'POST', origin: APP })).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.headers)).toBe(true);
    expect(first.headers).toEqual([['access-control-allow-origin', APP], ['access-control-allow-credentials', 'true']]);
  });
});

describe('refusals', () => {
  it('answers a refused preflight 403 with no CORS headers and a reason', () => {
    const decision = createCorsPolicy({ origin: APP, methods: ['GET', 'PATCH'] }).evaluate(preflight({ requestMethod: 'DELETE' })) as CorsDecision;
    expect(decision).toMatchObject({ kind: 'preflight', allowed: false, status: 403, headers: [], vary: ['Origin', 'Access-Control-Request-Method', 'Access-Control-Request-Headers'] });
    expect(decision.reason?.message).toContain('Method DELETE is not allowed by Access-Control-Allow-Methods in preflight response.');
  });

  it('explains a method that differs only in case', () => {
    const decision = createCorsPolicy({ origin: APP }).evaluate(preflight({ requestMethod: 'patch' })) as CorsDecision;
    expect(decision.reason?.code).toBe('method-case-mismatch');
    expect(decision.reason?.message).toContain("write method: 'PATCH'");
  });

  it('names the header that is not allowed', () => {
    const decision = createCorsPolicy({ origin: APP, allowedHeaders: ['content-type'] }).evaluate(preflight({ requestHeaders: 'content-type,x-foo' })) as CorsDecision;
    expect(decision.reason).toEqual({ code: 'header-not-allowed', message: expect.stringContaining("request header 'x-foo' is not allowed (allowed: content-type)") });
  });

  it('lets a refused actual request through without CORS headers but with Vary: Origin', () => {
    const decision = createCorsPolicy({ origin: APP }).evaluate({ method: 'GET', origin: 'https://evil.example' }) as CorsDecision;
    expect(decision).toMatchObject({ kind: 'actual', allowed: false, headers: [], vary: ['Origin'] });
    expect(decision.reason?.message).toContain("No 'Access-Control-Allow-Origin' header is present");
  });

  it('keeps refusal messages short for huge allowlists', () => {
    const origins = Array.from({ length: 10_000 }, (_, i) => `https://site${i}.example.com`);
    const decision = createCorsPolicy({ origin: origins }).evaluate({ method: 'GET', origin: 'https://evil.example' }) as CorsDecision;
    expect(decision.reason?.message).toContain('and 9995 more');
    expect(decision.reason!.message.length).toBeLessThan(500);
  });

  it('calls onRefusal with the request and the reason', () => {
    const onRefusal = jest.fn();
    createCorsPolicy({ origin: APP, onRefusal }).evaluate({ method: 'GET', origin: 'https://evil.example' }, { route: 'x' });
    expect(onRefusal).toHaveBeenCalledWith(expect.objectContaining({ reason: expect.objectContaining({ code: 'origin-not-allowed' }), context: { route: 'x' } }));
  });

  it('adds the reason code as a response header only in debug mode', () => {
    const request = { method: 'GET', origin: 'https://evil.example' };
    expect((createCorsPolicy({ origin: APP }).evaluate(request) as CorsDecision).headers).toEqual([]);
    expect((createCorsPolicy({ origin: APP, debug: true }).evaluate(request) as CorsDecision).headers).toEqual([['polycors-reason', 'origin-not-allowed']]);
  });

  it('refuses everything, without Vary, when CORS is turned off', () => {
    const policy = createCorsPolicy({ origin: false });
    expect(policy.evaluate({ method: 'GET', origin: APP })).toMatchObject({ allowed: false, headers: [], vary: [], reason: { code: 'cors-disabled' } });
    expect(policy.evaluate(preflight())).toMatchObject({ status: 403, reason: { code: 'cors-disabled' } });
  });
});

describe('origin functions', () => {
  it('stays synchronous for a synchronous function', () => {
    const decision = createCorsPolicy({ origin: (origin) => origin.endsWith('.example.com') }).evaluate({ method: 'GET', origin: APP });
    expect(decision).not.toBeInstanceOf(Promise);
    expect((decision as CorsDecision).allowed).toBe(true);
  });

  it('returns a Promise for an async function, and passes the adapter context', async () => {
    const seen: unknown[] = [];
    const policy = createCorsPolicy({ origin: async (origin, context) => (seen.push((context as unknown as { tenant: string }).tenant), origin === APP) });
    const pending = policy.evaluate({ method: 'GET', origin: APP }, { tenant: 'a' });
    expect(pending).toBeInstanceOf(Promise);
    expect((await pending).allowed).toBe(true);
    expect(seen).toEqual(['a']);
  });

  it('a string answer other than the request origin does not allow', async () => {
    const policy = createCorsPolicy({ origin: (() => 'yes') as unknown as () => boolean });
    expect((await policy.evaluate({ method: 'GET', origin: APP })).allowed).toBe(false);
  });

  it('fails closed when a function throws or rejects, and logs the error', async () => {
    const logger = { warn: jest.fn(), error: jest.fn() };
    const boom = new Error('db down');
    for (const origin of [() => { throw boom; }, async () => { throw boom; }]) {
      const decision = await createCorsPolicy({ origin, logger }).evaluate({ method: 'GET', origin: APP });
      expect(decision).toMatchObject({ allowed: false, headers: [], reason: { code: 'origin-function-error' } });
    }
    expect(logger.error).toHaveBeenCalledTimes(2);
    expect(logger.error).toHaveBeenCalledWith(expect.stringContaining(APP), boom);
  });

  it('caches answers per origin when originCache is set', async () => {
    const lookup = jest.fn(async (origin: string) => origin === APP);
    const policy = createCorsPolicy({ origin: lookup, originCache: { max: 10, ttl: 60_000 } });
    for (let i = 0; i < 3; i++) {
      expect((await policy.evaluate({ method: 'GET', origin: APP })).allowed).toBe(true);
      expect((await policy.evaluate({ method: 'GET', origin: 'https://evil.example' })).allowed).toBe(false);
    }
    expect(lookup).toHaveBeenCalledTimes(2);
    // Cached answers are synchronous.
    expect(policy.evaluate({ method: 'GET', origin: APP })).not.toBeInstanceOf(Promise);
  });

  it('tries exact origins before calling any function', async () => {
    const lookup = jest.fn(() => false);
    const policy = createCorsPolicy({ origin: [APP, lookup] });
    expect((await policy.evaluate({ method: 'GET', origin: APP })).allowed).toBe(true);
    expect(lookup).not.toHaveBeenCalled();
  });
});

describe('origin patterns', () => {
  const allowed = (rules: string | string[], origin: string) => (createCorsPolicy({ origin: rules }).evaluate({ method: 'GET', origin }) as CorsDecision).allowed;

  it.each([
    ['http://localhost:*', 'http://localhost', true],
    ['http://localhost:*', 'http://localhost:3000', true],
    ['http://localhost:*', 'https://localhost:3000', false],
    ['https://*.example.com:*', 'https://a.example.com:8443', true],
    ['https://*.example.com:8443', 'https://a.example.com:8443', true],
    ['https://*.example.com:8443', 'https://a.example.com', false],
    ['https://*.example.com', 'https://a.example.com:8443', false],
    ['https://*.example.com', 'https://.example.com', false],
    ['https://*.example.com', 'https://a..example.com', false],
    ['https://*.example.com', 'https://A.example.com', false],
    ['https://*.example.com', 'https://a.example.com/', false],
    ['https://*.example.com', 'https://a.example.com:0443', false],
    ['https://*.example.com', 'https://evil.com#.example.com', false],
    ['https://*.example.com', 'https://evil.com/.example.com', false],
    ['https://*.example.com', 'https://evil.com?.example.com', false],
    ['https://*.example.com', 'https://user@a.example.com', false],
  ])('%s vs %s -> %s', (rule, origin, expected) => {
    expect(allowed(rule, origin)).toBe(expected);
  });
});

describe('list format', () => {
  const headerOf = (policy: ReturnType<typeof createCorsPolicy>, name: string, requestHeaders?: string) => {
    const decision = policy.evaluate({ method: 'OPTIONS', origin: 'https://a.example', requestMethod: 'PUT', requestHeaders }) as CorsDecision;
    return decision.headers.find(([header]) => header === name)?.[1];
  };
  const options = { origin: 'https://a.example', methods: 'GET,PUT', allowedHeaders: ['X-Token', 'Content-Type'], logger: false as const };

  it('joins items with ", " and lower-cases allowed header names by default', () => {
    const policy = createCorsPolicy(options);
    expect([headerOf(policy, 'access-control-allow-methods'), headerOf(policy, 'access-control-allow-headers')]).toEqual(['GET, PUT', 'x-token, content-type']);
  });

  it('writes lists as given with asWritten, joining arrays with the separator', () => {
    const policy = createCorsPolicy(options, { listFormat: { separator: ',', asWritten: true } });
    expect([headerOf(policy, 'access-control-allow-methods'), headerOf(policy, 'access-control-allow-headers')]).toEqual(['GET,PUT', 'X-Token,Content-Type']);
  });

  it('falls back to the validated items when validation changed a string list', () => {
    const policy = createCorsPolicy({ ...options, methods: 'get, PUT, PUT' }, { listFormat: { asWritten: true } });
    expect(headerOf(policy, 'access-control-allow-methods')).toBe('GET, PUT');
  });
});
