/**
 * What the server saw (DEMO_STATS=1): every request's method, URL and CORS request headers, whether the session
 * cookie and an Authorization header came with it, whether the auth guard ran, and the status it got. The playground
 * and the browser conformance suite read it from GET /__stats to tell whether the browser sent a preflight.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The same cookie name as apps/nest-demo's. */
export const SESSION_COOKIE = 'session';
const KEEP = 2000;

/** The request's Cookie header carries the session cookie. */
export function hasSessionCookie(cookieHeader: string | undefined): boolean {
  return (cookieHeader ?? '').split(';').some((pair) => pair.trim().startsWith(`${SESSION_COOKIE}=`));
}

export interface SeenRequest {
  method: string;
  url: string;
  origin?: string;
  preflight: boolean;
  accessControlRequestMethod?: string;
  accessControlRequestHeaders?: string;
  cookie: boolean;
  authorization: boolean;
  guarded: boolean;
  status?: number;
}

export class RequestLog {
  guardRuns = 0;
  private requests: SeenRequest[] = [];

  /** Records a request as it arrives (call before the CORS layer, so preflights are seen too). */
  record(req: IncomingMessage, res: ServerResponse): SeenRequest | undefined {
    const url = req.url ?? '/';
    if (url.startsWith('/__stats')) return undefined;
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    };
    const requestMethod = header('access-control-request-method');
    const seen: SeenRequest = {
      method: req.method ?? 'GET',
      url,
      origin: header('origin'),
      preflight: req.method === 'OPTIONS' && requestMethod !== undefined,
      accessControlRequestMethod: requestMethod,
      accessControlRequestHeaders: header('access-control-request-headers'),
      cookie: hasSessionCookie(header('cookie')),
      authorization: header('authorization') !== undefined,
      guarded: false,
    };
    res.once('finish', () => {
      seen.status = res.statusCode;
    });
    this.requests.push(seen);
    if (this.requests.length > KEEP) this.requests.splice(0, this.requests.length - KEEP);
    return seen;
  }

  /** The auth guard ran for this request. */
  guard(seen: SeenRequest | undefined): void {
    this.guardRuns += 1;
    if (seen) seen.guarded = true;
  }

  snapshot(): { guardRuns: number; requests: SeenRequest[] } {
    return { guardRuns: this.guardRuns, requests: this.requests };
  }

  reset(): void {
    this.guardRuns = 0;
    this.requests = [];
  }
}
