import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, type INestApplication, type LoggerService, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Cors, CorsModule } from '../src/index.js';
import { PLATFORMS, adapterFor, preflight, send } from './harness.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example';

@Controller('items')
class ItemsController {
  @Post()
  create() {
    return { created: true };
  }
}

@Cors(false)
@Controller('internal')
class InternalController {
  @Get()
  read() {
    return { internal: true };
  }
}

@Module({ imports: [CorsModule.forRoot({ origin: [APP] })], controllers: [ItemsController, InternalController] })
class LoggingModule {}

class CollectingLogger implements LoggerService {
  readonly lines: { level: string; message: string }[] = [];
  log(): void {}
  error(message: unknown): void {
    this.lines.push({ level: 'error', message: String(message) });
  }
  warn(message: unknown): void {
    this.lines.push({ level: 'warn', message: String(message) });
  }
  debug(message: unknown): void {
    this.lines.push({ level: 'debug', message: String(message) });
  }
  verbose(): void {}
  refusals(level: string): string[] {
    return this.lines.filter((line) => line.level === level && line.message.startsWith('refused')).map((line) => line.message);
  }
  clear(): void {
    this.lines.length = 0;
  }
}

describe.each(PLATFORMS)('which refusals are logged as warnings on %s', (platform) => {
  let app: INestApplication;
  let url: string;
  const logger = new CollectingLogger();
  beforeAll(async () => {
    app = await NestFactory.create(LoggingModule, adapterFor(platform), { logger });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(() => app.close());

  it('warns about a POST from an origin the policy refuses', async () => {
    logger.clear();
    expect((await send(`${url}/items`, { method: 'POST', headers: { origin: EVIL } })).status).toBe(201);
    expect(logger.refusals('warn')).toEqual([expect.stringMatching(/^refused actual POST \/items -> ItemsController\.create .*origin-not-allowed/)]);
  });

  it("does not warn about a same-origin POST (the API's own origin, as Swagger's Try it out sends it)", async () => {
    logger.clear();
    const reply = await send(`${url}/items`, { method: 'POST', headers: { origin: url } });
    expect(reply.status).toBe(201);
    expect(reply.header('access-control-allow-origin')).toBeNull();
    expect(logger.refusals('warn')).toEqual([]);
    expect(logger.refusals('debug')).toHaveLength(1);
  });

  it('does not warn about a same-origin POST behind a proxy that forwards the public host', async () => {
    logger.clear();
    await send(`${url}/items`, { method: 'POST', headers: { origin: 'https://api.example.com', 'x-forwarded-host': 'api.example.com', 'x-forwarded-proto': 'https' } });
    expect(logger.refusals('warn')).toEqual([]);
  });

  it('does not warn about actual requests to a route with CORS off, but still about a preflight to it', async () => {
    logger.clear();
    for (let i = 0; i < 5; i++) expect((await send(`${url}/internal`, { headers: { origin: APP } })).status).toBe(200);
    expect(logger.refusals('warn')).toEqual([]);
    expect(logger.refusals('debug')).toHaveLength(5);
    expect((await preflight(`${url}/internal`, APP, 'GET', 'x-app-version')).status).toBe(403);
    expect(logger.refusals('warn')).toEqual([expect.stringMatching(/^refused preflight OPTIONS \/internal for GET -> InternalController\.read .*cors-disabled/)]);
  });
});
