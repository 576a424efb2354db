import type { IncomingMessage } from 'node:http';
import type { InjectionToken, ModuleMetadata, OptionalFactoryDependency, Type } from '@nestjs/common';
import type { CorsOptions as NestCorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface.js';
import type { CorsOptions, OriginCacheOptions, OriginFunction } from '@polycors/core';

/** The callback-style origin function of Nest's `enableCors()` and the `cors` package: `(origin, callback) => void`. */
export type NestCustomOrigin = Extract<NonNullable<NestCorsOptions['origin']>, (...args: never[]) => unknown>;

/**
 * An origin function, in either style: `(origin, req) => answer | Promise<answer>` or Nest's / `cors`' callback
 * style `(origin, callback) => void`. The second argument is both the Node request (`IncomingMessage`: Express's
 * `req`, or the raw request under platform-fastify) and the callback. A function of two or more parameters that
 * returns nothing is waiting for its callback. Functions typed as Nest's `CustomOrigin` are accepted as they are.
 */
export type NestOriginFunction = OriginFunction<IncomingMessage>;

/** `origin`: `'*'`, an origin, a pattern, an anchored RegExp, an origin function, a list of these, `true` or `false`. */
export type NestCorsOrigin = string | RegExp | NestOriginFunction | readonly (string | RegExp | NestOriginFunction)[] | boolean;

/**
 * Options of one layer (`@Cors()` on a controller or a handler): polycors' `CorsOptions`, whose names are those of
 * Nest's own `CorsOptions`, with origin functions typed for Nest's request (both styles).
 */
export interface CorsDecoratorOptions extends Omit<CorsOptions, 'origin' | 'originCache'> {
  origin?: NestCorsOrigin;
  /** Cache origin-function answers per origin and `key(origin, req)`; concurrent lookups of one key share one call. */
  originCache?: OriginCacheOptions<IncomingMessage> | boolean;
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

/** A provider that creates the global options (`forRootAsync({ useClass })` or `{ useExisting }`). */
export interface CorsOptionsFactory {
  createCorsOptions(): CorsModuleOptions | Promise<CorsModuleOptions>;
}

/** Options of `CorsModule.forRootAsync()`: exactly one of `useFactory`, `useClass` or `useExisting`. */
export interface CorsModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  /** Providers handed to `useFactory` (a `ConfigService`, say). */
  inject?: (InjectionToken | OptionalFactoryDependency)[];
  useFactory?: (...args: any[]) => CorsModuleOptions | Promise<CorsModuleOptions>;
  /** A `CorsOptionsFactory` class CorsModule instantiates (its constructor's dependencies injected). */
  useClass?: Type<CorsOptionsFactory>;
  /** A `CorsOptionsFactory` provider that already exists (exported by a module in `imports`). */
  useExisting?: Type<CorsOptionsFactory> | InjectionToken;
}
