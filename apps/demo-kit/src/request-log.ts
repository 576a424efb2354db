/**
 * What a demo server saw (DEMO_STATS=1), served on `GET /__stats` in one format by all three demos:
 *
 *   {
 *     "guardRuns": { "global": 3, "auth": 1 },
 *     "requests": [
 *       { "method": "OPTIONS", "url": "/form?run=7", "origin": "http://localhost:5173", "preflight": true,
 *         "accessControlRequestMethod": "PATCH", "accessControlRequestHeaders": "authorization,content-type,x-app-version",
 *         "cookie": false, "authorization": false, "guards": [], "status": 204 },
 *       { "method": "PATCH", "url": "/form?run=7", "origin": "http://localhost:5173", "preflight": false,
 *         "cookie": false, "authorization": true, "guards": ["global", "auth"], "status": 200 }
 *     ]
 *   }
 *
 * Two guards are counted: `global`, a check every request the CORS layer passes on to the application goes through
 * (Nest: an APP_GUARD; Fastify: an onRequest hook added after polycors; Koa: a middleware after cors()), and `auth`,
 * the bearer-token check of PATCH /form. Neither may ever run for a preflight. The playground and the browser
 * conformance suite read this to tell whether the browser sent a preflight, with which cookies and headers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The session cookie `POST /login` sets. */
export const SESSION_COOKIE = 'session';
/** `GET /__stats` serves the snapshot, `POST /__stats/reset` clears it; requests to these paths are not recorded. */
export const STATS_PATH = '/__stats';
/** How many requests are kept (oldest dropped first). */
export const MAX_REQUESTS = 2000;

export const GUARD_NAMES = ['global', 'auth'] as const;
export type GuardName = (typeof GUARD_NAMES)[number];

/** The request's Cookie header carries the session cookie. */
export function hasSessionCookie(cookieHeader: string | undefined): boolean {
  return (cookieHeader ?? '').split(';').some((pair) => pair.trim().startsWith(`${SESSION_COOKIE}=`));
}

export interface SeenRequest {
  method: string;
  /** Path and query as the server received them. */
  url: string;
  origin?: string;
  /** OPTIONS with Origin and Access-Control-Request-Method. */
  preflight: boolean;
  accessControlRequestMethod?: string;
  accessControlRequestHeaders?: string;
  /** The session cookie came with the request. */
  cookie: boolean;
  /** An Authorization header came with the request. */
  authorization: boolean;
  /** The guards that ran for the request, in order. */
  guards: GuardName[];
  /** The status it was answered with (once the response is finished). */
  status?: number;
}

/** The body of `GET /__stats`. */
export interface StatsSnapshot {
  guardRuns: Record<GuardName, number>;
  requests: SeenRequest[];
}

const isStatsUrl = (url: string | undefined) => url === STATS_PATH || (url ?? '').startsWith(`${STATS_PATH}/`) || (url ?? '').startsWith(`${STATS_PATH}?`);

export class RequestLog {
  private requests: SeenRequest[] = [];
  private guardRuns: Record<GuardName, number> = { global: 0, auth: 0 };
  private readonly byRequest = new WeakMap<IncomingMessage, SeenRequest>();

  /**
   * Records a request as it arrives. Call it before the CORS layer, so preflights are seen too; it is also a Node
   * `request` listener (`server.prependListener('request', log.record)`).
   */
  readonly record = (req: IncomingMessage, res: ServerResponse): SeenRequest | undefined => {
    const url = req.url ?? '/';
    if (isStatsUrl(url)) return undefined;
    const known = this.byRequest.get(req);
    if (known) return known;
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    };
    const origin = header('origin');
    const requestMethod = header('access-control-request-method');
    const seen: SeenRequest = {
      method: req.method ?? 'GET',
      url,
      origin,
      preflight: req.method === 'OPTIONS' && origin !== undefined && requestMethod !== undefined,
      accessControlRequestMethod: requestMethod,
      accessControlRequestHeaders: header('access-control-request-headers'),
      cookie: hasSessionCookie(header('cookie')),
      authorization: header('authorization') !== undefined,
      guards: [],
    };
    res.once('finish', () => {
      seen.status = res.statusCode;
    });
    this.byRequest.set(req, seen);
    this.requests.push(seen);
    if (this.requests.length > MAX_REQUESTS) this.requests.splice(0, this.requests.length - MAX_REQUESTS);
    return seen;
  };

  /** The guard `name` ran for `req` (the Node request). Runs for /__stats itself are not counted. */
  guard(name: GuardName, req: IncomingMessage | undefined): void {
    if (req !== undefined && isStatsUrl(req.url)) return;
    this.guardRuns[name] += 1;
    if (req !== undefined) this.byRequest.get(req)?.guards.push(name);
  }

  snapshot(): StatsSnapshot {
    return { guardRuns: { ...this.guardRuns }, requests: this.requests };
  }

  reset(): void {
    this.requests = [];
    this.guardRuns = { global: 0, auth: 0 };
  }
}
