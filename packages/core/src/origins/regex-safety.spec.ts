import { describe, expect, it } from '@jest/globals';
import { hasNestedQuantifier, isAnchored } from './regex-safety.js';

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

describe('hasNestedQuantifier', () => {
  it.each([
    ['^(a+)+$', true],
    ['^(\\w*)*$', true],
    ['^(a|aa)+$', true],
    ['^((ab)*c)+$', true],
    ['^(a+){2,}$', true],
    ['^https://(a|b)\\.com$', false],
    ['^https://[a-z]+\\.example\\.com$', false],
    ['^(a+)?$', false],
    ['^(a+){1}$', false],
    ['^\\(a+\\)+$', false],
    ['^[(a+)]+$', false],
  ])('%s -> %s', (source, expected) => {
    expect(hasNestedQuantifier(source)).toBe(expected);
  });
});
