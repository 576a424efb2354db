/**
 * The environment contract of the three demo APIs (apps/nest-demo, apps/fastify-demo, apps/koa-demo):
 *
 *   PORT          the port; each demo has its own default (0: any free port)
 *   HOST          the address to bind (127.0.0.1)
 *   CORS_ORIGINS  comma-separated front-end origins (the playground's on localhost and 127.0.0.1)
 *   DEMO_TOKEN    the bearer token PATCH /form wants (demo-token)
 *   DEMO_STATS    1 or true: record what the server sees and serve it on GET /__stats, POST /__stats/reset
 */
export interface DemoConfig {
  /** `PORT` (0: any free port). */
  port: number;
  /** `HOST`, the address to bind. */
  host: string;
  /** `CORS_ORIGINS`: the front-end origins, allowed with credentials. */
  origins: string[];
  /** `DEMO_TOKEN`: the bearer token PATCH /form wants. */
  token: string;
  /** `DEMO_STATS`: record what the server sees and serve it on /__stats. */
  stats: boolean;
}

/** The playground's origins (apps/playground listens on 5173). */
export const DEFAULT_ORIGINS: readonly string[] = Object.freeze(['http://localhost:5173', 'http://127.0.0.1:5173']);
/** The origin the demos' admin-only routes allow (no page of the demos runs on it): the sibling-route cases. */
export const ADMIN_ORIGIN = 'https://admin.example.com';
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_TOKEN = 'demo-token';

/** Reads the contract from `env`; throws on a PORT that is not a port number. */
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
    host: env.HOST || DEFAULT_HOST,
    origins: origins.length > 0 ? origins : [...DEFAULT_ORIGINS],
    token: env.DEMO_TOKEN || DEFAULT_TOKEN,
    stats: env.DEMO_STATS === '1' || env.DEMO_STATS === 'true',
  };
}
