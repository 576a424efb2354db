/**
 * What a demo API saw, read from its `GET /__stats` (DEMO_STATS=1) by the suite itself (plain Node fetch, no Origin).
 * Every case tags its URLs with `?run=<id>`, so the requests of one case are found by that tag.
 */

export interface SeenRequest {
  method: string;
  /** Path and query as the server saw them. */
  url: string;
  origin?: string;
  /** OPTIONS with Access-Control-Request-Method. */
  preflight: boolean;
  requestMethod?: string;
  requestHeaders?: string;
  /** The demo's session cookie arrived with the request. */
  cookie: boolean;
  /** An Authorization header arrived with the request. */
  authorization: boolean;
  /** The auth guard (hook, middleware) ran for the request. */
  guarded: boolean;
  /** The status the server answered with, when known. */
  status?: number;
}

export interface DemoStats {
  /** How many times the auth guard (PATCH /form's) ran. */
  authGuardRuns: number;
  requests: SeenRequest[];
}

function runOf(url: string): string | null {
  return new URL(url, 'http://x').searchParams.get('run');
}

function normalise(raw: Record<string, unknown>): SeenRequest {
  const method = String(raw.method ?? '');
  const requestMethod = (raw.accessControlRequestMethod ?? raw.requestMethod) as string | undefined;
  return {
    method,
    url: String(raw.url ?? raw.path ?? ''),
    origin: raw.origin as string | undefined,
    preflight: typeof raw.preflight === 'boolean' ? raw.preflight : method === 'OPTIONS' && requestMethod !== undefined,
    requestMethod,
    requestHeaders: (raw.accessControlRequestHeaders ?? raw.requestHeaders) as string | undefined,
    cookie: raw.cookie === true,
    authorization: raw.authorization === true,
    guarded: raw.guarded === true,
    status: typeof raw.status === 'number' ? raw.status : undefined,
  };
}

export async function readStats(api: string): Promise<DemoStats> {
  const response = await fetch(`${api}/__stats`, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`polycors e2e: ${api}/__stats answered ${response.status}; start the demo with DEMO_STATS=1`);
  // guardRuns: a number (fastify-demo, koa-demo) or { auth, global } (nest-demo, which also counts a global guard).
  const body = (await response.json()) as { guardRuns?: number | { auth?: number }; requests?: Record<string, unknown>[] };
  const guardRuns = typeof body.guardRuns === 'object' && body.guardRuns !== null ? body.guardRuns.auth : body.guardRuns;
  if (typeof guardRuns !== 'number') throw new Error(`polycors e2e: ${api}/__stats has no guard count: ${JSON.stringify(body.guardRuns)}`);
  return { authGuardRuns: guardRuns, requests: (body.requests ?? []).map(normalise) };
}

/** The requests of one run tag, in arrival order. */
export async function seenFor(api: string, run: string): Promise<SeenRequest[]> {
  const stats = await readStats(api);
  return stats.requests.filter((request) => runOf(request.url) === run);
}
