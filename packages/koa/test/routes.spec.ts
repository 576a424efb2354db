import { afterEach, describe, expect, it } from '@jest/globals';
import Router from '@koa/router';
import Koa from 'koa';
import { CorsConfigError, cors, corsRoute } from '../src/index.js';
import { closeAll, corsHeaders, preflight, recordingLogger, send, start, varyTokens } from './helpers.js';

const APP = 'https://app.example.com';
const ADMIN = 'https://admin.example.com';

afterEach(closeAll);

const ok = (body: string) => (ctx: Koa.Context) => {
  ctx.body = body;
};

async function serveRouter(router: Router, options: Parameters<typeof cors>[0] = {}) {
  const app = new Koa();
  const reached: string[] = [];
  app.use(cors({ origin: APP, logger: false, router, ...options }));
  app.use(async (ctx, next) => {
    reached.push(`${ctx.method} ${ctx.path}`);
    await next();
  });
  app.use(router.routes()).use(router.allowedMethods());
  return { server: await start(app), reached };
}

describe('per-route policies with @koa/router', () => {
  it('judges a preflight by the policy of the route it asks about (path + Access-Control-Request-Method)', async () => {
    const router = new Router();
    router.get('/form', ok('read'));
    router.patch('/form', corsRoute({ origin: ADMIN, credentials: true, maxAge: 600 }), ok('patched'));
    const { server, reached } = await serveRouter(router);

    const patch = await preflight(server, '/form', ADMIN, 'PATCH', 'content-type');
    expect(patch.status).toBe(204);
    // Only PATCH: GET and HEAD /form refuse the admin origin, and the browser caches the answer for the whole URL.
    // Not reusable either: a cached content-type entry would let a credentialed GET or POST with that header through
    // to routes that refuse the admin origin.
    expect(corsHeaders(patch)).toEqual({
      'access-control-allow-origin': ADMIN,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'PATCH',
      'access-control-allow-headers': 'content-type',
      'access-control-max-age': '0',
    });
    const plainPatch = await preflight(server, '/form', ADMIN, 'PATCH');
    expect(plainPatch.header('access-control-max-age')).toBe('600');
    // The GET route has only the global policy: the admin origin and credentials are not granted there.
    const get = await preflight(server, '/form', ADMIN, 'GET', 'x-trace');
    expect(get.status).toBe(403);
    const getFromApp = await preflight(server, '/form', APP, 'GET', 'x-trace');
    expect(corsHeaders(getFromApp)).toMatchObject({ 'access-control-allow-origin': APP, 'access-control-allow-methods': 'HEAD, GET, PATCH' });
    expect(getFromApp.header('access-control-allow-credentials')).toBeUndefined();
    expect(reached).toEqual([]);
  });

  it('applies the route’s policy to its actual requests, before the route’s middleware runs', async () => {
    const router = new Router();
    router.patch('/form', corsRoute({ origin: ADMIN, credentials: true, exposeHeaders: ['X-Version'] }), (ctx) => {
      ctx.body = ctx.response.get('Access-Control-Allow-Credentials');
    });
    router.get('/form', ok('read'));
    const { server } = await serveRouter(router);
    const patch = await send(server, '/form', 'PATCH', { origin: ADMIN });
    expect(patch.body).toBe('true');
    expect(corsHeaders(patch)).toEqual({ 'access-control-allow-origin': ADMIN, 'access-control-allow-credentials': 'true', 'access-control-expose-headers': 'X-Version' });
    const get = await send(server, '/form', 'GET', { origin: ADMIN });
    expect(corsHeaders(get)).toEqual({});
  });

  it('keeps a route’s CORS headers when the route throws 401 or 500', async () => {
    const router = new Router();
    router.post('/secure', corsRoute({ origin: ADMIN, credentials: true }), (ctx) => ctx.throw(401));
    router.post('/broken', corsRoute({ origin: ADMIN }), () => {
      throw new Error('boom');
    });
    const app = new Koa();
    app.silent = true;
    app.use(cors({ origin: APP, logger: false, router }));
    app.use(router.routes());
    const server = await start(app);
    const denied = await send(server, '/secure', 'POST', { origin: ADMIN });
    expect(denied.status).toBe(401);
    expect(corsHeaders(denied)).toEqual({ 'access-control-allow-origin': ADMIN, 'access-control-allow-credentials': 'true' });
    expect(varyTokens(denied)).toEqual(['origin']);
    const broken = await send(server, '/broken', 'POST', { origin: ADMIN });
    expect(broken.status).toBe(500);
    expect(broken.header('access-control-allow-origin')).toBe(ADMIN);
  });

  it('gives a route marked corsRoute(false) no CORS: its preflights are refused and its responses carry no CORS headers', async () => {
    const router = new Router();
    router.post('/internal', corsRoute(false), ok('internal'));
    router.post('/public', ok('public'));
    const refusals: string[] = [];
    const { server } = await serveRouter(router, { onRefusal: ({ reason }) => refusals.push(reason.code) });
    const pre = await preflight(server, '/internal', APP, 'POST', 'content-type');
    expect(pre.status).toBe(403);
    expect(corsHeaders(pre)).toEqual({});
    const actual = await send(server, '/internal', 'POST', { origin: APP });
    expect(actual.body).toBe('internal');
    expect(corsHeaders(actual)).toEqual({});
    expect(refusals).toEqual(['cors-disabled', 'cors-disabled']);
    expect((await preflight(server, '/public', APP, 'POST', 'content-type')).status).toBe(204);
  });

  it('allows the methods the path serves (as every polycors adapter does), and refuses others on that path', async () => {
    const router = new Router();
    router.get('/form', ok('read'));
    router.patch('/form', ok('patched'));
    router.post('/other', ok('other'));
    const { server } = await serveRouter(router, { debug: true });
    expect((await preflight(server, '/form', APP, 'PATCH')).header('access-control-allow-methods')).toBe('HEAD, GET, PATCH');
    expect((await preflight(server, '/other', APP, 'POST')).header('access-control-allow-methods')).toBe('POST');
    const del = await preflight(server, '/form', APP, 'DELETE');
    expect(del.status).toBe(403);
    expect(del.header('polycors-reason')).toBe('method-not-allowed');
  });

  it('falls back to the global policy for a path with no route', async () => {
    const router = new Router();
    router.get('/form', ok('read'));
    const { server } = await serveRouter(router);
    const reply = await preflight(server, '/elsewhere', APP, 'PUT');
    expect(reply.status).toBe(204);
    expect(reply.header('access-control-allow-methods')).toBe('GET, HEAD, PUT, PATCH, POST, DELETE');
  });

  it('takes configured methods over the route’s own, and a route’s methods over the global ones', async () => {
    const router = new Router();
    router.get('/a', ok('a'));
    router.post('/b', corsRoute({ methods: ['POST', 'PUT'], inherit: false, origin: APP }), ok('b'));
    const { server } = await serveRouter(router, { allowMethods: 'GET,POST' });
    expect((await preflight(server, '/a', APP, 'GET')).header('access-control-allow-methods')).toBe('GET, POST');
    expect((await preflight(server, '/b', APP, 'PUT')).header('access-control-allow-methods')).toBe('POST, PUT');
  });

  it('unites list options of a route with the global ones, and lets inherit: false replace them', async () => {
    const router = new Router();
    router.post('/merged', corsRoute({ origin: ADMIN }), ok('merged'));
    router.post('/replaced', corsRoute({ origin: ADMIN, inherit: false }), ok('replaced'));
    const { server } = await serveRouter(router);
    expect((await preflight(server, '/merged', APP, 'POST')).status).toBe(204);
    expect((await preflight(server, '/merged', ADMIN, 'POST')).status).toBe(204);
    expect((await preflight(server, '/replaced', APP, 'POST')).status).toBe(403);
    expect((await preflight(server, '/replaced', ADMIN, 'POST')).status).toBe(204);
  });

  it('matches routes as @koa/router does: parameters, wildcards, optional groups, prefixes and nested routers', async () => {
    const users = new Router();
    users.delete('/:id', corsRoute({ origin: ADMIN }), ok('deleted'));
    const files = new Router();
    files.put('/*path', corsRoute({ origin: ADMIN }), ok('stored'));
    const api = new Router({ prefix: '/api' });
    api.use('/users', users.routes());
    api.use('/files', files.routes());
    api.get('/docs{/:page}', corsRoute({ origin: ADMIN }), ok('docs'));
    const { server } = await serveRouter(api);
    expect((await preflight(server, '/api/users/42', ADMIN, 'DELETE')).status).toBe(204);
    expect((await send(server, '/api/users/42', 'DELETE', { origin: ADMIN })).body).toBe('deleted');
    expect((await preflight(server, '/api/files/a/b/c.txt', ADMIN, 'PUT')).status).toBe(204);
    expect((await preflight(server, '/api/docs', ADMIN, 'GET', 'x-a')).status).toBe(204);
    expect((await preflight(server, '/api/docs/intro', ADMIN, 'GET', 'x-a')).status).toBe(204);
    // Case and a trailing slash do not matter by default, as for the router.
    expect((await preflight(server, '/API/Users/42/', ADMIN, 'DELETE')).status).toBe(204);
    // Paths outside the routes use the global policy, which does not list the admin origin.
    expect((await preflight(server, '/users/42', ADMIN, 'DELETE')).status).toBe(403);
  });

  it('follows the router’s strict and sensitive options', async () => {
    const router = new Router({ strict: true, sensitive: true });
    router.post('/Form', corsRoute({ origin: ADMIN }), ok('form'));
    const { server } = await serveRouter(router);
    expect((await preflight(server, '/Form', ADMIN, 'POST')).status).toBe(204);
    expect((await preflight(server, '/form', ADMIN, 'POST')).status).toBe(403);
    expect((await preflight(server, '/Form/', ADMIN, 'POST')).status).toBe(403);
  });

  it('picks the first registered of overlapping routes, the one @koa/router runs first', async () => {
    const router = new Router();
    router.post('/users/:id', corsRoute({ origin: ADMIN }), ok('by id'));
    router.post('/users/me', corsRoute(false), ok('me'));
    const { server } = await serveRouter(router);
    expect((await send(server, '/users/me', 'POST', { origin: ADMIN })).body).toBe('by id');
    expect((await preflight(server, '/users/me', ADMIN, 'POST')).status).toBe(204);
  });

  it('finds the route for a lower-case method as the router does, and lets core explain the case mismatch', async () => {
    const router = new Router();
    router.patch('/form', corsRoute({ origin: ADMIN }), ok('patched'));
    const { server } = await serveRouter(router, { debug: true });
    const reply = await preflight(server, '/form', ADMIN, 'patch');
    expect(reply.status).toBe(403);
    expect(reply.header('polycors-reason')).toBe('method-case-mismatch');
  });

  it('respects the router’s host option', async () => {
    const router = new Router({ host: 'api.example.com' });
    router.post('/form', corsRoute({ origin: ADMIN }), ok('form'));
    const { server } = await serveRouter(router);
    expect((await preflight(server, '/form', ADMIN, 'POST')).status).toBe(403);
    expect((await preflight(server, '/form', ADMIN, 'POST', undefined, { host: 'api.example.com' })).status).toBe(204);
  });

  it('reads several routers, in the order given', async () => {
    const first = new Router();
    first.post('/a', corsRoute({ origin: ADMIN }), ok('a'));
    const second = new Router();
    second.post('/b', corsRoute({ origin: ADMIN }), ok('b'));
    const app = new Koa();
    app.use(cors({ origin: APP, logger: false, router: [first, second] }));
    app.use(first.routes()).use(second.routes());
    const server = await start(app);
    expect((await preflight(server, '/a', ADMIN, 'POST')).status).toBe(204);
    expect((await preflight(server, '/b', ADMIN, 'POST')).status).toBe(204);
  });
});

