// A CommonJS JavaScript application (`"type": "commonjs"`, no build step, no top-level await), written the way
// existing CommonJS apps load CORS middleware: `const cors = require('@koa/cors')` becomes `require('@polycors/koa')`.
// Prints `READY {json}` with one URL per server, then serves until killed.
require('reflect-metadata');
const { Controller, Get, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { ExpressAdapter } = require('@nestjs/platform-express');
const { FastifyAdapter } = require('@nestjs/platform-fastify');
const { CorsModule } = require('@polycors/nestjs');
const { CorsConfigError, createCorsPolicy } = require('@polycors/core');
const { VERSION } = require('@polycors/cli');
const cors = require('@polycors/koa');
// The cors package idiom: `const cors = require('cors')` becomes `require('@polycors/express')`.
const expressCors = require('@polycors/express');
const express = require('express');
const Fastify = require('fastify');
const Koa = require('koa');

const OPTIONS = { origin: ['https://app.example.com'] };

// The README's CommonJS layout: register without await, declare routes in after(). The route's own policy adds an
// origin, which its preflight must honour: proof that polycors saw the route (a route declared beside register()
// would have its preflights judged by the plugin's policy alone).
const ROUTE_ORIGIN = 'https://partner.example.com';
function startFastify() {
  const app = Fastify();
  app.register(require('@polycors/fastify'), OPTIONS);
  app.after(() => {
    app.get('/orders', { config: { cors: { origin: [ROUTE_ORIGIN] } } }, async () => 'ok');
  });
  return app.listen({ port: 0, host: '127.0.0.1' });
}

function startExpress() {
  const app = express();
  app.use(expressCors(OPTIONS));
  app.get('/orders', (_req, res) => res.send('ok'));
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`));
  });
}

function startKoa() {
  const app = new Koa();
  app.use(cors(OPTIONS));
  app.use((ctx) => {
    ctx.body = 'ok';
  });
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`));
  });
}

// Decorators applied by hand: plain JavaScript has no decorator syntax.
class OrdersController {
  list() {
    return 'ok';
  }
}
Get()(OrdersController.prototype, 'list', Object.getOwnPropertyDescriptor(OrdersController.prototype, 'list'));
Controller('orders')(OrdersController);
class AppModule {}
Module({ imports: [CorsModule.forRoot(OPTIONS)], controllers: [OrdersController] })(AppModule);

async function startNest(adapter) {
  const app = await NestFactory.create(AppModule, adapter, { logger: false });
  await app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${app.getHttpServer().address().port}`;
}

async function configErrorIdentity() {
  const imported = await import('@polycors/core');
  let thrownByRequiredIsImported = false;
  try {
    createCorsPolicy({ origin: '*', credentials: true });
  } catch (error) {
    thrownByRequiredIsImported = error instanceof imported.CorsConfigError;
  }
  let thrownByImportedIsRequired = false;
  try {
    imported.createCorsPolicy({ origin: '*', credentials: true });
  } catch (error) {
    thrownByImportedIsRequired = error instanceof CorsConfigError;
  }
  return { sameClass: imported.CorsConfigError === CorsConfigError, thrownByRequiredIsImported, thrownByImportedIsRequired };
}

async function main() {
  const servers = {
    express: await startExpress(),
    fastify: await startFastify(),
    koa: await startKoa(),
    'nest-express': await startNest(new ExpressAdapter()),
    'nest-fastify': await startNest(new FastifyAdapter()),
  };
  const koaIdiom = typeof cors === 'function' && cors.cors === cors && typeof cors.corsRoute === 'function' && typeof expressCors === 'function' && expressCors.cors === expressCors;
  const routeOrigins = { fastify: ROUTE_ORIGIN };
  console.log(`READY ${JSON.stringify({ servers, routeOrigins, configErrorIdentity: await configErrorIdentity(), koaIdiom, cliVersion: VERSION })}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
