/**
 * The request side of the browser's CORS check (Fetch Standard): which methods and request headers are
 * CORS-safelisted, which headers a page cannot set at all, and so whether a preflight is sent and what it carries.
 */
import {
  FORBIDDEN_METHODS,
  NORMALIZED_METHODS,
  SAFELISTED_METHODS,
  isForbiddenRequestHeader as isForbiddenName,
  isToken,
} from '../tokens.js';
import { type HeaderList, headerEntries } from './headers.js';

const METHOD_OVERRIDE_HEADERS = new Set(['x-http-method', 'x-http-method-override', 'x-method-override']);

const SAFELISTED_CONTENT_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);
/** Per-value limit for a CORS-safelisted request header, in bytes. */
export const SAFELISTED_VALUE_LIMIT = 128;
/** Limit for all CORS-safelisted request header values together, in bytes. */
export const SAFELISTED_TOTAL_LIMIT = 1024;

export function normaliseMethod(method: string): string {
  const upper = method.toUpperCase();
  return NORMALIZED_METHODS.has(upper) ? upper : method;
}

export function isSafelistedMethod(method: string): boolean {
  return SAFELISTED_METHODS.has(method);
}

export function isForbiddenMethod(method: string): boolean {
  return FORBIDDEN_METHODS.has(method.toUpperCase());
}

export function isForbiddenRequestHeader(name: string, value: string): boolean {
  const lower = name.toLowerCase();
  if (isForbiddenName(lower)) return true;
  if (METHOD_OVERRIDE_HEADERS.has(lower)) {
    return value.split(',').some((m) => isForbiddenMethod(m.trim()));
  }
  return false;
}

/** https://fetch.spec.whatwg.org/#cors-unsafe-request-header-byte */
function hasUnsafeByte(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
    if ('"():<>?@[\\]{}'.includes(value[i]!)) return true;
  }
  return false;
}

function isLanguageValue(value: string): boolean {
  return /^[0-9A-Za-z *,\-.;=]*$/.test(value);
}

/** The essence (`type/subtype`, lower case) of a MIME type, or `undefined` when it does not parse. */
export function mimeEssence(value: string): string | undefined {
  const head = value.split(';', 1)[0]!.trim().toLowerCase();
  const slash = head.indexOf('/');
  if (slash <= 0) return undefined;
  const type = head.slice(0, slash);
  const subtype = head.slice(slash + 1).trim();
  return isToken(type) && subtype !== '' && isToken(subtype) ? `${type}/${subtype}` : undefined;
}

/** A `Range` value a page may send without a preflight: one `bytes=start-[end]` range. */
function isSimpleRange(value: string): boolean {
  const m = /^bytes=(\d+)-(\d*)$/.exec(value);
  return m !== null && (m[2] === '' || Number(m[1]) <= Number(m[2]));
}

/** Why one request header (name and value) is not CORS-safelisted, or `undefined` when it is. */
export function unsafeHeaderReason(name: string, value: string): string | undefined {
  const lower = name.toLowerCase();
  const bytes = Buffer.byteLength(value, 'latin1');
  switch (lower) {
    case 'accept':
      if (hasUnsafeByte(value)) return `its Accept value contains a character that is not safe without a preflight`;
      break;
    case 'accept-language':
    case 'content-language':
      if (!isLanguageValue(value)) return `its ${name} value may only contain letters, digits, space and * , - . ; =`;
      break;
    case 'content-type': {
      if (hasUnsafeByte(value)) return `its Content-Type value contains a character that is not safe without a preflight`;
      const essence = mimeEssence(value);
      if (essence === undefined || !SAFELISTED_CONTENT_TYPES.has(essence)) {
        return `Content-Type ${essence ?? value} is not one of application/x-www-form-urlencoded, multipart/form-data, text/plain`;
      }
      break;
    }
    case 'range':
      if (!isSimpleRange(value)) return `its Range value is not a single "bytes=start-end" range`;
      break;
    default:
      return `${lower} is not a CORS-safelisted request header`;
  }
  if (bytes > SAFELISTED_VALUE_LIMIT) return `its ${name} value is longer than ${SAFELISTED_VALUE_LIMIT} bytes`;
  return undefined;
}

export interface RequestHeadersAnalysis {
  /** Headers the browser sends, as [lower-case name, combined value]. */
  sent: [string, string][];
  /** Forbidden names the browser drops silently. */
  dropped: string[];
  /** Names that make a preflight necessary, lower-case, sorted, deduplicated: the Access-Control-Request-Headers list. */
  unsafeNames: string[];
  /** Why each unsafe name is unsafe. */
  reasons: string[];
}

export function analyseRequestHeaders(headers: HeaderList | undefined): RequestHeadersAnalysis {
  // `Headers.append` combines several values of one name into one value, `", "`-separated.
  const combined = new Map<string, string>();
  const dropped: string[] = [];
  for (const [name, value] of headerEntries(headers)) {
    if (isForbiddenRequestHeader(name, value)) {
      if (!dropped.includes(name)) dropped.push(name);
      continue;
    }
    const prev = combined.get(name);
    combined.set(name, prev === undefined ? value : `${prev}, ${value}`);
  }
  const unsafe = new Set<string>();
  const reasons: string[] = [];
  const safelisted: string[] = [];
  let total = 0;
  for (const [name, value] of combined) {
    const reason = unsafeHeaderReason(name, value);
    if (reason !== undefined) {
      unsafe.add(name);
      reasons.push(reason);
    } else {
      safelisted.push(name);
      total += Buffer.byteLength(value, 'latin1');
    }
  }
  if (total > SAFELISTED_TOTAL_LIMIT) {
    for (const name of safelisted) unsafe.add(name);
    reasons.push(`the safelisted header values add up to more than ${SAFELISTED_TOTAL_LIMIT} bytes`);
  }
  return { sent: [...combined], dropped, unsafeNames: [...unsafe].sort(), reasons };
}
