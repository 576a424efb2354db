export { buildApp, type BuildOptions } from './app.js';
export { demoConfigFromEnv, DEFAULT_ORIGINS, type DemoConfig } from './config.js';
export { hasSessionCookie, RequestLog, SESSION_COOKIE, type SeenRequest } from './request-log.js';
