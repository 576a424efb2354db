/**
 * Splits a request's Origin header into scheme, host and port in one pass over its characters, without regex,
 * validating that it is a serialised origin as browsers send it (lower-case, ASCII, no path).
 * Returns undefined for anything else. Only used when the exact-origin lookup missed.
 */
export interface RequestOriginParts {
  scheme: string;
  host: string;
  /** '' when the origin has no explicit port. */
  port: string;
}

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
    if (i >= origin.length) return undefined;
    i++;
    hostEnd = i;
  } else {
    let previous = 0x2e; // a host may not start with '.'
    for (; i < origin.length; i++) {
      const c = origin.charCodeAt(i);
      if (c === 0x3a /* : */) break;
      const ok = (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e;
      if (!ok || (c === 0x2e && previous === 0x2e)) return undefined;
      previous = c;
    }
    if (previous === 0x2e) return undefined; // empty host or trailing '.'
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
  }
  return { scheme: origin.slice(0, schemeEnd), host: origin.slice(hostStart, hostEnd), port };
}
