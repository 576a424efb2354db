/**
 * Which Nest route a request resolves to, answered by the platform's own router rather than by a re-implementation
 * of it, so that every path form the router accepts (percent-encoding, duplicate or trailing slashes, case,
 * semicolons, parameter length limits, as the application configured them) maps to the same handler polycors
 * judges it by.
 *
 * - Express: the application router's own route layers, in the order Express tries them (`layer.match()` is the
 *   path-to-regexp matcher Express runs, with the app's `strict routing` and `case sensitive routing`;
 *   `route._handlesMethod()` is its method rule, HEAD served by GET routes included).
 * - Fastify: actual requests were already routed when polycors' `onRequest` hook runs, so the route Fastify chose
 *   (`request.routeOptions`) is used as is. Preflights ask for another method than the one they arrive with, so
 *   they are resolved by find-my-way, loaded from the application's Fastify and built with its router options
 *   (`caseSensitive`, `ignoreTrailingSlash`, `ignoreDuplicateSlashes`, `useSemicolonDelimiter`, `maxParamLength`,
 *   `allowUnsafeRegex`), holding the same patterns Nest registered.
 *
 * A value is registered per (method, pattern) exactly as Nest registers the route; a route the platform serves
 * but Nest did not register (a raw `app.get()`, a plugin's route) resolves to nothing, so it gets the global policy.
 */
import { createRequire } from 'node:module';
import { ALL_METHODS } from './nest-routes.js';

export interface ResolvedRoute<T> {
  value: T;
  /** False when no route serves the method on that path and `value` is a route serving it with another. */
  methodMatched: boolean;
  /**
   * Every value registered for that method and pattern, `value` first, when there are several: handlers the router
   * tells apart by something else than method and path (header or media-type versioning, a host constraint).
   */
  candidates?: readonly T[];
}

export interface RouteResolver<T> {
  /** Registers `value` for `method` on `pattern`, the path as Nest registered it. The first value wins. */
  add(method: string, pattern: string, value: T): void;
  /** The route the platform would dispatch `method` on `path` to; else one serving `path` with another method. */
  match(path: string, method: string): ResolvedRoute<T> | undefined;
  /**
   * The route the platform has already dispatched this request to, where the platform knows it before polycors
   * runs (Fastify). `null`: dispatched to no Nest route (a 404, a plugin's route); `undefined`: not known here.
   */
  dispatched?(request: unknown, method: string): T | null | undefined;
}

type Platform = 'express' | 'fastify';

interface AdapterLike {
  getInstance?(): any;
}

export function createRouteResolver<T>(platform: Platform, adapter: AdapterLike): RouteResolver<T> {
  return platform === 'express' ? new ExpressRouteResolver<T>(adapter) : new FastifyRouteResolver<T>(adapter);
}

/** Values by (method, pattern): the first one registered, and every one (handlers the router tells apart otherwise). */
class PatternValues<T> {
  private readonly values = new Map<string, T[]>();

  add(method: string, pattern: string, value: T): void {
    const key = `${method}\u0000${pattern}`;
    const known = this.values.get(key);
    if (known === undefined) this.values.set(key, [value]);
    else if (!known.includes(value)) known.push(value);
  }

  get(method: string, pattern: string): T | undefined {
    return this.values.get(`${method}\u0000${pattern}`)?.[0];
  }

  /** The resolved route for `pattern`, with its other candidates when there are some. */
  resolved(method: string, pattern: string, methodMatched: boolean): ResolvedRoute<T> | undefined {
    const all = this.values.get(`${method}\u0000${pattern}`);
    if (all === undefined) return undefined;
    return all.length > 1 ? { value: all[0], methodMatched, candidates: all } : { value: all[0], methodMatched };
  }
}

interface ExpressRoute {
  path: unknown;
  methods: Record<string, boolean>;
  /** router 2 (Express 5); router 1 (Express 4) spells it `_handles_method`. */
  _handlesMethod?(method: string): boolean;
  _handles_method?(method: string): boolean;
}
interface ExpressLayer {
  route?: ExpressRoute;
  match(path: string): unknown;
}

/** Express' method rule: `all()` routes serve every method, GET routes serve HEAD unless a HEAD route is declared. */
function handlesMethod(route: ExpressRoute, method: string): boolean {
  if (typeof route._handlesMethod === 'function') return route._handlesMethod(method);
  if (typeof route._handles_method === 'function') return route._handles_method(method);
  if (route.methods._all) return true;
  const name = method.toLowerCase();
  return Boolean(route.methods[name === 'head' && !route.methods.head ? 'get' : name]);
}

class ExpressRouteResolver<T> implements RouteResolver<T> {
  private readonly values = new PatternValues<T>();
  private readonly parseUrl: (request: { url: string }) => { pathname?: string | null } | undefined;

  constructor(private readonly adapter: AdapterLike) {
    this.parseUrl = loadParseUrl();
  }

  add(method: string, pattern: string, value: T): void {
    this.values.add(method, pattern, value);
  }

