/**
 * Public option types of @polycors/koa: the core `CorsOptions`, plus the names `@koa/cors` 5 users already write
 * (`allowMethods`, `allowHeaders`, `exposeHeaders`, `origin(ctx)`, `credentials(ctx)`, `keepHeadersOnError`,
 * `secureContext`), plus `router` for per-route policies.
 */
import type { CorsOptions, CorsRefusal, OriginAnswer, OriginCacheOptions, TokenList } from '@polycors/core';
import type { Context } from 'koa';

/** What an origin function may answer: core's `OriginAnswer`, the same on every adapter. */
export type KoaOriginAnswer = OriginAnswer;

/**
 * Decides the origin from the Koa context, as in `@koa/cors` (the origin is also passed second). The answer means
 * what it means on every polycors adapter: the request's origin (or `true`) allows it, reflected; `'*'` is answered
 * `Access-Control-Allow-Origin: *`, never with credentials and never reflected; a string, RegExp or list must match
 * the request's origin; `false`/`''`/`null`/`undefined` refuse. Throwing, rejecting, any other answer, or no answer
 * within `originTimeout` refuses the request and is logged. Any thenable is settled (through `Promise.resolve`).
 */
export type KoaOriginFunction = (ctx: Context, origin: string) => KoaOriginAnswer | PromiseLike<KoaOriginAnswer>;

/** One origin rule: `'*'`, an exact origin, a `*.`/`:*` pattern, an anchored RegExp, or a function of `ctx`. */
export type KoaOriginRule = string | RegExp | KoaOriginFunction;

/** Decides per request whether credentials are allowed (as in `@koa/cors`). Throwing counts as `false`. */
export type KoaCredentialsFunction = (ctx: Context) => boolean | Promise<boolean>;

/** A refusal as `onRefusal` receives it: `context` is the Koa `ctx`. */
export interface KoaCorsRefusal extends CorsRefusal {
  context: Context;
}

/** Options of one policy: the global one (`cors()`) or a route's (`corsRoute()`). */
export interface KoaCorsPolicyOptions extends Omit<CorsOptions, 'origin' | 'credentials' | 'maxAge' | 'onRefusal' | 'originCache'> {
  /**
   * Which origins may read responses: a rule or a list of rules, `true` (reflect any origin; refused with
   * credentials) or `false` (CORS off). Functions receive `ctx` (see `KoaOriginFunction`).
   * `cors()` has no default in strict mode (a missing origin fails at startup, `origin-missing`); with `strict: false`
   * it applies `@koa/cors` 5's `'*'`, with a warning. Routes inherit the global value.
   */
  origin?: KoaOriginRule | readonly KoaOriginRule[] | boolean;
  /** Send `Access-Control-Allow-Credentials: true`; a function decides per request. Default false. */
  credentials?: boolean | KoaCredentialsFunction;
  /** `Access-Control-Max-Age` in seconds (0..86400); a string of digits is accepted as in `@koa/cors`. */
  maxAge?: number | string;
  /** Called for every refused CORS request with its reason code; `refusal.context` is the Koa `ctx`. */
  onRefusal?: (refusal: KoaCorsRefusal) => void;
  /**
   * Cache origin-function answers per origin and `key(origin, ctx)`; concurrent lookups of one key share one call.
   * Koa origin functions read `ctx`, so `key` is required: `{ key: (origin, ctx) => ctx.host }`.
   */
  originCache?: OriginCacheOptions<Context> | boolean;
  /** `@koa/cors` name for `methods`. */
  allowMethods?: TokenList;
  /** `@koa/cors` name for `allowedHeaders`. */
  allowHeaders?: TokenList;
  /** `@koa/cors` name for `exposedHeaders`. */
  exposeHeaders?: TokenList;
}

/** The routes a `cors()` middleware can read: an `@koa/router` instance (only the members used here). */
export interface KoaRouterLike {
  stack: readonly KoaLayerLike[];
  opts?: { routerPath?: string };
  host?: unknown;
  matchHost?(host: string): boolean;
}

/** An `@koa/router` Layer (only the members used here). */
export interface KoaLayerLike {
  path: string | RegExp;
  methods: readonly string[];
  stack: readonly unknown[];
  name?: string;
  opts?: { sensitive?: boolean; strict?: boolean; pathAsRegExp?: boolean };
}

export interface KoaCorsOptions extends KoaCorsPolicyOptions {
  /**
   * The `@koa/router` router(s) whose routes carry `corsRoute()` markers. With a router, preflights are judged by
   * the policy of the route the browser asks about (path + `Access-Control-Request-Method`), and routes without
   * configured `methods` allow the methods they serve.
   */
  router?: KoaRouterLike | readonly KoaRouterLike[];
  /** Keep CORS headers and `Vary` on error responses (Koa's error handler wipes headers). Default true. */
  keepHeadersOnError?: boolean;
  /** Also send `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`. Default false. */
  secureContext?: boolean;
  /**
   * Log every refused CORS request through `logger.warn` with its route and reason code (default true), as the other
   * polycors adapters do. Actual requests to a `corsRoute(false)` route are not logged.
   */
  logRefusals?: boolean;
}

/** `'*'`, `@koa/cors` 5's default origin: applied by `cors()` only with `strict: false` (strict mode requires an origin). */
export const DEFAULT_ORIGIN = '*';
