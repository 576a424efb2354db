import { afterEach, describe, expect, it } from '@jest/globals';
import Router from '@koa/router';
import Koa from 'koa';
import { type KoaCorsOptions, cors, corsRoute } from '../src/index.js';
import { closeAll, preflight, recordingLogger, send, start, varyTokens } from './helpers.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example';

afterEach(closeAll);

/** An app whose routes set CORS headers and Vary themselves, with an outer middleware that sets Vary after next(). */
async function serve(options: KoaCorsOptions = {}) {
  const logger = recordingLogger();
  const router = new Router();
  router.get('/set-vary', (ctx) => {
    ctx.set('Vary', 'Accept-Encoding');
    ctx.body = 'x';
  });
  router.get('/ctx-vary', (ctx) => {
    ctx.vary('Accept-Language');
    ctx.body = 'x';
  });
  router.get('/append-acao', (ctx) => {
    ctx.append('Access-Control-Allow-Origin', '*');
    ctx.body = 'x';
  });
  router.get('/set-acao', (ctx) => {
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('Access-Control-Allow-Credentials', 'false');
    ctx.body = 'x';
  });
  router.get('/expose', (ctx) => {
    ctx.set('Access-Control-Expose-Headers', 'x-page');
    ctx.body = 'x';
  });
  router.get('/off', corsRoute(false), (ctx) => {
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.body = 'x';
  });
  router.get('/events', (ctx) => {
    ctx.respond = false;
    ctx.res.writeHead(200, { 'content-type': 'text/event-stream' });
    ctx.res.end('data: one\n\n');
  });
  const app = new Koa();
  app.use(async (ctx, next) => {
    await next();
    if (ctx.path === '/outer-vary') ctx.set('Vary', 'Cookie');
  });
  app.use(cors({ origin: APP, credentials: true, exposeHeaders: ['x-total'], router, logger, ...options }));
  app.use(router.routes()).use(router.allowedMethods());
  return { server: await start(app), logger };
}

const acao = (reply: { headers: Record<string, string | string[] | undefined> }) => {
  const value = reply.headers['access-control-allow-origin'];
  return value === undefined ? [] : String(value).split(',').map((item) => item.trim());
};

describe('an app-set Vary keeps polycors’ tokens', () => {
  it('merges Origin into Vary set by ctx.set(), ctx.vary() or an outer middleware after next(), allowed or refused', async () => {
    const { server } = await serve();
    for (const path of ['/set-vary', '/ctx-vary', '/outer-vary']) {
      for (const origin of [APP, EVIL]) {
        const tokens = varyTokens(await send(server, path, 'GET', { origin }));
        expect([path, origin, tokens.includes('origin'), tokens.length]).toEqual([path, origin, true, 2]);
      }
    }
  });

  it('keeps the preflight’s Vary tokens when an outer middleware sets Vary on the answer', async () => {
    const { server } = await serve();
    for (const origin of [APP, EVIL]) {
      const reply = await preflight(server, '/outer-vary', origin, 'GET');
      expect(varyTokens(reply)).toEqual(expect.arrayContaining(['cookie', 'origin']));
    }
  });
});

describe('one Access-Control-Allow-Origin, polycors’', () => {
  it('sends polycors’ single value when a route appends or sets its own, and logs the conflict once per route', async () => {
    const { server, logger } = await serve();
    for (let i = 0; i < 3; i++) {
      expect(acao(await send(server, '/append-acao', 'GET', { origin: APP }))).toEqual([APP]);
      const set = await send(server, '/set-acao', 'GET', { origin: APP });
      expect(acao(set)).toEqual([APP]);
      expect(set.header('access-control-allow-credentials')).toBe('true');
    }
    const conflicts = logger.warnings.filter((warning) => warning.includes('[cors-header-conflict]'));
    expect(conflicts).toHaveLength(3); // append-acao: origin; set-acao: origin and credentials
    expect(conflicts.filter((warning) => warning.includes('access-control-allow-origin'))).toHaveLength(2);
  });

  it('sends no CORS headers to a refused origin, whatever the route set', async () => {
    const { server } = await serve();
    const reply = await send(server, '/set-acao', 'GET', { origin: EVIL });
    expect(reply.status).toBe(200);
    expect(acao(reply)).toEqual([]);
    expect(reply.header('access-control-allow-credentials')).toBeUndefined();
  });

  it('keeps the exposed headers a route adds beside the configured ones', async () => {
    const { server } = await serve();
    expect((await send(server, '/expose', 'GET', { origin: APP })).header('access-control-expose-headers')).toBe('x-page, x-total');
  });

  it('leaves a corsRoute(false) route to the app', async () => {
    const { server } = await serve();
    expect(acao(await send(server, '/off', 'GET', { origin: EVIL }))).toEqual(['*']);
  });

  it('carries the CORS headers on a response the route writes itself (ctx.respond = false)', async () => {
    const { server } = await serve();
    const reply = await send(server, '/events', 'GET', { origin: APP });
    expect(reply.body).toBe('data: one\n\n');
    expect(acao(reply)).toEqual([APP]);
    expect(reply.header('access-control-allow-credentials')).toBe('true');
    expect(varyTokens(reply)).toEqual(['origin']);
  });
});

