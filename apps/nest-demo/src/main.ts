/** `node dist/main.js`: the environment of @polycors/demo-kit (PORT 3001, HOST 127.0.0.1, CORS_ORIGINS, DEMO_TOKEN, DEMO_STATS) and NEST_ADAPTER. */
import { startDemo } from './app.js';

const demo = await startDemo();
console.log(
  `nest-demo (${demo.config.adapter}) listening on ${demo.url}; front-end origins: ${demo.config.origins.join(', ')}` +
    (demo.config.stats ? '; stats at /__stats' : ''),
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void demo.close().then(() => process.exit(0));
  });
}
