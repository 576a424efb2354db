import { type DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CORS_MODULE_OPTIONS, CORS_MODULE_PRESENT, CORS_MODULE_SOURCE } from './cors.constants.js';
import type { CorsModuleAsyncOptions, CorsModuleOptions, CorsOptionsFactory } from './cors-options.interface.js';
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
      providers: [{ provide: CORS_MODULE_OPTIONS, useValue: options }, { provide: CORS_MODULE_SOURCE, useValue: 'CorsModule.forRoot' }, ...sharedProviders],
      exports: [CORS_MODULE_PRESENT, CorsService],
    };
  }

  static forRootAsync(options: CorsModuleAsyncOptions): DynamicModule {
    return {
      module: CorsModule,
      global: true,
      imports: options.imports ?? [],
      providers: [...asyncOptionsProviders(options), { provide: CORS_MODULE_SOURCE, useValue: 'CorsModule.forRootAsync' }, ...sharedProviders],
      exports: [CORS_MODULE_PRESENT, CorsService],
    };
  }
}

/** The providers of the options, as Nest's own modules build them for `useFactory`, `useClass` and `useExisting`. */
function asyncOptionsProviders(options: CorsModuleAsyncOptions): Provider[] {
  const given = (['useFactory', 'useClass', 'useExisting'] as const).filter((key) => options?.[key] !== undefined);
  if (given.length !== 1) {
    const found = given.length === 0 ? 'none was given' : `${given.join(' and ')} were given`;
    throw new TypeError(`CorsModule.forRootAsync needs exactly one of useFactory, useClass or useExisting; ${found}`);
  }
  if (options.useFactory) return [{ provide: CORS_MODULE_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] }];
  const create = (factory: CorsOptionsFactory) => factory.createCorsOptions();
  if (options.useClass) return [options.useClass, { provide: CORS_MODULE_OPTIONS, useFactory: create, inject: [options.useClass] }];
  return [{ provide: CORS_MODULE_OPTIONS, useFactory: create, inject: [options.useExisting!] }];
}
