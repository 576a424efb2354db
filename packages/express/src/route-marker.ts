/**
 * corsRoute(options | false): marks an Express route with its own CORS policy. The marker records; the global
 * cors() middleware reads it from the route's stack when it builds, and applies the route's policy before anything
 * runs (preflights included). When the marker itself runs (an actual request reaching the route), it asks cors()
 * to confirm that this route's policy is the one applied, so the policy always follows the handler Express
 * dispatched to, even where a route before it called next().
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExpressCorsPolicyOptions } from './options.js';

const MARKER = Symbol.for('polycors.express.corsRoute');
/** Set on req by cors(): how a marker confirms its policy. */
export const APPLIED = Symbol.for('polycors.express.applied');

export interface AppliedPolicy {
  /** Re-applies the route's policy when cors() applied another one; calls `done` when the headers are right. */
  confirm(req: IncomingMessage, res: ServerResponse, marker: CorsRouteMarker, done: (error?: unknown) => void): void;
}

type Next = (error?: unknown) => void;
export type CorsRouteMarker = ((req: IncomingMessage, res: ServerResponse, next: Next) => void) & { readonly [MARKER]: ExpressCorsPolicyOptions | false };

/**
 * A route's own CORS policy, merged with the global one (lists united, scalars overridden; `inherit: false`
 * replaces it; `false` turns CORS off for the route):
 *
 * ```ts
 * app.patch('/form', corsRoute({ origin: 'https://admin.example.com', credentials: true, inherit: false }), update);
 * ```
 */
export function corsRoute(options: ExpressCorsPolicyOptions | false): CorsRouteMarker {
  let warned = false;
  const marker = ((req, res, next) => {
    const applied = (req as unknown as Record<symbol, AppliedPolicy | undefined>)[APPLIED];
    if (applied) return applied.confirm(req, res, marker, next);
    if (!warned) {
      warned = true;
      const logger = options === false ? console : options.logger === false ? undefined : (options.logger ?? console);
      logger?.warn(`polycors: corsRoute() on ${req.method} ${req.url} was not applied: no @polycors/express cors() middleware ran before this route. Add app.use(cors({ ... })) before the routes`);
    }
    next();
  }) as CorsRouteMarker;
  Object.defineProperty(marker, MARKER, { value: options === false ? false : Object.freeze({ ...options }) });
  Object.defineProperty(marker, 'name', { value: 'corsRoute' });
  return marker;
}

export function isCorsRouteMarker(value: unknown): value is CorsRouteMarker {
  return typeof value === 'function' && MARKER in value;
}

export function markerOptions(marker: CorsRouteMarker): ExpressCorsPolicyOptions | false {
  return marker[MARKER];
}
