/**
 * Adversarial micro benchmark (issue 11): what hostile origins cost `policy.evaluate` in-process, each row beside the
 * normal origin it should be within a small constant of. Also standalone: `npm run adversarial -w @polycors/bench`
 * (needs @polycors/core built). Timing lives here, never in unit tests.
 */
import { Bench } from 'tinybench';
import { createCorsPolicy } from '@polycors/core';

const get = (origin) => ({ method: 'GET', origin });
const label63 = 'a'.repeat(63);

/** [case, policy options, requests (cycled), the verdict every request must get]. */
function cases() {
  const subdomains = { origin: ['https://app.example.com', 'https://*.example.com'], logger: false };
  const regexp = { origin: [/^https:\/\/([a-z0-9-]+\.)*example\.com$/], logger: false };
  const anything = { origin: () => true, credentials: true, logger: false };
  const distinct = Array.from({ length: 4096 }, (_, i) => `https://site-${i}.example.net`);
  return [
    ['*. pattern: a normal origin (baseline)', subdomains, [get('https://api.example.com')], true],
    ['*. pattern: a normal refused origin (baseline for refusals)', subdomains, [get('https://api.example.org')], false],
    ['*. pattern: 31 labels (the most accepted)', subdomains, [get(`https://${'a.'.repeat(29)}example.com`)], true],
    ['*. pattern: 2 KB origin of 1,000 labels', subdomains, [get(`https://${'a.'.repeat(1000)}example.com`)], false],
    ['*. pattern: 253-character host (3 labels of 63), not matching', subdomains, [get(`https://${`${label63}.`.repeat(3)}${label63.slice(0, 49)}.example.org`)], false],
    ['RegExp: a normal origin (baseline)', regexp, [get('https://api.example.com')], true],
    ['RegExp: a normal refused origin (baseline for refusals)', regexp, [get('https://api.example.org')], false],
    ['RegExp: 31 labels, failing at the end', regexp, [get(`https://${'a.'.repeat(29)}example.co`)], false],
    ['RegExp: 253-character host, failing at the end', regexp, [get(`https://${`${label63}.`.repeat(3)}${'a'.repeat(50)}.example.co`)], false],
    ['RegExp: 2 KB origin (refused before the RegExp)', regexp, [get(`https://${'a'.repeat(2000)}.example.com`)], false],
    ['credentials guard: one origin from a function (cached)', anything, [get('https://app.example.com')], true],
    ['credentials guard: 4,096 distinct origins (PSL each time)', anything, distinct.map(get), true],
  ];
}

export async function runAdversarial({ time, warmupTime }, log) {
  const bench = new Bench({ name: 'adversarial', time, warmupTime, warmup: true });
  const rows = [];
  for (const [name, options, requests, allowed] of cases()) {
    const policy = createCorsPolicy(options);
    for (const request of requests.slice(0, 3)) {
      const decision = await policy.evaluate(request);
      if (decision.allowed !== allowed) throw new Error(`${name}: expected ${allowed ? 'allowed' : 'refused'}, got ${decision.reason?.code ?? 'allowed'}`);
    }
    let turn = 0;
    bench.add(name, () => policy.evaluate(requests[turn++ % requests.length]));
    rows.push({ case: name, originLength: requests[0].origin.length, allowed });
  }
  await bench.run();
  for (const row of rows) {
    const latency = bench.tasks.find((task) => task.name === row.case).result.latency;
    Object.assign(row, { medianUs: latency.p50 * 1000, p99Us: latency.p99 * 1000 });
  }
  rows.push(...(await startupRows()));
  for (const row of rows) log?.(`  ${row.case}: ${row.medianUs !== undefined ? `median ${row.medianUs.toFixed(2)} µs, p99 ${row.p99Us.toFixed(2)} µs` : `${row.ms.toFixed(1)} ms ${row.note}`}`);
  return rows;
}

/**
 * Once each: the startup verdict on issue 11's RegExps (and a safe one), and what the polynomial one would cost a
 * single request if nothing stopped it (a 500-character label, which polycors never passes to a RegExp).
 */
async function startupRows() {
  const rows = [];
  const timed = (fn) => {
    const started = performance.now();
    const value = fn();
    return { ms: performance.now() - started, value };
  };
  const verdict = (regexp) => {
    try {
      createCorsPolicy({ origin: regexp, logger: false });
      return 'accepted';
    } catch (error) {
      return `refused (${error.problems.map((p) => p.code).join(', ')})`;
    }
  };
  const exponential = /^https:\/\/([a-z0-9]?[a-z0-9-])+\.example\.com$/;
  const polynomial = /^https:\/\/[a-z0-9-]+[a-z0-9-]+[a-z0-9-]+\.example\.com$/;
  for (const [name, regexp] of [['exponential RegExp of issue 11', exponential], ['polynomial RegExp of issue 11', polynomial], ['safe RegExp ([a-z0-9-]+\\.)*example\\.org (not analysed before in this process)', /^https:\/\/([a-z0-9-]+\.)*example\.org$/]]) {
    const { ms, value } = timed(() => verdict(regexp));
    rows.push({ case: `startup: ${name}`, ms, note: value });
  }
  const crafted = `https://${'a'.repeat(500)}!`;
  const { ms } = timed(() => polynomial.test(crafted));
  rows.push({ case: 'unguarded polynomial RegExp.test on a 509-character origin (what polycors no longer runs)', ms, note: 'one call' });
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runAdversarial({ time: 500, warmupTime: 100 }, console.log);
}
