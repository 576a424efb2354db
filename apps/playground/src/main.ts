/**
 * `node dist/main.js`: serve the playground. Environment: PORT (5173), UNTRUSTED_PORT (5174), HOST (127.0.0.1),
 * NEST_URL, NEST_FASTIFY_URL, FASTIFY_URL, KOA_URL, EXPRESS_URL, DEMO_TOKEN (demo-token).
 */
import { apisFromEnv, startPlayground } from './server.js';

function port(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) {
    console.error(`playground: ${name} must be a port number (0-65535), got '${value}'`);
    process.exit(1);
  }
  return parsed;
}

const playground = await startPlayground({
  host: process.env.HOST || '127.0.0.1',
  port: port('PORT', 5173),
  untrustedPort: port('UNTRUSTED_PORT', 5174),
  apis: apisFromEnv(),
  token: process.env.DEMO_TOKEN || 'demo-token',
});
console.log(`playground listening on ${playground.url} (untrusted origin ${playground.untrustedOrigin})`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void playground.close().then(() => process.exit(0));
  });
}
