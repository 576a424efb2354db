/**
 * `node src/trace-deopt.js <framework> <contender> [workload] [requests]`: runs one contender's server with
 * `--trace-opt --trace-deopt`, sends the workload's requests, and prints the optimisation and deoptimisation lines
 * of polycors' own functions (dist/ of packages/*): what V8 still (de)optimises on the hot path after the warm-up.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { WORKLOADS } from './workloads.js';

const [framework = 'fastify', contender = 'polycors', workloadId = 'actual', amount = '20000'] = process.argv.slice(2);
const workload = WORKLOADS.find((w) => w.id === workloadId);
const child = fork(fileURLToPath(new URL('./server-entry.js', import.meta.url)), [framework, contender, workload.allowlist], {
  execArgv: ['--trace-opt', '--trace-deopt'],
  stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
});
const lines = [];
let buffered = '';
let sent = 0;
child.stdout.on('data', (chunk) => {
  buffered += chunk;
  const parts = buffered.split('\n');
  buffered = parts.pop();
  for (const line of parts) if (/packages\/|polycors|deoptimiz|bailout|completed/i.test(line)) lines.push(`[after ${sent}] ${line.slice(0, 300)}`);
});
const ready = await new Promise((resolve) => child.once('message', resolve));
if (!ready.ready) throw new Error(ready.error);
const url = `http://127.0.0.1:${ready.ready}`;
for (let i = 0; i < 10; i++) {
  await autocannon({ url, connections: 10, amount: Number(amount) / 10, requests: workload.requests });
  sent += Number(amount) / 10;
}
child.kill();
for (const line of lines) console.log(line);
