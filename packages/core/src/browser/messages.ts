/**
 * Chromium's console messages for CORS failures, word for word (checked against Chromium 156 by
 * packages/cli/test/chromium-agreement.spec.ts), and the same failure explained in plain words.
 */

/** Chromium's names for the failures (network::mojom::CorsError), kebab-cased. */
export type BrowserCorsErrorCode =
  | 'missing-allow-origin-header'
  | 'multiple-allow-origin-values'
  | 'invalid-allow-origin-value'
  | 'allow-origin-mismatch'
  | 'wildcard-origin-not-allowed'
  | 'invalid-allow-credentials'
  | 'preflight-invalid-status'
  | 'preflight-disallowed-redirect'
  | 'invalid-allow-methods-preflight-response'
  | 'invalid-allow-headers-preflight-response'
  | 'method-disallowed-by-preflight-response'
  | 'header-disallowed-by-preflight-response';

export interface BrowserCorsError {
  code: BrowserCorsErrorCode;
  /** Which response the browser refused. */
  at: 'preflight' | 'actual';
  /** The value Chromium quotes (the header value, method or header name), when it quotes one. */
  failedParameter?: string;
}

export type Initiator = 'fetch' | 'xmlhttprequest';

/** Errors of the origin/credentials/status group, which Chromium prefixes with the preflight sentence on a preflight. */
const PREFLIGHT_PREFIXED = new Set<BrowserCorsErrorCode>([
  'missing-allow-origin-header', 'multiple-allow-origin-values', 'invalid-allow-origin-value', 'allow-origin-mismatch',
  'wildcard-origin-not-allowed', 'invalid-allow-credentials', 'preflight-invalid-status', 'preflight-disallowed-redirect',
]);

const VALID_VALUE = ' Have the server send the header with a valid value.';
const XHR_CREDENTIALS =
  ' The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute.';

function body(error: BrowserCorsError, initiator: Initiator): string {
  const p = error.failedParameter ?? '';
  const xhr = initiator === 'xmlhttprequest' ? XHR_CREDENTIALS : '';
  switch (error.code) {
    case 'missing-allow-origin-header':
      return "No 'Access-Control-Allow-Origin' header is present on the requested resource.";
    case 'multiple-allow-origin-values':
      return `The 'Access-Control-Allow-Origin' header contains multiple values '${p}', but only one is allowed.${VALID_VALUE}`;
    case 'invalid-allow-origin-value':
      return `The 'Access-Control-Allow-Origin' header contains the invalid value '${p}'.${VALID_VALUE}`;
    case 'allow-origin-mismatch':
      return `The 'Access-Control-Allow-Origin' header has a value '${p}' that is not equal to the supplied origin.${VALID_VALUE}`;
    case 'wildcard-origin-not-allowed':
      return (
        "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' " +
        `when the request's credentials mode is 'include'.${xhr}`
      );
    case 'invalid-allow-credentials':
      return (
        `The value of the 'Access-Control-Allow-Credentials' header in the response is '${p}' ` +
        `which must be 'true' when the request's credentials mode is 'include'.${xhr}`
      );
    case 'preflight-invalid-status':
      return 'It does not have HTTP ok status.';
    case 'preflight-disallowed-redirect':
      return 'Redirect is not allowed for a preflight request.';
    case 'invalid-allow-methods-preflight-response':
      return 'Cannot parse Access-Control-Allow-Methods response header field in preflight response.';
    case 'invalid-allow-headers-preflight-response':
      return 'Cannot parse Access-Control-Allow-Headers response header field in preflight response.';
    case 'method-disallowed-by-preflight-response':
      return `Method ${p} is not allowed by Access-Control-Allow-Methods in preflight response.`;
    case 'header-disallowed-by-preflight-response':
      return `Request header field ${p} is not allowed by Access-Control-Allow-Headers in preflight response.`;
  }
}

export interface MessageContext {
  /** The URL the browser was fetching when it failed (after redirects). */
  url: string;
  /** The URL the page asked for, when redirects led elsewhere. */
  redirectedFrom?: string;
  origin: string;
  initiator: Initiator;
}

