import { describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import polycors from '../src/index.js';
import { acaoValues, preflight, useServers } from './helpers.js';

const APP = 'https://app.example.com';
const ADMIN = 'https://admin.example.com';
const EVIL = 'https://evil.example.net';

const start = useServers();

describe('per-route policies on preflights', () => {
  const routes = async (app: FastifyInstance) => {
    await app.register(polycors, { origin: [APP] });
    app.get('/form', async () => 'form');
    app.patch('/form', { config: { cors: { origin: ADMIN, allowedHeaders: ['x-admin'] } } }, async () => 'patched');
    app.get('/users/:id', async () => 'user');
    app.delete('/users/:id', { config: { cors: { origin: ADMIN } } }, async () => 'deleted');
    app.get('/files/*', { config: { cors: { origin: '*', inherit: false } } }, async () => 'file');
  };

  it('judges a preflight by the policy of the route that serves the requested method', async () => {
    const { send } = await start(routes);
    const patch = await send('OPTIONS', '/form', preflight(ADMIN, 'PATCH', 'x-admin'));
    expect(patch.status).toBe(204);
    expect(patch.headers['access-control-allow-origin']).toBe(ADMIN);
    expect(patch.headers['access-control-allow-headers']).toBe('x-admin');
    expect(patch.headers['content-length']).toBe('0');
  });

  it('refuses a preflight from an origin only another method of the same path allows', async () => {
    const { send } = await start(routes);
    // ADMIN may PATCH /form but the GET route only allows APP.
    const get = await send('OPTIONS', '/form', preflight(ADMIN, 'GET'));
    expect(get.status).toBe(403);
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
    // APP may PATCH too: the route's origin list is merged with the global one.
    expect((await send('OPTIONS', '/form', preflight(APP, 'PATCH'))).status).toBe(204);
  });

  it('resolves params and wildcards like Fastify does', async () => {
    const { send } = await start(routes);
    expect((await send('OPTIONS', '/users/42', preflight(ADMIN, 'DELETE'))).headers['access-control-allow-origin']).toBe(ADMIN);
    expect((await send('OPTIONS', '/users/42?expand=1', preflight(ADMIN, 'DELETE'))).status).toBe(204);
    const file = await send('OPTIONS', '/files/a/b/c.txt', preflight(EVIL, 'GET'));
    expect(file.status).toBe(204);
    expect(file.headers['access-control-allow-origin']).toBe('*');
  });

  it("allows only the methods the path serves when methods are not configured", async () => {
    const { send } = await start(routes);
    const ok = await send('OPTIONS', '/form', preflight(APP, 'PATCH'));
    expect(ok.headers['access-control-allow-methods']).toBe('GET, HEAD, PATCH');
    const refused = await send('OPTIONS', '/form', preflight(APP, 'DELETE'));
    expect(refused.status).toBe(403);
  });

  it('falls back to the plugin policy for a path no route serves', async () => {
    const { send } = await start(routes);
    const unknown = await send('OPTIONS', '/nowhere', preflight(APP, 'PUT'));
    expect(unknown.status).toBe(204);
    expect(unknown.headers['access-control-allow-methods']).toBe('GET, HEAD, PUT, PATCH, POST, DELETE');
    expect((await send('OPTIONS', '/nowhere', preflight(ADMIN, 'PUT'))).status).toBe(403);
  });
});

describe('per-route policies on actual requests', () => {
  it("gives each route's response its own policy's headers", async () => {
    const { send } = await start(async (app) => {
      await app.register(polycors, { origin: [APP], exposedHeaders: ['x-total'] });
      app.get('/public', { config: { cors: { origin: '*', inherit: false } } }, async () => 'public');
      app.get('/admin', { config: { cors: { origin: ADMIN, credentials: true } } }, async () => 'admin');
    });
    const pub = await send('GET', '/public', { origin: EVIL });
    expect(pub.headers['access-control-allow-origin']).toBe('*');
    expect(pub.headers['access-control-expose-headers']).toBeUndefined();
    const admin = await send('GET', '/admin', { origin: ADMIN });
    expect(admin.headers['access-control-allow-origin']).toBe(ADMIN);
    expect(admin.headers['access-control-allow-credentials']).toBe('true');
    expect(admin.headers['access-control-expose-headers']).toBe('x-total');
    expect(admin.headers.vary).toBe('Origin');
    const refused = await send('GET', '/admin', { origin: EVIL });
    expect(refused.status).toBe(200);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    expect(refused.headers.vary).toBe('Origin');
  });
});

describe('prefixed and nested plugins', () => {
  const build = async (app: FastifyInstance) => {
    await app.register(polycors, { origin: [APP] });
    await app.register(
      async (v1) => {
        v1.get('/', async () => 'v1 root');
        await v1.register(
          async (admin) => {
            admin.put('/settings', { config: { cors: { origin: ADMIN } } }, async () => 'saved');
          },
          { prefix: '/admin' },
        );
      },
      { prefix: '/v1' },
    );
  };

  it('routes a preflight into a nested prefixed plugin', async () => {
    const { send } = await start(build);
    const put = await send('OPTIONS', '/v1/admin/settings', preflight(ADMIN, 'PUT'));
    expect(put.status).toBe(204);
    expect(put.headers['access-control-allow-methods']).toBe('PUT');
  });

  it('treats both prefixTrailingSlash variants of a prefix root as the same route', async () => {
    const { send } = await start(build);
    for (const path of ['/v1', '/v1/']) {
      const response = await send('OPTIONS', path, preflight(APP, 'GET'));
      expect([path, response.status, response.headers['access-control-allow-methods']]).toEqual([path, 204, 'GET, HEAD']);
    }
    expect((await send('OPTIONS', '/v1/', preflight(APP, 'PUT'))).status).toBe(403);
  });

  it('follows ignoreTrailingSlash and caseSensitive from routerOptions', async () => {
    const { send } = await start(
      async (app) => {
        await app.register(polycors, { origin: [APP] });
        app.post('/Items', { config: { cors: { origin: ADMIN } } }, async () => 'created');
      },
      { routerOptions: { ignoreTrailingSlash: true, caseSensitive: false } },
    );
    const response = await send('OPTIONS', '/items/', preflight(ADMIN, 'POST'));
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(ADMIN);
  });
});

describe('replies that do not come from the handler', () => {
  const build = async (app: FastifyInstance) => {
    await app.register(polycors, { origin: [APP] });
    app.addHook('onRequest', async (request, reply) => {
      if (request.url.startsWith('/private')) return reply.code(401).send({ error: 'unauthorised' });
    });
    app.get('/private', async () => 'secret');
    app.get('/boom', async () => {
      throw new Error('boom');
    });
    app.register(async (scoped) => {
      scoped.setErrorHandler(async (_error, _request, reply) => reply.code(418).send({ handled: true }));
      scoped.setNotFoundHandler(async (_request, reply) => reply.code(404).send({ custom: true }));
      scoped.get('/teapot', async () => {
        throw new Error('tea');
      });
    }, { prefix: '/scoped' });
  };

  it.each([
    ['a 401 from an onRequest auth hook', '/private', 401],
    ['a thrown error (500)', '/boom', 500],
    ['a setErrorHandler reply', '/scoped/teapot', 418],
    ['a setNotFoundHandler reply', '/scoped/missing', 404],
    ['the default 404', '/missing', 404],
  ])('keeps the CORS headers on %s', async (_name, path, status) => {
    const { send } = await start(build);
    const response = await send('GET', path, { origin: APP });
    expect(response.status).toBe(status);
    expect(response.headers['access-control-allow-origin']).toBe(APP);
    expect(response.headers.vary).toContain('Origin');
  });

  it('answers a preflight for an auth-protected route before the auth hook runs', async () => {
    const { send } = await start(build);
    const response = await send('OPTIONS', '/private', preflight(APP, 'GET', 'authorization'));
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-headers']).toBe('authorization');
  });
});

describe('cors: false', () => {
  const build = async (app: FastifyInstance) => {
    await app.register(polycors, { origin: '*' });
    app.get('/internal', { config: { cors: false } }, async () => 'internal');
    app.post('/internal', { config: { cors: false } }, async () => 'posted');
  };

  it('sends no CORS headers on the route', async () => {
    const { send } = await start(build);
    const response = await send('GET', '/internal', { origin: APP });
    expect(response.status).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(response.headers.vary).toBeUndefined();
  });

  it("refuses the route's preflights", async () => {
    const { send } = await start(build);
    const response = await send('OPTIONS', '/internal', preflight(APP, 'POST'));
    expect(response.status).toBe(403);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('what preflights never reach', () => {
  it('never runs handlers, route-level hooks or app hooks registered after polycors', async () => {
    const seen: string[] = [];
    const { send } = await start(async (app) => {
      app.addHook('onRequest', async () => void seen.push('hook before polycors'));
      await app.register(polycors, { origin: [APP] });
      app.addHook('onRequest', async () => void seen.push('app hook after polycors'));
      app.addHook('preHandler', async () => void seen.push('preHandler'));
      app.route({
        method: ['PUT', 'OPTIONS'],
        url: '/doc',
        onRequest: async () => void seen.push('route onRequest'),
        handler: async () => {
          seen.push('handler');
          return 'handled';
        },
      });
    });
    for (const origin of [APP, EVIL]) {
      const response = await send('OPTIONS', '/doc', preflight(origin, 'PUT'));
      expect(response.status).toBe(origin === APP ? 204 : 403);
    }
    expect(seen).toEqual(['hook before polycors', 'hook before polycors']);
  });

  it('lets ordinary OPTIONS requests (no Access-Control-Request-Method) reach the app', async () => {
    const { send } = await start(async (app) => {
      await app.register(polycors, { origin: [APP] });
      app.options('/doc', async (_request, reply) => reply.header('allow', 'GET, PUT, OPTIONS').send('options body'));
    });
    const plain = await send('OPTIONS', '/doc');
    expect([plain.status, plain.body, plain.headers.allow]).toEqual([200, 'options body', 'GET, PUT, OPTIONS']);
    const withOrigin = await send('OPTIONS', '/doc', { origin: APP });
    expect(withOrigin.body).toBe('options body');
    expect(withOrigin.headers['access-control-allow-origin']).toBe(APP);
  });

  it("answers a non-preflight OPTIONS for a path without an OPTIONS route the way @fastify/cors's strictPreflight does", async () => {
    const { send } = await start(async (app) => {
      await app.register(polycors, { origin: [APP] });
      app.get('/doc', async () => 'doc');
    });
    const response = await send('OPTIONS', '/doc', { origin: APP });
    expect([response.status, response.body]).toEqual([400, 'Invalid Preflight Request']);
  });
});

describe('Access-Control-Allow-Origin is never sent twice', () => {
  it("keeps polycors' one value when the app adds its own", async () => {
    const { send } = await start(async (app) => {
      await app.register(polycors, { origin: [APP] });
      app.get('/array', async (_request, reply) => reply.header('access-control-allow-origin', [APP, '*']).send('x'));
      app.get('/comma', async (_request, reply) => reply.header('Access-Control-Allow-Origin', `${EVIL}, ${APP}`).send('x'));
      app.get('/raw', async (_request, reply) => {
        reply.raw.setHeader('Access-Control-Allow-Origin', '*');
        return 'x';
      });
    });
    for (const path of ['/array', '/comma', '/raw']) {
      const response = await send('GET', path, { origin: APP });
      expect([path, acaoValues(response)]).toEqual([path, [APP]]);
    }
  });
});

describe("sibling routes and the browser's preflight cache (one answer is cached for the whole URL)", () => {
  const form = (post?: 'refusing') => async (app: FastifyInstance) => {
    await app.register(polycors, { origin: [APP], maxAge: 600 });
    app.get('/form', async () => 'form');
    app.patch('/form', { config: { cors: { origin: [ADMIN], inherit: false } } }, async () => 'patched');
    app.delete('/form', { config: { cors: false } }, async () => 'deleted');
    if (post) app.post('/form', { config: { cors: { origin: [ADMIN], inherit: false } } }, async () => 'posted');
  };

  it('never lists a sibling method whose route refuses the origin or has CORS off', async () => {
    const { send } = await start(form());
    const get = await send('OPTIONS', '/form', preflight(APP, 'GET', 'x-app-version'));
    expect(get.status).toBe(204);
    expect(get.headers['access-control-allow-methods']).toBe('GET, HEAD');
    expect(get.headers['access-control-allow-headers']).toBe('x-app-version');
    expect(get.headers['access-control-max-age']).toBe('600');
    // The admin origin asking for PATCH gets PATCH (its route's own list), not the GET route's methods.
    const patch = await send('OPTIONS', '/form', preflight(ADMIN, 'PATCH'));
    expect(patch.headers['access-control-allow-methods']).toBe('PATCH');
  });

  it('answers Max-Age: 0 when a header the request needs could reach a safelisted sibling that refuses the origin', async () => {
    // After a cached answer listing x-app-version, a POST with it and a text/plain body would go out unpreflighted.
    const { send } = await start(form('refusing'));
    const get = await send('OPTIONS', '/form', preflight(APP, 'GET', 'x-app-version'));
    expect(get.status).toBe(204);
    expect(get.headers['access-control-allow-headers']).toBe('x-app-version');
    expect(get.headers['access-control-max-age']).toBe('0');
    const simple = await send('OPTIONS', '/form', preflight(APP, 'GET'));
    expect(simple.headers['access-control-max-age']).toBe('600');
  });

  it('sends no Cache-Control of its own on an answer that must not be reused', async () => {
    const { send } = await start(async (app) => {
      await app.register(polycors, { origin: [APP], cacheControl: 600 });
      app.get('/form', async () => 'form');
      app.post('/form', { config: { cors: false } }, async () => 'posted');
    });
    const get = await send('OPTIONS', '/form', preflight(APP, 'GET', 'x-app-version'));
    expect(get.status).toBe(204);
    expect(get.headers['access-control-max-age']).toBe('0');
    expect(get.headers['cache-control']).toBeUndefined();
  });
});

describe('preflights asked again (the registry remembers what serves each URL)', () => {
  const routes = async (app: FastifyInstance) => {
    await app.register(polycors, { origin: [APP] });
    app.get('/items/:id', async () => 'item');
    app.delete('/items/:id', { config: { cors: { origin: ADMIN } } }, async () => 'deleted');
    app.get('/open', async () => 'open');
  };
  const view = (response: { status: number; headers: Record<string, string | string[] | undefined> }) =>
    `${response.status} ${String(response.headers['access-control-allow-origin'])} ${String(response.headers['access-control-allow-methods'])}`;

  it('answers each repeat, query strings, long URLs and more URLs than it keeps as a fresh server does', async () => {
    const asks: [string, string, string][] = [];
    for (let i = 0; i < 1100; i++) asks.push([`/items/${i % 3}?page=${i}`, i % 2 ? ADMIN : APP, i % 2 ? 'DELETE' : 'PUT']);
    asks.push([`/items/1?q=${'x'.repeat(3000)}`, ADMIN, 'DELETE'], ['/open', APP, 'DELETE'], ['/items/1', APP, 'DELETE'], ['/items/1', ADMIN, 'DELETE'], ['/nowhere', APP, 'PUT']);
    const warm = await start(routes);
    const repeated: string[] = [];
    for (const [path, origin, method] of asks) repeated.push(view(await warm.send('OPTIONS', path, preflight(origin, method))));
    // Every answer again, each from a server that has seen no other preflight.
    const fresh: string[] = [];
    for (const [path, origin, method] of asks.slice(-8)) fresh.push(view(await (await start(routes)).send('OPTIONS', path, preflight(origin, method))));
    expect(repeated.slice(-8)).toEqual(fresh);
    expect(new Set(repeated.slice(0, 1100).filter((_, i) => i % 2 === 0))).toEqual(new Set(['403 undefined undefined']));
    expect(new Set(repeated.slice(0, 1100).filter((_, i) => i % 2 === 1))).toEqual(new Set(['204 https://admin.example.com DELETE']));
    // The route's origin adds to the plugin's (merge rules); an unrouted URL is judged by the plugin's policy.
    expect(repeated.slice(-5)).toEqual([
      '204 https://admin.example.com DELETE',
      '403 undefined undefined',
      '204 https://app.example.com GET, HEAD, DELETE',
      '204 https://admin.example.com DELETE',
      '204 https://app.example.com GET, HEAD, PUT, PATCH, POST, DELETE',
    ]);
  });
});
