/**
 * The routes polycors knows about, and the policy each one is judged by.
 *
 * Routes are collected from Fastify's `onRoute` hook and mirrored into a find-my-way router (the router Fastify itself
 * uses, loaded from Fastify's own dependencies so the matching semantics are the same) built with the app's router
 * options. A preflight is then resolved exactly as Fastify would route (path, Access-Control-Request-Method): params,
 * wildcards, prefixes, `prefixTrailingSlash` variants, `ignoreTrailingSlash`, `caseSensitive`, host and version
 * constraints. Policies are compiled once, at `onReady`, when every route (and so every path's methods) is known.
 */
import { createRequire } from 'node:module';
import type { CorsHeaderConflict, CorsPolicy } from '@polycors/core';
import type { FastifyInstance, RouteOptions } from 'fastify';

/** Attached to each route's config so hooks find the route's compiled policy without a lookup. */
export const kRouteCors = Symbol.for('polycors.fastify.route');
/** Marks polycors' own `OPTIONS *` route. */
export const kCatchAll = Symbol.for('polycors.fastify.catch-all');

export interface RouteEntry {
  /** `GET /users/:id` (and the handler's name when it has one): named in configuration errors. */
  readonly where: string;
  readonly url: string;
  readonly methods: readonly string[];
  /** The route's `config.cors` as registered (`undefined`: inherit the plugin's options). */
  readonly cors: unknown;
  /** Filled at `onReady`. */
  policy?: CorsPolicy;
  /** Methods its pattern serves (all routes on the same URL), filled at `onReady`. */
  pathMethods?: readonly string[];
  /** Logs a CORS header conflict on this route's responses: made on first use, once per route. */
  reportConflict?: (conflict: CorsHeaderConflict) => void;
}

interface FindMyWayRouter {
  on(method: string | string[], path: string, opts: { constraints?: Record<string, unknown> }, handler: () => void, store: RouteEntry): void;
  find(method: string, path: string, derivedConstraints?: Record<string, unknown>): { store: RouteEntry } | null;
  prettyPrint(options: { commonPrefix: boolean }): string;
  constrainer: { deriveSyncConstraints(req: unknown, ctx: unknown): Record<string, unknown> };
}

/** What the router serves at one URL: each method a route serves there (but OPTIONS), with that route. */
export interface UrlRoutes {
  readonly served: readonly (readonly [method: string, entry: RouteEntry])[];
  /** Left to the plugin: what it derives from `served` for its own policies, kept with them. */
  derived?: unknown;
}

/** URLs whose routes are remembered (unconstrained routers only); the memory starts over when full. */
const URL_MEMO_LIMIT = 1024;
/** Longer URLs are resolved each time, so the memory stays small whatever URLs a client sends (1,024 × 2 KiB at most). */
const URL_MEMO_MAX_LENGTH = 2048;

type FindMyWayFactory = (options: Record<string, unknown>) => FindMyWayRouter;

/** find-my-way as Fastify resolves it: the app's Fastify decides the version, so both routers agree. */
function loadFindMyWay(): FindMyWayFactory {
  const here = createRequire(import.meta.url);
  const fastifyEntry = here.resolve('fastify');
  return createRequire(fastifyEntry)('find-my-way') as FindMyWayFactory;
}

const ROUTER_KEYS = ['caseSensitive', 'ignoreTrailingSlash', 'ignoreDuplicateSlashes', 'maxParamLength', 'allowUnsafeRegex', 'useSemicolonDelimiter', 'constraints'] as const;
const BUILT_IN_CONSTRAINTS = new Set(['host', 'version']);
const noop = () => {};

export class RouteRegistry {
  readonly entries: RouteEntry[] = [];
  private router: FindMyWayRouter | undefined;
  private readonly routerOptions: Record<string, unknown>;
  private readonly customConstraints: ReadonlySet<string>;
  /** Methods with at least one route: a preflight asking for anything else is not looked up. */
  private readonly methods = new Set<string>();
  private constrained = false;
  private readonly urlMemo = new Map<string, UrlRoutes>();

  constructor(fastify: FastifyInstance) {
    // Fastify 5 keeps router options under routerOptions; older apps still pass them at the top level.
    const config = fastify.initialConfig as Record<string, unknown> & { routerOptions?: Record<string, unknown> };
    const routerOptions: Record<string, unknown> = {};
    for (const key of ROUTER_KEYS) {
      const value = config.routerOptions?.[key] ?? config[key];
      if (value !== undefined) routerOptions[key] = value;
    }
    const constraints = (routerOptions.constraints ?? {}) as Record<string, unknown>;
    this.customConstraints = new Set(Object.keys(constraints));
    this.routerOptions = routerOptions;
  }

