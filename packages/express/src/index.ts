import { type ExpressCorsMiddleware, createCorsMiddleware } from './middleware.js';
import { createDelegateMiddleware } from './delegate.js';
import type { ExpressCorsOptions, ExpressCorsOptionsDelegate } from './options.js';

/**
 * CORS for Express 4 and 5: `app.use(cors({ origin: ['https://app.example.com'] }))`. Also takes the `cors`
 * package's options delegate, `cors((req, callback) => callback(null, options))`. Throws CorsConfigError listing
 * every problem of the global policy.
 */
export function cors(options: ExpressCorsOptions | ExpressCorsOptionsDelegate = {}): ExpressCorsMiddleware {
  return typeof options === 'function' ? createDelegateMiddleware(options) : createCorsMiddleware(options);
}

export type { ExpressCorsMiddleware } from './middleware.js';
export { corsRoute, type CorsRouteMarker } from './route-marker.js';
export type {
  ExpressAppLike,
  ExpressCorsOptions,
  ExpressCorsOptionsDelegate,
  ExpressCorsPolicyOptions,
  ExpressCorsRefusal,
  ExpressOriginFunction,
  ExpressOriginRule,
  ExpressRouterLike,
  ExpressRoutesSource,
} from './options.js';
export { CorsConfigError, isPreflightRequest } from '@polycors/core';
export type { CorsConfigProblem, CorsDecision, CorsRefusal, CorsLogger } from '@polycors/core';
export default cors;
