import { describe, expect, it } from '@jest/globals';
import { Controller, Get, Module } from '@nestjs/common';
import { CorsModule } from '../src/index.js';
import { PLATFORMS, preflight, send, startApp } from './harness.js';

@Controller('hooked')
class HookedController {
  @Get()
  get() {
    return {};
  }
}

@Module({ imports: [CorsModule.forRoot({ origin: 'https://app.example.com', logRefusals: false })], controllers: [HookedController] })
class HookModule {}

describe.each(PLATFORMS)("the adapter's request hook on %s", (platform) => {
  it('still runs a hook set by other code, after polycors, for requests polycors passes on', async () => {
    const seen: string[] = [];
    const server = await startApp(platform, HookModule, {
      configure: (app) =>
        (app.getHttpAdapter() as unknown as { setOnRequestHook(hook: Function): void }).setOnRequestHook((_req: unknown, res: { setHeader?: (n: string, v: string) => void; raw?: { getHeader(n: string): unknown } }, done: () => void) => {
          const raw = (res.raw ?? res) as { getHeader(n: string): unknown };
          seen.push(String(raw.getHeader('access-control-allow-origin') ?? 'none'));
          done();
        }),
    });
    try {
      const reply = await send(`${server.url}/hooked`, { headers: { origin: 'https://app.example.com' } });
      expect(reply.status).toBe(200);
      expect((await preflight(`${server.url}/hooked`, 'https://app.example.com', 'GET')).status).toBe(204);
      expect(seen).toEqual(['https://app.example.com']);
    } finally {
      await server.close();
    }
  });
});
