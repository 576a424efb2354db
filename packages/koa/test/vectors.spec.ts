/** The project's vectors (packages/core/test/vectors), through real HTTP: once as the global policy, once as a route's own policy. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Router from '@koa/router';
import Koa from 'koa';
import { loadConfigErrorVectors, loadRequestVectors, type RequestVector } from '../../core/test/vectors.js';
import { CorsConfigError, type KoaCorsOptions, cors, corsRoute } from '../src/index.js';
import { type Reply, type Running, send, start } from './helpers.js';

const requestVectors = loadRequestVectors();

async function ask(server: Running, path: string, vector: RequestVector): Promise<Reply> {
  const { request } = vector;
  return send(server, path, request.method, {
    origin: request.origin,
    'access-control-request-method': request.requestMethod,
    'access-control-request-headers': request.requestHeaders,
    'access-control-request-private-network': request.requestPrivateNetwork,
  });
}

function listOf(value: string | undefined): string[] {
  return (value ?? '').split(',').map((item) => item.trim()).filter(Boolean);
}

function check(reply: Reply, vector: RequestVector): void {
  const want = vector.expect;
  const reachedApp = reply.body === 'app';
  const kind = vector.request.method === 'OPTIONS' && vector.request.origin !== undefined && vector.request.requestMethod !== undefined ? 'preflight' : vector.request.origin === undefined ? 'not-cors' : 'actual';
  if (want.kind !== undefined) expect(kind).toBe(want.kind);
  if (kind === 'preflight') {
    expect(reachedApp).toBe(false);
    if (want.allowed !== undefined) expect(reply.status === 403 ? false : reply.status >= 200 && reply.status < 300).toBe(want.allowed);
  } else {
    expect(reachedApp).toBe(true);
    if (want.allowed !== undefined && kind === 'actual') expect(reply.header('access-control-allow-origin') !== undefined).toBe(want.allowed);
  }
  if (want.acao !== undefined) expect(reply.header('access-control-allow-origin') ?? null).toBe(want.acao);
  if (want.acac !== undefined) expect(reply.header('access-control-allow-credentials') === 'true').toBe(want.acac);
  if (want.varyOrigin !== undefined) expect(listOf(reply.header('vary')).map((t) => t.toLowerCase()).includes('origin')).toBe(want.varyOrigin);
  if (want.acamIncludes !== undefined) expect(listOf(reply.header('access-control-allow-methods'))).toContain(want.acamIncludes);
  if (want.acahIncludes !== undefined) {
    const allowed = listOf(reply.header('access-control-allow-headers')).map((name) => name.toLowerCase());
    for (const name of want.acahIncludes) expect(allowed).toContain(name.toLowerCase());
  }
}

describe('request vectors through HTTP', () => {
  const servers: { global: Running; route: Running }[] = [];

  beforeAll(async () => {
    for (const vector of requestVectors) {
      const options = { ...vector.options, logger: false } as KoaCorsOptions;
      const globalApp = new Koa();
      globalApp.use(cors(options));
      globalApp.use((ctx) => {
        ctx.body = 'app';
      });
      // The same policy as one route's own (replacing a global policy that allows nothing).
      const router = new Router();
      router.all('/v', corsRoute({ ...options, inherit: false }), (ctx) => {
        ctx.body = 'app';
      });
      const routeApp = new Koa();
      routeApp.use(cors({ origin: false, logger: false, router }));
      routeApp.use(router.routes());
      routeApp.use((ctx) => {
        ctx.body = 'app';
      });
      servers.push({ global: await start(globalApp), route: await start(routeApp) });
    }
  });

  afterAll(async () => {
    for (const { global, route } of servers) await Promise.all([global.close(), route.close()]);
  });

  it('has vectors to run', () => {
    expect(requestVectors.length).toBeGreaterThan(20);
  });

  it.each(requestVectors.map((vector, index) => [vector.name, index] as const))('%s (global policy)', async (_name, index) => {
    check(await ask(servers[index].global, '/v', requestVectors[index]), requestVectors[index]);
  });

  it.each(requestVectors.map((vector, index) => [vector.name, index] as const))('%s (route policy)', async (_name, index) => {
    check(await ask(servers[index].route, '/v', requestVectors[index]), requestVectors[index]);
  });
});

describe('config-error vectors, at cors() and at corsRoute()', () => {
  it.each(loadConfigErrorVectors().map((vector) => [vector.name, vector] as const))('%s', (_name, vector) => {
    const options = { ...vector.options, logger: false } as KoaCorsOptions;
    const router = new Router();
    router.post('/form', corsRoute({ ...options, inherit: false }), (ctx) => {
      ctx.body = 'app';
    });
    const attempts = [() => cors(options), () => cors({ origin: false, logger: false, router })];
    for (const attempt of attempts) {
      if (vector.error) {
        expect(attempt).toThrow(CorsConfigError);
      } else {
        expect(attempt).not.toThrow();
      }
    }
  });
});
