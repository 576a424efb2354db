/**
 * Refusal reasons: a stable code and a message that says what happened, what the browser will report, and what
 * to change. Built only on the refusal path, from bounded inputs (origin and header lengths are capped first).
 */
import type { CorsReason, RefusalCode } from './options.js';

const BROWSER_SAYS = 'the browser will report';

export function refusal(code: RefusalCode, message: string): CorsReason {
  return { code, message };
}

export const reasons = {
  originNotAllowed: (origin: string, allowed: string): CorsReason =>
    refusal('origin-not-allowed', `origin '${origin}' is not allowed (allowed: ${allowed}); ${BROWSER_SAYS} "No 'Access-Control-Allow-Origin' header is present on the requested resource." Add the origin to 'origin' if this page should have access`),
  originMalformed: (origin: string): CorsReason =>
    refusal('origin-malformed', `Origin header '${origin}' is not an origin as browsers send it (scheme://host[:port], lower case, no path)`),
  originTooLong: (length: number, max: number): CorsReason =>
    refusal('origin-too-long', `Origin header of ${length} characters is longer than any real origin (limit ${max}); refused without looking at it`),
  originFunctionError: (origin: string): CorsReason =>
    refusal('origin-function-error', `the origin function threw, rejected, called back with an error or gave an answer polycors cannot read for '${origin}'; refused (fail closed). The error was passed to the logger`),
  originFunctionTimeout: (origin: string, timeout: number): CorsReason =>
    refusal('origin-function-timeout', `the origin function did not answer within ${timeout} ms (originTimeout) for '${origin}'; refused (fail closed). A function of two parameters that returns nothing waits for its callback`),
  credentialsOriginUnsafe: (origin: string, why: string): CorsReason =>
    refusal('credentials-origin-unsafe', `origin '${origin}' was allowed by a RegExp or an origin function, but ${why}, so it may not read credentialed responses; list it as an exact origin if it really should`),
  corsDisabled: (): CorsReason => refusal('cors-disabled', 'CORS is turned off for this route (cors: false); cross-origin pages cannot read it'),
  methodNotAllowed: (method: string, allowed: string): CorsReason =>
    refusal('method-not-allowed', `method ${method} is not allowed (allowed: ${allowed}); ${BROWSER_SAYS} "Method ${method} is not allowed by Access-Control-Allow-Methods in preflight response." Add it to 'methods' if this route should accept it`),
  methodCaseMismatch: (method: string, allowed: string): CorsReason =>
    refusal('method-case-mismatch', `method '${method}' differs only in case from an allowed method (allowed: ${allowed}); methods are case-sensitive and fetch() upper-cases only DELETE, GET, HEAD, OPTIONS, POST and PUT, so write method: '${method.toUpperCase()}' in the page`),
  methodMalformed: (): CorsReason => refusal('method-not-allowed', 'Access-Control-Request-Method is not a valid method token'),
  headerNotAllowed: (name: string, allowed: string): CorsReason =>
    refusal('header-not-allowed', `request header '${name}' is not allowed (allowed: ${allowed}); ${BROWSER_SAYS} "Request header field ${name} is not allowed by Access-Control-Allow-Headers in preflight response." Add it to 'allowedHeaders'`),
  authorizationNotCovered: (): CorsReason =>
    refusal('header-authorization-not-covered-by-wildcard', "request header 'authorization' is not covered by allowedHeaders '*' (the Fetch Standard requires it by name); use allowedHeaders: ['*', 'authorization']"),
  headersMalformed: (): CorsReason =>
    refusal('headers-malformed', 'Access-Control-Request-Headers is not a comma-separated list of header names'),
  headersTooLong: (length: number, max: number): CorsReason =>
    refusal('headers-too-long', `Access-Control-Request-Headers of ${length} characters is over the limit of ${max} (maxRequestHeadersLength); refused without parsing it`),
  tooManyHeaderNames: (max: number): CorsReason =>
    refusal('headers-too-long', `Access-Control-Request-Headers lists more than ${max} header names; no page sends that many, so it was refused without reading the rest`),
  privateNetworkNotAllowed: (): CorsReason =>
    refusal('private-network-not-allowed', 'the page asked for Private Network Access (Access-Control-Request-Private-Network: true); set privateNetworkAccess: true to allow public pages to reach this private server'),
  routeUnresolved: (hidden: string): CorsReason =>
    refusal('route-unresolved', `the route that serves this URL is hidden from polycors (${hidden}), so its policy is unknown and an answer might grant what that route refuses; refused (fail closed)`),
};

/** Lists at most a few rules so that a 10,000-origin allowlist does not turn into a 300 KB message. */
export function summarise(items: readonly string[], shown = 5): string {
  if (items.length === 0) return 'none';
  if (items.length <= shown) return items.join(', ');
  return `${items.slice(0, shown).join(', ')} and ${items.length - shown} more`;
}
