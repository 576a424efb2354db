import { afterEach, describe, expect, it } from '@jest/globals';
import Koa from 'koa';
import { type KoaCorsOptions, cors } from '../src/index.js';
import { closeAll, preflight, send, start } from './helpers.js';

const APP = 'https://app.example.com';

afterEach(closeAll);

async function serve(options: KoaCorsOptions) {
  const app = new Koa();
  app.silent = true;
  app.use(cors({ logger: false, ...options }));
  app.use((ctx) => {
    ctx.body = 'ok';
  });
  return start(app);
}

describe('list headers', () => {
  it('are written as @koa/cors writes them with strict: false: arrays joined with ",", strings as written, names as spelt', async () => {
    const server = await serve({ strict: false, origin: APP, allowMethods: ['GET', 'PUT'], allowHeaders: ['X-Token', 'Content-Type'], exposeHeaders: 'X-Total, X-Page' });
    const answer = await preflight(server, '/', APP, 'PUT', 'x-token');
    expect([answer.status, answer.header('access-control-allow-methods'), answer.header('access-control-allow-headers')]).toEqual([204, 'GET,PUT', 'X-Token,Content-Type']);
    expect((await send(server, '/', 'GET', { origin: APP })).header('access-control-expose-headers')).toBe('X-Total, X-Page');
  });

  it('are written in one format in strict mode: ", " between items, allowed header names in lower case', async () => {
    const server = await serve({ origin: APP, allowMethods: ['GET', 'PUT'], allowHeaders: ['X-Token', 'Content-Type'], exposeHeaders: 'X-Total,X-Page' });
    const answer = await preflight(server, '/', APP, 'PUT', 'x-token');
    expect([answer.header('access-control-allow-methods'), answer.header('access-control-allow-headers')]).toEqual(['GET, PUT', 'x-token, content-type']);
    expect((await send(server, '/', 'GET', { origin: APP })).header('access-control-expose-headers')).toBe('X-Total, X-Page');
  });
});
