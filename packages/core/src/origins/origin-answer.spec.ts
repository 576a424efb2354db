import { describe, expect, it } from '@jest/globals';
import { readOriginAnswer } from './origin-answer.js';

const APP = 'https://app.example.com';

describe('readOriginAnswer: what an origin function answer means', () => {
  it.each([
    [true, 'allowed'],
    [APP, 'allowed'],
    ['*', 'any'],
    [false, 'refused'],
    [null, 'refused'],
    [undefined, 'refused'],
    ['', 'refused'],
    ['https://other.example', 'refused'],
    [`${APP}/`, 'refused'],
    ['HTTPS://APP.EXAMPLE.COM', 'refused'],
    [/^https:\/\/app\.example\.com$/, 'allowed'],
    [/^https:\/\/other\.example$/, 'refused'],
    [[APP], 'allowed'],
    [['https://other.example', /^https:\/\/app\.example\.com$/], 'allowed'],
    // A RegExp answer must match the whole origin: unanchored, it would allow https://app.example.com.attacker.net.
    [/app\.example\.com/, 'refused'],
    [['https://other.example', /^https:\/\/app\./], 'refused'],
    [['https://other.example'], 'refused'],
    [[], 'refused'],
    [['*'], 'any'],
    [['https://other.example', '*'], 'any'],
    // The request's own origin listed beside '*' is reflected: the more specific answer wins.
    [['*', APP], 'allowed'],
    [[['https://other.example', [APP]]], 'allowed'],
  ])('%p -> %s', (answer, kind) => {
    expect(readOriginAnswer(answer, APP).kind).toBe(kind);
  });

  it.each([
    [1, 'number 1'],
    ['yes'.length, 'number 3'],
    [{ origin: APP }, 'an object'],
    [() => true, 'a function'],
    [Symbol('x'), 'symbol'],
    [[APP, 7], 'a list holding number 7'],
    [[7, APP], 'a list holding number 7'],
    [[[[[[[[[[[APP]]]]]]]]]], 'nested more than 8 deep'],
  ])('%p is a broken answer, refused whatever else it holds', (answer, description) => {
    const verdict = readOriginAnswer(answer, APP);
    expect(verdict.kind).toBe('invalid');
    expect((verdict as { description: string }).description).toContain(description);
  });

  it('resets lastIndex of a g or y RegExp, so one answer does not depend on the previous request', () => {
    const sticky = /^https:\/\/app\.example\.com$/g;
    expect([readOriginAnswer(sticky, APP).kind, readOriginAnswer(sticky, APP).kind]).toEqual(['allowed', 'allowed']);
  });
});
