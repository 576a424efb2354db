import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { LoggerService } from '@nestjs/common';
import type { StatsSnapshot } from '@polycors/demo-kit';
import { describeDemoApiContract } from '@polycors/demo-kit/test-support';
import { type RunningDemo, loadConfig, startDemo } from '../src/app.js';

const FRONT = 'http://localhost:5173';
const UNTRUSTED = 'http://localhost:5174';

async function send(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  const response = await fetch(url, { method: init.method ?? 'GET', headers: init.headers, body: init.body });
  return { status: response.status, header: (name: string) => response.headers.get(name), body: await response.text(), cookies: response.headers.getSetCookie() };
}

describe('the environment contract', () => {
  it('defaults to port 3001, 127.0.0.1, the playground origins, demo-token, Express and no stats', () => {
    expect(loadConfig({})).toEqual({
      port: 3001,
      host: '127.0.0.1',
      origins: ['http://localhost:5173', 'http://127.0.0.1:5173'],
      token: 'demo-token',
      stats: false,
      adapter: 'express',
    });
  });

  it('reads PORT, HOST, CORS_ORIGINS, DEMO_TOKEN, DEMO_STATS and NEST_ADAPTER', () => {
    const config = loadConfig({ PORT: '4000', HOST: '127.0.0.1', CORS_ORIGINS: 'https://a.example, https://b.example', DEMO_TOKEN: 't', DEMO_STATS: '1', NEST_ADAPTER: 'fastify' });
    expect(config).toEqual({ port: 4000, host: '127.0.0.1', origins: ['https://a.example', 'https://b.example'], token: 't', stats: true, adapter: 'fastify' });
  });

  it('refuses an unknown adapter', () => {
    expect(() => loadConfig({ NEST_ADAPTER: 'koa' })).toThrow(/NEST_ADAPTER/);
  });
});

/** Collects what Nest logs at warn and above (startup warnings, CORS refusals). */
function collectingLogger(): LoggerService & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, log() {}, error: (message: unknown) => warnings.push(String(message)), warn: (message: unknown) => warnings.push(String(message)) };
}

for (const adapter of ['express', 'fastify'] as const) {
  describeDemoApiContract(
    `the demo API contract on Nest with ${adapter}`,
    async (config) => {
      const logger = collectingLogger();
      const demo = await startDemo({ ...config, adapter }, { logger });
      return { base: demo.url, warnings: logger.warnings, close: () => demo.close() };
    },
    {
      guards: 'global guard, auth guard',
      legacyWhere: 'LegacyController.legacy (GET /legacy)',
      refusalLog: /^refused preflight OPTIONS \/internal for GET -> InternalController\.\w+ \(GET \/internal\): cors-disabled: CORS is turned off for this route/,
    },
  );
}

