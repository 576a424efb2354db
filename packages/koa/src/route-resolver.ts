/**
 * Reads @koa/router routers (their flattened `stack` of Layers: prefixes and nested routers already applied) into
 * core route tables, once. A request is resolved to the route that @koa/router would run first for
 * (path, method): for a preflight, the method is `Access-Control-Request-Method`.
 * Matching follows the router: path-to-regexp 8 patterns, registration order, `sensitive` and `strict` per layer,
 * the router's `host` and `routerPath`.
 */
import { CorsConfigError, CorsRouteTable, mergeCorsOptions, type WarningDeduper } from '@polycors/core';
import type { Context } from 'koa';
import { type CompileContext, type CompiledEntry, compileEntry, failedEntry } from './compile.js';
import type { KoaLayerLike, KoaRouterLike } from './options.js';
import { type CorsRouteMarker, isCorsRouteMarker, markerOptions } from './route-marker.js';
import { type LayerOptions, translateOptions } from './translate.js';

interface Indexed {
  index: number;
  entry: CompiledEntry;
}

interface RouterTables {
  router: KoaRouterLike;
  /** One table per (sensitive, strict) combination; usually one. */
  tables: CorsRouteTable<Indexed>[];
  /** `router.stack.length` when built: a different length means routes were added since. */
  builtLength: number;
}

/** More methods than this on one layer means `router.all()`: the route then uses the core default methods. */
const ALL_METHODS_THRESHOLD = 16;
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);
const MAX_METHOD_LENGTH = 64;

export interface BuildInput {
  routers: readonly KoaRouterLike[];
  global: LayerOptions;
  problems: CompileContext['problems'];
  warnings: WarningDeduper;
  /** Markers that mark no route polycors can match (in router.use(), on a RegExp path), with where they are. */
  misplaced?: { where: string; markers: readonly CorsRouteMarker[] }[];
}

export function buildRouterTables(input: BuildInput): RouterTables[] {
  const shared = new Map<string, CompiledEntry | undefined>();
  return input.routers.map((router) => buildOne(router, input, shared));
}

function buildOne(router: KoaRouterLike, input: BuildInput, shared: Map<string, CompiledEntry | undefined>): RouterTables {
  const groups = new Map<string, CorsRouteTable<Indexed>>();
  const stack = router.stack;
  const pathMethods = methodsServedByPath(stack);
  stack.forEach((layer, index) => {
    const markers = layer.stack.filter(isCorsRouteMarker) as CorsRouteMarker[];
    const isRoute = layer.methods.length > 0;
    if (!isRoute) {
      if (markers.length > 0) {
        input.misplaced?.push({ where: `router.use(${describePath(layer.path)})`, markers });
        input.problems.push({
          where: `router.use(${describePath(layer.path)})`,
          problem: { path: 'corsRoute', code: 'option-type', message: "corsRoute() marks a route; in router.use() it applies to none. Put it in each route: router.patch('/form', corsRoute({ ... }), handler)" },
        });
      }
      return;
    }
    const where = describeRoute(layer);
    if (typeof layer.path !== 'string' || layer.opts?.pathAsRegExp) {
      if (markers.length > 0) {
        input.misplaced?.push({ where, markers });
        input.problems.push({
          where,
          problem: { path: 'corsRoute', code: 'option-type', message: 'per-route CORS needs a string path (path-to-regexp syntax such as /items/:id), not a RegExp, so that preflights can be matched to the route' },
        });
      }
      return;
    }
    // As in every polycors adapter: without configured methods, a route allows the methods its path serves.
    const defaultMethods = pathMethods.get(layer.path);
    const problemsBefore = input.problems.length;
    const compiled = markers.length === 0 ? sharedEntry(defaultMethods, input, shared) : routeEntry(markers, where, defaultMethods, input);
    // A route with configuration problems stays in the table, so that its requests fail instead of falling back to a
    // wider policy (cors() throws at startup anyway; this matters for routes added later, see cors().build()).
    const failed = !compiled || (input.global.strict !== false && input.problems.length > problemsBefore);
    const entry = failed ? failedEntry(where, routeProblems(input.problems, where, markers.length === 0 ? sharedWhere(defaultMethods) : where)) : compiled;
    const key = `${Boolean(layer.opts?.sensitive)}|${Boolean(layer.opts?.strict)}`;
    let table = groups.get(key);
    if (!table) {
      table = new CorsRouteTable<Indexed>({ priority: 'registration', caseSensitive: Boolean(layer.opts?.sensitive), ignoreTrailingSlash: !layer.opts?.strict });
      groups.set(key, table);
    }
    for (const method of layer.methods) table.add(method, layer.path, { index, entry });
  });
  return { router, tables: [...groups.values()], builtLength: stack.length };
}

/** Methods served by each string path across all its routes; undefined where a `router.all()` route serves it. */
function methodsServedByPath(stack: readonly KoaLayerLike[]): Map<string | RegExp, string[] | undefined> {
  const served = new Map<string | RegExp, string[] | undefined>();
  for (const layer of stack) {
    if (layer.methods.length === 0) continue;
    const known = served.get(layer.path);
    if (served.has(layer.path) && known === undefined) continue;
    if (layer.methods.length > ALL_METHODS_THRESHOLD) {
      served.set(layer.path, undefined);
      continue;
    }
    const methods = known ?? [];
    for (const method of layer.methods) if (!FORBIDDEN_METHODS.has(method) && !methods.includes(method)) methods.push(method);
    served.set(layer.path, methods);
  }
  return served;
}

