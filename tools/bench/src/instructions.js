/**
 * `node src/instructions.js --framework=fastify --workload=actual [--contenders=none,headers only,polycors]
 *   [--warmup=4000] [--requests=2000] [--keep]`
 *
 * Instructions per request, counted by `valgrind --tool=callgrind`, for each contender of one framework on one
 * benchmark workload (the servers of `npm run bench`, started by server-entry.js). Counts instructions, not time:
 * the same binary and requests give the same count whatever else the machine is doing, so it settles differences
 * of a few percent that throughput and CPU time on a shared 2-core machine cannot (issue 16). Each server runs alone
 * under valgrind; counters are zeroed after the warm-up (V8 has optimised the hot path by then) and dumped after the
 * measured requests. `main thread` is JavaScript, Node and libuv: the figure to compare; `all threads` adds V8's
 * concurrent compiler and GC threads. --keep leaves the callgrind files for `callgrind_annotate`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { FRAMEWORKS } from './contenders.js';
import { WORKLOADS } from './workloads.js';

const ENTRY = fileURLToPath(new URL('./server-entry.js', import.meta.url));
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')).map(([k, v]) => [k, v ?? true]));
const framework = FRAMEWORKS.find((f) => f.id === (args.framework ?? 'fastify'));
if (!framework) throw new Error(`unknown framework ${args.framework}; known: ${FRAMEWORKS.map((f) => f.id).join(', ')}`);
const workload = WORKLOADS.find((w) => w.id === (args.workload ?? 'actual'));
if (!workload) throw new Error(`unknown workload ${args.workload}; known: ${WORKLOADS.map((w) => w.id).join(', ')}`);
const known = framework.contenders.filter((c) => c.role !== 'control' && (!c.workloads || c.workloads.includes(workload.id)));
const names = args.contenders ? String(args.contenders).split(',') : known.map((c) => c.id);
for (const name of names) if (!known.some((c) => c.id === name)) throw new Error(`${framework.id}/${workload.id}: no contender ${name}; known: ${known.map((c) => c.id).join(', ')}`);
const warmup = Number(args.warmup ?? 4000);
const requests = Number(args.requests ?? 2000);

/** Starts `contender` under callgrind; resolves `{ child, url }` once it listens. */
function start(contender, out) {
  const valgrind = ['--tool=callgrind', '--separate-threads=yes', `--callgrind-out-file=${out}`];
  const child = spawn('valgrind', [...valgrind, process.execPath, ENTRY, framework.id, contender, workload.allowlist], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  return new Promise((resolve, reject) => {
    child.once('message', (message) => (message.ready ? resolve({ child, url: `http://127.0.0.1:${message.ready}` }) : reject(new Error(message.error))));
    child.once('exit', (code) => reject(new Error(`${contender}: exited ${code}\n${stderr}`)));
  });
}

/** Sums callgrind's `summary:` (Ir) over the dump files of the measured window: main thread (`-01`) and all. */
function instructions(dir, base) {
  let main = 0;
  let all = 0;
  // `callgrind_control -d` writes dump 1, one file per thread: `<base>.out.1-01` is the main thread.
  for (const file of readdirSync(dir).filter((f) => f.startsWith(`${base}.out.1-`))) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    const ir = Number(/^summary: (\d+)/m.exec(text)?.[1] ?? 0);
    all += ir;
    if (/-01$/.test(file)) main += ir;
  }
  return { main, all };
}

const dir = mkdtempSync(path.join(tmpdir(), 'polycors-instructions-'));
const results = [];
console.log(`instructions per request: ${framework.title}, ${workload.title}; ${warmup} warm-up requests, then ${requests} measured`);
for (const name of names) {
  const base = name.replace(/\W+/g, '_');
  const server = await start(name, path.join(dir, `${base}.out`));
  const options = { url: server.url, connections: 10, requests: workload.requests, timeout: 120 };
  await autocannon({ ...options, amount: warmup });
  execFileSync('callgrind_control', ['-z', String(server.child.pid)], { stdio: 'ignore' });
  const run = await autocannon({ ...options, amount: requests });
  execFileSync('callgrind_control', ['-d', 'measured', String(server.child.pid)], { stdio: 'ignore' });
  server.child.kill('SIGKILL');
  const counted = instructions(dir, base);
  const answered = run.requests.total === requests && run.errors === 0 ? '' : `  (answered ${run.requests.total}, errors ${run.errors})`;
  results.push({ name, main: counted.main / requests, all: counted.all / requests });
  console.log(`${name.padEnd(16)} main thread ${Math.round(counted.main / requests).toLocaleString('en').padStart(9)}   all threads ${Math.round(counted.all / requests).toLocaleString('en').padStart(9)}${answered}`);
}
const floor = results.find((r) => r.name === 'headers only');
if (floor) for (const r of results) if (r !== floor) console.log(`${r.name}: ${((floor.main / r.main) * 100).toFixed(1)}% of headers only (main thread; ≥ 97% is issue 16's target)`);
if (args.keep) console.log(`callgrind files: ${dir}`);
else rmSync(dir, { recursive: true, force: true });