describe.each(['express', 'fastify'] as const)('the contact-form API on %s', (adapter) => {
  let demo: RunningDemo;
  const logger = collectingLogger();
  beforeAll(async () => {
    demo = await startDemo({ adapter, port: 0, host: '127.0.0.1', stats: true, origins: [FRONT], token: 'secret' }, { logger });
  });
  const stats = async () => JSON.parse((await send(`${demo.url}/__stats`)).body) as StatsSnapshot;
  afterAll(() => demo.close());
  beforeEach(async () => {
    await send(`${demo.url}/__stats/reset`, { method: 'POST' });
  });

  it('sets a session cookie on POST /login and accepts credentialed JSON on POST /form from the front end', async () => {
    const login = await send(`${demo.url}/login`, { method: 'POST', headers: { origin: FRONT } });
    expect(login.header('access-control-allow-origin')).toBe(FRONT);
    expect(login.header('access-control-allow-credentials')).toBe('true');
    const cookie = login.cookies[0]?.split(';')[0] ?? '';
    expect(cookie).toMatch(/^session=/);
    expect(login.cookies[0]).toMatch(/SameSite=Lax/);
    const pre = await send(`${demo.url}/form`, { method: 'OPTIONS', headers: { origin: FRONT, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(pre.status).toBe(204);
    expect(pre.header('access-control-max-age')).toBe('300');
    const post = await send(`${demo.url}/form`, { method: 'POST', headers: { origin: FRONT, 'content-type': 'application/json', cookie }, body: '{"name":"Ada","message":"Hi"}' });
    expect(post.status).toBe(201);
    expect(JSON.parse(post.body)).toEqual({ received: { name: 'Ada', message: 'Hi' }, session: true });
    expect(post.header('access-control-allow-credentials')).toBe('true');
  });

  it('answers the PATCH /form preflight (cached 300 s) without running a guard, then guards the PATCH', async () => {
    const pre = await send(`${demo.url}/form?run=1`, {
      method: 'OPTIONS',
      headers: { origin: FRONT, 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization,content-type,x-app-version' },
    });
    expect(pre.status).toBe(204);
    expect(pre.header('access-control-max-age')).toBe('300');
    const unauthorized = await send(`${demo.url}/form?run=1`, { method: 'PATCH', headers: { origin: FRONT, 'x-app-version': '1.4.2' } });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.header('access-control-allow-origin')).toBe(FRONT);
    const ok = await send(`${demo.url}/form?run=1`, {
      method: 'PATCH',
      headers: { origin: FRONT, authorization: 'Bearer secret', 'x-app-version': '1.4.2', 'content-type': 'application/json' },
      body: '{"message":"Edited"}',
    });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ updated: true, appVersion: '1.4.2', message: 'Edited' });
    const missingVersion = await send(`${demo.url}/form`, { method: 'PATCH', headers: { origin: FRONT, authorization: 'Bearer secret' } });
    expect(missingVersion.status).toBe(400);
    expect(missingVersion.header('access-control-allow-origin')).toBe(FRONT);

    const seen = await stats();
    expect(seen.guardRuns).toEqual({ global: 3, auth: 3 });
    expect(seen.requests.filter((request) => request.url === '/form?run=1').map((request) => [request.method, request.preflight, request.guards, request.status])).toEqual([
      ['OPTIONS', true, [], 204],
      ['PATCH', false, ['global', 'auth'], 401],
      ['PATCH', false, ['global', 'auth'], 200],
    ]);
  });

  it('refuses the PATCH preflight from an origin that is not the front end, without running a guard', async () => {
    const pre = await send(`${demo.url}/form`, { method: 'OPTIONS', headers: { origin: UNTRUSTED, 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization' } });
    expect(pre.status).toBe(403);
    expect(pre.header('access-control-allow-origin')).toBeNull();
    expect((await stats()).guardRuns).toEqual({ global: 0, auth: 0 });
  });

  it('keeps GET /internal same-origin only (@Cors(false))', async () => {
    const reply = await send(`${demo.url}/internal`, { headers: { origin: FRONT } });
    expect(reply.status).toBe(200);
    expect(reply.header('access-control-allow-origin')).toBeNull();
  });

  it('lets the playground read /__stats from its origin', async () => {
    const reply = await send(`${demo.url}/__stats`, { headers: { origin: FRONT } });
    expect(reply.header('access-control-allow-origin')).toBe('*');
  });

  it('serves PUT /draft with preflights that are never cached (maxAge: 0)', async () => {
    const pre = await send(`${demo.url}/draft`, { method: 'OPTIONS', headers: { origin: FRONT, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' } });
    expect(pre.status).toBe(204);
    expect(pre.header('access-control-max-age')).toBe('0');
    expect(pre.header('access-control-allow-credentials')).toBe('true');
    const put = await send(`${demo.url}/draft`, { method: 'PUT', headers: { origin: FRONT, 'content-type': 'application/json' }, body: '{"draft":"x"}' });
    expect(put.status).toBe(200);
    expect(JSON.parse(put.body)).toEqual({ saved: { draft: 'x' } });
  });

  it('allows any request header but Authorization on POST /feedback (allowedHeaders: *), without credentials', async () => {
    const pre = await send(`${demo.url}/feedback`, { method: 'OPTIONS', headers: { origin: FRONT, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-anything' } });
    expect(pre.status).toBe(204);
    expect(pre.header('access-control-allow-origin')).toBe(FRONT);
    expect(pre.header('access-control-allow-headers')).toBe('*');
    expect(pre.header('access-control-allow-credentials')).toBeNull();
    const withAuthorization = await send(`${demo.url}/feedback`, {
      method: 'OPTIONS',
      headers: { origin: FRONT, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(withAuthorization.status).toBe(403);
    const post = await send(`${demo.url}/feedback`, { method: 'POST', headers: { origin: FRONT, 'content-type': 'application/json' }, body: '{"stars":5}' });
    expect(post.status).toBe(201);
    expect(JSON.parse(post.body)).toEqual({ received: { stars: 5 } });
  });
});
