/**
 * The four workloads and the one CORS configuration every contender is given, written once here in each library's
 * own vocabulary so that the meaning is the same for all of them:
 * - origins: an allowlist (3 exact origins, or 10,000 exact origins and 100 subdomain patterns);
 * - methods GET, HEAD, PUT, PATCH, POST, DELETE; allowed request headers content-type and x-request-id;
 * - credentials: true; max age 600 s.
 */

export const ROUTE = '/resource';
export const BODY = Object.freeze({ hello: 'world' });
export const BODY_TEXT = JSON.stringify(BODY);

export const SMALL_ORIGINS = Object.freeze(['https://app.example.com', 'https://admin.example.com', 'https://partner.example.org']);

/** 10,000 exact origins, in the order a user would list them. */
export const LARGE_EXACT = Object.freeze(Array.from({ length: 10_000 }, (_, i) => `https://customer-${i}.example.net`));
/** 100 subdomain patterns: `https://*.tenant-N.example.com` (one or more labels below tenant-N). */
export const LARGE_PATTERN_SUFFIXES = Object.freeze(Array.from({ length: 100 }, (_, i) => `tenant-${i}.example.com`));
export const LARGE_PATTERNS = Object.freeze(LARGE_PATTERN_SUFFIXES.map((suffix) => `https://*.${suffix}`));
/** The same patterns as anchored RegExps, for the libraries that only take RegExps. Linear: each `.` ends one label. */
export const LARGE_REGEXPS = Object.freeze(LARGE_PATTERN_SUFFIXES.map((suffix) => new RegExp(`^https://(?:[a-z0-9-]+\\.)+${suffix.replaceAll('.', '\\.')}$`)));

export const METHODS = Object.freeze(['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE']);
export const ALLOWED_HEADERS = Object.freeze(['content-type', 'x-request-id']);
export const MAX_AGE = 600;

/** allowlist name -> the origins a request is sent from, cycled request by request. */
const REFUSED_ORIGIN = 'https://evil.example';

/**
 * Each workload: which allowlist the server is configured with, the requests autocannon cycles through, and what a
 * correct answer looks like (checked once per contender before measuring, so a misconfigured contender is caught).
 */
