/**
 * The fix for a blocked request: the CORS configuration that allows exactly this request, written for polycors
 * and for the usual neighbours, plus what to change when configuration alone cannot help (status, redirect,
 * duplicated headers).
 */
import type { BrowserCorsError } from '@polycors/core';

export interface FixInput {
  origin: string;
  /** The method as the browser sends it. */
  method: string;
  /** Request header names the preflight asks for (lower-case). */
  requestHeaders: string[];
  credentials: boolean;
  /** Response headers the page wants to read but cannot. */
  exposeHeaders: string[];
}

export interface Fix {
  /** What to change, in one or two sentences. */
  summary: string;
  /** The configuration, per framework. */
  polycors: string;
  nestjs: string;
  fastify: string;
  koa: string;
  express: string;
  nginx: string;
}

interface Wanted {
  origin: string;
  methods?: string[];
  allowedHeaders?: string[];
  exposedHeaders?: string[];
  credentials?: true;
}

const SIMPLE_METHODS = new Set(['GET', 'HEAD', 'POST']);

function wantedOptions(input: FixInput): Wanted {
  const wanted: Wanted = { origin: input.origin };
  if (!SIMPLE_METHODS.has(input.method)) wanted.methods = ['GET', 'HEAD', 'POST', input.method];
  if (input.requestHeaders.length > 0) wanted.allowedHeaders = input.requestHeaders;
  if (input.exposeHeaders.length > 0) wanted.exposedHeaders = input.exposeHeaders;
  if (input.credentials) wanted.credentials = true;
  return wanted;
}

function literal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (value !== null && typeof value === 'object') {
    const parts = Object.entries(value).map(([k, v]) => `${k}: ${literal(v)}`);
    return `{ ${parts.join(', ')} }`;
  }
  return String(value);
}

function nginx(w: Wanted): string {
  const lines = [
    'location /api/ {',
    `    set $cors_origin "";`,
    `    if ($http_origin = "${w.origin}") { set $cors_origin $http_origin; }`,
    '    add_header Access-Control-Allow-Origin $cors_origin always;',
    '    add_header Vary Origin always;',
  ];
  if (w.credentials) lines.push('    add_header Access-Control-Allow-Credentials true always;');
  if (w.exposedHeaders) lines.push(`    add_header Access-Control-Expose-Headers "${w.exposedHeaders.join(', ')}" always;`);
  if (w.methods || w.allowedHeaders) {
    lines.push('    if ($request_method = OPTIONS) {');
    lines.push('        add_header Access-Control-Allow-Origin $cors_origin always;');
    lines.push('        add_header Vary Origin always;');
    if (w.credentials) lines.push('        add_header Access-Control-Allow-Credentials true always;');
    if (w.methods) lines.push(`        add_header Access-Control-Allow-Methods "${w.methods.join(', ')}" always;`);
    if (w.allowedHeaders) lines.push(`        add_header Access-Control-Allow-Headers "${w.allowedHeaders.join(', ')}" always;`);
    lines.push('        add_header Access-Control-Max-Age 600 always;');
    lines.push('        return 204;');
    lines.push('    }');
  }
  lines.push('    proxy_pass http://app;', '}');
  return lines.join('\n');
}

function summary(error: BrowserCorsError | undefined, input: FixInput): string {
  if (!error) {
    return `Expose ${input.exposeHeaders.join(', ')} so the page can read ${input.exposeHeaders.length === 1 ? 'it' : 'them'}.`;
  }
  const p = error.failedParameter ?? '';
  switch (error.code) {
    case 'missing-allow-origin-header':
      return error.at === 'preflight'
        ? `Let the CORS layer answer OPTIONS preflights for this path (before authentication, routing and error handlers), allowing ${input.origin}.`
        : `Allow ${input.origin} for this route, and make sure the CORS layer also runs for error responses.`;
    case 'multiple-allow-origin-values':
      return 'Set CORS headers in exactly one place: remove them from the proxy (nginx add_header) or from the app, and never join several origins into one value.';
    case 'invalid-allow-origin-value':
    case 'allow-origin-mismatch':
      return `Answer with the page's origin exactly as the browser sends it: '${input.origin}' (scheme, host and port, no trailing slash, lower case).`;
    case 'wildcard-origin-not-allowed':
      return `Requests with credentials need the exact origin, not *: allow '${input.origin}' and credentials.`;
    case 'invalid-allow-credentials':
      return `Send Access-Control-Allow-Credentials: true (exactly, lower case) on every response for ${input.origin}, preflights included.`;
    case 'preflight-invalid-status':
      return 'Answer preflights with 204 from the CORS layer, before authentication, routing or error handlers see them (a preflight never carries cookies or Authorization).';
    case 'preflight-disallowed-redirect':
      return 'Call the final URL directly (https, the trailing slash the server expects), or exempt OPTIONS from the redirect. No CORS header fixes a redirected preflight.';
    case 'invalid-allow-methods-preflight-response':
      return 'Access-Control-Allow-Methods must be a plain comma-separated list of method names, without quotes: let the CORS layer write it.';
    case 'invalid-allow-headers-preflight-response':
      return 'Access-Control-Allow-Headers must be a plain comma-separated list of header names, without quotes: let the CORS layer write it.';
    case 'method-disallowed-by-preflight-response':
      return p !== p.toUpperCase()
        ? `The page sends the method as '${p}' and methods are case-sensitive: write '${p.toUpperCase()}' in the page, or allow '${p}' as written.`
        : `Allow the ${p} method.`;
    case 'header-disallowed-by-preflight-response':
      return p === 'authorization'
        ? "List Authorization explicitly in the allowed headers: '*' never covers it."
        : `Allow the request header${input.requestHeaders.length > 1 ? 's' : ''} ${input.requestHeaders.join(', ')}.`;
  }
}

export function fixFor(error: BrowserCorsError | undefined, input: FixInput): Fix {
  const w = wantedOptions(
    error?.code === 'method-disallowed-by-preflight-response' && error.failedParameter !== error.failedParameter?.toUpperCase()
      ? { ...input, method: (error.failedParameter ?? input.method).toUpperCase() }
      : input,
  );
  const options = literal(w);
  const { origin: _origin, ...routeLevel } = w;
  const controller = Object.keys(routeLevel).length > 0 ? `\n// or on one controller, on top of the global policy: @Cors(${literal(routeLevel)})` : '';
  const route = Object.keys(routeLevel).length > 0 ? `\n// or on one route, on top of the global policy: app.patch('/path', corsRoute(${literal(routeLevel)}), handler)` : '';
  return {
    summary: summary(error, input),
    polycors: `createCorsPolicy(${options})`,
    nestjs: `CorsModule.forRoot(${options})  // @polycors/nestjs, in AppModule imports${controller}`,
    fastify: `await app.register(polycors, ${options})  // import { polycors } from '@polycors/fastify'`,
    koa: `app.use(cors(${options}))  // import { cors } from '@polycors/koa'`,
    express: `app.use(cors(${options}))  // import { cors } from '@polycors/express'; before any auth middleware${route}`,
    nginx: nginx(w),
  };
}
