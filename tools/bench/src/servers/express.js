/** Express 5: no CORS, or `cors`. (polycors has no Express adapter: Express is covered through Nest's express adapter.) */
import express from 'express';
import { BODY, ROUTE, corsPackageOptions } from '../workloads.js';

export async function createApp(contender, allowlist) {
  const app = express();
  app.disable('x-powered-by');
  if (contender === 'cors') {
    const { default: cors } = await import('cors');
    app.use(cors(corsPackageOptions(allowlist)));
  } else if (contender !== 'none') {
    throw new Error(`express: unknown contender ${contender}`);
  }
  app.get(ROUTE, (_req, res) => res.json(BODY));
  app.put(ROUTE, (_req, res) => res.json(BODY));
  return {
    listen: () => new Promise((resolve) => { const server = app.listen(0, '127.0.0.1', () => resolve(server.address().port)); }),
  };
}
