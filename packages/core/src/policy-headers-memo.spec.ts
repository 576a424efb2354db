import { describe, expect, it } from '@jest/globals';
import { createCorsPolicy } from './policy.js';
import type { CorsDecision, CorsOptions } from './options.js';

// evaluate() remembers the last Access-Control-Request-Headers verdict; these pin that the memory never changes an answer.
const origin = 'https://app.example.com';
const preflight = (requestHeaders: string) => ({ method: 'OPTIONS', origin, requestMethod: 'PUT', requestHeaders });
const judge = (options: CorsOptions, values: string[]) => {
  const policy = createCorsPolicy({ origin, logger: false, ...options });
  return values.map((value) => {
    const decision = policy.evaluate(preflight(value)) as CorsDecision;
    return { allowed: decision.allowed, code: decision.reason?.code, acah: decision.headers.find(([name]) => name === 'access-control-allow-headers')?.[1] };
  });
};

describe('preflight request-header verdicts asked again', () => {
  it('judges each value on its own when allowed and refused values alternate', () => {
    const values = ['content-type', 'x-evil', 'content-type', 'content-type', 'x-evil', 'Content-Type, X-Request-Id', 'x-request-id,,'];
    const fresh = values.map((value) => judge({ allowedHeaders: ['content-type', 'x-request-id'] }, [value])[0]);
    expect(judge({ allowedHeaders: ['content-type', 'x-request-id'] }, values)).toEqual(fresh);
    expect(fresh.map((d) => d.allowed)).toEqual([true, false, true, true, false, true, true]);
  });

  it('echoes the value asked for this time when request headers are reflected', () => {
    expect(judge({}, ['x-a', 'x-a', 'X-B', 'x-a']).map((d) => d.acah)).toEqual(['x-a', 'x-a', 'x-b', 'x-a']);
  });

  it('still refuses an over-long value every time, and the value after it is judged on its own', () => {
    const long = 'x-a,'.repeat(2000);
    expect(judge({ allowedHeaders: ['x-a'] }, ['x-a', long, long, 'x-a', 'x-b x'])).toEqual([
      { allowed: true, code: undefined, acah: 'x-a' },
      { allowed: false, code: 'headers-too-long', acah: undefined },
      { allowed: false, code: 'headers-too-long', acah: undefined },
      { allowed: true, code: undefined, acah: 'x-a' },
      { allowed: false, code: 'headers-malformed', acah: undefined },
    ]);
  });

  it('keeps one policy’s memory apart from another’s', () => {
    const open = createCorsPolicy({ origin, allowedHeaders: ['x-a'], logger: false });
    const closed = createCorsPolicy({ origin, allowedHeaders: ['x-b'], logger: false });
    expect((open.evaluate(preflight('x-a')) as CorsDecision).allowed).toBe(true);
    expect((closed.evaluate(preflight('x-a')) as CorsDecision).allowed).toBe(false);
  });
});
