/**
 * The playground's static server: plain node:http, two listeners.
 * - The main origin (default port 5173) serves the page, its scripts and `/config.json` (which APIs to call).
 * - The "untrusted" origin (default port 5174) serves the same files; the page loads `/frame.html` from it in a
 *   hidden iframe to send the requests that must come from an origin the demo APIs do not allow.
 * Only the files listed below are served (read once at startup); nothing on disk is reachable by URL.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PlaygroundApi {
  /** Short id used in the page (`nest`, `fastify`, `koa`, ...). */
  id: string;
  /** What the page calls it ("NestJS (Express)"). */
  label: string;
  /** Base URL of the demo API, e.g. `http://localhost:3002`. */
  url: string;
}

export interface PlaygroundOptions {
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Port of the page's own origin. Default 5173; 0 picks a free port. */
  port?: number;
  /** Port of the second origin (not allowed by the demos). Default 5174; 0 picks a free port. */
  untrustedPort?: number;
  /** The demo APIs, one column of buttons each. */
  apis: PlaygroundApi[];
  /** The bearer token the demos accept (`DEMO_TOKEN`). */
  token: string;
  /** Host name printed in URLs. Default `localhost`. */
  publicHost?: string;
}

export interface RunningPlayground {
  /** The page, e.g. `http://localhost:5173/`. */
  url: string;
  /** The untrusted origin, e.g. `http://localhost:5174`. */
  untrustedOrigin: string;
  port: number;
  untrustedPort: number;
  close(): Promise<void>;
}

export interface PlaygroundConfig {
  token: string;
  untrustedPort: number;
  apis: PlaygroundApi[];
}

const PUBLIC_DIR = new URL('../public/', import.meta.url);

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
};

/** The files the page is made of, served from memory. */
export const PUBLIC_FILES = ['index.html', 'playground.js', 'scenarios.js', 'fetcher.js', 'playground.css', 'frame.html', 'frame.js', 'blank.html'] as const;

interface StaticFile {
  type: string;
  body: Buffer;
}

function loadPublicFiles(): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const name of PUBLIC_FILES) {
    const extension = name.slice(name.lastIndexOf('.') + 1);
    files.set(`/${name}`, { type: CONTENT_TYPES[extension] ?? 'application/octet-stream', body: readFileSync(new URL(name, PUBLIC_DIR)) });
  }
  files.set('/', files.get('/index.html') as StaticFile);
  return files;
}

function send(res: ServerResponse, status: number, type: string, body: Buffer | string): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

function handler(files: Map<string, StaticFile>, config: () => PlaygroundConfig) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      send(res, 405, 'text/plain; charset=utf-8', 'Method Not Allowed\n');
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/config.json') {
      send(res, 200, 'application/json; charset=utf-8', JSON.stringify(config()));
      return;
    }
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const file = files.get(path);
    if (file === undefined) {
      send(res, 404, 'text/plain; charset=utf-8', 'Not Found\n');
      return;
    }
    send(res, 200, file.type, file.body);
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Starts both origins. Resolves once both listen. */
export async function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  const host = options.host ?? '127.0.0.1';
  const publicHost = options.publicHost ?? 'localhost';
  const files = loadPublicFiles();
  let untrustedPort = 0;
  const config = (): PlaygroundConfig => ({ token: options.token, untrustedPort, apis: options.apis });
  const main = createServer(handler(files, config));
  const untrusted = createServer(handler(files, config));
  const port = await listen(main, options.port ?? 5173, host);
  try {
    untrustedPort = await listen(untrusted, options.untrustedPort ?? 5174, host);
  } catch (error) {
    await close(main);
    throw error;
  }
  return {
    url: `http://${publicHost}:${port}/`,
    untrustedOrigin: `http://${publicHost}:${untrustedPort}`,
    port,
    untrustedPort,
    close: async () => {
      await Promise.all([close(main), close(untrusted)]);
    },
  };
}

/** The demo APIs from the environment: `NEST_URL`, `NEST_FASTIFY_URL` (optional), `FASTIFY_URL`, `KOA_URL`, `EXPRESS_URL`. */
export function apisFromEnv(env: NodeJS.ProcessEnv = process.env): PlaygroundApi[] {
  const apis: PlaygroundApi[] = [{ id: 'nest', label: 'NestJS (Express)', url: env.NEST_URL ?? 'http://localhost:3001' }];
  if (env.NEST_FASTIFY_URL) apis.push({ id: 'nest-fastify', label: 'NestJS (Fastify)', url: env.NEST_FASTIFY_URL });
  apis.push({ id: 'fastify', label: 'Fastify', url: env.FASTIFY_URL ?? 'http://localhost:3002' });
  apis.push({ id: 'koa', label: 'Koa', url: env.KOA_URL ?? 'http://localhost:3003' });
  apis.push({ id: 'express', label: 'Express', url: env.EXPRESS_URL ?? 'http://localhost:3004' });
  return apis.map((api) => ({ ...api, url: api.url.replace(/\/+$/, '') }));
}
