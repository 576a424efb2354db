import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Module } from '@nestjs/common';
import { Cors, CorsModule } from '../src/index.js';
import { PLATFORMS, type RunningApp, preflight, send } from './harness.js';

const APP = 'https://app.example.com';
const PARTNER = 'https://partner.example.com';
const ONLY = 'https://only.example.com';
const BACK = 'https://back.example.com';

@Cors({ origin: PARTNER, exposedHeaders: ['X-Ctrl'] })
@Controller('layered')
class LayeredController {
  @Get('inherited')
  inherited() {
    return {};
  }

  @Cors({ credentials: false, exposedHeaders: ['X-Handler'] })
  @Get('scalar')
  scalar() {
    return {};
  }

  @Cors({ inherit: false, origin: ONLY })
  @Get('replaced')
  replaced() {
    return {};
  }

  @Cors({ methods: ['GET', 'DELETE'] })
  @Get('methods')
  methods() {
    return {};
  }
}

@Cors(false)
@Controller('off')
class OffController {
  @Get()
  off() {
    return {};
  }

  @Cors({ origin: BACK })
  @Get('back')
  back() {
    return {};
  }
}

@Module({
  imports: [CorsModule.forRoot({ origin: [APP], credentials: true, exposedHeaders: ['X-Global'], logRefusals: false })],
  controllers: [LayeredController, OffController],
})
class MergeModule {}

describe.each(PLATFORMS)('global, controller and handler policies merged on %s', (platform) => {
  let server: RunningApp;
  beforeAll(async () => {
    server = await startAppFor(platform);
  });
  afterAll(() => server.close());

  async function startAppFor(p: typeof platform) {
    const { startApp } = await import('./harness.js');
    return startApp(p, MergeModule);
  }

  const get = (path: string, origin: string) => send(`${server.url}${path}`, { headers: { origin } });

  it('unites the origin and exposed-header lists of the global and controller layers and keeps global scalars', async () => {
    for (const origin of [APP, PARTNER]) {
      const reply = await get('/layered/inherited', origin);
      expect(reply.header('access-control-allow-origin')).toBe(origin);
      expect(reply.header('access-control-allow-credentials')).toBe('true');
      expect(reply.header('access-control-expose-headers')).toBe('X-Global, X-Ctrl');
    }
  });

  it('lets a handler override a scalar (credentials) while still uniting lists', async () => {
    const reply = await get('/layered/scalar', PARTNER);
    expect(reply.header('access-control-allow-origin')).toBe(PARTNER);
    expect(reply.header('access-control-allow-credentials')).toBeNull();
    expect(reply.header('access-control-expose-headers')).toBe('X-Global, X-Ctrl, X-Handler');
  });

  it('replaces everything above with inherit: false', async () => {
    expect((await get('/layered/replaced', ONLY)).header('access-control-allow-origin')).toBe(ONLY);
    const app = await get('/layered/replaced', APP);
    expect(app.header('access-control-allow-origin')).toBeNull();
    expect((await get('/layered/replaced', ONLY)).header('access-control-allow-credentials')).toBeNull();
  });

  it('allows configured methods instead of the route methods when methods are set', async () => {
    expect((await preflight(`${server.url}/layered/methods`, APP, 'DELETE')).status).toBe(204);
    expect((await preflight(`${server.url}/layered/methods`, APP, 'PUT')).status).toBe(403);
  });

  it('turns a whole controller off with @Cors(false), and lets one handler opt back in', async () => {
    expect((await get('/off', APP)).header('access-control-allow-origin')).toBeNull();
    expect((await preflight(`${server.url}/off`, APP, 'GET')).status).toBe(403);
    expect((await get('/off/back', BACK)).header('access-control-allow-origin')).toBe(BACK);
    expect((await get('/off/back', APP)).header('access-control-allow-origin')).toBe(APP);
    expect((await preflight(`${server.url}/off/back`, BACK, 'GET')).status).toBe(204);
  });
});
