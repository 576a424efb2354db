/**
 * The app's routes, read once (at the first request or build()): every route's effective policy per method,
 * compiled and validated, and the CORS layers found on the way. A request is resolved by walking the routers as
 * Express dispatches (express-layers.ts): the first route that matches the path and handles the method is the one
 * Express runs, and its policy applies; for a preflight the method is `Access-Control-Request-Method`.
 */
import { CORS_DEFAULTS, type CorsConfigProblem, type CorsPolicy, mergeCorsOptions, type WarningDeduper } from '@polycors/core';
import { type CompileContext, type CompiledEntry, type Problem, compileEntry } from './compile.js';
import { type LayerLike, type RouteLike, type RouterLike, describeMount, describeRoutePath, handlersFor, isRouter, matchLayer, pathInside, rootRouter, routeHandles, routeMethods } from './express-layers.js';
import { type CorsRouteMarker, isCorsRouteMarker, markerOptions } from './route-marker.js';
import { type SubAppLike, claimMounts, isExpressApp, runsApp, unreachedProblem } from './sub-apps.js';
import { type LayerOptions, translateOptions } from './translate.js';

/** Tags the @polycors/express middleware, so two of them in one app are found. */
export const POLYCORS_MIDDLEWARE = Symbol.for('polycors.express.middleware');
const MAX_METHOD_LENGTH = 64;
/** Distinct method sets compiled for paths; beyond it a path without the asked method uses the global policy. */
const MAX_SHARED_ENTRIES = 256;
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);
const ALL = '*';

export interface RouteIndex {
  readonly roots: readonly (RouterLike | undefined)[];
  readonly entries: WeakMap<RouteLike, Map<string, CompiledEntry>>;
  /** Each route's methods (routeMethods()), read once. */
  readonly methods: WeakMap<RouteLike, string[] | undefined>;
  /** Any corsRoute() marker: without one, actual requests need no resolution (every route has the global policy). */
  readonly hasMarkers: boolean;
  /** Every stack read, with its length then: a different length means routes were added since. */
  readonly stacks: readonly (readonly [stack: readonly unknown[], length: number])[];
  /** The global policy with the methods served at a path (for methods no route there serves), compiled once per set. */
  pathEntry(methods: readonly string[]): CompiledEntry | undefined;
  /**
   * Layers that run an app: the app's router (a listed sub-app: walked like a mounted router), or, for an app
   * polycors cannot see into, the words a preflight under it is refused with (route-unresolved).
   */
  readonly mounts: WeakMap<LayerLike, RouterLike | string>;
  /** Each listed sub-app reached, with its router then (Express 4 creates `_router` at its first route). */
  readonly subApps: readonly (readonly [app: SubAppLike, router: RouterLike | undefined])[];
  /** Mount paths of the apps polycors cannot see into that a request reaches after cors() (warned about once). */
  readonly opaque: readonly string[];
}

export interface BuildInput {
  roots: readonly (RouterLike | undefined)[];
  /** The app each root belongs to (undefined for a router given as `router`). */
  owners: readonly unknown[];
  global: LayerOptions;
  problems: Problem[];
  warnings: WarningDeduper;
  /** The `subApps` option. */
  subApps: readonly SubAppLike[];
}

