/**
 * What the application sets on a response never undoes polycors' decision: an app-set Vary is merged with
 * `Vary: Origin`, and Access-Control-Allow-Origin (one value) and -Allow-Credentials stay polycors'.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Header, type INestApplication, type LoggerService, type MiddlewareConsumer, Module, type NestModule, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import Fastify from 'fastify';
import { CorsModule } from '../src/index.js';
import { PLATFORMS, type Platform, adapterFor, send, varyTokens } from './harness.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example';

/** Sets a header the platform's way: Fastify's reply.header() or Node's res.setHeader() (what Express' res.set() does). */
function setHeader(res: any, name: string, value: string): void {
  if (res.raw !== undefined && typeof res.header === 'function') res.header(name, value);
  else res.setHeader(name, value);
}

@Controller('vary')
class VaryController {
  @Get('decorator')
  @Header('Vary', 'Accept-Language')
  decorator() {
    return { ok: true };
  }

  @Get('set')
  set(@Res({ passthrough: true }) res: unknown) {
    setHeader(res, 'vary', 'Accept-Encoding');
    return { ok: true };
  }

  @Get('middleware')
  middleware() {
    return { ok: true };
  }
}

@Controller('allow-origin')
class AllowOriginController {
  @Get('star')
  star(@Res({ passthrough: true }) res: unknown) {
    setHeader(res, 'Access-Control-Allow-Origin', '*');
    setHeader(res, 'Access-Control-Allow-Credentials', 'true');
    return { ok: true };
  }

  @Get('decorator')
  @Header('Access-Control-Allow-Origin', 'https://other.example')
  decorator() {
    return { ok: true };
  }
}

@Module({
  imports: [CorsModule.forRoot({ origin: [APP], credentials: true, logRefusals: false })],
  controllers: [VaryController, AllowOriginController],
})
class ResponseModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply((_req: unknown, res: { setHeader(name: string, value: string): void }, next: () => void) => {
        res.setHeader('Vary', 'Cookie');
        next();
      })
      .forRoutes('vary/middleware');
  }
}

class CollectingLogger implements LoggerService {
  readonly warnings: string[] = [];
  log(): void {}
  error(): void {}
  debug(): void {}
  verbose(): void {}
  warn(message: unknown): void {
    this.warnings.push(String(message));
  }
}

async function start(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
}

describe.each(PLATFORMS)('headers the application sets on %s', (platform: Platform) => {
  let app: INestApplication;
  let url: string;
  const logger = new CollectingLogger();
  beforeAll(async () => {
    app = await NestFactory.create(ResponseModule, adapterFor(platform), { logger });
    url = await start(app);
  });
  afterAll(() => app.close());

  it.each([
    ['@Header()', '/vary/decorator', 'accept-language'],
    [platform === 'fastify' ? 'reply.header()' : 'res.setHeader()', '/vary/set', 'accept-encoding'],
    ['a Nest middleware', '/vary/middleware', 'cookie'],
  ])('keeps Vary: Origin beside the Vary set by %s, for allowed, refused and same-site requests', async (_how, path, token) => {
    for (const headers of [{ origin: APP }, { origin: EVIL }, {} as Record<string, string>]) {
      const reply = await send(`${url}${path}`, { headers });
      expect(reply.status).toBe(200);
      expect(varyTokens(reply)).toEqual(expect.arrayContaining(['origin', token]));
      expect(reply.header('access-control-allow-origin')).toBe(headers.origin === APP ? APP : null);
    }
  });

  it.each(['/allow-origin/star', '/allow-origin/decorator'])("answers %s with polycors' one Access-Control-Allow-Origin, whatever the handler set", async (path) => {
    const allowed = await send(`${url}${path}`, { headers: { origin: APP } });
    // fetch joins repeated headers with ', ': one exact value means one header.
    expect(allowed.header('access-control-allow-origin')).toBe(APP);
    expect(allowed.header('access-control-allow-credentials')).toBe('true');
    const refused = await send(`${url}${path}`, { headers: { origin: EVIL } });
    expect(refused.header('access-control-allow-origin')).toBeNull();
    expect(refused.header('access-control-allow-credentials')).toBeNull();
    const sameSite = await send(`${url}${path}`);
    expect(sameSite.header('access-control-allow-origin')).toBeNull();
  });

  it('logs each conflict once per route, naming the handler', async () => {
    for (let i = 0; i < 3; i++) await send(`${url}/allow-origin/star`, { headers: { origin: EVIL } });
    const star = logger.warnings.filter((message) => message.includes('AllowOriginController.star') && message.includes('access-control-allow-origin'));
    expect(star).toHaveLength(1);
    expect(star[0]).toMatch(/the app set access-control-allow-origin: \*; sent polycors' https:\/\/app\.example\.com/);
    expect(logger.warnings.filter((message) => message.includes('AllowOriginController.decorator') && message.includes('access-control-allow-origin'))).toHaveLength(1);
  });
});

describe('a Vary set before polycors runs (an onRequest hook of a pre-built Fastify instance)', () => {
  it('keeps both', async () => {
    const instance = Fastify();
    instance.addHook('onRequest', async (_request, reply) => {
      reply.header('vary', 'Accept');
    });
    const app = await NestFactory.create(ResponseModule, new FastifyAdapter(instance as never), { logger: false });
    const url = await start(app);
    try {
      // The hook's Vary (before polycors) and the middleware's (after it, on the Node response) are both kept.
      const reply = await send(`${url}/vary/middleware`, { headers: { origin: APP } });
      expect(varyTokens(reply)).toEqual(expect.arrayContaining(['origin', 'accept', 'cookie']));
    } finally {
      await app.close();
    }
  });
});
