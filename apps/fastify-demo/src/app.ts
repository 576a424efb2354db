/**
 * The contact-form API on Fastify, with @polycors/fastify registered first and per-route policies in
 * `config: { cors }`:
 *
 *   GET   /options   public to any origin (`origin: '*'`, no credentials), exposes X-List-Version
 *   POST  /login     sets the session cookie (credentialed, front-end origins)
 *   POST  /form      JSON from the front-end origins, with credentials
 *   PATCH /form      Authorization: Bearer <token> (an onRequest auth hook) and X-App-Version
 *   PUT   /draft     preflights not cached (`maxAge: 0`): the control for the preflight cache
 *   POST  /feedback  any request header (`allowedHeaders: '*'`, no credentials), never Authorization
 *   GET   /internal  CORS off (`cors: false`)
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
import polycors, { type CorsLogger } from '@polycors/fastify';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';

export interface BuildOptions {
  /** Fastify's logger (refusals are logged through request.log at warn). Default: off. */
  logger?: FastifyServerOptions['logger'];
  /** Where polycors sends configuration warnings (the /legacy route's). Default: the Fastify logger. */
  corsLogger?: CorsLogger | false;
}

export async function buildApp(config: DemoConfig, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false });

  // DEMO_STATS: record every request before the CORS layer, so preflights are seen too.
  const log = config.stats ? new RequestLog() : undefined;
  if (log) {
    app.addHook('onRequest', (request, reply, done) => {
      log.record(request.raw, reply.raw);
      done();
    });
  }

  // Register polycors first: it answers preflights in its onRequest hook, before anything registered after it.
  await app.register(polycors, {
    origin: config.origins,
    credentials: true,
    allowedHeaders: ['content-type'],
    maxAge: 300,
    // Each refusal is logged with its reason code, at warn so it shows in the demo's terminal.
    refusalLogLevel: 'warn',
    ...(options.corsLogger !== undefined ? { logger: options.corsLogger } : {}),
  });

  // The "global guard" of /__stats: an onRequest hook added after polycors runs for every request polycors passes
  // on, and never for a preflight it answered.
  if (log) {
    app.addHook('onRequest', (request, _reply, done) => {
      log.guard('global', request.raw);
      done();
    });
  }

  const requireToken = async (request: FastifyRequest, reply: FastifyReply) => {
    log?.guard('auth', request.raw);
    if (request.headers.authorization !== `Bearer ${config.token}`) {
      return reply.code(401).send({ statusCode: 401, error: 'Unauthorized', message: 'Send Authorization: Bearer <token>' });
    }
  };

  app.get(
    '/options',
    { config: { cors: { origin: '*', credentials: false, inherit: false, exposedHeaders: ['X-List-Version'] } } },
    async (_request, reply) => {
      reply.header('x-list-version', '3').header('cache-control', 'no-store');
      return { topics: ['billing', 'support', 'sales'] };
    },
  );

  app.post('/login', async (_request, reply) => {
    reply.header('set-cookie', `${SESSION_COOKIE}=${randomUUID()}; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600`);
    return { ok: true };
  });

  // The headers PATCH /form allows, so that its preflight answer can be cached: the browser caches it for the whole
  // URL, and a cached Authorization or X-App-Version would let a POST /form (a safelisted method) skip its preflight.
  app.post('/form', { config: { cors: { allowedHeaders: ['authorization', 'x-app-version'] } } }, async (request, reply) => {
    const session = hasSessionCookie(request.headers.cookie);
    return reply.code(201).send({ received: request.body ?? null, session });
  });

  app.patch(
    '/form',
    { config: { cors: { allowedHeaders: ['authorization', 'x-app-version'] } }, onRequest: requireToken },
    async (request, reply) => {
      const appVersion = request.headers['x-app-version'];
      if (appVersion === undefined) return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: 'Send X-App-Version' });
      return { updated: true, appVersion, message: (request.body as { message?: unknown } | null)?.message };
    },
  );

  app.put('/draft', { config: { cors: { maxAge: 0 } } }, async (request) => ({ saved: request.body ?? null }));

  app.post('/feedback', { config: { cors: { allowedHeaders: '*', credentials: false } } }, async (request, reply) =>
    reply.code(201).send({ received: request.body ?? null }),
  );

  app.get('/internal', { config: { cors: false } }, async () => ({ internal: true }));

  app.get(
    '/legacy',
    { config: { cors: { origin: '*', credentials: true, strict: false } } },
    async () => ({ legacy: true }),
  );

  const admin = { origin: [ADMIN_ORIGIN], inherit: false } as const;
  app.get('/siblings', { config: { cors: { allowedHeaders: ['x-app-version'] } } }, async () => ({ read: true }));
  app.patch('/siblings', { config: { cors: admin } }, async () => ({ patched: true }));
  app.delete('/siblings', { config: { cors: false } }, async () => ({ deleted: true }));
  app.get('/siblings-post', { config: { cors: { allowedHeaders: ['x-app-version'] } } }, async () => ({ read: true }));
  app.post('/siblings-post', { config: { cors: admin } }, async () => ({ posted: true }));

  if (log) {
    app.get('/__stats', async () => log.snapshot());
    app.post('/__stats/reset', async (_request, reply) => {
      log.reset();
      return reply.code(204).send();
    });
  }

  return app;
}
