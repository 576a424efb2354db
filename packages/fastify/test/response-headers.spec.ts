import { describe, expect, it } from '@jest/globals';
import polycors from '../src/index.js';
import { acaoValues, collectingLogger, preflight, useServers } from './helpers.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example.net';

const start = useServers();
const varyTokens = (value: unknown) => String(value ?? '').split(',').map((token) => token.trim().toLowerCase()).filter(Boolean);
const conflictWarnings = (lines: Record<string, unknown>[]) => lines.filter((line) => String(line.msg).includes('[cors-header-conflict]'));

describe('an app-set Vary keeps polycors’ tokens', () => {
  const routes = async (app: import('fastify').FastifyInstance) => {
    await app.register(polycors, { origin: [APP], allowedHeaders: ['x-app'] });
    app.get('/handler', async (_request, reply) => reply.header('vary', 'Accept-Encoding').send('x'));
    app.get('/hook', { onSend: async (_request, reply, payload) => { reply.header('Vary', 'Accept-Language'); return payload; } }, async () => 'x');
    app.addHook('onSend', async (request, reply, payload) => {
      if (request.url === '/late-hook' || request.method === 'OPTIONS') reply.header('vary', 'Cookie');
      return payload;
    });
    app.get('/late-hook', async () => 'x');
  };

  it('merges Origin into the Vary a handler or hook sets, on allowed and refused actual requests', async () => {
    const { send } = await start(routes);
    for (const path of ['/handler', '/hook', '/late-hook']) {
      for (const origin of [APP, EVIL]) {
        const response = await send('GET', path, { origin });
        expect([path, origin, varyTokens(response.headers.vary)]).toEqual([path, origin, expect.arrayContaining(['origin'])]);
        expect(varyTokens(response.headers.vary)).toHaveLength(2);
      }
    }
    expect(varyTokens((await send('GET', '/handler', { origin: APP })).headers.vary)).toEqual(['accept-encoding', 'origin']);
  });

  it('keeps the preflight’s Vary tokens when an app hook sets Vary on the preflight answer', async () => {
    const { send } = await start(routes);
    const allowed = await send('OPTIONS', '/handler', preflight(APP, 'GET', 'x-app'));
    expect(allowed.status).toBe(204);
    expect(varyTokens(allowed.headers.vary)).toEqual(expect.arrayContaining(['cookie', 'origin']));
    const refused = await send('OPTIONS', '/handler', preflight(EVIL, 'GET'));
    expect(refused.status).toBe(403);
    expect(varyTokens(refused.headers.vary)).toEqual(expect.arrayContaining(['cookie', 'origin']));
  });

  it('keeps Vary: Origin on a request without Origin when the answer depends on it', async () => {
    const { send } = await start(routes);
    expect(varyTokens((await send('GET', '/handler')).headers.vary)).toEqual(['accept-encoding', 'origin']);
  });
});

describe('one Access-Control-Allow-Origin, polycors’', () => {
  const routes = async (app: import('fastify').FastifyInstance) => {
    await app.register(polycors, { origin: [APP], credentials: true, exposedHeaders: ['x-total'] });
    app.get('/star', async (_request, reply) => reply.header('Access-Control-Allow-Origin', '*').send('x'));
    app.get('/credentials', async (_request, reply) => reply.header('access-control-allow-credentials', 'false').send('x'));
    app.get('/expose', async (_request, reply) => reply.header('access-control-expose-headers', 'x-page').send('x'));
    app.get('/off', { config: { cors: false } }, async (_request, reply) => reply.header('access-control-allow-origin', '*').send('x'));
  };

  it('sends polycors’ origin and credentials when a handler sets its own, and logs the conflict once per route', async () => {
    const { logger, lines } = collectingLogger('warn');
    const { send } = await start(routes, { logger });
    for (let i = 0; i < 3; i++) {
      const response = await send('GET', '/star', { origin: APP });
      expect(acaoValues(response)).toEqual([APP]);
      expect(response.headers['access-control-allow-credentials']).toBe('true');
    }
    expect((await send('GET', '/credentials', { origin: APP })).headers['access-control-allow-credentials']).toBe('true');
    const warnings = conflictWarnings(lines).map((line) => String(line.msg));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('route GET /star');
    expect(warnings[0]).toContain('access-control-allow-origin: *');
    expect(warnings[1]).toContain('route GET /credentials');
  });

  it('sends no Access-Control-Allow-Origin to a refused origin, whatever the handler set', async () => {
    const { send } = await start(routes);
    const response = await send('GET', '/star', { origin: EVIL });
    expect(response.status).toBe(200);
    expect(acaoValues(response)).toEqual([]);
    expect(varyTokens(response.headers.vary)).toContain('origin');
  });

  it('keeps the exposed headers a handler adds beside the configured ones', async () => {
    const { send } = await start(routes);
    expect((await send('GET', '/expose', { origin: APP })).headers['access-control-expose-headers']).toBe('x-page, x-total');
  });

  it('leaves a route with cors: false to the app', async () => {
    const { send } = await start(routes);
    expect(acaoValues(await send('GET', '/off', { origin: EVIL }))).toEqual(['*']);
  });
});

describe('hijacked and raw responses', () => {
  const routes = async (app: import('fastify').FastifyInstance) => {
    await app.register(polycors, { origin: [APP], credentials: true });
    app.get('/events', (_request, reply) => {
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      reply.raw.write('data: one\n\n');
      reply.raw.end('data: two\n\n');
    });
    app.get('/raw-end', (_request, reply) => {
      reply.hijack();
      reply.raw.setHeader('vary', 'Accept');
      reply.raw.end('raw');
    });
  };

  it('carries the CORS headers on an SSE stream written with reply.hijack() and reply.raw.writeHead()', async () => {
    const { send } = await start(routes);
    const response = await send('GET', '/events', { origin: APP });
    expect(response.body).toBe('data: one\n\ndata: two\n\n');
    expect(response.headers['content-type']).toBe('text/event-stream');
    expect(acaoValues(response)).toEqual([APP]);
    expect(response.headers['access-control-allow-credentials']).toBe('true');
    expect(varyTokens(response.headers.vary)).toEqual(['origin']);
  });

  it('carries them on a raw res.end() without writeHead, merged with the raw Vary', async () => {
    const { send } = await start(routes);
    const response = await send('GET', '/raw-end', { origin: APP });
    expect(acaoValues(response)).toEqual([APP]);
    expect(varyTokens(response.headers.vary)).toEqual(['accept', 'origin']);
  });

  it('gives a refused origin no CORS headers on a hijacked reply, only Vary: Origin', async () => {
    const { send } = await start(routes);
    const response = await send('GET', '/events', { origin: EVIL });
    expect(response.status).toBe(200);
    expect(acaoValues(response)).toEqual([]);
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    expect(varyTokens(response.headers.vary)).toEqual(['origin']);
  });
});
