/** Invariants over random policies and hostile requests (fast-check). */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CorsConfigError, type CorsDecision, type CorsOptions, createCorsPolicy } from '../src/index.js';

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
const host = fc.array(label, { minLength: 1, maxLength: 3 }).map((labels) => [...labels, 'test'].join('.'));
const scheme = fc.constantFrom('https', 'http');
const port = fc.option(fc.integer({ min: 1024, max: 65535 }).map(String), { nil: undefined });
const origin = fc.tuple(scheme, host, port).map(([s, h, p]) => `${s}://${h}${p ? `:${p}` : ''}`);

/** Origins a browser might send, plus near misses and junk. */
const requestOrigin = fc.oneof(
  origin,
  origin.map((o) => `${o}/`),
  origin.map((o) => o.toUpperCase()),
  origin.map((o) => `${o}.evil.test`),
  fc.constant('null'),
  fc.string(),
  fc.string({ unit: 'binary' }),
);

const rule = fc.oneof(
  origin,
  fc.tuple(scheme, host).map(([s, h]) => `${s}://*.${h}`),
  fc.tuple(scheme, host).map(([s, h]) => `${s}://${h}:*`),
  fc.constant('*'),
);

const options: fc.Arbitrary<CorsOptions> = fc.record(
  {
    origin: fc.oneof(rule, fc.array(rule, { minLength: 1, maxLength: 4 }), fc.constant(true)),
    credentials: fc.boolean(),
    allowedHeaders: fc.option(fc.constantFrom(['content-type'], ['x-a', 'authorization'], '*'), { nil: undefined }),
    exposedHeaders: fc.option(fc.constantFrom(['x-list-version']), { nil: undefined }),
    maxAge: fc.option(fc.integer({ min: 0, max: 7200 }), { nil: undefined }),
  },
  { requiredKeys: ['origin', 'credentials'] },
).map((o) => ({ ...o, strict: false, logger: false as const }));

const method = fc.oneof(fc.constantFrom('GET', 'POST', 'OPTIONS', 'PATCH', 'patch', 'DELETE'), fc.string());
const request = fc.record(
  {
    method,
    origin: requestOrigin,
    requestMethod: method,
    requestHeaders: fc.oneof(fc.constantFrom('content-type', 'x-a,authorization', 'X-A, Content-Type'), fc.string(), fc.string({ unit: 'binary' })),
    requestPrivateNetwork: fc.constantFrom('true', 'false'),
  },
  { requiredKeys: ['method'] },
);

const acao = (d: CorsDecision) => d.headers.find(([name]) => name === 'access-control-allow-origin')?.[1];
const acac = (d: CorsDecision) => d.headers.some(([name]) => name === 'access-control-allow-credentials');

describe('properties of every decision', () => {
  it("sets Access-Control-Allow-Origin only to the exact request origin or '*', and never '*' with credentials", async () => {
    await fc.assert(
      fc.asyncProperty(options, request, async (opts, req) => {
        const decision = await createCorsPolicy(opts).evaluate(req);
        const value = acao(decision);
        if (value !== undefined) expect(value === '*' || value === req.origin).toBe(true);
        if (value === '*') expect(acac(decision)).toBe(false);
        if (value === undefined) expect(acac(decision)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('puts Origin in Vary whenever the answer depends on the origin', async () => {
    await fc.assert(
      fc.asyncProperty(options, request, requestOrigin, async (opts, req, otherOrigin) => {
        const policy = createCorsPolicy(opts);
        const first = await policy.evaluate(req);
        const second = await policy.evaluate({ ...req, origin: otherOrigin });
        const withoutOrigin = await policy.evaluate({ ...req, origin: undefined });
        if (acao(first) !== acao(second)) {
          expect(first.vary).toContain('Origin');
          expect(second.vary).toContain('Origin');
        }
        const answer = acao(first);
        if (answer !== undefined && answer !== '*') expect(withoutOrigin.vary).toContain('Origin');
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws while evaluating any strings', () => {
    const policies = [
      createCorsPolicy({ origin: ['https://a.test', 'https://*.b.test', 'http://localhost:*', /^https:\/\/c\d\.test$/], credentials: true, allowedHeaders: ['x-a'] }),
      createCorsPolicy({ origin: '*', allowedHeaders: '*', methods: '*' }),
      createCorsPolicy({ origin: (o) => o.length % 2 === 0 }),
    ];
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (m, o, rm, rh) => {
        for (const policy of policies) {
          policy.evaluate({ method: m, origin: o, requestMethod: rm, requestHeaders: rh });
          policy.evaluate({ method: 'OPTIONS', origin: o, requestMethod: rm, requestHeaders: rh });
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws anything but CorsConfigError while validating any options', () => {
    const key = fc.constantFrom('origin', 'methods', 'allowedHeaders', 'exposedHeaders', 'credentials', 'maxAge', 'optionsSuccessStatus', 'strict', 'logger', 'originCache', 'inherit', 'debug', 'whatever');
    fc.assert(
      fc.property(fc.dictionary(key, fc.oneof(fc.anything(), fc.array(fc.string()), fc.string())), (raw) => {
        try {
          createCorsPolicy({ ...(raw as CorsOptions), logger: false });
        } catch (error) {
          expect(error).toBeInstanceOf(CorsConfigError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
