import { describe, expect, it, jest } from '@jest/globals';
import { checkRequestHeaders } from './request-headers.js';

const reflect = { mode: 'reflect' } as const;
const list = { mode: 'list', names: new Set(['content-type', 'x-app-version']) } as const;

describe('checkRequestHeaders', () => {
  it('echoes the lower-case comma list browsers send without rebuilding it', () => {
    expect(checkRequestHeaders('content-type,x-app-version', reflect, 4096)).toEqual({ reflected: 'content-type,x-app-version' });
  });

  it('accepts names in any order and case, with optional whitespace and empty items', () => {
    expect(checkRequestHeaders('X-App-Version ,\tcontent-type,,', list, 4096)).toEqual({});
  });

  it('names the first header that is not allowed', () => {
    expect(checkRequestHeaders('content-type,X-Foo', list, 4096)).toEqual({ failure: 'header-not-allowed', name: 'x-foo' });
  });

  it.each(['content type', 'x-a,b c', 'x-a;', 'x-ä', 'x\r\ny', '"quoted"'])('refuses the malformed list %j', (value) => {
    expect(checkRequestHeaders(value, reflect, 4096).failure).toBe('headers-malformed');
  });

  it('treats an empty value as asking for nothing', () => {
    expect(checkRequestHeaders('', reflect, 4096)).toEqual({ reflected: '' });
  });

  it('accepts 64 header names and refuses a 65th without judging it', () => {
    const names = Array.from({ length: 65 }, (_, i) => `x-h${i}`);
    expect(checkRequestHeaders(names.slice(0, 64).join(','), reflect, 4096).failure).toBeUndefined();
    expect(checkRequestHeaders(names.join(','), reflect, 4096)).toEqual({ failure: 'headers-too-many' });
  });

  it('refuses a value over the limit before reading a single character of it', () => {
    const charCodeAt = jest.fn();
    const slice = jest.fn();
    const hostile = { length: 1 << 20, charCodeAt, slice, toLowerCase: slice } as unknown as string;
    expect(checkRequestHeaders(hostile, reflect, 4096)).toEqual({ failure: 'headers-too-long' });
    expect(charCodeAt).not.toHaveBeenCalled();
    expect(slice).not.toHaveBeenCalled();
  });
});
