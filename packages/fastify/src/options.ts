/**
 * Public option types of @polycors/fastify and their translation into @polycors/core options.
 * Every option of @fastify/cors 11 is accepted with the same meaning; polycors' own options come from core.
 */
import type { CorsLogger, CorsOptions, ListFormat, OriginAnswer, OriginCacheOptions, OriginCallback, CorsRefusal, ReflectionWarningOptions } from '@polycors/core';
import type { FastifyInstance, FastifyRequest, LogLevel } from 'fastify';

/** One origin rule in @fastify/cors form: a string (exact origin or pattern), a RegExp, or `true`/`false`. */
export type FastifyOriginValue = string | RegExp | boolean;
export type FastifyOriginValueOrArray = FastifyOriginValue | readonly FastifyOriginValueOrArray[];

/**
 * An origin function, called with the request's `Origin` and `this` bound to the Fastify instance, in either style:
 * `(origin, callback) => void` as in @fastify/cors (`callback(null, answer)`), or `(origin, request) => answer` /
 * a Promise of it. The second argument is both the Fastify request and the callback; the request also comes third.
 * Answers mean what core says (`true` or the origin: reflected; `'*'`: `*`, never with credentials; a string, RegExp
 * or list: the origin must match; `false`/`null`/`undefined`: refused). Throwing, rejecting, calling back with an
 * error, a broken answer or no answer within `originTimeout` refuses the request (fail closed) and logs it.
 */
export type FastifyOriginFunction = (
  this: FastifyInstance,
  origin: string,
  callback: FastifyRequest & OriginCallback,
  request: FastifyRequest,
) => OriginAnswer | void | PromiseLike<OriginAnswer | void>;

export type FastifyCorsOrigin = FastifyOriginValueOrArray | FastifyOriginFunction | readonly (string | RegExp | FastifyOriginFunction)[];

/** The hooks that may set CORS headers on actual requests (preflights are always answered in `onRequest`). */
export type PolycorsHook = 'onRequest' | 'preParsing' | 'preValidation' | 'preHandler' | 'preSerialization';

/** Options that mean the same globally and on a route (`config: { cors: ... }`). */
export interface PolycorsRouteOptions extends Omit<CorsOptions, 'origin' | 'logger' | 'onRefusal' | 'originCache' | 'originTimeout' | 'reflectionWarning' | 'maxRequestHeadersLength'> {
  /** Which origins may read responses: exact origins, `*.`/`:*` patterns, anchored RegExps, functions, `'*'`, `true`, `false`. */
  origin?: FastifyCorsOrigin;
  /** `Cache-Control` on answered preflights: a number becomes `max-age=N`, a string is sent as written. */
  cacheControl?: number | string;
}

export type CorsOptionsDelegateCallback = (request: FastifyRequest, callback: (error: Error | null, options?: PolycorsOptions) => void) => void;
export type CorsOptionsDelegatePromise = (request: FastifyRequest) => Promise<PolycorsOptions> | PolycorsOptions;
/**
 * Chooses the options per request, as in @fastify/cors: answer through the callback (a function of two parameters)
 * or return the options or a Promise of them. Compiled once per distinct content (functions by identity), the 256
 * most recently used kept: a fresh literal per request is fine, a fresh closure per request compiles each time.
 */
export type CorsOptionsDelegate = (
  request: FastifyRequest,
  callback: (error: Error | null, options?: PolycorsOptions) => void,
) => void | PolycorsOptions | Promise<PolycorsOptions>;