export function buildRouteIndex(input: BuildInput): RouteIndex {
  const entries = new WeakMap<RouteLike, Map<string, CompiledEntry>>();
  const methodsOf = new WeakMap<RouteLike, string[] | undefined>();
  const stacks: [readonly unknown[], number][] = [];
  const shared = new Map<string, CompiledEntry | undefined>();
  const corsLayers: string[] = [];
  const polycorsLayers: string[] = [];
  let hasMarkers = false;
  const mounts = new WeakMap<LayerLike, RouterLike | string>();
  const reached = new Map<SubAppLike, RouterLike | undefined>();
  const opaque: [path: string, beforeCors: boolean][] = [];
  /** The routers being walked, outermost first: an app mounted inside itself is not entered again. */
  const active = new Set<RouterLike>();

  const visitRoute = (route: RouteLike, prefix: string) => {
    stacks.push([route.stack, route.stack.length]);
    const methods = routeMethods(route);
    methodsOf.set(route, methods);
    const path = `${prefix}${describeRoutePath(route)}`;
    const byMethod = new Map<string, CompiledEntry>();
    const byMarkers = new Map<string, CompiledEntry | undefined>();
    for (const layer of route.stack) {
      if (isCorsPackage(layer.handle)) corsLayers.push(`${displayMethods(methods)} ${path}: cors()`);
      if (isPolycors(layer.handle)) polycorsLayers.push(`${displayMethods(methods)} ${path}`);
    }
    for (const method of methods ?? [ALL]) {
      const markers = [...new Set((method === ALL ? route.stack.map((layer) => layer.handle) : handlersFor(route, method)).filter(isCorsRouteMarker))];
      if (markers.length > 0) hasMarkers = true;
      const key = markers.length === 0 ? '' : markers.map((marker) => markerId(marker)).join(',');
      if (!byMarkers.has(key)) {
        const where = `${method === ALL ? 'ALL' : method === 'HEAD' && methods?.includes('GET') ? 'GET' : method} ${path}`;
        byMarkers.set(key, markers.length === 0 ? sharedEntry(methods, input, shared) : routeEntry(markers, where, methods, input));
      }
      const entry = byMarkers.get(key);
      if (entry) byMethod.set(method, entry);
    }
    entries.set(route, byMethod);
  };

  const subAppProblems: CorsConfigProblem[] = [];
  /** `owner`: the app whose router this is (app.use() mounts sub-apps there), if known. */
  const visit = (router: RouterLike, prefix: string, owner: unknown) => {
    stacks.push([router.stack, router.stack.length]);
    active.add(router);
    const claimed = input.subApps.length > 0 && owner !== undefined ? claimMounts(owner, router, input.subApps, subAppProblems) : undefined;
    for (const layer of router.stack as LayerLike[]) {
      if (layer.route) visitRoute(layer.route, prefix);
      else if (isRouter(layer.handle)) visit(layer.handle, `${prefix}${describeMount(layer)}`, owner);
      else if (runsApp(layer)) {
        const at = `${prefix}${describeMount(layer)}`;
        const app = claimed?.get(layer) ?? (isExpressApp(layer.handle) && input.subApps.includes(layer.handle) ? layer.handle : undefined);
        const inner = app && rootRouter(app as never);
        if (app && !(inner && active.has(inner))) {
          // router.use(subApp) in two routers runs one app twice: its routes are read once.
          if (inner) mounts.set(layer, inner);
          if (!reached.has(app)) {
            reached.set(app, inner);
            if (inner) visit(inner, at, app);
          }
        } else {
          mounts.set(layer, `under an Express app mounted at '${at || '/'}' that cors() cannot see into; list it in cors({ subApps: [thatApp] }), or give it its own cors() and mount it before this cors()`);
          opaque.push([at || '/', polycorsLayers.length === 0]);
        }
      } else {
        const at = describeMount(layer);
        if (isCorsRouteMarker(layer.handle)) {
          input.problems.push({
            where: `use(${at || '/'})`,
            problem: { path: 'corsRoute', code: 'option-type', message: "corsRoute() marks a route; in app.use() or router.use() it applies to none. Put it in each route: app.patch('/form', corsRoute({ ... }), handler)" },
          });
        }
        if (isCorsPackage(layer.handle)) corsLayers.push(`use(${prefix}${at || '/'}): cors()`);
        if (isPolycors(layer.handle)) polycorsLayers.push(`use(${prefix}${at || '/'})`);
      }
    }
    active.delete(router);
  };
  input.roots.forEach((root, i) => root && visit(root, '', input.owners[i]));
  input.subApps.forEach((app, i) => {
    if (!reached.has(app) && !subAppProblems.some(({ path }) => path === `subApps[${i}]`)) subAppProblems.push(unreachedProblem(app, i));
  });
  for (const problem of subAppProblems) input.problems.push({ where: 'cors()', problem });

  if (corsLayers.length > 0) {
    input.problems.push({
      where: 'cors()',
      problem: {
        path: 'app',
        code: 'enable-cors-duplicate',
        message: `the cors package's middleware is also in this app (${corsLayers.join('; ')}): two CORS layers answer differently and send two Access-Control-Allow-Origin values. Remove it: @polycors/express answers preflights itself, so app.options('*', cors()) is not needed either`,
      },
    });
  }
  if (polycorsLayers.length > 1) {
    input.problems.push({
      where: 'cors()',
      problem: { path: 'app', code: 'enable-cors-duplicate', message: `@polycors/express cors() is used ${polycorsLayers.length} times in this app (${polycorsLayers.join('; ')}): use it once, and give routes their own policies with corsRoute()` },
    });
  }
  const pathEntry = (methods: readonly string[]) => {
    const sorted = [...methods].sort();
    if (shared.size >= MAX_SHARED_ENTRIES && !shared.has(sorted.join(','))) return undefined;
    // Built from the already validated global options: a problem here can only come from the method list.
    return sharedEntry(sorted, { ...input, problems: [] }, shared);
  };
  // An app mounted before cors() runs before it (its own cors() answers its preflights, the documented setup): its
  // preflights that still reach cors() are refused all the same, but only the others are worth a warning.
  const warned = polycorsLayers.length > 0 ? opaque.filter(([, before]) => !before) : opaque;
  return { roots: input.roots, entries, methods: methodsOf, hasMarkers, stacks, pathEntry, mounts, subApps: [...reached], opaque: [...new Set(warned.map(([path]) => path))] };
}

