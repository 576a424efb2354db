/**
 * The contract every demo API (apps/fastify-demo, apps/koa-demo, apps/nest-demo on Express and on Fastify) keeps:
 * the same contact-form API, the same CORS answers, the same /__stats. Each demo's spec calls
 * `describeDemoApiContract` with a function that starts its server; framework-specific tests stay in that spec.
 *
 * Test support only: exported under the `@polycors/source` condition, never built into dist.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DemoConfig } from '../src/config.js';
import type { StatsSnapshot } from '../src/request-log.js';

/** The front end's origin, allowed with credentials. */
export const FRONT = 'http://localhost:5173';
/** An origin the demos do not allow (only the public GET /options answers it). */
export const OTHER = 'https://elsewhere.example';
/** The bearer token PATCH /form wants in these tests. */
export const TOKEN = 't0k3n';

/** A demo server listening on 127.0.0.1. */
export interface RunningDemoApi {
  /** e.g. `http://127.0.0.1:40123` */
  base: string;
  /** What the demo logged at warn and above while running (configuration warnings, refusals), in order. */
  warnings: readonly string[];
  close(): Promise<void>;
}

export interface DemoApiContractOptions {
  /** How the demo calls its two guards, named in a test's title: "global hook, auth hook". */
  guards: string;
  /** Where the /legacy warning says it applies: "GET /legacy", "LegacyController.legacy (GET /legacy)". */
  legacyWhere: string;
  /**
   * The warning the demo logs when it refuses the preflight of GET /internal (CORS off): the exact line, or a
   * pattern when it names framework details.
   */
  refusalLog: string | RegExp;
}

/**
 * Registers the contract's tests under `describe(name)`, against one server `start(config)` starts with stats on,
 * FRONT as the only front-end origin and TOKEN as the token.
 */
export function describeDemoApiContract(name: string, start: (config: DemoConfig) => Promise<RunningDemoApi>, options: DemoApiContractOptions): void {
  describe(name, () => {
    let demo: RunningDemoApi;

    beforeAll(async () => {
      demo = await start({ port: 0, host: '127.0.0.1', origins: [FRONT], token: TOKEN, stats: true });
    });

    afterAll(async () => {
      await demo?.close();
    });

    const preflight = (path: string, origin: string, method: string, headers = '') =>
      fetch(`${demo.base}${path}`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': method, ...(headers ? { 'access-control-request-headers': headers } : {}) },
      });

    const stats = async () => (await (await fetch(`${demo.base}/__stats`)).json()) as StatsSnapshot;

    it(`answers the PATCH /form preflight itself: no guard (${options.guards}) runs for it`, async () => {
      await fetch(`${demo.base}/__stats/reset`, { method: 'POST' });
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
      await fetch(`${demo.base}/__stats/reset`, { method: 'POST' });
      await fetch(`${demo.base}/form?t=2`, { method: 'PATCH', headers: { origin: FRONT, 'x-app-version': '1' } });
      const seen = await stats();
      expect(seen.guardRuns).toEqual({ global: 1, auth: 1 });
      expect(seen.requests).toEqual([expect.objectContaining({ method: 'PATCH', preflight: false, authorization: false, guards: ['global', 'auth'], status: 401 })]);
    });

    it('sends the 401 of a PATCH without a token with its CORS headers', async () => {
      const response = await fetch(`${demo.base}/form`, { method: 'PATCH', headers: { origin: FRONT, 'x-app-version': '1' } });
      expect(response.status).toBe(401);
      expect(response.headers.get('access-control-allow-origin')).toBe(FRONT);
    });

    it('updates the form with the token and X-App-Version', async () => {
      const response = await fetch(`${demo.base}/form`, {
        method: 'PATCH',
        headers: { origin: FRONT, authorization: `Bearer ${TOKEN}`, 'x-app-version': '1.4.2', 'content-type': 'application/json' },
        body: '{"message":"hi"}',
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ updated: true, appVersion: '1.4.2', message: 'hi' });
    });

    it('serves GET /options to any origin with X-List-Version exposed and no credentials', async () => {
      const response = await fetch(`${demo.base}/options`, { headers: { origin: OTHER } });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-expose-headers')).toBe('X-List-Version');
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
      expect(response.headers.get('x-list-version')).toBe('3');
    });

    it('refuses the preflight of an origin that is not allowed, and of a route with CORS off, and logs why', async () => {
      expect((await preflight('/form', OTHER, 'POST', 'content-type')).status).toBe(403);
      const off = await preflight('/internal', FRONT, 'GET', 'x-app-version');
      expect(off.status).toBe(403);
      expect(off.headers.get('access-control-allow-origin')).toBeNull();
      if (typeof options.refusalLog === 'string') expect(demo.warnings).toContain(options.refusalLog);
      else expect(demo.warnings).toContainEqual(expect.stringMatching(options.refusalLog));
    });

    it('sets the session cookie on POST /login and sees it on POST /form', async () => {
      const login = await fetch(`${demo.base}/login`, { method: 'POST', headers: { origin: FRONT } });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
      expect(cookie).toMatch(/^session=/);
      const form = await fetch(`${demo.base}/form`, { method: 'POST', headers: { origin: FRONT, cookie, 'content-type': 'application/json' }, body: '{"name":"Ada","message":"Hi"}' });
      expect(form.status).toBe(201);
      expect(await form.json()).toEqual({ received: { name: 'Ada', message: 'Hi' }, session: true });
    });

    it('caches the PATCH preflight 300 s and the PUT /draft preflight not at all', async () => {
      expect((await preflight('/form', FRONT, 'PATCH', 'authorization,content-type,x-app-version')).headers.get('access-control-max-age')).toBe('300');
      expect((await preflight('/draft', FRONT, 'PUT', 'content-type')).headers.get('access-control-max-age')).toBe('0');
    });

    it('starts with a warning for the deliberately unsafe /legacy route (strict: false), and answers it with *', async () => {
      const legacy = demo.warnings.filter((message) => message.includes('/legacy'));
      expect(legacy).toEqual([expect.stringContaining('[origin-any-with-credentials]')]);
      expect(legacy[0]).toContain(options.legacyWhere);
      const response = await fetch(`${demo.base}/legacy`, { headers: { origin: FRONT } });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
    });
  });
}
