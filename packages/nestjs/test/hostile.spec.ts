import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Module } from '@nestjs/common';
import { CorsModule } from '../src/index.js';
import { PLATFORMS, type RunningApp, preflight, send, startApp } from './harness.js';

@Controller('items')
class ItemsController {
  @Get(':id')
  get() {
    return {};
  }
}

@Module({ imports: [CorsModule.forRoot({ origin: 'https://app.example.com', logRefusals: false })], controllers: [ItemsController] })
class HostileModule {}

function raw(url: string, path: string, headers: Record<string, string>): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, method: 'OPTIONS', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.each(PLATFORMS)('hostile requests on %s', (platform) => {
  let server: RunningApp;
  beforeAll(async () => {
    server = await startApp(platform, HostileModule);
  });
  afterAll(() => server.close());

  it('refuses an Access-Control-Request-Headers over the length limit without parsing it', async () => {
    const reply = await preflight(`${server.url}/items/1`, 'https://app.example.com', 'GET', 'a,'.repeat(3000));
    expect(reply.status).toBe(403);
  });

  it('survives odd request targets and keeps serving', async () => {
    const headers = { origin: 'https://app.example.com', 'access-control-request-method': 'GET' };
    for (const path of ['*', '/items//', `/items/${'x'.repeat(5000)}`, '/%ZZ', '/items/1?a=%00']) {
      const status = await raw(server.url, path, headers);
      expect(status).toBeGreaterThanOrEqual(200);
    }
    const ok = await send(`${server.url}/items/1`, { headers: { origin: 'https://app.example.com' } });
    expect(ok.header('access-control-allow-origin')).toBe('https://app.example.com');
  });
});
