/**
 * Public option and decision types of @polycors/core, and the defaults table.
 * The names follow the `cors` / `@fastify/cors` vocabulary so one options object means the same thing everywhere.
 */

/** Context an adapter passes through to origin functions (a Koa ctx, a Fastify request, ...). */
export type CorsContext = unknown;

/**
 * What an origin function may answer (see `origin-answer.ts` for the one rule every adapter shares):
 * - `true`, or the request's own origin: allowed, answered with that origin (and credentials, where configured);
 * - `'*'`: any origin, answered `Access-Control-Allow-Origin: *`, never with credentials;
 * - a string, a RegExp or a list of them (as `cors` and `@fastify/cors` accept): the request's origin must match;
 * - `false`, `null`, `undefined`: refused.
 * Anything else refuses the request and is logged (`origin-function-error`).
 */
export type OriginAnswer = boolean | string | RegExp | null | undefined | readonly OriginAnswer[];

/** The `cors` / Nest / `@fastify/cors` callback: `callback(null, answer)`, or `callback(error)` to refuse. */
export type OriginCallback = (error: Error | null, answer?: OriginAnswer) => void;

/**
 * Decides one origin, in either style:
 * - `(origin, ctx) => answer | Promise<answer>`: `ctx` is what the adapter passes (a Fastify request, a Nest `req`);
 * - `(origin, callback) => void`: the `cors` / `@fastify/cors` style; call `callback(null, answer)`.
 * A function of two or more parameters receives one value that is both: the context (its properties and methods)
 * and, when called, the callback. Returning (or resolving) `undefined` from such a function waits for the callback.
 * Throwing, rejecting, calling back with an error, or not answering within `originTimeout` refuses the request.
 */
export type OriginFunction<Context = CorsContext> = (origin: string, context: Context & OriginCallback) => OriginAnswer | void | PromiseLike<OriginAnswer | void>;

/**
 * One origin rule:
 * - `'*'`: any origin, answered with `Access-Control-Allow-Origin: *` (never with credentials);
 * - `'https://app.example.com'`: one exact origin, as browsers serialise it;
 * - `'https://*.example.com'`, `'http://localhost:*'`: a leading `*.` label (one or more subdomains, not the apex)
 *   and/or a `:*` port (any port, including none);
 * - an anchored RegExp (`/^https:\/\/[a-z]+\.example\.com$/`);
 * - a function.
 */
export type OriginRule = string | RegExp | OriginFunction;

/**
 * `origin`: a rule, a list of rules, `true` (reflect any origin: refused with credentials) or `false` (CORS off).
 */
export type CorsOrigin = OriginRule | readonly OriginRule[] | boolean;

/** A list given as an array or as one comma-separated string (`'GET, POST'`). */
export type TokenList = readonly string[] | string;

