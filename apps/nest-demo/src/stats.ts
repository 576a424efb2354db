/**
 * What the server saw, for the browser conformance suite and the playground (DEMO_STATS=1): every request that
 * reached the HTTP server (preflights answered by polycors included), and how many times the guards ran.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface SeenRequest {
  method: string;
  url: string;
  preflight: boolean;
  /** The request carried the `session` cookie. */
  cookie: boolean;
  origin?: string;
  status?: number;
}

const MAX_REQUESTS = 1000;

export class DemoStats {
  requests: SeenRequest[] = [];
  guardRuns = { global: 0, auth: 0 };

  /** A Node `request` listener: sees every request, before and whatever the framework does with it. */
  readonly record = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    if (url.startsWith('/__stats')) return;
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    const seen: SeenRequest = {
      method: req.method ?? 'GET',
      url,
      preflight: req.method === 'OPTIONS' && origin !== undefined && req.headers['access-control-request-method'] !== undefined,
      cookie: /(?:^|;\s*)session=/.test(req.headers.cookie ?? ''),
      origin,
    };
    this.requests.push(seen);
    if (this.requests.length > MAX_REQUESTS) this.requests.splice(0, this.requests.length - MAX_REQUESTS);
    res.once('finish', () => {
      seen.status = res.statusCode;
    });
  };

  countGuard(name: 'global' | 'auth', url: string | undefined): void {
    if (url?.startsWith('/__stats')) return;
    this.guardRuns[name]++;
  }

  reset(): void {
    this.requests = [];
    this.guardRuns = { global: 0, auth: 0 };
  }

  snapshot() {
    return { requests: this.requests, guardRuns: { ...this.guardRuns } };
  }
}
