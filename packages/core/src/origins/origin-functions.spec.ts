/** Origin functions through createCorsPolicy: both signatures, the answer rule, timeouts, caching, dedupe, warnings. */
import { describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import { CorsConfigError } from '../config-error.js';
import type { CorsDecision, CorsOptions, CorsRequest, OriginCallback } from '../options.js';
import { createCorsPolicy } from '../policy.js';
import { describeOriginFunction } from './call-origin-function.js';
import { ReflectionWatch } from './reflection-watch.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example';
const get = (origin: string): CorsRequest => ({ method: 'GET', origin });
const preflight = (origin: string): CorsRequest => ({ method: 'OPTIONS', origin, requestMethod: 'PUT' });

function recordingLogger() {
  const warnings: string[] = [];
  const errors: string[] = [];
  return { warnings, errors, warn: (message: string) => void warnings.push(message), error: (message: string) => void errors.push(message) };
}

function headersOf(decision: CorsDecision): Record<string, string> {
  return Object.fromEntries(decision.headers);
}

describe("an origin function answering '*'", () => {
  it('is answered Access-Control-Allow-Origin: * without credentials under credentials: true, never the origin (actual and preflight)', async () => {
    const logger = recordingLogger();
    const policy = createCorsPolicy({ origin: async function known(origin) { return origin === APP ? origin : '*'; }, credentials: true, logger });
    const actual = await policy.evaluate(get(EVIL));
    expect([actual.allowed, headersOf(actual), actual.vary]).toEqual([true, { 'access-control-allow-origin': '*' }, ['Origin']]);
    const answered = await policy.evaluate(preflight(EVIL));
    expect(answered.allowed).toBe(true);
    expect(headersOf(answered)['access-control-allow-origin']).toBe('*');
    expect(headersOf(answered)['access-control-allow-credentials']).toBeUndefined();
    // The origin it knows is still reflected with credentials.
    expect(headersOf(await policy.evaluate(get(APP)))).toMatchObject({ 'access-control-allow-origin': APP, 'access-control-allow-credentials': 'true' });
    await policy.evaluate(get('https://third.example'));
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toContain("'known' answered '*' in a policy with credentials: true");
  });

  it('is answered * (with exposed headers) without credentials configured', () => {
    const decision = createCorsPolicy({ origin: () => '*', exposedHeaders: ['x-total'] }).evaluate(get(EVIL)) as CorsDecision;
    expect(headersOf(decision)).toEqual({ 'access-control-allow-origin': '*', 'access-control-expose-headers': 'x-total' });
  });
});

describe('both signatures', () => {
  class Request {
    readonly #secret = 'tenant-a';
    constructor(readonly headers: Record<string, string>) {}
    get host(): string {
      return this.headers.host;
    }
    tenant(): string {
      return this.#secret;
    }
  }

  it('(origin, ctx): properties, getters and methods of the context work, private fields included', () => {
    const seen: unknown[] = [];
    const policy = createCorsPolicy({
      origin: (origin, req) => {
        const request = req as unknown as Request;
        seen.push(request.headers.host, request.host, request.tenant(), request instanceof Request);
        return origin === APP;
      },
    });
    expect((policy.evaluate(get(APP), new Request({ host: 'a.example' })) as CorsDecision).allowed).toBe(true);
    expect(seen).toEqual(['a.example', 'a.example', 'tenant-a', true]);
  });

  it('(origin, callback): synchronous and later callbacks, errors refuse and are logged', async () => {
    const logger = recordingLogger();
    const sync = createCorsPolicy({ origin: (origin, callback) => callback(null, origin === APP), logger });
    expect(sync.evaluate(get(APP))).toMatchObject({ allowed: true });
    expect(sync.evaluate(get(EVIL))).toMatchObject({ allowed: false, reason: { code: 'origin-not-allowed' } });
    const later = createCorsPolicy({ origin: (origin: string, callback: OriginCallback) => void setImmediate(() => callback(null, [APP])), logger });
    expect(await later.evaluate(get(APP))).toMatchObject({ allowed: true });
    expect(await later.evaluate(get(EVIL))).toMatchObject({ allowed: false });
    const failing = createCorsPolicy({ origin: (_origin, callback) => callback(new Error('directory down')), logger });
    expect(failing.evaluate(get(APP))).toMatchObject({ allowed: false, reason: { code: 'origin-function-error' } });
    expect(logger.errors).toEqual([expect.stringContaining(`origin function failed for '${APP}'`)]);
  });

  it('an async (origin, callback) function that resolves to nothing is answered by its callback; the first answer wins', async () => {
    const policy = createCorsPolicy({
      origin: async (origin, callback) => {
        await new Promise((resolve) => setImmediate(resolve));
        callback(null, origin === APP);
        callback(null, true);
      },
    });
    expect(await policy.evaluate(get(APP))).toMatchObject({ allowed: true });
    expect(await policy.evaluate(get(EVIL))).toMatchObject({ allowed: false });
  });

  it('a function of one parameter that returns nothing refuses at once (there is no callback to wait for)', () => {
    expect(createCorsPolicy({ origin: () => undefined }).evaluate(get(APP))).toMatchObject({ allowed: false, reason: { code: 'origin-not-allowed' } });
  });

  it('an adapter wrapper marked { callback: false, context: true } gets the raw context and is not waited for', () => {
    const context = { tenant: 'a' };
    let received: unknown;
    const wrapper = describeOriginFunction((_origin: string, ctx: unknown) => {
      received = ctx;
      return undefined;
    }, { callback: false, context: true });
    expect(createCorsPolicy({ origin: wrapper }).evaluate(get(APP), context)).toMatchObject({ allowed: false });
    expect(received).toBe(context);
  });
});

describe('settling answers', () => {
  it('settles a non-native thenable whose then returns nothing', async () => {
    const thenable = (value: unknown) => ({ then(resolve: (v: unknown) => void) { resolve(value); } });
    const policy = createCorsPolicy({ origin: ((origin: string) => thenable(origin === APP ? APP : false)) as unknown as CorsOptions['origin'] });
    expect(await policy.evaluate(get(APP))).toMatchObject({ allowed: true });
    expect(await policy.evaluate(get(EVIL))).toMatchObject({ allowed: false });
  });

  it('refuses and logs a thenable whose then throws, and a broken answer', async () => {
    const logger = recordingLogger();
    const throwing = { then() { throw new Error('broken thenable'); } };
    expect(await createCorsPolicy({ origin: (() => throwing) as unknown as CorsOptions['origin'], logger }).evaluate(get(APP))).toMatchObject({ reason: { code: 'origin-function-error' } });
    expect(await createCorsPolicy({ origin: (() => 42) as unknown as CorsOptions['origin'], logger }).evaluate(get(APP))).toMatchObject({ reason: { code: 'origin-function-error' } });
    expect(logger.errors).toHaveLength(2);
    expect(logger.errors[1]).toContain('it answered number 42');
  });

  it('refuses, without throwing, an answer that throws while it is read', async () => {
    const logger = recordingLogger();
    class Hostile extends RegExp {
      override exec(): RegExpExecArray | null {
        throw new Error('hostile');
      }
    }
    const policy = createCorsPolicy({ origin: (() => new Hostile('x')) as unknown as CorsOptions['origin'], logger });
    expect(policy.evaluate(get(APP))).toMatchObject({ allowed: false, reason: { code: 'origin-function-error' } });
    const async = createCorsPolicy({ origin: (async () => [new Hostile('x')]) as unknown as CorsOptions['origin'], logger, originCache: true });
    expect(await async.evaluate(get(APP))).toMatchObject({ allowed: false });
    expect(await async.evaluate(get(APP))).toMatchObject({ allowed: false }); // the failed lookup did not stay in flight
    expect(logger.errors).toHaveLength(3);
  });

  it('refuses a function that never answers once originTimeout passes, logs it once, and keeps answering others', async () => {
    const logger = recordingLogger();
    const policy = createCorsPolicy({
      origin: [(origin: string, _callback: OriginCallback) => void origin, (origin: string) => origin === 'https://other.example'],
      originTimeout: 30,
      logger,
    });
    const refused = await policy.evaluate(get(`${APP}${'x'.repeat(300)}`));
    expect(refused).toMatchObject({ allowed: false, reason: { code: 'origin-function-timeout' } });
    expect(logger.errors).toHaveLength(1);
    expect(logger.errors[0]).toContain('did not answer within 30 ms');
    expect(logger.errors[0]).toContain(`${'x'.repeat(150)}...`); // the origin is cut at 200 characters
    expect(logger.errors[0].length).toBeLessThan(700);
    expect(await createCorsPolicy({ origin: (origin) => Promise.resolve(origin === APP) }).evaluate(get(APP))).toMatchObject({ allowed: true });
  });

  it('uses 3000 ms when originTimeout is not set, and validates it', () => {
    expect(createCorsPolicy({ origin: () => true }).settings.originTimeout).toBe(3000);
    for (const originTimeout of [0, 1.5, 60_001, '100', -1]) {
      expect(() => createCorsPolicy({ origin: () => true, originTimeout: originTimeout as number })).toThrow(expect.objectContaining({ problems: [expect.objectContaining({ code: 'origin-timeout' })] }));
    }
  });
});

describe('originCache', () => {
  it('shares one call among 100 concurrent lookups of one origin', async () => {
    let release: (value: boolean) => void = () => undefined;
    const lookup = jest.fn((_origin: string) => new Promise<boolean>((resolve) => (release = resolve)));
    const policy = createCorsPolicy({ origin: lookup, originCache: true });
    const pending = Array.from({ length: 100 }, () => policy.evaluate(get(APP)));
    release(true);
    const decisions = await Promise.all(pending);
    expect(lookup).toHaveBeenCalledTimes(1);
    expect(decisions.every((decision) => decision.allowed)).toBe(true);
    expect(policy.evaluate(get(APP))).toMatchObject({ allowed: true }); // now cached, synchronously
  });

  it('shares answers and in-flight calls among policies built with the same function and originCache value (routes inheriting it)', async () => {
    const lookup = jest.fn(async (origin: string) => origin === APP);
    const originCache = { ttl: 60_000 };
    const global = createCorsPolicy({ origin: lookup, originCache });
    const route = createCorsPolicy({ origin: lookup, originCache, credentials: true, methods: ['PATCH'] });
    const decisions = await Promise.all([global.evaluate(get(APP)), route.evaluate(get(APP)), route.evaluate(get(APP))]);
    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true]);
    expect(headersOf(decisions[1])['access-control-allow-credentials']).toBe('true'); // each policy still applies its own settings
    expect(lookup).toHaveBeenCalledTimes(1);
    // Another originCache object (say, with another key) keeps its own answers.
    await createCorsPolicy({ origin: lookup, originCache: { ttl: 60_000 } }).evaluate(get(APP));
    expect(lookup).toHaveBeenCalledTimes(2);
  });

  it('does not cache or share a failure: the next request asks again', async () => {
    let calls = 0;
    const policy = createCorsPolicy({ origin: async () => { calls++; if (calls === 1) throw new Error('flaky'); return true; }, originCache: true, logger: false });
    expect(await policy.evaluate(get(APP))).toMatchObject({ allowed: false });
    expect(await policy.evaluate(get(APP))).toMatchObject({ allowed: true });
    expect(calls).toBe(2);
  });

  it('keys answers by key(origin, ctx): tenant B never gets tenant A\'s answer', async () => {
    const allowedFor: Record<string, string[]> = { 'a.example': [APP], 'b.example': [] };
    const lookup = jest.fn(async (origin: string, req: { host: string }) => allowedFor[req.host].includes(origin));
    const policy = createCorsPolicy({
      origin: lookup as unknown as CorsOptions['origin'],
      credentials: true,
      originCache: { key: (_origin, ctx) => (ctx as { host: string }).host },
    });
    expect(await policy.evaluate(get(APP), { host: 'a.example' })).toMatchObject({ allowed: true });
    expect(await policy.evaluate(get(APP), { host: 'b.example' })).toMatchObject({ allowed: false });
    expect(await policy.evaluate(get(APP), { host: 'a.example' })).toMatchObject({ allowed: true });
    expect(await policy.evaluate(get(APP), { host: 'b.example' })).toMatchObject({ allowed: false });
    expect(lookup).toHaveBeenCalledTimes(2);
  });

  it('always keys by the origin too: a key that forgets it cannot hand one origin\'s answer to another', async () => {
    const policy = createCorsPolicy({ origin: (origin) => origin === APP, originCache: { key: () => 'same' } });
    expect(policy.evaluate(get(APP))).toMatchObject({ allowed: true });
    expect(policy.evaluate(get(EVIL))).toMatchObject({ allowed: false });
  });

  it('refuses (fail closed) and logs when key() throws or returns no string', () => {
    const logger = recordingLogger();
    const throwing = createCorsPolicy({ origin: () => true, originCache: { key: () => { throw new Error('no host'); } }, logger });
    expect(throwing.evaluate(get(APP))).toMatchObject({ allowed: false, reason: { code: 'origin-function-error' } });
    const notString = createCorsPolicy({ origin: () => true, originCache: { key: () => 7 as unknown as string }, logger });
    expect(notString.evaluate(get(APP))).toMatchObject({ allowed: false });
    expect(logger.errors).toHaveLength(2);
  });

  it('is a startup error for a function that takes a context, without a key, naming the fix', () => {
    let thrown: unknown;
    try {
      createCorsPolicy({ origin: function byTenant(origin, req) { return origin === String(req); }, originCache: true });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CorsConfigError);
    const [problem] = (thrown as CorsConfigError).problems;
    expect(problem).toMatchObject({ path: 'originCache', code: 'origin-cache-key-missing' });
    expect(problem.message).toContain("'byTenant'");
    expect(problem.message).toContain('key: (origin, ctx) => ctx.headers.host');
    expect(() => createCorsPolicy({ origin: (origin: string) => origin === APP, originCache: true })).not.toThrow();
  });

  it('with strict: false, warns and does not cache rather than share answers between requests', () => {
    const lookup = jest.fn((origin: string, _req: unknown) => origin === APP);
    const logger = recordingLogger();
    const policy = createCorsPolicy({ origin: lookup as unknown as CorsOptions['origin'], originCache: true, strict: false, logger });
    policy.evaluate(get(APP), {});
    policy.evaluate(get(APP), {});
    expect(lookup).toHaveBeenCalledTimes(2);
    expect(logger.warnings.join('\n')).toContain('origin-cache-key-missing');
  });

  it('validates key', () => {
    expect(() => createCorsPolicy({ origin: () => true, originCache: { key: 'host' as unknown as () => string } })).toThrow(/originCache.key must be a function/);
  });
});

