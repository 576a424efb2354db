/**
 * HTTP side of the benchmark: servers in child processes, a correctness check of every contender's answers, and
 * autocannon runs interleaved across contenders (rotating the order every round) after a warm-up.
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { BODY_TEXT, METHODS, ALLOWED_HEADERS } from './workloads.js';

const ENTRY = fileURLToPath(new URL('./server-entry.js', import.meta.url));

/**
 * Starts a contender: one process per allowlist (`none` has no configuration: one process serves both).
 * Resolves `{ ports: { small, large }, cpus: { small, large }, stop }` or `{ error }`.
 */
export async function startContender(framework, contender) {
  const server = contender.server ?? contender.id;
  const small = startServer(framework, server, 'small');
  const large = contender.role === 'none' || contender.role === 'control' || contender.role === 'floor' ? small : startServer(framework, server, 'large');
  const [a, b] = await Promise.all([small, large]);
  const stop = () => Promise.all([a.stop?.(), b.stop?.()]);
  if (a.error || b.error) {
    await stop();
    return { error: a.error ?? b.error };
  }
  return { ports: { small: a.port, large: b.port }, cpus: { small: a.cpu, large: b.cpu }, stop };
}

/** Starts one contender with one allowlist in its own process. Resolves `{ port, cpu, stop }` or `{ error }`. */
export function startServer(framework, contender, allowlist, { timeoutMs = 60_000 } = {}) {
  return new Promise((resolve) => {
    const child = fork(ENTRY, [framework, contender, allowlist], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      if (stderr.length < 4000) stderr += chunk;
    });
    const stop = () =>
      new Promise((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 2000).unref();
      });
    const timer = setTimeout(() => {
      stop();
      resolve({ error: `did not start within ${timeoutMs} ms\n${stderr}` });
    }, timeoutMs);
    child.once('message', (message) => {
      clearTimeout(timer);
      if (message.ready) resolve({ port: message.ready, pid: child.pid, stop, cpu: () => cpuOf(child) });
      else {
        stop();
        resolve({ error: firstLines(message.error) });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ error: `exited (${code ?? signal}) before it was ready\n${firstLines(stderr)}` });
    });
  });
}

/** The child's user + system CPU time so far, in microseconds. */
function cpuOf(child) {
  return new Promise((resolve, reject) => {
    const onMessage = (message) => {
      if (!message.cpu) return;
      child.off('message', onMessage);
      resolve(message.cpu.user + message.cpu.system);
    };
    child.on('message', onMessage);
    child.send('cpu', (error) => error && reject(error));
  });
}

function firstLines(text, count = 6) {
  return String(text).split('\n').slice(0, count).join('\n');
}

function send(port, { method, path, headers }) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const lowerList = (value) => (value ?? '').split(',').map((item) => item.trim().toLowerCase()).filter(Boolean);

/**
 * Sends each of the workload's requests once and checks the answer means what the workload says: the same
 * status and body for everyone, `Access-Control-Allow-Origin` echoing the origin (or absent when refused),
 * credentials, `Vary: Origin`, and on preflights the methods and headers asked for.
 * Returns `{ ok, problems }`; a contender that fails is still measured, and flagged in the report.
 */
export async function checkAnswers(port, workload) {
  const problems = [];
  for (const request of workload.requests) {
    const { status, headers, body } = await send(port, request);
    const origin = request.headers.origin;
    const where = `${request.method} from ${origin.length > 60 ? `${origin.slice(0, 40)}… (${origin.length} characters)` : origin}`;
    const expect = workload.expect;
    if (status !== expect.status) problems.push(`${where}: status ${status}, expected ${expect.status}`);
    if (expect.body && body !== BODY_TEXT) problems.push(`${where}: body ${JSON.stringify(body.slice(0, 80))}`);
    const acao = headers['access-control-allow-origin'];
    if (expect.allowed) {
      if (acao !== origin) problems.push(`${where}: access-control-allow-origin ${acao ?? '(none)'}`);
      if (headers['access-control-allow-credentials'] !== 'true') problems.push(`${where}: no access-control-allow-credentials: true`);
    } else if (expect.allowed === false && acao !== undefined) {
      problems.push(`${where}: refused origin got access-control-allow-origin ${acao}`);
    }
    if (!lowerList(headers.vary).includes('origin') && !lowerList(headers.vary).includes('*')) problems.push(`${where}: no Vary: Origin`);
    if (expect.preflight) {
      const methods = lowerList(headers['access-control-allow-methods']).map((m) => m.toUpperCase());
      for (const method of METHODS) if (!methods.includes(method)) problems.push(`${where}: access-control-allow-methods lacks ${method}`);
      const allowedHeaders = lowerList(headers['access-control-allow-headers']);
      for (const name of ALLOWED_HEADERS) if (!allowedHeaders.includes(name)) problems.push(`${where}: access-control-allow-headers lacks ${name}`);
      if (headers['access-control-max-age'] !== '600') problems.push(`${where}: access-control-max-age ${headers['access-control-max-age'] ?? '(none)'}`);
    }
  }
  return { ok: problems.length === 0, problems };
}

/** One autocannon run. Throughput is completed requests over elapsed time; latencies in milliseconds. */
export async function measure(port, requests, { duration, connections }, cpu) {
  const cpuBefore = cpu ? await cpu() : undefined;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    pipelining: 1,
    duration,
    // autocannon checks for the end of a run once per sample interval (default 1 s): sample every 100 ms so a
    // 0.4 s round lasts 0.4 s. Throughput is computed from the total and the measured duration, not the samples.
    sampleInt: 100,
    requests: requests.map(({ method, path, headers }) => ({ method, path, headers })),
  });
  const cpuAfter = cpu ? await cpu() : undefined;
  const seconds = result.duration > 0 ? result.duration : duration;
  return {
    rps: result.requests.total / seconds,
    cpuUsPerRequest: cpu && result.requests.total > 0 ? (cpuAfter - cpuBefore) / result.requests.total : undefined,
    requests: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

export function median(values) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Measures one workload on one framework: each contender warmed up, then `rounds` rounds in which every contender
 * runs once, the starting contender rotating each round (A B C, B C A, C A B, ...), so drift in the machine's load
 * spreads over all of them. Returns per-contender rounds and medians.
 */
export async function runWorkload(entries, workload, settings, log) {
  for (const entry of entries) await measure(entry.port, workload.requests, { ...settings, duration: settings.warmup });
  const rounds = new Map(entries.map((entry) => [entry.contender, []]));
  for (let round = 0; round < settings.rounds; round++) {
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[(round + i) % entries.length];
      const run = await measure(entry.port, workload.requests, settings, entry.cpu);
      rounds.get(entry.contender).push(run);
      log?.(`    round ${round + 1}/${settings.rounds} ${entry.contender.padEnd(14)} ${Math.round(run.rps).toString().padStart(7)} req/s  p99 ${run.p99} ms  server CPU ${run.cpuUsPerRequest?.toFixed(1) ?? '?'} µs/req${run.errors ? `  errors ${run.errors}` : ''}`);
    }
  }
  return entries.map((entry) => {
    const runs = rounds.get(entry.contender);
    return {
      contender: entry.contender,
      rps: median(runs.map((run) => run.rps)),
      p50: median(runs.map((run) => run.p50)),
      p99: median(runs.map((run) => run.p99)),
      cpuUsPerRequest: median(runs.map((run) => run.cpuUsPerRequest).filter((value) => value !== undefined)),
      errors: runs.reduce((sum, run) => sum + run.errors, 0),
      rounds: runs.map((run) => Math.round(run.rps)),
    };
  });
}
