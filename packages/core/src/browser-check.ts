/**
 * The browser's side of CORS: given the request a page makes and what the server answered, decide what the
 * browser does, exactly as the Fetch Standard and Chromium do, and say it in Chromium's own words.
 * Pure and dependency-free; `polycors doctor` feeds it real responses.
 */
import { type HeaderList, getCombined, headerEntries, parseTokenList, presentNames } from './browser/headers.js';
import {
  type BrowserCorsError,
  type Initiator,
  chromiumMessage,
  explainError,
} from './browser/messages.js';
import { analyseRequestHeaders, isSafelistedMethod, normaliseMethod } from './browser/request-side.js';
import { FORBIDDEN_RESPONSE_HEADERS } from './tokens.js';

export type { HeaderList as BrowserHeaderList } from './browser/headers.js';
export type { BrowserCorsError, BrowserCorsErrorCode, Initiator as BrowserInitiator } from './browser/messages.js';
export { chromiumMessage, explainError as explainBrowserCorsError } from './browser/messages.js';

export type BrowserCredentialsMode = 'omit' | 'same-origin' | 'include';

/** The request a page makes (`fetch(url, { method, headers, credentials })` from `origin`). */
export interface BrowserRequest {
  url: string;
  /** The page's origin, e.g. `http://localhost:5173`. */
  origin: string;
  /** Default `GET`. */
  method?: string;
  /** Headers the page sets. */
  headers?: HeaderList;
  /** Default `same-origin` (fetch's default: no credentials on cross-origin requests). */
  credentials?: BrowserCredentialsMode;
  /** Response headers the page wants to read (`response.headers.get(...)`). */
  readHeaders?: readonly string[];
  /** Default `fetch`; changes only the wording of the message. */
  initiator?: Initiator;
}

/** What the server answered. */
export interface BrowserResponse {
  status: number;
  /** Response headers; a name may carry several values (several header lines). */
  headers: HeaderList;
  /** The response is a redirect (for a preflight: always refused). A 3xx with a Location header counts too. */
  redirected?: boolean;
}

export interface PreflightPlan {
  /** The page's origin differs from the URL's: CORS applies at all. */
  crossOrigin: boolean;
  preflightNeeded: boolean;
  /** Why a preflight is needed, in plain words. */
  preflightReasons: string[];
  /** The method as the browser sends it (`put` becomes `PUT`, `patch` stays `patch`). */
  method: string;
  /** Headers the browser sends on the actual request ([lower-case name, value]), forbidden ones removed. */
  requestHeaders: [string, string][];
  /** The headers of the preflight: Origin, Access-Control-Request-Method and, if any, Access-Control-Request-Headers. */
  preflightHeaders: [string, string][];
  /** Headers the page tried to set that the browser drops silently (forbidden request headers). */
  droppedHeaders: string[];
  /** The page's origin, serialised the way the browser sends it. */
  origin: string;
  /** The URL, serialised the way the browser prints it. */
  url: string;
}

export interface PreflightVerdict {
  ok: boolean;
  error?: BrowserCorsError;
  /** How long the browser keeps this preflight answer (Access-Control-Max-Age, capped at 7200; default 5). */
  cacheSeconds?: number;
  notes: string[];
}

export interface ActualVerdict {
  ok: boolean;
  error?: BrowserCorsError;
  /** Names of the response headers the page can read, lower-case, sorted. */
  readableHeaders: string[];
  notes: string[];
}

export interface BrowserCheckResult {
  allowed: boolean;
  crossOrigin: boolean;
  preflightNeeded: boolean;
  preflightReasons: string[];
  blockedAt?: 'preflight' | 'actual';
  error?: BrowserCorsError;
  /** Chromium's console message, word for word. */
  message?: string;
  /** The failure in plain words. */
  cause?: string;
  /** Response headers present in the actual response that the page can read, lower-case, sorted. */
  readableHeaders: string[];
  /** Headers of `readHeaders` the page cannot read (absent, or not exposed). */
  unreadableHeaders: string[];
  preflightCacheSeconds?: number;
  /** Things worth knowing that do not block: dropped headers, browser differences, Max-Age capping. */
  notes: string[];
}

/** Chromium's ceiling for Access-Control-Max-Age, in seconds. */
export const PREFLIGHT_CACHE_MAX_SECONDS = 7200;
/** How long Chromium caches a preflight without Access-Control-Max-Age. */
export const PREFLIGHT_CACHE_DEFAULT_SECONDS = 5;

/** Response headers every page can read. */
export const SAFELISTED_RESPONSE_HEADERS: readonly string[] = Object.freeze([
  'cache-control', 'content-language', 'content-length', 'content-type', 'expires', 'last-modified', 'pragma',
]);

function serialiseOrigin(origin: string): string {
  if (origin === 'null') return origin;
  const url = new URL(origin);
  return url.origin;
}

