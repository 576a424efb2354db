/**
 * Compiles the application's CORS policies once, at startup: the global policy, and one effective policy per
 * handler (global, then controller, then handler `@Cors()`), placed in a route table keyed like Nest's router.
 * Every problem of every policy is collected into one CorsConfigError naming the handler and its route.
 */
import {
  CorsConfigError,
  type CorsConfigProblem,
  type CorsLogger,
  type CorsOptions,
  type CorsPolicy,
  CorsRouteTable,
  type PreflightRoutes,
  createCorsPolicy,
  mergeCorsOptions,
} from '@polycors/core';
import type { CorsDecoratorOptions, CorsModuleOptions } from './cors-options.interface.js';
import type { NestRoute } from './nest-routes.js';
import type { RouteResolver } from './route-resolver.js';
import { toCoreOptions } from './nest-options.js';

export interface RoutePolicy {
  policy: CorsPolicy;
  /** `FormController.update (PATCH /form)`, or `global policy` */
  where: string;
}

export type CorsLayer = CorsDecoratorOptions | false | undefined;

export interface CompileCorsInput {
  global: CorsModuleOptions;
  routes: readonly NestRoute[];
  /** The controller and handler `@Cors()` layers of a route. */
  layersOf(route: NestRoute): { controller: CorsLayer; handler: CorsLayer };
  caseSensitive: boolean;
  ignoreTrailingSlash: boolean;
  priority: 'specificity' | 'registration';
  /** The platform's router (route-resolver.ts); without one, core's route table with the options above. */
  resolver?: RouteResolver<RoutePolicy>;
  /** Used when the options name no `logger` of their own. */
  logger: CorsLogger;
  /** Problems found outside the options (`app.enableCors()` beside CorsModule), reported with the others. */
  problems?: readonly CorsConfigProblem[];
  /** How the global options were given, to name them in messages. Default `CorsModule.forRoot`. */
  source?: 'CorsModule.forRoot' | 'CorsModule.forRootAsync';
}

export class CorsEngine {
  constructor(
    readonly global: RoutePolicy,
    private readonly table: Pick<RouteResolver<RoutePolicy>, 'match' | 'dispatched'>,
    readonly routeCount: number,
    /** Every policy each handler is judged by (one per set of methods its paths serve), first one first. */
    private readonly handlerRoutes: ReadonlyMap<Function, readonly RoutePolicy[]> = new Map(),
    /** Every method some route serves. */
    private readonly methods: readonly string[] = [],
  ) {}

  /** The policies of `handler` (undefined for a function that is no route handler). */
  policiesOf(handler: Function): readonly RoutePolicy[] | undefined {
    return this.handlerRoutes.get(handler);
  }

  /** The policy of the route that would serve `requestMethod` on `path`; the global policy for unknown paths. */
  forPreflight(path: string, requestMethod: string): RoutePolicy {
    return this.table.match(path, requestMethod)?.value ?? this.global;
  }

  /**
   * The policy of every route at `path`, by method (as the platform's router resolves each), and the global one for
   * the rest: what a preflight's answer must keep to, since the browser caches it for the whole URL.
   */
  preflightRoutes(path: string, requestMethod?: string): PreflightRoutes<CorsPolicy> {
    const served: [string, CorsPolicy][] = [];
    for (const method of this.methods) {
      const match = this.table.match(path, method);
      if (match?.methodMatched) served.push([method, match.value.policy]);
    }
    // Requests no Nest route serves may still reach middleware or a platform route (GraphQL, static files), judged
    // by the global policy.
    const routes = { served, fallback: this.global.policy };
    // Handlers of the requested method told apart by a version header or a host: a preflight must suit each.
    const candidates = requestMethod === undefined ? undefined : this.table.match(path, requestMethod)?.candidates;
    return candidates === undefined ? routes : { ...routes, alternatives: candidates.slice(1).map((candidate) => candidate.policy) };
  }

  /**
   * The policy of the route serving `method` on `path`; the global policy when no route serves it (a 404).
   * `request` is the platform's, for a platform that has already routed it (Fastify): its choice is final.
   */
  forRequest(path: string, method: string, request?: unknown): RoutePolicy {
    const dispatched = request === undefined ? undefined : this.table.dispatched?.(request, method);
    if (dispatched !== undefined) return dispatched ?? this.global;
    const match = this.table.match(path, method);
    return match !== undefined && match.methodMatched ? match.value : this.global;
  }
}

function problemKey(problem: CorsConfigProblem): string {
  return `${problem.path}\u0000${problem.code}\u0000${problem.message}`;
}

/** Logs each configuration warning once, however many routes inherit it from the global options. */
function dedupingLogger(base: CorsLogger, seen: Set<string>, where: string): CorsLogger {
  return {
    warn: (message) => {
      const key = message.replace(where, '');
      if (seen.has(key)) return;
      seen.add(key);
      base.warn(message);
    },
    error: (message, error) => base.error(message, error),
  };
}

