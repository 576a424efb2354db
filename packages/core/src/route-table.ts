/**
 * A route table for adapters whose framework cannot tell, before routing, which route a request is for
 * (a preflight arrives as OPTIONS and matches no route; Nest guards run before its interceptors).
 * Built once at startup from route patterns; a lookup walks a segment trie: static segments first, then
 * parameters, then wildcards, as routers do. Patterns use the path-to-regexp 8 syntax shared by Express 5,
 * Koa's router and Nest: `/users/:id`, `/files/*path`, optional groups `/docs{/:page}`; also `/*` and `:id?`.
 */

export interface RouteTableOptions {
  /** Match `/form/` to `/form` (Express, Koa router and Nest default: true). */
  ignoreTrailingSlash?: boolean;
  /** Compare static segments case-sensitively (Express and Koa router default: false). */
  caseSensitive?: boolean;
  /**
   * Which route wins when several patterns match a path: `'specificity'` (default: static segments, then
   * parameters, then wildcards) or `'registration'` (the first added, as Koa's router runs routes in order).
   */
  priority?: 'specificity' | 'registration';
}

export interface RouteMatch<T> {
  /** The entry for the requested method, or else the first registered for the matched path. */
  value: T;
  /** The pattern that matched, as registered. */
  pattern: string;
  /** Every method the matched pattern serves. */
  methods: readonly string[];
  /** True when `value` was registered for the requested method. */
  methodMatched: boolean;
}

interface Endpoint<T> {
  pattern: string;
  entries: Map<string, T>;
  /** Registration order of each entry (used with `priority: 'registration'`). */
  orders: Map<string, number>;
}

interface TrieNode<T> {
  statics: Map<string, TrieNode<T>>;
  /** Segments with parameters (`:id`, `:name.:ext`, `user-:id`); `test` is undefined for a whole-segment `:id`. */
  dynamics: { key: string; test?: (segment: string) => boolean; node: TrieNode<T> }[];
  /** `*path`: one or more remaining segments. */
  wildcard?: Endpoint<T>;
  endpoint?: Endpoint<T>;
}

function createNode<T>(): TrieNode<T> {
  return { statics: new Map(), dynamics: [] };
}

export class CorsRouteTable<T> {
  private readonly root: TrieNode<T> = createNode();
  private readonly ignoreTrailingSlash: boolean;
  private readonly caseSensitive: boolean;
  private readonly endpoints = new Map<string, Endpoint<T>>();
  /** Endpoints of patterns without parameters or wildcards, by normalised path: most lookups are one Map.get. */
  private readonly staticPaths = new Map<string, Endpoint<T>>();
  private readonly byRegistration: boolean;
  /** No pattern has parameters, wildcards or groups: a path then matches at most one endpoint, its staticPaths one. */
  private onlyStatic = true;
  private added = 0;

  constructor(options: RouteTableOptions = {}) {
    this.ignoreTrailingSlash = options.ignoreTrailingSlash ?? true;
    this.caseSensitive = options.caseSensitive ?? false;
    this.byRegistration = options.priority === 'registration';
  }

  /** Registers `value` for `method` on `pattern`. The first value registered for a (pattern, method) pair wins. */
  add(method: string, pattern: string, value: T): void {
    const order = this.added++;
    for (const variant of expandOptionalGroups(normalisePattern(pattern))) {
      const endpoint = this.endpointFor(variant, pattern);
      if (!endpoint.entries.has(method)) {
        endpoint.entries.set(method, value);
        endpoint.orders.set(method, order);
      }
    }
  }

  /** Methods registered on `pattern` (all its optional variants). */
  methodsOf(pattern: string): string[] {
    const methods = new Set<string>();
    for (const variant of expandOptionalGroups(normalisePattern(pattern))) {
      for (const method of this.endpoints.get(variant)?.entries.keys() ?? []) methods.add(method);
    }
    return [...methods];
  }

