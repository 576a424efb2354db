/**
 * Checks an `Access-Control-Request-Headers` value in one bounded pass: the length is checked before anything
 * else, each name is validated as an RFC 9110 token through a lookup table, names compare case-insensitively
 * and in any order. No regex, and no allocation for the common lower-case value browsers send.
 */
import { isTokenChar } from './tokens.js';

export type AllowedHeaderSet =
  /** Any header the preflight asks for (the default): echoed back. */
  | { mode: 'reflect' }
  /** `*`: any header but `authorization`, which the Fetch Standard requires to be listed by name. */
  | { mode: 'wildcard'; authorization: boolean }
  | { mode: 'list'; names: ReadonlySet<string> };

export type HeaderListFailure =
  | 'headers-too-long'
  | 'headers-too-many'
  | 'headers-malformed'
  | 'header-not-allowed'
  | 'header-authorization-not-covered-by-wildcard';

/**
 * Most header names one preflight may list. Browsers list each non-safelisted header once; real requests carry a
 * handful. Bounding the count bounds the per-name work (slice, lookup) whatever the length limit allows.
 */
export const MAX_REQUEST_HEADER_NAMES = 64;

export interface HeaderListVerdict {
  failure?: HeaderListFailure;
  /** The offending header name (lower case), for `header-not-allowed`. */
  name?: string;
  /** reflect mode: the requested names, lower case, comma-separated, to echo. */
  reflected?: string;
}

const ALLOWED_NOTHING_TO_ECHO: HeaderListVerdict = Object.freeze({ reflected: '' });
const ALLOWED: HeaderListVerdict = Object.freeze({});

export function checkRequestHeaders(value: string, allowed: AllowedHeaderSet, maxLength: number): HeaderListVerdict {
  if (value.length > maxLength) return { failure: 'headers-too-long' };
  const reflect = allowed.mode === 'reflect';
  let clean = true; // already lower case, no whitespace, no empty items: echo the value as it is
  let names: string[] | undefined;
  let start = -1;
  let end = -1;
  let upper = false;
  let count = 0;
  for (let i = 0; i <= value.length; i++) {
    const c = i < value.length ? value.charCodeAt(i) : 0x2c;
    if (c === 0x2c /* , */) {
      if (start === -1) {
        if (value.length > 0) clean = false; // an empty list item (",,", trailing ","): tolerated, as in HTTP list syntax
        continue;
      }
      if (++count > MAX_REQUEST_HEADER_NAMES) return { failure: 'headers-too-many' };
      let name = value.slice(start, end + 1);
      if (upper) name = name.toLowerCase();
      const failure = judge(name, allowed);
      if (failure !== undefined) return { failure, name };
      if (reflect) (names ??= []).push(name);
      start = -1;
      upper = false;
      continue;
    }
    if (c === 0x20 || c === 0x09) {
      clean = false;
      continue;
    }
    if (!isTokenChar(c)) return { failure: 'headers-malformed' };
    if (start === -1) start = i;
    else if (end !== i - 1) return { failure: 'headers-malformed' }; // whitespace inside a name
    end = i;
    if (c >= 0x41 && c <= 0x5a) {
      upper = true;
      clean = false;
    }
  }
  if (!reflect) return ALLOWED;
  if (clean) return value.length === 0 ? ALLOWED_NOTHING_TO_ECHO : { reflected: value };
  return names === undefined ? ALLOWED_NOTHING_TO_ECHO : { reflected: names.join(',') };
}

function judge(name: string, allowed: AllowedHeaderSet): HeaderListFailure | undefined {
  switch (allowed.mode) {
    case 'reflect':
      return undefined;
    case 'wildcard':
      return name === 'authorization' && !allowed.authorization ? 'header-authorization-not-covered-by-wildcard' : undefined;
    case 'list':
      return allowed.names.has(name) ? undefined : 'header-not-allowed';
  }
}
