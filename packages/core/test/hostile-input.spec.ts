/**
 * Oversized and malformed input is refused on its length alone: no origin rule, RegExp or function ever sees it,
 * and no character of an oversized Access-Control-Request-Headers value is read.
 */
import { describe, expect, it, jest } from '@jest/globals';
import { type CorsDecision, createCorsPolicy } from '../src/index.js';

describe('hostile request headers', () => {
  it('refuses 1 MiB of Access-Control-Request-Headers without parsing it', () => {
    const policy = createCorsPolicy({ origin: 'https://app.test' });
    const megabyteOfCommas = ','.repeat(1 << 20);
    const decision = policy.evaluate({ method: 'OPTIONS', origin: 'https://app.test', requestMethod: 'POST', requestHeaders: megabyteOfCommas }) as CorsDecision;
    expect(decision).toMatchObject({ allowed: false, status: 403, headers: [], reason: { code: 'headers-too-long' } });
  });

  it('refuses a 10 KB Origin before any rule, RegExp or function looks at it', () => {
    const test = jest.fn(() => true);
    const regexp = /^https:\/\/a+\.test$/;
    regexp.test = test as unknown as RegExp['test'];
    const lookup = jest.fn(() => true);
    const policy = createCorsPolicy({ origin: ['https://*.app.test', regexp, lookup] });
    const origin = `https://${'a'.repeat(10_000)}.app.test`;
    const decision = policy.evaluate({ method: 'GET', origin }) as CorsDecision;
    expect(decision).toMatchObject({ allowed: false, headers: [], reason: { code: 'origin-too-long' } });
    expect(test).not.toHaveBeenCalled();
    expect(lookup).not.toHaveBeenCalled();
    expect(decision.reason!.message.length).toBeLessThan(200);
  });

  it('never puts a byte of a malformed header into a response header', () => {
    const policy = createCorsPolicy({ origin: 'https://app.test' });
    const decision = policy.evaluate({ method: 'OPTIONS', origin: 'https://app.test', requestMethod: 'POST', requestHeaders: 'x-a\r\nset-cookie: a=b' }) as CorsDecision;
    expect(decision).toMatchObject({ allowed: false, headers: [], reason: { code: 'headers-malformed' } });
  });

  it('refuses a malformed Origin with a reason that says so', () => {
    const policy = createCorsPolicy({ origin: 'https://*.app.test' });
    const decision = policy.evaluate({ method: 'GET', origin: 'not an origin' }) as CorsDecision;
    expect(decision.reason?.code).toBe('origin-malformed');
  });
});
