/** Origin functions over real HTTP: core's one answer rule in @koa/cors' (ctx) shape, timeouts, dedupe, cache keys. */
import { afterEach, describe, expect, it } from '@jest/globals';
import Koa from 'koa';
import { type KoaCorsOptions, cors } from '../src/index.js';
import { closeAll, corsHeaders, preflight, recordingLogger, send, start } from './helpers.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example';

afterEach(closeAll);

async function serve(options: KoaCorsOptions) {
  const app = new Koa();
  app.silent = true;
  app.use(cors({ logger: false, ...options }));
  app.use((ctx) => {
    ctx.body = 'ok';
  });
  return start(app);
}

describe("an origin function answering '*' under credentials", () => {
  it('never reflects and never sends credentials, on actual requests and preflights (strict)', async () => {
    const server = await serve({ origin: (ctx) => (ctx.get('Origin') === APP ? APP : '*'), credentials: true });
    const actual = await send(server, '/', 'GET', { origin: EVIL });
    expect([actual.status, corsHeaders(actual)]).toEqual([200, { 'access-control-allow-origin': '*' }]);
    const answered = await preflight(server, '/', EVIL, 'PUT');
    expect([answered.status, answered.header('access-control-allow-origin'), answered.header('access-control-allow-credentials')]).toEqual([204, '*', undefined]);
    const own = await send(server, '/', 'GET', { origin: APP });
    expect(corsHeaders(own)).toEqual({ 'access-control-allow-origin': APP, 'access-control-allow-credentials': 'true' });
  });
});

describe('the Koa shapes: (ctx) and (ctx, origin)', () => {
  it('allow and refuse by what the function reads from ctx', async () => {
    const byHeader = await serve({ origin: (ctx) => ctx.get('x-tenant') === 'a' && ctx.get('Origin') === APP });
    expect((await send(byHeader, '/', 'GET', { origin: APP, 'x-tenant': 'a' })).header('access-control-allow-origin')).toBe(APP);
    expect(corsHeaders(await send(byHeader, '/', 'GET', { origin: APP, 'x-tenant': 'b' }))).toEqual({});
    const byOrigin = await serve({ origin: async (_ctx, origin) => [origin === APP ? origin : 'https://nobody.example'] });
    expect((await preflight(byOrigin, '/', APP, 'PUT')).status).toBe(204);
    expect((await preflight(byOrigin, '/', EVIL, 'PUT')).status).toBe(403);
  });

  it('settles a non-native thenable whose then returns nothing (as @koa/cors awaits it)', async () => {
    const server = await serve({ origin: (ctx) => ({ then: (resolve: (value: string) => void) => void resolve(ctx.get('Origin') === APP ? APP : '') }) as unknown as PromiseLike<string> });
    expect((await send(server, '/', 'GET', { origin: APP })).header('access-control-allow-origin')).toBe(APP);
    expect(corsHeaders(await send(server, '/', 'GET', { origin: EVIL }))).toEqual({});
  });
});

describe('an origin function that never answers', () => {
  it('is refused once originTimeout passes, logged once per request, and the server keeps serving', async () => {
    const logger = recordingLogger();
    const server = await serve({ origin: () => new Promise<string>(() => undefined), originTimeout: 50, logger });
    const [actual, answered] = await Promise.all([send(server, '/', 'GET', { origin: APP }), preflight(server, '/', APP, 'PUT')]);
    expect([actual.status, actual.body, corsHeaders(actual)]).toEqual([200, 'ok', {}]);
    expect(answered.status).toBe(403);
    expect(logger.errors).toHaveLength(2);
    expect(logger.errors[0]).toContain('did not answer within 50 ms');
    expect((await send(server, '/')).body).toBe('ok');
  });
});

describe('originCache', () => {
  it('makes one call for 100 concurrent first requests from one tenant and origin', async () => {
    let calls = 0;
    const server = await serve({
      origin: async (ctx) => {
        calls++;
        await new Promise((resolve) => setTimeout(resolve, 50));
        return ctx.get('Origin') === APP;
      },
      originCache: { key: (_origin, ctx) => ctx.host },
    });
    const replies = await Promise.all(Array.from({ length: 100 }, () => send(server, '/', 'GET', { origin: APP })));
    expect(replies.every((reply) => reply.header('access-control-allow-origin') === APP)).toBe(true);
    expect(calls).toBe(1);
  });

  it('keys answers per tenant (Host): tenant B never gets the answer given to tenant A', async () => {
    const allowed: Record<string, string[]> = { 'a.example': [APP], 'b.example': [] };
    let calls = 0;
    const server = await serve({
      origin: async (ctx, origin) => (calls++, allowed[ctx.hostname]?.includes(origin) ?? false),
      credentials: true,
      originCache: { key: (_origin, ctx) => ctx.hostname },
    });
    for (let round = 0; round < 2; round++) {
      expect(corsHeaders(await send(server, '/', 'GET', { origin: APP, host: 'a.example' }))).toEqual({ 'access-control-allow-origin': APP, 'access-control-allow-credentials': 'true' });
      expect(corsHeaders(await send(server, '/', 'GET', { origin: APP, host: 'b.example' }))).toEqual({});
    }
    expect(calls).toBe(2);
  });

  it('refuses at startup to cache a Koa origin function (it reads ctx) without a key', () => {
    expect(() => cors({ origin: (ctx) => ctx.get('Origin'), originCache: true, logger: false })).toThrow(/origin-cache-key-missing/);
  });
});

describe('reflectionWarning', () => {
  it("warns once, loudly, about (ctx) => ctx.get('Origin') under credentials after more distinct origins than the threshold", async () => {
    const logger = recordingLogger();
    const server = await serve({ origin: function mirror(ctx) { return ctx.get('Origin'); }, credentials: true, reflectionWarning: { origins: 3 }, logger });
    for (let i = 0; i < 3; i++) await send(server, '/', 'GET', { origin: `https://site-${i}.example` });
    expect(logger.warnings).toEqual([]);
    for (let i = 3; i < 8; i++) await send(server, '/', 'GET', { origin: `https://site-${i}.example` });
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toContain('origin: true in disguise');
  });
});
