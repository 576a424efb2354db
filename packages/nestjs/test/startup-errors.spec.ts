import { describe, expect, it } from '@jest/globals';
import { Controller, Get, Module, Patch } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { Cors, CorsConfigError, CorsModule } from '../src/index.js';
import { PLATFORMS, adapterFor, createApp } from './harness.js';

const APP = 'https://app.example.com';

@Controller('form')
class FormController {
  @Get()
  read() {
    return {};
  }

  @Cors({ allowedHeaders: ['x-app-version'] })
  @Patch()
  update() {
    return {};
  }
}

@Module({ imports: [CorsModule.forRoot({ origin: APP })], controllers: [FormController] })
class GoodModule {}

@Module({ controllers: [FormController] })
class WithoutCorsModule {}

@Controller('bad')
class BadController {
  @Cors({ origin: '*', credentials: true, exposedHeaders: ['set-cookie'] })
  @Patch(':id')
  update() {
    return {};
  }

  @Cors({ maxAge: 999999 })
  @Get()
  list() {
    return [];
  }
}

@Module({ imports: [CorsModule.forRoot({ origin: 'https://App.example.com/' })], controllers: [BadController] })
class BadModule {}

@Module({ imports: [CorsModule.forRoot({ origin: APP }), CorsModule.forRoot({ origin: 'https://other.example.com' })], controllers: [FormController] })
class TwiceModule {}

async function failure(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the application to fail at startup');
}

describe.each(PLATFORMS)('startup errors on %s', (platform) => {
  it.each([false, true])('fails when app.enableCors() is switched on beside CorsModule (testing module: %s)', async (testing) => {
    const app = await createApp(platform, GoodModule, { testing });
    app.enableCors();
    const error = await failure(() => app.init());
    expect(error).toBeInstanceOf(CorsConfigError);
    expect((error as CorsConfigError).problems.map((p) => p.code)).toContain('enable-cors-duplicate');
    expect(error.message).toMatch(/contains multiple values/);
    await app.close();
  });

  it.each([false, true])('fails when NestFactory.create gets the cors option beside CorsModule (testing module: %s)', async (testing) => {
    const app = await createApp(platform, GoodModule, { testing, appOptions: { cors: { origin: APP } } });
    const error = await failure(() => app.init());
    expect((error as CorsConfigError).problems?.map((p) => p.code)).toContain('enable-cors-duplicate');
    await app.close();
  });

  it('fails at creation when @Cors() is used without CorsModule, naming the handler', async () => {
    const error = await failure(() => NestFactory.create(WithoutCorsModule, adapterFor(platform), { logger: false, abortOnError: false }));
    expect(error.message).toMatch(/@Cors\(\) is used on FormController\.update, but CorsModule is not imported/);
  });

  it('lists every invalid policy at once, naming the handler and its route', async () => {
    const app = await createApp(platform, BadModule);
    const error = await failure(() => app.init());
    expect(error).toBeInstanceOf(CorsConfigError);
    const problems = (error as CorsConfigError).problems;
    const paths = problems.map((p) => p.path).join('\n');
    expect(paths).toMatch(/CorsModule\.forRoot \(global policy\): origin/);
    expect(paths).toMatch(/BadController\.update \(PATCH \/bad\/:id\): /);
    expect(paths).toMatch(/BadController\.list \(GET \/bad\): maxAge/);
    const codes = problems.map((p) => p.code);
    expect(codes).toEqual(expect.arrayContaining(['origin-any-with-credentials', 'exposed-headers-set-cookie', 'max-age-range']));
    // The global origin problem is reported once, not once per route that inherits it.
    expect(problems.filter((p) => p.path.startsWith('CorsModule')).length).toBe(problems.filter((p) => p.path.startsWith('CorsModule') || p.code === 'origin-uppercase' || p.code === 'origin-trailing-slash').length);
    await app.close();
  });

  it('fails when CorsModule is imported twice with different options', async () => {
    const error = await failure(async () => {
      const app = await createApp(platform, TwiceModule);
      await app.init();
    });
    expect(error.message).toMatch(/CorsModule is installed twice/);
  });
});

describe('@Cors() without CorsModule under @nestjs/testing', () => {
  it('fails when the testing module imports an application module without CorsModule', async () => {
    const error = await failure(() => Test.createTestingModule({ imports: [WithoutCorsModule] }).compile());
    expect(error.message).toMatch(/@Cors\(\) is used on FormController\.update, but CorsModule is not imported/);
  });

  it('compiles a controller unit test (the controller declared straight in the testing module), as nest g controller writes it', async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [FormController] }).compile();
    expect(moduleRef.get(FormController).update()).toEqual({});
    await moduleRef.close();
  });

  it.each(PLATFORMS)('serves a controller unit test over real HTTP on %s, without CORS headers (there is no CorsModule)', async (platform) => {
    const moduleRef = await Test.createTestingModule({ controllers: [FormController] }).compile();
    const app = moduleRef.createNestApplication(adapterFor(platform), { logger: false });
    await app.listen(0, '127.0.0.1');
    try {
      const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}/form`;
      const response = await fetch(url, { method: 'PATCH', headers: { origin: APP } });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await app.close();
    }
  });

  it('compiles when CorsModule is imported', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [CorsModule.forRoot({ origin: APP })], controllers: [FormController] }).compile();
    expect(moduleRef).toBeDefined();
    await moduleRef.close();
  });
});
