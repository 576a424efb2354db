import { describe, expect, it } from '@jest/globals';
import { createCorsPolicy } from './policy.js';
import type { CorsDecision, CorsOptions, CorsRequest, CorsRefusal } from './options.js';

// evaluate() keeps the last allowed preflight answer per listed origin; these pin that the memory never changes an
// answer, whatever order requests come in.
const listed = ['https://a.example', 'https://b.example'];
const preflight = (origin: string, requestMethod: string, requestHeaders?: string, requestPrivateNetwork?: string): CorsRequest => ({
  method: 'OPTIONS',
  origin,
  requestMethod,
  requestHeaders,
  requestPrivateNetwork,
});
const view = (decision: CorsDecision) => ({ allowed: decision.allowed, code: decision.reason?.code, headers: decision.headers.map(([n, v]) => `${n}: ${v}`) });
const options: CorsOptions = { origin: [...listed, 'https://*.tenant.example'], methods: ['GET', 'PUT'], allowedHeaders: ['x-a'], credentials: true, maxAge: 60, logger: false };

describe('preflight answers asked again', () => {
  const requests = [
    preflight('https://a.example', 'PUT', 'x-a'),
    preflight('https://b.example', 'PUT', 'x-a'),
    preflight('https://a.example', 'PUT', 'x-a'),
    preflight('https://a.example', 'PUT', 'x-b'),
    preflight('https://a.example', 'PUT', 'x-a'),
    preflight('https://a.example', 'DELETE', 'x-a'),
    preflight('https://a.example', 'PUT'),
    preflight('https://a.example', 'PUT', 'x-a', 'true'),
    preflight('https://a.example', 'PUT', 'x-a'),
    preflight('https://eu.tenant.example', 'PUT', 'x-a'),
    preflight('https://us.tenant.example', 'PUT', 'x-a'),
  ];

  it('gives every request the answer a fresh policy gives it', () => {
    const remembered = createCorsPolicy(options);
    const inOrder = requests.map((request) => view(remembered.evaluate(request) as CorsDecision));
    const fresh = requests.map((request) => view(createCorsPolicy(options).evaluate(request) as CorsDecision));
    expect(inOrder).toEqual(fresh);
    expect(inOrder.map((d) => d.code ?? 'allowed')).toEqual([
      'allowed',
      'allowed',
      'allowed',
      'header-not-allowed',
      'allowed',
      'method-not-allowed',
      'allowed',
      'private-network-not-allowed',
      'allowed',
      'allowed',
      'allowed',
    ]);
    // Each origin gets its own Access-Control-Allow-Origin, never another origin's remembered answer.
    expect(inOrder[1].headers).toContain('access-control-allow-origin: https://b.example');
    expect(inOrder[2].headers).toContain('access-control-allow-origin: https://a.example');
    expect(inOrder[10].headers).toContain('access-control-allow-origin: https://us.tenant.example');
  });

  it('shares a frozen answer for a listed origin, and builds one per request for pattern matches', () => {
    const policy = createCorsPolicy(options);
    const first = policy.evaluate(preflight('https://a.example', 'PUT', 'x-a')) as CorsDecision;
    expect(policy.evaluate(preflight('https://a.example', 'PUT', 'x-a'))).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.headers)).toBe(true);
    const matched = policy.evaluate(preflight('https://eu.tenant.example', 'PUT', 'x-a'));
    expect(policy.evaluate(preflight('https://eu.tenant.example', 'PUT', 'x-a'))).not.toBe(matched);
  });

  it('still calls onRefusal for every refusal after an allowed answer was remembered', () => {
    const refusals: CorsRefusal[] = [];
    const policy = createCorsPolicy({ ...options, onRefusal: (event) => void refusals.push(event) });
    for (const request of [preflight('https://a.example', 'PUT', 'x-a'), preflight('https://a.example', 'PUT', 'x-b'), preflight('https://a.example', 'PUT', 'x-a'), preflight('https://a.example', 'PUT', 'x-b')]) {
      policy.evaluate(request);
    }
    expect(refusals.map((event) => event.reason.code)).toEqual(['header-not-allowed', 'header-not-allowed']);
  });

  it('remembers preflightContinue answers as they are, continue flag included', () => {
    const policy = createCorsPolicy({ ...options, preflightContinue: true });
    const first = policy.evaluate(preflight('https://a.example', 'PUT', 'x-a')) as CorsDecision;
    const again = policy.evaluate(preflight('https://a.example', 'PUT', 'x-a')) as CorsDecision;
    expect([first.continue, again.continue]).toEqual([true, true]);
  });
});
