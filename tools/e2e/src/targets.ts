/**
 * The demo APIs the suite drives: the same contact-form API on NestJS (both adapters), Fastify and Koa.
 * Each demo is started from its build (`apps/<app>/dist/main.js`) with the shared environment contract:
 * PORT, HOST, CORS_ORIGINS, DEMO_TOKEN, DEMO_STATS=1 (and NEST_ADAPTER for the Nest demo).
 */
import { fileURLToPath } from 'node:url';

/** Routes beyond the core story that some cases need; a demo lists the ones it serves. */
export interface OptionalRoutes {
  /** A route with CORS switched off (`@Cors(false)`, `config: { cors: false }`, `corsRoute(false)`), GET. */
  disabled?: string;
  /** A route built with `strict: false` from an unsafe config (`origin: '*'` with credentials), GET. */
  misconfigured?: string;
  /** A preflighted route whose preflight answer says `Access-Control-Max-Age: 0` (the cache control), PUT with JSON. */
  noCache?: string;
  /** A route allowing any request header with `allowedHeaders: '*'` (no credentials), POST. */
  wildcardHeaders?: string;
}

/** What a demo's /__stats records beyond method, URL, cookie and status. */
export interface StatsDetail {
  /** Access-Control-Request-Method/-Headers of each preflight, and whether Authorization came. */
  corsRequestHeaders: boolean;
}

export interface TargetSpec {
  id: string;
  label: string;
  framework: 'NestJS' | 'Fastify' | 'Koa';
  /** Absolute path of the built entry point. */
  script: string;
  env?: Record<string, string>;
  routes: OptionalRoutes;
  stats: StatsDetail;
}

const root = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));

export const TARGETS: readonly TargetSpec[] = Object.freeze([
  {
    id: 'nest-express',
    label: 'NestJS on Express',
    framework: 'NestJS',
    script: root('apps/nest-demo/dist/main.js'),
    env: { NEST_ADAPTER: 'express' },
    routes: { disabled: '/internal' },
    stats: { corsRequestHeaders: false },
  },
  {
    id: 'nest-fastify',
    label: 'NestJS on Fastify',
    framework: 'NestJS',
    script: root('apps/nest-demo/dist/main.js'),
    env: { NEST_ADAPTER: 'fastify' },
    routes: { disabled: '/internal' },
    stats: { corsRequestHeaders: false },
  },
  {
    id: 'fastify',
    label: 'Fastify',
    framework: 'Fastify',
    script: root('apps/fastify-demo/dist/main.js'),
    routes: { disabled: '/internal', misconfigured: '/legacy', noCache: '/draft', wildcardHeaders: '/feedback' },
    stats: { corsRequestHeaders: true },
  },
  {
    id: 'koa',
    label: 'Koa',
    framework: 'Koa',
    script: root('apps/koa-demo/dist/main.js'),
    routes: { disabled: '/internal', misconfigured: '/legacy', noCache: '/draft', wildcardHeaders: '/feedback' },
    stats: { corsRequestHeaders: true },
  },
]);

/** The targets to run: all of them, or the ids listed in E2E_TARGETS (comma-separated), for a quicker local run. */
export function selectedTargets(env: NodeJS.ProcessEnv = process.env): readonly TargetSpec[] {
  const wanted = (env.E2E_TARGETS ?? '').split(',').map((id) => id.trim()).filter((id) => id !== '');
  if (wanted.length === 0) return TARGETS;
  const unknown = wanted.filter((id) => !TARGETS.some((target) => target.id === id));
  if (unknown.length > 0) throw new Error(`E2E_TARGETS names unknown demos: ${unknown.join(', ')} (known: ${TARGETS.map((t) => t.id).join(', ')})`);
  return TARGETS.filter((target) => wanted.includes(target.id));
}
