/** Real Express servers on 127.0.0.1 and real HTTP (node:http, so methods and Origin go out exactly as written). */
import { request as httpRequest } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import express4 from 'express4';
import { CorsConfigError } from '../src/index.js';

export interface Running {
  url: string;
  close(): Promise<void>;
}

const running = new Set<Running>();

export async function start(app: { listen(port: number, host: string): Server }): Promise<Running> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const { port } = server.address() as AddressInfo;
  const handle: Running = {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      running.delete(handle);
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
  running.add(handle);
  return handle;
}

/** For afterEach: closes every server a test started. */
export async function closeAll(): Promise<void> {
  await Promise.all([...running].map((server) => server.close()));
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  header(name: string): string | undefined;
}

export function send(base: Running | string, path: string, method = 'GET', headers: Record<string, string | undefined> = {}): Promise<Reply> {
  const url = new URL(path, typeof base === 'string' ? base : base.url);
  const sent: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) sent[name] = value;
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: sent, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          header: (name) => {
            const value = res.headers[name.toLowerCase()];
            return Array.isArray(value) ? value.join(', ') : value;
          },
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

export function preflight(base: Running, path: string, origin: string, requestMethod: string, requestHeaders?: string, extra: Record<string, string> = {}): Promise<Reply> {
  return send(base, path, 'OPTIONS', { origin, 'access-control-request-method': requestMethod, 'access-control-request-headers': requestHeaders, ...extra });
}

/** A logger that records instead of printing. */
export function recordingLogger() {
  const warnings: string[] = [];
  const errors: string[] = [];
  return { warnings, errors, warn: (message: string) => void warnings.push(message), error: (message: string) => void errors.push(message) };
}

export const CORS_HEADER_NAMES = [
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-expose-headers',
  'access-control-max-age',
  'access-control-allow-private-network',
];

export function corsHeaders(reply: Reply): Record<string, string> {
  const found: Record<string, string> = {};
  for (const name of CORS_HEADER_NAMES) {
    const value = reply.header(name);
    if (value !== undefined) found[name] = value;
  }
  return found;
}

export function varyTokens(reply: Reply): string[] {
  return (reply.header('vary') ?? '').split(',').map((token) => token.trim().toLowerCase()).filter(Boolean);
}

/** Both Express majors, for describe.each. Express 4's types differ in details the tests do not use. */
export const EXPRESS_MAJORS = [
  ['Express 5', express],
  ['Express 4.22', express4 as unknown as typeof express],
] as const;

/** The problems a CorsConfigError thrown by `attempt` lists (none when it does not throw). */
export function problemsOf(attempt: () => unknown): CorsConfigError['problems'] {
  try {
    attempt();
  } catch (error) {
    if (error instanceof CorsConfigError) return error.problems;
    throw error;
  }
  return [];
}
