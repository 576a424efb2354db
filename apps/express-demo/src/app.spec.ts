import { describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import { describeDemoApiContract, FRONT } from '@polycors/demo-kit/test-support';
import { buildApp } from './app.js';

async function listen(app: ReturnType<typeof buildApp>): Promise<{ server: Server; base: string }> {
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const address = server.address();
  return { server, base: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

describeDemoApiContract(
  'the Express demo API',
  async (config) => {
    const warnings: string[] = [];
    const logger = { warn: (message: string) => warnings.push(message), error: (message: string) => warnings.push(message) };
    const { server, base } = await listen(buildApp(config, { logger }));
    return { base, warnings, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  },
  {
    guards: 'global middleware, auth middleware',
    legacyWhere: 'GET /legacy',
    refusalLog: 'CORS OPTIONS http://localhost:5173 refused [cors-disabled]: CORS is turned off for this route (cors: false); cross-origin pages cannot read it',
  },
);

describe('the Express demo API without DEMO_STATS', () => {
  it('serves no /__stats', async () => {
    const { server, base } = await listen(buildApp({ port: 0, host: '127.0.0.1', origins: [FRONT], token: 't', stats: false }, { logger: false }));
    const response = await fetch(`${base}/__stats`);
    expect(response.status).toBe(404);
    await new Promise((resolve) => server.close(resolve));
  });
});
