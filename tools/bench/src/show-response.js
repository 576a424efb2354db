/** `node src/show-response.js <framework> <contender> <workload>`: the raw response to the workload's first request. */
import net from 'node:net';
import { WORKLOADS } from './workloads.js';

const [framework, contender, workloadId = 'actual'] = process.argv.slice(2);
const workload = WORKLOADS.find((w) => w.id === workloadId);
const { createApp } = await import(`./servers/${framework}.js`);
const port = await (await createApp(contender, workload.allowlist)).listen();
const { method, path, headers } = workload.requests[0];
const head = [`${method} ${path} HTTP/1.1`, 'host: 127.0.0.1', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), 'connection: close', '', ''].join('\r\n');
const socket = net.connect(port, '127.0.0.1', () => socket.write(head));
let raw = '';
socket.on('data', (chunk) => (raw += chunk));
socket.on('end', () => {
  console.log(raw);
  process.exit(0);
});
