/**
 * Effective options (global merged with a route's markers) -> compiled core policies, once, at build time.
 * - `origin` functions take `ctx` in Koa: each is wrapped as a core origin function `(origin, ctx) => boolean`.
 * - `credentials(ctx)`: two policies are compiled (without and with credentials), both validated at startup;
 *   the middleware asks the function per request and picks one. No CORS rule is decided here.
 */
import { type CorsConfigProblem, CorsConfigError, type CorsLogger, type CorsOptions, type CorsPolicy, type OriginFunction, createCorsPolicy } from '@polycors/core';
import type { Context } from 'koa';
import type { KoaCredentialsFunction, KoaOriginAnswer, KoaOriginFunction, KoaOriginRule } from './options.js';
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

function disabled(base: LayerOptions): LayerOptions {
  const { logger, onRefusal, debug, strict } = base;
  return { origin: false, logger, onRefusal, debug, strict };
}

function compileVariant(options: LayerOptions, credentials: boolean, context: CompileContext, where: string): CorsPolicy | undefined {
  const logger = resolveLogger(options.logger);
  const core: CorsOptions = {
    ...options,
    credentials: options.credentials === undefined ? undefined : credentials,
    origin: wrapOrigin(options.origin, credentials, logger),
    logger: logger ? context.warnings.wrap(logger, where) : options.logger,
  };
  if (core.credentials === undefined) delete core.credentials;
  try {
    // The debug header names where the options were written: a route's corsRoute(), or the global cors().
    const source = context.markers.size > 0 ? `corsRoute() on ${where}` : `cors() (no corsRoute() on ${where})`;
    return createCorsPolicy(core, { where, source: where === 'cors()' ? where : source, defaultMethods: context.defaultMethods });
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

function wrapOrigin(origin: LayerOptions['origin'], credentials: boolean, logger: CorsLogger | undefined): CorsOptions['origin'] {
  if (typeof origin === 'function') return wrapOriginFunction(origin, credentials, logger);
  if (Array.isArray(origin)) {
    return (origin as readonly KoaOriginRule[]).map((rule) => (typeof rule === 'function' ? wrapOriginFunction(rule, credentials, logger) : rule));
  }
  return origin as CorsOptions['origin'];
}

/**
 * `(ctx, origin) => string | boolean` -> core's `(origin, ctx) => boolean`. The answer means what it means in
 * `@koa/cors`: the origin to allow. `'*'` allows any origin, except where credentials are sent: `@koa/cors` then
 * echoes any origin with credentials, which polycors never does, so it refuses and says so once.
 */
function wrapOriginFunction(fn: KoaOriginFunction, credentials: boolean, logger: CorsLogger | undefined): OriginFunction {
  let warned = false;
  const judge = (answer: KoaOriginAnswer, origin: string): boolean => {
    if (answer === true) return true;
    if (typeof answer !== 'string' || answer === '') return false;
    if (answer !== '*') return answer === origin;
    if (!credentials) return true;
    if (!warned) {
      warned = true;
      logger?.warn(`polycors: origin function ${fn.name || '(anonymous)'} returned '*' for a request with credentials; refused, since allowing any origin with credentials lets any website act as the signed-in user. Return the allowed origin instead`);
    }
    return false;
  };
  const wrapped: OriginFunction = (origin, context) => {
    const answer = fn(context as Context, origin);
    return isPromise(answer) ? answer.then((value) => judge(value, origin)) : judge(answer, origin);
  };
  Object.defineProperty(wrapped, 'name', { value: fn.name || 'origin' });
  return wrapped;
}

export function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** Logs a configuration warning once even when many route policies inherit it from the global options. */
export class WarningDeduper {
  private readonly seen = new Set<string>();

  wrap(logger: CorsLogger, where: string): CorsLogger {
    const prefix = `polycors: ${where}: `;
    return {
      warn: (message) => {
        const key = message.startsWith(prefix) ? `polycors: ${message.slice(prefix.length)}` : message;
        if (this.seen.has(key)) return;
        this.seen.add(key);
        logger.warn(message);
      },
      error: (message, error) => logger.error(message, error),
    };
  }
}