export interface CorsLogger {
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

export interface OriginCacheOptions<Context = CorsContext> {
  /** Most answers remembered (default 1000). */
  max?: number;
  /** How long one answer is remembered, in milliseconds (default 60 000). */
  ttl?: number;
  /**
   * What else, beyond the origin, the answer depends on: `(origin, ctx) => ctx.headers.host` for a tenant per Host.
   * Answers are remembered per (origin, key). Required when an origin function takes a second parameter.
   */
  key?(origin: string, context: Context): string;
}

/** When to warn that an origin function under credentials looks like `origin: true` in disguise. */
export interface ReflectionWarningOptions {
  /** Distinct origins a function may allow (with credentials) within `window` before the warning (default 50). */
  origins?: number;
  /** The window, in milliseconds (default 600 000: ten minutes). */
  window?: number;
}

export interface CorsOptions {
  /** Which origins may read responses. No default: a policy without `origin` is a configuration error. */
  origin?: CorsOrigin;
  /** Methods a preflight may ask for. Default: GET, HEAD, PUT, PATCH, POST, DELETE (adapters: the route's own). */
  methods?: TokenList;
  /** Request headers a preflight may ask for. Default: whatever the preflight asks for. `'*'` allows any but `Authorization`. */
  allowedHeaders?: TokenList;
  /** Response headers the page may read beyond the safelisted ones. Default: none. */
  exposedHeaders?: TokenList;
  /** Send `Access-Control-Allow-Credentials: true` (cookies, HTTP auth, client certificates). Default false. */
  credentials?: boolean;
  /** `Access-Control-Max-Age` in seconds, 0..86400 (Chromium caps at 7200). Default: not sent (browser default 5 s). */
  maxAge?: number;
  /** Status of an allowed preflight answer. Default 204. */
  optionsSuccessStatus?: number;
  /** Let an allowed preflight continue to the app after its headers are set, instead of answering it. Default false. */
  preflightContinue?: boolean;
  /** Answer Chrome's Private Network Access preflights (`Access-Control-Allow-Private-Network: true`). Default false. */
  privateNetworkAccess?: boolean;
  /** Merge mode for layered policies: `true` (default) merges with the layer above, `false` replaces it. */
  inherit?: boolean;
  /** `true` (default): unsafe or impossible configuration throws. `false`: it is reported as warnings (migration). */
  strict?: boolean;
  /**
   * Include the refusal reason in responses (`polycors-reason` header) and, when the adapter names it, the policy that
   * refused (`polycors-policy` header: the route and where its options were written). For development only. Default false.
   */
  debug?: boolean;
  /** Receives configuration warnings and errors thrown by origin functions. Default: `console`. */
  logger?: CorsLogger | false;
  /** Called for every refused CORS request with its decision. */
  onRefusal?: (refusal: CorsRefusal) => void;
  /**
   * Cache the answers of origin functions (per origin, and per `key` when given) so a slow lookup is not made on
   * every request; concurrent lookups of one key share one call.
   */
  originCache?: OriginCacheOptions | boolean;
  /** Longest wait for an origin function's answer, in milliseconds (1..60000, default 3000); then the request is refused. */
  originTimeout?: number;
  /** Warn once when an origin function under credentials allows many distinct origins (see ReflectionWarningOptions). `false`: never. */
  reflectionWarning?: ReflectionWarningOptions | false;
  /** Longest `Access-Control-Request-Headers` value accepted, in characters (default 4096). */
  maxRequestHeadersLength?: number;
}

/** What an adapter tells the engine about one request. */
export interface CorsRequest {
  method: string;
  /** The `Origin` header, if any. */
  origin?: string;
  /** `Access-Control-Request-Method`, if any. */
  requestMethod?: string;
  /** `Access-Control-Request-Headers`, if any. */
  requestHeaders?: string;
  /** `Access-Control-Request-Private-Network`, if any. */
  requestPrivateNetwork?: string;
}

export type CorsRequestKind = 'not-cors' | 'preflight' | 'actual';

export interface CorsReason {
  code: RefusalCode;
  message: string;
}

export interface CorsDecision {
  kind: CorsRequestKind;
  allowed: boolean;
  /** Preflights: the status to answer with. */
  status?: number;
  /** CORS headers to set, lower-case names, Vary excluded. */
  headers: ReadonlyArray<readonly [name: string, value: string]>;
  /** Tokens to merge into Vary. */
  vary: readonly string[];
  /** Why the request was refused. */
  reason?: CorsReason;
  /** Preflights: hand the request on to the app after setting headers (`preflightContinue`). */
  continue?: boolean;
  /**
   * Preflights: `false` when the answer must not be reused (it carries `Access-Control-Max-Age: 0` because a
   * cached copy would grant a sibling route's requests). Adapters then send no caching headers of their own.
   */
  reusable?: false;
}

export interface CorsRefusal {
  request: CorsRequest;
  decision: CorsDecision;
  reason: CorsReason;
  context?: CorsContext;
}

export type RefusalCode =
  | 'origin-not-allowed'
  | 'origin-malformed'
  | 'origin-too-long'
  | 'origin-function-error'
  | 'origin-function-timeout'
  | 'credentials-origin-unsafe'
  | 'cors-disabled'
  | 'method-not-allowed'
  | 'method-case-mismatch'
  | 'header-not-allowed'
  | 'header-authorization-not-covered-by-wildcard'
  | 'headers-malformed'
  | 'headers-too-long'
  | 'private-network-not-allowed'
  | 'route-unresolved';

/** The defaults table (documented in the README). */
export const CORS_DEFAULTS = Object.freeze({
  methods: Object.freeze(['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE']),
  credentials: false,
  optionsSuccessStatus: 204,
  preflightContinue: false,
  privateNetworkAccess: false,
  strict: true,
  debug: false,
  refusedPreflightStatus: 403,
  maxRequestHeadersLength: 4096,
  maxOriginLength: 2048,
  originCache: Object.freeze({ max: 1000, ttl: 60_000 }),
  originTimeout: 3000,
  reflectionWarning: Object.freeze({ origins: 50, window: 600_000 }),
});
