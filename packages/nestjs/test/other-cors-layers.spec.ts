import { afterEach, describe, expect, it } from '@jest/globals';
import { Controller, Get, type INestApplication, type LoggerService, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyCors from '@fastify/cors';
import express from 'express';
import Fastify from 'fastify';
import { CorsConfigError, CorsModule } from '../src/index.js';
import { preflight, send } from './harness.js';

const APP = 'https://app.example.com';

@Controller('items')
class ItemsController {
  @Get()
  list() {
    return ['a'];
  }
}

@Module({ imports: [CorsModule.forRoot({ origin: [APP], credentials: true, logRefusals: false })], controllers: [ItemsController] })
class ItemsModule {}

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

let open: INestApplication | undefined;
afterEach(async () => {
  await open?.close().catch(() => undefined);
  open = undefined;
});

async function listen(app: INestApplication): Promise<string> {
  open = app;
  await app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
}

async function failure(action: () => Promise<unknown>): Promise<Error> {
  try {
    await action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a startup error');
}

/** Answers 401 unless the request carries the demo token: an auth layer that knows nothing about CORS. */
const unauthorised = (authorization: unknown) => authorization !== 'Bearer token';

describe('@fastify/cors beside CorsModule on Nest-fastify', () => {
  it.each([
    ['before app.init()', false],
    ['after app.init(), before listen()', true],
  ])('fails at startup when it is registered %s', async (_when, afterInit) => {
    const app = await NestFactory.create<NestFastifyApplication>(ItemsModule, new FastifyAdapter(), { logger: false, abortOnError: false });
    open = app;
    if (afterInit) await app.init();
    const error = await failure(async () => {
      await app.register(fastifyCors as never, { origin: '*' } as never);
      await app.listen(0, '127.0.0.1');
    });
    expect(error).toBeInstanceOf(CorsConfigError);
    expect(error.message).toMatch(/@fastify\/cors is registered on Nest's Fastify instance beside CorsModule/);
  });
});

describe('@fastify/cors inside an encapsulated plugin on Nest-fastify', () => {
  it('fails at startup too', async () => {
    const app = await NestFactory.create<NestFastifyApplication>(ItemsModule, new FastifyAdapter(), { logger: false, abortOnError: false });
    open = app;
    const error = await failure(async () => {
      await app.register((async (child: { register(plugin: unknown, options: unknown): Promise<unknown> }) => {
        await child.register(fastifyCors, { origin: '*' });
      }) as never);
      await app.listen(0, '127.0.0.1');
    });
    expect(error).toBeInstanceOf(CorsConfigError);
  });
});

describe('a pre-built Express app with an auth middleware added before Nest', () => {
  function prebuilt() {
    const server = express();
    server.use(function requireToken(req, res, next) {
      if (unauthorised(req.headers.authorization)) return void res.status(401).json({ message: 'token required' });
      next();
    });
    return server;
  }

  it('answers preflights before that middleware runs', async () => {
    const url = await listen(await NestFactory.create(ItemsModule, new ExpressAdapter(prebuilt()), { logger: false }));
    const reply = await preflight(`${url}/items`, APP, 'GET', 'authorization');
    expect(reply.status).toBe(204);
    expect(reply.header('access-control-allow-origin')).toBe(APP);
  });

  it("keeps the middleware's own answers, now with CORS headers the page can read", async () => {
    const url = await listen(await NestFactory.create(ItemsModule, new ExpressAdapter(prebuilt()), { logger: false }));
    const denied = await send(`${url}/items`, { headers: { origin: APP } });
    expect(denied.status).toBe(401);
    expect(denied.header('access-control-allow-origin')).toBe(APP);
    const ok = await send(`${url}/items`, { headers: { origin: APP, authorization: 'Bearer token' } });
    expect(ok.status).toBe(200);
  });
});

describe('a pre-built Fastify instance with an onRequest hook added before Nest', () => {
  function prebuilt() {
    const instance = Fastify();
    instance.addHook('onRequest', async function requireToken(request, reply) {
      if (unauthorised(request.headers.authorization)) return reply.code(401).send({ message: 'token required' });
    });
    return instance;
  }

  it('names the hook in a startup warning that says how to fix it', async () => {
    const logger = new CollectingLogger();
    await listen(await NestFactory.create(ItemsModule, new FastifyAdapter(prebuilt() as never), { logger }));
    const warning = logger.warnings.find((message) => message.includes('onRequest hook'));
    expect(warning).toMatch(/An onRequest hook \(requireToken\(\)\) was added to the Fastify instance before new FastifyAdapter\(instance\)/);
    expect(warning).toMatch(/after NestFactory\.create\(\)/);
  });

  it('says nothing when the same hook is added after NestFactory.create(), and polycors answers the preflight', async () => {
    const logger = new CollectingLogger();
    const app = await NestFactory.create<NestFastifyApplication>(ItemsModule, new FastifyAdapter(), { logger });
    app.getHttpAdapter().getInstance().addHook('onRequest', async function requireToken(request, reply) {
      if (unauthorised(request.headers.authorization)) return reply.code(401).send({ message: 'token required' });
    });
    const url = await listen(app);
    expect(logger.warnings.filter((message) => message.includes('onRequest hook'))).toEqual([]);
    const reply = await preflight(`${url}/items`, APP, 'GET', 'authorization');
    expect(reply.status).toBe(204);
    const denied = await send(`${url}/items`, { headers: { origin: APP } });
    expect(denied.status).toBe(401);
    expect(denied.header('access-control-allow-origin')).toBe(APP);
  });
});
