/**
 * What polycors reads of Express's router, for Express 4 (router in express/lib/router, path-to-regexp 0.1) and
 * Express 5 (the `router` package, path-to-regexp 8). Matching is always Express's own: `layer.match(path)`, which
 * carries the router's `caseSensitive` and `strict` settings (from the app's `case sensitive routing` and
 * `strict routing`) and its decoding; mounted routers are entered with the prefix trimmed exactly as Express's
 * `trim_prefix` does. Nothing here re-implements a path pattern.
 */
import type { ExpressRoutesSource } from './options.js';

export interface RouteLike {
  path?: unknown;
  stack: readonly RouteLayerLike[];
  methods: Record<string, boolean | undefined>;
  _handlesMethod?(method: string): boolean;
}

export interface RouteLayerLike {
  handle: unknown;
  method?: string;
}

export interface LayerLike {
  handle: unknown;
  name?: string;
  route?: RouteLike;
  /** Express 5's router keeps the path as given; Express 4 keeps only a RegExp. */
  rawPath?: unknown;
  regexp?: RegExp & { fast_slash?: boolean };
  /** Express 4: set by match(). */
  path?: string;
  params?: unknown;
  match(path: string): boolean | { path: string } | false;
}

export interface RouterLike {
  stack: LayerLike[];
  handle: (...args: unknown[]) => unknown;
}

/** The router of an app (Express 5 `app.router`, Express 4 `app._router`, created lazily), or the router itself. */
export function rootRouter(source: ExpressRoutesSource | undefined): RouterLike | undefined {
  if (source === undefined || source === null) return undefined;
  if (isRouter(source)) return source;
  const app = source as { _router?: unknown; lazyrouter?: unknown; router?: unknown };
  // Express 4's `app.router` getter throws; its router is `_router`, absent until the first route or middleware.
  const router = typeof app.lazyrouter === 'function' ? app._router : app.router;
  return isRouter(router) ? router : undefined;
}

export function isRouter(value: unknown): value is RouterLike {
  return typeof value === 'function' && Array.isArray((value as { stack?: unknown }).stack) && typeof (value as { handle?: unknown }).handle === 'function';
}

/**
 * `layer.match(path)` as Express calls it: the matched part of the path, `undefined` when it does not match, or
 * `null` when matching throws (a malformed percent-encoding: Express then stops routing with a 400 error).
 */
export function matchLayer(layer: LayerLike, path: string): string | undefined | null {
  // Express 4 stores the match on the layer; keep the layer as it was, for the request Express is routing.
  const saved = [layer.path, layer.params] as const;
  try {
    const result = layer.match(path);
    if (!result) return undefined;
    return typeof result === 'object' ? result.path : (layer.path ?? '');
  } catch {
    return null;
  } finally {
    if ('params' in layer) [layer.path, layer.params] = saved;
  }
}

/**
 * The path a mounted router sees, or undefined where Express would not enter it (its trim_prefix checks: the
 * matched part must be a prefix that ends at a `/`).
 */
export function pathInside(matched: string, path: string): string | undefined {
  if (matched.length === 0) return path;
  if (matched !== path.slice(0, matched.length)) return undefined;
  const next = path[matched.length];
  if (next && next !== '/') return undefined;
  const rest = path.slice(matched.length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/** Does the route handle `method` (upper case)? Express's own test, HEAD served by GET routes. */
export function routeHandles(route: RouteLike, method: string): boolean {
  if (typeof route._handlesMethod === 'function') return route._handlesMethod(method.toLowerCase());
  const methods = route.methods;
  if (methods._all) return true;
  const name = method.toLowerCase();
  return Boolean(methods[name] || (name === 'head' && methods.get));
}

/**
 * More methods than this on one route means `app.all()`, which registers every method Node knows (CONNECT and
 * TRACE included): the route then uses the core default methods, as `route.all()` does.
 */
const ALL_METHODS_THRESHOLD = 16;

/** The methods a route serves, upper case, HEAD included for GET; undefined for `app.all()` and `route.all()`. */
export function routeMethods(route: RouteLike): string[] | undefined {
  if (route.methods._all) return undefined;
  const methods = Object.keys(route.methods).filter((name) => route.methods[name]).map((name) => name.toUpperCase());
  if (methods.length > ALL_METHODS_THRESHOLD) return undefined;
  if (methods.includes('GET') && !methods.includes('HEAD')) methods.push('HEAD');
  return methods;
}

/** The route-stack handlers that run for `method`: Express skips a layer whose `method` differs (HEAD as GET). */
export function handlersFor(route: RouteLike, method: string): unknown[] {
  let name = method.toLowerCase();
  if (name === 'head' && !route.methods.head) name = 'get';
  return route.stack.filter((layer) => !layer.method || layer.method === name).map((layer) => layer.handle);
}

/** The mount path of a `use()` layer, for messages ('/api'); best effort for Express 4, which keeps only a RegExp. */
export function describeMount(layer: LayerLike): string {
  if (typeof layer.rawPath === 'string') return layer.rawPath === '/' ? '' : layer.rawPath.replace(/\/$/, '');
  const source = layer.regexp?.source;
  if (!source || layer.regexp?.fast_slash) return '';
  return source.replace(/^\^/, '').replace(/\\\/\?\(\?=\\\/\|\$\)$/, '').replace(/\\\//g, '/');
}

export function describeRoutePath(route: RouteLike): string {
  return typeof route.path === 'string' ? route.path : String(route.path);
}
