/**
 * @polycors/fastify: `fastify.register(polycors, options)` and per-route `config: { cors: options | false }`.
 */
import type { PolycorsRouteOptions } from './options.js';
import { polycors } from './plugin.js';

export { polycors };
export { validateAdapterOptions, type AdapterOptionsCheck } from './validate-options.js';
export default polycors;
export type {
  CorsOptionsDelegate,
  CorsOptionsDelegateCallback,
  CorsOptionsDelegatePromise,
  FastifyCorsOrigin,
  FastifyOriginFunction,
  FastifyOriginValue,
  FastifyOriginValueOrArray,
  PolycorsHook,
  PolycorsOptions,
  PolycorsRouteOptions,
} from './options.js';
export { CorsConfigError, isPreflightRequest } from '@polycors/core';
export type { CorsDecision, CorsRefusal, CorsLogger } from '@polycors/core';

/**
 * Named by the compiler when a route's `config.cors` is neither options nor `false` (`cors: 123`), instead of
 * "not assignable to type 'never'": Fastify infers the route's config type from the literal and intersects it with this
 * declaration, so a wrong type would otherwise reduce to `never`.
 */
export interface ConfigCorsMustBeOptionsOrFalse {
  'config.cors must be polycors route options or false': never;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * This route's CORS policy, merged over the plugin's options; `false` turns CORS off for the route.
     * (`& object` keeps `cors: 123` an error even where Fastify infers the route's config type from the literal.)
     */
    cors?: (PolycorsRouteOptions & object) | false | ConfigCorsMustBeOptionsOrFalse;
  }
}
