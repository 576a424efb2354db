/**
 * The contact-form API of the CORS story, on NestJS with @polycors/nestjs. `createApp()` builds it (for tests and the
 * conformance suite), `startDemo()` also listens; `node dist/main.js` runs it with the environment (README.md).
 */
import 'reflect-metadata';
import { type DynamicModule, type INestApplication, type LoggerService, Module } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { RequestLog } from '@polycors/demo-kit';
import { CorsModule } from '@polycors/nestjs';
import { loadConfig, type NestDemoConfig } from './config.js';
import {
  DraftController,
  FeedbackController,
  FormController,
  InternalController,
  LegacyController,
  LoginController,
  OptionsController,
  SiblingsController,
  SiblingsPostController,
  StatsController,
} from './controllers.js';
import { DEMO_CONFIG, DEMO_STATS } from './demo.tokens.js';
import { AuthGuard, CountingGuard } from './guards.js';

export { type DemoAdapter, DEFAULT_PORT, loadConfig, type NestDemoConfig } from './config.js';

@Module({})
export class DemoModule {
  static register(config: NestDemoConfig, stats: RequestLog): DynamicModule {
    return {
      module: DemoModule,
      imports: [
        CorsModule.forRoot({
          origin: config.origins,
          credentials: true,
          // Preflights cached 300 s (Chromium caps at 7200, and uses 5 s when the header is missing).
          maxAge: 300,
        }),
      ],
      controllers: [
        OptionsController,
        LoginController,
        FormController,
        DraftController,
        FeedbackController,
        InternalController,
        LegacyController,
        SiblingsController,
        SiblingsPostController,
        ...(config.stats ? [StatsController] : []),
      ],
      providers: [
        { provide: DEMO_CONFIG, useValue: config },
        { provide: DEMO_STATS, useValue: stats },
        { provide: APP_GUARD, useClass: CountingGuard },
        AuthGuard,
      ],
    };
  }
}

export interface DemoApp {
  app: INestApplication;
  config: NestDemoConfig;
  /** What the server saw (recorded with DEMO_STATS=1 only; served on /__stats). */
  stats: RequestLog;
}

export interface DemoOptions {
  /** Nest's logger (startup warnings, CORS refusals): `false` for none. Default: Nest's console logger. */
  logger?: false | LoggerService;
}

/** Builds (does not start) the demo. Unset fields come from the environment. */
export async function createApp(overrides: Partial<NestDemoConfig> = {}, options: DemoOptions = {}): Promise<DemoApp> {
  const config: NestDemoConfig = { ...loadConfig(), ...overrides };
  const stats = new RequestLog();
  const adapter = config.adapter === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
  const app = await NestFactory.create(DemoModule.register(config, stats), adapter, {
    abortOnError: false,
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
  });
  // Every request the HTTP server receives, preflights included (DEMO_STATS=1 only).
  if (config.stats) app.getHttpServer().prependListener('request', stats.record);
  return { app, config, stats };
}

export interface RunningDemo extends DemoApp {
  /** e.g. `http://127.0.0.1:3001` */
  url: string;
  close(): Promise<void>;
}

/** Builds and starts the demo. */
export async function startDemo(overrides: Partial<NestDemoConfig> = {}, options: DemoOptions = {}): Promise<RunningDemo> {
  const demo = await createApp(overrides, options);
  await demo.app.listen(demo.config.port, demo.config.host);
  const address = demo.app.getHttpServer().address() as { port: number };
  const host = demo.config.host !== '0.0.0.0' && demo.config.host !== '::' ? demo.config.host : 'localhost';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  return { ...demo, url, close: () => demo.app.close() };
}
