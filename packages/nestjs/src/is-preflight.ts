import { isPreflightRequest } from '@polycors/core';

/** The parts of a request `isPreflight` reads: Express, Fastify and Node requests all have them. */
export interface PreflightCandidate {
  method?: string;
  headers?: Record<string, string | string[] | undefined>;
}

/**
 * True for a CORS preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`), for your own guards,
 * middleware and interceptors. With CorsModule, preflights never reach guards; this is for code that runs
 * elsewhere (a raw adapter hook, an app without CorsModule).
 */
export function isPreflight(request: PreflightCandidate | null | undefined): boolean {
  if (!request || typeof request.method !== 'string' || !request.headers) return false;
  const origin = request.headers.origin;
  const requestMethod = request.headers['access-control-request-method'];
  return isPreflightRequest({
    method: request.method,
    origin: typeof origin === 'string' ? origin : undefined,
    requestMethod: typeof requestMethod === 'string' ? requestMethod : undefined,
  });
}
