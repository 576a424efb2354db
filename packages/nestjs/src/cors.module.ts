import { type DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CORS_MODULE_OPTIONS, CORS_MODULE_PRESENT } from './cors.constants.js';
import type { CorsModuleAsyncOptions, CorsModuleOptions } from './cors-options.interface.js';
import { CorsService } from './cors.service.js';
import { CORS_HANDLER_CHECK, CorsHandlerGuard } from './handler-check.js';

const sharedProviders: Provider[] = [
  CorsService,
  { provide: CORS_MODULE_PRESENT, useExisting: CorsService },
  // Checks, once Nest has picked the handler, that the policy applied was that handler's (handler-check.ts).
  { provide: CORS_HANDLER_CHECK, useExisting: CorsService },
  { provide: APP_GUARD, useClass: CorsHandlerGuard },
];

/**
 * polycors for a Nest application: one global policy (`forRoot` / `forRootAsync`), refined per controller and
 * handler with `@Cors()`. Global: import it once, in the root module.
 */
@Global()
@Module({})
export class CorsModule {
  static forRoot(options: CorsModuleOptions): DynamicModule {
    return {
      module: CorsModule,
      global: true,
      providers: [{ provide: CORS_MODULE_OPTIONS, useValue: options }, ...sharedProviders],
      exports: [CORS_MODULE_PRESENT, CorsService],
    };
  }

  static forRootAsync(options: CorsModuleAsyncOptions): DynamicModule {
    return {
      module: CorsModule,
      global: true,
      imports: options.imports ?? [],
      providers: [{ provide: CORS_MODULE_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] }, ...sharedProviders],
      exports: [CORS_MODULE_PRESENT, CorsService],
    };
  }
}
