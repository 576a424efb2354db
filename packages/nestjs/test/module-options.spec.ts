import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { type CanActivate, Controller, type ExecutionContext, Get, Injectable, type LoggerService, Module, Options, Post, UseGuards } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Cors, CorsModule, isPreflight } from '../src/index.js';
import { PLATFORMS, type RunningApp, preflight, send, startApp } from './harness.js';

@Controller('thing')
class ThingController {
  @Get()
  get() {
    return { ok: true };
  }

  @Cors({ allowedHeaders: ['content-type'] })
  @Post()
  post() {
    return { ok: true };
  }
}

@Module({
  imports: [
    ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ CORS_ORIGINS: 'https://cfg.example.com,https://cfg2.example.com' })] }),
    CorsModule.forRootAsync({
      imports: [ConfigModule],
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({ origin: config.getOrThrow<string>('CORS_ORIGINS').split(','), maxAge: 120 }),
    }),
  ],
  controllers: [ThingController],
})
class AsyncModule {}

const callbackOrigin = (origin: string | undefined, callback: (error: Error | null, allow?: boolean) => void) => {
  if (origin === 'https://broken.example.com') return callback(new Error('lookup failed'));
  setImmediate(() => callback(null, origin === 'https://cb.example.com'));
};

@Module({ imports: [CorsModule.forRoot({ origin: callbackOrigin, logger: false, logRefusals: false })], controllers: [ThingController] })
class CallbackOriginModule {}

@Module({
  imports: [CorsModule.forRoot({ origin: async (origin: string) => origin.endsWith('.tenants.example.com'), logRefusals: false })],
  controllers: [ThingController],
})
class AsyncOriginModule {}

const logged: string[] = [];
const captureLogger: LoggerService = {
  log: () => undefined,
  error: () => undefined,
  warn: (message: unknown, context?: unknown) => void logged.push(`${String(context)}|${String(message)}`),
};

@Module({ imports: [CorsModule.forRoot({ origin: 'https://app.example.com' })], controllers: [ThingController] })
class LoggingModule {}

describe.each(PLATFORMS)('CorsModule options on %s', (platform) => {
  const running: RunningApp[] = [];
  const start = async (module: Function, appOptions = {}) => {
    const server = await startApp(platform, module, { appOptions });
    running.push(server);
    return server;
  };
  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.close()));
  });

  it('takes its options from a factory with injected providers (forRootAsync + ConfigService)', async () => {
    const server = await start(AsyncModule);
    const reply = await preflight(`${server.url}/thing`, 'https://cfg2.example.com', 'POST', 'content-type');
    expect(reply.status).toBe(204);
    expect(reply.header('access-control-allow-origin')).toBe('https://cfg2.example.com');
    expect(reply.header('access-control-max-age')).toBe('120');
    expect((await preflight(`${server.url}/thing`, 'https://other.example.com', 'POST')).status).toBe(403);
  });

  it("accepts Nest's callback-style origin function, failing closed when it errors", async () => {
    const server = await start(CallbackOriginModule);
    expect((await send(`${server.url}/thing`, { headers: { origin: 'https://cb.example.com' } })).header('access-control-allow-origin')).toBe('https://cb.example.com');
    expect((await send(`${server.url}/thing`, { headers: { origin: 'https://no.example.com' } })).header('access-control-allow-origin')).toBeNull();
    const broken = await send(`${server.url}/thing`, { headers: { origin: 'https://broken.example.com' } });
    expect(broken.status).toBe(200);
    expect(broken.header('access-control-allow-origin')).toBeNull();
    expect((await preflight(`${server.url}/thing`, 'https://cb.example.com', 'POST', 'content-type')).status).toBe(204);
  });

  it('waits for an async origin function on preflights and actual requests', async () => {
    const server = await start(AsyncOriginModule);
    expect((await preflight(`${server.url}/thing`, 'https://a.tenants.example.com', 'POST')).status).toBe(204);
    expect((await preflight(`${server.url}/thing`, 'https://tenants.example.com', 'POST')).status).toBe(403);
    const actual = await send(`${server.url}/thing`, { headers: { origin: 'https://b.tenants.example.com' } });
    expect(actual.header('access-control-allow-origin')).toBe('https://b.tenants.example.com');
  });

  it("logs refusals through Nest's Logger with the reason code and the route", async () => {
    logged.length = 0;
    const server = await start(LoggingModule, { logger: captureLogger });
    await preflight(`${server.url}/thing`, 'https://app.example.com', 'POST', 'x-secret');
    await send(`${server.url}/thing`, { headers: { origin: 'https://evil.example.com' } });
    const lines = logged.filter((line) => line.startsWith('polycors|'));
    expect(lines.some((line) => line.includes('header-not-allowed') && line.includes('ThingController.post (POST /thing)'))).toBe(true);
    expect(lines.some((line) => line.includes('origin-not-allowed') && line.includes('ThingController.get (GET /thing)'))).toBe(true);
  });
});

describe('isPreflight', () => {
  it('is true for OPTIONS with Origin and Access-Control-Request-Method only', () => {
    expect(isPreflight({ method: 'OPTIONS', headers: { origin: 'https://a.example', 'access-control-request-method': 'PUT' } })).toBe(true);
    expect(isPreflight({ method: 'OPTIONS', headers: { origin: 'https://a.example' } })).toBe(false);
    expect(isPreflight({ method: 'OPTIONS', headers: { 'access-control-request-method': 'PUT' } })).toBe(false);
    expect(isPreflight({ method: 'GET', headers: { origin: 'https://a.example', 'access-control-request-method': 'PUT' } })).toBe(false);
    expect(isPreflight(undefined)).toBe(false);
  });

  describe.each(PLATFORMS)('in a guard of an application without CorsModule, on %s', (platform) => {
    const seen: boolean[] = [];
    @Injectable()
    class LetPreflightsThrough implements CanActivate {
      canActivate(context: ExecutionContext): boolean {
        const request = context.switchToHttp().getRequest();
        seen.push(isPreflight(request));
        return true;
      }
    }
    @Controller('guarded')
    @UseGuards(LetPreflightsThrough)
    class GuardedController {
      @Get()
      get() {
        return {};
      }

      @Options()
      options() {
        return {};
      }
    }
    @Module({ controllers: [GuardedController], providers: [LetPreflightsThrough] })
    class PlainModule {}

    let server: RunningApp;
    beforeAll(async () => {
      server = await startApp(platform, PlainModule);
    });
    afterAll(() => server.close());

    it("reads the platform's request object", async () => {
      await send(`${server.url}/guarded`, { headers: { origin: 'https://a.example' } });
      await preflight(`${server.url}/guarded`, 'https://a.example', 'GET');
      expect(seen).toEqual([false, true]);
    });
  });
});
