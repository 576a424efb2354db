/**
 * `node src/profile.js <framework> <contender> <workload> [seconds]`: runs one contender under `node --cpu-prof`,
 * loads it with the workload for a few seconds, and prints where the server's CPU time went: by package and by
 * function (self time). The .cpuprofile is kept in tools/bench/results/profiles/ for Chrome DevTools.
 */
import { fork } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { WORKLOADS } from './workloads.js';

const [framework, contender, workloadId = 'actual', seconds = '5'] = process.argv.slice(2);
if (!framework || !contender) {
  console.error('usage: node src/profile.js <framework> <contender> [workload] [seconds]');
  process.exit(2);
}
const workload = WORKLOADS.find((w) => w.id === workloadId);
const dir = fileURLToPath(new URL(`../results/profiles/${framework}-${contender.replace(/\W+/g, '_')}-${workloadId}-${Date.now()}/`, import.meta.url));
mkdirSync(dir, { recursive: true });

const child = fork(fileURLToPath(new URL('./server-entry.js', import.meta.url)), [framework, contender, workload.allowlist], {
  execArgv: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const ready = await new Promise((resolve) => child.once('message', resolve));
if (!ready.ready) throw new Error(ready.error);
const port = ready.ready;
await autocannon({ url: `http://127.0.0.1:${port}`, connections: 10, duration: 1, requests: workload.requests });
const result = await autocannon({ url: `http://127.0.0.1:${port}`, connections: 10, duration: Number(seconds), requests: workload.requests });
console.log(`${Math.round(result.requests.total / result.duration)} req/s`);
child.disconnect(); // server-entry exits normally, so the profile is written
await new Promise((resolve) => child.once('exit', resolve));

const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
const self = new Map();
const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
const counts = new Map();
for (const sample of profile.samples) counts.set(sample, (counts.get(sample) ?? 0) + 1);
let total = 0;
const byPackage = new Map();
for (const [id, count] of counts) {
  const frame = byNode.get(id).callFrame;
  const url = frame.url || `(${frame.functionName || 'native'})`;
  const pkg = url.includes('/packages/') ? `@polycors/${url.split('/packages/')[1].split('/')[0]}` : url.includes('node_modules/') ? url.split('node_modules/').pop().split('/').slice(0, url.split('node_modules/').pop().startsWith('@') ? 2 : 1).join('/') : url.startsWith('node:') ? 'node' : url;
  const key = `${frame.functionName || '(anonymous)'} ${url.replace(/^.*\/(packages|node_modules)\//, '')}:${frame.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + count);
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + count);
  total += count;
}
const pct = (n) => `${((100 * n) / total).toFixed(1).padStart(5)}%`;
console.log('\nSelf time by package:');
for (const [pkg, n] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${pct(n)}  ${pkg}`);
console.log('\nSelf time by function (top 25):');
for (const [key, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${pct(n)}  ${key}`);
console.log(`\nProfile: ${path.join(dir, file)}`);
