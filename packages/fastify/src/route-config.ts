/**
 * The matched route's `config` for a request, read without `request.routeOptions`: that getter builds a 13-field
 * object and asks the router about version constraints on every call, to give back `config` from the route context
 * Fastify keeps on the request under its own `fastify.context` symbol. polycors reads the same slot. The symbol is
 * found on the first request and checked against `routeOptions.config`; should a Fastify version keep its context
 * elsewhere, every request goes through `routeOptions` as before.
 */
import type { FastifyRequest } from 'fastify';

type Contextual = Record<symbol, { config?: unknown } | undefined>;

export function routeConfigReader(): (request: FastifyRequest) => unknown {
  /** undefined: not looked for yet; null: not found (use routeOptions). */
  let key: symbol | null | undefined;
  const find = (request: FastifyRequest): symbol | null => {
    const config = request.routeOptions.config;
    for (const symbol of Object.getOwnPropertySymbols(request)) {
      if (symbol.description !== 'fastify.context') continue;
      const context = (request as unknown as Contextual)[symbol];
      if (typeof context === 'object' && context !== null && context.config === config) return symbol;
    }
    return null;
  };
  return (request) => {
    if (key === undefined) key = find(request);
    if (key === null) return request.routeOptions.config;
    return (request as unknown as Contextual)[key]?.config;
  };
}
