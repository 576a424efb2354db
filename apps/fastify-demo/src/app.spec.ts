import { describe, expect, it } from '@jest/globals';
import { describeDemoApiContract, FRONT, OTHER, type RunningDemoApi } from '@polycors/demo-kit/test-support';
import type { DemoConfig } from '@polycors/demo-kit';
import { buildApp } from './app.js';

/**
 * Starts the demo with stats on. `corsLog` gets what polycors sends its logger (configuration warnings); `log` gets
 * the messages Fastify logs at warn and above (polycors logs refusals through request.log at warn).
 */
async function start(config: DemoConfig, corsLog: string[], log: string[]) {
  const corsLogger = { warn: (message: string) => corsLog.push(message), error: (message: string) => corsLog.push(message) };
  const logger = { level: 'warn', stream: { write: (line: string) => log.push((JSON.parse(line) as { msg: string }).msg) } };
  const app = await buildApp(config, { corsLogger, logger });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return { app, base: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

describeDemoApiContract(
  'the Fastify demo API',
  async (config): Promise<RunningDemoApi> => {
    const warnings: string[] = [];
    const { app, base } = await start(config, warnings, warnings);
    return { base, warnings, close: () => app.close() };
  },
  {
    guards: 'global hook, auth hook',
    legacyWhere: 'GET /legacy',
    refusalLog: 'CORS preflight refused [cors-disabled]: CORS is turned off for this route (cors: false); cross-origin pages cannot read it',
  },
);

describe('the Fastify demo API\'s logging', () => {
  it('gives polycors\' logger the /legacy warning and nothing else, and the Fastify log the refusals', async () => {
    const corsLog: string[] = [];
    const log: string[] = [];
    const { app, base } = await start({ port: 0, host: '127.0.0.1', origins: [FRONT], token: 't0k3n', stats: true }, corsLog, log);
    try {
      const refused = await fetch(`${base}/form`, { method: 'OPTIONS', headers: { origin: OTHER, 'access-control-request-method': 'POST' } });
      expect(refused.status).toBe(403);
      const off = await fetch(`${base}/internal`, { method: 'OPTIONS', headers: { origin: FRONT, 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-app-version' } });
      expect(off.status).toBe(403);
      await fetch(`${base}/legacy`, { headers: { origin: FRONT } });
      expect(corsLog).toEqual([expect.stringContaining('GET /legacy')]);
      expect(corsLog[0]).toContain('[origin-any-with-credentials]');
      expect(log).toContainEqual(expect.stringContaining('CORS preflight refused [origin-not-allowed]'));
      expect(log).toContainEqual(expect.stringContaining('CORS preflight refused [cors-disabled]'));
    } finally {
      await app.close();
    }
  });
});

describe('the Fastify demo API without DEMO_STATS', () => {
  it('serves no /__stats', async () => {
    const app = await buildApp({ port: 0, host: '127.0.0.1', origins: [FRONT], token: 't', stats: false }, { corsLogger: false });
    const response = await app.inject({ method: 'GET', url: '/__stats' });
    expect(response.statusCode).toBe(404);
    await app.close();
  });
});
