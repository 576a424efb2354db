/**
 * polycors doctor: make the requests a browser would make, in the order it would make them, and judge each answer
 * with @polycors/core's browserCheck. Blocked at the preflight means the actual request is never sent.
 */
import http from 'node:http';
import https from 'node:https';
import {
  type BrowserCorsError,
  type BrowserRequest,
  chromiumMessage,
  checkActual,
  explainBrowserCorsError,
  checkPreflight,
  planBrowserRequest,
} from '@polycors/core';
import { type Fix, type FixInput, fixFor } from './fixes.js';
import { type ReceivedResponse, type SentRequest, exchange } from './http.js';

export interface DoctorOptions {
  url: string;
  /** The page's origin. */
  origin: string;
  method?: string;
  /** Request headers the page sets, as [name, value]. */
  headers?: [string, string][];
  /** The page uses `credentials: 'include'` (cookies, HTTP auth). */
  credentials?: boolean;
  /**
   * Cookies the browser holds for the URL (`name=value`), sent on the actual request as a browser would with
   * credentials: 'include' (never on the preflight), so endpoints behind a session cookie answer past their 401.
   */
  cookies?: string[];
  /** Response headers the page wants to read. */
  readHeaders?: string[];
  /** Per request, default 10 000 ms. */
  timeoutMs?: number;
  /** Accept self-signed certificates. */
  insecure?: boolean;
}

export interface DoctorStep {
  request: SentRequest;
  response: {
    status: number;
    statusText: string;
    /** Every header line of the response. */
    headers: [string, string][];
    /** The lines that matter for CORS (Access-Control-*, Vary, Location, and the headers the page reads). */
    corsHeaders: [string, string][];
  };
  /** The browser accepts this answer. */
  ok: boolean;
}

export interface DoctorReport {
  schemaVersion: 1;
  url: string;
  origin: string;
  method: string;
  credentials: 'include' | 'same-origin';
  crossOrigin: boolean;
  verdict: 'allowed' | 'blocked';
  preflight: { needed: boolean; reasons: string[]; step?: DoctorStep; cacheSeconds?: number };
  /** Absent when the preflight was refused: the browser never sends the actual request. */
  actual?: DoctorStep;
  blockedAt?: 'preflight' | 'actual';
  error?: BrowserCorsError;
  message?: string;
  cause?: string;
  fix?: Fix;
  readableHeaders: string[];
  unreadableHeaders: string[];
  notes: string[];
}

const USER_AGENT = 'polycors-doctor/0.1 (+https://github.com/polycors)';

function corsLines(headers: [string, string][], read: string[]): [string, string][] {
  const wanted = new Set(read.map((h) => h.toLowerCase()));
  return headers.filter(([name]) => {
    const lower = name.toLowerCase();
    return lower.startsWith('access-control-') || lower === 'vary' || lower === 'location' || lower === 'polycors-reason' || lower === 'polycors-policy' || wanted.has(lower);
  });
}

/** Cookie values are secrets: the report names the cookies sent, not their values. */
function redacted(request: SentRequest): SentRequest {
  if (!request.headers.some(([n]) => n === 'cookie')) return request;
  const names = (value: string) => value.split('; ').map((pair) => `${pair.slice(0, pair.indexOf('='))}=…`).join('; ');
  return { ...request, headers: request.headers.map(([n, v]) => [n, n === 'cookie' ? names(v) : v]) };
}

function headerOf(response: ReceivedResponse, name: string): string | undefined {
  return response.headers.find(([n]) => n.toLowerCase() === name)?.[1];
}

function step(request: SentRequest, response: ReceivedResponse, ok: boolean, read: string[]): DoctorStep {
  return {
    request: redacted(request),
    response: { status: response.status, statusText: response.statusText, headers: response.headers, corsHeaders: corsLines(response.headers, read) },
    ok,
  };
}

