/**
 * Routes polycors never saw: registered before its `onRoute` hook ran (`fastify.register(polycors)` without `await`,
 * then routes; or a plugin registered before polycors). Fastify has no public list of routes, so both routers, the
 * app's and polycors' mirror of it (the same find-my-way, the same options), are printed the same way
 * (`printRoutes({ commonPrefix: false })`) and compared route by route.
 */

export interface PrintedRoute {
  method: string;
  path: string;
}

const BRANCH = /^[├└]── /;
const INDENT = /^(?:│ {3}| {4})/;
/** `segment (GET, HEAD)` optionally followed by constraints ` {"host":"a.com"}`. */
const ROUTE_LINE = /^(.*?) \(([^()\s,]+(?:, [^()\s,]+)*)\)(?: \{.*\})?$/;

/** Reads find-my-way's pretty-printed tree back into (method, full path) pairs. */
export function parsePrintedRoutes(printed: string): PrintedRoute[] {
  const routes: PrintedRoute[] = [];
  const segments: string[] = [];
  for (const line of printed.split('\n')) {
    let rest = line;
    let depth = 0;
    while (INDENT.test(rest)) {
      rest = rest.slice(4);
      depth++;
    }
    if (BRANCH.test(rest)) rest = rest.slice(4);
    else if (depth > 0) depth--; // a constraint variant of the node above, printed without a branch
    else continue;
    if (rest.startsWith('• ')) continue; // metadata, only with includeMeta
    const match = ROUTE_LINE.exec(rest);
    segments.length = depth;
    segments[depth] = match ? match[1] : rest;
    if (!match) continue;
    const path = segments.join('');
    for (const method of match[2].split(', ')) routes.push({ method, path });
  }
  return routes;
}

export interface UnseenRoute {
  path: string;
  methods: string[];
}

/**
 * Routes in `appRoutes` that polycors' mirror lacks, under `prefix` (where polycors' hooks and its `OPTIONS *` route
 * apply), leaving out polycors' own `OPTIONS` catch-all. A trailing-slash variant of a route polycors saw counts as
 * seen (Fastify adds `prefix/` beside `prefix` for a plugin's root route).
 */
export function findUnseenRoutes(appRoutes: readonly PrintedRoute[], seenRoutes: readonly PrintedRoute[], prefix: string, catchAll: ReadonlySet<string>): UnseenRoute[] {
  const seen = new Set(seenRoutes.map(({ method, path }) => `${method} ${path}`));
  const known = (method: string, path: string) => {
    const other = path.endsWith('/') ? path.slice(0, -1) : `${path}/`;
    return seen.has(`${method} ${path}`) || seen.has(`${method} ${other}`);
  };
  const byPath = new Map<string, string[]>();
  const lowerPrefix = prefix.toLowerCase();
  for (const { method, path } of appRoutes) {
    if (!path.toLowerCase().startsWith(lowerPrefix)) continue;
    if (method === 'OPTIONS' && catchAll.has(path.toLowerCase())) continue;
    if (known(method, path)) continue;
    const methods = byPath.get(path) ?? [];
    if (!methods.includes(method)) methods.push(method);
    byPath.set(path, methods);
  }
  return [...byPath].map(([path, methods]) => ({ path, methods: methods.includes('GET') ? methods.filter((method) => method !== 'HEAD') : methods }));
}
