/** Metadata key under which `@Cors()` records its options (on a controller class or a handler function). */
export const CORS_METADATA = 'polycors:cors';
/** Injection token of the options given to `CorsModule.forRoot` / `forRootAsync`. */
export const CORS_MODULE_OPTIONS = 'POLYCORS_MODULE_OPTIONS';
/** Provided by CorsModule only: what the `@Cors()` startup check looks for (see cors-module-check.ts). */
export const CORS_MODULE_PRESENT = 'POLYCORS_MODULE_PRESENT';
/** Name of the Nest Logger context polycors logs under. */
export const CORS_LOGGER_CONTEXT = 'polycors';
/** Which of `CorsModule.forRoot` / `forRootAsync` gave the options: how startup errors name the global policy. */
export const CORS_MODULE_SOURCE = 'POLYCORS_MODULE_SOURCE';
