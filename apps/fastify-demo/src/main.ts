/**
 * `node dist/main.js`: the Fastify demo API. Environment: PORT (3002), HOST, CORS_ORIGINS, DEMO_TOKEN, DEMO_STATS,
 * LOG_LEVEL (warn: warnings and CORS refusals with their reasons).
 */
import { demoConfigFromEnv } from '@polycors/demo-kit';
import { buildApp } from './app.js';

const config = demoConfigFromEnv(process.env, 3002);
const app = await buildApp(config, { logger: { level: process.env.LOG_LEVEL || 'warn' } });
await app.listen({ port: config.port, host: config.host });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
console.log(`fastify-demo listening on http://${config.host}:${port} (origins: ${config.origins.join(', ')})`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}
