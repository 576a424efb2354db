import { describe, expect, it } from '@jest/globals';
import polycors from '../src/index.js';
import { preflight, useServers } from './helpers.js';

const APP = 'https://app.example.com';

const start = useServers();

describe('list headers', () => {
  it('are written as @fastify/cors writes them with strict: false: strings as written, arrays joined with ", ", names as spelt', async () => {
    const { send } = await start(async (app) => {
      await app.register(polycors, { strict: false, logger: false, origin: [APP], methods: 'GET,PUT', allowedHeaders: ['X-Token', 'Content-Type'], exposedHeaders: 'X-Total,X-Page' });
      app.put('/doc', async () => 'ok');
      app.get('/doc', async () => 'ok');
    });
    const answer = await send('OPTIONS', '/doc', preflight(APP, 'PUT', 'x-token'));
    expect([answer.status, answer.headers['access-control-allow-methods'], answer.headers['access-control-allow-headers']]).toEqual([204, 'GET,PUT', 'X-Token, Content-Type']);
    expect((await send('GET', '/doc', { origin: APP })).headers['access-control-expose-headers']).toBe('X-Total,X-Page');
  });

  it("use @fastify/cors's default 'GET,HEAD,POST' on paths no route serves, with strict: false", async () => {
    const { send } = await start(async (app) => {
      await app.register(polycors, { strict: false, logger: false, origin: [APP] });
    });
    expect((await send('OPTIONS', '/anywhere', preflight(APP, 'GET'))).headers['access-control-allow-methods']).toBe('GET,HEAD,POST');
  });

  it('are written in one format in strict mode: ", " between items, allowed header names in lower case', async () => {
    const { send } = await start(async (app) => {
      await app.register(polycors, { origin: [APP], methods: 'GET,PUT', allowedHeaders: ['X-Token', 'Content-Type'], exposedHeaders: 'X-Total,X-Page' });
      app.put('/doc', async () => 'ok');
      app.get('/doc', async () => 'ok');
    });
    const answer = await send('OPTIONS', '/doc', preflight(APP, 'PUT', 'x-token'));
    expect([answer.headers['access-control-allow-methods'], answer.headers['access-control-allow-headers']]).toEqual(['GET, PUT', 'x-token, content-type']);
    expect((await send('GET', '/doc', { origin: APP })).headers['access-control-expose-headers']).toBe('X-Total, X-Page');
  });
});
