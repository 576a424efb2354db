/**
 * cors(options): the Express middleware. Per request it only translates: request -> CorsRequest, route -> compiled
 * policy (route-index.ts, walking Express's own router), decision -> response. Preflights are answered here and
 * never reach later middleware; actual requests get their headers before downstream runs, and core's response guard
 * (guardResponseHeaders) keeps them, with Vary, whatever the app or an error handler sets later.
 */
import { type CorsConfigProblem, CorsConfigError, type CorsDecision, type CorsHeaderConflict, type CorsLogger, type CorsRequest, appendVary, describeHeaderConflict, guardResponseHeaders, isPreflightRequest, releaseResponseHeaders, WarningDeduper } from '@polycors/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import parseurl from 'parseurl';
import { type CompiledEntry, type Problem, compileEntry, resolveLogger } from './compile.js';
import { type RouteLike, type RouterLike, rootRouter } from './express-layers.js';
import { type ExpressCorsOptions, CORS_PACKAGE_DEFAULT_ORIGIN, type ExpressRoutesSource } from './options.js';
import { POLYCORS_MIDDLEWARE, type RouteIndex, buildRouteIndex, isCurrent, resolve } from './route-index.js';
import { APPLIED, type AppliedPolicy } from './route-marker.js';
import { isExpressApp, readSubApps } from './sub-apps.js';
import { type LayerOptions, ORIGIN_MISSING, translateOptions } from './translate.js';

type Next = (error?: unknown) => void;

export interface ExpressCorsMiddleware {
  (req: IncomingMessage, res: ServerResponse, next: Next): void;
  /**
   * Reads the routes now and compiles every route's effective policy, throwing one CorsConfigError that names each
   * route with a problem (`PATCH /form › origin: …`). Without it this happens at the first request (and again when
   * routes are added), and a bad policy fails that request. Call it after registering routes, before `listen()`.
   * @param routes the app (or routers mounted at `/`); default: the `router` option.
   */
  build(routes?: ExpressRoutesSource | readonly ExpressRoutesSource[]): this;
}

interface Built {
  index: RouteIndex;
  error?: unknown;
  roots: readonly (RouterLike | undefined)[];
}

interface RequestState {
  built?: Built;
  entry: CompiledEntry;
  /** The Vary tokens applied, kept when a route's headers are removed (the answer still depended on Origin). */
  vary: readonly string[];
}

const STATE = Symbol('polycors.express.request');

/**
 * CORS for an Express 4 or 5 app, validated when created:
 *
 * ```ts
 * app.use(cors({ origin: ['https://app.example.com'], credentials: true }));
 * app.patch('/form', corsRoute({ origin: 'https://admin.example.com', inherit: false }), update);
 * ```
 */
