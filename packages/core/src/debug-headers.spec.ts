import { describe, expect, it } from '@jest/globals';
import { validateHeaderValue } from 'node:http';
import { type CorsDecision, createCorsPolicy } from './index.js';

const APP = 'https://app.example.com';
const refused = { method: 'GET', origin: 'https://other.example' };

describe('debug headers on refusals', () => {
  it('name the policy that refused (polycors-policy: its source) next to the reason', () => {
    const policy = createCorsPolicy({ origin: APP, debug: true }, { where: 'route PATCH /admin', source: 'config.cors of route PATCH /admin' });
    expect((policy.evaluate(refused) as CorsDecision).headers).toEqual([
      ['polycors-reason', 'origin-not-allowed'],
      ['polycors-policy', 'config.cors of route PATCH /admin'],
    ]);
  });

  it('fall back to where when no source is given, and to the reason alone without either', () => {
    const named = createCorsPolicy({ origin: APP, debug: true }, { where: 'ItemsController.update (PATCH /items)' });
    expect((named.evaluate(refused) as CorsDecision).headers).toContainEqual(['polycors-policy', 'ItemsController.update (PATCH /items)']);
    expect((createCorsPolicy({ origin: APP, debug: true }).evaluate(refused) as CorsDecision).headers).toEqual([['polycors-reason', 'origin-not-allowed']]);
  });

  it('are never sent without debug, nor on allowed requests', () => {
    const quiet = createCorsPolicy({ origin: APP }, { source: 'cors()' });
    expect((quiet.evaluate(refused) as CorsDecision).headers).toEqual([]);
    const debug = createCorsPolicy({ origin: APP, debug: true }, { source: 'cors()' });
    const allowed = debug.evaluate({ method: 'GET', origin: APP }) as CorsDecision;
    expect(allowed.headers.map(([name]) => name)).not.toContain('polycors-policy');
  });

  it('keep to characters a header may hold, whatever the route path holds (a header node would reject crashes the response)', () => {
    const source = 'corsRoute() on GET /café/\ud800\r\nX-Injected: 1';
    const policy = createCorsPolicy({ origin: APP, debug: true }, { source });
    const value = (policy.evaluate(refused) as CorsDecision).headers.find(([name]) => name === 'polycors-policy')?.[1] as string;
    expect(value).toBe('corsRoute() on GET /caf%C3%A9/?%0D%0AX-Injected: 1');
    expect(() => validateHeaderValue('polycors-policy', value)).not.toThrow();
  });
});
