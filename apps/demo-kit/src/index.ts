export { ADMIN_ORIGIN, DEFAULT_HOST, DEFAULT_ORIGINS, DEFAULT_TOKEN, demoConfigFromEnv, type DemoConfig } from './config.js';
export {
  GUARD_NAMES,
  hasSessionCookie,
  MAX_REQUESTS,
  RequestLog,
  SESSION_COOKIE,
  STATS_PATH,
  type GuardName,
  type SeenRequest,
  type StatsSnapshot,
} from './request-log.js';
