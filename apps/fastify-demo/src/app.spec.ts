import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { StatsSnapshot } from '@polycors/demo-kit';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';

const FRONT = 'http://localhost:5173';
const OTHER = 'https://elsewhere.example';

describe('the Fastify demo API', () => {
  let app: FastifyInstance;
  let base: string;
  const warnings: string[] = [];

  beforeAll(async () => {
    const corsLogger = { warn: (message: string) => warnings.push(message), error: (message: string) => warnings.push(message) };
    app = await buildApp({ port: 0, host: '127.0.0.1', origins: [FRONT], token: 't0k3n', stats: true }, { corsLogger });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    await app.close();
  });

  const preflight = (path: string, origin: string, method: string, headers = '') =>
    fetch(`${base}${path}`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': method, ...(headers ? { 'access-control-request-headers': headers } : {}) },
    });

  const stats = async () => (await (await fetch(`${base}/__stats`)).json()) as StatsSnapshot;

  it('answers the PATCH /form preflight itself: no guard (global hook, auth hook) runs for it', async () => {
    await fetch(`${base}/__stats/reset`, { method: 'POST' });
    const response = await preflight('/form?t=1', FRONT, 'PATCH', 'authorization,content-type,x-app-version');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(FRONT);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-max-age')).toBe('300');
    const seen = await stats();
    expect(seen.guardRuns).toEqual({ global: 0, auth: 0 });
    expect(seen.requests).toEqual([expect.objectContaining({ method: 'OPTIONS', url: '/form?t=1', preflight: true, guards: [], status: 204 })]);
  });

  it('records the guards that ran for the PATCH in /__stats', async () => {
    await fetch(`${base}/__stats/reset`, { method: 'POST' });
    await fetch(`${base}/form?t=2`, { method: 'PATCH', headers: { origin: FRONT, 'x-app-version': '1' } });
    const seen = await stats();
    expect(seen.guardRuns).toEqual({ global: 1, auth: 1 });
    expect(seen.requests).toEqual([expect.objectContaining({ method: 'PATCH', preflight: false, authorization: false, guards: ['global', 'auth'], status: 401 })]);
  });

  it('sends the 401 of a PATCH without a token with its CORS headers', async () => {
    const response = await fetch(`${base}/form`, { method: 'PATCH', headers: { origin: FRONT, 'x-app-version': '1' } });
    expect(response.status).toBe(401);
    expect(response.headers.get('access-control-allow-origin')).toBe(FRONT);
  });

  it('updates the form with the token and X-App-Version', async () => {
    const response = await fetch(`${base}/form`, {
      method: 'PATCH',
      headers: { origin: FRONT, authorization: 'Bearer t0k3n', 'x-app-version': '1.4.2', 'content-type': 'application/json' },
      body: '{"message":"hi"}',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ updated: true, appVersion: '1.4.2', message: 'hi' });
  });

  it('serves GET /options to any origin with X-List-Version exposed and no credentials', async () => {
    const response = await fetch(`${base}/options`, { headers: { origin: OTHER } });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-expose-headers')).toBe('X-List-Version');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('x-list-version')).toBe('3');
  });

  it('refuses the preflight of an origin that is not allowed, and of a route with CORS off', async () => {
    expect((await preflight('/form', OTHER, 'POST', 'content-type')).status).toBe(403);
    const off = await preflight('/internal', FRONT, 'GET', 'x-app-version');
    expect(off.status).toBe(403);
    expect(off.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sets the session cookie on POST /login and sees it on POST /form', async () => {
    const login = await fetch(`${base}/login`, { method: 'POST', headers: { origin: FRONT } });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    expect(cookie).toMatch(/^session=/);
    const form = await fetch(`${base}/form`, { method: 'POST', headers: { origin: FRONT, cookie, 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(form.status).toBe(201);
    expect(await form.json()).toEqual({ received: { a: 1 }, session: true });
  });

  it('caches the PATCH preflight 300 s and the PUT /draft preflight not at all', async () => {
    expect((await preflight('/draft', FRONT, 'PUT', 'content-type')).headers.get('access-control-max-age')).toBe('0');
  });

  it('starts with a warning for the deliberately unsafe /legacy route (strict: false), and answers it with *', async () => {
    expect(warnings).toEqual([expect.stringContaining('GET /legacy')]);
    expect(warnings[0]).toContain('[origin-any-with-credentials]');
    const response = await fetch(`${base}/legacy`, { headers: { origin: FRONT } });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('the Fastify demo API without DEMO_STATS', () => {
  it('serves no /__stats', async () => {
    const app = await buildApp({ port: 0, host: '127.0.0.1', origins: [FRONT], token: 't', stats: false }, { corsLogger: false });
    const response = await app.inject({ method: 'GET', url: '/__stats' });
    expect(response.statusCode).toBe(404);
    await app.close();
  });
});
