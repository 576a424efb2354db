/**
 * The contact-form API on Koa: @koa/router routes, `corsRoute()` markers for per-route policies, and one global
 * `cors({ ..., router })` middleware (used before the router) that applies them, preflights included:
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
import { ADMIN_ORIGIN, type DemoConfig, hasSessionCookie, RequestLog, SESSION_COOKIE } from '@polycors/demo-kit';
import { cors, corsRoute } from '@polycors/koa';
import Router from '@koa/router';
import Koa, { type Context, type Next } from 'koa';

export interface BuildOptions {
  /** Where refusals and configuration warnings go. Default: console. */
  logger?: { warn(message: string): void; error(message: string, error?: unknown): void } | false;
}

const BODY_LIMIT = 16 * 1024;

/** A small JSON body reader (the demo keeps its dependencies to Koa and @koa/router). */
async function readBody(ctx: Context): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT) ctx.throw(413, 'body too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return null;
  if (!ctx.is('application/json')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return ctx.throw(400, 'invalid JSON');
  }
}

export function buildApp(config: DemoConfig, options: BuildOptions = {}): Koa {
  const app = new Koa();
  const router = new Router();
  const log = config.stats ? new RequestLog() : undefined;
  const logger = options.logger ?? console;

  const requireToken = async (ctx: Context, next: Next) => {
    log?.guard('auth', ctx.req);
    if (ctx.get('authorization') !== `Bearer ${config.token}`) ctx.throw(401, 'Send Authorization: Bearer <token>');
    await next();
  };

  router.get('/options', corsRoute({ origin: '*', credentials: false, inherit: false, exposedHeaders: ['X-List-Version'] }), (ctx) => {
    ctx.set({ 'x-list-version': '3', 'cache-control': 'no-store' });
    ctx.body = { topics: ['billing', 'support', 'sales'] };
  });

  router.post('/login', (ctx) => {
    ctx.set('set-cookie', `${SESSION_COOKIE}=${randomUUID()}; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600`);
    ctx.body = { ok: true };
  });

  // The headers PATCH /form allows, so that its preflight answer can be cached: the browser caches it for the whole
  // URL, and a cached Authorization or X-App-Version would let a POST /form (a safelisted method) skip its preflight.
  router.post('/form', corsRoute({ allowedHeaders: ['authorization', 'x-app-version'] }), async (ctx) => {
    const session = hasSessionCookie(ctx.get('cookie'));
    ctx.status = 201;
    ctx.body = { received: await readBody(ctx), session };
  });

  router.patch('/form', corsRoute({ allowedHeaders: ['authorization', 'x-app-version'] }), requireToken, async (ctx) => {
    const appVersion = ctx.get('x-app-version');
    if (appVersion === '') ctx.throw(400, 'Send X-App-Version');
    ctx.body = { updated: true, appVersion, message: ((await readBody(ctx)) as { message?: unknown } | null)?.message };
  });

  router.put('/draft', corsRoute({ maxAge: 0 }), async (ctx) => {
    ctx.body = { saved: await readBody(ctx) };
  });

  router.post('/feedback', corsRoute({ allowedHeaders: '*', credentials: false }), async (ctx) => {
    ctx.status = 201;
    ctx.body = { received: await readBody(ctx) };
  });

  router.get('/internal', corsRoute(false), (ctx) => {
    ctx.body = { internal: true };
  });

  router.get('/legacy', corsRoute({ origin: '*', credentials: true, strict: false }), (ctx) => {
    ctx.body = { legacy: true };
  });

  const admin = corsRoute({ origin: [ADMIN_ORIGIN], inherit: false });
  router.get('/siblings', corsRoute({ allowedHeaders: ['x-app-version'] }), (ctx) => {
    ctx.body = { read: true };
  });
  router.patch('/siblings', admin, (ctx) => {
    ctx.body = { patched: true };
  });
  router.delete('/siblings', corsRoute(false), (ctx) => {
    ctx.body = { deleted: true };
  });
  router.get('/siblings-post', corsRoute({ allowedHeaders: ['x-app-version'] }), (ctx) => {
    ctx.body = { read: true };
  });
  router.post('/siblings-post', admin, (ctx) => {
    ctx.body = { posted: true };
  });

  if (log) {
    router.get('/__stats', (ctx) => {
      ctx.body = log.snapshot();
    });
    router.post('/__stats/reset', (ctx) => {
      log.reset();
      ctx.status = 204;
    });
    // DEMO_STATS: record every request before the CORS layer, so preflights are seen too.
    app.use(async (ctx, next) => {
      log.record(ctx.req, ctx.res);
      await next();
    });
  }

  // One global middleware, before the router: it reads the corsRoute() markers from the router's routes, answers
  // preflights with the policy of the route the browser asks about, and sets headers before any route runs.
  app.use(
    cors({
      origin: config.origins,
      credentials: true,
      allowedHeaders: ['content-type'],
      maxAge: 300,
      router,
      logger,
      onRefusal: ({ reason, request }) => {
        if (logger) logger.warn(`CORS ${request.method} ${request.origin ?? ''} refused [${reason.code}]: ${reason.message}`);
      },
    }),
  );
  // The "global guard" of /__stats: a middleware after cors() runs for every request cors() passes on, and never for
  // a preflight it answered.
  if (log) {
    app.use(async (ctx, next) => {
      log.guard('global', ctx.req);
      await next();
    });
  }
  app.use(router.routes()).use(router.allowedMethods());
  return app;
}
