import { describe, expect, it } from '@jest/globals';
import { demoConfigFromEnv } from './config.js';

describe('the demo environment contract', () => {
  it('defaults to the given port, 127.0.0.1, the playground origins, demo-token and no stats', () => {
    expect(demoConfigFromEnv({}, 3002)).toEqual({
      port: 3002,
      host: '127.0.0.1',
      origins: ['http://localhost:5173', 'http://127.0.0.1:5173'],
      token: 'demo-token',
      stats: false,
    });
  });

  it('reads PORT, HOST, CORS_ORIGINS (trimmed, empty entries dropped), DEMO_TOKEN and DEMO_STATS', () => {
    expect(
      demoConfigFromEnv({ PORT: '0', HOST: '::1', CORS_ORIGINS: ' https://a.example , ,https://b.example', DEMO_STATS: '1', DEMO_TOKEN: 'x' }, 3002),
    ).toEqual({ port: 0, host: '::1', origins: ['https://a.example', 'https://b.example'], token: 'x', stats: true });
    expect(demoConfigFromEnv({ DEMO_STATS: 'true' }, 1).stats).toBe(true);
    expect(demoConfigFromEnv({ DEMO_STATS: '0' }, 1).stats).toBe(false);
  });

  it('treats empty variables as unset', () => {
    expect(demoConfigFromEnv({ PORT: '', HOST: '', CORS_ORIGINS: ' , ', DEMO_TOKEN: '' }, 3003)).toMatchObject({
      port: 3003,
      host: '127.0.0.1',
      origins: ['http://localhost:5173', 'http://127.0.0.1:5173'],
      token: 'demo-token',
    });
  });

  it('refuses a PORT that is not a port number', () => {
    expect(() => demoConfigFromEnv({ PORT: 'eighty' }, 3002)).toThrow("PORT must be a port number (0-65535), got 'eighty'");
    expect(() => demoConfigFromEnv({ PORT: '65536' }, 3002)).toThrow(/got '65536'/);
    expect(() => demoConfigFromEnv({ PORT: '-1' }, 3002)).toThrow(/got '-1'/);
  });

  it('hands out a fresh origins list, so a caller cannot change the defaults', () => {
    demoConfigFromEnv({}, 1).origins.push('https://evil.example');
    expect(demoConfigFromEnv({}, 1).origins).toEqual(['http://localhost:5173', 'http://127.0.0.1:5173']);
  });
});
