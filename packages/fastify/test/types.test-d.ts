/**
 * Type tests, checked by `npm run typecheck` (tsc): each @ts-expect-error must stay an error.
 */
import Fastify from 'fastify';
import polycors, { type PolycorsOptions, type PolycorsRouteOptions } from '../src/index.js';

const app = Fastify();

// Plugin options: @fastify/cors's names and forms, plus polycors' own.
void app.register(polycors, {
  origin: ['https://app.example.com', 'https://*.example.com', /^https:\/\/[a-z]+\.example\.org$/],
  methods: ['GET', 'POST'],
  allowedHeaders: 'content-type, authorization',
  exposedHeaders: ['x-total'],
  credentials: true,
  maxAge: 600,
  cacheControl: 600,
  optionsSuccessStatus: 204,
  preflightContinue: false,
  preflight: true,
  strictPreflight: true,
  hideOptionsRoute: true,
  hook: 'onRequest',
  logLevel: 'silent',
  refusalLogLevel: 'warn',
  strict: true,
  debug: false,
  privateNetworkAccess: false,
  onRefusal: (refusal) => void refusal.reason.code,
});
void app.register(polycors, { origin: (origin, callback) => callback(null, origin === 'https://app.example.com') });
void app.register(polycors, { origin: async (origin) => origin.endsWith('.example.com') });
void app.register(polycors, { delegator: async () => ({ origin: '*' }) });

// Origin functions: each style infers its parameters in a strict project (no TS7006), on the plugin and on routes.
void app.register(polycors, { origin: (origin) => origin === 'https://app.example.com' });
void app.register(polycors, { origin: (origin, request) => request.headers.host === 'a.example' && origin.startsWith('https://') });
void app.register(polycors, { origin: (origin, cb) => cb(null, true) });
void app.register(polycors, { origin: (origin, cb) => cb(null, origin.endsWith('.example.com') ? origin : '*') });
void app.register(polycors, { origin: (_origin, cb) => cb(new Error('directory down')) });
void app.register(polycors, { origin: async (origin) => [origin, /^https:\/\/[a-z]+\.example\.com$/] });
void app.register(polycors, { origin: ['https://app.example.com', (origin) => origin.endsWith('.example.org')] });
void app.register(polycors, {
  origin(origin, request) {
    return this.hasDecorator('tenants') && request.hostname === origin;
  },
});
void app.register(polycors, { origin: async (origin) => origin !== '', originCache: { key: (_origin, request) => request.hostname, ttl: 1000 }, originTimeout: 500 });
void app.register(polycors, { origin: (origin) => origin === 'https://app.example.com', reflectionWarning: { origins: 200, window: 60_000 } });
void app.register(polycors, { origin: (origin) => origin === 'https://app.example.com', reflectionWarning: false });
app.get('/f', { config: { cors: { origin: (origin, request) => request.url === '/f' && origin !== '' } } }, async () => 'f');
// @ts-expect-error an answer is a boolean, an origin rule or a list of them, not a number
void app.register(polycors, { origin: () => 42 });
// @ts-expect-error the callback takes an error first
void app.register(polycors, { origin: (_origin, cb) => cb(true) });
// @ts-expect-error originTimeout is plugin-only
const routeTimeout: PolycorsRouteOptions = { origin: '*', originTimeout: 10 };
void routeTimeout;

// @ts-expect-error hook must be one of the five request hooks
void app.register(polycors, { hook: 'onSend' });
// @ts-expect-error credentials is a boolean
void app.register(polycors, { origin: '*', credentials: 'yes' });

// Route config, through Fastify's declaration merging.
app.get('/a', { config: { cors: { origin: 'https://admin.example.com', inherit: false, cacheControl: 'no-store' } } }, async () => 'a');
app.get('/b', { config: { cors: false } }, async () => 'b');
app.get('/c', { config: {} }, async () => 'c');
// @ts-expect-error cors is an options object or false
app.get('/d', { config: { cors: 123 } }, async () => 'd');
// @ts-expect-error true is not a route policy
app.get('/e', { config: { cors: true } }, async () => 'e');
// @ts-expect-error a wrong value type inside config.cors is an error too
app.get('/g', { config: { cors: { credentials: 'yes' } } }, async () => 'g');
// Fastify infers a route's config type from the literal, so a misspelt key there is caught at startup
// ("did you mean 'origin'?"); `satisfies` catches it while compiling:
// @ts-expect-error 'orgin' is not an option
app.get('/h', { config: { cors: { orgin: 'https://admin.example.com' } satisfies PolycorsRouteOptions } }, async () => 'h');
app.get('/i', { config: { cors: { origin: 'https://admin.example.com' } satisfies PolycorsRouteOptions } }, async () => 'i');
// @ts-expect-error plugin-only options are not route options
const routeOnly: PolycorsRouteOptions = { hook: 'onRequest' };
void routeOnly;

const options: PolycorsOptions = { origin: false };
void options;
