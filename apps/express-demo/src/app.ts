/**
 * The contact-form API on Express 5: routes with `corsRoute()` markers for per-route policies, and one global
 * `cors()` middleware (used before the routes and the auth middleware) that applies them, preflights included:
 *
 *   GET   /options   public to any origin (`origin: '*'`, no credentials), exposes X-List-Version
 *   POST  /login     sets the session cookie (credentialed, front-end origins)
 *   POST  /form      JSON from the front-end origins, with credentials
 *   PATCH /form      Authorization: Bearer <token> (an auth middleware) and X-App-Version
 *   PUT   /draft     preflights not cached (`maxAge: 0`): the control for the preflight cache
 *   POST  /feedback  any request header (`allowedHeaders: '*'`, no credentials), never Authorization
 *   GET   /internal  CORS off (`corsRoute(false)`)
 *   GET   /legacy    a deliberately unsafe policy (`origin: '*'` with credentials) accepted by `strict: false`,
 *                    which starts with warnings; browsers refuse its credentialed responses
 *   GET    /siblings       X-App-Version allowed; PATCH /siblings only for https://admin.example.com
 *   PATCH  /siblings       (`inherit: false`); DELETE /siblings CORS off: a GET preflight's cached answer must
 *   DELETE /siblings       never let the PATCH or the DELETE through (the browser caches per URL)
 *   GET    /siblings-post  the same, with POST /siblings-post only for https://admin.example.com: a cached
 *   POST   /siblings-post  X-App-Version would let a POST (a safelisted method) through, so it is not cached
 *
 * Preflights are cached 300 s (`maxAge: 300`) unless a route says otherwise.
 */
import { randomUUID } from 'node:crypto';
import { type DemoConfig, hasSessionCookie, RequestLog, SESSION_COOKIE } from '@polycors/demo-kit';
import { cors, corsRoute } from '@polycors/express';
import express, { type NextFunction, type Request, type Response } from 'express';

export interface BuildOptions {
  /** Where refusals and configuration warnings go. Default: console. */
  logger?: { warn(message: string): void; error(message: string, error?: unknown): void } | false;
}

/** The origin of the admin-only sibling routes (demo-kit's ADMIN_ORIGIN on main; no demo page runs on it). */
const ADMIN_ORIGIN = 'https://admin.example.com';

/** Status errors for the demo's own error handler. */
function fail(status: number, message: string): Error & { status: number } {
  return Object.assign(new Error(message), { status });
}

export function buildApp(config: DemoConfig, options: BuildOptions = {}): express.Express {
  const app = express();
  const log = config.stats ? new RequestLog() : undefined;
  const logger = options.logger ?? console;
  const json = express.json({ limit: '16kb', type: 'application/json' });
  const text = express.text({ limit: '16kb', type: () => true });
  const body = [json, text];

  const requireToken = (req: Request, _res: Response, next: NextFunction) => {
    log?.guard('auth', req);
    if (req.get('authorization') !== `Bearer ${config.token}`) return next(fail(401, 'Send Authorization: Bearer <token>'));
    next();
  };

  // DEMO_STATS: record every request before the CORS layer, so preflights are seen too.
  if (log) app.use((req: Request, res: Response, next: NextFunction) => (log.record(req, res), next()));

  // One global middleware, before the routes: it reads the corsRoute() markers from the app's routes, answers
  // preflights with the policy of the route the browser asks about, and sets headers before any route runs.
  const corsMiddleware = cors({
    origin: config.origins,
    credentials: true,
    allowedHeaders: ['content-type'],
    maxAge: 300,
    logger,
    onRefusal: ({ reason, request }) => {
      if (logger) logger.warn(`CORS ${request.method} ${request.origin ?? ''} refused [${reason.code}]: ${reason.message}`);
    },
  });
  app.use(corsMiddleware);
  // The "global guard" of /__stats: a middleware after cors() runs for every request cors() passes on, and never for
  // a preflight it answered.
  if (log) app.use((req: Request, _res: Response, next: NextFunction) => (log.guard('global', req), next()));

  app.get('/options', corsRoute({ origin: '*', credentials: false, inherit: false, exposedHeaders: ['X-List-Version'] }), (_req, res) => {
    res.set({ 'x-list-version': '3', 'cache-control': 'no-store' }).json({ topics: ['billing', 'support', 'sales'] });
  });

  app.post('/login', (_req, res) => {
    res.set('set-cookie', `${SESSION_COOKIE}=${randomUUID()}; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600`).json({ ok: true });
  });

  // The headers PATCH /form allows, so that its preflight answer can be cached: the browser caches it for the whole
  // URL, and a cached Authorization or X-App-Version would let a POST /form (a safelisted method) skip its preflight.
  app.post('/form', corsRoute({ allowedHeaders: ['authorization', 'x-app-version'] }), body, (req: Request, res: Response) => {
    res.status(201).json({ received: req.body ?? null, session: hasSessionCookie(req.get('cookie') ?? '') });
  });

  app.patch('/form', corsRoute({ allowedHeaders: ['authorization', 'x-app-version'] }), requireToken, body, (req: Request, res: Response, next: NextFunction) => {
    const appVersion = req.get('x-app-version') ?? '';
    if (appVersion === '') return next(fail(400, 'Send X-App-Version'));
    res.json({ updated: true, appVersion, message: (req.body as { message?: unknown } | undefined)?.message });
  });

  app.put('/draft', corsRoute({ maxAge: 0 }), body, (req: Request, res: Response) => void res.json({ saved: req.body ?? null }));

  app.post('/feedback', corsRoute({ allowedHeaders: '*', credentials: false }), body, (req: Request, res: Response) => void res.status(201).json({ received: req.body ?? null }));

  app.get('/internal', corsRoute(false), (_req, res) => void res.json({ internal: true }));

  app.get('/legacy', corsRoute({ origin: '*', credentials: true, strict: false }), (_req, res) => void res.json({ legacy: true }));

  const admin = corsRoute({ origin: [ADMIN_ORIGIN], inherit: false });
  app.get('/siblings', corsRoute({ allowedHeaders: ['x-app-version'] }), (_req, res) => void res.json({ read: true }));
  app.patch('/siblings', admin, (_req, res) => void res.json({ patched: true }));
  app.delete('/siblings', corsRoute(false), (_req, res) => void res.json({ deleted: true }));
  app.get('/siblings-post', corsRoute({ allowedHeaders: ['x-app-version'] }), (_req, res) => void res.json({ read: true }));
  app.post('/siblings-post', admin, (_req, res) => void res.json({ posted: true }));

  if (log) {
    app.get('/__stats', (_req, res) => void res.json(log.snapshot()));
    app.post('/__stats/reset', (_req, res) => {
      log.reset();
      res.status(204).end();
    });
  }

  // Errors answer with their status and message; the CORS headers set by cors() stay on the response.
  app.use((error: Error & { status?: number; statusCode?: number }, _req: Request, res: Response, _next: NextFunction) => {
    const status = error.status ?? error.statusCode ?? 500;
    res.status(status).json({ error: status >= 500 ? 'internal error' : error.message });
  });

  // Every route is registered: validate their policies now (the legacy route's warnings print at startup).
  corsMiddleware.build(app);
  return app;
}
