/**
 * Express sub-apps (app.use('/v1', express())): listed in `subApps`, their routes are resolved like a router's;
 * unlisted, polycors cannot see them and refuses their preflights (route-unresolved). Both Express majors.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { Request, Response } from 'express';
import { type CorsRefusal, cors, corsRoute } from '../src/index.js';
import { EXPRESS_MAJORS, closeAll, corsHeaders, preflight, problemsOf, recordingLogger, send, start } from './helpers.js';

const APP = 'https://app.example.com';
const ADMIN = 'https://admin.example.com';

afterEach(closeAll);

function methodsOf(value: string | undefined): string[] {
  return (value ?? '').split(',').map((item) => item.trim()).filter(Boolean);
}

describe.each(EXPRESS_MAJORS)('%s: sub-apps', (_name, express) => {
  /** app -> /v1 sub-app: GET /items global, DELETE /items admin-only; `ran` counts handler runs. */
  function apiApp(subApps: boolean) {
    const ran: string[] = [];
    const handler = (name: string) => (_req: Request, res: Response) => {
      ran.push(name);
      res.send(name);
    };
    const logger = recordingLogger();
    const refusals: CorsRefusal[] = [];
    const app = express();
    const v1 = express();
    const middleware = cors({ origin: [APP, ADMIN], maxAge: 600, debug: true, logger, onRefusal: (refusal) => void refusals.push(refusal), subApps: subApps ? [v1] : undefined });
    app.use(middleware);
    app.get('/status', handler('status'));
    v1.get('/items', handler('list'));
    v1.delete('/items', corsRoute({ origin: ADMIN, inherit: false }), handler('delete'));
    app.use('/v1', v1);
    return { app, v1, middleware, ran, logger, refusals };
  }

  it("listed in subApps: a narrower corsRoute() inside judges its preflights, and the sibling rule covers the sub-app's routes", async () => {
    const { app, middleware, ran, logger } = apiApp(true);
    middleware.build(app);
    const server = await start(app);

    const fromApp = await preflight(server, '/v1/items', APP, 'DELETE');
    expect(fromApp.status).toBe(403);
    expect(fromApp.header('polycors-reason')).toBe('origin-not-allowed');
    expect(corsHeaders(fromApp)).toEqual({});
    const fromAdmin = await preflight(server, '/v1/items', ADMIN, 'DELETE');
    expect(fromAdmin.status).toBe(204);
    expect(fromAdmin.header('access-control-allow-origin')).toBe(ADMIN);
    expect(methodsOf(fromAdmin.header('access-control-allow-methods'))).toEqual(['DELETE']);

    // The browser caches a GET preflight for the URL: it must not list DELETE, which APP may not use.
    const get = await preflight(server, '/v1/items', APP, 'GET', 'x-app-version');
    expect(get.status).toBe(204);
    expect(methodsOf(get.header('access-control-allow-methods'))).toEqual(['GET', 'HEAD']);
    // A method no route in the sub-app serves there is refused, as for a router's routes.
    expect((await preflight(server, '/v1/items', APP, 'PUT')).header('polycors-reason')).toBe('method-not-allowed');
    expect(ran).toEqual([]); // no preflight reached a handler

    expect((await send(server, '/v1/items', 'DELETE', { origin: ADMIN })).header('access-control-allow-origin')).toBe(ADMIN);
    expect(corsHeaders(await send(server, '/v1/items', 'DELETE', { origin: APP }))).toEqual({});
    expect((await send(server, '/v1/items', 'GET', { origin: APP })).header('access-control-allow-origin')).toBe(APP);
    expect(logger.warnings).toEqual([]);
  });

  it('not listed: preflights under the mount are refused with route-unresolved, naming the fix; the rest of the app is unchanged; warned once', async () => {
    const { app, middleware, ran, logger, refusals } = apiApp(false);
    middleware.build(app);
    // The warning comes at build(), before any request.
    expect(logger.warnings).toEqual([expect.stringContaining("an Express app is mounted at '/v1'")]);
    expect(logger.warnings[0]).toContain('subApps: [subApp]');
    const server = await start(app);

    for (const [method, origin] of [['DELETE', APP], ['DELETE', ADMIN], ['GET', APP]]) {
      const refused = await preflight(server, '/v1/items', origin, method, 'x-app-version');
      expect(refused.status).toBe(403);
      expect(refused.header('polycors-reason')).toBe('route-unresolved');
      expect(corsHeaders(refused)).toEqual({});
    }
    expect(refusals[0].reason.message).toContain("mounted at '/v1'");
    expect(refusals[0].reason.message).toContain('subApps');
    expect(ran).toEqual([]);
    // Outside the mount, preflights are judged as before.
    expect((await preflight(server, '/status', APP, 'GET', 'x-app-version')).status).toBe(204);
    // Actual requests under it keep the global policy; a marker inside fails closed.
    expect((await send(server, '/v1/items', 'GET', { origin: APP })).header('access-control-allow-origin')).toBe(APP);
    expect(corsHeaders(await send(server, '/v1/items', 'DELETE', { origin: ADMIN }))).toEqual({});

    await preflight(server, '/v1/other', APP, 'PUT');
    expect(logger.warnings.filter((warning) => warning.includes("mounted at '/v1'"))).toHaveLength(1);
  });

  it('nested sub-apps, each listed: routes two apps down are resolved with both mount paths; an unlisted inner app is refused', async () => {
    const build = (listInner: boolean) => {
      const app = express();
      const v1 = express();
      const admin = express();
      app.use(cors({ origin: [APP, ADMIN], debug: true, logger: false, subApps: listInner ? [admin, v1] : [v1] }));
      admin.put('/users/:id', corsRoute({ origin: ADMIN, inherit: false }), (_req: Request, res: Response) => void res.send('saved'));
      v1.get('/items', (_req: Request, res: Response) => void res.send('items'));
      v1.use('/admin', admin);
      app.use('/v1', v1);
      return app;
    };
    const server = await start(build(true));
    expect((await preflight(server, '/v1/admin/users/7', APP, 'PUT')).status).toBe(403);
    const allowed = await preflight(server, '/v1/admin/users/7', ADMIN, 'PUT');
    expect(allowed.status).toBe(204);
    expect(allowed.header('access-control-allow-origin')).toBe(ADMIN);
    expect((await preflight(server, '/v1/items', APP, 'GET', 'x-app-version')).status).toBe(204);

    const partly = await start(build(false));
    expect((await preflight(partly, '/v1/admin/users/7', ADMIN, 'PUT')).header('polycors-reason')).toBe('route-unresolved');
    expect((await preflight(partly, '/v1/items', APP, 'GET', 'x-app-version')).status).toBe(204);
  });

  it('a sub-app mounted at several paths (app.use([...], subApp)) is resolved under each', async () => {
    const app = express();
    const v1 = express();
    app.use(cors({ origin: [APP, ADMIN], logger: false, subApps: [v1] }));
    v1.patch('/form', corsRoute({ origin: ADMIN, inherit: false }), (_req: Request, res: Response) => void res.send('ok'));
    app.use(['/v1', '/latest'], v1);
    const server = await start(app);
    for (const path of ['/v1/form', '/latest/form']) {
      expect((await preflight(server, path, APP, 'PATCH')).status).toBe(403);
      expect((await preflight(server, path, ADMIN, 'PATCH')).status).toBe(204);
    }
  });

  it('an app passed to router.use(path, subApp) is treated alike: refused unlisted, resolved listed', async () => {
    const build = (listed: boolean) => {
      const app = express();
      const sub = express();
      const router = express.Router();
      app.use(cors({ origin: [APP, ADMIN], debug: true, logger: false, subApps: listed ? [sub] : [] }));
      sub.patch('/form', corsRoute({ origin: ADMIN, inherit: false }), (_req: Request, res: Response) => void res.send('ok'));
      router.use('/sub', sub);
      app.use('/api', router);
      return app;
    };
    const unlisted = await start(build(false));
    expect((await preflight(unlisted, '/api/sub/form', ADMIN, 'PATCH')).header('polycors-reason')).toBe('route-unresolved');
    const listed = await start(build(true));
    expect((await preflight(listed, '/api/sub/form', APP, 'PATCH')).header('polycors-reason')).toBe('origin-not-allowed');
    expect((await preflight(listed, '/api/sub/form', ADMIN, 'PATCH')).status).toBe(204);
  });

  it('reads the sub-app again when routes are added to it after the first request', async () => {
    const app = express();
    const v1 = express();
    app.use(cors({ origin: [APP, ADMIN], logger: false, subApps: [v1] }));
    app.use('/v1', v1);
    const server = await start(app);
    expect((await preflight(server, '/v1/form', APP, 'PATCH')).status).toBe(204); // no route yet: global policy
    v1.patch('/form', corsRoute({ origin: ADMIN, inherit: false }), (_req: Request, res: Response) => void res.send('ok'));
    expect((await preflight(server, '/v1/form', APP, 'PATCH')).status).toBe(403);
    expect((await preflight(server, '/v1/form', ADMIN, 'PATCH')).status).toBe(204);
  });

  it("a sub-app with its own cors() mounted before the parent's: its cors() answers its preflights, and nothing is warned; mounted after, the parent refuses them", async () => {
    const withOwnCors = () => {
      const v1 = express();
      v1.use(cors({ origin: ADMIN, logger: false }));
      v1.put('/items', (_req: Request, res: Response) => void res.send('ok'));
      return v1;
    };
    const logger = recordingLogger();
    const before = express();
    before.use('/v1', withOwnCors());
    before.use(cors({ origin: APP, logger, debug: true }));
    before.get('/status', (_req: Request, res: Response) => void res.send('ok'));
    const first = await start(before);
    expect((await preflight(first, '/v1/items', ADMIN, 'PUT')).header('access-control-allow-origin')).toBe(ADMIN);
    expect((await preflight(first, '/v1/items', APP, 'PUT')).status).toBe(403);
    expect((await preflight(first, '/status', APP, 'GET', 'x-app-version')).status).toBe(204);
    expect(logger.warnings).toEqual([]);

    const afterLogger = recordingLogger();
    const after = express();
    after.use(cors({ origin: APP, logger: afterLogger, debug: true }));
    after.use('/v1', withOwnCors());
    const second = await start(after);
    // The parent's cors() answers first and cannot see the sub-app's policy: it refuses rather than guess.
    const refused = await preflight(second, '/v1/items', ADMIN, 'PUT');
    expect(refused.status).toBe(403);
    expect(refused.header('polycors-reason')).toBe('route-unresolved');
    expect(afterLogger.warnings).toEqual([expect.stringContaining('mount it before this cors()')]);
  });

  it('lists every subApps problem at once: values that are not apps when cors() is created, apps it cannot reach when the routes are read', () => {
    // The types refuse a router and a string; JavaScript callers get the same answer at startup.
    const typeProblems = problemsOf(() => cors({ origin: APP, maxAge: -1, subApps: [express.Router() as never, 'v1' as never, express()] }));
    expect(typeProblems.map(({ path, code }) => [path, code])).toEqual(
      expect.arrayContaining([
        ['maxAge', 'max-age-range'],
        ['subApps[0]', 'option-type'],
        ['subApps[1]', 'option-type'],
      ]),
    );
    expect(typeProblems.find(({ path }) => path === 'subApps[0]')?.message).toContain('express.Router()');
    expect(typeProblems.some(({ path }) => path === 'subApps[2]')).toBe(false);

    const app = express();
    const elsewhere = express();
    const unmounted = express();
    const foreign = express();
    const twice = express();
    elsewhere.use('/x', foreign);
    const middleware = cors({ origin: APP, logger: false, subApps: [unmounted, foreign, twice] });
    app.use(middleware);
    app.use('/a', twice);
    app.use('/a', twice);
    const problems = problemsOf(() => middleware.build(app));
    expect(problems.map(({ path, code }) => [path, code])).toEqual([
      ['subApps[2]', 'sub-app-unreachable'],
      ['subApps[0]', 'sub-app-unreachable'],
      ['subApps[1]', 'sub-app-unreachable'],
    ]);
    expect(problems[0].message).toContain('cannot tell which layer runs it');
    expect(problems[1].message).toContain('not mounted');
    expect(problems[2].message).toContain("mounted at '/x' in an app");
    expect(() => cors({ origin: APP, logger: false, subApps: [unmounted], strict: false }).build(app)).not.toThrow();
  });
});
