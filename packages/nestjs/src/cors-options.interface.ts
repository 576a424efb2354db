import type { InjectionToken, ModuleMetadata, OptionalFactoryDependency } from '@nestjs/common';
import type { CorsOptions as NestCorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface.js';
import type { CorsOptions, CorsOrigin } from '@polycors/core';

/** The callback-style origin function of Nest's `enableCors()` and the `cors` package: `(origin, callback) => void`. */
export type NestCustomOrigin = Extract<NonNullable<NestCorsOptions['origin']>, (...args: never[]) => unknown>;

/**
 * Options of one layer (`@Cors()` on a controller or a handler): polycors' `CorsOptions`, whose names are those of
 * Nest's own `CorsOptions`, with Nest's callback-style origin function accepted too.
 */
export interface CorsDecoratorOptions extends Omit<CorsOptions, 'origin'> {
  origin?: CorsOrigin | NestCustomOrigin;
}

/** Level at which refused CORS requests are logged through Nest's `Logger`, or `false` for not at all. */
export type CorsRefusalLogLevel = 'warn' | 'log' | 'debug' | 'verbose' | false;

/**
 * Options of `CorsModule.forRoot()`: the global policy. Accepts the shape of Nest's `CorsOptions`, so migrating is
 * "delete `app.enableCors(x)`, add `CorsModule.forRoot(x)`" (unlike `cors`, `origin` has no default: say `'*'`).
 */
export interface CorsModuleOptions extends CorsDecoratorOptions {
  /** How refusals are logged (reason code and route). Default `'warn'`. */
  logRefusals?: CorsRefusalLogLevel;
}

export interface CorsModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  /** Providers handed to `useFactory` (a `ConfigService`, say). */
  inject?: (InjectionToken | OptionalFactoryDependency)[];
  useFactory: (...args: any[]) => CorsModuleOptions | Promise<CorsModuleOptions>;
}
