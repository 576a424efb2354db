/**
 * validateAdapterOptions: `cors(options)` as the middleware reads it, for `polycors check --adapter koa`: the
 * @koa/cors names (`allowMethods`, `allowHeaders`, `exposeHeaders`, a string `maxAge`) translated and the middleware's
 * own keys removed, as translate.ts does for the middleware, for core to judge.
 */
import type { CorsConfigProblem, CorsOptions } from '@polycors/core';
import type { KoaCorsOptions } from './options.js';
import { translateOptions } from './translate.js';

export interface AdapterOptionsCheck {
  /** The options core compiles for the middleware's global policy. */
  options: CorsOptions;
  /** Problems the middleware itself reports (both an @koa/cors name and its core name set, ...). */
  problems: CorsConfigProblem[];
}

export function validateAdapterOptions(options: KoaCorsOptions): AdapterOptionsCheck {
  const problems: CorsConfigProblem[] = [];
  const translated = translateOptions(options, problems, false);
  // A credentials function compiles two policies; the one with credentials is the one with more rules to break.
  const core = { ...translated, credentials: typeof translated.credentials === 'function' ? true : translated.credentials } as CorsOptions;
  if (core.credentials === undefined) delete core.credentials;
  return { options: core, problems };
}
