/**
 * A catalogue of server behaviours, right and wrong, as plain hand-written `node:http` handlers: the CORS
 * situations developers actually meet (missing header, trailing slash, two values, `*` with credentials,
 * preflight 401/404/redirect, method case, headers not allowed, exposed headers, Max-Age, ...).
 *
 * Each behaviour says what the page does (`request`) and what the browser decides (`expect`, checked against
 * real Chromium by packages/cli/test/chromium-agreement.spec.ts). Import it by relative path (it is test support,
 * never published) and serve it with `startBehaviourServer()`.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserCorsErrorCode } from '@polycors/core';

export interface BehaviourRequest {
  method?: string;
  headers?: Record<string, string>;
  credentials?: 'omit' | 'same-origin' | 'include';
  /** Response headers the page reads. */
  readHeaders?: string[];
}

export interface Behaviour {
  /** Unique, URL-safe: the server serves it at `/<name>` (anything after it, e.g. `?u=1`, is ignored). */
  name: string;
  description: string;
  request: BehaviourRequest;
  expect: {
    allowed: boolean;
    blockedAt?: 'preflight' | 'actual';
    error?: BrowserCorsErrorCode;
    /** Chromium names one of several refused request headers, in its internal map's order: any of these. */
    failedParameterOneOf?: string[];
    /** Headers the page can read when allowed (exactly; lower-case, sorted). */
    readableHeaders?: string[];
  };
  /** The server's side. `origin` is the request's Origin header ('' when absent). */
  handle(req: IncomingMessage, res: ServerResponse, origin: string): void;
}

type Headers = Record<string, string | string[]>;

function send(res: ServerResponse, status: number, headers: Headers, body = 'ok'): void {
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(body);
}

const isPreflight = (req: IncomingMessage) => req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;

/** A handler that answers preflights with `preflight` headers (and `preflightStatus`) and other requests with `actual`. */
function split(preflight: (o: string) => Headers, actual: (o: string) => Headers, preflightStatus = 204, actualStatus = 200) {
  return (req: IncomingMessage, res: ServerResponse, origin: string) =>
    isPreflight(req) ? send(res, preflightStatus, preflight(origin), '') : send(res, actualStatus, actual(origin));
}
/** The same CORS headers on every response. */
const always = (headers: (o: string) => Headers, status = 200) => split(headers, headers, status === 200 ? 204 : status, status);

const acao = (o: string) => ({ 'Access-Control-Allow-Origin': o });
const withCredentials = (o: string) => ({ 'Access-Control-Allow-Origin': o, 'Access-Control-Allow-Credentials': 'true' });
const none = () => ({});

