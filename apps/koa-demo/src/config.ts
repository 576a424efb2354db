/**
 * The demo contract shared by apps/nest-demo, apps/fastify-demo and apps/koa-demo (environment variables):
 * PORT, HOST (127.0.0.1), CORS_ORIGINS (comma-separated; default the playground's origins), DEMO_TOKEN (demo-token),
 * DEMO_STATS=1 (serve GET /__stats and POST /__stats/reset).
 */
export interface DemoConfig {
  port: number;
  host: string;
  /** Origins of the front end, allowed with credentials. */
  origins: string[];
  /** The bearer token PATCH /form wants. */
  token: string;
  /** Record what the server sees and serve it on /__stats. */
  stats: boolean;
}

export const DEFAULT_ORIGINS = ['http://localhost:5173', 'http://127.0.0.1:5173'];

export function demoConfigFromEnv(env: NodeJS.ProcessEnv, defaultPort: number): DemoConfig {
  const rawPort = env.PORT ?? '';
  const port = rawPort === '' ? defaultPort : Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number (0-65535), got '${rawPort}'`);
  const origins = (env.CORS_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  return {
    port,
    host: env.HOST || '127.0.0.1',
    origins: origins.length > 0 ? origins : DEFAULT_ORIGINS,
    token: env.DEMO_TOKEN || 'demo-token',
    stats: env.DEMO_STATS === '1' || env.DEMO_STATS === 'true',
  };
}
