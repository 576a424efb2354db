/**
 * cors(options): the Koa middleware. Per request it only translates: Koa request -> CorsRequest, route -> compiled
 * policy (route-resolver.ts), decision -> Koa response. Preflights are answered here and never reach later
 * middleware; actual requests get their headers before downstream runs, and keep them (with Vary) when
 * downstream throws, since Koa's error handler removes every header that is not on the error.
 */
import {
  type CorsConfigProblem,
  CorsConfigError,
  type CorsDecision,
  type CorsHeaderConflict,
  type CorsLogger,
  type CorsPolicy,
  type CorsRequest,
  type PreflightRoutes,
  appendVary,
  describeHeaderConflict,
  guardResponseHeaders,
  isPreflightRequest,
  releaseResponseHeaders,
  WarningDeduper,
} from '@polycors/core';
import type { Context, Middleware, Next } from 'koa';
import { type CompileContext, type CompiledEntry, compileEntry, isPromise } from './compile.js';
import { DEFAULT_ORIGIN, type KoaCorsOptions, type KoaRouterLike } from './options.js';
import { APPLIED, failMarker } from './route-marker.js';
import { type BuildInput, buildRouterTables, resolveRoute, resolveServedAt, resolveUnservedMethod, tablesAreCurrent } from './route-resolver.js';
import { translateOptions } from './translate.js';

export interface KoaCorsMiddleware extends Middleware {
  /**
   * Reads the router(s) again and compiles every route's effective policy now, throwing one CorsConfigError
   * that names each route with a problem. cors() already does this when it is created; call build() at startup after
   * adding routes later. Without it, the first request after routes were added reads them again: a route with a
   * problem then answers its own requests (and preflights asking about it) with a 500 and never runs, other routes
   * are unaffected, and the problem is logged once through `logger.error`.
   */
  build(): this;
}

type Header = readonly [name: string, value: string];
const SECURE_CONTEXT_HEADERS: readonly Header[] = [
  ['cross-origin-opener-policy', 'same-origin'],
  ['cross-origin-embedder-policy', 'require-corp'],
];
const NO_HEADERS: readonly Header[] = [];

interface Built {
  global: CompiledEntry;
  tables: ReturnType<typeof buildRouterTables>;
}

/**
 * CORS for a Koa app, validated when created:
 *
 * ```ts
 * app.use(cors({ origin: ['https://app.example.com'], credentials: true, router }));
 * app.use(router.routes()).use(router.allowedMethods());
 * ```
 */
