import type { CorsRequest, CorsRequestKind } from './options.js';

/**
 * No Origin: not CORS. OPTIONS with Origin and Access-Control-Request-Method: a preflight.
 * Anything else with Origin (including a plain OPTIONS): an actual request.
 */
export function classifyCorsRequest(request: Pick<CorsRequest, 'method' | 'origin' | 'requestMethod'>): CorsRequestKind {
  if (request.origin === undefined) return 'not-cors';
  return request.method === 'OPTIONS' && request.requestMethod !== undefined ? 'preflight' : 'actual';
}

/** True for a CORS preflight: for users' own guards and hooks that must let preflights through. */
export function isPreflightRequest(request: Pick<CorsRequest, 'method' | 'origin' | 'requestMethod'>): boolean {
  return classifyCorsRequest(request) === 'preflight';
}
