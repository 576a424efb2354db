/**
 * Nest's `CorsOptions` -> polycors' `CorsOptions`. The names are the same, and so are the origin functions: both
 * `(origin, req) => answer` and Nest's / `cors`' callback style `(origin, callback) => void` go to core unchanged,
 * which reads their answers by its one rule. Only the adapter's own keys are removed here.
 */
import type { CorsOptions } from '@polycors/core';
import type { CorsDecoratorOptions, CorsModuleOptions } from './cors-options.interface.js';

export function toCoreOptions(options: CorsModuleOptions | CorsDecoratorOptions): CorsOptions {
  if (typeof options !== 'object' || options === null) return options as CorsOptions;
  const { logRefusals: _logRefusals, ...rest } = options as CorsModuleOptions;
  return rest as CorsOptions;
}