export const BEHAVIOURS: readonly Behaviour[] = [
  // Simple requests: the actual response alone decides.
  { name: 'allowed-exact-origin', description: 'GET answered with the exact origin', request: {},
    expect: { allowed: true }, handle: always(acao) },
  { name: 'allowed-star', description: 'GET answered with Access-Control-Allow-Origin: *', request: {},
    expect: { allowed: true }, handle: always(() => ({ 'Access-Control-Allow-Origin': '*' })) },
  { name: 'missing-acao', description: 'no CORS headers at all (CORS not configured, or the origin refused)', request: {},
    expect: { allowed: false, blockedAt: 'actual', error: 'missing-allow-origin-header' }, handle: always(none) },
  { name: 'acao-trailing-slash', description: 'the configured origin has a trailing slash', request: {},
    expect: { allowed: false, blockedAt: 'actual', error: 'allow-origin-mismatch' }, handle: always((o) => acao(`${o}/`)) },
  { name: 'acao-other-origin', description: 'a fixed origin that is not the page\'s', request: {},
    expect: { allowed: false, blockedAt: 'actual', error: 'allow-origin-mismatch' }, handle: always(() => acao('https://app.example.com')) },
  { name: 'acao-upper-case', description: 'the origin in upper case', request: {},
    expect: { allowed: false, blockedAt: 'actual', error: 'allow-origin-mismatch' }, handle: always((o) => acao(o.toUpperCase())) },
  { name: 'acao-null', description: 'Access-Control-Allow-Origin: null', request: {},
    expect: { allowed: false, blockedAt: 'actual', error: 'allow-origin-mismatch' }, handle: always(() => acao('null')) },
  { name: 'acao-invalid', description: 'a bare host name instead of an origin', request: {},
    expect: { allowed: false, blockedAt: 'actual', error: 'invalid-allow-origin-value' }, handle: always(() => acao('localhost')) },
  { name: 'acao-empty', description: 'an empty Access-Control-Allow-Origin', request: {},
    expect: { allowed: false, blockedAt: 'actual', error: 'invalid-allow-origin-value' }, handle: always(() => acao('')) },
  { name: 'acao-two-lines', description: 'the header sent twice (app and proxy both add it)', request: {},
    expect: { allowed: false, blockedAt: 'actual', error: 'multiple-allow-origin-values' },
    handle: always((o) => ({ 'Access-Control-Allow-Origin': [o, o] })) },
  { name: 'acao-origin-and-star', description: 'the origin from the app and * from a proxy', request: {},
    expect: { allowed: false, blockedAt: 'actual', error: 'multiple-allow-origin-values' },
    handle: always((o) => ({ 'Access-Control-Allow-Origin': [o, '*'] })) },
  { name: 'acao-comma-list', description: 'the allow-list joined into one value', request: {},
    expect: { allowed: false, blockedAt: 'actual', error: 'multiple-allow-origin-values' },
    handle: always((o) => acao(`${o},https://admin.example.com`)) },
  { name: 'actual-500-with-cors', description: 'a 500 that keeps its CORS headers still reaches the page', request: {},
    expect: { allowed: true }, handle: always(acao, 500) },
  { name: 'actual-404-without-cors', description: 'a 404 from a handler that runs before CORS', request: {},
    expect: { allowed: false, blockedAt: 'actual', error: 'missing-allow-origin-header' }, handle: always(none, 404) },
  { name: 'simple-form-post', description: 'POST with text/plain needs no preflight', request: { method: 'POST', headers: { 'Content-Type': 'text/plain;charset=UTF-8' } },
    expect: { allowed: true }, handle: split(none, acao, 405) },

  // Credentials.
  { name: 'star-with-credentials', description: '* answered to a request with credentials', request: { credentials: 'include' },
    expect: { allowed: false, blockedAt: 'actual', error: 'wildcard-origin-not-allowed' },
    handle: always(() => ({ 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Credentials': 'true' })) },
  { name: 'credentials-acac-missing', description: 'exact origin, but no Access-Control-Allow-Credentials', request: { credentials: 'include' },
    expect: { allowed: false, blockedAt: 'actual', error: 'invalid-allow-credentials' }, handle: always(acao) },
  { name: 'credentials-acac-capitalised', description: 'Access-Control-Allow-Credentials: True', request: { credentials: 'include' },
    expect: { allowed: false, blockedAt: 'actual', error: 'invalid-allow-credentials' },
    handle: always((o) => ({ ...acao(o), 'Access-Control-Allow-Credentials': 'True' })) },
  { name: 'credentials-allowed', description: 'exact origin and Access-Control-Allow-Credentials: true', request: { credentials: 'include' },
    expect: { allowed: true }, handle: always(withCredentials) },

  // Preflight status, redirect, origin.
  { name: 'preflight-missing-acao', description: 'the preflight is answered 204 without CORS headers', request: { method: 'PUT' },
    expect: { allowed: false, blockedAt: 'preflight', error: 'missing-allow-origin-header' }, handle: split(none, acao) },
  { name: 'preflight-404-with-cors', description: 'no OPTIONS route; CORS headers added to every response (nginx add_header always)', request: { method: 'PUT' },
    expect: { allowed: false, blockedAt: 'preflight', error: 'preflight-invalid-status' },
    handle: split((o) => ({ ...acao(o), 'Access-Control-Allow-Methods': 'PUT' }), acao, 404) },
  { name: 'preflight-404-without-cors', description: 'no OPTIONS route and no CORS headers on the 404', request: { method: 'PUT' },
    expect: { allowed: false, blockedAt: 'preflight', error: 'missing-allow-origin-header' }, handle: split(none, acao, 404) },
  { name: 'preflight-401-auth-first', description: 'an auth guard answers the preflight 401 before CORS runs', request: { method: 'DELETE', headers: { Authorization: 'Bearer token' } },
    expect: { allowed: false, blockedAt: 'preflight', error: 'missing-allow-origin-header' }, handle: split(none, acao, 401) },
  { name: 'preflight-401-with-cors', description: 'CORS headers set, then the auth guard answers the preflight 401', request: { method: 'DELETE' },
    expect: { allowed: false, blockedAt: 'preflight', error: 'preflight-invalid-status' },
    handle: split((o) => ({ ...acao(o), 'Access-Control-Allow-Methods': 'DELETE' }), acao, 401) },
  { name: 'preflight-500-with-cors', description: 'the preflight reaches a handler that throws', request: { method: 'PATCH' },
    expect: { allowed: false, blockedAt: 'preflight', error: 'preflight-invalid-status' },
    handle: split((o) => ({ ...acao(o), 'Access-Control-Allow-Methods': 'PATCH' }), acao, 500) },
  { name: 'preflight-redirect', description: 'the preflight is redirected (http to https, trailing slash)', request: { method: 'PUT' },
    expect: { allowed: false, blockedAt: 'preflight', error: 'preflight-disallowed-redirect' },
    handle: (req, res, o) => (isPreflight(req) ? send(res, 301, { ...acao(o), Location: '/preflight-redirect/' }, '') : send(res, 200, acao(o))) },
  { name: 'preflight-status-299', description: 'any 2xx is an ok status', request: { method: 'PUT' },
    expect: { allowed: true }, handle: split((o) => ({ ...acao(o), 'Access-Control-Allow-Methods': 'PUT' }), acao, 299) },
  { name: 'preflight-star-with-credentials', description: 'the preflight answers * to a request with credentials', request: { method: 'PUT', credentials: 'include' },
    expect: { allowed: false, blockedAt: 'preflight', error: 'wildcard-origin-not-allowed' },
    handle: split(() => ({ 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'PUT', 'Access-Control-Allow-Credentials': 'true' }), withCredentials) },
  { name: 'preflight-acac-missing', description: 'the preflight lacks Access-Control-Allow-Credentials', request: { method: 'PUT', credentials: 'include' },
    expect: { allowed: false, blockedAt: 'preflight', error: 'invalid-allow-credentials' },
    handle: split((o) => ({ ...acao(o), 'Access-Control-Allow-Methods': 'PUT' }), withCredentials) },
  { name: 'preflight-two-acao', description: 'the preflight carries the origin twice', request: { method: 'PUT' },
    expect: { allowed: false, blockedAt: 'preflight', error: 'multiple-allow-origin-values' },
    handle: split((o) => ({ 'Access-Control-Allow-Origin': [o, o], 'Access-Control-Allow-Methods': 'PUT' }), acao) },
  { name: 'preflight-ok-actual-missing-acao', description: 'the preflight passes, the actual response has no CORS headers', request: { method: 'PUT' },
    expect: { allowed: false, blockedAt: 'actual', error: 'missing-allow-origin-header' },
    handle: split((o) => ({ ...acao(o), 'Access-Control-Allow-Methods': 'PUT' }), none) },

  // Methods.
  { name: 'method-not-allowed', description: 'PATCH is missing from Access-Control-Allow-Methods', request: { method: 'PATCH' },
    expect: { allowed: false, blockedAt: 'preflight', error: 'method-disallowed-by-preflight-response' },
    handle: split((o) => ({ ...acao(o), 'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE' }), acao) },
  { name: 'method-case', description: 'the page writes patch; the server allows PATCH (case-sensitive)', request: { method: 'patch' },
    expect: { allowed: false, blockedAt: 'preflight', error: 'method-disallowed-by-preflight-response' },
    handle: split((o) => ({ ...acao(o), 'Access-Control-Allow-Methods': 'PATCH' }), acao) },
  { name: 'method-normalised', description: 'the page writes put; the browser sends PUT', request: { method: 'put' },
    expect: { allowed: true }, handle: split((o) => ({ ...acao(o), 'Access-Control-Allow-Methods': 'PUT' }), acao) },
  { name: 'method-star', description: 'Access-Control-Allow-Methods: * without credentials', request: { method: 'DELETE' },
    expect: { allowed: true }, handle: split((o) => ({ ...acao(o), 'Access-Control-Allow-Methods': '*' }), acao) },
  { name: 'method-star-with-credentials', description: '* is only a method name for requests with credentials', request: { method: 'DELETE', credentials: 'include' },
    expect: { allowed: false, blockedAt: 'preflight', error: 'method-disallowed-by-preflight-response' },
    handle: split((o) => ({ ...withCredentials(o), 'Access-Control-Allow-Methods': '*' }), withCredentials) },
  { name: 'methods-two-lines', description: 'Access-Control-Allow-Methods on two lines', request: { method: 'DELETE' },
    expect: { allowed: true }, handle: split((o) => ({ ...acao(o), 'Access-Control-Allow-Methods': ['GET', 'DELETE'] }), acao) },
  { name: 'methods-unparsable', description: 'Access-Control-Allow-Methods holds a quoted string', request: { method: 'PUT' },
    expect: { allowed: false, blockedAt: 'preflight', error: 'invalid-allow-methods-preflight-response' },
    handle: split((o) => ({ ...acao(o), 'Access-Control-Allow-Methods': 'PUT, "PATCH"' }), acao) },

  // Request headers.
  { name: 'header-not-allowed', description: 'x-app-version is missing from Access-Control-Allow-Headers', request: { headers: { 'X-App-Version': '1.4.2' } },
    expect: { allowed: false, blockedAt: 'preflight', error: 'header-disallowed-by-preflight-response' },
    handle: split((o) => ({ ...acao(o), 'Access-Control-Allow-Headers': 'Content-Type' }), acao) },
  { name: 'header-case-insensitive', description: 'header names match whatever their case', request: { headers: { 'X-App-Version': '1.4.2' } },
    expect: { allowed: true }, handle: split((o) => ({ ...acao(o), 'Access-Control-Allow-Headers': 'X-APP-VERSION' }), acao) },
  { name: 'json-content-type', description: 'POST application/json needs content-type allowed', request: { method: 'POST', headers: { 'Content-Type': 'application/json' } },
    expect: { allowed: false, blockedAt: 'preflight', error: 'header-disallowed-by-preflight-response' }, handle: split(acao, acao) },
  { name: 'content-type-unsafe-byte', description: 'a quoted charset makes text/plain need a preflight', request: { method: 'POST', headers: { 'Content-Type': 'text/plain; charset="utf-8"' } },
    expect: { allowed: false, blockedAt: 'preflight', error: 'header-disallowed-by-preflight-response' }, handle: split(acao, acao) },
  { name: 'accept-over-128-bytes', description: 'an Accept value over 128 bytes needs a preflight', request: { headers: { Accept: `application/json;q=0.9,${'x'.repeat(120)}` } },
    expect: { allowed: false, blockedAt: 'preflight', error: 'header-disallowed-by-preflight-response' }, handle: split(acao, acao) },
  { name: 'range-two-ranges', description: 'a Range with two ranges needs a preflight; the server allows it', request: { headers: { Range: 'bytes=0-1,4-5' } },
    expect: { allowed: true }, handle: split((o) => ({ ...acao(o), 'Access-Control-Allow-Headers': 'range' }), acao) },
  { name: 'authorization-under-star', description: 'Authorization is never covered by Access-Control-Allow-Headers: *', request: { headers: { Authorization: 'Bearer token' } },
    expect: { allowed: false, blockedAt: 'preflight', error: 'header-disallowed-by-preflight-response' },
    handle: split((o) => ({ ...acao(o), 'Access-Control-Allow-Headers': '*' }), acao) },
  { name: 'authorization-listed', description: 'Authorization listed next to *', request: { headers: { Authorization: 'Bearer token', 'X-Trace': '1' } },
    expect: { allowed: true }, handle: split((o) => ({ ...acao(o), 'Access-Control-Allow-Headers': '*, Authorization' }), acao) },
  { name: 'header-star-with-credentials', description: '* is only a header name for requests with credentials', request: { credentials: 'include', headers: { 'X-App-Version': '1' } },
    expect: { allowed: false, blockedAt: 'preflight', error: 'header-disallowed-by-preflight-response' },
    handle: split((o) => ({ ...withCredentials(o), 'Access-Control-Allow-Headers': '*' }), withCredentials) },
  { name: 'headers-unparsable', description: 'Access-Control-Allow-Headers holds a quoted string', request: { headers: { 'X-App-Version': '1' } },
    expect: { allowed: false, blockedAt: 'preflight', error: 'invalid-allow-headers-preflight-response' },
    handle: split((o) => ({ ...acao(o), 'Access-Control-Allow-Headers': 'x-app-version, "x-b"' }), acao) },
  { name: 'several-headers-not-allowed', description: 'two headers missing from Access-Control-Allow-Headers', request: { headers: { 'X-Alpha': '1', 'X-Zeta': '2' } },
    expect: { allowed: false, blockedAt: 'preflight', error: 'header-disallowed-by-preflight-response', failedParameterOneOf: ['x-alpha', 'x-zeta'] },
    handle: split(acao, acao) },

  // Response headers the page can read, and preflight caching.
  { name: 'exposed-header', description: 'X-List-Version exposed', request: { readHeaders: ['X-List-Version'] },
    expect: { allowed: true, readableHeaders: ['content-length', 'content-type', 'x-list-version'] },
    handle: always((o) => ({ ...acao(o), 'Access-Control-Expose-Headers': 'X-List-Version', 'X-List-Version': '7', 'X-Internal': 'a', 'Content-Type': 'text/plain' })) },
  { name: 'header-not-exposed', description: 'X-List-Version sent but not exposed: the page reads null', request: { readHeaders: ['X-List-Version'] },
    expect: { allowed: true, readableHeaders: ['cache-control', 'content-length'] },
    handle: always((o) => ({ ...acao(o), 'X-List-Version': '7', 'Cache-Control': 'no-store' })) },
  { name: 'expose-star', description: 'Access-Control-Expose-Headers: * exposes all but Set-Cookie', request: { readHeaders: ['X-List-Version'] },
    expect: { allowed: true },
    handle: always(() => ({ 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': '*', 'X-List-Version': '7', 'Set-Cookie': 'a=b' })) },
  { name: 'expose-star-with-credentials', description: '* is only a header name for requests with credentials', request: { credentials: 'include', readHeaders: ['X-List-Version'] },
    expect: { allowed: true, readableHeaders: ['content-length', 'x-b'] },
    handle: always((o) => ({ ...withCredentials(o), 'Access-Control-Expose-Headers': '*, X-B', 'X-List-Version': '7', 'X-B': '1' })) },
  { name: 'max-age', description: 'Access-Control-Max-Age: 600', request: { method: 'PUT' },
    expect: { allowed: true }, handle: split((o) => ({ ...acao(o), 'Access-Control-Allow-Methods': 'PUT', 'Access-Control-Max-Age': '600' }), acao) },
  { name: 'max-age-invalid', description: 'Access-Control-Max-Age that is not a number does not block', request: { method: 'PUT' },
    expect: { allowed: true }, handle: split((o) => ({ ...acao(o), 'Access-Control-Allow-Methods': 'PUT', 'Access-Control-Max-Age': 'ten' }), acao) },
];

export interface BehaviourServer {
  port: number;
  /** `http://127.0.0.1:<port>/<name>`, plus `suffix` (use a unique query: Chromium caches preflights 5 s). */
  url(name: string, suffix?: string): string;
  /** Requests received, in order: method, path, and the preflight's request headers. */
  readonly log: { method: string; url: string; origin?: string; requestMethod?: string; requestHeaders?: string }[];
  close(): Promise<void>;
}

/** Serves every behaviour at `/<name>` on 127.0.0.1 (port 0 unless given). */
export async function startBehaviourServer(behaviours: readonly Behaviour[] = BEHAVIOURS, port = 0): Promise<BehaviourServer> {
  const byName = new Map(behaviours.map((b) => [b.name, b]));
  const log: BehaviourServer['log'] = [];
  const server = http.createServer((req, res) => {
    const name = (req.url ?? '/').split(/[/?#]/)[1] ?? '';
    const origin = req.headers.origin ?? '';
    log.push({
      method: req.method ?? '',
      url: req.url ?? '',
      ...(req.headers.origin ? { origin } : {}),
      ...(req.headers['access-control-request-method'] ? { requestMethod: String(req.headers['access-control-request-method']) } : {}),
      ...(req.headers['access-control-request-headers'] ? { requestHeaders: String(req.headers['access-control-request-headers']) } : {}),
    });
    const behaviour = byName.get(name);
    req.resume();
    if (!behaviour) return send(res, 404, {}, 'no such behaviour');
    behaviour.handle(req, res, origin);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actualPort = (server.address() as AddressInfo).port;
  return {
    port: actualPort,
    url: (name, suffix = '') => `http://127.0.0.1:${actualPort}/${name}${suffix}`,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