export interface PolycorsOptions extends PolycorsRouteOptions {
  /** Hook that sets CORS headers on actual requests. Default `onRequest` (before auth hooks, so 401s carry them). */
  hook?: PolycorsHook;
  /** Per-request options, as in @fastify/cors. Route `config.cors` still merges on top. */
  delegator?: CorsOptionsDelegate;
  /** Answer preflights (default true). `false` lets OPTIONS requests through to the app with actual-request headers. */
  preflight?: boolean;
  /** OPTIONS requests that reach no route of the app and are not preflights are answered `400 Invalid Preflight Request` (default true). */
  strictPreflight?: boolean;
  /** Hide the internal `OPTIONS *` route from documentation generators (default true). */
  hideOptionsRoute?: boolean;
  /** Log level of the internal `OPTIONS *` route (for example `'silent'`). */
  logLevel?: LogLevel;
  /** Level at which refusals are logged through `request.log`, with their reason code and message. Default `'info'`; `false` silences. */
  refusalLogLevel?: LogLevel | false;
  /** Receives configuration warnings, CORS header conflicts and origin-function errors. Default: the Fastify logger. `false` silences. */
  logger?: CorsLogger | false;
  /** Called for every refused CORS request (the context is the Fastify request). */
  onRefusal?: (refusal: CorsRefusal) => void;
  /** Cache the answers of origin functions per origin (and per `key(origin, request)`); concurrent lookups share one call. */
  originCache?: OriginCacheOptions<FastifyRequest> | boolean;
  /** Longest wait for an origin function, in milliseconds (default 3000); then the request is refused and it is logged. */
  originTimeout?: number;
  /** Warn once when an origin function under credentials allows many distinct origins (default: more than 50 in ten minutes). */
  reflectionWarning?: ReflectionWarningOptions | false;
  /** Longest `Access-Control-Request-Headers` accepted (default 4096). */
  maxRequestHeadersLength?: number;
}

/** Adapter-only settings, after validation. */
export interface AdapterSettings {
  hook: PolycorsHook;
  delegator?: CorsOptionsDelegate;
  preflight: boolean;
  strictPreflight: boolean;
  hideOptionsRoute: boolean;
  logLevel?: LogLevel;
  refusalLogLevel: LogLevel | false;
  cacheControl?: string;
}

export const ADAPTER_DEFAULTS = Object.freeze({
  hook: 'onRequest' as PolycorsHook,
  preflight: true,
  strictPreflight: true,
  hideOptionsRoute: true,
  refusalLogLevel: 'info' as LogLevel,
});

/** @fastify/cors's own defaults, applied only with `strict: false` (each with a warning where it is unsafe). */
export const FASTIFY_CORS_DEFAULTS = Object.freeze({ origin: '*', methods: 'GET,HEAD,POST' });

/** With `strict: false`, lists are written as @fastify/cors writes them: arrays joined by ', ', strings as written. */
export const FASTIFY_CORS_LIST_FORMAT: ListFormat = Object.freeze({ separator: ', ', asWritten: true });

export const VALID_HOOKS: readonly PolycorsHook[] = ['onRequest', 'preParsing', 'preValidation', 'preHandler', 'preSerialization'];

export const ADAPTER_KEYS: ReadonlySet<string> = new Set(['hook', 'delegator', 'preflight', 'strictPreflight', 'hideOptionsRoute', 'logLevel', 'refusalLogLevel', 'cacheControl']);
/** The adapter's own keys a route's `config.cors` may set. */
export const ROUTE_ADAPTER_KEYS: readonly string[] = ['cacheControl'];
/** Keys that only make sense once, on the plugin: refused in a route's `config.cors`. */
export const PLUGIN_ONLY_KEYS: ReadonlySet<string> = new Set(['hook', 'delegator', 'preflight', 'strictPreflight', 'hideOptionsRoute', 'logLevel', 'refusalLogLevel', 'logger', 'onRefusal', 'originCache', 'originTimeout', 'reflectionWarning', 'maxRequestHeadersLength']);

/** `cacheControl` as @fastify/cors reads it: integers become `max-age=N`, strings are sent as written, anything else is ignored. */
export function normaliseCacheControl(value: unknown): string | undefined {
  if (Number.isInteger(value)) return `max-age=${value as number}`;
  return typeof value === 'string' ? value : undefined;
}

/** Splits user options into core options (still with @fastify/cors-style origins) and adapter keys. */
export function splitOptions(options: PolycorsOptions | PolycorsRouteOptions): { core: Record<string, unknown>; adapter: Record<string, unknown> } {
  const core: Record<string, unknown> = {};
  const adapter: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (ADAPTER_KEYS.has(key)) adapter[key] = value;
    // @fastify/cors accepts null for "not set" (its own defaults are null).
    else if (value !== null || key === 'origin') core[key] = value;
  }
  return { core, adapter };
}
