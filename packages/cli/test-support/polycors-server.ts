/**
 * The smallest possible polycors adapter, on plain node:http, for tests and demos: a real policy from
 * @polycors/core answering real requests. Every non-preflight answer is 200 with a body and X-List-Version: 7,
 * or, with `session`, 401 (CORS headers still set, as a CORS layer before authentication does) unless the request
 * carries that cookie.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CorsOptions, createCorsPolicy } from '@polycors/core';

export interface PolicyServer {
  url(path?: string): string;
  /** Every request received: method and Cookie header. */
  log: { method: string; cookie?: string }[];
  close(): Promise<void>;
}

export interface PolicyServerOptions {
  port?: number;
  /** `name=value`: the session cookie an actual request needs to be answered 200. */
  session?: string;
}

export async function startPolicyServer(options: CorsOptions, serverOptions: PolicyServerOptions = {}): Promise<PolicyServer> {
  const policy = createCorsPolicy({ logger: false, ...options });
  const log: PolicyServer['log'] = [];
  const server = http.createServer(async (req, res) => {
    req.resume();
    log.push({ method: req.method ?? '', cookie: req.headers.cookie });
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    };
    const decision = await policy.evaluate({
      method: req.method ?? 'GET',
      origin: header('origin'),
      requestMethod: header('access-control-request-method'),
      requestHeaders: header('access-control-request-headers'),
    });
    for (const [name, value] of decision.headers) res.setHeader(name, value);
    if (decision.vary.length > 0) res.setHeader('Vary', decision.vary.join(', '));
    if (decision.kind === 'preflight' && !decision.continue) {
      res.statusCode = decision.status ?? 204;
      res.end();
      return;
    }
    res.setHeader('Content-Type', 'application/json');
    const session = serverOptions.session;
    if (session && !(req.headers.cookie ?? '').split('; ').includes(session)) {
      res.statusCode = 401;
      res.end(JSON.stringify({ error: 'log in first' }));
      return;
    }
    res.setHeader('X-List-Version', '7');
    res.end(JSON.stringify({ ok: true }));
  });
  await new Promise<void>((resolve) => server.listen(serverOptions.port ?? 0, '127.0.0.1', resolve));
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: (path = '/') => `http://127.0.0.1:${actualPort}${path}`,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
