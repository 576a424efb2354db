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
// @ts-expect-error plugin-only options are not route options
const routeOnly: PolycorsRouteOptions = { hook: 'onRequest' };
void routeOnly;

const options: PolycorsOptions = { origin: false };
void options;
