/**
 * The demo's environment: the contract shared by the three demos (@polycors/demo-kit: PORT, HOST, CORS_ORIGINS,
 * DEMO_TOKEN, DEMO_STATS), with PORT 3001 by default, plus NEST_ADAPTER.
 */
import { type DemoConfig, demoConfigFromEnv } from '@polycors/demo-kit';

export type DemoAdapter = 'express' | 'fastify';

export interface NestDemoConfig extends DemoConfig {
  /** `NEST_ADAPTER`: `express` (default) or `fastify`. */
  adapter: DemoAdapter;
}

export const DEFAULT_PORT = 3001;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): NestDemoConfig {
  const adapter = (env.NEST_ADAPTER || 'express').toLowerCase();
  if (adapter !== 'express' && adapter !== 'fastify') throw new Error(`NEST_ADAPTER must be 'express' or 'fastify', got '${env.NEST_ADAPTER}'`);
  return { ...demoConfigFromEnv(env, DEFAULT_PORT), adapter };
}