export function cors(options: KoaCorsOptions = {}): KoaCorsMiddleware {
  const routers: readonly KoaRouterLike[] = options.router === undefined ? [] : Array.isArray(options.router) ? options.router : [options.router as KoaRouterLike];
  const keepHeadersOnError = options.keepHeadersOnError ?? true;
  const extraHeaders = options.secureContext ? SECURE_CONTEXT_HEADERS : NO_HEADERS;
  const translationProblems: CorsConfigProblem[] = [];
  const global = translateOptions(options, translationProblems, false);
  if (global.origin === undefined) {
    // Same rule as every polycors adapter: no default origin in strict mode; `strict: false` applies @koa/cors' '*' with a warning.
    translationProblems.push({
      path: 'origin',
      code: 'origin-missing',
      message: `no 'origin' configured. @koa/cors defaults to '*' (and with credentials: true echoes any origin back); say which origins may read responses, e.g. origin: ['https://app.example.com'], or origin: '*' for a public API without credentials. With strict: false the '*' default applies, with this warning`,
    });
    global.origin = DEFAULT_ORIGIN;
  }
  const logger: CorsLogger | undefined = global.logger === false ? undefined : typeof global.logger === 'object' && global.logger !== null ? global.logger : console;
  const warnings = new WarningDeduper();
  const logRefusals = options.logRefusals ?? true;
  const conflictsSeen = new Set<string>();
  /** A CORS header the app set differently from polycors' decision: logged once per route and header. */
  const reportConflict = (where: string, conflict: CorsHeaderConflict) => {
    const key = `${where}|${conflict.header}`;
    if (conflictsSeen.has(key)) return;
    conflictsSeen.add(key);
    logger?.warn(describeHeaderConflict(where, conflict));
  };
  let built = build(true);

  /**
   * @param atStartup throw every problem (cors(), build()); otherwise (routes added later, read on a request) keep
   * the routes with problems failing their own requests and log the problems once.
   */
  function build(atStartup: boolean): Built {
    const problems: CompileContext['problems'] = translationProblems.map((problem) => ({ where: 'cors()', problem }));
    const globalEntry = compileEntry(global, global, { where: 'cors()', markers: new Set(), problems, warnings });
    const misplaced: NonNullable<BuildInput['misplaced']> = [];
    const tables = buildRouterTables({ routers, global, problems, warnings, misplaced });
    if (problems.length > 0) {
      // Core already applied `strict` to its own problems (they only arrive here as errors); with strict: false the
      // adapter's own problems (option names, misplaced markers) become warnings too.
      if (global.strict !== false || problems.some(({ fromCore }) => fromCore)) {
        const error = configError(dedupe(problems));
        if (atStartup) throw error;
        if (global.strict !== false) for (const { markers } of misplaced) for (const marker of markers) failMarker(marker, error);
        logger?.error(`polycors: routes read after cors() was created have CORS configuration problems; their requests are answered 500 (their handlers do not run) until the code is fixed. Call build() at startup to fail there instead.\n${error.message}`, error);
      } else {
        for (const { where, problem } of dedupe(problems)) logger?.warn(`polycors: ${where}: ${problem.path}: ${problem.message} [${problem.code}]`);
      }
    }
    return { global: globalEntry as CompiledEntry, tables };
  }

  // With logging off, nothing is formatted for a refusal and no conflict reporter is made per request.
  const refusalLogger = logRefusals ? logger : undefined;

  const middleware = async function polycorsKoa(ctx: Context, next: Next): Promise<void> {
    if (!tablesAreCurrent(built.tables)) built = build(false);
    const res = ctx.res;
    // ctx.set() wraps each header in arrays and closures before res.setHeader(); for these string values it does
    // nothing else, except skipping every header once they were sent, which this check keeps.
    const canSet = !res.headersSent;
    if (canSet) for (let i = 0; i < extraHeaders.length; i++) res.setHeader(extraHeaders[i][0], extraHeaders[i][1]);
    const headers = ctx.req.headers;
    const request: CorsRequest = {
      method: ctx.method,
      origin: headers.origin,
      requestMethod: headerValue(headers['access-control-request-method']),
      requestHeaders: headerValue(headers['access-control-request-headers']),
      requestPrivateNetwork: headerValue(headers['access-control-request-private-network']),
    };
    const isPreflight = isPreflightRequest(request);
    const entry = (built.tables.length > 0 && resolveRoute(built.tables, ctx, isPreflight ? (request.requestMethod as string) : ctx.method)) || built.global;
    (ctx as unknown as Record<symbol, unknown>)[APPLIED] = entry.markers;
    if (entry.failure) throw entry.failure;

    const policy = request.origin !== undefined && entry.credentials ? ((await askCredentials(entry, ctx, logger)) ? entry.withCredentials! : entry.policy) : entry.policy;
    const evaluated = policy.evaluate(request, ctx, isPreflight && built.tables.length > 0 ? preflightRoutes(built, ctx) : undefined);
    const decision = isPromise(evaluated) ? await evaluated : evaluated;
    if (canSet) {
      const decided = decision.headers;
      for (let i = 0; i < decided.length; i++) res.setHeader(decided[i][0], decided[i][1]);
      if (decision.vary.length > 0) res.setHeader('Vary', appendVary(res.getHeader('Vary'), decision.vary));
    }
    // Whatever downstream (or upstream, after next()) sets, the response goes out with this decision's CORS headers.
    if (policy.enabled) guardResponseHeaders(res, decision, logger === undefined ? undefined : (conflict) => reportConflict(routeName(ctx, entry.where), conflict));
    if (refusalLogger !== undefined && !decision.allowed && decision.reason) logRefusal(refusalLogger, decision, request, ctx, entry.where);

    if (decision.kind === 'preflight' && !decision.continue) {
      ctx.status = decision.status as number;
      return;
    }
    try {
      await next();
    } catch (error) {
      if (keepHeadersOnError) keepHeaders(error, decision, extraHeaders);
      else releaseResponseHeaders(res); // as @koa/cors: Koa's error handler drops the CORS headers
      throw error;
    }
  } as KoaCorsMiddleware;

  middleware.build = function rebuild() {
    built = build(true);
    return this;
  };
  return middleware;
}

