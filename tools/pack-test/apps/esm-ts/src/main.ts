// An ESM TypeScript application (`"type": "module"`, `module: nodenext`) using every adapter as its README shows.
// Prints `READY {json}` with one URL per server, then serves until killed.
import 'reflect-metadata';
import { createRequire } from 'node:module';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { CorsConfigError, createCorsPolicy } from '@polycors/core';
import { VERSION } from '@polycors/cli';
import polycors, { type PolycorsOptions } from '@polycors/fastify';
import cors, { type KoaCorsOptions } from '@polycors/koa';
import expressCors, { type ExpressCorsOptions } from '@polycors/express';
import express from 'express';
import { CorsModule, type CorsModuleOptions } from '@polycors/nestjs';
import Fastify from 'fastify';
import Koa from 'koa';

// Each adapter's own options type (their origin functions differ: Koa's takes ctx, as @koa/cors's does).
const ORIGINS = ['https://app.example.com'];
const FASTIFY_OPTIONS: PolycorsOptions = { origin: ORIGINS };
const KOA_OPTIONS: KoaCorsOptions = { origin: ORIGINS };
const EXPRESS_OPTIONS: ExpressCorsOptions = { origin: ORIGINS };
const NEST_OPTIONS: CorsModuleOptions = { origin: ORIGINS };

async function startFastify(): Promise<string> {
  const app = Fastify();
  await app.register(polycors, FASTIFY_OPTIONS);
  app.get('/orders', async () => 'ok');
  return app.listen({ port: 0, host: '127.0.0.1' });
}

async function startExpress(): Promise<string> {
  const app = express();
  app.use(expressCors(EXPRESS_OPTIONS));
  app.get('/orders', (_req, res) => {
    res.send('ok');
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

async function startKoa(): Promise<string> {
  const app = new Koa();
  app.use(cors(KOA_OPTIONS));
  app.use((ctx) => {
    ctx.body = 'ok';
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

@Controller('orders')
class OrdersController {
  @Get() list(): string {
    return 'ok';
  }
}

@Module({ imports: [CorsModule.forRoot(NEST_OPTIONS)], controllers: [OrdersController] })
class AppModule {}

async function startNest(adapter: ExpressAdapter | FastifyAdapter): Promise<string> {
  const app = await NestFactory.create(AppModule, adapter, { logger: false });
  await app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
}

// The dual-package hazard, measured: the class require() hands out and the one import hands out.
function configErrorIdentity() {
  const required = createRequire(import.meta.url)('@polycors/core') as typeof import('@polycors/core');
  let thrownByRequiredIsImported = false;
  try {
    required.createCorsPolicy({ origin: '*', credentials: true });
  } catch (error) {
    thrownByRequiredIsImported = error instanceof CorsConfigError;
  }
  let thrownByImportedIsRequired = false;
  try {
    createCorsPolicy({ origin: '*', credentials: true });
  } catch (error) {
    thrownByImportedIsRequired = error instanceof required.CorsConfigError;
  }
  return { sameClass: required.CorsConfigError === CorsConfigError, thrownByRequiredIsImported, thrownByImportedIsRequired };
}

const servers = {
  fastify: await startFastify(),
  koa: await startKoa(),
  express: await startExpress(),
  'nest-express': await startNest(new ExpressAdapter()),
  'nest-fastify': await startNest(new FastifyAdapter()),
};
console.log(`READY ${JSON.stringify({ servers, configErrorIdentity: configErrorIdentity(), cliVersion: VERSION })}`);
