import { afterEach, describe, expect, it } from '@jest/globals';
import Router from '@koa/router';
import Koa from 'koa';
import { type KoaCorsOptions, cors } from '../src/index.js';
import { closeAll, corsHeaders, preflight, send, start, varyTokens } from './helpers.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example';

afterEach(closeAll);

/** An app with the global middleware, a router and a record of what reached the app. */
async function serve(options: KoaCorsOptions) {
  const app = new Koa();
  const reached: string[] = [];
  const appErrors: unknown[] = [];
  app.on('error', (error) => appErrors.push(error));
  const router = new Router();
  router.get('/items', (ctx) => {
    ctx.body = { seenAcao: ctx.response.get('Access-Control-Allow-Origin') };
  });
  router.post('/items', (ctx) => {
    ctx.body = 'created';
  });
  router.options('/items', (ctx) => {
    ctx.status = 200;
    ctx.set('Allow', 'GET, POST, OPTIONS');
    ctx.body = 'the app’s own OPTIONS';
  });
  router.get('/unauthorised', (ctx) => ctx.throw(401, 'log in first'));
  router.get('/crash', () => {
    throw new Error('boom');
  });
  router.get('/crash-with-vary', (ctx) => {
    ctx.set('Vary', 'Accept-Encoding');
    ctx.throw(409, 'conflict', { headers: { Vary: 'Accept-Language', 'X-Request-Id': 'r1' } });
  });
  app.use(cors({ logger: false, ...options }));
  app.use(async (ctx, next) => {
    reached.push(`${ctx.method} ${ctx.path}`);
    await next();
  });
  app.use(router.routes()).use(router.allowedMethods());
  return { server: await start(app), reached, appErrors };
}

