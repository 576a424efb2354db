/** Koa 3 with @koa/router: no CORS, `@koa/cors`, or `@polycors/koa`. */
import Koa from 'koa';
import Router from '@koa/router';
import { BODY, floorAnswer, ROUTE, koaCorsOptions, polycorsOptions } from '../workloads.js';

export async function createApp(contender, allowlist) {
  const app = new Koa();
  const router = new Router();
  router.get(ROUTE, (ctx) => { ctx.body = BODY; });
  router.put(ROUTE, (ctx) => { ctx.body = BODY; });
  if (contender === '@koa/cors') {
    const { default: koaCors } = await import('@koa/cors');
    app.use(koaCors(koaCorsOptions(allowlist)));
  } else if (contender === 'polycors') {
    const mod = await import('@polycors/koa');
    const cors = mod.cors ?? mod.default;
    // As its docs show it: given the router, so each route's preflight is judged by that route's policy.
    app.use(cors({ ...polycorsOptions(allowlist), router }));
  } else if (contender === 'headers only') {
    app.use((ctx, next) => {
      const answer = floorAnswer(ctx.get('origin'), ctx.method, ctx.headers['access-control-request-method']);
      if (answer.allowed) ctx.set('access-control-allow-origin', ctx.get('origin'));
      for (const [name, value] of answer.headers) ctx.set(name, value);
      if (!answer.end) return next();
      ctx.status = 204;
    });
  } else if (contender !== 'none') {
    throw new Error(`koa: unknown contender ${contender}`);
  }
  app.use(router.routes());
  app.use(router.allowedMethods());
  return {
    listen: () => new Promise((resolve) => { const server = app.listen(0, '127.0.0.1', () => resolve(server.address().port)); }),
  };
}
