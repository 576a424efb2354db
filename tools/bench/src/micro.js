/**
 * In-process micro benchmarks (tinybench): the per-request CORS work of each library on the same four workloads,
 * without any HTTP server. Each library gets the same fake request/response objects; polycors is measured as
 * `policy.evaluate` alone and as evaluate + writing the decision onto the response (what an adapter does, which is
 * the comparable number). One task call runs a batch of requests
 * (sized so a call takes about 0.25 ms), so timer resolution does not dominate.
 * Plus: the cost of refusing 1 MiB of Access-Control-Request-Headers, and hostile origins (`adversarial.js`).
 */
import { createRequire } from 'node:module';
import { Bench } from 'tinybench';
import { appendVary, createCorsPolicy } from '@polycors/core';
import { runAdversarial } from './adversarial.js';
import { WORKLOADS, corsPackageOptions, koaCorsOptions, polycorsOptions } from './workloads.js';

const require = createRequire(import.meta.url);
const MAX_BATCH = 1000;
const TARGET_CALL_MS = 0.25;

class FakeResponse {
  statusCode = 200;
  ended = false;
  headers = new Map();
  setHeader(name, value) {
    this.headers.set(name.toLowerCase(), value);
  }
  getHeader(name) {
    return this.headers.get(name.toLowerCase());
  }
  removeHeader(name) {
    this.headers.delete(name.toLowerCase());
  }
  end() {
    this.ended = true;
  }
}

/** Each library's per-request work as `(request) => void | Promise<void>`, for one allowlist. */
function contenders(allowlist) {
  const policy = createCorsPolicy(polycorsOptions(allowlist));
  const toCorsRequest = (request) => ({
    method: request.method,
    origin: request.headers.origin,
    requestMethod: request.headers['access-control-request-method'],
    requestHeaders: request.headers['access-control-request-headers'],
  });

  const corsMiddleware = require('cors')(corsPackageOptions(allowlist));
  const next = () => {};

  const fastifyCors = require('@fastify/cors');
  let fastifyHook;
  const fakeFastify = {
    decorateRequest() {},
    addHook(_name, hook) {
      fastifyHook = hook;
    },
    options() {},
  };
  fastifyCors(fakeFastify, corsPackageOptions(allowlist), () => {});

  const koaCors = require('@koa/cors')(koaCorsOptions(allowlist));

  return {
    'polycors evaluate': (request) => {
      policy.evaluate(request.corsRequest);
    },
    'polycors evaluate + headers': (request) => {
      const res = new FakeResponse();
      const decision = policy.evaluate(toCorsRequest(request));
      for (const [name, value] of decision.headers) res.setHeader(name, value);
      if (decision.vary.length > 0) res.setHeader('vary', appendVary(res.getHeader('vary'), decision.vary));
      if (decision.kind === 'preflight') {
        res.statusCode = decision.status;
        res.end();
      }
    },
    cors: (request) => {
      corsMiddleware({ method: request.method, headers: request.headers }, new FakeResponse(), next);
    },
    '@fastify/cors': (request) => {
      const res = new FakeResponse();
      const reply = {
        header(name, value) {
          res.setHeader(name, value);
          return reply;
        },
        getHeader: (name) => res.getHeader(name),
        code(status) {
          res.statusCode = status;
          return reply;
        },
        status: (status) => reply.code(status),
        type: () => reply,
        send: () => res.end(),
        callNotFound: () => {},
      };
      fastifyHook({ headers: request.headers, raw: { method: request.method }, routeOptions: { config: {} } }, reply, next);
    },
    '@koa/cors': (request) => {
      const res = new FakeResponse();
      const ctx = {
        method: request.method,
        status: 404,
        get: (name) => request.headers[name.toLowerCase()] ?? '',
        set: (name, value) => res.setHeader(name, value),
        vary: (field) => res.setHeader('vary', appendVary(res.getHeader('vary'), [field])),
      };
      return koaCors(ctx, async () => {});
    },
  };
}

/**
 * Wraps one library's work into a task that runs `batch` requests (cycling through the workload's requests), the
 * batch sized so one call takes about TARGET_CALL_MS: long enough for the timer, short enough for many samples.
 */
async function taskFor(work, requests) {
  const isAsync = work(requests[0]) instanceof Promise;
  const started = performance.now();
  let calibration = 0;
  while (performance.now() - started < 5) {
    if (isAsync) await work(requests[calibration % requests.length]);
    else work(requests[calibration % requests.length]);
    calibration++;
  }
  const perRequestMs = (performance.now() - started) / calibration;
  const batch = Math.max(requests.length, Math.min(MAX_BATCH, Math.round(TARGET_CALL_MS / perRequestMs)));
  const fn = isAsync
    ? async () => {
        for (let i = 0; i < batch; i++) await work(requests[i % requests.length]);
      }
    : () => {
        for (let i = 0; i < batch; i++) work(requests[i % requests.length]);
      };
  return { fn, batch };
}

