import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Module, Put, RequestMethod, VersioningType } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { Cors, CorsModule } from '../src/index.js';
import { PLATFORMS, type RunningApp, preflight, send } from './harness.js';

const APP = 'https://app.example.com';
const ADMIN = 'https://admin.example.com';
const EVIL = 'https://evil.example';

@Controller({ path: 'items', version: '1' })
class ItemsV1Controller {
  @Cors({ exposedHeaders: ['X-Item-V1'] })
  @Get(':id')
  get() {
    return { v: 1 };
  }
}

@Controller({ path: 'items', version: '2' })
class ItemsV2Controller {
  @Cors({ exposedHeaders: ['X-Item-V2'] })
  @Get(':id')
  get() {
    return { v: 2 };
  }
}

@Cors({ origin: ADMIN })
@Controller('users')
class AdminUsersController {
  @Get(':id')
  get() {
    return { admin: true };
  }
}

@Module({ controllers: [AdminUsersController] })
class AdminModule {}

@Controller({ path: 'files', version: '1' })
class FilesController {
  @Cors({ exposedHeaders: ['X-File'] })
  @Get('*')
  file() {
    return { file: true };
  }
}

@Controller({ path: ['multi', 'many'], version: '1' })
class MultiController {
  @Cors({ maxAge: 60 })
  @Get(['alpha', 'beta'])
  read() {
    return { multi: true };
  }

  @Put('alpha')
  write() {
    return { written: true };
  }
}

@Controller({ version: '1' })
class HealthController {
  @Cors({ exposedHeaders: ['X-Health'] })
  @Get('health')
  health() {
    return { ok: true };
  }
}

@Module({
  imports: [
    CorsModule.forRoot({ origin: APP, logRefusals: false }),
    AdminModule,
    RouterModule.register([{ path: 'admin', module: AdminModule }]),
  ],
  controllers: [ItemsV1Controller, ItemsV2Controller, FilesController, MultiController, HealthController],
})
class RoutingModule {}

describe.each(PLATFORMS)('route table on %s (global prefix + exclude, URI versioning, RouterModule, params, wildcards)', (platform) => {
  let server: RunningApp;
  beforeAll(async () => {
    server = await startAppWith(platform);
  });
  afterAll(() => server.close());

  async function startAppWith(p: typeof platform) {
    const { startApp } = await import('./harness.js');
    return startApp(p, RoutingModule, {
      configure: (app) => {
        app.setGlobalPrefix('api', { exclude: [{ path: 'health', method: RequestMethod.GET }] });
        app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
      },
    });
  }

  it('gives each URI version its own handler policy', async () => {
    const v1 = await send(`${server.url}/api/v1/items/42`, { headers: { origin: APP } });
    expect(JSON.parse(v1.body)).toEqual({ v: 1 });
    expect(v1.header('access-control-expose-headers')).toBe('X-Item-V1');
    const v2 = await send(`${server.url}/api/v2/items/42`, { headers: { origin: APP } });
    expect(JSON.parse(v2.body)).toEqual({ v: 2 });
    expect(v2.header('access-control-expose-headers')).toBe('X-Item-V2');
  });

  it("allows a route's own methods when methods are not configured", async () => {
    expect((await preflight(`${server.url}/api/v2/items/42`, APP, 'GET')).status).toBe(204);
    const put = await preflight(`${server.url}/api/v2/items/42`, APP, 'PUT');
    expect(put.status).toBe(403);
    const multiPut = await preflight(`${server.url}/api/v1/multi/alpha`, APP, 'PUT');
    expect(multiPut.status).toBe(204);
    expect(multiPut.header('access-control-allow-methods')?.split(/,\s*/).sort()).toEqual(['GET', 'HEAD', 'PUT']);
  });

  it('finds RouterModule paths under the global prefix and merges the controller origin with the global one', async () => {
    const admin = await preflight(`${server.url}/api/v1/admin/users/7`, ADMIN, 'GET');
    expect(admin.status).toBe(204);
    expect(admin.header('access-control-allow-origin')).toBe(ADMIN);
    expect((await preflight(`${server.url}/api/v1/admin/users/7`, APP, 'GET')).status).toBe(204);
    expect((await preflight(`${server.url}/api/v1/admin/users/7`, EVIL, 'GET')).status).toBe(403);
    const actual = await send(`${server.url}/api/v1/admin/users/7`, { headers: { origin: ADMIN } });
    expect(actual.status).toBe(200);
    expect(actual.header('access-control-allow-origin')).toBe(ADMIN);
  });

  it('judges a path outside the prefix by the global policy', async () => {
    const outside = await preflight(`${server.url}/admin/users/7`, ADMIN, 'GET');
    expect(outside.status).toBe(403);
  });

  it('knows the routes the global prefix excludes', async () => {
    const health = await send(`${server.url}/v1/health`, { headers: { origin: APP } });
    expect(health.status).toBe(200);
    expect(health.header('access-control-expose-headers')).toBe('X-Health');
    const prefixed = await send(`${server.url}/api/v1/health`, { headers: { origin: APP } });
    expect(prefixed.status).toBe(404);
    expect(prefixed.header('access-control-expose-headers')).toBeNull();
  });

  it('matches wildcard routes', async () => {
    const file = await send(`${server.url}/api/v1/files/a/b/c.txt`, { headers: { origin: APP } });
    expect(file.status).toBe(200);
    expect(file.header('access-control-expose-headers')).toBe('X-File');
  });

  it('covers every path of a handler with several paths and a controller with several paths', async () => {
    for (const path of ['multi/alpha', 'multi/beta', 'many/alpha', 'many/beta']) {
      const reply = await preflight(`${server.url}/api/v1/${path}`, APP, 'GET');
      expect([path, reply.status, reply.header('access-control-max-age')]).toEqual([path, 204, '60']);
    }
  });

  const caseInsensitive = platform === 'express';
  it(`matches paths ${caseInsensitive ? 'case-insensitively and with a trailing slash, as Express 5' : 'case-sensitively and without a trailing slash, as Fastify'} does`, async () => {
    const upper = await preflight(`${server.url}/api/v1/MULTI/alpha`, APP, 'GET');
    const slash = await preflight(`${server.url}/api/v1/multi/alpha/`, APP, 'GET');
    const served = await send(`${server.url}/api/v1/MULTI/alpha`);
    expect(served.status).toBe(caseInsensitive ? 200 : 404);
    expect(upper.header('access-control-max-age')).toBe(caseInsensitive ? '60' : null);
    expect(slash.header('access-control-max-age')).toBe(caseInsensitive ? '60' : null);
    expect((await send(`${server.url}/api/v1/multi/alpha/`)).status).toBe(caseInsensitive ? 200 : 404);
  });
});
