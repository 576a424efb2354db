/**
 * validateAdapterOptions: `CorsModule.forRoot(options)` or `@Cors(options)` as the module reads them, for
 * `polycors check --adapter nestjs`: module-only keys (`logRefusals`) removed and a callback-style origin wrapped,
 * as nest-options.ts does for the module, for core to judge.
 */
import type { CorsConfigProblem, CorsOptions } from '@polycors/core';
import type { CorsModuleOptions } from './cors-options.interface.js';
import { toCoreOptions } from './nest-options.js';

export interface AdapterOptionsCheck {
  /** The options core compiles. */
  options: CorsOptions;
  /** Problems the module itself reports (none today: every rule is core's). */
  problems: CorsConfigProblem[];
}

export function validateAdapterOptions(options: CorsModuleOptions): AdapterOptionsCheck {
  return { options: toCoreOptions(options), problems: [] };
}
