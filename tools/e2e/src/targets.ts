/**
 * The demo APIs the suite drives: the same contact-form API on NestJS (both adapters), Fastify, Koa and Express.
 * Each demo is started from its build (`apps/<app>/dist/main.js`) with the shared environment contract:
 * PORT, HOST, CORS_ORIGINS, DEMO_TOKEN, DEMO_STATS=1 (and NEST_ADAPTER for the Nest demo). They serve the same
 * routes (GET /options, POST /login, POST /form, PATCH /form, PUT /draft, POST /feedback, GET /internal, GET /legacy),
 * so every case runs on every demo.
 */
import { fileURLToPath } from 'node:url';

export interface TargetSpec {
  id: string;
  label: string;
  framework: 'NestJS' | 'Fastify' | 'Koa' | 'Express';
  /** Absolute path of the built entry point. */
  script: string;
  env?: Record<string, string>;
}

const root = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));

export const TARGETS: readonly TargetSpec[] = Object.freeze([
  {
    id: 'nest-express',
    label: 'NestJS on Express',
    framework: 'NestJS',
    script: root('apps/nest-demo/dist/main.js'),
    env: { NEST_ADAPTER: 'express' },
  },
  {
    id: 'nest-fastify',
    label: 'NestJS on Fastify',
    framework: 'NestJS',
    script: root('apps/nest-demo/dist/main.js'),
    env: { NEST_ADAPTER: 'fastify' },
  },
  {
    id: 'fastify',
    label: 'Fastify',
    framework: 'Fastify',
    script: root('apps/fastify-demo/dist/main.js'),
  },
  {
    id: 'koa',
    label: 'Koa',
    framework: 'Koa',
    script: root('apps/koa-demo/dist/main.js'),
  },
  {
    id: 'express',
    label: 'Express',
    framework: 'Express',
    script: root('apps/express-demo/dist/main.js'),
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
