/**
 * `npm start` (tools/start.mjs after the builds): all four servers on the given ports, their URLs printed, and a clean
 * stop on Ctrl-C (SIGINT). No browser needed.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { freePort } from '../src/processes.js';

const START = fileURLToPath(new URL('../../start.mjs', import.meta.url));

async function refused(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2000) });
    return false;
  } catch {
    return true;
  }
}

describe('npm start (tools/start.mjs)', () => {
  it('starts the four demos and the playground on the ports it is given, prints their URLs, and stops on Ctrl-C', async () => {
    const ports = { NEST_PORT: 0, FASTIFY_PORT: 0, KOA_PORT: 0, EXPRESS_PORT: 0, PLAYGROUND_PORT: 0, UNTRUSTED_PORT: 0 };
    for (const name of Object.keys(ports) as (keyof typeof ports)[]) ports[name] = await freePort();
    const child = spawn(process.execPath, [START], {
      env: { ...process.env, ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "running" banner in time:\n${output}`)), 90_000);
        const check = () => {
          if (output.includes('Press Ctrl-C to stop.')) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stdout.on('data', check);
        void exited.then(() => reject(new Error(`tools/start.mjs exited early:\n${output}`)));
      });
      for (const line of [
        `NestJS (express)  http://localhost:${ports.NEST_PORT}`,
        `Fastify           http://localhost:${ports.FASTIFY_PORT}`,
        `Koa               http://localhost:${ports.KOA_PORT}`,
        `Express           http://localhost:${ports.EXPRESS_PORT}`,
        `playground        http://localhost:${ports.PLAYGROUND_PORT}/`,
      ]) {
        expect(output).toContain(line);
      }
      const page = await fetch(`http://127.0.0.1:${ports.PLAYGROUND_PORT}/config.json`);
      expect((await page.json()).apis.map((api: { url: string }) => api.url)).toEqual([
        `http://localhost:${ports.NEST_PORT}`,
        `http://localhost:${ports.FASTIFY_PORT}`,
        `http://localhost:${ports.KOA_PORT}`,
        `http://localhost:${ports.EXPRESS_PORT}`,
      ]);
      for (const name of ['NEST_PORT', 'FASTIFY_PORT', 'KOA_PORT', 'EXPRESS_PORT'] as const) {
        const response = await fetch(`http://127.0.0.1:${ports[name]}/form`, {
          method: 'OPTIONS',
          headers: { origin: `http://localhost:${ports.PLAYGROUND_PORT}`, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
        });
        expect(response.status).toBe(204);
        expect(response.headers.get('access-control-allow-origin')).toBe(`http://localhost:${ports.PLAYGROUND_PORT}`);
      }
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    for (const port of Object.values(ports)) expect(await refused(`http://127.0.0.1:${port}/`)).toBe(true);
  }, 120_000);
});
