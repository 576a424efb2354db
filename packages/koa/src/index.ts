export { cors, type KoaCorsMiddleware } from './middleware.js';
export { corsRoute, type CorsRouteMarker } from './route-marker.js';
export { validateAdapterOptions, type AdapterOptionsCheck } from './validate-options.js';
export type {
  KoaCorsOptions,
  KoaCorsPolicyOptions,
  KoaCorsRefusal,
  KoaCredentialsFunction,
  KoaLayerLike,
  KoaOriginAnswer,
  KoaOriginFunction,
  KoaOriginRule,
  KoaRouterLike,
} from './options.js';
export { CorsConfigError, isPreflightRequest } from '@polycors/core';
export type { CorsConfigProblem, CorsDecision, CorsRefusal, CorsLogger } from '@polycors/core';
import { cors } from './middleware.js';
export default cors;
