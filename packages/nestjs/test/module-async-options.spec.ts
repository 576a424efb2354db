/**
 * `CorsModule.forRootAsync` as Nest modules offer it (`useFactory`, `useClass`, `useExisting`), the origins an
 * injected service decides, and the startup messages: labelled by how the options were given, naming where an
 * inherited `credentials: true` came from, and prefixed once (`[polycors]`, Nest's context).
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { Controller, Get, Injectable, type LoggerService, Module, Post } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Cors, CorsConfigError, CorsModule, type CorsModuleOptions, type CorsOptionsFactory } from '../src/index.js';
import { PLATFORMS, type RunningApp, createApp, preflight, send, startApp } from './harness.js';

const ORIGINS = 'https://a.example.com, https://b.example.com';

@Controller('thing')
class ThingController {
  @Get()
  get() {
    return { ok: true };
  }

  @Post()
  post() {
    return { ok: true };
  }
}

const config = ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ CORS_ORIGINS: ORIGINS })] });

/** The README's useClass example: origins from configuration, trimmed. */
@Injectable()
class CorsConfig implements CorsOptionsFactory {
  constructor(private readonly config: ConfigService) {}
  createCorsOptions(): CorsModuleOptions {
    return { origin: this.config.getOrThrow<string>('CORS_ORIGINS').split(',').map((origin) => origin.trim()), maxAge: 60 };
  }
}

@Module({ imports: [config, CorsModule.forRootAsync({ imports: [ConfigModule], useClass: CorsConfig })], controllers: [ThingController] })
class UseClassModule {}

@Module({ imports: [ConfigModule], providers: [CorsConfig], exports: [CorsConfig] })
class CorsConfigModule {}

@Module({ imports: [config, CorsModule.forRootAsync({ imports: [CorsConfigModule], useExisting: CorsConfig })], controllers: [ThingController] })
class UseExistingModule {}

/** The README's injected-provider example: a service decides each origin (a tenant table, say). */
@Injectable()
class Tenants {
  private readonly known = new Set(['https://acme.example.com']);
  async isKnown(origin: string): Promise<boolean> {
    return this.known.has(origin);
  }
}

@Module({ providers: [Tenants], exports: [Tenants] })
class TenantsModule {}

@Module({
  imports: [
    CorsModule.forRootAsync({
      imports: [TenantsModule],
      inject: [Tenants],
      useFactory: (tenants: Tenants) => ({ origin: (origin: string) => tenants.isKnown(origin), credentials: true, logRefusals: false }),
    }),
  ],
  controllers: [ThingController],
})
class TenantOriginsModule {}

@Module({ imports: [CorsModule.forRootAsync({ useFactory: () => ({ origin: ['https://a.example.com/'], maxAge: -1 }) })], controllers: [ThingController] })
class BadAsyncModule {}

@Controller('public')
class PublicController {
  @Cors({ origin: '*' })
  @Get()
  get() {
    return { ok: true };
  }
}

@Module({ imports: [CorsModule.forRoot({ origin: ['https://a.example.com'], credentials: true })], controllers: [PublicController] })
class InheritedCredentialsModule {}

@Module({ imports: [CorsModule.forRoot({ origin: ['https://a.example.com'], maxAge: 10000 })], controllers: [ThingController] })
class WarningModule {}

async function failure(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe.each(PLATFORMS)('CorsModule.forRootAsync on %s', (platform) => {
  const running: RunningApp[] = [];
  const start = async (module: Function, appOptions = {}) => {
    const server = await startApp(platform, module, { appOptions });
    running.push(server);
    return server;
  };
  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.close()));
  });

  it.each([
    ['useClass', UseClassModule],
    ['useExisting', UseExistingModule],
  ])('takes its options from a CorsOptionsFactory given as %s (origins "a, b" trimmed)', async (_how, module) => {
    const server = await start(module);
    for (const origin of ['https://a.example.com', 'https://b.example.com']) {
      const reply = await preflight(`${server.url}/thing`, origin, 'POST');
      expect(reply.status).toBe(204);
      expect(reply.header('access-control-allow-origin')).toBe(origin);
      expect(reply.header('access-control-max-age')).toBe('60');
    }
    expect((await preflight(`${server.url}/thing`, 'https://c.example.com', 'POST')).status).toBe(403);
  });

  it('lets an injected service decide the origins', async () => {
    const server = await start(TenantOriginsModule);
    const allowed = await send(`${server.url}/thing`, { headers: { origin: 'https://acme.example.com' } });
    expect(allowed.header('access-control-allow-origin')).toBe('https://acme.example.com');
    expect(allowed.header('access-control-allow-credentials')).toBe('true');
    expect((await send(`${server.url}/thing`, { headers: { origin: 'https://evil.example.com' } })).header('access-control-allow-origin')).toBeNull();
    expect((await preflight(`${server.url}/thing`, 'https://acme.example.com', 'POST')).status).toBe(204);
  });

  it('labels its startup errors CorsModule.forRootAsync', async () => {
    const app = await createApp(platform, BadAsyncModule);
    const error = await failure(() => app.init());
    expect(error).toBeInstanceOf(CorsConfigError);
    const paths = (error as CorsConfigError).problems.map((problem) => problem.path);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.every((path) => path.startsWith('CorsModule.forRootAsync (global policy): '))).toBe(true);
    await app.close();
  });

  it("names the global options as the source of the credentials that refuse a handler's '*'", async () => {
    const app = await createApp(platform, InheritedCredentialsModule);
    const error = (await failure(() => app.init())) as CorsConfigError;
    const problem = error.problems.find((found) => found.code === 'origin-any-with-credentials');
    expect(problem?.path).toMatch(/^PublicController\.get \(GET \/public\): /);
    expect(problem?.message).toMatch(/credentials: true is inherited from the global options \(CorsModule\.forRoot\); set credentials: false in this @Cors\(\)/);
    await app.close();
  });

  it('prefixes its warnings once, with the Logger context', async () => {
    const warnings: [string, string][] = [];
    const logger: LoggerService = { log: () => undefined, error: () => undefined, warn: (message: unknown, context?: unknown) => void warnings.push([String(context), String(message)]) };
    await start(WarningModule, { logger });
    const ours = warnings.filter(([context]) => context === 'polycors');
    expect(ours.some(([, message]) => message.includes('max-age-above-chromium-cap'))).toBe(true);
    expect(ours.filter(([, message]) => message.startsWith('polycors'))).toEqual([]);
  });
});

describe('CorsModule.forRootAsync options', () => {
  it('needs exactly one of useFactory, useClass and useExisting', () => {
    expect(() => CorsModule.forRootAsync({})).toThrow(/exactly one of useFactory, useClass or useExisting; none was given/);
    expect(() => CorsModule.forRootAsync({ useClass: CorsConfig, useExisting: CorsConfig })).toThrow(/useClass and useExisting were given/);
  });
});