/** Step 1: what the browser sends, and whether it sends a preflight first. */
export function planBrowserRequest(request: BrowserRequest): PreflightPlan {
  const target = new URL(request.url);
  const origin = serialiseOrigin(request.origin);
  const crossOrigin = target.origin !== origin;
  const method = normaliseMethod(request.method ?? 'GET');
  const headers = analyseRequestHeaders(request.headers);
  const reasons: string[] = [];
  if (crossOrigin) {
    if (!isSafelistedMethod(method)) reasons.push(`${method} is not a CORS-safelisted method (GET, HEAD, POST)`);
    reasons.push(...headers.reasons);
  }
  const preflightNeeded = reasons.length > 0;
  const preflightHeaders: [string, string][] = [
    ['origin', origin],
    ['access-control-request-method', method],
  ];
  if (headers.unsafeNames.length > 0) preflightHeaders.push(['access-control-request-headers', headers.unsafeNames.join(',')]);
  return {
    crossOrigin,
    preflightNeeded,
    preflightReasons: reasons,
    method,
    requestHeaders: headers.sent,
    preflightHeaders: preflightNeeded ? preflightHeaders : [],
    droppedHeaders: headers.dropped,
    origin,
    url: target.href,
  };
}

function isRedirect(response: BrowserResponse, entries: [string, string][]): boolean {
  if (response.redirected) return true;
  return [301, 302, 303, 307, 308].includes(response.status) && entries.some(([n]) => n === 'location');
}

/** The CORS check (Fetch Standard "CORS check", in Chromium's order and with Chromium's diagnoses). */
function corsCheck(
  entries: [string, string][],
  origin: string,
  credentials: BrowserCredentialsMode,
  at: 'preflight' | 'actual',
): BrowserCorsError | undefined {
  const acao = getCombined(entries, 'access-control-allow-origin');
  const include = credentials === 'include';
  if (acao === '*') {
    if (include) return { code: 'wildcard-origin-not-allowed', at };
    return undefined;
  }
  if (acao === undefined) return { code: 'missing-allow-origin-header', at };
  if (acao !== origin) {
    if (/[ ,]/.test(acao)) return { code: 'multiple-allow-origin-values', at, failedParameter: acao };
    if (acao !== 'null' && !URL.canParse(acao)) return { code: 'invalid-allow-origin-value', at, failedParameter: acao };
    return { code: 'allow-origin-mismatch', at, failedParameter: acao };
  }
  if (include) {
    const acac = getCombined(entries, 'access-control-allow-credentials');
    if (acac !== 'true') return { code: 'invalid-allow-credentials', at, failedParameter: acac ?? '' };
  }
  return undefined;
}

/** Step 2: does the preflight answer let the actual request go? */
export function checkPreflight(request: BrowserRequest, response: BrowserResponse, plan = planBrowserRequest(request)): PreflightVerdict {
  const entries = headerEntries(response.headers);
  const credentials = request.credentials ?? 'same-origin';
  const include = credentials === 'include';
  const notes: string[] = [];
  const fail = (error: BrowserCorsError): PreflightVerdict => ({ ok: false, error, notes });
  if (isRedirect(response, entries)) return fail({ code: 'preflight-disallowed-redirect', at: 'preflight' });
  const access = corsCheck(entries, plan.origin, credentials, 'preflight');
  if (access) return fail(access);
  if (response.status < 200 || response.status > 299) return fail({ code: 'preflight-invalid-status', at: 'preflight' });

  const methods = parseTokenList(getCombined(entries, 'access-control-allow-methods'));
  const headers = parseTokenList(getCombined(entries, 'access-control-allow-headers'));
  if (methods === undefined) return fail({ code: 'invalid-allow-methods-preflight-response', at: 'preflight' });
  if (headers === undefined) return fail({ code: 'invalid-allow-headers-preflight-response', at: 'preflight' });

  // Methods: case-sensitive (the request method was already normalised); `*` only without credentials.
  const methodAllowed =
    isSafelistedMethod(plan.method) || methods.includes(plan.method) || (!include && methods.includes('*'));
  if (!methodAllowed) {
    return fail({ code: 'method-disallowed-by-preflight-response', at: 'preflight', failedParameter: plan.method });
  }

  // Headers: case-insensitive; `*` only without credentials, and never for Authorization.
  const allowed = new Set(headers.map((h) => h.toLowerCase()));
  const wildcard = !include && allowed.has('*');
  const requested = plan.preflightHeaders.find(([n]) => n === 'access-control-request-headers')?.[1];
  const names = requested ? requested.split(',') : [];
  const refused = names.filter((name) =>
    wildcard ? name === 'authorization' && !allowed.has('authorization') : !allowed.has(name),
  );
  if (refused.length > 0) {
    if (refused.length > 1) {
      notes.push(
        `Several request headers are not allowed (${refused.join(', ')}); Chromium names one of them, ` +
          `in the order of its internal header map, not necessarily ${refused[0]}.`,
      );
    }
    if (wildcard) {
      notes.push(
        "Chromium without the CorsNonWildcardRequestHeadersSupport feature still lets '*' cover Authorization; " +
          'Firefox, Safari and the Fetch Standard do not.',
      );
    }
    return { ok: false, error: { code: 'header-disallowed-by-preflight-response', at: 'preflight', failedParameter: refused[0] }, notes };
  }

  const maxAge = getCombined(entries, 'access-control-max-age');
  let cacheSeconds = PREFLIGHT_CACHE_DEFAULT_SECONDS;
  if (maxAge !== undefined) {
    cacheSeconds = /^\d+$/.test(maxAge) ? Math.min(Number(maxAge), PREFLIGHT_CACHE_MAX_SECONDS) : 0;
    if (cacheSeconds === 0 && maxAge !== '0') notes.push(`Access-Control-Max-Age '${maxAge}' is not a number: the answer is not cached.`);
    if (Number(maxAge) > PREFLIGHT_CACHE_MAX_SECONDS) notes.push(`Access-Control-Max-Age ${maxAge} is capped by Chromium at ${PREFLIGHT_CACHE_MAX_SECONDS} seconds.`);
  }
  return { ok: true, cacheSeconds, notes };
}

