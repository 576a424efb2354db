/**
 * The browser caches a preflight answer for the whole URL: an answer for one handler must never advertise what a
 * sibling handler on the same path refuses (issue reproduction: GET global, PATCH admin only, DELETE CORS off).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Delete, Get, Module, Patch, Post } from '@nestjs/common';
import { Cors, CorsModule } from '../src/index.js';
import { PLATFORMS, type RunningApp, preflight, startApp } from './harness.js';

const APP = 'https://app.example.com';
const ADMIN = 'https://admin.example.com';

@Controller('form')
class SiblingFormController {
  @Get()
  read() {
    return 'read';
  }

  @Cors({ origin: [ADMIN], inherit: false })
  @Patch()
  update() {
    return 'patched';
  }

  @Cors(false)
  @Delete()
  remove() {
    return 'deleted';
  }
}

@Controller('guarded')
class GuardedFormController {
  @Get()
  read() {
    return 'read';
  }

  @Cors({ origin: [ADMIN], inherit: false })
  @Post()
  create() {
    return 'created';
  }
}

@Module({
  imports: [CorsModule.forRoot({ origin: [APP], maxAge: 600, logRefusals: false })],
  controllers: [SiblingFormController, GuardedFormController],
})
class SiblingModule {}

describe.each(PLATFORMS)('sibling handlers on %s', (platform) => {
  let server: RunningApp;
  beforeAll(async () => {
    server = await startApp(platform, SiblingModule);
  });
  afterAll(() => server.close());

  it('never lists a sibling method whose handler refuses the origin or has CORS off', async () => {
    const reply = await preflight(`${server.url}/form`, APP, 'GET', 'x-app-version');
    expect(reply.status).toBe(204);
    expect(reply.header('access-control-allow-methods')?.split(/,\s*/).sort()).toEqual(['GET', 'HEAD']);
    expect(reply.header('access-control-max-age')).toBe('600');
  });

  it('answers Max-Age: 0 when a header the request needs would reach a safelisted sibling that refuses the origin', async () => {
    const reply = await preflight(`${server.url}/guarded`, APP, 'GET', 'x-app-version');
    expect(reply.status).toBe(204);
    expect(reply.header('access-control-allow-headers')).toBe('x-app-version');
    expect(reply.header('access-control-max-age')).toBe('0');
  });
});
