import { describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import { describeDemoApiContract, FRONT } from '@polycors/demo-kit/test-support';
import { buildApp } from './app.js';

describeDemoApiContract(
  'the Koa demo API',
  async (config) => {
    const warnings: string[] = [];
    const logger = { warn: (message: string) => warnings.push(message), error: (message: string) => warnings.push(message) };
    const app = buildApp(config, { logger });
    const server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    const address = server.address();
    return {
      base: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
      warnings,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  },
  {
    guards: 'global middleware, auth middleware',
    legacyWhere: 'GET /legacy',
    refusalLog: 'CORS OPTIONS http://localhost:5173 refused [cors-disabled]: CORS is turned off for this route (cors: false); cross-origin pages cannot read it',
  },
);

describe('the Koa demo API without DEMO_STATS', () => {
  it('serves no /__stats', async () => {
    const app = buildApp({ port: 0, host: '127.0.0.1', origins: [FRONT], token: 't', stats: false }, { logger: false });
    const server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    const address = server.address();
    const response = await fetch(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/__stats`);
    expect(response.status).toBe(404);
    await new Promise((resolve) => server.close(resolve));
  });
});
