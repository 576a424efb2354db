/**
 * Child-process entry for `held-list.js`: `node held-list-entry.js <framework> <contender> <small|large|small+large> <held>`
 * (framework: express, fastify, koa, nest-express, nest-fastify).
 * Starts the contender like server-entry.js, after building `held` (objects no request touches) and keeping them
 * reachable: `nothing`, `policy` (a compiled 10,000-origin + 100-pattern policy), `strings` (the same 10,100 origin
 * strings in an array), `set` (the 10,000 exact origins in a Set).
 */
import { LARGE_EXACT, LARGE_PATTERNS, polycorsOptions } from './workloads.js';

const [framework, contender, allowlist, held = 'nothing'] = process.argv.slice(2);
const keep = [];
globalThis.__polycorsBenchHeld = keep;

async function build() {
  if (held === 'policy') {
    const { createCorsPolicy } = await import('@polycors/core');
    keep.push(createCorsPolicy(polycorsOptions('large')));
  } else if (held === 'strings') {
    keep.push([...LARGE_EXACT, ...LARGE_PATTERNS].map((s) => `${s.slice(0, 8)}${s.slice(8)}`));
  } else if (held === 'set') {
    keep.push(new Set(LARGE_EXACT.map((s) => `${s.slice(0, 8)}${s.slice(8)}`)));
  } else if (held !== 'nothing') throw new Error(`unknown held ${held}`);
}

async function start() {
  await build();
  const nest = framework.startsWith('nest-');
  const { createApp } = await import(`./servers/${nest ? 'nest' : framework}.js`);
  return (await createApp(contender, allowlist, nest ? framework.slice('nest-'.length) : undefined)).listen();
}

start().then(
  (port) => process.send({ ready: port }),
  (error) => {
    process.send({ error: String(error?.stack ?? error) });
    process.exitCode = 1;
  },
);
process.on('disconnect', () => process.exit(0));
process.on('message', (message) => {
  if (message === 'cpu') process.send({ cpu: process.cpuUsage() });
  if (message === 'usage') process.send({ usage: process.resourceUsage() });
});
