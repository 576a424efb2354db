/**
 * Public option types of @polycors/express: the core `CorsOptions` with the names and shapes `cors` 2.8 users
 * already write (`origin` strings, RegExps, arrays, `(origin, callback)` functions; `maxAge` as a string), plus
 * `router` for preflight resolution. Request types are Node's, so the types fit Express 4 and Express 5 alike.
 */
import type { IncomingMessage } from 'node:http';
import type { CorsOptions, CorsRefusal, OriginFunction } from '@polycors/core';

/**
 * An origin function, in either form, read by core's one rule (packages/core/README.md, origin functions):
 * polycors' `(origin, req) => answer | Promise<answer>` or the `cors` package's `(origin, callback) => void`. The second
 * argument is the request and the callback at once, so both type-check. `true` or the request's origin allows it;
 * `'*'` answers `*`, never with credentials; a string, RegExp or list must match the origin; throwing, rejecting,
 * calling back with an error or not answering within `originTimeout` refuses the request.
 */
export type ExpressOriginFunction = OriginFunction<IncomingMessage>;

/** One origin rule: `'*'`, an exact origin, a `*.`/`:*` pattern, an anchored RegExp, or a function. */
export type ExpressOriginRule = string | RegExp | ExpressOriginFunction;

/** A refusal as `onRefusal` receives it: `context` is the request. */
export interface ExpressCorsRefusal extends CorsRefusal {
  context: IncomingMessage;
}

/** Options of one policy: the global one (`cors()`) or a route's (`corsRoute()`). */
export interface ExpressCorsPolicyOptions extends Omit<CorsOptions, 'origin' | 'maxAge' | 'onRefusal'> {
  /**
   * Which origins may read responses: a rule or a list of rules, `true` (reflect any origin; refused with
   * credentials) or `false` (CORS off). No default in strict mode (`cors` defaults to `'*'`; `strict: false`
   * keeps that default with a warning). Routes inherit the global value.
   */
  origin?: ExpressOriginRule | readonly ExpressOriginRule[] | boolean;
  /** `Access-Control-Max-Age` in seconds (0..86400); a string of digits is accepted as in `cors`. */
  maxAge?: number | string;
  /** Called for every refused CORS request with its reason code; `refusal.context` is the request. */
  onRefusal?: (refusal: ExpressCorsRefusal) => void;
}

/** An Express app, or an `express.Router()` mounted at `/` (only the members read here). */
export type ExpressRoutesSource = ExpressAppLike | ExpressRouterLike;

export interface ExpressAppLike {
  /** Express 5. */
  readonly router?: unknown;
  /** Express 4. */
  readonly _router?: unknown;
  set(setting: string, value: unknown): unknown;
}

export interface ExpressRouterLike {
  readonly stack: readonly unknown[];
}

export interface ExpressCorsOptions extends ExpressCorsPolicyOptions {
  /**
   * Where the routes are: the app (or routers mounted at `/`). Default: `req.app`, the app the middleware runs in,
   * so `app.use(cors({ ... }))` needs nothing more. Preflights are judged by the policy of the route the browser asks
   * about (path + `Access-Control-Request-Method`).
   */
  router?: ExpressRoutesSource | readonly ExpressRoutesSource[];
  /**
   * Express sub-apps (`express()` mounted with `app.use('/v1', subApp)`, nested ones too) whose routes take part in
   * route resolution like an `express.Router()`'s. Express hides a sub-app's routes from cors(); without listing it,
   * preflights under its mount path are refused (`route-unresolved`). Checked when the routes are read: each must be
   * mounted, once, in the app cors() reads or in another listed sub-app.
   */
  subApps?: readonly ExpressAppLike[];
}

/** The `cors` package's options-delegate form: options per request. */
export type ExpressCorsOptionsDelegate = (req: IncomingMessage, callback: (error: Error | null, options?: ExpressCorsPolicyOptions) => void) => void;

/** `'*'`, the default origin of `cors` 2.8 (applied only with `strict: false`). */
export const CORS_PACKAGE_DEFAULT_ORIGIN = '*';
