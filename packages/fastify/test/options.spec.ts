import { describe, expect, it } from '@jest/globals';
import { CorsConfigError } from '@polycors/core';
import Fastify from 'fastify';
import polycors from '../src/index.js';
import { collectingLogger, preflight, useServers } from './helpers.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example.net';

const start = useServers();

describe('configuration checked at startup', () => {
  it('refuses a route override that would allow any origin with credentials, naming the route', async () => {
    const app = Fastify();
    await app.register(polycors, { origin: [APP], credentials: true });
    app.get('/reports', { config: { cors: { origin: '*' } } }, async function listReports() {
      return [];
    });
    const error = await app.ready().then(() => undefined, (failure: unknown) => failure);
    expect(error).toBeInstanceOf(CorsConfigError);
    expect((error as Error).message).toContain('route GET /reports (listReports)');
    expect((error as CorsConfigError).problems.map((p) => p.code)).toContain('origin-any-with-credentials');
    await app.close();
  });

  it('lists the problems of every route at once', async () => {
    const app = Fastify();
    await app.register(polycors, { origin: [APP] });
    app.get('/a', { config: { cors: { maxAge: -1 } } }, async () => 'a');
    app.get('/b', { config: { cors: { origin: 'https://B.example.com/' } } }, async () => 'b');
    const error = (await app.ready().then(() => undefined, (failure: unknown) => failure)) as CorsConfigError;
    expect(error.problems.map((p) => p.path.split(':')[0])).toEqual(expect.arrayContaining(['route GET /a', 'route GET /b']));
    await app.close();
  });

  it("names each route's problem once, at the index the route wrote, with the browser's spelling as the fix", async () => {
    const app = Fastify();
    await app.register(polycors, { origin: [APP, 'https://other.example.com'] });
    app.get('/b', { config: { cors: { origin: ['https://ok.example.com', 'https://B.example.com/'], maxAge: -1 } } }, async () => 'b');
    const error = (await app.ready().then(() => undefined, (failure: unknown) => failure)) as CorsConfigError;
    // Not once more for the HEAD route Fastify adds, and not origin[3] of the merged list.
    expect(error.problems.map((p) => `${p.path} ${p.code}`)).toEqual([
      'route GET /b: config.cors.origin[1] origin-trailing-slash',
      'route GET /b: config.cors.origin[1] origin-uppercase',
      'route GET /b: config.cors.maxAge max-age-range',
    ]);
    expect(error.message).toContain("browsers send 'https://b.example.com'");
    await app.close();
  });

  it('with strict: false, warns about a plugin origin once, not again for each route that merges its own', async () => {
    const warnings: string[] = [];
    const app = Fastify();
    await app.register(polycors, { strict: false, origin: ['https://A.example.com'], logger: { warn: (m) => warnings.push(m), error: () => {} } });
    app.get('/x', { config: { cors: { origin: ['https://ok.example.com', 'https://Y.example.com'] } } }, async () => 'x');
    app.get('/y', { config: { cors: { origin: ['https://ok.example.com'] } } }, async () => 'y');
    await app.ready();
    expect(warnings.filter((w) => w.includes("'https://A.example.com'"))).toHaveLength(1);
    expect(warnings.filter((w) => w.includes("'https://Y.example.com'"))).toEqual([expect.stringContaining('route GET /x: config.cors.origin[1]: ')]);
    await app.close();
  });

  it('suggests the option meant by a typo in config.cors, and lists cacheControl among the known options', async () => {
    const app = Fastify();
    await app.register(polycors, { origin: [APP] });
    app.get('/typo', { config: { cors: { orgin: APP } as never } }, async () => 'x');
    app.get('/unknown', { config: { cors: { somethingElse: 1 } as never } }, async () => 'x');
    const error = (await app.ready().then(() => undefined, (failure: unknown) => failure)) as CorsConfigError;
    const messages = error.problems.map((p) => `${p.path}: ${p.message}`);
    expect(messages).toContainEqual(expect.stringMatching(/^route GET \/typo: config\.cors\.orgin: unknown option 'orgin'; did you mean 'origin'\?$/));
    expect(messages).toContainEqual(expect.stringMatching(/^route GET \/unknown: config\.cors\.somethingElse: unknown option 'somethingElse'; known options: .*\bcacheControl\b/));
    expect(messages).toHaveLength(2);
    await app.close();
  });

  it('refuses plugin options without an origin in strict mode', async () => {
    const app = Fastify();
    await expect(app.register(polycors, {})).rejects.toThrow(/no 'origin' configured/);
  });

  it('refuses an unknown hook and plugin-only options in a route config', async () => {
    await expect(Fastify().register(polycors, { origin: APP, hook: 'onSend' as 'onRequest' })).rejects.toThrow(/hook must be one of/);
    const app = Fastify();
    await app.register(polycors, { origin: [APP] });
    app.get('/x', { config: { cors: { hook: 'preHandler' } as never } }, async () => 'x');
    await expect(app.ready()).rejects.toThrow(/'hook' is a plugin option/);
  });

  it("starts @fastify/cors's unsafe defaults with warnings when strict is false", async () => {
    const warnings: string[] = [];
    const { send } = await start(async (app) => {
      await app.register(polycors, { strict: false, logger: { warn: (m) => warnings.push(m), error: () => {} } });
      app.get('/', async () => 'ok');
    });
    const response = await send('GET', '/', { origin: EVIL });
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(warnings.join('\n')).toMatch(/no 'origin' configured; allowing every origin/);
    // Reported once, not once per route.
    expect(warnings.filter((w) => w.includes("no 'origin'")).length).toBe(1);
  });

  it('never sends * with credentials even with strict: false', async () => {
    const { send } = await start(async (app) => {
      await app.register(polycors, { strict: false, origin: '*', credentials: true, logger: false });
      app.get('/', async () => 'ok');
    });
    const response = await send('GET', '/', { origin: EVIL });
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
  });
});