export function createCorsMiddleware(options: ExpressCorsOptions): ExpressCorsMiddleware {
  const explicit = options.router === undefined ? undefined : Array.isArray(options.router) ? (options.router as readonly ExpressRoutesSource[]) : [options.router as ExpressRoutesSource];
  const translationProblems: CorsConfigProblem[] = [];
  const global = translateOptions(options, translationProblems, false);
  const subApps = readSubApps(options.subApps, translationProblems);
  if (global.origin === undefined) {
    translationProblems.push(ORIGIN_MISSING);
    global.origin = CORS_PACKAGE_DEFAULT_ORIGIN;
  }
  const logger: CorsLogger | undefined = resolveLogger(global.logger);
  const warnings = new WarningDeduper();
  const globalEntry = compileGlobal(global, translationProblems, warnings, logger);
  const builds = new WeakMap<object, Built>();
  const reported = new Set<string>();
  const reportOnce = (key: string, message: string) => {
    if (reported.has(key) || reported.size > 1000) return;
    reported.add(key);
    logger?.warn(message);
  };

  /** Reads the routes; a configuration error is kept with the index, so that changed routes are read again. */
  function buildFor(sources: readonly ExpressRoutesSource[]): Built {
    const problems: Problem[] = [];
    const roots = sources.map(rootRouter);
    const owners = sources.map((source) => (isExpressApp(source) ? source : undefined));
    const index = buildRouteIndex({ roots, owners, global, problems, warnings, subApps });
    for (const at of index.opaque) {
      reportOnce(
        `opaque|${at}`,
        `polycors: an Express app is mounted at '${at}' (app.use('${at}', subApp)), and Express keeps it where cors() cannot see its routes: preflights under '${at}' are refused (route-unresolved), and corsRoute() markers in it fail closed. List it in cors({ ..., subApps: [subApp] }), or give it its own cors() and mount it before this cors()`,
      );
    }
    if (problems.length > 0) {
      if (global.strict !== false || problems.some(({ fromCore }) => fromCore)) return { index, roots, error: configError(dedupe(problems)) };
      for (const { where, problem } of dedupe(problems)) logger?.warn(`polycors: ${where}: ${problem.path}: ${problem.message} [${problem.code}]`);
    }
    return { index, roots };
  }

  /** The routes for this request, rebuilt when routes were added since; a build error is kept until they change. */
  function builtFor(req: IncomingMessage): Built | undefined {
    const sources = explicit ?? ((req as { app?: ExpressRoutesSource }).app ? [(req as { app?: ExpressRoutesSource }).app as ExpressRoutesSource] : undefined);
    if (!sources) return undefined;
    const key = (explicit ?? sources[0]) as object;
    const roots = sources.map(rootRouter);
    const known = builds.get(key);
    if (known?.index && isCurrent(known.index, roots)) return known;
    const built = buildFor(sources);
    builds.set(key, built);
    return built;
  }

  const middleware = function polycorsExpress(req: IncomingMessage, res: ServerResponse, next: Next): void {
    const built = builtFor(req);
    if (built?.error) return next(built.error);
    const headers = req.headers;
    const request: CorsRequest = {
      method: req.method ?? 'GET',
      origin: headers.origin,
      requestMethod: headerValue(headers['access-control-request-method']),
      requestHeaders: headerValue(headers['access-control-request-headers']),
      requestPrivateNetwork: headerValue(headers['access-control-request-private-network']),
    };
    const preflight = isPreflightRequest(request);
    const index = built?.index;
    let entry = globalEntry;
    let served: [string, CompiledEntry['policy']][] | undefined;
    let fallback = globalEntry;
    let unresolved: string | undefined;
    if (index && (preflight || index.hasMarkers)) {
      const path = routedPath(req, !explicit && (req as { app?: { parent?: unknown } }).app?.parent !== undefined);
      const resolution = resolve(index, path, preflight ? (request.requestMethod as string) : request.method, preflight);
      entry = resolution.entry ?? globalEntry;
      served = resolution.served;
      fallback = resolution.fallback ?? globalEntry;
      unresolved = resolution.unresolved;
    }
    const evaluated = entry.policy.evaluate(request, req, preflight ? { served: served ?? [], fallback: fallback.policy, unresolved } : undefined);
    const finish = (decision: CorsDecision) => {
      // An async origin function can answer after something before cors() answered (a request timeout): then the
      // response is gone, and neither headers nor later middleware may run (setHeader would throw, unhandled).
      if (res.headersSent) return;
      writeDecision(res, request, decision);
      if (decision.kind === 'preflight' && !decision.continue) {
        res.statusCode = decision.status as number;
        // No body; a 204 carries no Content-Length at all (RFC 9110 §8.6).
        if (res.statusCode !== 204) res.setHeader('Content-Length', '0');
        res.end();
        return;
      }
      (req as unknown as Record<symbol, RequestState>)[STATE] = { built, entry, vary: decision.vary };
      (req as unknown as Record<symbol, AppliedPolicy>)[APPLIED] = applied;
      // As in every adapter, a route with CORS off (corsRoute(false)) is not guarded: its CORS headers are the app's.
      if (entry.policy.enabled && (request.origin !== undefined || decision.vary.length > 0)) guard(req, res, decision);
      next();
    };
    if (isPromise(evaluated)) evaluated.then(finish, next);
    else finish(evaluated);
  } as ExpressCorsMiddleware;

  /** Until the headers go out, whatever the app or an error handler sets, the response carries this decision. */
  function guard(req: IncomingMessage, res: ServerResponse, decision: Pick<CorsDecision, 'headers' | 'vary'>): void {
    guardResponseHeaders(res, decision, (conflict) => reportConflict(req, conflict));
  }

  /** A CORS header the app set differently from polycors: logged once per route and header, named as Express routed it. */
  function reportConflict(req: IncomingMessage, conflict: CorsHeaderConflict): void {
    const route = (req as { route?: RouteLike }).route;
    const where = `${req.method} ${route ? `${(req as { baseUrl?: string }).baseUrl ?? ''}${String(route.path)}` : ((req as { originalUrl?: string }).originalUrl ?? req.url ?? '').split('?')[0].slice(0, 200)}`;
    // Keyed by route pattern, not URL: request paths (attacker-chosen) must not use up the once-only log budget.
    reportOnce(`${route ? where : `${req.method} (no route)`}|${conflict.header}`, describeHeaderConflict(where, conflict));
  }

  /** corsRoute() asks, when it runs, that its route's policy is the one applied (see route-marker.ts). */
  const applied: AppliedPolicy = {
    confirm(req, res, marker, done) {
      const state = (req as unknown as Record<symbol, RequestState | undefined>)[STATE];
      const route = (req as { route?: RouteLike }).route;
      const byMethod = route && state?.built?.index.entries.get(route);
      const method = (req.method ?? 'GET').toUpperCase();
      const expected = byMethod ? (byMethod.get(method) ?? byMethod.get('*') ?? byMethod.get('GET')) : undefined;
      if (!state || (expected && expected === state.entry)) return done();
      if (!expected || !expected.markers.has(marker)) {
        // A route cors() cannot see (a sub-app, a router not under the given routes): fail closed.
        reportOnce(`unresolved|${method} ${String(route?.path ?? req.url)}`, `polycors: corsRoute() on ${method} ${req.url} is not in the routes cors() reads; its CORS headers were removed. Give cors() the app: app.use(cors({ ..., router: app })), mount the router in it, or for a sub-app (app.use('/v1', subApp)) list it: cors({ ..., subApps: [subApp] })`);
        clearCorsHeaders(res);
        guard(req, res, { headers: [], vary: state.vary });
        return done();
      }
      const headers = req.headers;
      const request: CorsRequest = { method, origin: headers.origin };
      const evaluated = expected.policy.evaluate(request, req);
      const rewrite = (decision: CorsDecision) => {
        if (res.headersSent) return; // answered meanwhile, as in finish above
        clearCorsHeaders(res);
        writeDecision(res, request, decision);
        if (expected.policy.enabled) guard(req, res, decision);
        else releaseResponseHeaders(res);
        state.entry = expected;
        state.vary = decision.vary;
        done();
      };
      if (isPromise(evaluated)) evaluated.then(rewrite, done);
      else rewrite(evaluated);
    },
  };

  /** Sets the decision's headers (replacing any an earlier layer set) and merges its Vary tokens. */
  function writeDecision(res: ServerResponse, request: CorsRequest, decision: CorsDecision): void {
    if (request.origin !== undefined) {
      const earlier = res.getHeader('access-control-allow-origin');
      if (earlier !== undefined) {
        reportOnce('earlier-layer', `polycors: a middleware before @polycors/express set Access-Control-Allow-Origin: ${String(earlier).slice(0, 200)}; polycors replaced it. Remove the other CORS layer`);
        clearCorsHeaders(res);
      }
    }
    for (const [name, value] of decision.headers) res.setHeader(name, value);
    if (decision.vary.length > 0) {
      const current = res.getHeader('vary');
      res.setHeader('Vary', appendVary(current, decision.vary));
    }
  }

  middleware.build = function build(routes) {
    const sources = routes === undefined ? explicit : Array.isArray(routes) ? (routes as readonly ExpressRoutesSource[]) : [routes as ExpressRoutesSource];
    if (!sources) throw new TypeError("polycors: build() needs the app: corsMiddleware.build(app), or cors({ ..., router: app })");
    const built = buildFor(sources);
    builds.set((explicit ?? sources[0]) as object, built);
    if (built.error) throw built.error;
    return this;
  };
  Object.defineProperty(middleware, POLYCORS_MIDDLEWARE, { value: true });
  return middleware;
}