  /** Called from `onRoute`. Returns the entry to attach to the route's config. */
  add(route: RouteOptions): RouteEntry {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map(String);
    const url = route.url ?? '/';
    const handlerName = route.handler?.name && route.handler.name !== 'anonymous' ? ` (${route.handler.name})` : '';
    const entry: RouteEntry = { where: `route ${methods.join(',')} ${url}${handlerName}`, url, methods, cors: route.config?.cors };
    this.entries.push(entry);
    const constraints = this.supportedConstraints(route.constraints as Record<string, unknown> | undefined);
    const options = constraints ? { constraints } : {};
    for (const method of methods) this.methods.add(method);
    this.pending.push({ methods, url, options, entry });
    // Fastify registers `prefix` and `prefix/` for a `/` route in a prefixed plugin but calls onRoute once.
    const prefix = (route as { prefix?: string }).prefix ?? '';
    const routePath = (route as { routePath?: string }).routePath;
    const slash = (route as { prefixTrailingSlash?: string }).prefixTrailingSlash ?? 'both';
    if (prefix.length > 0 && routePath === '' && slash === 'both' && !url.endsWith('/')) {
      this.pending.push({ methods, url: `${url}/`, options, entry });
    }
    return entry;
  }

  private readonly pending: { methods: string[]; url: string; options: { constraints?: Record<string, unknown> }; entry: RouteEntry }[] = [];

  /** Builds the router from every route collected. */
  seal(): void {
    const router = loadFindMyWay()(this.routerOptions);
    for (const { methods, url, options, entry } of this.pending) {
      for (const method of methods) {
        try {
          router.on(method, url, options, noop, entry);
        } catch {
          // Already declared (a variant Fastify also skips, or constraints polycors cannot mirror): first route wins.
        }
      }
    }
    this.router = router;
    const byUrl = new Map<string, Set<string>>();
    for (const entry of this.entries) {
      let set = byUrl.get(entry.url);
      if (!set) byUrl.set(entry.url, (set = new Set()));
      for (const method of entry.methods) set.add(method);
    }
    for (const entry of this.entries) entry.pathMethods = [...(byUrl.get(entry.url) ?? [])];
  }

  /**
   * The route that would serve `method` at `url` (query string allowed), or else any route serving the path with
   * another method (whose policy then refuses `method` unless it is configured), or undefined.
   */
  find(method: string, url: string, request: { headers: Record<string, unknown> }): RouteEntry | undefined {
    const router = this.router;
    if (!router || this.methods.size === 0) return undefined;
    let constraints: Record<string, unknown> | undefined;
    try {
      if (this.constrained) constraints = router.constrainer.deriveSyncConstraints(request, undefined);
      if (this.methods.has(method)) {
        const found = router.find(method, url, constraints);
        if (found) return found.store;
      }
      // An OPTIONS route alone (an app answering its own OPTIONS) does not make a path "served".
      for (const other of this.methods) {
        if (other === method || other === 'OPTIONS') continue;
        const found = router.find(other, url, constraints);
        if (found) return found.store;
      }
    } catch {
      // A URL the router cannot read: judged by the plugin's own policy.
    }
    return undefined;
  }

  /**
   * `servedAt` for a preflight, remembered per URL when no route has constraints: the router is sealed, so the same
   * URL always resolves to the same routes, and a page sends the same preflight again and again.
   */
  routesAt(url: string, request: { headers: Record<string, unknown> }): UrlRoutes {
    if (this.constrained || !this.router || url.length > URL_MEMO_MAX_LENGTH) return { served: this.servedAt(url, request) };
    let routes = this.urlMemo.get(url);
    if (routes === undefined) {
      // Bounded: a client sending ever new URLs (query strings) only ever fills it up to the limit.
      if (this.urlMemo.size >= URL_MEMO_LIMIT) this.urlMemo.clear();
      routes = { served: this.servedAt(url, request) };
      this.urlMemo.set(url, routes);
    }
    return routes;
  }

  /** `find(method, ...)` from `routesAt`'s answer, for any method but OPTIONS (which `served` leaves out). */
  findIn(routes: UrlRoutes, method: string, url: string, request: { headers: Record<string, unknown> }): RouteEntry | undefined {
    if (method === 'OPTIONS') return this.find(method, url, request);
    const served = routes.served;
    for (let i = 0; i < served.length; i++) if (served[i][0] === method) return served[i][1];
    return served.length > 0 ? served[0][1] : undefined;
  }

  /**
   * Every method a route serves at `url`, with that route: the routes whose requests a cached answer to a preflight
   * for this URL could let through (the browser caches per URL, not per method).
   */
  servedAt(url: string, request: { headers: Record<string, unknown> }): [method: string, entry: RouteEntry][] {
    const served: [string, RouteEntry][] = [];
    const router = this.router;
    if (!router) return served;
    try {
      const constraints = this.constrained ? router.constrainer.deriveSyncConstraints(request, undefined) : undefined;
      for (const method of this.methods) {
        if (method === 'OPTIONS') continue;
        const found = router.find(method, url, constraints);
        if (found) served.push([method, found.store]);
      }
    } catch {
      // A URL the router cannot read: no route serves it.
    }
    return served;
  }

  /** The mirror router printed as Fastify's `printRoutes({ commonPrefix: false })` prints its own (same find-my-way). */
  printRoutes(): string {
    return this.router?.prettyPrint({ commonPrefix: false }) ?? '(empty tree)';
  }

  private supportedConstraints(constraints: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
    if (!constraints) return undefined;
    const kept: Record<string, unknown> = {};
    let any = false;
    for (const [key, value] of Object.entries(constraints)) {
      if (BUILT_IN_CONSTRAINTS.has(key) || this.customConstraints.has(key)) {
        kept[key] = value;
        any = true;
      }
    }
    if (any) this.constrained = true;
    return any ? kept : undefined;
  }
}
