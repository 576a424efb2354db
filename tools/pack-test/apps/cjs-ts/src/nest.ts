// The NestJS half of the CommonJS TypeScript application, compiled with `module: node20` (see the README's CommonJS
// note: Nest 12 is ESM-only, and node16 cannot type a require() of it). Prints `READY {json}`, then serves.
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { CorsModule } from '@polycors/nestjs';

@Controller('orders')
class OrdersController {
  @Get() list(): string {
    return 'ok';
  }
}

@Module({ imports: [CorsModule.forRoot({ origin: ['https://app.example.com'] })], controllers: [OrdersController] })
class AppModule {}

async function startNest(adapter: ExpressAdapter | FastifyAdapter): Promise<string> {
  const app = await NestFactory.create(AppModule, adapter, { logger: false });
  await app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
}

async function main(): Promise<void> {
  const servers = { 'nest-express': await startNest(new ExpressAdapter()), 'nest-fastify': await startNest(new FastifyAdapter()) };
  console.log(`READY ${JSON.stringify({ servers })}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
