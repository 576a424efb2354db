/**
 * Type tests, checked by `npm run typecheck` (tsc, strict): each @ts-expect-error must stay an error, and every
 * origin function below must infer its parameters (no TS7006 implicit any).
 */
import type { CorsOptions as NestCorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface.js';
import { Cors, CorsModule, type CorsModuleOptions } from '../src/index.js';

// Both styles, contextually typed: the origin, then the Node request that is also the callback.
CorsModule.forRoot({ origin: (origin) => origin === 'https://app.example.com' });
CorsModule.forRoot({ origin: (origin, req) => req.headers.host === 'a.example' && origin.startsWith('https://') });
CorsModule.forRoot({ origin: (origin, cb) => cb(null, true) });
CorsModule.forRoot({ origin: (origin, cb) => cb(null, origin.endsWith('.example.com') ? origin : '*') });
CorsModule.forRoot({ origin: (_origin, cb) => cb(new Error('directory down')) });
CorsModule.forRoot({ origin: async (origin) => [origin, /^https:\/\/[a-z]+\.example\.com$/] });
CorsModule.forRoot({ origin: ['https://app.example.com', (origin) => origin.endsWith('.example.org')] });
CorsModule.forRoot({ origin: async (origin) => origin !== '', originCache: { key: (_origin, req) => String(req.headers.host), ttl: 1000 }, originTimeout: 500 });
CorsModule.forRoot({ origin: (origin) => origin !== '', credentials: true, reflectionWarning: { origins: 200, window: 60_000 } });
CorsModule.forRootAsync({ useFactory: () => ({ origin: (origin, req) => req.method === 'GET' && origin !== '' }) });
const decorated = Cors({ origin: (origin, req) => req.url === '/a' && origin !== '' });
void decorated;

// A function typed as Nest's own CustomOrigin (from an existing enableCors() configuration) is accepted as it is.
const fromEnableCors: NonNullable<NestCorsOptions['origin']> = (requestOrigin, callback) => callback(null, requestOrigin === 'https://app.example.com');
if (typeof fromEnableCors === 'function') CorsModule.forRoot({ origin: fromEnableCors });

// @ts-expect-error an answer is a boolean, an origin rule or a list of them, not a number
CorsModule.forRoot({ origin: () => 42 });
// @ts-expect-error the callback takes an error first
CorsModule.forRoot({ origin: (_origin, cb) => cb(true) });
// @ts-expect-error originTimeout is a number of milliseconds
const badTimeout: CorsModuleOptions = { origin: '*', originTimeout: '3s' };
void badTimeout;
