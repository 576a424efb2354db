/** The demo's environment contract (see README.md). */
export type DemoAdapter = 'express' | 'fastify';

export interface DemoConfig {
  /** `PORT`, default 3001 (0 picks a free port). */
  port: number;
  /** `HOST`, default: every interface, IPv4 and IPv6 (so both `localhost` and `127.0.0.1` reach it). */
  host?: string;
  /** `CORS_ORIGINS` (comma-separated): the front-end origins. Default: the playground's. */
  origins: string[];
  /** `DEMO_TOKEN`: the bearer token PATCH /form needs. Default `demo-token`. */
  token: string;
  /** `DEMO_STATS=1`: serve GET /__stats and POST /__stats/reset. */
  stats: boolean;
  /** `NEST_ADAPTER`: `express` (default) or `fastify`. */
  adapter: DemoAdapter;
}

export const DEFAULT_ORIGINS = ['http://localhost:5173', 'http://127.0.0.1:5173'];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): DemoConfig {
  const port = env.PORT === undefined || env.PORT === '' ? 3001 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got '${env.PORT}'`);
  const adapter = (env.NEST_ADAPTER || 'express').toLowerCase();
  if (adapter !== 'express' && adapter !== 'fastify') throw new Error(`NEST_ADAPTER must be 'express' or 'fastify', got '${env.NEST_ADAPTER}'`);
  const origins = (env.CORS_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean);
  return {
    port,
    host: env.HOST || undefined,
    origins: origins.length > 0 ? origins : DEFAULT_ORIGINS,
    token: env.DEMO_TOKEN || 'demo-token',
    stats: env.DEMO_STATS === '1' || env.DEMO_STATS === 'true',
    adapter,
  };
}
