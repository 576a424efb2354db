#!/usr/bin/env node
/**
 * `npm start`: the three demo APIs and the playground, on fixed local ports, until Ctrl-C.
 * (The root script builds them first with Nx, then runs this file.)
 *
 * Ports (override through the environment): NEST_PORT 3001, FASTIFY_PORT 3002, KOA_PORT 3003, PLAYGROUND_PORT 5173,
 * UNTRUSTED_PORT 5174 (the playground's second origin, which the APIs do not allow).
 * Also passed through: HOST (default 127.0.0.1), NEST_ADAPTER (express|fastify), DEMO_TOKEN (default demo-token),
 * CORS_ORIGINS (default: the playground's origins on localhost and 127.0.0.1).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const env = process.env;

function port(name, fallback) {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 65535) {
    console.error(`polycors demo: ${name} must be a port number (1-65535), got '${value}'`);
    process.exit(1);
  }
  return parsed;
}

const ports = {
  nest: port('NEST_PORT', 3001),
  fastify: port('FASTIFY_PORT', 3002),
  koa: port('KOA_PORT', 3003),
  express: port('EXPRESS_PORT', 3004),
  playground: port('PLAYGROUND_PORT', 5173),
  untrusted: port('UNTRUSTED_PORT', 5174),
};
const clash = Object.entries(ports).find(([name, value]) => Object.entries(ports).some(([other, v]) => other !== name && v === value));
if (clash) {
  console.error(`polycors demo: two servers cannot share port ${clash[1]}; set distinct NEST_PORT, FASTIFY_PORT, KOA_PORT, EXPRESS_PORT, PLAYGROUND_PORT, UNTRUSTED_PORT`);
  process.exit(1);
}

const host = env.HOST || '127.0.0.1';
const shared = {
  HOST: host,
  DEMO_STATS: '1',
  DEMO_TOKEN: env.DEMO_TOKEN || 'demo-token',
  CORS_ORIGINS: env.CORS_ORIGINS || `http://localhost:${ports.playground},http://127.0.0.1:${ports.playground}`,
};
const url = (p) => `http://localhost:${p}`;
const adapter = env.NEST_ADAPTER || 'express';

const servers = [
  { name: 'nest', label: `NestJS (${adapter})`, app: 'nest-demo', env: { PORT: String(ports.nest), NEST_ADAPTER: adapter }, url: url(ports.nest), ready: '/options' },
  { name: 'fastify', label: 'Fastify', app: 'fastify-demo', env: { PORT: String(ports.fastify) }, url: url(ports.fastify), ready: '/options' },
  { name: 'koa', label: 'Koa', app: 'koa-demo', env: { PORT: String(ports.koa) }, url: url(ports.koa), ready: '/options' },
  { name: 'express', label: 'Express', app: 'express-demo', env: { PORT: String(ports.express) }, url: url(ports.express), ready: '/options' },
  {
    name: 'playground',
    label: 'playground',
    app: 'playground',
    env: {
      PORT: String(ports.playground),
      UNTRUSTED_PORT: String(ports.untrusted),
      NEST_URL: url(ports.nest),
      FASTIFY_URL: url(ports.fastify),
      KOA_URL: url(ports.koa),
      EXPRESS_URL: url(ports.express),
    },
    url: `${url(ports.playground)}/`,
    ready: '/',
  },
];

const width = Math.max(...servers.map((server) => server.name.length));
const children = [];
let stopping = false;

function prefix(name, stream, target) {
  let rest = '';
  stream.on('data', (chunk) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) target.write(`[${name.padEnd(width)}] ${line}\n`);
  });
  stream.on('end', () => {
    if (rest) target.write(`[${name.padEnd(width)}] ${rest}\n`);
  });
}

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
  for (const child of running) child.kill('SIGTERM');
  const force = setTimeout(() => running.forEach((child) => child.kill('SIGKILL')), 5000);
  await Promise.all(running.map((child) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', resolve)))));
  clearTimeout(force);
  process.exit(code);
}

for (const server of servers) {
  const script = `${root}apps/${server.app}/dist/main.js`;
  if (!existsSync(script)) {
    console.error(`polycors demo: ${script} is missing. Build first: npm run build (npm start does it for you).`);
    process.exit(1);
  }
  const child = spawn(process.execPath, [script], { env: { ...env, ...shared, ...server.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  prefix(server.name, child.stdout, process.stdout);
  prefix(server.name, child.stderr, process.stderr);
  child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`polycors demo: ${server.label} stopped (${signal ?? `exit code ${code}`}); stopping the others.` + (code === 1 ? ' Is its port taken? Override it through the environment (see tools/start.mjs).' : ''));
    void stopAll(1);
  });
  children.push(child);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (stopping) {
      children.forEach((child) => child.kill('SIGKILL'));
      return;
    }
    process.stdout.write('\npolycors demo: stopping…\n');
    void stopAll(0);
  });
}

async function answers(address) {
  try {
    const response = await fetch(address.replace('localhost', host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host), { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

const deadline = Date.now() + 60_000;
for (const server of servers) {
  while (!stopping && !(await answers(`${server.url.replace(/\/$/, '')}${server.ready}`))) {
    if (Date.now() > deadline) {
      console.error(`polycors demo: ${server.label} did not answer on ${server.url}; stopping.`);
      await stopAll(1);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}
if (!stopping) {
  const labelWidth = Math.max(...servers.map((server) => server.label.length));
  process.stdout.write(
    [
      '',
      'polycors demo is running:',
      ...servers.map((server) => `  ${server.label.padEnd(labelWidth)}  ${server.url}`),
      '',
      `Open ${servers[3].url} and press the buttons. Bearer token: ${shared.DEMO_TOKEN}. Press Ctrl-C to stop.`,
      '',
    ].join('\n'),
  );
}