describe('reflectionWarning', () => {
  const origins = (n: number) => Array.from({ length: n }, (_, i) => `https://site-${i}.example`);

  it('warns once, loudly, when a function under credentials allows more distinct origins than the threshold', () => {
    const logger = recordingLogger();
    const policy = createCorsPolicy({ origin: function mirror(origin) { return origin; }, credentials: true, reflectionWarning: { origins: 3 }, logger });
    for (const origin of [...origins(3), ...origins(3)]) policy.evaluate(get(origin));
    expect(logger.warnings).toEqual([]);
    for (const origin of origins(6)) policy.evaluate(get(origin));
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toContain("'mirror' allowed 4 distinct origins");
    expect(logger.warnings[0]).toContain('origin: true in disguise');
  });

  it('stays quiet without credentials, for refusals, and when set to false', () => {
    const logger = recordingLogger();
    for (const options of [
      { origin: (origin: string) => origin, reflectionWarning: { origins: 2 } },
      { origin: (origin: string) => origin === APP, credentials: true, reflectionWarning: { origins: 2 } },
      { origin: (origin: string) => origin, credentials: true, reflectionWarning: false as const },
    ]) {
      const policy = createCorsPolicy({ ...options, logger });
      for (const origin of origins(10)) policy.evaluate(get(origin));
    }
    expect(logger.warnings).toEqual([]);
  });

  it('counts within a window: origins spread over longer than the window do not add up', () => {
    let now = 0;
    const reports: number[] = [];
    const watch = new ReflectionWatch(2, 1000, (distinct) => reports.push(distinct), () => now);
    for (const origin of origins(2)) watch.allowed(origin);
    now = 1500;
    for (const origin of origins(4).slice(2)) watch.allowed(origin);
    expect(reports).toEqual([]);
    watch.allowed('https://one-more.example');
    expect(reports).toEqual([3]);
  });

  it('defaults to 50 origins in ten minutes, and validates its options', () => {
    expect(createCorsPolicy({ origin: () => true }).settings.reflectionWarning).toEqual({ origins: 50, window: 600_000 });
    expect(() => createCorsPolicy({ origin: () => true, reflectionWarning: { origins: 1 } })).toThrow(/reflectionWarning needs origins >= 2/);
    expect(() => createCorsPolicy({ origin: () => true, reflectionWarning: true as unknown as false })).toThrow(/reflectionWarning must be false/);
  });
});

