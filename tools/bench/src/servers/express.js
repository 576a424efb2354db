/** Express 5: no CORS, `cors`, or `@polycors/express`. */
import express from 'express';
import { BODY, floorMiddleware, ROUTE, corsPackageOptions, polycorsOptions } from '../workloads.js';

export async function createApp(contender, allowlist) {
  const app = express();
  app.disable('x-powered-by');
  if (contender === 'cors') {
    const { default: cors } = await import('cors');
    app.use(cors(corsPackageOptions(allowlist)));
  } else if (contender === 'polycors') {
    const mod = await import('@polycors/express');
    const cors = mod.cors ?? mod.default;
    // As its docs show it: app.use(cors(...)) before the routes, which it reads from the app.
    app.use(cors(polycorsOptions(allowlist)));
  } else if (contender === 'headers only') {
    app.use(floorMiddleware);
  } else if (contender !== 'none') {
    throw new Error(`express: unknown contender ${contender}`);
  }
  app.get(ROUTE, (_req, res) => res.json(BODY));
  app.put(ROUTE, (_req, res) => res.json(BODY));
  return {
    listen: () => new Promise((resolve) => { const server = app.listen(0, '127.0.0.1', () => resolve(server.address().port)); }),
  };
}
