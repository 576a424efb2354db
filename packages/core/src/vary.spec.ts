import { describe, expect, it } from '@jest/globals';
import { appendVary } from './vary.js';

describe('appendVary', () => {
  it.each<[string | string[] | undefined, string[], string]>([
    [undefined, ['Origin'], 'Origin'],
    ['', ['Origin'], 'Origin'],
    ['Accept-Encoding', ['Origin'], 'Accept-Encoding, Origin'],
    ['accept-encoding, origin', ['Origin'], 'accept-encoding, origin'],
    ['Origin', ['Origin', 'Access-Control-Request-Headers'], 'Origin, Access-Control-Request-Headers'],
    ['*', ['Origin'], '*'],
    ['Accept', ['*'], '*'],
    [['Accept', 'Cookie'], ['Origin'], 'Accept, Cookie, Origin'],
    ['Accept', [], 'Accept'],
  ])('merges %j with %j into %j', (existing, tokens, expected) => {
    expect(appendVary(existing, tokens)).toBe(expected);
  });
});