export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const readHeaders = (options.readHeaders ?? []).map((h) => h.toLowerCase());
  const cookies = options.cookies ?? [];
  const credentials = options.credentials || cookies.length > 0 ? 'include' : 'same-origin';
  const request: BrowserRequest = {
    url: options.url,
    origin: options.origin,
    method: options.method ?? 'GET',
    headers: options.headers ?? [],
    credentials,
    readHeaders,
  };
  const plan = planBrowserRequest(request);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const agent = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  const send = (sent: SentRequest) => exchange(sent, { timeoutMs, agent, insecure: options.insecure ?? false });
  const notes = plan.droppedHeaders.map((name) => `The browser does not let a page set ${name}: doctor leaves it out, as the browser would.`);
  const report: DoctorReport = {
    schemaVersion: 1,
    url: plan.url,
    origin: plan.origin,
    method: plan.method,
    credentials,
    crossOrigin: plan.crossOrigin,
    verdict: 'allowed',
    preflight: { needed: plan.preflightNeeded, reasons: plan.preflightReasons },
    readableHeaders: [],
    unreadableHeaders: [],
    notes,
  };
  const fixInput = (response: ReceivedResponse): FixInput => ({
    origin: plan.origin,
    method: plan.method,
    requestHeaders: plan.preflightHeaders.find(([n]) => n === 'access-control-request-headers')?.[1].split(',') ?? [],
    credentials: credentials === 'include',
    exposeHeaders: report.unreadableHeaders,
    shown: response.headers,
    reason: headerOf(response, 'polycors-reason'),
    policy: headerOf(response, 'polycors-policy'),
  });
  const block = (error: BrowserCorsError, response: ReceivedResponse) => {
    const reason = headerOf(response, 'polycors-reason');
    const policy = headerOf(response, 'polycors-policy');
    if (reason) report.notes.push(`The server says why (polycors debug mode): polycors-reason: ${reason}${policy ? `, by the policy of ${policy}` : ''}.`);
    report.verdict = 'blocked';
    report.blockedAt = error.at;
    report.error = error;
    report.message = chromiumMessage(error, { url: plan.url, origin: plan.origin, initiator: 'fetch' });
    report.cause = explainBrowserCorsError(error, plan.origin);
    report.unreadableHeaders = readHeaders;
    report.fix = fixFor(error, fixInput(response));
    return report;
  };

  try {
    if (plan.preflightNeeded) {
      const sent: SentRequest = {
        method: 'OPTIONS',
        url: plan.url,
        headers: [...plan.preflightHeaders, ['accept', '*/*'], ['user-agent', USER_AGENT]],
      };
      const response = await send(sent);
      const verdict = checkPreflight(request, { status: response.status, headers: response.headers }, plan);
      report.preflight.step = step(sent, response, verdict.ok, readHeaders);
      report.notes.push(...verdict.notes);
      if (!verdict.ok) return block(verdict.error!, response);
      report.preflight.cacheSeconds = verdict.cacheSeconds;
    }
    const sent: SentRequest = {
      method: plan.method,
      url: plan.url,
      headers: [
        ...(plan.crossOrigin ? [['origin', plan.origin] as [string, string]] : []),
        ...plan.requestHeaders,
        ...(plan.requestHeaders.some(([n]) => n === 'accept') ? [] : [['accept', '*/*'] as [string, string]]),
        ...(cookies.length > 0 ? [['cookie', cookies.join('; ')] as [string, string]] : []),
        ['user-agent', USER_AGENT],
      ],
    };
    const response = await send(sent);
    const verdict = checkActual(request, { status: response.status, headers: response.headers }, plan);
    report.actual = step(sent, response, verdict.ok, readHeaders);
    report.notes.push(...verdict.notes);
    if (!verdict.ok) return block(verdict.error!, response);
    report.readableHeaders = verdict.readableHeaders;
    report.unreadableHeaders = readHeaders.filter((h) => !verdict.readableHeaders.includes(h));
    if (report.unreadableHeaders.length > 0) {
      const present = new Set(response.headers.map(([n]) => n.toLowerCase()));
      const absent = report.unreadableHeaders.filter((h) => !present.has(h));
      const hidden = report.unreadableHeaders.filter((h) => present.has(h));
      if (hidden.length > 0) {
        report.notes.push(`The response carries ${hidden.join(', ')} but does not expose ${hidden.length === 1 ? 'it' : 'them'}: the page reads null.`);
        report.fix = fixFor(undefined, { ...fixInput(response), exposeHeaders: hidden });
      }
      if (absent.length > 0) report.notes.push(`The response does not carry ${absent.join(', ')} at all.`);
    }
    if (!plan.crossOrigin) report.notes.push('The page and the URL share an origin: this is not a CORS request.');
    return report;
  } finally {
    agent.http.destroy();
    agent.https.destroy();
  }
}