  match(path: string, method: string): ResolvedRoute<T> | undefined {
    const stack: ExpressLayer[] | undefined = this.adapter.getInstance?.()?.router?.stack;
    if (!Array.isArray(stack)) return undefined;
    let pathname: string | null | undefined;
    try {
      // What Express' router matches: the raw pathname (absolute-form targets reduced to their path), not decoded.
      pathname = this.parseUrl({ url: path })?.pathname;
    } catch {
      return undefined;
    }
    if (typeof pathname !== 'string') return undefined;
    let other: ResolvedRoute<T> | undefined;
    for (const layer of stack) {
      const route = layer.route;
      if (!route || typeof route.path !== 'string') continue;
      let matched: unknown;
      try {
        matched = layer.match(pathname);
      } catch {
        // A malformed escape in a parameter: Express answers 400 before any handler.
        return undefined;
      }
      if (!matched) continue;
      if (handlesMethod(route, method)) {
        // The route Express runs; one Nest did not register (a raw `app.get()`) gets the global policy.
        return this.values.resolved(method, route.path, true) ?? (method === 'HEAD' ? this.values.resolved('GET', route.path, true) : undefined);
      }
      other ??= this.anyMethodOf(route);
    }
    return other;
  }

  private anyMethodOf(route: ExpressRoute): ResolvedRoute<T> | undefined {
    const methods = route.methods._all ? ALL_METHODS : Object.keys(route.methods).map((m) => m.toUpperCase());
    for (const method of methods) {
      const value = this.values.get(method, route.path as string);
      if (value !== undefined) return { value, methodMatched: false };
    }
    return undefined;
  }
}

/** `parseurl` as the application's Express router loads it. */
function loadParseUrl(): (request: { url: string }) => { pathname?: string | null } | undefined {
  try {
    return requireThrough(['@nestjs/platform-express', 'express', 'router'], 'parseurl');
  } catch {
    // Not installed where expected: the path up to the query string, which is what it returns for origin-form targets.
    return ({ url }) => ({ pathname: url.split('?')[0] });
  }
}

/**
 * `target` as the last package of `chain` loads it, each package resolved from the one before (where it is
 * installed under another, as when versions differ); a package found nowhere in the chain is resolved from here.
 */
function requireThrough(chain: readonly string[], target: string): any {
  let from = createRequire(import.meta.url);
  for (const name of chain) {
    try {
      from = createRequire(from.resolve(name));
    } catch {
      // Hoisted elsewhere: keep resolving from the previous package.
    }
  }
  return from(target);
}

interface FindMyWayRouter {
  on(method: string, path: string, handler: () => void, store: unknown): void;
  find(method: string, path: string): { store: unknown } | null;
}

type FindMyWayFactory = (options: Record<string, unknown>) => FindMyWayRouter;

/** Router options find-my-way reads, as Fastify passes them (the `version` constraint strategy aside). */
const FIND_MY_WAY_OPTIONS = ['caseSensitive', 'ignoreTrailingSlash', 'ignoreDuplicateSlashes', 'maxParamLength', 'allowUnsafeRegex', 'useSemicolonDelimiter'] as const;

interface FastifyRequestLike {
  routeOptions?: { url?: string; method?: string | string[] };
}

class FastifyRouteResolver<T> implements RouteResolver<T> {
  private readonly values = new PatternValues<T>();
  private readonly methods = new Set<string>();
  private readonly router: FindMyWayRouter;

  constructor(adapter: AdapterLike) {
    const instance = adapter.getInstance?.();
    this.router = loadFindMyWay()(fastifyRouterOptions(instance?.initialConfig ?? {}));
  }

  add(method: string, pattern: string, value: T): void {
    this.values.add(method, pattern, value);
    if (this.values.get(method, pattern) !== value) return;
    try {
      this.router.on(method, pattern, noop, { pattern, value });
      this.methods.add(method);
    } catch {
      // Declared twice (routes told apart by constraints polycors does not mirror): the first one stands.
    }
  }

  match(path: string, method: string): ResolvedRoute<T> | undefined {
    const exact = this.find(method, path);
    if (exact !== undefined) return this.values.resolved(method, exact.pattern, true) ?? { value: exact.value, methodMatched: true };
    for (const other of this.methods) {
      if (other === method) continue;
      const found = this.find(other, path);
      if (found !== undefined) return { value: found.value, methodMatched: false };
    }
    return undefined;
  }

  dispatched(request: unknown, method: string): T | null | undefined {
    const routeOptions = (request as FastifyRequestLike | undefined)?.routeOptions;
    if (routeOptions === undefined) return undefined;
    const pattern = routeOptions.url;
    // No url: Fastify's 404 handler.
    if (typeof pattern !== 'string') return null;
    return this.values.get(method, pattern) ?? (method === 'HEAD' ? this.values.get('GET', pattern) : undefined) ?? null;
  }

  private find(method: string, path: string): { pattern: string; value: T } | undefined {
    try {
      return this.router.find(method, path)?.store as { pattern: string; value: T } | undefined;
    } catch {
      // A URL the router cannot read: Fastify answers it before any route.
      return undefined;
    }
  }
}

const noop = () => {};

/** The router options of the application's Fastify: `routerOptions` first, then the top-level ones Fastify 5 still reads. */
function fastifyRouterOptions(config: Record<string, any>): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const key of FIND_MY_WAY_OPTIONS) {
    const value = config.routerOptions?.[key] ?? config[key];
    if (value !== undefined) options[key] = value;
  }
  return options;
}

/** find-my-way as the application's Fastify loads it, so both routers read a URL the same way. */
function loadFindMyWay(): FindMyWayFactory {
  return requireThrough(['@nestjs/platform-fastify', 'fastify'], 'find-my-way') as FindMyWayFactory;
}
