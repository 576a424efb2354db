/** The public types against Express 5's and Express 4's own type definitions (checked by `npm run typecheck`). */
import { describe, expect, it } from '@jest/globals';
import express from 'express';
import express4 from 'express4';
import corsDefault, { type ExpressCorsMiddleware, cors, corsRoute } from '../src/index.js';

describe('types', () => {
  it('fit app.use(), routes and routers of both Express majors', () => {
    const app5 = express();
    const v1app5 = express();
    const middleware5: ExpressCorsMiddleware = cors({ origin: ['https://app.example.com'], router: app5, subApps: [v1app5] });
    app5.use(middleware5);
    app5.patch('/form', corsRoute({ origin: 'https://admin.example.com', inherit: false }), (_req, res) => void res.send('ok'));
    express.Router().delete('/form', corsRoute(false), (_req, res) => void res.send('ok'));
    app5.use('/v1', v1app5);
    middleware5.build(app5);

    const app4 = express4();
    const v1app4 = express4();
    const middleware4 = corsDefault({
      origin: (origin: string, callback: (error: Error | null, allow?: boolean) => void) => callback(null, origin.endsWith('.example.com')),
      router: app4,
      subApps: [v1app4],
    });
    app4.use(middleware4);
    app4.patch('/form', corsRoute({ maxAge: '600' }), (_req, res) => void res.send('ok'));
    express4.Router().use(cors((_req, callback) => callback(null, { origin: 'https://app.example.com' })));
    app4.use('/v1', v1app4);
    middleware4.build(app4);
    expect(typeof middleware4.build).toBe('function');
  });
});