let nextMarkerId = 0;
const markerIds = new WeakMap<CorsRouteMarker, number>();
function markerId(marker: CorsRouteMarker): number {
  let id = markerIds.get(marker);
  if (id === undefined) markerIds.set(marker, (id = nextMarkerId++));
  return id;
}

/** Routes without markers: the global options with the route's methods, compiled once per set of methods. */
function sharedEntry(methods: readonly string[] | undefined, input: BuildInput, shared: Map<string, CompiledEntry | undefined>): CompiledEntry | undefined {
  const key = methods?.join(',') ?? ALL;
  if (shared.has(key)) return shared.get(key);
  const where = methods ? `routes serving ${displayMethods(methods)}` : 'app.all() routes';
  const entry = compileEntry(input.global, input.global, { where, defaultMethods: allowable(methods), markers: new Set(), problems: input.problems, warnings: input.warnings });
  shared.set(key, entry);
  return entry;
}

function routeEntry(markers: CorsRouteMarker[], where: string, methods: readonly string[] | undefined, input: BuildInput): CompiledEntry | undefined {
  const layers: (LayerOptions | false)[] = [];
  for (const marker of markers) {
    const options = markerOptions(marker);
    if (options === false) {
      layers.push(false);
      continue;
    }
    const problems: CompileContext['problems'][number]['problem'][] = [];
    layers.push(translateOptions(options, problems, true));
    for (const problem of problems) input.problems.push({ where, problem });
  }
  const merged = mergeCorsOptions(input.global as never, ...(layers as never[])) as LayerOptions | false;
  return compileEntry(merged, input.global, { where, defaultMethods: allowable(methods), markers: new Set(markers), problems: input.problems, warnings: input.warnings });
}

/** A route's methods as CORS defaults: CONNECT, TRACE and TRACK (app.connect(), app.trace()) never are. */
function allowable(methods: readonly string[] | undefined): readonly string[] | undefined {
  return methods?.filter((method) => !FORBIDDEN_METHODS.has(method));
}

export function isCurrent(index: RouteIndex, roots: readonly (RouterLike | undefined)[]): boolean {
  if (roots.length !== index.roots.length) return false;
  for (let i = 0; i < roots.length; i++) if (roots[i] !== index.roots[i]) return false;
  for (const [stack, length] of index.stacks) if (stack.length !== length) return false;
  for (const [app, router] of index.subApps) if (rootRouter(app as never) !== router) return false;
  return true;
}

