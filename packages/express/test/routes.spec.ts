/** Per-route policies and preflight resolution through Express's own router, on both Express majors. */
import { afterEach, describe, expect, it } from '@jest/globals';
import corsPackage from 'cors';
import type { NextFunction, Request, Response } from 'express';
import { CorsConfigError, cors, corsRoute } from '../src/index.js';
import { EXPRESS_MAJORS, type Running, closeAll, corsHeaders, preflight, recordingLogger, send, start } from './helpers.js';

const APP = 'https://app.example.com';
const ADMIN = 'https://admin.example.com';
const ok = (_req: Request, res: Response) => void res.send('ok');

afterEach(closeAll);

function methodsOf(value: string | undefined): string[] {
  return (value ?? '').split(',').map((item) => item.trim()).filter(Boolean);
}

/** [the status Express answers an actual request with, the status of polycors' answer to its preflight], from APP. */
async function routedAndJudged(server: Running, path: string, method: string): Promise<[number, number]> {
  return [(await send(server, path, method, { origin: APP })).status, (await preflight(server, path, APP, method)).status];
}

describe.each(EXPRESS_MAJORS)('%s: per-route policies', (name, express) => {
  const isExpress5 = name === 'Express 5';

  it.each([
    ['the methods each route serves', undefined],
    ['methods listed globally', ['GET', 'PATCH', 'DELETE']],
  ])('never advertises a sibling route the origin may not use: GET global, PATCH admin-only, DELETE without CORS (%s)', async (_case, methods) => {
    const app = express();
    app.use(cors({ origin: APP, maxAge: 600, methods, logger: false }));
    app.get('/form', ok);
    app.patch('/form', corsRoute({ origin: ADMIN, inherit: false }), ok);
    app.delete('/form', corsRoute(false), ok);
    const server = await start(app);

    const get = await preflight(server, '/form', APP, 'GET', 'x-app-version');
    expect(get.status).toBe(204);
    expect(methodsOf(get.header('access-control-allow-methods'))).not.toContain('PATCH');
    expect(methodsOf(get.header('access-control-allow-methods'))).not.toContain('DELETE');

    const patchFromApp = await preflight(server, '/form', APP, 'PATCH');
    expect(patchFromApp.status).toBe(403);
    expect(corsHeaders(patchFromApp)).toEqual({});
    const patchFromAdmin = await preflight(server, '/form', ADMIN, 'PATCH');
    expect(patchFromAdmin.status).toBe(204);
    expect(patchFromAdmin.header('access-control-allow-origin')).toBe(ADMIN);
    expect(methodsOf(patchFromAdmin.header('access-control-allow-methods'))).toEqual(['PATCH']);
    expect((await preflight(server, '/form', APP, 'DELETE')).status).toBe(403);
    // A method no route at the path serves (PUT) is refused there, as in every adapter.
    expect((await preflight(server, '/form', APP, 'PUT')).status).toBe(403);

    // Actual requests: each route's own policy.
    expect((await send(server, '/form', 'GET', { origin: APP })).header('access-control-allow-origin')).toBe(APP);
    expect((await send(server, '/form', 'PATCH', { origin: APP })).header('access-control-allow-origin')).toBeUndefined();
    expect((await send(server, '/form', 'PATCH', { origin: ADMIN })).header('access-control-allow-origin')).toBe(ADMIN);
    expect(corsHeaders(await send(server, '/form', 'DELETE', { origin: APP }))).toEqual({});
  });

  it("judges a method no route at the path serves by the path's first route (the global policy with the path's methods, for a route without a marker); a path without routes by the global one", async () => {
    const app = express();
    app.use(cors({ origin: APP, logger: false, debug: true }));
    app.get('/form', ok);
    app.post('/form', ok);
    const server = await start(app);
    const refused = await preflight(server, '/form', APP, 'DELETE');
    expect(refused.status).toBe(403);
    expect(refused.header('polycors-reason')).toBe('method-not-allowed');
    const post = await preflight(server, '/form', APP, 'POST', 'content-type');
    expect(post.status).toBe(204);
    // Routes without a marker share the path's methods (one policy at the URL: nothing to hide from a sibling).
    expect(methodsOf(post.header('access-control-allow-methods'))).toEqual(['GET', 'HEAD', 'POST']);
    expect((await preflight(server, '/elsewhere', APP, 'DELETE')).status).toBe(204);
    // The path's first route judges methods no route there serves, for actual requests too (they reach the 404).
    const off = express();
    off.use(cors({ origin: APP, logger: false }));
    off.get('/off', corsRoute(false), ok);
    const offServer = await start(off);
    const unserved = await send(offServer, '/off', 'PUT', { origin: APP });
    expect(unserved.status).toBe(404);
    expect(corsHeaders(unserved)).toEqual({});
    expect((await preflight(offServer, '/off', APP, 'PUT')).status).toBe(403);
    const listed = express();
    listed.use(cors({ origin: APP, methods: ['GET', 'POST', 'DELETE'], logger: false }));
    listed.get('/form', ok);
    expect((await preflight(await start(listed), '/form', APP, 'DELETE')).status).toBe(204);
  });

  it('answers Max-Age: 0 where a cached answer would grant a sibling route a header it refuses', async () => {
    const app = express();
    app.use(cors({ origin: APP, maxAge: 600, logger: false }));
    app.get('/doc', ok);
    app.put('/doc', corsRoute({ allowedHeaders: ['x-edit'], inherit: true }), ok);
    app.post('/doc', corsRoute({ allowedHeaders: ['content-type'], inherit: false, origin: APP }), ok);
    const server = await start(app);
    const reply = await preflight(server, '/doc', APP, 'PUT', 'x-edit');
    expect(reply.status).toBe(204);
    expect(reply.header('access-control-max-age')).toBe('0');
  });

  it('resolves mounted and nested routers, params, mergeParams and app.route()', async () => {
    const app = express();
    app.use(cors({ origin: APP, logger: false }));
    const items = express.Router({ mergeParams: true });
    items.patch('/:item', corsRoute({ origin: ADMIN, inherit: false }), (req: Request, res: Response) => void res.send(`${req.params.shop}/${req.params.item}`));
    const api = express.Router();
    api.use('/shops/:shop/items', items);
    app.use('/api', api);
    app.route('/things/:id').get(ok).put(corsRoute({ origin: ADMIN, inherit: false }), ok);
    const server = await start(app);

    expect((await preflight(server, '/api/shops/7/items/9', ADMIN, 'PATCH')).status).toBe(204);
    expect((await preflight(server, '/api/shops/7/items/9', APP, 'PATCH')).status).toBe(403);
    const actual = await send(server, '/api/shops/7/items/9', 'PATCH', { origin: ADMIN });
    expect(actual.body).toBe('7/9');
    expect(actual.header('access-control-allow-origin')).toBe(ADMIN);
    expect((await preflight(server, '/things/1', ADMIN, 'PUT')).status).toBe(204);
    expect((await preflight(server, '/things/1', APP, 'PUT')).status).toBe(403);
    // A path no route serves: the global policy.
    expect((await preflight(server, '/api/elsewhere', APP, 'PUT')).status).toBe(204);
  });

  it("follows the app's case sensitive routing and strict routing settings, and trailing slashes, as Express does", async () => {
    const loose = express();
    loose.use(cors({ origin: APP, logger: false }));
    loose.put('/Admin', corsRoute(false), ok);
    const looseServer = await start(loose);
    // Case-insensitive and trailing slash allowed by default: /admin/ reaches the PUT /Admin route.
    expect((await send(looseServer, '/admin/', 'PUT', { origin: APP })).body).toBe('ok');
    expect((await preflight(looseServer, '/admin/', APP, 'PUT')).status).toBe(403);

    const strict = express();
    strict.set('case sensitive routing', true);
    strict.set('strict routing', true);
    strict.use(cors({ origin: APP, logger: false }));
    strict.put('/Admin', corsRoute(false), ok);
    const strictServer = await start(strict);
    expect((await send(strictServer, '/admin', 'PUT', { origin: APP })).status).toBe(404);
    expect((await preflight(strictServer, '/admin', APP, 'PUT')).status).toBe(204); // no route: the global policy
    expect((await preflight(strictServer, '/Admin/', APP, 'PUT')).status).toBe(204);
    expect((await preflight(strictServer, '/Admin', APP, 'PUT')).status).toBe(403);
  });

  it("supports the major's own wildcard and optional-segment syntax", async () => {
    const app = express();
    app.use(cors({ origin: APP, logger: false }));
    app.put(isExpress5 ? '/files/*splat' : '/files/*', corsRoute(false), ok);
    app.put(isExpress5 ? '/docs{/:page}' : '/docs/:page?', corsRoute(false), ok);
    const server = await start(app);
    for (const path of ['/files/a/b.txt', '/docs', '/docs/intro']) {
      expect((await send(server, path, 'PUT', { origin: APP })).body).toBe('ok');
      expect((await preflight(server, path, APP, 'PUT')).status).toBe(403);
    }
  });

  it('a percent-encoded path is judged as Express routes it (no decoding before matching)', async () => {
    const app = express();
    app.use(cors({ origin: APP, logger: false }));
    app.put('/admin', corsRoute(false), ok);
    const server = await start(app);
    expect((await send(server, '/%61dmin', 'PUT', { origin: APP })).status).toBe(404);
    expect((await preflight(server, '/%61dmin', APP, 'PUT')).status).toBe(204);
    expect((await preflight(server, '/admin', APP, 'PUT')).status).toBe(403);
    expect((await preflight(server, '/%E0%A4%A', APP, 'PUT')).status).toBe(204);
  });

  it('a percent-encoded mount path, route segment or slash is judged as Express routes it; an encoded param still reaches its route', async () => {
    const app = express();
    app.use(cors({ origin: APP, logger: false }));
    const api = express.Router();
    api.put('/admin', corsRoute(false), ok);
    api.put('/items/:id', corsRoute(false), (req: Request, res: Response) => void res.send(req.params.id));
    app.use('/api', api);
    const server = await start(app);
    // No route runs for these (404): the global policy judges their preflights.
    for (const path of ['/%61pi/admin', '/api/%61dmin', '/api%2Fadmin', '/api/admin%2F']) expect(await routedAndJudged(server, path, 'PUT')).toEqual([404, 204]);
    expect(await routedAndJudged(server, '/api/admin', 'PUT')).toEqual([200, 403]);
    expect((await send(server, '/api/items/%61', 'PUT', { origin: APP })).body).toBe('a');
    expect((await preflight(server, '/api/items/%61', APP, 'PUT')).status).toBe(403);
  });

  it("follows a mounted router's own strict and caseSensitive options, and the app's for the mount path", async () => {
    const app = express();
    app.use(cors({ origin: APP, logger: false }));
    const admin = express.Router({ strict: true, caseSensitive: true });
    admin.put('/Users', corsRoute(false), ok);
    const loose = express.Router();
    loose.put('/users', corsRoute(false), ok);
    app.use('/admin', admin);
    app.use('/loose', loose);
    const server = await start(app);
    // The app matches the mount path case-insensitively; the router matches its routes exactly.
    for (const [path, served] of [['/ADMIN/Users', true], ['/admin/users', false], ['/admin/Users/', false], ['/loose/USERS/', true]] as const) {
      expect(await routedAndJudged(server, path, 'PUT')).toEqual(served ? [200, 403] : [404, 204]);
    }
  });

  it('resolves the path Express routes on: after a rewrite of req.url before cors(), and below the mount of app.use(path, cors())', async () => {
    const rewritten = express();
    rewritten.use((req: Request, _res: Response, next: NextFunction) => {
      if (req.url.startsWith('/v1/')) req.url = req.url.slice(3); // an API version prefix stripped before the routes
      next();
    });
    rewritten.use(cors({ origin: APP, logger: false }));
    rewritten.put('/admin', corsRoute(false), ok);
    expect(await routedAndJudged(await start(rewritten), '/v1/admin', 'PUT')).toEqual([200, 403]);

    const mounted = express();
    mounted.set('strict routing', true);
    mounted.use('/api', cors({ origin: APP, logger: false }));
    mounted.put('/api', corsRoute(false), ok);
    mounted.put('/api/admin', corsRoute(false), ok);
    const mountedServer = await start(mounted);
    expect(await routedAndJudged(mountedServer, '/api', 'PUT')).toEqual([200, 403]);
    expect(await routedAndJudged(mountedServer, '/api/', 'PUT')).toEqual([404, 204]); // strict routing: no route runs
    expect(await routedAndJudged(mountedServer, '/api/admin', 'PUT')).toEqual([200, 403]);
  });

  it('keeps the sibling rule inside one app.route() and across routers mounted at the same path', async () => {
    const app = express();
    app.use(cors({ origin: APP, maxAge: 600, logger: false }));
    app.route('/doc').get(ok).patch(corsRoute({ origin: ADMIN, inherit: false }), ok).delete(corsRoute(false), ok);
    const reader = express.Router();
    reader.get('/report', ok);
    const writer = express.Router();
    writer.put('/report', corsRoute({ origin: ADMIN, allowedHeaders: ['x-admin-token'], inherit: false }), ok);
    app.use('/api', reader);
    app.use('/api', writer);
    const server = await start(app);

    const get = await preflight(server, '/doc', APP, 'GET');
    expect(get.status).toBe(204);
    expect(methodsOf(get.header('access-control-allow-methods'))).toEqual(['GET', 'HEAD']);
    expect((await preflight(server, '/doc', APP, 'PATCH')).status).toBe(403);
    expect((await preflight(server, '/doc', APP, 'DELETE')).status).toBe(403);
    const patch = await preflight(server, '/doc', ADMIN, 'PATCH');
    expect(patch.status).toBe(204);
    expect(methodsOf(patch.header('access-control-allow-methods'))).toEqual(['PATCH']);

    const report = await preflight(server, '/api/report', APP, 'GET');
    expect(report.status).toBe(204);
    expect(methodsOf(report.header('access-control-allow-methods'))).not.toContain('PUT');
    expect((await preflight(server, '/api/report', APP, 'PUT', 'x-admin-token')).status).toBe(403);
    const put = await preflight(server, '/api/report', ADMIN, 'PUT', 'x-admin-token');
    expect(put.status).toBe(204);
    expect(put.header('access-control-allow-headers')).toBe('x-admin-token');
  });

  it('applies the policy of the route Express actually runs when an earlier route calls next()', async () => {
    const app = express();
    app.use(cors({ origin: APP, logger: false }));
    app.get('/items/:id', (req: Request, res: Response, next: NextFunction) => (req.params.id === 'new' ? next() : res.send('item')));
    app.get('/items/new', corsRoute(false), (_req: Request, res: Response) => void res.send('new'));
    const server = await start(app);
    const reply = await send(server, '/items/new', 'GET', { origin: APP });
    expect(reply.body).toBe('new');
    expect(corsHeaders(reply)).toEqual({});
  });

  it("leaves a corsRoute(false) route's CORS to the app, as every adapter does: polycors sends none and keeps none of its own", async () => {
    const app = express();
    app.use(cors({ origin: APP, logger: false }));
    const own = (_req: Request, res: Response) => void res.set('Access-Control-Allow-Origin', 'https://partner.example').send('own');
    app.get('/hook', corsRoute(false), own);
    // Resolved first to the global route, then re-decided when the marker of the route Express runs confirms.
    app.get('/items/:id', (req: Request, res: Response, next: NextFunction) => (['new', 'old'].includes(req.params.id as string) ? next() : res.send('item')));
    app.get('/items/new', corsRoute(false), own);
    app.get('/items/old', corsRoute({ exposedHeaders: ['x-page'] }), (_req: Request, res: Response) => void res.set('Access-Control-Allow-Origin', '*').send('old'));
    const server = await start(app);
    for (const path of ['/hook', '/items/new']) {
      const reply = await send(server, path, 'GET', { origin: APP });
      expect(reply.body).toBe('own');
      expect(corsHeaders(reply)).toEqual({ 'access-control-allow-origin': 'https://partner.example' });
    }
    // A writeHead hook installed after cors() (on-headers' way, as response-time, compression and express-session do)
    // still runs when the guard is released.
    app.use((_req: Request, res: Response, next: NextFunction) => {
      const writeHead = res.writeHead;
      res.writeHead = function (this: Response, ...args: unknown[]) {
        this.setHeader('X-Response-Time', '1ms');
        return (writeHead as (...args: unknown[]) => Response).apply(this, args);
      } as Response['writeHead'];
      next();
    });
    app.get('/timed/:id', (req: Request, res: Response, next: NextFunction) => (req.params.id === 'new' ? next() : res.send('item')));
    app.get('/timed/new', corsRoute(false), own);
    const timed = await send(server, '/timed/new', 'GET', { origin: APP });
    expect([timed.body, timed.header('x-response-time')]).toEqual(['own', '1ms']);
    // A route with a policy keeps polycors' answer, whatever its handler sets.
    const old = await send(server, '/items/old', 'GET', { origin: APP });
    expect(corsHeaders(old)).toEqual({ 'access-control-allow-origin': APP, 'access-control-expose-headers': 'x-page' });
  });

  it('routes added after the first request are read on the next one; build() validates at startup, naming METHOD /path', async () => {
    const app = express();
    const middleware = cors({ origin: APP, logger: false });
    app.use(middleware);
    app.get('/a', ok);
    const server = await start(app);
    expect((await send(server, '/a', 'GET', { origin: APP })).status).toBe(200);
    app.put('/b', corsRoute(false), ok);
    expect((await preflight(server, '/b', APP, 'PUT')).status).toBe(403);

    app.patch('/bad', corsRoute({ origin: 'https://Admin.example.com/' }), ok);
    app.post('/worse', corsRoute({ methods: ['TRACE'] }), ok);
    let error: unknown;
    try {
      middleware.build(app);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CorsConfigError);
    const paths = (error as CorsConfigError).problems.map((problem) => problem.path);
    expect(paths.some((path) => path.startsWith('PATCH /bad › origin'))).toBe(true);
    expect(paths.some((path) => path.startsWith('POST /worse › methods'))).toBe(true);
    // Without build(), the first request fails with the same error (500), not with an unvalidated policy.
    expect((await send(server, '/a', 'GET', { origin: APP })).status).toBe(500);
    expect((await send(server, '/a', 'GET', { origin: APP })).status).toBe(500);
    // Fixing the routes (here: dropping the bad ones) is noticed on the next request.
    const stack = (app as unknown as { router?: { stack: unknown[] }; _router?: { stack: unknown[] } });
    (stack._router ?? stack.router)!.stack.splice(-2, 2);
    expect((await send(server, '/a', 'GET', { origin: APP })).status).toBe(200);
  });

  it('refuses corsRoute() in app.use() and detects two CORS layers (cors + @polycors/express, or cors() twice)', () => {
    const misplaced = express();
    const first = cors({ origin: APP, logger: false });
    misplaced.use(first);
    misplaced.use('/admin', corsRoute(false));
    expect(() => first.build(misplaced)).toThrow(/corsRoute\(\) marks a route/);

    const withCorsPackage = express();
    const second = cors({ origin: APP, logger: false });
    withCorsPackage.use(corsPackage());
    withCorsPackage.use(second);
    expect(() => second.build(withCorsPackage)).toThrow(/cors package's middleware/);

    const preflightRoute = express();
    const third = cors({ origin: APP, logger: false });
    preflightRoute.use(third);
    preflightRoute.options(isExpress5 ? '/*splat' : '*', corsPackage());
    expect(() => third.build(preflightRoute)).toThrow(/cors package's middleware/);

    const twice = express();
    const fourth = cors({ origin: APP, logger: false });
    twice.use(fourth);
    twice.use(cors({ origin: APP, logger: false }));
    expect(() => fourth.build(twice)).toThrow(/used 2 times/);

    const logger = recordingLogger();
    const lenient = express();
    const fifth = cors({ origin: APP, logger, strict: false });
    lenient.use(corsPackage());
    lenient.use(fifth);
    expect(() => fifth.build(lenient)).not.toThrow();
    expect(logger.warnings.some((message) => message.includes("cors package's middleware"))).toBe(true);
  });

  it('fails closed for a corsRoute() that cors() cannot see (inside a sub-app): no CORS headers, one warning', async () => {
    const logger = recordingLogger();
    const sub = express();
    sub.put('/x', corsRoute({ origin: ADMIN, inherit: false }), (_req: Request, res: Response) => void res.set('Access-Control-Allow-Origin', APP).send('ok'));
    const app = express();
    app.use(cors({ origin: APP, logger }));
    app.use('/sub', sub);
    const server = await start(app);
    for (let i = 0; i < 2; i++) {
      const reply = await send(server, '/sub/x', 'PUT', { origin: APP });
      expect(reply.body).toBe('ok');
      expect(corsHeaders(reply)).toEqual({});
    }
    expect(logger.warnings.filter((message) => message.includes('is not in the routes cors() reads'))).toHaveLength(1);
  });

  it('a sub-app with its own cors(), mounted before the parent one, resolves its own routes', async () => {
    const sub = express();
    sub.use(cors({ origin: APP, logger: false }));
    sub.put('/x', corsRoute({ origin: ADMIN, inherit: false }), ok);
    const app = express();
    app.use('/v1', sub);
    app.use(cors({ origin: APP, logger: false }));
    const server = await start(app);
    expect((await preflight(server, '/v1/x', ADMIN, 'PUT')).status).toBe(204);
    expect((await preflight(server, '/v1/x', APP, 'PUT')).status).toBe(403);
    expect((await send(server, '/v1/x', 'PUT', { origin: ADMIN })).header('access-control-allow-origin')).toBe(ADMIN);
  });

  it('a corsRoute() without any cors() middleware warns once', async () => {
    const logger = recordingLogger();
    const app = express();
    app.put('/x', corsRoute({ origin: ADMIN, logger }), ok);
    const server = await start(app);
    await send(server, '/x', 'PUT', { origin: ADMIN });
    await send(server, '/x', 'PUT', { origin: ADMIN });
    expect(logger.warnings).toEqual([expect.stringContaining('no @polycors/express cors() middleware ran before this route')]);
  });

  it('answers hostile preflights (a long path, a long or odd method, a malformed encoding) without widening or crashing', async () => {
    const app = express();
    app.use(cors({ origin: APP, logger: false }));
    app.put('/items/:id', corsRoute(false), ok);
    const server = await start(app);
    expect((await preflight(server, `/items/${'%41'.repeat(2500)}`, APP, 'PUT')).status).toBe(403);
    expect((await preflight(server, '/items/%E0%A4%A', APP, 'PUT')).status).toBe(204); // Express answers it 400: no route runs
    expect((await send(server, '/items/%E0%A4%A', 'PUT', { origin: APP })).status).toBe(400);
    expect((await preflight(server, '/items/1', APP, 'P'.repeat(100))).status).toBe(403);
    expect((await preflight(server, '/items/1', APP, 'put')).status).toBe(403);
    expect((await preflight(server, '/items/1', APP, 'PUT', 'a,'.repeat(3000))).status).toBe(403);
  });

  it('takes the routes from `router` when given (here a router mounted at /)', async () => {
    const router = express.Router();
    router.put('/x', corsRoute(false), ok);
    const app = express();
    app.use(cors({ origin: APP, logger: false, router }));
    app.use(router);
    const server = await start(app);
    expect((await preflight(server, '/x', APP, 'PUT')).status).toBe(403);
    expect((await preflight(server, '/y', APP, 'PUT')).status).toBe(204);
  });
});
