/** The project's vectors (packages/core/test/vectors), over real HTTP: as the plugin's policy and as a route's own. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CORS_DEFAULTS, CorsConfigError, type CorsOptions } from '@polycors/core';
import Fastify from 'fastify';
import polycors from '../src/index.js';
import { type RequestVector, loadConfigErrorVectors, loadRequestVectors } from '../../core/test/vectors.js';
import { type HttpResponse, type Served, serve } from './helpers.js';

const vectors = loadRequestVectors();

function headersOf(vector: RequestVector): Record<string, string> {
  const { request } = vector;
  const headers: Record<string, string> = {};
  if (request.origin !== undefined) headers.origin = request.origin;
  if (request.requestMethod !== undefined) headers['access-control-request-method'] = request.requestMethod;
  if (request.requestHeaders !== undefined) headers['access-control-request-headers'] = request.requestHeaders;
  if (request.requestPrivateNetwork !== undefined) headers['access-control-request-private-network'] = request.requestPrivateNetwork;
  return headers;
}

function list(value: string | string[] | undefined): string[] {
  return String(value ?? '').split(',').map((item) => item.trim()).filter(Boolean);
}

/** `routed`: a route serves the path (without one, Fastify's own OPTIONS handling answers a plain OPTIONS). */
function check(response: HttpResponse, vector: RequestVector, routed: boolean): void {
  const { request, expect: want } = vector;
  const isPreflight = request.method === 'OPTIONS' && request.requestMethod !== undefined && request.origin !== undefined;
  const acao = response.headers['access-control-allow-origin'] ?? null;
  if (routed || request.method !== 'OPTIONS') expect(response.body === 'app').toBe(!isPreflight);
  if (want.allowed !== undefined && isPreflight) expect(response.status).toBe(want.allowed ? 204 : 403);
  if (want.allowed !== undefined && !isPreflight && request.origin !== undefined) expect(acao !== null).toBe(want.allowed);
  if (want.acao !== undefined) expect(acao).toBe(want.acao);
  if (want.acac !== undefined) expect(response.headers['access-control-allow-credentials'] === 'true').toBe(want.acac);
  if (want.varyOrigin !== undefined) expect(list(response.headers.vary).map((token) => token.toLowerCase()).includes('origin')).toBe(want.varyOrigin);
  if (want.acamIncludes !== undefined) expect(list(response.headers['access-control-allow-methods'])).toContain(want.acamIncludes);
  if (want.acahIncludes !== undefined) {
    const allowed = list(response.headers['access-control-allow-headers']).map((name) => name.toLowerCase());
    for (const name of want.acahIncludes) expect(allowed.includes(name.toLowerCase()) || allowed.includes('*')).toBe(true);
  }
}

describe('request vectors over HTTP', () => {
  const servers: { plugin: Served; route: Served }[] = [];

  beforeAll(async () => {
    for (const vector of vectors) {
      const options = { ...vector.options } as CorsOptions;
      // The plugin's policy (no route serves /vector, so it answers with core's default methods).
      const plugin = await serve(async (app) => {
        await app.register(polycors, { ...options, logger: false, methods: options.methods ?? [...CORS_DEFAULTS.methods] } as never);
        app.setNotFoundHandler(async () => 'app');
      });
      // The same policy as one route's own, under a plugin policy that allows nothing.
      const route = await serve(async (app) => {
        await app.register(polycors, { origin: false, logger: false });
        app.all('/vector', { config: { cors: { ...options, inherit: false, methods: options.methods ?? [...CORS_DEFAULTS.methods] } } }, async () => 'app');
      });
      servers.push({ plugin, route });
    }
  });

  afterAll(async () => {
    for (const { plugin, route } of servers) await Promise.all([plugin.close(), route.close()]);
  });

  it('has vectors to run', () => {
    expect(vectors.length).toBeGreaterThan(20);
  });

  it.each(vectors.map((vector, index) => [vector.name, index] as const))('%s (plugin policy)', async (_name, index) => {
    check(await servers[index].plugin.send(vectors[index].request.method, '/vector', headersOf(vectors[index])), vectors[index], false);
  });

  it.each(vectors.map((vector, index) => [vector.name, index] as const))('%s (route policy)', async (_name, index) => {
    check(await servers[index].route.send(vectors[index].request.method, '/vector', headersOf(vectors[index])), vectors[index], true);
  });
});

describe('config-error vectors, at the plugin and in a route config', () => {
  async function startupError(register: (app: ReturnType<typeof Fastify>) => void | Promise<void>): Promise<unknown> {
    const app = Fastify();
    try {
      await register(app);
      await app.ready();
      return undefined;
    } catch (error) {
      return error;
    } finally {
      await app.close();
    }
  }

  it.each(loadConfigErrorVectors().map((vector) => [vector.name, vector] as const))('%s', async (_name, vector) => {
    const options = { ...vector.options } as CorsOptions;
    const attempts = [
      () => startupError((app) => app.register(polycors, { ...options, logger: false } as never)),
      () => startupError(async (app) => {
        await app.register(polycors, { origin: false, logger: false });
        app.post('/form', { config: { cors: { ...options, inherit: false } } }, async () => 'app');
      }),
    ];
    for (const attempt of attempts) {
      const error = await attempt();
      if (vector.error) expect(error).toBeInstanceOf(CorsConfigError);
      else expect(error).toBeUndefined();
    }
  });
});
