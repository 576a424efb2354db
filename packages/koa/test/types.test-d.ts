/**
 * Type tests, checked by `npm run typecheck` (tsc, strict): each @ts-expect-error must stay an error, and every
 * origin function below must infer its parameters (no TS7006 implicit any).
 */
import Router from '@koa/router';
import { type KoaCorsOptions, cors, corsRoute } from '../src/index.js';

// @koa/cors' shape: ctx first, the origin second; any answer core reads, or a Promise / thenable of it.
cors({ origin: (ctx) => ctx.get('Origin') });
cors({ origin: (ctx) => (ctx.get('Origin') === 'https://app.example.com' ? ctx.get('Origin') : '*') });
cors({ origin: async (ctx, origin) => ctx.hostname === 'a.example' && origin.startsWith('https://') });
cors({ origin: (_ctx, origin) => [origin, /^https:\/\/[a-z]+\.example\.com$/] });
cors({ origin: ['https://app.example.com', (ctx) => ctx.get('x-tenant') === 'a'] });
cors({ origin: (ctx) => ctx.get('Origin'), originCache: { key: (_origin, ctx) => ctx.host, ttl: 1000 }, originTimeout: 500 });
cors({ origin: (ctx) => ctx.get('Origin') === 'https://app.example.com', credentials: true, reflectionWarning: { origins: 200, window: 60_000 } });
cors({ origin: (ctx) => ctx.get('Origin') === 'https://app.example.com', reflectionWarning: false });

const router = new Router();
router.get('/a', corsRoute({ origin: (ctx, origin) => ctx.path === '/a' && origin !== '' }), (ctx) => {
  ctx.body = 'a';
});

// @ts-expect-error an answer is a boolean, an origin rule or a list of them, not a number
cors({ origin: () => 42 });
// @ts-expect-error originCache.key returns a string
cors({ origin: (ctx) => ctx.get('Origin'), originCache: { key: (_origin, ctx) => ctx.status } });
// @ts-expect-error originTimeout is a number of milliseconds
const badTimeout: KoaCorsOptions = { origin: '*', originTimeout: '3s' };
void badTimeout;
