/**
 * Child-process entry: `node server-entry.js <framework> <contender> <small|large>`. Starts the contender with the
 * 3-origin or the 10,000-origin allowlist on 127.0.0.1, port 0, and tells the parent the port over IPC:
 * `{ ready: port }` or `{ error }`. One configuration per process: a 3-origin app does not carry a 10,000-origin
 * list in its heap.
 */
import { executionAsyncResource } from 'node:async_hooks';

const [framework, contender, allowlist = 'small'] = process.argv.slice(2);

// Every contender's process keeps one nextTick task object alive, as @polycors/core does for itself: without it,
// a full GC at the wrong moment leaves Node's task-object inline caches megamorphic and that process pays about
// 40,000 instructions more per request, at random (NOTES.md, "part 1 answered"). The benchmark compares CORS
// layers, not which process was unlucky. Written out here rather than imported from @polycors/core: the incumbents'
// processes must not load polycors.
process.nextTick(() => void (globalThis.benchHeldTickTask = executionAsyncResource()));

async function start() {
  let createApp;
  let platform;
  switch (framework) {
    case 'express':
      ({ createApp } = await import('./servers/express.js'));
      break;
    case 'fastify':
      ({ createApp } = await import('./servers/fastify.js'));
      break;
    case 'koa':
      ({ createApp } = await import('./servers/koa.js'));
      break;
    case 'nest-express':
    case 'nest-fastify':
      ({ createApp } = await import('./servers/nest.js'));
      platform = framework.slice('nest-'.length);
      break;
    default:
      throw new Error(`unknown framework ${framework}`);
  }
  return (await createApp(contender, allowlist, platform)).listen();
}

start().then(
  (port) => process.send({ ready: port }),
  (error) => {
    process.send({ error: String(error?.stack ?? error) });
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 100).unref();
  },
);
process.on('disconnect', () => process.exit(0));
// The parent reads the server's CPU time around each run: CPU per request is far less sensitive than throughput
// to other processes on a shared machine.
process.on('message', (message) => {
  if (message === 'cpu') process.send({ cpu: process.cpuUsage() });
});
