/**
 * Real applications on each polycors adapter, in debug mode, for doctor's tests: a global policy that allows the
 * page's origin, and a route (`PATCH /admin`) whose own policy replaces it (`inherit: false`) and allows only the
 * admin origin, as a team protecting one endpoint writes it. `GET /off` has CORS switched off for the route.
 */
import { Controller, Get, Module, Patch } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import Router from '@koa/router';
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { cors as expressCors } from '@polycors/express';
import { polycors } from '@polycors/fastify';
import { cors, corsRoute } from '@polycors/koa';
import { Cors, CorsModule } from '@polycors/nestjs';

export const ADMIN_ORIGIN = 'https://admin.example.com';

export interface RunningServer {
  url(path: string): string;
  close(): Promise<void>;
}

const adminOnly = { inherit: false, origin: [ADMIN_ORIGIN], methods: ['PATCH'], debug: true };

export async function startFastifyApp(pageOrigin: string): Promise<RunningServer> {
  const app = Fastify({ logger: false });
  await app.register(polycors, { origin: [pageOrigin], debug: true, logger: false });
  app.patch('/admin', { config: { cors: adminOnly } }, async () => ({ ok: true }));
  app.patch('/items', async () => ({ ok: true }));
  app.get('/off', { config: { cors: false } }, async () => ({ ok: true }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  return { url: (path) => `http://127.0.0.1:${port}${path}`, close: () => app.close() };
}

export async function startKoaApp(pageOrigin: string): Promise<RunningServer> {
  const app = new Koa();
  const router = new Router();
  router.patch('/admin', corsRoute(adminOnly), (ctx) => {
    ctx.body = { ok: true };
  });
  router.get('/off', corsRoute(false), (ctx) => {
    ctx.body = { ok: true };
  });
  app.use(cors({ origin: [pageOrigin], debug: true, logger: false, router }));
  app.use(router.routes()).use(router.allowedMethods());
  return listenOnLoopback(app);
}

/** Listens on 127.0.0.1 on a free port; `close` also drops kept-alive connections. */
async function listenOnLoopback(app: { listen(port: number, host: string, ready: () => void): Server }): Promise<RunningServer> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

@Controller()
class AdminController {
  @Patch('admin')
  @Cors(adminOnly)
  update() {
    return { ok: true };
  }

  @Get('off')
  @Cors(false)
  off() {
    return { ok: true };
  }
}

export async function startNestApp(platform: 'express' | 'fastify', pageOrigin: string): Promise<RunningServer> {
  @Module({ imports: [CorsModule.forRoot({ origin: [pageOrigin], debug: true, logRefusals: false })], controllers: [AdminController] })
  class AppModule {}
  const app = await NestFactory.create(AppModule, platform === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false, abortOnError: false });
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  return { url: (path) => `http://127.0.0.1:${port}${path}`, close: () => app.close() };
}

/** Express with a sub-app mounted at /v1 that the app's cors() is not told about (no `subApps`): its preflights fail closed. */
export async function startExpressSubAppApp(pageOrigin: string): Promise<RunningServer> {
  const app = express();
  const v1 = express();
  v1.get('/items', (_req, res) => {
    res.json({ ok: true });
  });
  v1.put('/items', (_req, res) => {
    res.json({ ok: true });
  });
  app.use(expressCors({ origin: [pageOrigin], debug: true, logger: false }));
  app.use('/v1', v1);
  return listenOnLoopback(app);
}
