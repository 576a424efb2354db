/**
 * The smallest possible polycors adapter, on plain node:http, for tests and demos: a real policy from
 * @polycors/core answering real requests. Every non-preflight answer is 200 with a body and X-List-Version: 7.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CorsOptions, createCorsPolicy } from '@polycors/core';

export interface PolicyServer {
  url(path?: string): string;
  close(): Promise<void>;
}

export async function startPolicyServer(options: CorsOptions, port = 0): Promise<PolicyServer> {
  const policy = createCorsPolicy({ logger: false, ...options });
  const server = http.createServer(async (req, res) => {
    req.resume();
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
    res.setHeader('X-List-Version', '7');
    res.end(JSON.stringify({ ok: true }));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: (path = '/') => `http://127.0.0.1:${actualPort}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