function compileGlobal(global: LayerOptions, translationProblems: CorsConfigProblem[], warnings: WarningDeduper, logger: CorsLogger | undefined): CompiledEntry {
  const problems: Problem[] = translationProblems.map((problem) => ({ where: 'cors()', problem }));
  const entry = compileEntry(global, global, { where: 'cors()', markers: new Set(), problems, warnings });
  if (problems.length > 0) {
    if (global.strict !== false || problems.some(({ fromCore }) => fromCore)) throw configError(dedupe(problems));
    for (const { where, problem } of dedupe(problems)) logger?.warn(`polycors: ${where}: ${problem.path}: ${problem.message} [${problem.code}]`);
  }
  return entry as CompiledEntry;
}

function clearCorsHeaders(res: ServerResponse): void {
  for (const name of res.getHeaderNames()) if (name.startsWith('access-control-')) res.removeHeader(name);
}

/**
 * The path the walked router goes on routing with after cors() calls next(): Express re-reads `req.url` at every
 * layer, so a middleware before cors() that rewrote it (`req.url = req.url.slice(3)`) changes the route Express
 * runs; `req.baseUrl` is the part a mount above cors() trimmed (`app.use('/api', cors())`). In a sub-app
 * (app.use('/v1', subApp), cors() in the sub-app's own stack) the sub-app's router sees only the part below its mount.
 */
function routedPath(req: IncomingMessage, isSubApp: boolean): string {
  const pathname = parseurl(req as never)?.pathname ?? '/';
  const base = (req as { baseUrl?: string }).baseUrl ?? '';
  if (isSubApp || base === '') return pathname;
  // A mount that took the whole path (/api for app.use('/api', cors())) leaves '/', which Express removes again.
  if (pathname === '/' && !(parseurl.original(req as never)?.pathname ?? '').endsWith('/')) return base;
  return `${base}${pathname}`;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter(({ where, problem }) => {
    const key = `${where}|${problem.path}|${problem.code}|${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** One error for every problem; a problem shared by the global policy and routes is listed once, under cors(). */
function configError(problems: Problem[]): CorsConfigError {
  const key = (problem: CorsConfigProblem) => `${problem.path}|${problem.code}|${problem.message}`;
  const globalKeys = new Set(problems.filter(({ where }) => where === 'cors()').map(({ problem }) => key(problem)));
  const kept = problems.filter(({ where, problem }) => where === 'cors()' || !globalKeys.has(key(problem)));
  const places = new Set(kept.map(({ where }) => where));
  if (places.size === 1) return new CorsConfigError(kept.map(({ problem }) => problem), [...places][0]);
  return new CorsConfigError(kept.map(({ where, problem }) => ({ ...problem, path: `${where} › ${problem.path}` })));
}
