/**
 * Effective options (global merged with a route's markers) -> compiled core policies, once, at build time.
 * - `origin` functions take `ctx` first in Koa (`@koa/cors`' `origin(ctx)`): each is handed to core with its
 *   arguments swapped; what the answer means is core's one rule, as on every adapter.
 * - `credentials(ctx)`: two policies are compiled (without and with credentials), both validated at startup;
 *   the middleware asks the function per request and picks one. No CORS rule is decided here.
 */
import { type CorsConfigProblem, CorsConfigError, type CorsLogger, type CorsOptions, type CorsPolicy, type ListFormat, type OriginFunction, type WarningDeduper, createCorsPolicy, describeOriginFunction } from '@polycors/core';
import type { Context } from 'koa';
import type { KoaCredentialsFunction, KoaOriginFunction, KoaOriginRule } from './options.js';
import type { LayerOptions } from './translate.js';

/** One compiled policy choice: what the middleware needs for a route (or for the global policy). */
export interface CompiledEntry {
  /** 'PATCH /form', or 'cors()' for the global policy. */
  readonly where: string;
  /** The policy (when `credentials` is a function: the one without credentials). */
  readonly policy: CorsPolicy;
  /** When `credentials` is a function: the policy with credentials, and the function that chooses. */
  readonly withCredentials?: CorsPolicy;
  readonly credentials?: KoaCredentialsFunction;
  /** The `corsRoute()` markers merged into this entry. */
  readonly markers: ReadonlySet<unknown>;
  /** Set when the route's policy has configuration problems: its requests fail with this error (never a wider policy). */
  readonly failure?: CorsConfigError;
}

export interface CompileContext {
  where: string;
  /** Route methods (used when `methods` is not configured). */
  defaultMethods?: readonly string[];
  markers: ReadonlySet<unknown>;
  /** Collects every problem of every policy (strict mode), named after `where`. */
  problems: { where: string; problem: CorsConfigProblem; fromCore?: boolean }[];
  /** Logs each configuration warning once, however many routes share it. */
  warnings: WarningDeduper;
}

/** Compiles `options` (or `false`: CORS off, keeping `base`'s logger and hooks). Returns undefined on errors. */
export function compileEntry(options: LayerOptions | false, base: LayerOptions, context: CompileContext): CompiledEntry | undefined {
  const effective: LayerOptions = options === false ? disabled(base) : options;
  const credentials = effective.credentials;
  if (typeof credentials === 'function') {
    const policy = compileVariant(effective, false, context, context.where);
    const withCredentials = compileVariant(effective, true, context, `${context.where}, when credentials(ctx) is true`);
    if (!policy || !withCredentials) return undefined;
    return { where: context.where, policy, withCredentials, credentials, markers: context.markers };
  }
  const policy = compileVariant(effective, credentials === true, context, context.where);
  return policy && { where: context.where, policy, markers: context.markers };
}

/** With `strict: false`, lists are written as @koa/cors writes them: arrays joined by ',', strings as written. */
const KOA_CORS_LIST_FORMAT: ListFormat = Object.freeze({ separator: ',', asWritten: true });

let refusingPolicy: CorsPolicy | undefined;

/** A route whose policy could not be compiled: the middleware answers its requests with `failure` (500). */
export function failedEntry(where: string, failure: CorsConfigError): CompiledEntry {
  refusingPolicy ??= createCorsPolicy({ origin: false, logger: false });
  return { where, policy: refusingPolicy, markers: new Set(), failure };
}

function disabled(base: LayerOptions): LayerOptions {
  const { logger, onRefusal, debug, strict } = base;
  return { origin: false, logger, onRefusal, debug, strict };
}

function compileVariant(options: LayerOptions, credentials: boolean, context: CompileContext, where: string): CorsPolicy | undefined {
  const logger = resolveLogger(options.logger);
  const core: CorsOptions = {
    ...options,
    credentials: options.credentials === undefined ? undefined : credentials,
    origin: toCoreOrigin(options.origin),
    logger: logger ? context.warnings.wrap(logger, where) : options.logger,
  };
  if (core.credentials === undefined) delete core.credentials;
  try {
    // The debug header names where the options were written: a route's corsRoute(), or the global cors().
    const source = context.markers.size > 0 ? `corsRoute() on ${where}` : `cors() (no corsRoute() on ${where})`;
    return createCorsPolicy(core, { where, source: where === 'cors()' ? where : source, defaultMethods: context.defaultMethods, listFormat: core.strict === false ? KOA_CORS_LIST_FORMAT : undefined });
  } catch (error) {
    if (!(error instanceof CorsConfigError)) throw error;
    for (const problem of error.problems) context.problems.push({ where, problem, fromCore: true });
    return undefined;
  }
}

/** The logger core would use: `undefined` -> console, `false` -> none; anything else is left for core to judge. */
function resolveLogger(logger: CorsOptions['logger']): CorsLogger | undefined {
  if (logger === false) return undefined;
  if (logger === undefined) return console;
  return typeof logger === 'object' && logger !== null && typeof logger.warn === 'function' && typeof logger.error === 'function' ? logger : undefined;
}

function toCoreOrigin(origin: LayerOptions['origin']): CorsOptions['origin'] {
  if (typeof origin === 'function') return toCoreOriginFunction(origin);
  if (Array.isArray(origin)) {
    return (origin as readonly KoaOriginRule[]).map((rule) => (typeof rule === 'function' ? toCoreOriginFunction(rule) : rule));
  }
  return origin as CorsOptions['origin'];
}

/** One wrapper per function, so every route policy shares it (and core warns about it once). */
const coreFunctions = new WeakMap<KoaOriginFunction, OriginFunction>();

/** `(ctx, origin) => answer` -> core's `(origin, ctx)`. It always reads `ctx` and never takes a callback. */
function toCoreOriginFunction(fn: KoaOriginFunction): OriginFunction {
  let wrapped = coreFunctions.get(fn);
  if (wrapped === undefined) {
    const swapped = (origin: string, ctx: unknown) => fn(ctx as Context, origin);
    Object.defineProperty(swapped, 'name', { value: fn.name });
    wrapped = describeOriginFunction(swapped, { callback: false, context: true }) as unknown as OriginFunction;
    coreFunctions.set(fn, wrapped);
  }
  return wrapped;
}

export function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

