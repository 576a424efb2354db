/**
 * Child-process entry: `node server-entry.js <framework> <contender>`. Starts the contender twice (3-origin and
 * 10,000-origin allowlists) on 127.0.0.1, port 0, and tells the parent the ports over IPC:
 * `{ ready: { small, large } }` or `{ error }`.
 */
const [framework, contender] = process.argv.slice(2);

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
  const small = await (await createApp(contender, 'small', platform)).listen();
  const large = await (await createApp(contender, 'large', platform)).listen();
  return { small, large };
}

start().then(
  (ports) => process.send({ ready: ports }),
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
