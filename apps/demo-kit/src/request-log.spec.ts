import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { hasSessionCookie, MAX_REQUESTS, RequestLog, type StatsSnapshot } from './request-log.js';

/** A real server: the log records every request (a `request` listener); a tiny router plays the app and its guards. */
describe('the request log behind /__stats', () => {
  const log = new RequestLog();
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/__stats') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(log.snapshot()));
        return;
      }
      if (req.method === 'OPTIONS') {
        res.statusCode = 204;
        res.end();
        return;
      }
      log.guard('global', req);
      if (req.url?.startsWith('/form')) {
        log.guard('auth', req);
        res.statusCode = req.headers.authorization === 'Bearer t' ? 200 : 401;
      }
      res.end();
    });
    server.prependListener('request', log.record);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    log.reset();
  });

  const stats = async () => (await (await fetch(`${base}/__stats`)).json()) as StatsSnapshot;

  it('records a preflight with its CORS request headers, no guard run and its status', async () => {
    await fetch(`${base}/form?run=1`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization,x-app-version' },
    });
    expect(await stats()).toEqual({
      guardRuns: { global: 0, auth: 0 },
      requests: [
        {
          method: 'OPTIONS',
          url: '/form?run=1',
          origin: 'http://localhost:5173',
          preflight: true,
          accessControlRequestMethod: 'PATCH',
          accessControlRequestHeaders: 'authorization,x-app-version',
          cookie: false,
          authorization: false,
          guards: [],
          status: 204,
        },
      ],
    });
  });

  it('records the guards that ran for a request, in order, and counts them', async () => {
    await fetch(`${base}/form?run=2`, { method: 'PATCH', headers: { origin: 'http://localhost:5173', authorization: 'Bearer t', cookie: 'a=1; session=xyz' } });
    await fetch(`${base}/options?run=2`);
    const body = await stats();
    expect(body.guardRuns).toEqual({ global: 2, auth: 1 });
    expect(body.requests.map((r) => [r.method, r.guards, r.cookie, r.authorization, r.status])).toEqual([
      ['PATCH', ['global', 'auth'], true, true, 200],
      ['GET', ['global'], false, false, 200],
    ]);
  });

  it('does not call an OPTIONS request without Origin or Access-Control-Request-Method a preflight', async () => {
    await fetch(`${base}/form`, { method: 'OPTIONS', headers: { 'access-control-request-method': 'PATCH' } });
    await fetch(`${base}/form`, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173' } });
    expect((await stats()).requests.map((r) => r.preflight)).toEqual([false, false]);
  });

  it('leaves /__stats itself out, and guard runs for it uncounted', async () => {
    await stats();
    log.guard('global', { url: '/__stats/reset' } as IncomingMessage);
    expect(await stats()).toEqual({ guardRuns: { global: 0, auth: 0 }, requests: [] });
  });

  it('records a request once when it is handed to record() twice (a listener and a framework hook)', async () => {
    const req = { url: '/x', method: 'GET', headers: {} } as IncomingMessage;
    const res = { once: () => res } as never;
    expect(log.record(req, res)).toBe(log.record(req, res));
    expect(log.snapshot().requests).toHaveLength(1);
  });

  it(`keeps the newest ${MAX_REQUESTS} requests`, () => {
    const res = { once: () => res } as never;
    for (let i = 0; i < MAX_REQUESTS + 5; i++) log.record({ url: `/r?i=${i}`, method: 'GET', headers: {} } as IncomingMessage, res);
    const { requests } = log.snapshot();
    expect(requests).toHaveLength(MAX_REQUESTS);
    expect(requests[0].url).toBe('/r?i=5');
  });
});

describe('hasSessionCookie', () => {
  it('finds the session cookie among others, and only that name', () => {
    expect(hasSessionCookie('a=1; session=xyz')).toBe(true);
    expect(hasSessionCookie('sessionid=1; xsession=2')).toBe(false);
    expect(hasSessionCookie(undefined)).toBe(false);
  });
});
