import { describe, expect, it } from '@jest/globals';
import polycors from '../src/index.js';
import { DELEGATED_POLICIES_MAX } from '../src/delegated-policies.js';
import { preflight, useServers } from './helpers.js';

const APP = 'https://app.example.com';
const PARTNER = 'https://partner.example.org';

const start = useServers();

/** Counts compilations through what a user sees: a policy with maxAge above 7200 warns once each time it is compiled. */
function warningsLog(): { logger: { warn(message: string): void; error(): void }; compiledWithMaxAge(maxAge: number): number } {
  const warnings: string[] = [];
  return {
    logger: { warn: (message) => warnings.push(message), error: () => {} },
    compiledWithMaxAge: (maxAge) => warnings.filter((warning) => warning.includes(`maxAge ${maxAge} is above`)).length,
  };
}

describe('delegator answers built per request', () => {
  it('compiles a fresh literal with the same content once', async () => {
    const log = warningsLog();
    const { send } = await start(async (app) => {
      await app.register(polycors, { logger: log.logger, delegator: () => ({ origin: [APP], methods: ['GET', 'PUT'], maxAge: 9000 }) });
      app.put('/doc', async () => 'ok');
    });
    for (let i = 0; i < 5; i++) {
      const response = await send('OPTIONS', '/doc', preflight(APP, 'PUT'));
      expect([response.status, response.headers['access-control-allow-origin'], response.headers['access-control-max-age']]).toEqual([204, APP, '9000']);
      expect((await send('GET', '/doc', { origin: APP })).headers['access-control-allow-origin']).toBe(APP);
    }
    expect(log.compiledWithMaxAge(9000)).toBe(1);
  });

  it('keeps answers with different content apart, and new functions by identity', async () => {
    const { send } = await start(async (app) => {
      await app.register(polycors, {
        logger: false,
        delegator: (request) => {
          const tenant = request.headers['x-tenant'] === 'partner' ? PARTNER : APP;
          // A new closure per request, with the same source text for both tenants: never shared by content.
          return request.headers['x-by'] === 'function' ? { origin: (origin: string) => origin === tenant } : { origin: [tenant], credentials: true };
        },
      });
      app.get('/', async () => 'ok');
    });
    for (const by of ['list', 'function']) {
      const asPartner = await send('GET', '/', { origin: PARTNER, 'x-tenant': 'partner', 'x-by': by });
      expect(asPartner.headers['access-control-allow-origin']).toBe(PARTNER);
      expect((await send('GET', '/', { origin: PARTNER, 'x-by': by })).headers['access-control-allow-origin']).toBeUndefined();
      expect((await send('GET', '/', { origin: APP, 'x-tenant': 'partner', 'x-by': by })).headers['access-control-allow-origin']).toBeUndefined();
      expect((await send('GET', '/', { origin: APP, 'x-by': by })).headers['access-control-allow-origin']).toBe(APP);
    }
    expect((await send('GET', '/', { origin: APP, 'x-by': 'list' })).headers['access-control-allow-credentials']).toBe('true');
  });

  it(`keeps at most ${DELEGATED_POLICIES_MAX} compiled answers, dropping the least recently used`, async () => {
    const log = warningsLog();
    const { send } = await start(async (app) => {
      await app.register(polycors, { logger: log.logger, delegator: (request) => ({ origin: [APP], maxAge: Number(request.headers['x-max-age']) }) });
      app.get('/', async () => 'ok');
    });
    const first = 7201;
    const request = (maxAge: number) => send('GET', '/', { origin: APP, 'x-max-age': String(maxAge) });
    await request(first);
    for (let maxAge = first + 1; maxAge < first + DELEGATED_POLICIES_MAX; maxAge++) await request(maxAge);
    await request(first); // still cached (256 entries): the most recently used now
    expect(log.compiledWithMaxAge(first)).toBe(1);
    await request(first + DELEGATED_POLICIES_MAX); // one more: evicts the least recently used, first + 1
    await request(first);
    expect(log.compiledWithMaxAge(first)).toBe(1);
    await request(first + 1);
    expect(log.compiledWithMaxAge(first + 1)).toBe(2);
  });
});
