/** Real servers on 127.0.0.1 and raw HTTP requests (node:http, so Origin can be set and repeated headers seen). */
import { afterEach } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Every header line as received: [name, value][] with lower-case names. */
  lines: [string, string][];
  body: string;
}

export interface Served {
  app: FastifyInstance;
  send(method: string, path: string, headers?: Record<string, string>): Promise<HttpResponse>;
  close(): Promise<void>;
}

/** Builds an app with `setup`, listens on 127.0.0.1:0 and returns a client for it. */
export async function serve(setup: (app: FastifyInstance) => void | Promise<void>, options: FastifyServerOptions = {}): Promise<Served> {
  const app = Fastify(options);
  await setup(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    app,
    send: (method, path, headers = {}) => send(port, method, path, headers),
    close: () => app.close(),
  };
}

/**
 * Call at a spec's top level: returns `start(setup, options)`, which serves like `serve`, and closes every server it
 * started after each test.
 */
export function useServers(): (setup: (app: FastifyInstance) => void | Promise<void>, options?: FastifyServerOptions) => Promise<Served> {
  const served: Served[] = [];
  afterEach(async () => {
    await Promise.all(served.splice(0).map((server) => server.close()));
  });
  return async (setup, options = {}) => {
    const server = await serve(setup, options);
    served.push(server);
    return server;
  };
}

export function send(port: number, method: string, path: string, headers: Record<string, string>): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const lines: [string, string][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) lines.push([res.rawHeaders[i].toLowerCase(), res.rawHeaders[i + 1]]);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, lines, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Headers of a preflight from `origin` asking for `method` (and optionally request headers). */
export function preflight(origin: string, method: string, requestHeaders?: string): Record<string, string> {
  const headers: Record<string, string> = { origin, 'access-control-request-method': method };
  if (requestHeaders) headers['access-control-request-headers'] = requestHeaders;
  return headers;
}

/** How many Access-Control-Allow-Origin values a response carries (header lines and comma-separated values). */
export function acaoValues(response: HttpResponse): string[] {
  return response.lines.filter(([name]) => name === 'access-control-allow-origin').flatMap(([, value]) => value.split(',').map((v) => v.trim()));
}

/** A logger stream collecting pino lines as objects. */
export function collectingLogger(level = 'info'): { logger: { level: string; stream: { write(line: string): void } }; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  return { lines, logger: { level, stream: { write: (line: string) => lines.push(JSON.parse(line)) } } };
}
