import { describe, expect, it } from '@jest/globals';
import { makeStyle, wantsColour } from './output.js';

describe('colour', () => {
  it('is on for a terminal without NO_COLOR, off for a pipe or with NO_COLOR set', () => {
    expect(wantsColour({ isTTY: true }, {})).toBe(true);
    expect(wantsColour({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(wantsColour({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColour({ isTTY: false }, {})).toBe(false);
    expect(wantsColour({}, {})).toBe(false);
  });

  it('wraps text in ANSI codes only when on', () => {
    expect(makeStyle(true).red('BLOCKED')).toBe('\u001b[31mBLOCKED\u001b[39m');
    expect(makeStyle(false).red('BLOCKED')).toBe('BLOCKED');
  });
});