describe('building per-route policies', () => {
  it('validates every route policy when cors() is created, naming each route in one error', () => {
    const router = new Router();
    router.patch('/form', corsRoute({ origin: '*', credentials: true, inherit: false }), ok('x'));
    router.get('users', '/users/:id', corsRoute({ origin: 'https://Admin.example.com/' }), ok('x'));
    router.post('/fine', corsRoute({ origin: ADMIN }), ok('x'));
    let error: unknown;
    try {
      cors({ origin: APP, router, logger: false });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CorsConfigError);
    const problems = (error as CorsConfigError).problems;
    expect(problems.map((p) => p.path.split(' › ')[0])).toEqual(expect.arrayContaining(['PATCH /form', 'GET /users/:id (users)']));
    expect(problems.every((p) => !p.path.startsWith('POST /fine'))).toBe(true);
    expect(problems.map((p) => p.code)).toEqual(expect.arrayContaining(['origin-any-with-credentials', 'origin-trailing-slash']));
    expect((error as Error).message).toContain('PATCH /form › origin');
  });

  it('names the route in the heading when only one route is wrong', () => {
    const router = new Router();
    router.patch('/form', corsRoute({ maxAge: 999999 }), ok('x'));
    expect(() => cors({ origin: APP, router, logger: false })).toThrow(/Invalid CORS configuration for PATCH \/form[\s\S]*maxAge/);
  });

  it('refuses corsRoute() in router.use(), where it would mark no route', () => {
    const router = new Router();
    router.use(corsRoute({ origin: ADMIN }));
    router.get('/x', ok('x'));
    expect(() => cors({ origin: APP, router, logger: false })).toThrow(/corsRoute\(\) marks a route/);
  });

  it('refuses corsRoute() on a RegExp route, which preflights could not be matched to', () => {
    const router = new Router();
    router.get(/^\/re/, corsRoute({ origin: ADMIN }), ok('x'));
    expect(() => cors({ origin: APP, router, logger: false })).toThrow(/needs a string path/);
  });

  it('refuses options of the middleware inside corsRoute()', () => {
    const router = new Router();
    router.get('/x', corsRoute({ secureContext: true } as never), ok('x'));
    expect(() => cors({ origin: APP, router, logger: false })).toThrow(/'secureContext' is an option of cors\(\)/);
  });

  it('picks up routes added after cors() on build(), which validates them at startup', async () => {
    const router = new Router();
    const middleware = cors({ origin: APP, router, logger: false });
    router.patch('/late', corsRoute({ origin: ADMIN }), ok('late'));
    router.patch('/bad', corsRoute({ origin: 'not an origin' }), ok('bad'));
    expect(() => middleware.build()).toThrow(/PATCH \/bad/);
  });

  it('rebuilds on the next request when routes were added after cors(), without build()', async () => {
    const router = new Router();
    const app = new Koa();
    app.use(cors({ origin: APP, router, logger: false }));
    router.patch('/late', corsRoute({ origin: ADMIN }), ok('late'));
    app.use(router.routes());
    const server = await start(app);
    expect((await preflight(server, '/late', ADMIN, 'PATCH')).status).toBe(204);
  });

  it('warns once when a corsRoute() marker runs on a request that cors() did not resolve to its route', async () => {
    const logger = recordingLogger();
    const router = new Router();
    router.post('/form', corsRoute({ origin: ADMIN, logger }), ok('form'));
    const app = new Koa();
    app.use(cors({ origin: APP, logger: false })); // no router given
    app.use(router.routes());
    const server = await start(app);
    await send(server, '/form', 'POST', { origin: ADMIN });
    await send(server, '/form', 'POST', { origin: ADMIN });
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toContain('cors({ ..., router })');
  });

  it('logs a configuration warning shared by the global policy and every route once', () => {
    const logger = recordingLogger();
    const router = new Router();
    router.get('/a', ok('a'));
    router.post('/b', ok('b'));
    router.put('/c', corsRoute({ exposeHeaders: ['X-C'] }), ok('c'));
    cors({ origin: 'https://*.github.io', router, logger });
    expect(logger.warnings.filter((w) => w.includes('origin-public-suffix-wildcard'))).toHaveLength(1);
  });
});

describe("sibling routes and the browser's preflight cache (one answer is cached for the whole URL)", () => {
  it('never lists a sibling method whose route refuses the origin or has CORS off, and never caches what a refusing safelisted sibling would see', async () => {
    const router = new Router();
    router.get('/form', ok('read'));
    router.patch('/form', corsRoute({ origin: [ADMIN], inherit: false }), ok('patched'));
    router.delete('/form', corsRoute(false), ok('deleted'));
    const { server, reached } = await serveRouter(router, { maxAge: 600 });

    const get = await preflight(server, '/form', APP, 'GET', 'x-app-version');
    expect(get.status).toBe(204);
    expect(get.header('access-control-allow-methods')).toBe('HEAD, GET');
    expect(get.header('access-control-allow-headers')).toBe('x-app-version');
    expect(get.header('access-control-max-age')).toBe('600');

    router.post('/form', corsRoute({ origin: [ADMIN], inherit: false }), ok('posted'));
    const withPost = await preflight(server, '/form', APP, 'GET', 'x-app-version');
    expect(withPost.status).toBe(204);
    expect(withPost.header('access-control-max-age')).toBe('0');
    expect(reached).toEqual([]);
  });
});