/** Routes without markers: the global options with the route's methods, compiled once per set of methods. */
function sharedEntry(defaultMethods: readonly string[] | undefined, input: BuildInput, shared: Map<string, CompiledEntry | undefined>): CompiledEntry | undefined {
  const key = defaultMethods?.join(',') ?? '*';
  if (shared.has(key)) return shared.get(key);
  const entry = compileEntry(input.global, input.global, { where: sharedWhere(defaultMethods), defaultMethods, markers: new Set(), problems: input.problems, warnings: input.warnings });
  shared.set(key, entry);
  return entry;
}

function sharedWhere(defaultMethods: readonly string[] | undefined): string {
  return defaultMethods ? `routes serving ${displayMethods(defaultMethods)}` : 'router.all() routes';
}

function routeEntry(markers: CorsRouteMarker[], where: string, defaultMethods: readonly string[] | undefined, input: BuildInput): CompiledEntry | undefined {
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
  return compileEntry(merged, input.global, { where, defaultMethods, markers: new Set(markers), problems: input.problems, warnings: input.warnings });
}

/** The problems recorded under `place` (the route, or for routes without markers the shared policy of its methods). */
function routeProblems(problems: CompileContext['problems'], where: string, place: string): CorsConfigError {
  const own = problems.filter((problem) => problem.where === place || problem.where.startsWith(`${place},`)).map(({ problem }) => problem);
  return new CorsConfigError(own, where);
}

/** The route @koa/router would run first for (path, method), or undefined (no route: the global policy applies). */
export function resolveRoute(tables: readonly RouterTables[], ctx: Context, method: string): CompiledEntry | undefined {
  if (method.length > MAX_METHOD_LENGTH) return undefined;
  const upper = method.toUpperCase(); // @koa/router matches methods case-insensitively
  for (const { router, tables: byOptions } of tables) {
    if (router.host && router.matchHost && !router.matchHost(ctx.host)) continue;
    const path = router.opts?.routerPath || (ctx as { newRouterPath?: string }).newRouterPath || ctx.path;
    let best: Indexed | undefined;
    let bestMatched = false;
    for (const table of byOptions) {
      const match = table.match(path, upper);
      if (!match) continue;
      const better = best === undefined || (match.methodMatched && !bestMatched) || (match.methodMatched === bestMatched && match.value.index < best.index);
      if (better) {
        best = match.value;
        bestMatched = match.methodMatched;
      }
    }
    if (best) return best.entry;
  }
  return undefined;
}

/**
 * Every method some route serves at the request's path, each with the route @koa/router would run for it: what a
 * preflight answer for this URL must keep to (the browser caches it for the URL, not for one method).
 */
export function resolveServedAt(tables: readonly RouterTables[], ctx: Context): [method: string, entry: CompiledEntry][] {
  if (tables.length === 1 && tables[0].tables.length === 1) {
    // One router, one table (the usual app): its answer, without the merging across tables and routers below.
    const { router, tables: byOptions } = tables[0];
    if (router.host && router.matchHost && !router.matchHost(ctx.host)) return [];
    const found = byOptions[0].servedAt(router.opts?.routerPath || (ctx as { newRouterPath?: string }).newRouterPath || ctx.path);
    const result: [string, CompiledEntry][] = [];
    for (let i = 0; i < found.length; i++) result.push([found[i][0], found[i][1].entry]);
    return result;
  }
  const served = new Map<string, Indexed>();
  const decided = new Set<string>();
  for (const { router, tables: byOptions } of tables) {
    if (router.host && router.matchHost && !router.matchHost(ctx.host)) continue;
    const path = router.opts?.routerPath || (ctx as { newRouterPath?: string }).newRouterPath || ctx.path;
    const found = new Map<string, Indexed>();
    for (const table of byOptions) {
      for (const [method, value] of table.servedAt(path)) {
        const best = found.get(method);
        if (best === undefined || value.index < best.index) found.set(method, value);
      }
    }
    // The first router with a route for a method serves it.
    for (const [method, value] of found) {
      if (decided.has(method)) continue;
      decided.add(method);
      served.set(method, value);
    }
  }
  return [...served].map(([method, value]) => [method, value.entry]);
}

/**
 * The route whose policy judges a request with a method no route serves at this path (resolveRoute falls back to
 * the path's first route), or undefined where no route matches the path at all.
 */
export function resolveUnservedMethod(tables: readonly RouterTables[], ctx: Context): CompiledEntry | undefined {
  // No route is registered for the empty method, so this finds what any unserved method finds.
  return resolveRoute(tables, ctx, '');
}

export function tablesAreCurrent(tables: readonly RouterTables[]): boolean {
  for (const table of tables) if (table.router.stack.length !== table.builtLength) return false;
  return true;
}

function describeRoute(layer: KoaLayerLike): string {
  const methods = layer.methods.length > ALL_METHODS_THRESHOLD ? 'ALL' : displayMethods(layer.methods);
  return `${methods} ${describePath(layer.path)}${layer.name ? ` (${layer.name})` : ''}`;
}

/** GET routes also serve HEAD (added by the router); name them by GET alone. */
function displayMethods(methods: readonly string[]): string {
  const shown = methods.includes('GET') ? methods.filter((method) => method !== 'HEAD') : methods;
  return shown.join(',');
}

function describePath(path: string | RegExp): string {
  return typeof path === 'string' ? path : String(path);
}