/** What a request resolves to: the route Express would run for (path, method), and the methods served at the path. */
export interface Resolution {
  entry?: CompiledEntry;
  /** Preflights: the policy for methods no route at this path serves, the path's first route's (undefined: no route at the path). */
  fallback?: CompiledEntry;
  /** Only when asked for (preflights): every method a route serves at this path, with the policy judging it. */
  served?: [method: string, policy: CorsPolicy][];
  /** Preflights: the path enters an app polycors cannot see into (its words for route-unresolved). */
  unresolved?: string;
}

/**
 * Walks the routers as Express dispatches `method` on `path`. With `collect`, it walks on past the first match to
 * find every method served at the path (for the preflight sibling rules).
 */
export function resolve(index: RouteIndex, path: string, method: string, collect: boolean): Resolution {
  const result: Resolution = collect ? { served: [] } : {};
  if (method.length > MAX_METHOD_LENGTH) return result;
  const upper = method.toUpperCase(); // Express matches methods case-insensitively
  const servedMethods = new Set<string>();
  const servedEntries: CompiledEntry[] = [];
  let firstAtPath: CompiledEntry | undefined;
  const onRoute = (route: RouteLike): boolean => {
    const byMethod = index.entries.get(route);
    if (!byMethod) return false;
    firstAtPath ??= byMethod.get(ALL) ?? byMethod.values().next().value;
    if (!result.entry && routeHandles(route, upper)) result.entry = byMethod.get(upper) ?? byMethod.get(ALL) ?? byMethod.get('GET');
    if (!collect) return result.entry !== undefined;
    for (const served of index.methods.get(route) ?? [upper, ...CORS_DEFAULTS.methods]) {
      if (servedMethods.has(served)) continue;
      const entry = byMethod.get(served) ?? byMethod.get(ALL);
      if (!entry) continue;
      servedMethods.add(served);
      servedEntries.push(entry);
    }
    return false;
  };
  const walk = (router: RouterLike, at: string): boolean => {
    for (const layer of router.stack) {
      const matched = matchLayer(layer, at);
      if (matched === null) return true; // Express stops routing: no route runs
      if (matched === undefined) continue;
      if (layer.route) {
        if (onRoute(layer.route)) return true;
      } else if (isRouter(layer.handle)) {
        const inside = pathInside(matched, at);
        if (inside !== undefined && walk(layer.handle, inside)) return true;
      } else {
        const mount = index.mounts.get(layer);
        if (mount === undefined) continue;
        const inside = pathInside(matched, at);
        if (inside === undefined) continue;
        if (typeof mount !== 'string') {
          if (walk(mount, inside)) return true;
        } else if (collect) result.unresolved ??= mount;
      }
    }
    return false;
  };
  for (const root of index.roots) if (root && walk(root, path)) break;
  // As in the Koa adapter: a method no route at the path serves is judged by the path's first route (its
  // requests may still reach middleware after the routes).
  if (!collect) {
    result.entry ??= firstAtPath;
    return result;
  }
  if (servedMethods.size === 0) return result;
  // As in every polycors adapter: routes without a marker allow the methods their path serves, so they share one
  // policy there (the global options with the path's methods); a preflight for a method no route at the path serves
  // is refused unless that policy lists it.
  const shared = index.pathEntry([...servedMethods]);
  const policyOf = (entry: CompiledEntry) => (shared && entry.markers.size === 0 ? shared : entry);
  let i = 0;
  for (const served of servedMethods) result.served!.push([served, policyOf(servedEntries[i++]).policy]);
  result.fallback = firstAtPath && policyOf(firstAtPath);
  result.entry = result.entry ? policyOf(result.entry) : result.fallback;
  return result;
}

function isCorsPackage(handle: unknown): boolean {
  return typeof handle === 'function' && handle.name === 'corsMiddleware' && !isPolycors(handle);
}

function isPolycors(handle: unknown): boolean {
  return typeof handle === 'function' && POLYCORS_MIDDLEWARE in handle;
}

/** GET routes also serve HEAD; name them by GET alone. */
function displayMethods(methods: readonly string[] | undefined): string {
  if (!methods) return 'ALL';
  const shown = methods.includes('GET') ? methods.filter((method) => method !== 'HEAD') : methods;
  return shown.join(',');
}
