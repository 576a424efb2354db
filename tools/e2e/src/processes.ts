/**
 * Demo servers as child processes (their built `dist/main.js`), each on a free port on 127.0.0.1.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

/** A port that was free a moment ago (the OS picks it; the demo binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface DemoProcess {
  name: string;
  url: string;
  port: number;
  /** Everything the process printed (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export interface StartDemoOptions {
  name: string;
  /** Absolute path of the script to run with node. */
  script: string;
  env: Record<string, string>;
  /** Path polled until it answers (default `/options`). */
  readyPath?: string;
  timeoutMs?: number;
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.status < 500;
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function startDemo(options: StartDemoOptions): Promise<DemoProcess> {
  if (!existsSync(options.script)) {
    throw new Error(
      `polycors e2e: ${options.script} does not exist. Build the demos first (npm run build, or run the suite through nx, whose test target depends on the builds).`,
    );
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [options.script], {
    env: { ...process.env, NODE_ENV: 'production', ...options.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: number | string | null | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = code ?? signal;
      resolve();
    });
  });

  const stop = async () => {
    if (exited !== undefined) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exit;
    clearTimeout(killer);
  };

  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (!(await answers(url + (options.readyPath ?? '/options')))) {
    if (exited !== undefined) {
      throw new Error(`polycors e2e: ${options.name} exited (${String(exited)}) before it answered. Its output:\n${output}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`polycors e2e: ${options.name} did not answer on ${url} in time. Its output:\n${output}`);
    }
    await sleep(100);
  }
  return { name: options.name, url, port, output: () => output, stop };
}
