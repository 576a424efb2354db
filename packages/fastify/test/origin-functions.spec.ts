/** Origin functions over real HTTP: core's one answer rule, both signatures, timeouts, dedupe, per-tenant cache keys. */
import { describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import polycors, { type PolycorsOptions } from '../src/index.js';
import { preflight, useServers } from './helpers.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example.net';

const start = useServers();

function recordingLogger() {
  const warnings: string[] = [];
  const errors: string[] = [];
  return { warnings, errors, warn: (message: string) => void warnings.push(message), error: (message: string) => void errors.push(message) };
}

async function serve(options: PolycorsOptions, setup?: (app: FastifyInstance) => void) {
  return start(async (app) => {
    await app.register(polycors, { logger: false, ...options });
    app.get('/', async () => 'ok');
    app.put('/', async () => 'put');
    setup?.(app);
  });
}

const corsHeaders = (headers: Record<string, unknown>) => Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith('access-control-')));

describe("an origin function answering '*' (the @fastify/cors idiom cb(null, known ? origin : '*'))", () => {
  const known = (origin: string) => origin === APP;

  it('never reflects and never sends credentials under credentials: true, strict, on actual requests and preflights', async () => {
    const { send } = await serve({ origin: (origin, cb) => cb(null, known(origin) ? origin : '*'), credentials: true });
    const actual = await send('GET', '/', { origin: EVIL });
    expect(actual.status).toBe(200);
    expect(corsHeaders(actual.headers)).toEqual({ 'access-control-allow-origin': '*' });
    expect(actual.headers.vary).toContain('Origin');
    const answered = await send('OPTIONS', '/', preflight(EVIL, 'PUT'));
    expect(answered.status).toBe(204);
    expect(answered.headers['access-control-allow-origin']).toBe('*');
    expect(answered.headers['access-control-allow-credentials']).toBeUndefined();
    // The known origin still gets itself and credentials.
    const own = await send('GET', '/', { origin: APP });
    expect([own.headers['access-control-allow-origin'], own.headers['access-control-allow-credentials']]).toEqual([APP, 'true']);
  });

  it('is answered * for a Promise answer of [\'*\'] too', async () => {
    const { send } = await serve({ origin: async () => ['*'], credentials: true });
    expect(corsHeaders((await send('GET', '/', { origin: EVIL })).headers)).toEqual({ 'access-control-allow-origin': '*' });
  });
});

describe('both signatures', () => {
  it('(origin, request): reads the Fastify request, this is the instance, and allows and refuses', async () => {
    let self: unknown;
    const { send, app } = await serve({
      origin(origin, request) {
        self = this;
        return request.headers['x-tenant'] === 'a' && origin === APP;
      },
    });
    expect((await send('GET', '/', { origin: APP, 'x-tenant': 'a' })).headers['access-control-allow-origin']).toBe(APP);
    expect((await send('GET', '/', { origin: APP, 'x-tenant': 'b' })).headers['access-control-allow-origin']).toBeUndefined();
    expect((await send('OPTIONS', '/', { ...preflight(APP, 'PUT'), 'x-tenant': 'b' })).status).toBe(403);
    expect(self).toBe(app);
  });

  it('(origin, callback): allows and refuses, synchronously or later', async () => {
    const { send } = await serve({ origin: (origin, callback) => void setTimeout(() => callback(null, origin === APP), 1) });
    expect((await send('GET', '/', { origin: APP })).headers['access-control-allow-origin']).toBe(APP);
    expect((await send('OPTIONS', '/', preflight(APP, 'PUT'))).status).toBe(204);
    expect((await send('GET', '/', { origin: EVIL })).headers['access-control-allow-origin']).toBeUndefined();
    expect((await send('OPTIONS', '/', preflight(EVIL, 'PUT'))).status).toBe(403);
  });

  it('settles a non-native thenable whose then returns nothing', async () => {
    const { send } = await serve({ origin: (origin) => ({ then: (resolve: (value: boolean) => void) => void resolve(origin === APP) }) as unknown as Promise<boolean> });
    expect((await send('GET', '/', { origin: APP })).headers['access-control-allow-origin']).toBe(APP);
    expect((await send('GET', '/', { origin: EVIL })).headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('an origin function that never answers', () => {
  it('is refused once originTimeout passes and logged once; the server keeps serving', async () => {
    const logger = recordingLogger();
    const { send } = await serve({ origin: (_origin, _callback) => undefined, originTimeout: 50, logger });
    const [actual, answered] = await Promise.all([send('GET', '/', { origin: APP }), send('OPTIONS', '/', preflight(APP, 'PUT'))]);
    expect([actual.status, actual.body, actual.headers['access-control-allow-origin']]).toEqual([200, 'ok', undefined]);
    expect(answered.status).toBe(403);
    expect(logger.errors).toHaveLength(2);
    expect(logger.errors[0]).toContain('did not answer within 50 ms');
    expect((await send('GET', '/')).body).toBe('ok');
  });
});

describe('originCache', () => {
  it('makes one call for 100 concurrent first requests from one origin', async () => {
    let calls = 0;
    const { send } = await serve({
      origin: async (origin) => {
        calls++;
        await new Promise((resolve) => setTimeout(resolve, 50));
        return origin === APP;
      },
      originCache: true,
    });
    const responses = await Promise.all(Array.from({ length: 100 }, () => send('GET', '/', { origin: APP })));
    expect(responses.every((response) => response.headers['access-control-allow-origin'] === APP)).toBe(true);
    expect(calls).toBe(1);
  });

  it('keys answers per tenant (Host): tenant B never gets the answer given to tenant A', async () => {
    const allowed: Record<string, string[]> = { 'a.example': [APP], 'b.example': [] };
    let calls = 0;
    const { send } = await serve({
      origin: async (origin, request) => (calls++, allowed[request.hostname]?.includes(origin) ?? false),
      credentials: true,
      originCache: { key: (_origin, request) => request.hostname },
    });
    for (let round = 0; round < 2; round++) {
      const a = await send('GET', '/', { origin: APP, host: 'a.example' });
      const b = await send('GET', '/', { origin: APP, host: 'b.example' });
      expect([a.headers['access-control-allow-origin'], a.headers['access-control-allow-credentials']]).toEqual([APP, 'true']);
      expect(corsHeaders(b.headers)).toEqual({});
    }
    expect(calls).toBe(2);
  });

  it('refuses at startup to cache a function that reads the request without a key', async () => {
    const failure = await serve({ origin: (origin, request) => origin === request.hostname, originCache: true }).then(() => undefined, (error: unknown) => error);
    expect(String(failure)).toContain('origin-cache-key-missing');
  });
});