  /** Finds the route serving `path` (no query string) for `method`. */
  match(path: string, method: string): RouteMatch<T> | undefined {
    // A static route serving the method is what the static-first walk below would find first; with
    // priority: 'registration' an earlier parameter route could win, so that mode walks unless every route is static
    // (then the static endpoint is the only one the walk could find, whether or not it serves the method).
    if (this.staticPaths.size > 0 && (!this.byRegistration || this.onlyStatic)) {
      const found = this.staticPaths.get(this.staticKey(path));
      if (found !== undefined) {
        const exact = found.entries.get(method);
        if (exact !== undefined) return { value: exact, pattern: found.pattern, methods: [...found.entries.keys()], methodMatched: true };
        if (this.byRegistration) return { value: found.entries.values().next().value as T, pattern: found.pattern, methods: [...found.entries.keys()], methodMatched: false };
      }
    }
    const segments = this.split(path);
    if (segments === undefined) return undefined;
    const endpoint = this.byRegistration
      ? firstRegistered(this.collect(this.root, segments, 0, []), method)
      : this.walk(this.root, segments, 0, method) ?? this.walk(this.root, segments, 0, undefined);
    if (endpoint === undefined) return undefined;
    const exact = endpoint.entries.get(method);
    const value = exact ?? endpoint.entries.values().next().value as T;
    return { value, pattern: endpoint.pattern, methods: [...endpoint.entries.keys()], methodMatched: exact !== undefined };
  }

  /**
   * Every method served at `path`, each with the entry that serves it (what `match(path, method)` finds with
   * `methodMatched`): what a preflight's answer must keep to, since the browser caches it for the whole URL.
   */
  servedAt(path: string): [method: string, value: T][] {
    // Every route static: the path's one endpoint serves exactly its own methods, with its own entries.
    if (this.onlyStatic && this.staticPaths.size > 0) {
      const found = this.staticPaths.get(this.staticKey(path));
      if (found !== undefined) return [...found.entries];
    }
    const served: [string, T][] = [];
    const segments = this.split(path);
    if (segments === undefined) return served;
    const methods = new Set<string>();
    for (const endpoint of this.collect(this.root, segments, 0, [])) for (const method of endpoint.entries.keys()) methods.add(method);
    for (const method of methods) {
      const match = this.match(path, method);
      if (match?.methodMatched) served.push([method, match.value]);
    }
    return served;
  }

  /** `path` as `staticPaths` keys it: trailing slash dropped (ignoreTrailingSlash), lower case (unless caseSensitive). */
  private staticKey(path: string): string {
    const trimmed = this.ignoreTrailingSlash && path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
    return this.caseSensitive ? trimmed : trimmed.toLowerCase();
  }

  private split(path: string): string[] | undefined {
    if (path.length === 0 || path.charCodeAt(0) !== 0x2f) return undefined;
    let trimmed = path;
    if (this.ignoreTrailingSlash && trimmed.length > 1 && trimmed.endsWith('/')) trimmed = trimmed.slice(0, -1);
    if (trimmed === '/') return [];
    const segments = trimmed.slice(1).split('/');
    if (!this.caseSensitive) for (let i = 0; i < segments.length; i++) segments[i] = segments[i].toLowerCase();
    return segments;
  }

  /** Depth-first, static before dynamic before wildcard; with `method` set, only endpoints serving it count. */
  private walk(node: TrieNode<T>, segments: string[], index: number, method: string | undefined): Endpoint<T> | undefined {
    if (index === segments.length) return accepts(node.endpoint, method) ? node.endpoint : undefined;
    const segment = segments[index];
    const child = node.statics.get(segment);
    if (child) {
      const found = this.walk(child, segments, index + 1, method);
      if (found) return found;
    }
    if (segment !== '') {
      for (const dynamic of node.dynamics) {
        if (dynamic.test && !dynamic.test(segment)) continue;
        const found = this.walk(dynamic.node, segments, index + 1, method);
        if (found) return found;
      }
      if (accepts(node.wildcard, method)) return node.wildcard;
    }
    return undefined;
  }

  /** Every endpoint matching `segments` (for `priority: 'registration'`). */
  private collect(node: TrieNode<T>, segments: string[], index: number, found: Endpoint<T>[]): Endpoint<T>[] {
    if (index === segments.length) {
      if (node.endpoint) found.push(node.endpoint);
      return found;
    }
    const segment = segments[index];
    const child = node.statics.get(segment);
    if (child) this.collect(child, segments, index + 1, found);
    if (segment !== '') {
      for (const dynamic of node.dynamics) {
        if (!dynamic.test || dynamic.test(segment)) this.collect(dynamic.node, segments, index + 1, found);
      }
      if (node.wildcard) found.push(node.wildcard);
    }
    return found;
  }

