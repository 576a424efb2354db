/**
 * Whether a request's `Origin` is the request's own origin (Swagger's "Try it out", a page served by the API
 * itself). Browsers send `Origin` on same-origin POSTs too; those are not cross-origin requests, so a refusal
 * there is not worth a warning (the response needs no CORS headers). Only used to choose how a refusal is logged,
 * never to decide one, so the forwarded headers of a TLS-terminating proxy may be read, and the scheme is not
 * compared (behind such a proxy the socket is plain http while the page is https).
 */
import type { IncomingMessage } from 'node:http';

const ORIGIN = /^(https?):\/\/([^/?#]+)$/i;

function firstValue(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text?.split(',')[0]?.trim() || undefined;
}

/** `host[:port]`, lower case, without the scheme's default port. */
function normaliseHost(host: string, scheme: string): string {
  const lower = host.toLowerCase();
  const port = scheme === 'https' ? ':443' : ':80';
  return lower.endsWith(port) ? lower.slice(0, -port.length) : lower;
}

export function isSameOrigin(origin: string | undefined, req: IncomingMessage | undefined): boolean {
  if (origin === undefined || req === undefined) return false;
  const match = ORIGIN.exec(origin);
  if (!match) return false;
  const scheme = match[1].toLowerCase();
  const originHost = normaliseHost(match[2], scheme);
  for (const host of [firstValue(req.headers['x-forwarded-host']), firstValue(req.headers.host)]) {
    if (host !== undefined && normaliseHost(host, scheme) === originHost) return true;
  }
  return false;
}
