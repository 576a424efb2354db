import { describe, expect, it } from '@jest/globals';
import { checkBacktracking, findUnescapedDot, isAnchored } from './regex-safety.js';

describe('isAnchored', () => {
  it.each([
    ['^https://a\\.com$', true],
    ['^https://(a|b)\\.com$', true],
    ['^https://[|]\\.com$', true],
    ['https://a\\.com$', false],
    ['^https://a\\.com', false],
    ['^https://a\\.com\\$', false],
    ['^https://a\\.com|https://b\\.com$', false],
  ])('%s -> %s', (source, expected) => {
    expect(isAnchored(source)).toBe(expected);
  });
});

describe('checkBacktracking', () => {
  it.each([
    // The two RegExps of issue 11: exponential (`?` inside a repeated group) and polynomial (adjacent overlapping quantifiers).
    [/^https:\/\/([a-z0-9]?[a-z0-9-])+\.example\.com$/],
    [/^https:\/\/[a-z0-9-]+[a-z0-9-]+[a-z0-9-]+\.example\.com$/],
    [/^(a+)+$/],
    [/^(\w*)*$/],
    [/^(a|aa)+$/],
  ])('refuses %s', (regexp) => {
    const verdict = checkBacktracking(regexp);
    expect(verdict.safe).toBe(false);
    expect(verdict.safe ? '' : verdict.reason).toMatch(/more than one way|too complex/);
  });

  it.each([
    [/^https:\/\/[a-z0-9-]+\.example\.com$/],
    [/^https:\/\/([a-z0-9-]+\.)*example\.com(:\d+)?$/],
    [/^https:\/\/(app|www|admin|api)\.example\.(com|org|net)$/],
    [/^https?:\/\/(localhost|127\.0\.0\.1)(:\d{1,5})?$/],
    [/^https:\/\/[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.example\.com$/],
    [/^https:\/\/pr-\d+\.preview\.example\.com$/],
    [/^https:\/\/(staging\.)?app\.example\.com$/i],
  ])('accepts the common safe RegExp %s', (regexp) => {
    expect(checkBacktracking(regexp)).toEqual({ safe: true });
  });
});

describe('findUnescapedDot', () => {
  it.each([
    ['^https://app.example\\.com$', 12],
    ['^https://app\\.example\\.com$', -1],
    ['^https://[a-z.]+\\.example\\.com$', -1],
    ['^https://.*\\.example\\.com$', -1],
    ['^https://.+\\.example\\.com$', -1],
    ['^https://\\\\.a$', 11],
  ])('%s -> %s', (source, expected) => {
    expect(findUnescapedDot(source)).toBe(expected);
  });
});

describe('checkBacktracking memory', () => {
  it('gives the same verdict object for the same RegExp source and flags, so per-route policies analyse it once', () => {
    const first = checkBacktracking(/^https:\/\/[a-z]+\.memo\.example$/);
    expect(checkBacktracking(/^https:\/\/[a-z]+\.memo\.example$/)).toBe(first);
    expect(checkBacktracking(/^https:\/\/[a-z]+\.memo\.example$/i)).not.toBe(first);
  });
});