export function compileCorsEngine(input: CompileCorsInput): CorsEngine {
  const problems: CorsConfigProblem[] = [...(input.problems ?? [])];
  const globalProblemKeys = new Set<string>();
  const seenWarnings = new Set<string>();
  const withLogger = (options: CorsOptions, where: string): CorsOptions =>
    options.logger === undefined ? { ...options, logger: dedupingLogger(input.logger, seenWarnings, where) } : options;

  const moduleSource = input.source ?? 'CorsModule.forRoot';
  const GLOBAL_WHERE = `${moduleSource} (global policy)`;
  /** `notes` add to a problem's message, by problem code (where an inherited option came from). */
  const compile = (options: CorsOptions | false, where: string, defaultMethods?: readonly string[], source?: string, notes?: Record<string, string>): CorsPolicy | undefined => {
    // debug carries over so that a handler with CORS off says so (polycors-reason: cors-disabled).
    const effective: CorsOptions = options === false ? { origin: false, debug: globalOptions?.debug === true } : options;
    try {
      return createCorsPolicy(withLogger(effective, where), { where, source, defaultMethods });
    } catch (error) {
      if (!(error instanceof CorsConfigError)) throw error;
      for (const problem of error.problems) {
        if (where !== GLOBAL_WHERE && globalProblemKeys.has(problemKey(problem))) continue;
        if (where === GLOBAL_WHERE) globalProblemKeys.add(problemKey(problem));
        const note = notes?.[problem.code];
        problems.push({ ...problem, path: `${where}: ${problem.path || '(options)'}`, message: note ? `${problem.message}; ${note}` : problem.message });
      }
      return undefined;
    }
  };

  const globalOptions = toCoreOptions(input.global ?? ({} as CorsModuleOptions));
  const globalPolicy = compile(globalOptions, GLOBAL_WHERE);

  // Methods each path serves (what a route allows when `methods` is not configured). GET routes serve HEAD too.
  const keyOf = (path: string) => (input.caseSensitive ? path : path.toLowerCase());
  const methodsByPath = new Map<string, Set<string>>();
  for (const route of input.routes) {
    const methods = methodsByPath.get(keyOf(route.path)) ?? new Set<string>();
    methods.add(route.method);
    if (route.method === 'GET') methods.add('HEAD');
    methodsByPath.set(keyOf(route.path), methods);
  }

  const table = input.resolver ?? new CorsRouteTable<RoutePolicy>({
    caseSensitive: input.caseSensitive,
    ignoreTrailingSlash: input.ignoreTrailingSlash,
    priority: input.priority,
  });
  const cache = new Map<Function, Map<string, RoutePolicy | null>>();
  const policyFor = (route: NestRoute): RoutePolicy | undefined => {
    const methods = [...(methodsByPath.get(keyOf(route.path)) ?? [route.method])].sort();
    const { controller, handler } = input.layersOf(route);
    const byHandler = cache.get(route.handler) ?? new Map<string, RoutePolicy | null>();
    cache.set(route.handler, byHandler);
    const key = `${route.name}|${methods.join(',')}`;
    const known = byHandler.get(key);
    if (known !== undefined) return known ?? undefined;
    const where = `${route.name} (${route.method} ${route.path})`;
    const merged = mergeCorsOptions(globalOptions, toLayer(controller), toLayer(handler));
    const notes = { 'origin-any-with-credentials': credentialsNote(route, controller, handler, moduleSource) };
    const policy = compile(merged, where, methods, policySource(route, controller !== undefined, handler !== undefined, moduleSource), notes);
    const result = policy ? { policy, where } : undefined;
    byHandler.set(key, result ?? null);
    return result;
  };

  const getRoutes: NestRoute[] = [];
  const handlerRoutes = new Map<Function, RoutePolicy[]>();
  for (const route of input.routes) {
    const routePolicy = policyFor(route);
    if (routePolicy) table.add(route.method, route.path, routePolicy);
    if (routePolicy) {
      const known = handlerRoutes.get(route.handler) ?? [];
      if (!known.includes(routePolicy)) known.push(routePolicy);
      handlerRoutes.set(route.handler, known);
    }
    if (route.method === 'GET') getRoutes.push(route);
  }
  // After every explicit route, so that a @Head() handler keeps its own policy.
  for (const route of getRoutes) {
    const routePolicy = policyFor(route);
    if (routePolicy) table.add('HEAD', route.path, routePolicy);
  }

  if (problems.length > 0 || globalPolicy === undefined) throw new CorsConfigError(problems);
  const methods = new Set(input.routes.map((route) => route.method));
  if (methods.has('GET')) methods.add('HEAD');
  methods.delete('OPTIONS');
  return new CorsEngine({ policy: globalPolicy, where: 'global policy' }, table, input.routes.length, handlerRoutes, [...methods]);
}

/** Where a route's options were written, for the `polycors-policy` debug header. */
function policySource(route: NestRoute, onController: boolean, onHandler: boolean, moduleSource: string): string {
  const at = `(${route.method} ${route.path})`;
  const controller = route.controller.name;
  if (onController && onHandler) return `@Cors() on ${controller} and on ${route.name} ${at}`;
  if (onHandler) return `@Cors() on ${route.name} ${at}`;
  if (onController) return `@Cors() on ${controller}, for ${route.name} ${at}`;
  return `${moduleSource} (no @Cors() on ${route.name} ${at})`;
}

/** Where the route's `credentials: true` was written: the most specific layer that sets it (`inherit: false` stops). */
function credentialsNote(route: NestRoute, controller: CorsLayer, handler: CorsLayer, moduleSource: string): string {
  if (handler && handler.credentials !== undefined) return `credentials: true is set by @Cors() on ${route.name}`;
  if (controller && controller.credentials !== undefined) return `credentials: true is inherited from @Cors() on ${route.controller.name}; set credentials: false in this handler's @Cors() to allow '*' here`;
  return `credentials: true is inherited from the global options (${moduleSource}); set credentials: false in this @Cors() to allow '*' here, or list the origins`;
}

function toLayer(layer: CorsLayer): CorsOptions | false | undefined {
  if (layer === undefined || layer === false) return layer;
  return toCoreOptions(layer);
}