  private endpointFor(variant: string, pattern: string): Endpoint<T> {
    const known = this.endpoints.get(variant);
    if (known) return known;
    let node = this.root;
    const segments = variant === '/' ? [] : variant.slice(1).split('/');
    let endpoint: Endpoint<T> | undefined;
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i];
      if (segment.startsWith('*')) {
        endpoint = node.wildcard ??= { pattern, entries: new Map(), orders: new Map() };
        break;
      }
      if (segment.includes(':')) {
        const test = segment.startsWith(':') && /^:[A-Za-z0-9_$]+$/.test(segment) ? undefined : compileSegment(segment, this.caseSensitive);
        let dynamic = node.dynamics.find((d) => d.key === segment);
        if (!dynamic) {
          dynamic = { key: segment, test, node: createNode() };
          node.dynamics.push(dynamic);
          // Whole-segment parameters are tried after constrained ones, as routers do.
          node.dynamics.sort((a, b) => Number(a.test === undefined) - Number(b.test === undefined));
        }
        node = dynamic.node;
        continue;
      }
      const key = this.caseSensitive ? segment : segment.toLowerCase();
      let next = node.statics.get(key);
      if (!next) node.statics.set(key, (next = createNode()));
      node = next;
    }
    endpoint ??= node.endpoint ??= { pattern, entries: new Map(), orders: new Map() };
    this.endpoints.set(variant, endpoint);
    if (!/[:*{}()]/.test(variant)) this.staticPaths.set(this.caseSensitive ? variant : variant.toLowerCase(), endpoint);
    else this.onlyStatic = false;
    return endpoint;
  }
}

/** The endpoint whose entry for `method` was added first; else the endpoint added first (any method). */
function firstRegistered<T>(endpoints: Endpoint<T>[], method: string): Endpoint<T> | undefined {
  let best: Endpoint<T> | undefined;
  let bestOrder = Infinity;
  for (const endpoint of endpoints) {
    const order = endpoint.orders.get(method);
    if (order !== undefined && order < bestOrder) [best, bestOrder] = [endpoint, order];
  }
  if (best) return best;
  for (const endpoint of endpoints) {
    const order = Math.min(...endpoint.orders.values());
    if (order < bestOrder) [best, bestOrder] = [endpoint, order];
  }
  return best;
}

function accepts<T>(endpoint: Endpoint<T> | undefined, method: string | undefined): boolean {
  return endpoint !== undefined && (method === undefined || endpoint.entries.has(method));
}

/** Old-style syntax to path-to-regexp 8: `:id?` -> `{/:id}`, `(.*)` and a bare `*` -> `*path`; collapses `//`. */
function normalisePattern(pattern: string): string {
  let p = pattern.startsWith('/') ? pattern : `/${pattern}`;
  p = p.replace(/\/+/g, '/').replace(/\(\.\*\)/g, '*path').replace(/\/:([A-Za-z0-9_$]+)\?/g, '{/:$1}');
  p = p.replace(/\*(?![A-Za-z0-9_$])/g, '*path');
  if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  return p;
}

/** `/docs{/:page}` -> `/docs`, `/docs/:page`. Nested groups expand too. */
function expandOptionalGroups(pattern: string): string[] {
  const open = pattern.indexOf('{');
  if (open === -1) return [pattern === '' ? '/' : pattern];
  let depth = 0;
  let close = -1;
  for (let i = open; i < pattern.length; i++) {
    if (pattern[i] === '{') depth++;
    else if (pattern[i] === '}' && --depth === 0) {
      close = i;
      break;
    }
  }
  if (close === -1) return [pattern];
  const before = pattern.slice(0, open);
  const inside = pattern.slice(open + 1, close);
  const after = pattern.slice(close + 1);
  return [...expandOptionalGroups(before + after), ...expandOptionalGroups(before + inside + after)].map((p) => (p === '' ? '/' : p));
}

/** A segment mixing literals and parameters (`:name.:ext`, `user-:id`): compiled once at startup. */
function compileSegment(segment: string, caseSensitive: boolean): (value: string) => boolean {
  const source = segment
    .split(/(:[A-Za-z0-9_$]+)/)
    .map((part) => (part.startsWith(':') ? '[^/]+?' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const regexp = new RegExp(`^${source}$`, caseSensitive ? '' : 'i');
  return (value) => regexp.test(value);
}