export const WORKLOADS = Object.freeze([
  {
    id: 'actual',
    title: 'Allowed GET (3 origins)',
    allowlist: 'small',
    requests: SMALL_ORIGINS.map((origin) => ({ method: 'GET', path: ROUTE, headers: { origin } })),
    expect: { status: 200, allowed: true, body: true },
  },
  {
    id: 'preflight',
    title: 'Preflight (PUT, 2 headers)',
    allowlist: 'small',
    requests: SMALL_ORIGINS.map((origin) => ({
      method: 'OPTIONS',
      path: ROUTE,
      headers: { origin, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type,x-request-id' },
    })),
    expect: { status: 204, allowed: true, preflight: true },
  },
  {
    id: 'refused',
    title: 'GET from a refused origin',
    allowlist: 'small',
    requests: [{ method: 'GET', path: ROUTE, headers: { origin: REFUSED_ORIGIN } }],
    expect: { status: 200, allowed: false, body: true },
  },
  {
    id: 'large',
    title: 'Allowed GET (10,000 origins + 100 patterns)',
    allowlist: 'large',
    // The middle and the end of the exact list, and a subdomain of the 58th pattern.
    requests: ['https://customer-5000.example.net', 'https://customer-9999.example.net', 'https://eu.app.tenant-57.example.com'].map((origin) => ({
      method: 'GET',
      path: ROUTE,
      headers: { origin },
    })),
    expect: { status: 200, allowed: true, body: true },
  },
  {
    id: 'hostile',
    title: 'Hostile origins (1,000 labels; three 63-character labels), large allowlist',
    allowlist: 'large',
    // Issue 11's inputs over HTTP: a 1,000-label origin under a pattern's suffix (the parse stops at the label cap)
    // and a host of three 63-character labels (the longest DNS allows) beside a pattern's suffix, not matching it.
    // Both refused.
    requests: [
      `https://${'a.'.repeat(1000)}tenant-5.example.com`,
      `https://${['x', 'y', 'z'].map((c) => c.repeat(63)).join('.')}.tenant-5.example.co`,
    ].map((origin) => ({ method: 'GET', path: ROUTE, headers: { origin } })),
    // polycors refuses both (label cap, no match); the incumbents' RegExps allow the 1,000-label origin (no DNS
    // limits), so the verdict is not compared here: this workload measures cost, not meaning.
    expect: { status: 200, allowed: undefined, body: true },
    // polycors against the incumbent only: the no-CORS server's cost is the large workload's.
    noCeiling: true,
  },
]);

/** polycors options (`@polycors/core`, and every adapter). `small+large`: the 3 origins and the large list (held-list.js). */
export function polycorsOptions(allowlist) {
  return {
    origin: allowlist === 'large' ? [...LARGE_EXACT, ...LARGE_PATTERNS] : allowlist === 'small+large' ? [...SMALL_ORIGINS, ...LARGE_EXACT, ...LARGE_PATTERNS] : [...SMALL_ORIGINS],
    methods: [...METHODS],
    allowedHeaders: [...ALLOWED_HEADERS],
    credentials: true,
    maxAge: MAX_AGE,
    logger: false,
  };
}

/** `cors` (Express), `@fastify/cors` and Nest's `enableCors()` on both adapters: strings and RegExps in one array. */
export function corsPackageOptions(allowlist) {
  return {
    origin: allowlist === 'large' ? [...LARGE_EXACT, ...LARGE_REGEXPS] : [...SMALL_ORIGINS],
    methods: [...METHODS],
    allowedHeaders: [...ALLOWED_HEADERS],
    credentials: true,
    maxAge: MAX_AGE,
  };
}

/**
 * `@koa/cors` takes no list: its documented way to allow several origins is a function of ctx that returns the
 * origin to send (or nothing). Written the way its users write it: an array lookup, then the patterns.
 */
export function koaCorsOptions(allowlist) {
  const exact = allowlist === 'large' ? [...LARGE_EXACT] : [...SMALL_ORIGINS];
  const patterns = allowlist === 'large' ? [...LARGE_REGEXPS] : [];
  return {
    origin(ctx) {
      const origin = ctx.get('Origin');
      if (exact.includes(origin)) return origin;
      for (const pattern of patterns) if (pattern.test(origin)) return origin;
      return '';
    },
    allowMethods: [...METHODS],
    allowHeaders: [...ALLOWED_HEADERS],
    credentials: true,
    maxAge: MAX_AGE,
  };
}

/**
 * The `headers only` contender (the floor): what a CORS layer cannot avoid sending, decided by one `Set` lookup of
 * the request's Origin in the 3-origin list and nothing else (no parsing, no route, no validation of the request's
 * method or headers). An allowed request gets `Access-Control-Allow-Origin` echoing its Origin, credentials and
 * `Vary: Origin`; a refused one only `Vary: Origin`; a preflight (OPTIONS with Access-Control-Request-Method) from an
 * allowed origin gets the fixed preflight answer and 204. No CORS library can be cheaper than this on these workloads.
 */
const FLOOR_ORIGINS = new Set(SMALL_ORIGINS);
export const HEADERS_ONLY = Object.freeze([
  ['access-control-allow-credentials', 'true'],
  ['vary', 'Origin'],
]);
const FLOOR_PREFLIGHT = Object.freeze([
  ['access-control-allow-credentials', 'true'],
  ['access-control-allow-methods', METHODS.join(',')],
  ['access-control-allow-headers', ALLOWED_HEADERS.join(',')],
  ['access-control-max-age', String(MAX_AGE)],
  ['vary', 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers'],
]);
const FLOOR_REFUSED = Object.freeze([['vary', 'Origin']]);

/**
 * The floor's answer: `{ headers: [name, value][], end: boolean }` (`end`: answer 204 now, it was a preflight).
 * The caller adds `access-control-allow-origin: <origin>` when `allowed`.
 */
export function floorAnswer(origin, method, requestMethod) {
  if (!FLOOR_ORIGINS.has(origin)) return FLOOR_REFUSED_ANSWER;
  return method === 'OPTIONS' && requestMethod !== undefined ? FLOOR_PREFLIGHT_ANSWER : FLOOR_ACTUAL_ANSWER;
}
const FLOOR_ACTUAL_ANSWER = Object.freeze({ allowed: true, headers: HEADERS_ONLY, end: false });
const FLOOR_PREFLIGHT_ANSWER = Object.freeze({ allowed: true, headers: FLOOR_PREFLIGHT, end: true });
const FLOOR_REFUSED_ANSWER = Object.freeze({ allowed: false, headers: FLOOR_REFUSED, end: false });

/** The floor as a Node-style middleware `(req, res, next)` (Express, Nest on Express). */
export function floorMiddleware(req, res, next) {
  const answer = floorAnswer(req.headers.origin, req.method, req.headers['access-control-request-method']);
  if (answer.allowed) res.setHeader('access-control-allow-origin', req.headers.origin);
  for (const [name, value] of answer.headers) res.setHeader(name, value);
  if (answer.end) {
    res.statusCode = 204;
    res.end();
  } else next();
}

/** The floor as a Fastify `onRequest` hook (Fastify, Nest on Fastify). */
export function floorHook(request, reply, done) {
  const answer = floorAnswer(request.headers.origin, request.method, request.headers['access-control-request-method']);
  if (answer.allowed) reply.header('access-control-allow-origin', request.headers.origin);
  for (const [name, value] of answer.headers) reply.header(name, value);
  if (answer.end) reply.code(204).send();
  else done();
}
