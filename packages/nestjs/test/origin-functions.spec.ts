/** Origin functions over real HTTP on both Nest platforms: core's one answer rule, both signatures, timeouts, caching. */
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Controller, Get, Module, Put } from '@nestjs/common';
import { CorsModule, type CorsModuleOptions } from '../src/index.js';
import { PLATFORMS, type Reply, type RunningApp, preflight, send, startApp } from './harness.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example';

@Controller('thing')
class ThingController {
  @Get()
  get() {
    return 'ok';
  }

  @Put()
  put() {
    return 'put';
  }
}

function moduleWith(options: CorsModuleOptions): Function {
  @Module({ imports: [CorsModule.forRoot({ logRefusals: false, logger: false, ...options })], controllers: [ThingController] })
  class OriginFunctionModule {}
  return OriginFunctionModule;
}

function recordingLogger() {
  const warnings: string[] = [];
  const errors: string[] = [];
  return { warnings, errors, warn: (message: string) => void warnings.push(message), error: (message: string) => void errors.push(message) };
}

function corsHeaders(reply: Reply): Record<string, string> {
  const found: Record<string, string> = {};
  reply.headers.forEach((value, name) => {
    if (name.startsWith('access-control-')) found[name] = value;
  });
  return found;
}

/** A GET with its own Host header (fetch cannot set Host): the CORS headers of the reply. */
function getWithHost(url: string, host: string, origin: string): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { host, origin }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(Object.fromEntries(Object.entries(res.headers).filter(([name]) => name.startsWith('access-control-')) as [string, string][])));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.each(PLATFORMS)('origin functions on %s', (platform) => {
  const running: RunningApp[] = [];
  const start = async (options: CorsModuleOptions) => {
    const server = await startApp(platform, moduleWith(options));
    running.push(server);
    return `${server.url}/thing`;
  };
  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.close()));
  });

  it("answers '*' under credentials with * and never with credentials or the origin, on actual requests and preflights (strict)", async () => {
    const url = await start({ origin: (origin, callback) => callback(null, origin === APP ? origin : '*'), credentials: true });
    const actual = await send(url, { headers: { origin: EVIL } });
    expect([actual.status, corsHeaders(actual)]).toEqual([200, { 'access-control-allow-origin': '*' }]);
    const answered = await preflight(url, EVIL, 'PUT');
    expect([answered.status, answered.header('access-control-allow-origin'), answered.header('access-control-allow-credentials')]).toEqual([204, '*', null]);
    const own = await send(url, { headers: { origin: APP } });
    expect([own.header('access-control-allow-origin'), own.header('access-control-allow-credentials')]).toEqual([APP, 'true']);
  });

  it('(origin, req) reads the request and answers at once instead of being taken for a callback and hanging', async () => {
    const url = await start({ origin: (origin, req) => req.headers['x-tenant'] === 'a' && origin === APP });
    expect((await send(url, { headers: { origin: APP, 'x-tenant': 'a' } })).header('access-control-allow-origin')).toBe(APP);
    expect(corsHeaders(await send(url, { headers: { origin: APP, 'x-tenant': 'b' } }))).toEqual({});
    expect((await preflight(url, APP, 'PUT')).status).toBe(403);
  });

  it('(origin, callback) allows and refuses, answering later', async () => {
    const url = await start({ origin: (origin, callback) => void setImmediate(() => callback(null, [/^https:\/\/app\.example\.com$/])) });
    expect((await preflight(url, APP, 'PUT')).status).toBe(204);
    expect((await preflight(url, EVIL, 'PUT')).status).toBe(403);
  });

  it('settles a non-native thenable whose then returns nothing', async () => {
    const url = await start({ origin: ((origin: string) => ({ then: (resolve: (value: boolean) => void) => void resolve(origin === APP) })) as unknown as CorsModuleOptions['origin'] });
    expect((await send(url, { headers: { origin: APP } })).header('access-control-allow-origin')).toBe(APP);
    expect(corsHeaders(await send(url, { headers: { origin: EVIL } }))).toEqual({});
  });

  it('refuses a function that never answers once originTimeout passes, logs it, and keeps serving', async () => {
    const logger = recordingLogger();
    const url = await start({ origin: (_origin, _callback) => undefined, originTimeout: 50, logger });
    const [actual, answered] = await Promise.all([send(url, { headers: { origin: APP } }), preflight(url, APP, 'PUT')]);
    expect([actual.status, actual.body, corsHeaders(actual)]).toEqual([200, 'ok', {}]);
    expect(answered.status).toBe(403);
    expect(logger.errors).toHaveLength(2);
    expect(logger.errors[0]).toContain('did not answer within 50 ms');
    expect((await send(url)).body).toBe('ok');
  });

  it('makes one call for 100 concurrent first requests from one origin, across routes (originCache)', async () => {
    let calls = 0;
    const url = await start({
      origin: async (origin) => {
        calls++;
        await new Promise((resolve) => setTimeout(resolve, 50));
        return origin === APP;
      },
      originCache: true,
    });
    // GET and PUT /thing are two route policies; both inherit the global function and originCache.
    const replies = await Promise.all(Array.from({ length: 100 }, (_, i) => send(url, { method: i % 2 === 0 ? 'GET' : 'PUT', headers: { origin: APP } })));
    expect(replies.every((reply) => reply.header('access-control-allow-origin') === APP)).toBe(true);
    expect(calls).toBe(1);
  });

  it('keys cached answers per tenant (Host): tenant B never gets the answer given to tenant A', async () => {
    const allowed: Record<string, string[]> = { 'a.example': [APP], 'b.example': [] };
    let calls = 0;
    const url = await start({
      origin: async (origin, req) => (calls++, allowed[String(req.headers.host)]?.includes(origin) ?? false),
      credentials: true,
      originCache: { key: (_origin, req) => String(req.headers.host) },
    });
    for (let round = 0; round < 2; round++) {
      expect(await getWithHost(url, 'a.example', APP)).toEqual({ 'access-control-allow-origin': APP, 'access-control-allow-credentials': 'true' });
      expect(await getWithHost(url, 'b.example', APP)).toEqual({});
    }
    expect(calls).toBe(2);
  });
});
