export { CorsModule } from './cors.module.js';
export { Cors } from './cors.decorator.js';
export { CorsService, ENABLE_CORS_MESSAGE } from './cors.service.js';
export { isPreflight, type PreflightCandidate } from './is-preflight.js';
export { CorsModuleMissingError } from './cors-module-check.js';
export { CORS_METADATA, CORS_MODULE_OPTIONS } from './cors.constants.js';
export type { CorsDecoratorOptions, CorsModuleAsyncOptions, CorsModuleOptions, CorsRefusalLogLevel, NestCorsOrigin, NestCustomOrigin, NestOriginFunction } from './cors-options.interface.js';
export type { CorsEngine, RoutePolicy } from './cors-engine.js';
export { CorsConfigError, type CorsOptions } from '@polycors/core';