function summarise(task, perCall) {
  const result = task.result;
  if (!result || !result.latency) return { error: String(result?.error ?? result?.state ?? 'no result') };
  return {
    nsPerRequest: (result.latency.p50 * 1e6) / perCall,
    meanNsPerRequest: (result.latency.mean * 1e6) / perCall,
    opsPerSecond: (perCall * 1000) / result.latency.p50,
    rme: result.latency.rme,
    samples: result.latency.samplesCount ?? result.latency.samples?.length,
  };
}

export async function runMicro({ time, warmupTime }, log) {
  const byAllowlist = { small: contenders('small'), large: contenders('large') };
  const results = [];
  for (const workload of WORKLOADS) {
    const requests = workload.requests.map((request) => ({
      ...request,
      corsRequest: {
        method: request.method,
        origin: request.headers.origin,
        requestMethod: request.headers['access-control-request-method'],
        requestHeaders: request.headers['access-control-request-headers'],
      },
    }));
    const bench = new Bench({ name: workload.id, time, warmupTime, warmup: true });
    const works = byAllowlist[workload.allowlist];
    const batches = {};
    for (const [name, work] of Object.entries(works)) {
      const { fn, batch } = await taskFor(work, requests);
      batches[name] = batch;
      bench.add(name, fn);
    }
    await bench.run();
    const row = { workload: workload.id, title: workload.title, contenders: {} };
    for (const task of bench.tasks) row.contenders[task.name] = { ...summarise(task, batches[task.name]), batch: batches[task.name] };
    results.push(row);
    log?.(`  ${workload.id.padEnd(10)} ${Object.entries(row.contenders).map(([name, r]) => `${name}: ${r.nsPerRequest?.toFixed(0)} ns`).join(' | ')}`);
  }
  return { workloads: results, hugeHeaders: await runHugeHeaders({ time, warmupTime }, log), adversarial: await runAdversarial({ time, warmupTime }, log) };
}

/**
 * 1 MiB of Access-Control-Request-Headers on a preflight: polycors refuses it from its length alone. For scale, the
 * most a user can make polycors parse (maxRequestHeadersLength: 65536) is measured too, fully parsed and allowed
 * (two different values alternated, so the policy's memory of the last verdict does not skip the parse).
 * (Over HTTP, Node's own 16 KiB header limit answers 431 before any CORS code runs.)
 */
async function runHugeHeaders({ time, warmupTime }, log) {
  const MiB = 1024 * 1024;
  const commas = ','.repeat(MiB);
  const names = 'x-custom-header-0,'.repeat(Math.ceil(MiB / 18)).slice(0, MiB);
  const parseable = 'content-type,x-request-id,'.repeat(Math.floor(65536 / 26)).slice(0, -1);
  // Two values of the same size, alternated: a policy remembers its last verdict, and this case is about parsing.
  const parseables = [parseable, `x-request-id,${parseable.slice(13)}`];
  const atDefault = 'content-type,x-request-id,'.repeat(Math.floor(4096 / 26)).slice(0, -1);
  const atDefaults = [atDefault, `x-request-id,${atDefault.slice(13)}`];
  let turn = 0;
  const policy = createCorsPolicy(polycorsOptions('small'));
  const widePolicy = createCorsPolicy({ ...polycorsOptions('small'), maxRequestHeadersLength: 65536 });
  const request = (requestHeaders) => ({ method: 'OPTIONS', origin: 'https://app.example.com', requestMethod: 'PUT', requestHeaders });

  const checks = {
    'polycors: 1 MiB of commas': policy.evaluate(request(commas)),
    'polycors: 1 MiB of header names': policy.evaluate(request(names)),
    'polycors: 4 KiB of allowed names (the default limit)': policy.evaluate(request(atDefault)),
    'polycors: 64 KiB of allowed names (maxRequestHeadersLength 65536)': widePolicy.evaluate(request(parseable)),
  };
  const bench = new Bench({ name: 'huge-headers', time, warmupTime, warmup: true });
  bench.add('polycors: 1 MiB of commas', () => policy.evaluate(request(commas)));
  bench.add('polycors: 1 MiB of header names', () => policy.evaluate(request(names)));
  bench.add('polycors: 4 KiB of allowed names (the default limit)', () => policy.evaluate(request(atDefaults[turn++ & 1])));
  bench.add('polycors: 64 KiB of allowed names (maxRequestHeadersLength 65536)', () => widePolicy.evaluate(request(parseables[turn++ & 1])));
  await bench.run();
  const rows = bench.tasks.map((task) => {
    const decision = checks[task.name];
    const r = task.result;
    return {
      case: task.name,
      bytes: task.name.includes('64 KiB') ? parseable.length : task.name.includes('4 KiB') ? atDefault.length : MiB,
      allowed: decision.allowed,
      reason: decision.reason?.code,
      medianMs: r.latency.p50,
      p99Ms: r.latency.p99,
      maxMs: r.latency.max,
    };
  });
  for (const row of rows) log?.(`  ${row.case}: ${row.allowed ? 'allowed' : `refused (${row.reason})`}, median ${(row.medianMs * 1000).toFixed(2)} µs, p99 ${(row.p99Ms * 1000).toFixed(2)} µs`);
  return rows;
}