/** The console message Chromium prints for this failure. */
export function chromiumMessage(error: BrowserCorsError, ctx: MessageContext): string {
  const kind = ctx.initiator === 'fetch' ? 'fetch' : 'XMLHttpRequest';
  const from = ctx.redirectedFrom !== undefined && ctx.redirectedFrom !== ctx.url ? `(redirected from '${ctx.redirectedFrom}') ` : '';
  const preflight =
    error.at === 'preflight' && PREFLIGHT_PREFIXED.has(error.code)
      ? "Response to preflight request doesn't pass access control check: "
      : '';
  return (
    `Access to ${kind} at '${ctx.url}' ${from}from origin '${ctx.origin}' has been blocked by CORS policy: ` +
    preflight +
    body(error, ctx.initiator)
  );
}

/** The same failure in plain words: what the server did and why the browser refuses it. */
export function explainError(error: BrowserCorsError, origin: string): string {
  const p = error.failedParameter ?? '';
  const which = error.at === 'preflight' ? 'The preflight (OPTIONS) response' : 'The response';
  switch (error.code) {
    case 'missing-allow-origin-header':
      return `${which} carries no Access-Control-Allow-Origin header, so the browser assumes the server does not allow ${origin}. ${error.at === 'preflight' ? 'Either the CORS layer did not run for this OPTIONS request, or it refused the preflight (its origin, its method or one of its headers).' : 'Either the CORS layer did not run for this route (or this error response), or it refused the origin.'}`;
    case 'multiple-allow-origin-values':
      return `${which} carries Access-Control-Allow-Origin: ${p}. Two layers (for example the app and a proxy, or two CORS middlewares) each added the header; the browser accepts exactly one value.`;
    case 'invalid-allow-origin-value':
      return `${which} carries Access-Control-Allow-Origin: '${p}', which is not an origin at all. It must be exactly '${origin}' or '*'.`;
    case 'allow-origin-mismatch':
      return `${which} allows '${p}', but the page's origin is '${origin}'. The comparison is byte for byte: scheme, host, port, no trailing slash, same case.`;
    case 'wildcard-origin-not-allowed':
      return `${which} answers Access-Control-Allow-Origin: *, but the request is sent with credentials (cookies, HTTP auth). With credentials the server must name the origin exactly and add Access-Control-Allow-Credentials: true.`;
    case 'invalid-allow-credentials':
      return p === ''
        ? `The request is sent with credentials, but ${which.toLowerCase()} lacks Access-Control-Allow-Credentials: true.`
        : `The request is sent with credentials, and ${which.toLowerCase()} carries Access-Control-Allow-Credentials: '${p}'; only the exact lower-case value 'true' counts.`;
    case 'preflight-invalid-status':
      return `The preflight (OPTIONS) response has a status outside 200-299. Usually authentication, a missing OPTIONS route or an error handler answered the preflight before the CORS layer could: a preflight never carries cookies or Authorization.`;
    case 'preflight-disallowed-redirect':
      return `The preflight (OPTIONS) was answered with a redirect. Browsers never follow redirects for a preflight: call the final URL directly (https, trailing slash) or exempt OPTIONS from the redirect.`;
    case 'invalid-allow-methods-preflight-response':
      return `The preflight's Access-Control-Allow-Methods is not a comma-separated list of method names (tokens), so the browser discards it.`;
    case 'invalid-allow-headers-preflight-response':
      return `The preflight's Access-Control-Allow-Headers is not a comma-separated list of header names (tokens), so the browser discards it.`;
    case 'method-disallowed-by-preflight-response':
      return `The page sends a ${p} request, and the preflight's Access-Control-Allow-Methods does not list ${p} (methods are compared case-sensitively; '*' does not count for requests with credentials).`;
    case 'header-disallowed-by-preflight-response':
      return p === 'authorization'
        ? `The page sends an Authorization header, and the preflight's Access-Control-Allow-Headers does not list it. '*' never covers Authorization (Fetch Standard; Firefox and Safari enforce it, Chromium is moving to it), and means nothing for requests with credentials.`
        : `The page sends a ${p} header, and the preflight's Access-Control-Allow-Headers does not list it (names are compared case-insensitively; '*' does not count for requests with credentials).`;
  }
}