describe('refusals are logged', () => {
  it('logs the reason code and message through request.log at the configured level', async () => {
    const { logger, lines } = collectingLogger('debug');
    const { send } = await start(async (app) => {
      await app.register(polycors, { origin: [APP], refusalLogLevel: 'warn' });
      app.put('/doc', async () => 'ok');
    }, { logger });
    await send('OPTIONS', '/doc', preflight(EVIL, 'PUT'));
    const refusal = lines.find((line) => (line as { cors?: unknown }).cors) as { level: number; msg: string; cors: { code: string }; reqId: string };
    expect(refusal.level).toBe(40);
    expect(refusal.cors.code).toBe('origin-not-allowed');
    expect(refusal.msg).toContain(`origin '${EVIL}' is not allowed`);
    expect(refusal.reqId).toBeDefined();
  });

  it('is silent with refusalLogLevel: false', async () => {
    const { logger, lines } = collectingLogger('trace');
    const { send } = await start(async (app) => {
      await app.register(polycors, { origin: [APP], refusalLogLevel: false });
      app.get('/doc', async () => 'ok');
    }, { logger });
    await send('GET', '/doc', { origin: EVIL });
    expect(lines.some((line) => (line as { cors?: unknown }).cors)).toBe(false);
  });
});

describe('@fastify/cors options', () => {
  it('accepts (origin, callback) origin functions with the Fastify instance as this', async () => {
    let self: unknown;
    const { send, app } = await start(async (instance) => {
      await instance.register(polycors, {
        origin(origin, callback) {
          self = this;
          setImmediate(() => callback(null, origin.endsWith('.example.com')));
        },
      });
      instance.get('/', async () => 'ok');
    });
    expect((await send('GET', '/', { origin: APP })).headers['access-control-allow-origin']).toBe(APP);
    expect((await send('GET', '/', { origin: EVIL })).headers['access-control-allow-origin']).toBeUndefined();
    expect(self).toBe(app);
  });

  it('accepts Promise origin functions that answer with a rule', async () => {
    const { send } = await start(async (app) => {
      await app.register(polycors, { origin: async () => [/^https:\/\/app\.example\.com$/] });
      app.get('/', async () => 'ok');
    });
    expect((await send('GET', '/', { origin: APP })).headers['access-control-allow-origin']).toBe(APP);
    expect((await send('GET', '/', { origin: EVIL })).headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses (fail closed) when an origin function throws, and the request still reaches the app', async () => {
    const errors: string[] = [];
    const { send } = await start(async (app) => {
      await app.register(polycors, {
        origin: async () => {
          throw new Error('directory down');
        },
        logger: { warn: () => {}, error: (message) => errors.push(message) },
      });
      app.get('/', async () => 'ok');
    });
    const response = await send('GET', '/', { origin: APP });
    expect([response.status, response.headers['access-control-allow-origin']]).toEqual([200, undefined]);
    expect(errors[0]).toMatch(/origin function failed/);
  });

  it('sends cacheControl, maxAge and optionsSuccessStatus on answered preflights', async () => {
    const { send } = await start(async (app) => {
      await app.register(polycors, { origin: [APP], cacheControl: 600, maxAge: 600, optionsSuccessStatus: 200 });
      app.get('/', async () => 'ok');
    });
    const response = await send('OPTIONS', '/', preflight(APP, 'GET'));
    expect([response.status, response.headers['cache-control'], response.headers['access-control-max-age']]).toEqual([200, 'max-age=600', '600']);
  });

  it('hands an allowed preflight to the app with preflightContinue', async () => {
    const { send } = await start(async (app) => {
      await app.register(polycors, { origin: [APP], preflightContinue: true });
      app.get('/', async () => 'ok');
      app.options('/', async () => 'from the app');
    });
    const response = await send('OPTIONS', '/', preflight(APP, 'GET'));
    expect([response.status, response.body, response.headers['access-control-allow-origin']]).toEqual([200, 'from the app', APP]);
  });

  it('uses a delegator per request, compiling each returned options object once, with route config on top', async () => {
    const partner = { origin: ['https://partner.example.org'] };
    const standard = { origin: [APP] };
    const { send } = await start(async (app) => {
      await app.register(polycors, { delegator: (request) => (request.headers['x-tenant'] === 'partner' ? partner : standard) });
      app.get('/', async () => 'ok');
      app.get('/off', { config: { cors: false } }, async () => 'off');
    });
    const asPartner = await send('GET', '/', { origin: 'https://partner.example.org', 'x-tenant': 'partner' });
    expect(asPartner.headers['access-control-allow-origin']).toBe('https://partner.example.org');
    expect((await send('GET', '/', { origin: 'https://partner.example.org' })).headers['access-control-allow-origin']).toBeUndefined();
    expect((await send('GET', '/off', { origin: APP })).headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sets actual-request headers in the configured hook', async () => {
    const { send } = await start(async (app) => {
      await app.register(polycors, { origin: [APP], hook: 'preHandler' });
      app.addHook('onRequest', async (_request, reply) => reply.code(401).send('no'));
      app.get('/', async () => 'ok');
    });
    // preHandler never runs after a 401 from onRequest: the reason the default is onRequest.
    expect((await send('GET', '/', { origin: APP })).headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('hostile requests', () => {
  it('refuses a megabyte of Access-Control-Request-Headers without trouble', async () => {
    // inject(): Node's HTTP parser would stop a megabyte of headers before Fastify sees them.
    const app = Fastify();
    await app.register(polycors, { origin: [APP], logger: false });
    app.get('/', async () => 'ok');
    const response = await app.inject({ method: 'OPTIONS', url: '/', headers: preflight(APP, 'GET', ','.repeat(1024 * 1024)) });
    expect(response.statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/', headers: { origin: APP } })).statusCode).toBe(200);
    await app.close();
  });

  it('survives odd methods and paths in preflights', async () => {
    const { send } = await start(async (app) => {
      await app.register(polycors, { origin: [APP] });
      app.get('/users/:id', async () => 'ok');
    });
    for (const [method, path] of [['__proto__', '/users/1'], ['constructor', '/'], ['GET', '/users/%E0%A4%A'], ['GET', `/users/${'x'.repeat(5000)}`]]) {
      const response = await send('OPTIONS', path, preflight(APP, method));
      expect([method, response.status < 500]).toEqual([method, true]);
    }
  });
});

describe('routes registered before polycors', () => {
  it('fail at startup in strict mode, each named with the fix', async () => {
    const app = Fastify();
    app.register(polycors, { origin: [APP] }); // not awaited: the routes below are added first
    app.get('/early', { config: { cors: false } }, async () => 'ok');
    app.patch('/early', async () => 'ok');
    app.register(async (child) => child.delete('/items/:id', async () => 'gone'), { prefix: '/api' });
    app.after(() => app.get('/after', async () => 'seen'));
    const error = (await app.ready().then(() => undefined, (e: unknown) => e)) as CorsConfigError;
    await app.close();
    expect(error).toBeInstanceOf(CorsConfigError);
    expect(error.problems.map((problem) => problem.path)).toEqual(['route GET,PATCH /early']);
    expect(error.problems[0].code).toBe('route-registered-before-cors');
    expect(error.message).toContain('await fastify.register(polycors, options)');
  });

  it('names routes of a plugin registered before polycors', async () => {
    const app = Fastify();
    app.register(async (health) => health.get('/health', async () => 'ok'));
    await app.register(polycors, { origin: [APP] });
    app.get('/seen', async () => 'ok');
    const error = (await app.ready().then(() => undefined, (e: unknown) => e)) as CorsConfigError;
    await app.close();
    expect(error.problems.map((problem) => problem.path)).toEqual(['route GET /health']);
  });

  it('are warnings with strict: false, and still get their own policy on actual requests', async () => {
    const { logger, lines } = collectingLogger('warn');
    const { send } = await start(async (app) => {
      app.register(polycors, { origin: [APP], strict: false });
      app.get('/early', { config: { cors: { origin: 'https://early.example.com' } } }, async () => 'ok');
    }, { logger });
    const warnings = lines.filter((line) => String(line.msg).includes('[route-registered-before-cors]'));
    expect(warnings.map((line) => String(line.msg).split(':')[1].trim())).toEqual(['route GET /early']);
    expect((await send('GET', '/early', { origin: 'https://early.example.com' })).headers['access-control-allow-origin']).toBe('https://early.example.com');
  });

  it('are not reported when polycors is registered first, whatever the router options and prefixes', async () => {
    for (const options of [{}, { routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, ignoreDuplicateSlashes: true } }]) {
      const app = Fastify(options);
      await app.register(polycors, { origin: [APP] });
      app.get('/Form/', async () => 'x');
      app.get('/users/:id(^\\d+$)', async () => 'x');
      app.get('/a//b', async () => 'x');
      app.get('/v', { constraints: { version: '1.2.0' } }, async () => 'x');
      app.get('/v', async () => 'x');
      app.options('/own-options', async () => 'x');
      for (const prefixTrailingSlash of ['both', 'slash', 'no-slash'] as const) {
        app.register(async (api) => {
          api.get('/', { prefixTrailingSlash }, async () => 'x');
          api.get('/*', async () => 'x');
        }, { prefix: `/api-${prefixTrailingSlash}` });
      }
      await expect(app.ready()).resolves.toBeDefined();
      await app.close();
    }
  });

  it('are not reported outside the prefix polycors is registered under', async () => {
    const app = Fastify();
    app.register(async (web) => web.get('/page', async () => 'page'), { prefix: '/web' });
    app.register(async (api) => {
      await api.register(polycors, { origin: [APP] });
      api.get('/items', async () => 'items');
    }, { prefix: '/api' });
    await expect(app.ready()).resolves.toBeDefined();
    await app.close();
  });
});
