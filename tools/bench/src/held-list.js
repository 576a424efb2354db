/**
 * `node src/held-list.js [--rounds=9] [--requests=20000] [--processes=1] [--framework=fastify] [--configs=a,b,...]`
 * `node src/held-list.js --callgrind [--cache-sim] [--warmup=10000] [--requests=4000] [--configs=...]`
 *
 * Issue 16, part 1: does a large compiled allowlist that no request touches make every request of its process
 * dearer? Each configuration runs in its own server process (held-list-entry.js); every request is the same
 * allowed GET from `https://app.example.com`, except in the `bench ...` configurations, which send the requests of
 * the benchmark's own workload (for the issue's target: the large workload within 5% of the 3-origin one).
 *
 * Default mode: server CPU time per request (process.resourceUsage around a fixed request count), interleaved rounds with
 * the starting configuration rotating; medians. Robust to load far more than req/s, but still moves with it.
 * --callgrind: each server under `valgrind --tool=callgrind` (one at a time), counters zeroed after the warm-up and
 * dumped after the measured requests: instructions per request, for the main thread and for all threads. Counts
 * instructions, not time, so the machine's load does not move it. --cache-sim adds callgrind's simulated cache
 * misses (D1 = first-level data, LL = last level) per request: a model of this machine's caches, without the
 * other processes that share them.
 */
import { execFileSync, fork, spawn } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { WORKLOADS } from './workloads.js';

const ENTRY = fileURLToPath(new URL('./held-list-entry.js', import.meta.url));
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')).map(([k, v]) => [k, v ?? true]));
const framework = args.framework ?? 'fastify';
/** name -> [contender, allowlist the requests are judged by, what else the process holds, bench workload whose requests are sent] */
const CONFIGS = {
  'polycors 3 origins': ['polycors', 'small', 'nothing'],
  'polycors 3 origins + held 10k policy': ['polycors', 'small', 'policy'],
  'polycors 3 origins + held 10k strings': ['polycors', 'small', 'strings'],
  'polycors 3 + 10k + 100 patterns': ['polycors', 'small+large', 'nothing'],
  // The benchmark's own two workloads (their requests cycle through their origins): the issue's 5% target.
  'bench actual (3 origins)': ['polycors', 'small', 'nothing', 'actual'],
  'bench large (10k + 100 patterns)': ['polycors', 'large', 'nothing', 'large'],
  'none': ['none', 'small', 'nothing'],
  'none + held 10k policy': ['none', 'small', 'policy'],
};
const names = args.configs ? String(args.configs).split(',').map((n) => Object.keys(CONFIGS).find((k) => k === n || k.replaceAll(' ', '-') === n) ?? n) : Object.keys(CONFIGS).slice(0, 4);
for (const name of names) if (!CONFIGS[name]) throw new Error(`unknown config ${name}; known: ${Object.keys(CONFIGS).join(' | ')}`);
const requests = Number(args.requests ?? (args.callgrind ? 4000 : 20000));
const REQUEST = { headers: { origin: 'https://app.example.com' }, connections: 10, timeout: 120 };
const requestsOf = (name) => {
  const workload = WORKLOADS.find((w) => w.id === CONFIGS[name][3]);
  return workload ? { ...REQUEST, requests: workload.requests } : REQUEST;
};

const ask = (child, what) =>
  new Promise((resolve) => {
    const on = (message) => {
      if (message[what] === undefined) return;
      child.off('message', on);
      resolve(message[what]);
    };
    child.on('message', on);
    child.send(what);
  });

function start(name, wrap) {
  const [contender, allowlist, held] = CONFIGS[name];
  const child = wrap ? spawn(wrap[0], [...wrap.slice(1), process.execPath, ENTRY, framework, contender, allowlist, held], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] }) : fork(ENTRY, [framework, contender, allowlist, held], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (message) => (message.ready ? resolve({ name, child, url: `http://127.0.0.1:${message.ready}/resource` }) : reject(new Error(message.error))));
    child.once('exit', (code) => reject(new Error(`${name}: exited ${code}`)));
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