describe('cors() as global middleware', () => {
  it('answers an allowed preflight itself (204) without reaching later middleware or routes', async () => {
    const { server, reached } = await serve({ origin: APP });
    const reply = await preflight(server, '/items', APP, 'POST', 'content-type');
    expect(reply.status).toBe(204);
    expect(corsHeaders(reply)).toMatchObject({
      'access-control-allow-origin': APP,
      'access-control-allow-methods': 'GET, HEAD, PUT, PATCH, POST, DELETE',
      'access-control-allow-headers': 'content-type',
    });
    expect(varyTokens(reply)).toEqual(['origin', 'access-control-request-method', 'access-control-request-headers']);
    expect(reached).toEqual([]);
  });

  it('refuses a preflight from an unknown origin with 403 and no CORS headers, without reaching the app', async () => {
    const { server, reached, appErrors } = await serve({ origin: APP });
    const reply = await preflight(server, '/items', EVIL, 'POST');
    expect(reply.status).toBe(403);
    expect(corsHeaders(reply)).toEqual({});
    expect(varyTokens(reply)).toEqual(['origin', 'access-control-request-method', 'access-control-request-headers']);
    expect(reached).toEqual([]);
    expect(appErrors).toEqual([]);
  });

  it('sets the headers of an allowed actual request before downstream middleware runs', async () => {
    const { server } = await serve({ origin: APP, exposeHeaders: ['X-Total'] });
    const reply = await send(server, '/items', 'GET', { origin: APP });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ seenAcao: APP });
    expect(corsHeaders(reply)).toEqual({ 'access-control-allow-origin': APP, 'access-control-expose-headers': 'X-Total' });
    expect(varyTokens(reply)).toEqual(['origin']);
  });

  it('lets a refused actual request reach the app, with no CORS headers and Vary: Origin', async () => {
    const { server, reached } = await serve({ origin: APP });
    const reply = await send(server, '/items', 'GET', { origin: EVIL });
    expect(reply.status).toBe(200);
    expect(corsHeaders(reply)).toEqual({});
    expect(varyTokens(reply)).toEqual(['origin']);
    expect(reached).toEqual(['GET /items']);
  });

  it('sends no CORS headers without an Origin, but Vary: Origin when the answer depends on it', async () => {
    const { server } = await serve({ origin: APP });
    const reply = await send(server, '/items');
    expect(corsHeaders(reply)).toEqual({});
    expect(varyTokens(reply)).toEqual(['origin']);
  });

  it('lets an ordinary OPTIONS request (no Access-Control-Request-Method) reach the app’s OPTIONS route', async () => {
    const { server, reached } = await serve({ origin: APP });
    const reply = await send(server, '/items', 'OPTIONS', { origin: APP });
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('the app’s own OPTIONS');
    expect(reply.header('access-control-allow-origin')).toBe(APP);
    expect(reached).toEqual(['OPTIONS /items']);
  });

  it('keeps CORS headers and Vary on a ctx.throw(401) response', async () => {
    const { server } = await serve({ origin: APP, credentials: true, exposeHeaders: 'X-Total' });
    const reply = await send(server, '/unauthorised', 'GET', { origin: APP });
    expect(reply.status).toBe(401);
    expect(reply.body).toBe('log in first');
    expect(corsHeaders(reply)).toEqual({
      'access-control-allow-origin': APP,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'X-Total',
    });
    expect(varyTokens(reply)).toEqual(['origin']);
  });

  it('keeps CORS headers and Vary on a 500 from a thrown Error', async () => {
    const { server, appErrors } = await serve({ origin: APP });
    const reply = await send(server, '/crash', 'GET', { origin: APP });
    expect(reply.status).toBe(500);
    expect(reply.header('access-control-allow-origin')).toBe(APP);
    expect(varyTokens(reply)).toEqual(['origin']);
    expect(appErrors).toHaveLength(1);
  });

  it('merges Vary into the error’s own headers and keeps them', async () => {
    const { server } = await serve({ origin: APP });
    const reply = await send(server, '/crash-with-vary', 'GET', { origin: APP });
    expect(reply.status).toBe(409);
    expect(reply.header('x-request-id')).toBe('r1');
    expect(reply.header('access-control-allow-origin')).toBe(APP);
    expect(varyTokens(reply)).toEqual(['accept-language', 'origin']);
  });

  it('keeps Vary: Origin on an error response to a refused origin, without CORS headers', async () => {
    const { server } = await serve({ origin: APP });
    const reply = await send(server, '/unauthorised', 'GET', { origin: EVIL });
    expect(reply.status).toBe(401);
    expect(corsHeaders(reply)).toEqual({});
    expect(varyTokens(reply)).toEqual(['origin']);
  });

  it('with keepHeadersOnError: false, lets Koa’s error handler remove the headers (as @koa/cors does)', async () => {
    const { server } = await serve({ origin: APP, keepHeadersOnError: false });
    const reply = await send(server, '/unauthorised', 'GET', { origin: APP });
    expect(reply.status).toBe(401);
    expect(corsHeaders(reply)).toEqual({});
    expect(reply.header('vary')).toBeUndefined();
  });

  it('reports each refusal with its reason code to onRefusal, with the Koa ctx, and not as an app error', async () => {
    const refusals: { code: string; path: string; kind: string }[] = [];
    const { server, appErrors } = await serve({
      origin: APP,
      allowHeaders: ['content-type'],
      onRefusal: ({ reason, context, decision }) => refusals.push({ code: reason.code, path: context.path, kind: decision.kind }),
    });
    await preflight(server, '/items', EVIL, 'POST');
    await preflight(server, '/items', APP, 'POST', 'x-secret');
    await send(server, '/items', 'GET', { origin: EVIL });
    expect(refusals).toEqual([
      { code: 'origin-not-allowed', path: '/items', kind: 'preflight' },
      { code: 'header-not-allowed', path: '/items', kind: 'preflight' },
      { code: 'origin-not-allowed', path: '/items', kind: 'actual' },
    ]);
    expect(appErrors).toEqual([]);
  });

  it('puts the refusal reason in a polycors-reason header in debug mode only', async () => {
    const { server } = await serve({ origin: APP, debug: true });
    const reply = await preflight(server, '/items', APP, 'PROPFIND');
    expect(reply.status).toBe(403);
    expect(reply.header('polycors-reason')).toBe('method-not-allowed');
    const quiet = await serve({ origin: APP });
    expect((await preflight(quiet.server, '/items', APP, 'PROPFIND')).header('polycors-reason')).toBeUndefined();
  });

  it('answers preflights with optionsSuccessStatus, or hands them on with preflightContinue', async () => {
    const custom = await serve({ origin: APP, optionsSuccessStatus: 200 });
    expect((await preflight(custom.server, '/items', APP, 'POST')).status).toBe(200);
    const continued = await serve({ origin: APP, preflightContinue: true });
    const reply = await preflight(continued.server, '/items', APP, 'POST');
    expect(reply.body).toBe('the app’s own OPTIONS');
    expect(reply.header('access-control-allow-origin')).toBe(APP);
    expect(continued.reached).toEqual(['OPTIONS /items']);
  });

  it('survives hostile request headers: a megabyte-long header list is refused quickly, the server stays up', async () => {
    const { server } = await serve({ origin: APP, allowedHeaders: ['content-type'] });
    const reply = await preflight(server, '/items', APP, 'POST', ','.repeat(8000));
    expect(reply.status).toBe(403);
    const weird = await preflight(server, '/items', APP, 'x'.repeat(5000));
    expect(weird.status).toBe(403);
    expect((await send(server, '/items', 'GET', { origin: APP })).status).toBe(200);
  });
});

describe('cors() before rate limiting and auth, as the README says', () => {
  it('answers preflights without using the quota, and keeps CORS headers on the limiter’s 429 and the auth 401', async () => {
    const app = new Koa();
    let used = 0;
    app.use(cors({ origin: APP, logger: false }));
    app.use(async (ctx, next) => {
      used++;
      if (used > 1) ctx.throw(429, 'slow down');
      await next();
    });
    app.use(async (ctx) => {
      if (!ctx.get('authorization')) ctx.throw(401, 'log in first');
      ctx.body = 'ok';
    });
    const server = await start(app);
    for (let i = 0; i < 3; i++) expect((await preflight(server, '/items', APP, 'PUT', 'authorization')).status).toBe(204);
    expect(used).toBe(0);
    const unauthorised = await send(server, '/items', 'GET', { origin: APP });
    expect([unauthorised.status, unauthorised.header('access-control-allow-origin')]).toEqual([401, APP]);
    const limited = await send(server, '/items', 'GET', { origin: APP, authorization: 'Bearer x' });
    expect([limited.status, limited.header('access-control-allow-origin')]).toEqual([429, APP]);
  });
});
