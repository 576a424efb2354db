/** The global middleware over real HTTP, on both Express majors: preflights, error responses, the response guard. */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { NextFunction, Request, Response } from 'express';
import { cors } from '../src/index.js';
import { EXPRESS_MAJORS, closeAll, corsHeaders, preflight, recordingLogger, send, start, varyTokens } from './helpers.js';

const APP = 'https://app.example.com';

afterEach(closeAll);

describe.each(EXPRESS_MAJORS)('%s: cors() for the whole app', (_name, express) => {
  function app(options: Parameters<typeof cors>[0] = { origin: APP, logger: false }) {
    const seen: string[] = [];
    const application = express();
    application.use(cors(options));
    application.use((req: Request, _res: Response, next: NextFunction) => {
      seen.push(`${req.method} ${req.path}`);
      next();
    });
    return { application, seen };
  }

  it('answers an allowed preflight 204 itself; later middleware, auth and routes never see it', async () => {
    const { application, seen } = app();
    application.use((_req: Request, res: Response) => void res.status(401).send('auth'));
    const server = await start(application);
    const reply = await preflight(server, '/form', APP, 'PUT', 'content-type');
    expect(reply.status).toBe(204);
    expect(reply.header('content-length')).toBeUndefined();
    expect(reply.header('access-control-allow-origin')).toBe(APP);
    expect(reply.header('access-control-allow-methods')).toContain('PUT');
    expect(reply.header('access-control-allow-headers')).toBe('content-type');
    expect(seen).toEqual([]);
  });

  it('refuses a preflight from another origin with 403 and no CORS headers, before the app', async () => {
    const { application, seen } = app();
    const server = await start(application);
    const reply = await preflight(server, '/form', 'https://evil.example', 'PUT');
    expect(reply.status).toBe(403);
    expect(corsHeaders(reply)).toEqual({});
    expect(seen).toEqual([]);
  });

  it('lets an OPTIONS without Access-Control-Request-Method reach the app (not a preflight)', async () => {
    const { application, seen } = app();
    application.options('/form', (_req: Request, res: Response) => void res.send('options route'));
    const server = await start(application);
    const reply = await send(server, '/form', 'OPTIONS', { origin: APP });
    expect(reply.body).toBe('options route');
    expect(reply.header('access-control-allow-origin')).toBe(APP);
    expect(seen).toEqual(['OPTIONS /form']);
  });

  it("keeps CORS headers on a 401 from auth middleware, finalhandler's 404 and the default error handler's 500", async () => {
    const { application } = app();
    application.get('/private', (_req: Request, res: Response) => void res.status(401).json({ error: 'sign in' }));
    application.get('/boom', () => {
      throw Object.assign(new Error('boom'), { status: 500, headers: { 'Access-Control-Allow-Origin': '*', Vary: 'Accept' } });
    });
    const server = await start(application);
    for (const [path, status] of [['/private', 401], ['/nowhere', 404], ['/boom', 500]] as const) {
      const reply = await send(server, path, 'GET', { origin: APP });
      expect(reply.status).toBe(status);
      expect(reply.header('access-control-allow-origin')).toBe(APP);
      expect(varyTokens(reply)).toContain('origin');
    }
    // finalhandler applies err.headers (for a 4xx/5xx err.status) through res.setHeader: the guard keeps polycors' answer.
    const boom = await send(server, '/boom', 'GET', { origin: APP });
    expect(varyTokens(boom)).toEqual(['accept', 'origin']);
  });

  it('keeps CORS headers through a custom error handler that sets its own headers', async () => {
    const { application } = app({ origin: APP, exposedHeaders: ['x-request-id'], logger: false });
    application.get('/boom', () => {
      throw new Error('boom');
    });
    application.use((_error: Error, _req: Request, res: Response, _next: NextFunction) => {
      res.removeHeader('Access-Control-Expose-Headers');
      res.set('Vary', 'Accept').set('Access-Control-Allow-Origin', '*').status(503).json({ error: 'down' });
    });
    const server = await start(application);
    const reply = await send(server, '/boom', 'GET', { origin: APP });
    expect(reply.status).toBe(503);
    expect(reply.header('access-control-allow-origin')).toBe(APP);
    expect(reply.header('access-control-expose-headers')).toBe('x-request-id');
    expect(varyTokens(reply)).toEqual(['accept', 'origin']);
  });

  it("ignores a handler's Access-Control-Allow-Origin: * (one value, polycors'), logging it once per route", async () => {
    const logger = recordingLogger();
    const { application } = app({ origin: APP, logger });
    application.get('/data', (_req: Request, res: Response) => {
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.send('data');
    });
    application.get('/head', (_req: Request, res: Response) => {
      res.writeHead(200, { 'access-control-allow-origin': '*', vary: 'Accept-Encoding', 'content-type': 'text/plain' });
      res.end('head');
    });
    application.get('/later', (_req: Request, res: Response) => void res.set('Access-Control-Allow-Origin', '*').send('later'));
    application.use((_req: Request, res: Response) => void res.set('Access-Control-Allow-Origin', '*').status(404).send('none'));
    const server = await start(application);
    for (let i = 0; i < 2; i++) {
      const reply = await send(server, '/data', 'GET', { origin: APP });
      expect(reply.body).toBe('data');
      expect(reply.header('access-control-allow-origin')).toBe(APP);
      expect(reply.header('access-control-allow-credentials')).toBeUndefined();
    }
    const evil = await send(server, '/data', 'GET', { origin: 'https://evil.example' });
    expect(evil.header('access-control-allow-origin')).toBeUndefined();
    const head = await send(server, '/head', 'GET', { origin: APP });
    expect(head.header('access-control-allow-origin')).toBe(APP);
    expect(varyTokens(head).sort()).toEqual(['accept-encoding', 'origin']); // merged, in either order
    // Many distinct unrouted URLs (the 404 handler sets its own '*') use one log entry, not the once-only budget.
    for (let i = 0; i < 1010; i += 101) await Promise.all(Array.from({ length: 101 }, (_, j) => send(server, `/missing/${i + j}`, 'GET', { origin: APP })));
    await send(server, '/later', 'GET', { origin: APP });
    expect(logger.warnings.filter((message) => message.includes('GET /missing/'))).toHaveLength(1);
    expect(logger.warnings.some((message) => message.includes('GET /later: the app set access-control-allow-origin'))).toBe(true);
    const conflicts = logger.warnings.filter((message) => message.includes('the app set'));
    expect(conflicts.filter((message) => message.includes('GET /data: the app set access-control-allow-origin: *; sent polycors'))).toHaveLength(1);
    expect(conflicts.some((message) => message.includes('GET /head'))).toBe(true);
  });

  it("keeps the app's Access-Control-Expose-Headers beside polycors', and polycors' headers on a response the app flushes itself", async () => {
    const logger = recordingLogger();
    const { application } = app({ origin: APP, exposedHeaders: ['x-request-id'], logger });
    application.get('/page', (_req: Request, res: Response) => void res.set('Access-Control-Expose-Headers', 'x-page').send('page'));
    application.get('/events', (_req: Request, res: Response) => {
      res.setHeader('Content-Type', 'text/event-stream');
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.flushHeaders();
      res.end('data: 1\n\n');
    });
    const server = await start(application);
    const page = await send(server, '/page', 'GET', { origin: APP });
    expect(page.header('access-control-expose-headers')).toBe('x-page, x-request-id');
    const events = await send(server, '/events', 'GET', { origin: APP });
    expect(events.body).toBe('data: 1\n\n');
    expect(events.header('access-control-allow-origin')).toBe(APP);
    expect(varyTokens(events)).toEqual(['origin']);
    expect(logger.warnings.filter((message) => message.includes('GET /events: the app set access-control-allow-origin'))).toHaveLength(1);
    const refused = await send(server, '/events', 'GET', { origin: 'https://evil.example' });
    expect(corsHeaders(refused)).toEqual({});
  });

  it('an origin function answering after an earlier middleware already answered (a request timeout) changes nothing and runs nothing', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const seen: string[] = [];
      const application = express();
      // connect-timeout's shape: a timer answers 503 while the request is still being handled.
      application.use((_req: Request, res: Response, next: NextFunction) => {
        setTimeout(() => void res.status(503).send('timeout'), 20);
        next();
      });
      application.use(cors({ origin: (origin: string | undefined) => new Promise<boolean>((resolve) => setTimeout(() => resolve(origin === APP), 80)), logger: false }));
      application.use((req: Request, res: Response) => {
        seen.push(`${req.method} ${req.path}`);
        res.send('late');
      });
      const server = await start(application);
      const actual = await send(server, '/data', 'GET', { origin: APP });
      const refused = await preflight(server, '/data', APP, 'PUT');
      expect([actual.status, actual.body, refused.status]).toEqual([503, 'timeout', 503]);
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(seen).toEqual([]);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });

  it('keeps Vary: Origin on requests without Origin when the app replaces Vary', async () => {
    const { application } = app();
    application.get('/data', (_req: Request, res: Response) => void res.set('Vary', 'Accept-Language').send('data'));
    const server = await start(application);
    const reply = await send(server, '/data');
    expect(reply.header('access-control-allow-origin')).toBeUndefined();
    expect(varyTokens(reply)).toEqual(['accept-language', 'origin']);
  });

  it('sends no CORS headers to a refused origin, with Vary: Origin, and the request still reaches the app', async () => {
    const { application, seen } = app();
    application.get('/data', (_req: Request, res: Response) => void res.send('data'));
    const server = await start(application);
    const reply = await send(server, '/data', 'GET', { origin: 'https://evil.example' });
    expect(reply.body).toBe('data');
    expect(corsHeaders(reply)).toEqual({});
    expect(varyTokens(reply)).toContain('origin');
    expect(seen).toEqual(['GET /data']);
  });
});
