import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Controller, Get, InternalServerErrorException, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CorsModule } from '../src/index.js';
import { CountingControllerGuard, CountingAuthGuard, CountingGlobalGuard, FormController, OptionsController, PrivateController, guardRuns } from './fixtures.js';
import { PLATFORMS, type RunningApp, preflight, send, startApp, varyTokens } from './harness.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example';

@Controller('boom')
class BoomController {
  @Get()
  boom(): never {
    throw new Error('unhandled');
  }

  @Get('http')
  http(): never {
    throw new InternalServerErrorException('handled');
  }
}

@Module({
  imports: [CorsModule.forRoot({ origin: [APP], credentials: true, logRefusals: false })],
  controllers: [OptionsController, FormController, PrivateController, BoomController],
  providers: [{ provide: APP_GUARD, useClass: CountingGlobalGuard }, CountingControllerGuard, CountingAuthGuard],
})
class AppModule {}

const cases = PLATFORMS.flatMap((platform) => [
  [platform, 'NestFactory', false],
  [platform, '@nestjs/testing', true],
] as const);

describe.each(cases)('on %s, built with %s', (platform, _how, testing) => {
  let server: RunningApp;
  beforeAll(async () => {
    server = await startApp(platform, AppModule, { testing });
  });
  afterAll(() => server.close());
  beforeEach(() => guardRuns.reset());

  it('answers an allowed preflight itself and no guard runs (global, controller or handler)', async () => {
    const reply = await preflight(`${server.url}/form`, APP, 'PATCH', 'authorization, content-type, x-app-version');
    expect(reply.status).toBe(204);
    expect(reply.header('access-control-allow-origin')).toBe(APP);
    expect(reply.header('access-control-allow-credentials')).toBe('true');
    expect(reply.header('access-control-allow-headers')?.toLowerCase()).toContain('x-app-version');
    expect(reply.header('access-control-max-age')).toBe('300');
    expect(varyTokens(reply)).toContain('origin');
    expect(guardRuns).toMatchObject({ global: 0, controller: 0, handler: 0 });
  });

  it('refuses a preflight from an origin not allowed with 403 and no CORS headers, without running guards', async () => {
    const reply = await preflight(`${server.url}/form`, EVIL, 'PATCH', 'authorization');
    expect(reply.status).toBe(403);
    expect(reply.header('access-control-allow-origin')).toBeNull();
    expect(guardRuns).toMatchObject({ global: 0, controller: 0, handler: 0 });
  });

  it('gives a guard 401 the CORS headers, so the page can read why it was refused', async () => {
    const reply = await send(`${server.url}/form`, { method: 'PATCH', headers: { origin: APP, 'content-type': 'application/json' }, body: '{}' });
    expect(reply.status).toBe(401);
    expect(reply.header('access-control-allow-origin')).toBe(APP);
    expect(reply.header('access-control-allow-credentials')).toBe('true');
    expect(varyTokens(reply)).toContain('origin');
    expect(guardRuns).toMatchObject({ global: 1, controller: 1, handler: 1 });
  });

  it('lets the actual request through the guards when the token is right', async () => {
    const reply = await send(`${server.url}/form`, { method: 'PATCH', headers: { origin: APP, authorization: 'Bearer demo-token' } });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ updated: true });
    expect(reply.header('access-control-allow-origin')).toBe(APP);
  });

  it('judges a preflight by the handler that would serve the requested method', async () => {
    // PATCH /form has its own allowedHeaders list; POST /form has the global policy (any requested header).
    const patch = await preflight(`${server.url}/form`, APP, 'PATCH', 'x-other');
    expect(patch.status).toBe(403);
    const postPlain = await preflight(`${server.url}/form`, APP, 'POST', 'x-other');
    expect(postPlain.status).toBe(204);
    expect(postPlain.header('access-control-allow-methods')?.split(/,\s*/).sort()).toEqual(['PATCH', 'POST']);
    // PATCH is listed (its handler allows the origin), so a cached x-other would let a PATCH carrying it skip
    // its preflight although PATCH /form refuses that header: the answer is given once, not cached.
    expect(postPlain.header('access-control-max-age')).toBe('0');
    const postWithoutHeaders = await preflight(`${server.url}/form`, APP, 'POST');
    expect(postWithoutHeaders.header('access-control-max-age')).toBeNull();
  });

  it('refuses a preflight for a method the path does not serve', async () => {
    const reply = await preflight(`${server.url}/form`, APP, 'DELETE');
    expect(reply.status).toBe(403);
    expect(reply.header('access-control-allow-origin')).toBeNull();
  });

  it('applies a controller policy with inherit: false (any origin, exposed header, no credentials)', async () => {
    const reply = await send(`${server.url}/options`, { headers: { origin: EVIL } });
    expect(reply.status).toBe(200);
    expect(reply.header('access-control-allow-origin')).toBe('*');
    expect(reply.header('access-control-expose-headers')).toBe('X-List-Version');
    expect(reply.header('access-control-allow-credentials')).toBeNull();
    expect(guardRuns.global).toBe(1);
  });

  it('turns CORS off with @Cors(false): preflights refused, actual responses without CORS headers', async () => {
    const pre = await preflight(`${server.url}/private`, APP, 'GET');
    expect(pre.status).toBe(403);
    const actual = await send(`${server.url}/private`, { headers: { origin: APP } });
    expect(actual.status).toBe(200);
    expect(actual.header('access-control-allow-origin')).toBeNull();
    const sibling = await send(`${server.url}/private/open`, { headers: { origin: APP } });
    expect(sibling.header('access-control-allow-origin')).toBe(APP);
  });

  it('puts CORS headers on 404s and judges unknown paths by the global policy', async () => {
    const actual = await send(`${server.url}/nowhere`, { headers: { origin: APP } });
    expect(actual.status).toBe(404);
    expect(actual.header('access-control-allow-origin')).toBe(APP);
    const pre = await preflight(`${server.url}/nowhere`, APP, 'PUT');
    expect(pre.status).toBe(204);
    const refused = await preflight(`${server.url}/nowhere`, EVIL, 'PUT');
    expect(refused.status).toBe(403);
  });

  it('puts CORS headers on unhandled errors and HttpExceptions (500)', async () => {
    const unhandled = await send(`${server.url}/boom`, { headers: { origin: APP } });
    expect(unhandled.status).toBe(500);
    expect(unhandled.header('access-control-allow-origin')).toBe(APP);
    const http = await send(`${server.url}/boom/http`, { headers: { origin: APP } });
    expect(http.status).toBe(500);
    expect(http.header('access-control-allow-origin')).toBe(APP);
  });

  it('adds Vary: Origin but no CORS headers to requests without Origin', async () => {
    const reply = await send(`${server.url}/form`, { method: 'POST' });
    expect(reply.status).toBe(201);
    expect(reply.header('access-control-allow-origin')).toBeNull();
    expect(varyTokens(reply)).toContain('origin');
  });

  it('lets a plain OPTIONS request (no Access-Control-Request-Method) reach the application', async () => {
    const reply = await send(`${server.url}/form`, { method: 'OPTIONS', headers: { origin: APP } });
    expect(reply.status).not.toBe(204);
    expect(reply.header('access-control-allow-methods')).toBeNull();
  });
});
