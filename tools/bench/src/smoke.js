/**
 * `npm test` for the bench: a smoke check of the harness, no timing. Every contender of every framework starts in
 * its child process, answers each workload's requests with the workload's meaning (the same check the benchmark
 * makes before measuring), and serves 200 requests through autocannon without errors. Says nothing about speed.
 * Needs the polycors packages built (Nx builds them first: the test target depends on ^build).
 */
import autocannon from 'autocannon';
import { FRAMEWORKS } from './contenders.js';
import { checkAnswers, startContender } from './http-bench.js';
import { WORKLOADS } from './workloads.js';

const failures = [];
const started = performance.now();
for (const framework of FRAMEWORKS) {
  const contenders = framework.contenders.filter((contender) => contender.role !== 'control');
  const servers = await Promise.all(contenders.map(async (contender) => ({ contender, server: await startContender(framework.id, contender) })));
  try {
    for (const { contender, server } of servers) {
      const name = `${framework.id} / ${contender.id}`;
      if (server.error) {
        failures.push(`${name} did not start: ${server.error}`);
        continue;
      }
      for (const workload of WORKLOADS) {
        if (contender.role === 'none') continue;
        if (contender.workloads && !contender.workloads.includes(workload.id)) continue;
        const { ok, problems } = await checkAnswers(server.ports[workload.allowlist], workload);
        if (!ok) failures.push(`${name}, ${workload.id}: ${problems.join('; ')}`);
      }
      const workload = WORKLOADS[contender.role === 'none' || contender.role === 'floor' ? 0 : 1];
      const result = await autocannon({ url: `http://127.0.0.1:${server.ports.small}`, connections: 2, amount: 200, sampleInt: 50, requests: workload.requests });
      if (result.requests.total !== 200 || result.errors + result.timeouts + result.non2xx > 0) {
        failures.push(`${name}: autocannon completed ${result.requests.total}/200 requests, ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`);
      }
      console.log(`${failures.some((f) => f.startsWith(name)) ? '✗' : '✓'} ${name}`);
    }
  } finally {
    await Promise.all(servers.map(({ server }) => server.stop?.()));
  }
}
console.log(`${failures.length === 0 ? 'All contenders answered as expected' : `${failures.length} problem(s)`} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
for (const failure of failures) console.error(`  ${failure}`);
process.exitCode = failures.length === 0 ? 0 : 1;
