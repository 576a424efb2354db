/** Fastify 5: no CORS, `@fastify/cors`, or `@polycors/fastify`. */
import Fastify from 'fastify';
import { BODY, floorHook, ROUTE, corsPackageOptions, polycorsOptions } from '../workloads.js';

export async function createApp(contender, allowlist) {
  const app = Fastify({ logger: false });
  if (contender === '@fastify/cors') {
    const { default: fastifyCors } = await import('@fastify/cors');
    await app.register(fastifyCors, corsPackageOptions(allowlist));
  } else if (contender === 'polycors') {
    const mod = await import('@polycors/fastify');
    const plugin = mod.default ?? mod.polycors;
    await app.register(plugin, polycorsOptions(allowlist));
  } else if (contender === 'headers only') {
    app.addHook('onRequest', floorHook);
  } else if (contender !== 'none') {
    throw new Error(`fastify: unknown contender ${contender}`);
  }
  app.get(ROUTE, async () => BODY);
  app.put(ROUTE, async () => BODY);
  await app.ready();
  return { listen: async () => { await app.listen({ port: 0, host: '127.0.0.1' }); return app.server.address().port; } };
}