describe('refusals are logged by default', () => {
  it('logs each refusal with the route and reason code through logger.warn', async () => {
    const { server, logger } = await serve();
    expect((await preflight(server, '/set-vary', EVIL, 'GET')).status).toBe(403);
    await send(server, '/set-vary', 'GET', { origin: EVIL });
    expect(logger.warnings).toEqual([
      expect.stringMatching(/^polycors: refused preflight OPTIONS \/set-vary for GET -> routes serving GET: origin-not-allowed: /),
      expect.stringMatching(/^polycors: refused actual GET \/set-vary -> routes serving GET: origin-not-allowed: /),
    ]);
  });

  it('does not log actual requests to a corsRoute(false) route, but does log its refused preflights', async () => {
    const { server, logger } = await serve();
    await send(server, '/off', 'GET', { origin: APP });
    expect(logger.warnings).toEqual([]);
    await preflight(server, '/off', APP, 'GET');
    expect(logger.warnings).toEqual([expect.stringContaining('cors-disabled')]);
  });

  it('is silent with logRefusals: false, which corsRoute() does not accept', async () => {
    const { server, logger } = await serve({ logRefusals: false });
    await preflight(server, '/set-vary', EVIL, 'GET');
    expect(logger.warnings).toEqual([]);
    const router = new Router();
    router.get('/x', corsRoute({ logRefusals: false } as never), (ctx) => void (ctx.body = 'x'));
    expect(() => cors({ origin: APP, router, logger: false })).toThrow(/'logRefusals' is an option of cors\(\)/);
  });
});

describe('a bad route added after cors()', () => {
  async function serveLate() {
    const logger = recordingLogger();
    const router = new Router();
    const reached: string[] = [];
    router.get('/good', (ctx) => void (ctx.body = 'good'));
    const app = new Koa();
    app.silent = true;
    app.use(cors({ origin: APP, router, logger }));
    app.use(async (ctx, next) => {
      reached.push(`${ctx.method} ${ctx.path}`);
      await next();
    });
    app.use(router.routes()).use(router.allowedMethods());
    // Added after cors() and never build(): read on the next request.
    router.patch('/bad', corsRoute({ origin: 'https://Admin.example.com' }), (ctx) => void (ctx.body = 'bad ran'));
    router.get(/^\/regexp$/, corsRoute(false), (ctx) => void (ctx.body = 'regexp ran'));
    return { server: await start(app), logger, reached };
  }

  it('fails its own requests and preflights only; other routes keep working', async () => {
    const { server, reached } = await serveLate();
    const good = await send(server, '/good', 'GET', { origin: APP });
    expect([good.status, good.body, good.header('access-control-allow-origin')]).toEqual([200, 'good', APP]);
    expect((await preflight(server, '/good', APP, 'GET')).status).toBe(204);
    const bad = await send(server, '/bad', 'PATCH', { origin: APP });
    expect(bad.status).toBe(500);
    expect(bad.body).not.toContain('bad ran');
    expect((await preflight(server, '/bad', APP, 'PATCH')).status).toBe(500);
    // A marker polycors cannot apply (RegExp path) fails its route rather than leaving it to the global policy.
    const regexp = await send(server, '/regexp', 'GET', { origin: APP });
    expect([regexp.status, regexp.body]).toEqual([500, 'Internal Server Error']);
    expect(reached).not.toContain('OPTIONS /bad');
    expect((await send(server, '/good', 'GET', { origin: APP })).status).toBe(200);
  });

  it('reports the problem once, loudly, naming the route', async () => {
    const { server, logger } = await serveLate();
    for (let i = 0; i < 3; i++) {
      await send(server, '/good', 'GET', { origin: APP });
      await send(server, '/bad', 'PATCH', { origin: APP });
    }
    expect(logger.errors).toHaveLength(1);
    expect(logger.errors[0]).toContain('PATCH /bad');
    expect(logger.errors[0]).toContain('origin-uppercase');
    expect(logger.errors[0]).toContain('Call build() at startup');
  });
});
