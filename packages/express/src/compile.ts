/**
 * Effective options (global merged with a route's markers) -> compiled core policies, once, at build time.
 * Origin functions go to core unchanged. No CORS rule is decided here.
 */
import { type CorsConfigProblem, CorsConfigError, type CorsLogger, type CorsOptions, type CorsPolicy, type WarningDeduper, createCorsPolicy } from '@polycors/core';
import type { LayerOptions } from './translate.js';

/** One compiled policy: what the middleware needs for a route (or for the global policy). */
export interface CompiledEntry {
  /** 'PATCH /form', or 'cors()' for the global policy. */
  readonly where: string;
  readonly policy: CorsPolicy;
  /** The `corsRoute()` markers merged into this entry. */
  readonly markers: ReadonlySet<unknown>;
}

export interface Problem {
  where: string;
  problem: CorsConfigProblem;
  /** Core already applied `strict` to it. */
  fromCore?: boolean;
}

export interface CompileContext {
  where: string;
  /** The route's methods (used when `methods` is not configured). */
  defaultMethods?: readonly string[];
  markers: ReadonlySet<unknown>;
  problems: Problem[];
  warnings: WarningDeduper;
}

/** Compiles `options` (or `false`: CORS off, keeping `base`'s logger and hooks). Undefined when it has errors. */
export function compileEntry(options: LayerOptions | false, base: LayerOptions, context: CompileContext): CompiledEntry | undefined {
  const effective: LayerOptions = options === false ? disabled(base) : options;
  const logger = resolveLogger(effective.logger);
  const core: CorsOptions = {
    ...effective,
    // Origin functions, in both forms, go to core unchanged: core reads their answers by its one rule.
    origin: effective.origin as CorsOptions['origin'],
    logger: logger ? context.warnings.wrap(logger, context.where) : effective.logger,
  };
  try {
    const policy = createCorsPolicy(core, { where: context.where, defaultMethods: context.defaultMethods });
    return { where: context.where, policy, markers: context.markers };
  } catch (error) {
    if (!(error instanceof CorsConfigError)) throw error;
    for (const problem of error.problems) context.problems.push({ where: context.where, problem, fromCore: true });
    return undefined;
  }
}

function disabled(base: LayerOptions): LayerOptions {
  const { logger, onRefusal, debug, strict } = base;
  return { origin: false, logger, onRefusal, debug, strict };
}

/** The logger core would use: `undefined` -> console, `false` -> none. */
export function resolveLogger(logger: CorsOptions['logger']): CorsLogger | undefined {
  if (logger === false) return undefined;
  if (logger === undefined) return console;
  return typeof logger === 'object' && logger !== null && typeof logger.warn === 'function' && typeof logger.error === 'function' ? logger : undefined;
}