describe('whatever a function answers', () => {
  const SELF = Symbol('the request origin');
  type Template = boolean | null | undefined | string | number | RegExp | typeof SELF | Template[];
  const leaf: fc.Arbitrary<Template> = fc.oneof(
    fc.boolean(),
    fc.constantFrom(null, undefined, '*', '', SELF, 'https://a.test', 'https://a.test/', 0, 1),
    fc.constantFrom(/^https:\/\/a\.test$/, /^https?:\/\/.*$/, /a/g),
    fc.string(),
  );
  const template = fc.oneof(leaf, fc.array(fc.oneof(leaf, fc.array(leaf, { maxLength: 3 })), { maxLength: 4 }));
  const fill = (t: Template, origin: string): unknown => (t === SELF ? origin : Array.isArray(t) ? t.map((item) => fill(item, origin)) : t);
  const requestOrigin = fc.oneof(fc.constantFrom('https://a.test', 'https://b.test', 'null', 'https://a.test.evil.test'), fc.string());

  it("is answered with the request's origin or '*', and credentials only beside the origin", () => {
    fc.assert(
      fc.property(template, requestOrigin, fc.boolean(), fc.boolean(), (t, origin, credentials, isPreflight) => {
        const policy = createCorsPolicy({ origin: ((o: string) => fill(t, o)) as unknown as CorsOptions['origin'], credentials, logger: false });
        const decision = policy.evaluate(isPreflight ? preflight(origin) : get(origin)) as CorsDecision;
        const headers = headersOf(decision);
        const allowOrigin = headers['access-control-allow-origin'];
        if (!decision.allowed) expect(allowOrigin).toBeUndefined();
        else expect([origin, '*']).toContain(allowOrigin);
        if (allowOrigin === '*') expect(headers['access-control-allow-credentials']).toBeUndefined();
        if (headers['access-control-allow-credentials'] !== undefined) expect(allowOrigin).toBe(origin);
      }),
      { numRuns: 3000 },
    );
  });
});
