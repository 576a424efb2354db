/**
 * Everything the browser talks to: the playground server (the page's origin, plus a second "untrusted" origin that
 * the demos do not allow) and the demo APIs, all on free ports on 127.0.0.1.
 */
import { startPlayground, type RunningPlayground } from '@polycors/playground';
import { freePort, startDemo, type DemoProcess } from './processes.js';
import type { TargetSpec } from './targets.js';

export const DEMO_TOKEN = 'e2e-token-7f3a';

export interface RunningTarget {
  spec: TargetSpec;
  /** Base URL, `http://127.0.0.1:<port>`. */
  url: string;
  process: DemoProcess;
}

export interface Environment {
  /** The allowed page origin, `http://127.0.0.1:<port>` (the playground's own). */
  pageOrigin: string;
  /** An origin the demos do not allow (the playground's second listener). */
  foreignOrigin: string;
  playground: RunningPlayground;
  targets: RunningTarget[];
  token: string;
  stop(): Promise<void>;
}

export async function startEnvironment(specs: readonly TargetSpec[]): Promise<Environment> {
  const [pagePort, foreignPort] = [await freePort(), await freePort()];
  const pageOrigin = `http://127.0.0.1:${pagePort}`;
  const started: DemoProcess[] = [];
  const targets: RunningTarget[] = [];
  try {
    // Start one at a time: on 2 shared cores, parallel Nest boots only slow each other down.
    for (const spec of specs) {
      const process = await startDemo({
        name: spec.label,
        script: spec.script,
        env: { ...spec.env, CORS_ORIGINS: pageOrigin, DEMO_TOKEN, DEMO_STATS: '1' },
      });
      started.push(process);
      targets.push({ spec, url: process.url, process });
    }
    const playground = await startPlayground({
      host: '127.0.0.1',
      publicHost: '127.0.0.1',
      port: pagePort,
      untrustedPort: foreignPort,
      token: DEMO_TOKEN,
      apis: targets.map((target) => ({ id: target.spec.id, label: target.spec.label, url: target.url })),
    });
    return {
      pageOrigin,
      foreignOrigin: `http://127.0.0.1:${foreignPort}`,
      playground,
      targets,
      token: DEMO_TOKEN,
      stop: async () => {
        await Promise.all([playground.close(), ...started.map((demo) => demo.stop())]);
      },
    };
  } catch (error) {
    await Promise.all(started.map((demo) => demo.stop()));
    throw error;
  }
}
