import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { apisFromEnv, startPlayground, type RunningPlayground } from './server.js';

describe('the playground server', () => {
  let playground: RunningPlayground;
  let base: string;
  let untrusted: string;

  beforeAll(async () => {
    playground = await startPlayground({
      port: 0,
      untrustedPort: 0,
      token: 'secret-demo-token',
      apis: [{ id: 'koa', label: 'Koa', url: 'http://localhost:3003' }],
    });
    base = `http://127.0.0.1:${playground.port}`;
    untrusted = `http://127.0.0.1:${playground.untrustedPort}`;
  });

  afterAll(async () => {
    await playground.close();
  });

  it('serves the page on its own origin and the frame on a second origin', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('polycors playground');
    const frame = await fetch(`${untrusted}/frame.html`);
    expect(frame.status).toBe(200);
    expect(await frame.text()).toContain('/frame.js');
    expect(playground.port).not.toBe(playground.untrustedPort);
  });

  it('tells the page which APIs to call, the token, and the untrusted port', async () => {
    const config = await (await fetch(`${base}/config.json`)).json();
    expect(config).toEqual({
      token: 'secret-demo-token',
      untrustedPort: playground.untrustedPort,
      apis: [{ id: 'koa', label: 'Koa', url: 'http://localhost:3003' }],
    });
  });

  it('serves the scripts as JavaScript modules', async () => {
    for (const name of ['playground.js', 'scenarios.js', 'fetcher.js', 'frame.js']) {
      const response = await fetch(`${base}/${name}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    }
  });

  it('serves nothing but its own files', async () => {
    for (const path of ['/../package.json', '/src/server.ts', '/%2e%2e/package.json', '/public/index.html']) {
      expect((await fetch(`${base}${path}`)).status).toBe(404);
    }
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(405);
  });

  it('reads the demo URLs from the environment with local defaults', () => {
    expect(apisFromEnv({})).toEqual([
      { id: 'nest', label: 'NestJS (Express)', url: 'http://localhost:3001' },
      { id: 'fastify', label: 'Fastify', url: 'http://localhost:3002' },
      { id: 'koa', label: 'Koa', url: 'http://localhost:3003' },
      { id: 'express', label: 'Express', url: 'http://localhost:3004' },
    ]);
    expect(apisFromEnv({ NEST_FASTIFY_URL: 'http://localhost:3011/', KOA_URL: 'http://127.0.0.1:4000' }).map((api) => api.url)).toEqual([
      'http://localhost:3001',
      'http://localhost:3011',
      'http://localhost:3002',
      'http://127.0.0.1:4000',
      'http://localhost:3004',
    ]);
  });
});
