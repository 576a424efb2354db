/**
 * `node dist/main.js`: the Express demo API. Environment: PORT (3004), HOST, CORS_ORIGINS, DEMO_TOKEN, DEMO_STATS.
 */
import { demoConfigFromEnv } from '@polycors/demo-kit';
import { buildApp } from './app.js';

const config = demoConfigFromEnv(process.env, 3004);
const app = buildApp(config);
const server = app.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(`express-demo listening on http://${config.host}:${port} (origins: ${config.origins.join(', ')})`);
});
server.on('error', (error) => {
  console.error(`express-demo: ${error.message}`);
  process.exit(1);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