if (args.callgrind) {
  const dir = mkdtempSync(path.join(tmpdir(), 'polycors-callgrind-'));
  const warmup = Number(args.warmup ?? 10000);
  console.log(`callgrind: ${framework}, ${warmup} warm-up requests, then ${requests} measured (instructions per request)`);
  for (const name of names) {
    const out = path.join(dir, `${name.replace(/\W+/g, '_')}.out`);
    const cacheSim = args['cache-sim'] ? ['--cache-sim=yes'] : [];
    const server = await start(name, ['valgrind', '--tool=callgrind', '--separate-threads=yes', ...cacheSim, `--callgrind-out-file=${out}`]);
    await autocannon({ url: server.url, ...requestsOf(name), amount: warmup });
    execFileSync('callgrind_control', ['-z', String(server.child.pid)], { stdio: 'ignore' });
    const run = await autocannon({ url: server.url, ...requestsOf(name), amount: requests });
    execFileSync('callgrind_control', ['-d', 'measured', String(server.child.pid)], { stdio: 'ignore' });
    server.child.kill('SIGKILL');
    // One dump file per thread: `<out>-01` is the main thread.
    const files = execFileSync('sh', ['-c', `ls ${out}*`]).toString().trim().split('\n').filter((f) => /\.1-\d+$/.test(f));
    // `summary:` lists the events in `events:` order (Ir, then with --cache-sim I1mr ILmr Dr Dw D1mr DLmr D1mw DLmw).
    const main = [];
    const all = [];
    let events = ['Ir'];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      events = /^events: (.*)$/m.exec(text)[1].trim().split(/\s+/);
      const summary = /^summary: (.*)$/m.exec(text)[1].trim().split(/\s+/).map(Number);
      summary.forEach((value, i) => {
        all[i] = (all[i] ?? 0) + value;
        if (/-01$/.test(file)) main[i] = (main[i] ?? 0) + value;
      });
    }
    const perRequest = (values) => events.map((event, i) => `${event} ${((values[i] ?? 0) / requests).toLocaleString('en', { maximumFractionDigits: event === 'Ir' ? 0 : 1 })}`).join(', ');
    const ok = run.requests.total === requests && run.non2xx === 0 ? '' : `  (answered ${run.requests.total}, non-2xx ${run.non2xx})`;
    console.log(`${name}${ok}\n  main thread: ${perRequest(main)}\n  all threads: ${perRequest(all)}`);
  }
  console.log(`callgrind files: ${dir} (callgrind_annotate <file>)`);
} else {
  const rounds = Number(args.rounds ?? 9);
  // --processes=N starts every configuration N times: the spread between identical processes is the yardstick for
  // the differences between configurations.
  const processes = Number(args.processes ?? 1);
  const servers = [];
  for (let p = 0; p < processes; p++) for (const name of names) servers.push(await start(name));
  const label = (server) => `${server.name}${processes > 1 ? ` #${Math.floor(servers.indexOf(server) / names.length) + 1}` : ''}`;
  for (const server of servers) await autocannon({ url: server.url, ...requestsOf(server.name), amount: 5000 });
  const cpu = new Map(servers.map((server) => [label(server), []]));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < servers.length; k++) {
      const server = servers[(k + round) % servers.length];
      const before = await ask(server.child, 'usage');
      const run = await autocannon({ url: server.url, ...requestsOf(server.name), amount: requests });
      const after = await ask(server.child, 'usage');
      const per = (key) => (after[key] - before[key]) / run.requests.total;
      cpu.get(label(server)).push({ cpu: per('userCPUTime') + per('systemCPUTime'), user: per('userCPUTime'), system: per('systemCPUTime'), faults: per('minorPageFault') });
    }
  }
  const of = (name, key) => median(cpu.get(name).map((run) => run[key]));
  console.log(`server per request, ${framework}, ${rounds} interleaved rounds of ${requests} requests (medians; CPU ratio to the first)`);
  console.log(`${''.padEnd(40)}    CPU µs  ratio   user µs  system µs  minor page faults   [CPU per round]`);
  for (const name of cpu.keys()) {
    const line = `${of(name, 'cpu').toFixed(1).padStart(10)}  ×${(of(name, 'cpu') / of([...cpu.keys()][0], 'cpu')).toFixed(3)}  ${of(name, 'user').toFixed(1).padStart(8)}  ${of(name, 'system').toFixed(1).padStart(9)}  ${of(name, 'faults').toFixed(3).padStart(17)}`;
    console.log(`${name.padEnd(40)}${line}   [${cpu.get(name).map((run) => run.cpu.toFixed(1)).join(' ')}]`);
  }
  for (const server of servers) server.child.disconnect();
}
