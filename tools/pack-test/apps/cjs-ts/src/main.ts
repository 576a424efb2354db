// A CommonJS TypeScript application (`"type": "commonjs"`, `module: node16`: TS1479 on every ESM-only import) on
// Fastify and Koa. NestJS 12 is ESM-only itself, so the Nest half lives in nest.ts, compiled with `module: node20`.
// Prints `READY {json}` with one URL per server, then serves until killed.
import polycors, { type PolycorsOptions } from '@polycors/fastify';
import cors = require('@polycors/koa');
import expressCors = require('@polycors/express');
import express from 'express';
import { CorsConfigError, createCorsPolicy } from '@polycors/core';
import { VERSION } from '@polycors/cli';
import Fastify from 'fastify';
import Koa from 'koa';

const ORIGINS = ['https://app.example.com'];
const FASTIFY_OPTIONS: PolycorsOptions = { origin: ORIGINS };
const KOA_OPTIONS: cors.KoaCorsOptions = { origin: ORIGINS };
const EXPRESS_OPTIONS: expressCors.ExpressCorsOptions = { origin: ORIGINS };

function startFastify(): Promise<string> {
  const app = Fastify();
  app.register(polycors, FASTIFY_OPTIONS);
  app.after(() => {
    app.get('/orders', async () => 'ok');
  });
  return app.listen({ port: 0, host: '127.0.0.1' });
}

function startExpress(): Promise<string> {
  const app = express();
  app.use(expressCors(EXPRESS_OPTIONS));
  app.get('/orders', (_req, res) => {
    res.send('ok');
  });
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`));
  });
}

function startKoa(): Promise<string> {
  const app = new Koa();
  app.use(cors(KOA_OPTIONS));
  app.use((ctx) => {
    ctx.body = 'ok';
  });
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`));
  });
}

function configErrorIdentity() {
  try {
    createCorsPolicy({ origin: '*', credentials: true });
    return { thrown: false };
  } catch (error) {
    return { thrown: true, isCorsConfigError: error instanceof CorsConfigError };
  }
}

async function main(): Promise<void> {
  const servers = { express: await startExpress(), fastify: await startFastify(), koa: await startKoa() };
  console.log(`READY ${JSON.stringify({ servers, configErrorIdentity: configErrorIdentity(), cliVersion: VERSION })}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
