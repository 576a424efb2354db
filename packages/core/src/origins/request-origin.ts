/**
 * Splits a request's Origin header into scheme, host and port in one pass over its characters, without regex,
 * validating that it is a serialised origin as browsers send it (lower-case, ASCII, no path, a canonical port) and
 * that its host is within DNS limits. Returns undefined for anything else. Only used when the exact-origin lookup
 * missed; patterns and RegExps only ever see origins that passed it.
 */
export interface RequestOriginParts {
  scheme: string;
  host: string;
  /** '' when the origin has no explicit port. */
  port: string;
}

/** DNS limits (RFC 1035): a name of at most 253 characters, labels of at most 63. */
export const MAX_HOST_LENGTH = 253;
export const MAX_LABEL_LENGTH = 63;
/** Real hosts have well under ten labels; DNS would allow 127. Bounds the work per origin on `*.` patterns. */
export const MAX_HOST_LABELS = 32;

/** Ports browsers omit from a serialised origin (the WHATWG URL Standard's special schemes). */
const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443', ws: '80', wss: '443', ftp: '21' };

export function parseRequestOrigin(origin: string): RequestOriginParts | undefined {
  const schemeEnd = origin.indexOf('://');
  if (schemeEnd <= 0) return undefined;
  for (let i = 0; i < schemeEnd; i++) {
    const c = origin.charCodeAt(i);
    const ok = (c >= 0x61 && c <= 0x7a) || (i > 0 && ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e));
    if (!ok) return undefined;
  }
  const hostStart = schemeEnd + 3;
  let hostEnd: number;
  let i = hostStart;
  if (origin.charCodeAt(i) === 0x5b /* [ */) {
    // IPv6 literal: hex digits, ':' and '.' up to the closing bracket.
    for (i++; i < origin.length; i++) {
      const c = origin.charCodeAt(i);
      if (c === 0x5d /* ] */) break;
      const ok = (c >= 0x30 && c <= 0x3a) || (c >= 0x61 && c <= 0x66) || c === 0x2e;
      if (!ok) return undefined;
    }
    if (i >= origin.length || i - hostStart > 46) return undefined; // '[' + the longest IPv6 text form (45)
    i++;
    hostEnd = i;
  } else {
    let previous = 0x2e; // a host may not start with '.'
    let labels = 1;
    let labelStart = i;
    for (; i < origin.length; i++) {
      const c = origin.charCodeAt(i);
      if (c === 0x3a /* : */) break;
      const ok = (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e;
      if (!ok || (c === 0x2e && previous === 0x2e)) return undefined;
      if (c === 0x2e) {
        if (++labels > MAX_HOST_LABELS) return undefined;
        labelStart = i + 1;
      } else if (i - labelStart >= MAX_LABEL_LENGTH || i - hostStart >= MAX_HOST_LENGTH) {
        return undefined; // stop at the first character past a DNS limit
      }
      previous = c;
    }
    if (previous === 0x2e) return undefined; // empty host or trailing '.'
    // No top-level domain starts with a digit: such a host is an IPv4 address to the URL parser (or invalid), and only
    // the canonical dotted form is ever serialised (`https://a.example.com.0`, `http://0x7f.1` are not origins).
    if (origin.charCodeAt(labelStart) <= 0x39 && !isCanonicalIpv4(origin, hostStart, i)) return undefined;
    hostEnd = i;
  }
  let port = '';
  if (hostEnd < origin.length) {
    if (origin.charCodeAt(hostEnd) !== 0x3a) return undefined;
    const portStart = hostEnd + 1;
    const portLength = origin.length - portStart;
    if (portLength < 1 || portLength > 5 || origin.charCodeAt(portStart) === 0x30) return undefined;
    for (let j = portStart; j < origin.length; j++) {
      const c = origin.charCodeAt(j);
      if (c < 0x30 || c > 0x39) return undefined;
    }
    port = origin.slice(portStart);
    if (Number(port) > 65535) return undefined;
  }
  const scheme = origin.slice(0, schemeEnd);
  if (port !== '' && DEFAULT_PORTS[scheme] === port) return undefined; // browsers never send the default port
  return { scheme, host: origin.slice(hostStart, hostEnd), port };
}

/** An origin as browsers serialise it: `null`, or `scheme://host[:port]` that parseRequestOrigin accepts. */
export function isSerialisedOrigin(origin: string): boolean {
  return origin === 'null' || parseRequestOrigin(origin) !== undefined;
}

/** `origin.slice(start, end)` is four decimal numbers 0-255 without leading zeros, joined by dots. */
function isCanonicalIpv4(origin: string, start: number, end: number): boolean {
  let parts = 0;
  let value = -1;
  let digits = 0;
  for (let i = start; i <= end; i++) {
    const c = i === end ? 0x2e : origin.charCodeAt(i);
    if (c === 0x2e) {
      if (digits === 0 || value > 255 || ++parts > 4) return false;
      value = -1;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      if (digits > 0 && value === 0) return false; // a leading zero
      value = value === -1 ? c - 0x30 : value * 10 + (c - 0x30);
      if (++digits > 3) return false;
    } else {
      return false;
    }
  }
  return parts === 4;
}
