/**
 * corsRoute(options | false): marks an @koa/router route with its own CORS policy. The marker only records; the
 * global cors({ router }) middleware reads it from the router's layers at build time and applies it, before any
 * route middleware runs, to the route's actual requests and to the preflights that ask about it.
 */
import type { Middleware } from 'koa';
import type { KoaCorsPolicyOptions } from './options.js';

const MARKER = Symbol.for('polycors.koa.corsRoute');
/** Set on ctx by cors(): the markers whose policy was applied to this request. */
export const APPLIED = Symbol.for('polycors.koa.applied');

/** Markers polycors could not apply to their route (added after cors(), in router.use() or on a RegExp path). */
const failures = new WeakMap<object, Error>();

export type CorsRouteMarker = Middleware & { readonly [MARKER]: KoaCorsPolicyOptions | false };

/**
 * A route's own CORS policy, merged with the global one (lists united, scalars overridden; `inherit: false`
 * replaces it; `false` turns CORS off for the route):
 *
 * ```ts
 * router.patch('/form', corsRoute({ origin: 'https://admin.example.com', credentials: true }), update);
 * ```
 *
 * Pass the router to the global middleware (`app.use(cors({ origin, router }))`), or the marker has no effect
 * (it warns once when it sees a request that cors() did not resolve to its route).
 */
export function corsRoute(options: KoaCorsPolicyOptions | false): CorsRouteMarker {
  let warned = false;
  const marker = (async (ctx, next) => {
    const failure = failures.get(marker);
    if (failure) throw failure; // fail this route's requests rather than answer them with the global policy
    const applied = (ctx as unknown as Record<symbol, ReadonlySet<unknown> | undefined>)[APPLIED];
    if (!warned && !applied?.has(marker)) {
      warned = true;
      const logger = options === false ? console : options.logger === false ? undefined : (options.logger ?? console);
      logger?.warn(
        `polycors: corsRoute() on ${ctx.method} ${ctx.path} was not applied: pass this route's router to the global middleware, app.use(cors({ ..., router }))`,
      );
    }
    return next();
  }) as CorsRouteMarker;
  Object.defineProperty(marker, MARKER, { value: options === false ? false : Object.freeze({ ...options }) });
  Object.defineProperty(marker, 'name', { value: 'corsRoute' });
  return marker;
}

/** From then on, requests that reach `marker` fail with `error` (a 500 through Koa's error handler). */
export function failMarker(marker: CorsRouteMarker, error: Error): void {
  failures.set(marker, error);
}

export function isCorsRouteMarker(value: unknown): value is CorsRouteMarker {
  return typeof value === 'function' && MARKER in value;
}

export function markerOptions(marker: CorsRouteMarker): KoaCorsPolicyOptions | false {
  return marker[MARKER];
}
