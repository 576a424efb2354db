/**
 * `node [--trace-deopt|--cpu-prof ...] src/inprocess-load.js <framework> <contender> <workload> [warmup] [measured]`:
 * starts one benchmark server in this process and loads it with the workload (autocannon, same process), printing
 * `--- measured ---` to stderr between the warm-up and the measured requests, so that V8 flags' output (deopts,
 * optimisations) can be read for the measured window alone.
 */
import autocannon from 'autocannon';
import { WORKLOADS } from './workloads.js';

const [framework, contender, workloadId = 'actual', warmup = '6000', measured = '3000'] = process.argv.slice(2);
const workload = WORKLOADS.find((w) => w.id === workloadId);
const { createApp } = await import(`./servers/${framework}.js`);
const app = await createApp(contender, workload.allowlist);
const port = await app.listen();
const options = { url: `http://127.0.0.1:${port}`, connections: 10, requests: workload.requests };
await autocannon({ ...options, amount: Number(warmup) });
console.error('--- measured ---');
const run = await autocannon({ ...options, amount: Number(measured) });
console.error(`--- done: ${run.requests.total} requests, ${run.errors} errors, ${JSON.stringify(run.statusCodeStats)} ---`);
process.exit(0);