/**
 * The policy of every route at the preflight's URL, by method, for core to keep the answer within. A route whose
 * credentials are decided per request (a credentials function) counts without them: the stricter reading.
 */
function preflightRoutes(built: Built, ctx: Context): PreflightRoutes<CorsPolicy> {
  const served: [string, CorsPolicy][] = [];
  for (const [method, entry] of resolveServedAt(built.tables, ctx)) served.push([method, entry.policy]);
  // Requests with a method no route serves still pass this middleware (later middleware may serve them), judged by
  // the path's first route, or by the global policy where no route matches the path.
  return { served, fallback: (resolveUnservedMethod(built.tables, ctx) ?? built.global).policy };
}

/**
 * The route pattern @koa/router ran ('route /items/:id'), known once routing happened; else the policy's name. Never
 * the request's own path or method, so that the set of names logged once stays as small as the app's routes.
 */
function routeName(ctx: Context, where: string): string {
  const matched = (ctx as { _matchedRoute?: unknown })._matchedRoute;
  return typeof matched === 'string' ? `route ${matched}` : where;
}

/**
 * One line per refusal, as the other adapters log them. A route with CORS off is not worth a line for its actual
 * requests (every request with an Origin would log); a preflight refused there still is.
 */
function logRefusal(logger: CorsLogger, decision: CorsDecision, request: CorsRequest, ctx: Context, where: string): void {
  const reason = decision.reason!;
  if (decision.kind === 'actual' && reason.code === 'cors-disabled') return;
  const asked = decision.kind === 'preflight' ? ` for ${String(request.requestMethod).slice(0, 64)}` : '';
  const path = ctx.path.length > 200 ? `${ctx.path.slice(0, 200)}...` : ctx.path;
  logger.warn(`polycors: refused ${decision.kind} ${ctx.method.slice(0, 64)} ${path}${asked} -> ${where}: ${reason.code}: ${reason.message}`);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

async function askCredentials(entry: CompiledEntry, ctx: Context, logger: CorsLogger | undefined): Promise<boolean> {
  try {
    return (await entry.credentials!(ctx)) === true;
  } catch (error) {
    logger?.error(`polycors: ${entry.where}: the credentials function failed; answering without credentials`, error);
    return false;
  }
}

/** Puts this request's CORS headers and Vary on the error, which is what Koa's error handler sends. */
function keepHeaders(error: unknown, decision: CorsDecision, extraHeaders: readonly Header[]): void {
  if (typeof error !== 'object' || error === null) return;
  const target = error as { headers?: unknown };
  const existing: Record<string, unknown> = typeof target.headers === 'object' && target.headers !== null ? { ...(target.headers as Record<string, unknown>) } : {};
  let vary: string | undefined;
  for (const name of Object.keys(existing)) {
    if (name.toLowerCase() !== 'vary') continue;
    vary = String(existing[name]);
    delete existing[name];
  }
  for (const [name, value] of [...extraHeaders, ...decision.headers]) existing[name] = value;
  const varyValue = appendVary(vary, decision.vary);
  if (varyValue !== '') existing.vary = varyValue;
  try {
    target.headers = existing;
  } catch {
    // A frozen error keeps its own headers.
  }
}

function dedupe(problems: CompileContext['problems']): CompileContext['problems'] {
  const seen = new Set<string>();
  return problems.filter(({ where, problem }) => {
    const key = `${where.replace(/, when credentials\(ctx\) is true$/, '')}|${problem.path}|${problem.code}|${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** One error for every problem; a problem shared by the global policy and routes is listed once, under cors(). */
function configError(problems: CompileContext['problems']): CorsConfigError {
  const key = (problem: CorsConfigProblem) => `${problem.path}|${problem.code}|${problem.message}`;
  const globalKeys = new Set(problems.filter(({ where }) => where.startsWith('cors()')).map(({ problem }) => key(problem)));
  const kept = problems.filter(({ where, problem }) => where.startsWith('cors()') || !globalKeys.has(key(problem)));
  const places = new Set(kept.map(({ where }) => where));
  if (places.size === 1) return new CorsConfigError(kept.map(({ problem }) => problem), [...places][0]);
  return new CorsConfigError(kept.map(({ where, problem }) => ({ ...problem, path: `${where} › ${problem.path}` })));
}
