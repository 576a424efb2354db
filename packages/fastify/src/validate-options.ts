/**
 * validateAdapterOptions: the plugin's options as `fastify.register(polycors, options)` reads them, without a
 * Fastify instance, for `polycors check --adapter fastify`. The plugin's own checks (hook, delegator, booleans) run
 * here; the rest is translated (@fastify/cors origin forms, plugin-only keys removed) for core to judge.
 */
import { type CorsConfigProblem, CorsConfigError, type CorsOptions } from '@polycors/core';
import type { FastifyInstance } from 'fastify';
import type { PolycorsOptions } from './options.js';
import { splitOptions } from './options.js';
import { OriginTranslator } from './origin.js';
import { readAdapterSettings } from './plugin.js';

export interface AdapterOptionsCheck {
  /** The options core compiles for the plugin. */
  options: CorsOptions;
  /** Problems the plugin itself reports (always errors: they fail registration whatever `strict` says). */
  problems: CorsConfigProblem[];
}

export function validateAdapterOptions(options: PolycorsOptions): AdapterOptionsCheck {
  const problems: CorsConfigProblem[] = [];
  try {
    readAdapterSettings(options);
  } catch (error) {
    if (!(error instanceof CorsConfigError)) throw error;
    problems.push(...error.problems);
  }
  const { core } = splitOptions(options);
  // Origin functions are only wrapped, never called, so no instance is needed to translate them.
  const origins = new OriginTranslator(undefined as unknown as FastifyInstance);
  if (options.delegator !== undefined && core.origin === undefined) core.origin = false;
  else core.origin = origins.toCore(core.origin as PolycorsOptions['origin'], core.strict === false);
  if (core.origin === undefined) delete core.origin;
  return { options: core as CorsOptions, problems };
}
