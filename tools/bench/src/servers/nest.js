/**
 * NestJS 12 on its express or fastify adapter: no CORS, Nest's own `enableCors()` (which runs `cors` or
 * `@fastify/cors` underneath), or `CorsModule.forRoot()` from `@polycors/nestjs`.
 * Plain JavaScript: decorators are applied as functions (Nest's DI metadata is not needed: no constructor deps).
 */
import 'reflect-metadata';
import { Controller, Get, Module, Put } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BODY, floorHook, floorMiddleware, ROUTE, corsPackageOptions, polycorsOptions } from '../workloads.js';

class ResourceController {
  get() {
    return BODY;
  }
  put() {
    return BODY;
  }
}
Controller(ROUTE.slice(1))(ResourceController);
for (const [name, decorator] of [['get', Get()], ['put', Put()]]) {
  const descriptor = Object.getOwnPropertyDescriptor(ResourceController.prototype, name);
  decorator(ResourceController.prototype, name, descriptor);
}

export async function createApp(contender, allowlist, platform) {
  const imports = [];
  if (contender === 'polycors') {
    const { CorsModule } = await import('@polycors/nestjs');
    imports.push(CorsModule.forRoot(polycorsOptions(allowlist)));
  } else if (contender !== 'none' && contender !== 'enableCors' && contender !== 'headers only') {
    throw new Error(`nest: unknown contender ${contender}`);
  }
  class AppModule {}
  Module({ imports, controllers: [ResourceController] })(AppModule);

  let adapter;
  if (platform === 'fastify') {
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    adapter = new FastifyAdapter({ logger: false });
  } else {
    const { ExpressAdapter } = await import('@nestjs/platform-express');
    adapter = new ExpressAdapter();
  }
  const app = await NestFactory.create(AppModule, adapter, { logger: false, abortOnError: false });
  if (contender === 'enableCors') app.enableCors(corsPackageOptions(allowlist));
  if (contender === 'headers only' && platform === 'fastify') {
    app.getHttpAdapter().getInstance().addHook('onRequest', floorHook);
  } else if (contender === 'headers only') {
    app.use(floorMiddleware);
  }
  if (platform === 'express') app.getHttpAdapter().getInstance().disable('x-powered-by');
  return {
    listen: async () => {
      await app.listen(0, '127.0.0.1');
      return app.getHttpServer().address().port;
    },
  };
}
