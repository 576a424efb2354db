/** Every @koa/cors 5 option, with the meaning it has there (and where polycors is stricter, the safer answer). */
import { afterEach, describe, expect, it } from '@jest/globals';
import Koa from 'koa';
import { CorsConfigError, type KoaCorsOptions, cors } from '../src/index.js';
import { closeAll, corsHeaders, preflight, recordingLogger, send, start, varyTokens } from './helpers.js';

const APP = 'https://app.example.com';
const OTHER = 'https://other.example';

afterEach(closeAll);

async function serve(options: KoaCorsOptions) {
  const app = new Koa();
  app.silent = true;
  app.use(cors({ logger: false, ...options }));
  app.use((ctx) => {
    if (ctx.path === '/fail') ctx.throw(401);
    ctx.body = 'ok';
  });
  return start(app);
}

describe('@koa/cors options', () => {
  it("has no default origin in strict mode: cors() without origin fails at startup, naming @koa/cors' '*' default", () => {
    let thrown: unknown;
    try {
      cors({ logger: false });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CorsConfigError);
    expect((thrown as CorsConfigError).problems).toEqual([expect.objectContaining({ path: 'origin', code: 'origin-missing', message: expect.stringContaining("@koa/cors defaults to '*'") })]);
  });

  it("applies @koa/cors' default origin '*' with strict: false, with a warning", async () => {
    const logger = recordingLogger();
    const server = await serve({ strict: false, logger });
    const reply = await send(server, '/', 'GET', { origin: OTHER });
    expect(reply.header('access-control-allow-origin')).toBe('*');
    expect((await preflight(server, '/', OTHER, 'PUT')).status).toBe(204);
    expect(logger.warnings.join('\n')).toContain('origin-missing');
  });

  it('origin as a string allows that origin only', async () => {
    const server = await serve({ origin: APP });
    expect((await send(server, '/', 'GET', { origin: APP })).header('access-control-allow-origin')).toBe(APP);
    expect((await send(server, '/', 'GET', { origin: OTHER })).header('access-control-allow-origin')).toBeUndefined();
  });

  it('origin(ctx) returning the request origin allows it; returning another origin or nothing refuses', async () => {
    const server = await serve({ origin: (ctx) => (ctx.get('Origin') === APP ? APP : ctx.get('Origin') === OTHER ? 'https://someone-else.example' : undefined) });
    expect((await send(server, '/', 'GET', { origin: APP })).header('access-control-allow-origin')).toBe(APP);
    expect((await send(server, '/', 'GET', { origin: OTHER })).header('access-control-allow-origin')).toBeUndefined();
    expect((await send(server, '/', 'GET', { origin: 'https://third.example' })).header('access-control-allow-origin')).toBeUndefined();
    expect((await preflight(server, '/', OTHER, 'PUT')).status).toBe(403);
  });

  it('origin(ctx) may be async, and may answer * to allow any origin: answered *, with Vary: Origin (another origin may get another answer)', async () => {
    const server = await serve({ origin: async () => '*' });
    const reply = await send(server, '/', 'GET', { origin: OTHER });
    expect(reply.header('access-control-allow-origin')).toBe('*');
    expect(varyTokens(reply)).toContain('origin');
  });

  it('origin(ctx) answering * under credentials is answered * without credentials, where @koa/cors would echo any origin with them', async () => {
    const logger = recordingLogger();
    const server = await serve({ origin: () => '*', credentials: true, logger });
    const reply = await send(server, '/', 'GET', { origin: OTHER });
    expect(corsHeaders(reply)).toEqual({ 'access-control-allow-origin': '*' });
    const answered = await preflight(server, '/', OTHER, 'PUT');
    expect([answered.status, answered.header('access-control-allow-origin'), answered.header('access-control-allow-credentials')]).toEqual([204, '*', undefined]);
    expect(logger.warnings.join('\n')).toContain("answered '*' in a policy with credentials: true");
  });

  it('origin(ctx) that throws refuses the request and logs the error', async () => {
    const logger = recordingLogger();
    const server = await serve({ origin: () => {
      throw new Error('db down');
    }, logger });
    const reply = await send(server, '/', 'GET', { origin: APP });
    expect(reply.status).toBe(200);
    expect(corsHeaders(reply)).toEqual({});
    expect(logger.errors).toHaveLength(1);
  });

  it('allowMethods, as a string or an array, sets Access-Control-Allow-Methods and limits preflights', async () => {
    const asString = await serve({ origin: APP, allowMethods: 'GET,POST' });
    expect((await preflight(asString, '/', APP, 'POST')).header('access-control-allow-methods')).toBe('GET, POST');
    expect((await preflight(asString, '/', APP, 'DELETE')).status).toBe(403);
    const asArray = await serve({ origin: APP, allowMethods: ['PUT'] });
    expect((await preflight(asArray, '/', APP, 'PUT')).header('access-control-allow-methods')).toBe('PUT');
  });

  it('allowHeaders lists the request headers a preflight may ask for; without it, what is asked is allowed', async () => {
    const listed = await serve({ origin: APP, allowHeaders: ['Content-Type', 'X-Token'] });
    expect((await preflight(listed, '/', APP, 'PUT', 'x-token')).header('access-control-allow-headers')).toBe('content-type, x-token');
    expect((await preflight(listed, '/', APP, 'PUT', 'x-other')).status).toBe(403);
    const reflecting = await serve({ origin: APP });
    expect((await preflight(reflecting, '/', APP, 'PUT', 'x-anything')).header('access-control-allow-headers')).toBe('x-anything');
  });

  it('exposeHeaders sets Access-Control-Expose-Headers on actual responses', async () => {
    const server = await serve({ origin: APP, exposeHeaders: 'X-Total, X-Page' });
    expect((await send(server, '/', 'GET', { origin: APP })).header('access-control-expose-headers')).toBe('X-Total, X-Page');
  });

  it('maxAge, as a number or a string of digits, sets Access-Control-Max-Age on preflights', async () => {
    const asNumber = await serve({ origin: APP, maxAge: 600 });
    expect((await preflight(asNumber, '/', APP, 'PUT')).header('access-control-max-age')).toBe('600');
    const asString = await serve({ origin: APP, maxAge: '300' });
    expect((await preflight(asString, '/', APP, 'PUT')).header('access-control-max-age')).toBe('300');
    expect(() => cors({ origin: APP, maxAge: 'a day' })).toThrow(CorsConfigError);
  });

  it('credentials: true sends Access-Control-Allow-Credentials with the listed origin', async () => {
    const server = await serve({ origin: APP, credentials: true });
    expect(corsHeaders(await send(server, '/', 'GET', { origin: APP }))).toEqual({ 'access-control-allow-origin': APP, 'access-control-allow-credentials': 'true' });
    expect((await preflight(server, '/', APP, 'PUT')).header('access-control-allow-credentials')).toBe('true');
  });

  it('credentials: true with the * default is refused at startup (@koa/cors would echo any origin)', () => {
    expect(() => cors({ credentials: true })).toThrow(CorsConfigError);
    try {
      cors({ credentials: true });
    } catch (error) {
      expect((error as CorsConfigError).problems.map((p) => p.code)).toContain('origin-any-with-credentials');
    }
  });

  it('with strict: false, credentials with * only warns, and still never echoes an origin with credentials', async () => {
    const logger = recordingLogger();
    const server = await serve({ credentials: true, strict: false, logger });
    expect(logger.warnings.join('\n')).toContain('origin-any-with-credentials');
    const reply = await send(server, '/', 'GET', { origin: OTHER });
    expect(reply.header('access-control-allow-origin')).toBe('*');
    expect(reply.header('access-control-allow-credentials')).toBeUndefined();
  });

  it('credentials(ctx) decides per request, from two policies validated at startup', async () => {
    const server = await serve({ origin: APP, credentials: (ctx) => ctx.path.startsWith('/account') });
    expect((await send(server, '/account', 'GET', { origin: APP })).header('access-control-allow-credentials')).toBe('true');
    expect((await send(server, '/public', 'GET', { origin: APP })).header('access-control-allow-credentials')).toBeUndefined();
    expect((await preflight(server, '/account', APP, 'PUT')).header('access-control-allow-credentials')).toBe('true');
    expect(() => cors({ credentials: () => true })).toThrow(/when credentials\(ctx\) is true/);
  });

  it('credentials(ctx) that throws answers without credentials and logs the error', async () => {
    const logger = recordingLogger();
    const server = await serve({ origin: APP, credentials: async () => {
      throw new Error('session store down');
    }, logger });
    const reply = await send(server, '/', 'GET', { origin: APP });
    expect(corsHeaders(reply)).toEqual({ 'access-control-allow-origin': APP });
    expect(logger.errors).toHaveLength(1);
  });

  it('keepHeadersOnError (default true) keeps the CORS headers on error responses; false drops them', async () => {
    const kept = await serve({ origin: APP });
    expect((await send(kept, '/fail', 'GET', { origin: APP })).header('access-control-allow-origin')).toBe(APP);
    const dropped = await serve({ origin: APP, keepHeadersOnError: false });
    expect((await send(dropped, '/fail', 'GET', { origin: APP })).header('access-control-allow-origin')).toBeUndefined();
  });

  it('secureContext sends Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy, also on errors and preflights', async () => {
    const server = await serve({ origin: APP, secureContext: true });
    for (const reply of [await send(server, '/', 'GET', { origin: APP }), await send(server, '/fail', 'GET', { origin: APP }), await preflight(server, '/', APP, 'PUT')]) {
      expect(reply.header('cross-origin-opener-policy')).toBe('same-origin');
      expect(reply.header('cross-origin-embedder-policy')).toBe('require-corp');
    }
    const plain = await serve({ origin: APP });
    expect((await send(plain, '/', 'GET', { origin: APP })).header('cross-origin-opener-policy')).toBeUndefined();
  });

  it('privateNetworkAccess answers Access-Control-Request-Private-Network; without it such preflights are refused', async () => {
    const allowed = await serve({ origin: APP, privateNetworkAccess: true });
    const reply = await preflight(allowed, '/', APP, 'PUT', undefined, { 'access-control-request-private-network': 'true' });
    expect(reply.status).toBe(204);
    expect(reply.header('access-control-allow-private-network')).toBe('true');
    const refused = await serve({ origin: APP });
    expect((await preflight(refused, '/', APP, 'PUT', undefined, { 'access-control-request-private-network': 'true' })).status).toBe(403);
  });

  it('refuses an option given under both its @koa/cors name and its polycors name', () => {
    expect(() => cors({ origin: APP, allowMethods: 'GET', methods: ['POST'] })).toThrow(/both 'allowMethods'/);
  });

  it('accepts polycors’ own names too: methods, allowedHeaders, exposedHeaders', async () => {
    const server = await serve({ origin: APP, methods: ['PUT'], allowedHeaders: ['x-a'], exposedHeaders: ['X-B'] });
    const pre = await preflight(server, '/', APP, 'PUT', 'x-a');
    expect(corsHeaders(pre)).toMatchObject({ 'access-control-allow-methods': 'PUT', 'access-control-allow-headers': 'x-a' });
    expect((await send(server, '/', 'GET', { origin: APP })).header('access-control-expose-headers')).toBe('X-B');
  });
});