/** Response header names the page may read from this (CORS-passing) response. */
export function readableResponseHeaders(response: BrowserResponse, credentials: BrowserCredentialsMode = 'same-origin'): string[] {
  const entries = headerEntries(response.headers);
  const exposed = parseTokenList(getCombined(entries, 'access-control-expose-headers')) ?? [];
  const exposedSet = new Set(exposed.map((h) => h.toLowerCase()));
  const all = credentials !== 'include' && exposedSet.has('*');
  return presentNames(entries).filter((name) => {
    if (FORBIDDEN_RESPONSE_HEADERS.has(name)) return false;
    return all || SAFELISTED_RESPONSE_HEADERS.includes(name) || exposedSet.has(name);
  });
}

/** Step 3: does the actual answer reach the page, and which of its headers can the page read? */
export function checkActual(request: BrowserRequest, response: BrowserResponse, plan = planBrowserRequest(request)): ActualVerdict {
  const entries = headerEntries(response.headers);
  const credentials = request.credentials ?? 'same-origin';
  if (!plan.crossOrigin) return { ok: true, readableHeaders: presentNames(entries).filter((n) => !FORBIDDEN_RESPONSE_HEADERS.has(n)), notes: [] };
  const error = corsCheck(entries, plan.origin, credentials, 'actual');
  if (error) return { ok: false, error, readableHeaders: [], notes: [] };
  const notes: string[] = [];
  if (isRedirect(response, entries)) {
    notes.push('The response is a redirect: the browser follows it and checks CORS again on the next response.');
  }
  return { ok: true, readableHeaders: readableResponseHeaders(response, credentials), notes };
}

export interface BrowserCheckInput {
  request: BrowserRequest;
  /** Required when the plan says a preflight is needed. */
  preflight?: BrowserResponse;
  /** Required unless the preflight is refused (the browser then never sends the actual request). */
  actual?: BrowserResponse;
}

/** The whole check: plan, preflight, actual. */
export function browserCheck(input: BrowserCheckInput): BrowserCheckResult {
  const { request } = input;
  const plan = planBrowserRequest(request);
  const initiator = request.initiator ?? 'fetch';
  const notes: string[] = plan.droppedHeaders.map(
    (name) => `The browser does not let a page set ${name}: it is dropped from the request.`,
  );
  const base = {
    crossOrigin: plan.crossOrigin,
    preflightNeeded: plan.preflightNeeded,
    preflightReasons: plan.preflightReasons,
  };
  const blocked = (error: BrowserCorsError, extraNotes: string[], preflightCacheSeconds?: number): BrowserCheckResult => ({
    ...base,
    allowed: false,
    blockedAt: error.at,
    error,
    message: chromiumMessage(error, { url: plan.url, origin: plan.origin, initiator }),
    cause: explainError(error, plan.origin),
    readableHeaders: [],
    unreadableHeaders: [...(request.readHeaders ?? [])].map((h) => h.toLowerCase()),
    ...(preflightCacheSeconds === undefined ? {} : { preflightCacheSeconds }),
    notes: [...notes, ...extraNotes],
  });

  let preflightCacheSeconds: number | undefined;
  if (plan.preflightNeeded) {
    if (!input.preflight) throw new TypeError('browserCheck: this request needs a preflight; pass the preflight response');
    const verdict = checkPreflight(request, input.preflight, plan);
    if (!verdict.ok) return blocked(verdict.error!, verdict.notes);
    preflightCacheSeconds = verdict.cacheSeconds;
    notes.push(...verdict.notes);
  }
  if (!input.actual) throw new TypeError('browserCheck: pass the actual response');
  const actual = checkActual(request, input.actual, plan);
  if (!actual.ok) return blocked(actual.error!, actual.notes, preflightCacheSeconds);
  const wanted = (request.readHeaders ?? []).map((h) => h.toLowerCase());
  return {
    ...base,
    allowed: true,
    readableHeaders: actual.readableHeaders,
    unreadableHeaders: wanted.filter((h) => !actual.readableHeaders.includes(h)),
    ...(preflightCacheSeconds === undefined ? {} : { preflightCacheSeconds }),
    notes: [...notes, ...actual.notes],
  };
}
