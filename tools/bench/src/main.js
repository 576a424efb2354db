/**
 * `npm run bench [-- --quick] [-- --only=fastify,koa] [-- --workloads=actual,large] [-- --no-micro] [-- --no-http]`
 *
 * Runs the HTTP benchmarks (servers in child processes, autocannon in this process) and the in-process micro
 * benchmarks, then writes JSON and a Markdown report. A full run writes BENCHMARKS.md at the repository root and
 * tools/bench/results/latest.json; --quick writes tools/bench/results/quick.{md,json} and leaves those alone.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPackages } from './build.js';
import { FRAMEWORKS } from './contenders.js';
import { checkAnswers, runWorkload, startContender } from './http-bench.js';
import { readmeTable, renderMarkdown, summarise } from './report.js';
import { WORKLOADS } from './workloads.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const RESULTS = fileURLToPath(new URL('../results/', import.meta.url));

const PROFILES = {
  // about 10 minutes on 2 cores
  full: { warmup: 1, duration: 1.5, rounds: 7, connections: 10, micro: { time: 500, warmupTime: 100 } },
  // under 2 minutes
  quick: { warmup: 0.25, duration: 0.4, rounds: 2, connections: 10, micro: { time: 60, warmupTime: 15 } },
};

function parseArgs(argv) {
  const args = { quick: false, build: true, http: true, micro: true, only: undefined, workloads: undefined, out: undefined };
  for (const arg of argv) {
    if (arg === '--quick') args.quick = true;
    else if (arg === '--no-http') args.http = false;
    else if (arg === '--no-build') args.build = false;
    else if (arg === '--report-only') args.reportOnly = true;
    else if (arg === '--no-micro') args.micro = false;
    else if (arg.startsWith('--only=')) args.only = arg.slice(7).split(',');
    else if (arg.startsWith('--workloads=')) args.workloads = arg.slice(12).split(',');
    else if (arg.startsWith('--out=')) args.out = arg.slice(6);
    else if (arg.startsWith('--rounds=')) args.rounds = Number(arg.slice(9));
    else if (arg.startsWith('--duration=')) args.duration = Number(arg.slice(11));
    else if (arg === '--help' || arg === '-h') {
      console.log('npm run bench -- [--quick] [--only=express,fastify,koa,nest-express,nest-fastify] [--workloads=actual,preflight,refused,large] [--no-http] [--no-micro] [--no-build] [--report-only] [--rounds=N] [--duration=seconds] [--out=name]');
      process.exit(0);
    } else throw new Error(`unknown argument ${arg} (try --help)`);
  }
  return args;
}

function environment(command) {
  const cpus = os.cpus();
  let commit;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    commit = undefined;
  }
  return {
    date: new Date().toISOString(),
    command,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    cpu: cpus[0]?.model?.trim(),
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverageAtStart: os.loadavg().map((n) => Number(n.toFixed(2))),
    commit,
  };
}

async function runHttp(frameworks, workloads, profile, log) {
  const results = [];
  for (const framework of frameworks) {
    log(`\n${framework.title}`);
    const started = await Promise.all(framework.contenders.map(async (contender) => ({ contender, server: await startContender(framework.id, contender) })));
    const frameworkResult = { framework: framework.id, title: framework.title, unavailable: {}, workloads: [] };
    const live = [];
    for (const { contender, server } of started) {
      if (server.error) {
        frameworkResult.unavailable[contender.id] = server.error.split('\n')[0];
        log(`  ${contender.id}: unavailable (${server.error.split('\n')[0]})`);
      } else live.push({ contender, server });
    }
    try {
      for (const workload of workloads) {
        // Without CORS there is no preflight to answer (the route 404s), so the ceiling is not measured for it.
        const entries = live
          .filter(({ contender }) => !((workload.expect.preflight || workload.noCeiling) && contender.role === 'none'))
          .filter(({ contender }) => !contender.workloads || contender.workloads.includes(workload.id))
          .map(({ contender, server }) => ({ contender: contender.id, role: contender.role, port: server.ports[workload.allowlist], cpu: server.cpus[workload.allowlist] }));
        const checks = {};
        for (const entry of entries) {
          if (entry.role === 'none' || entry.role === 'control') continue;
          checks[entry.contender] = await checkAnswers(entry.port, workload);
          if (!checks[entry.contender].ok) log(`  ${workload.id}: ${entry.contender} answers differently: ${checks[entry.contender].problems.join('; ')}`);
        }
        log(`  ${workload.title}`);
        const measured = await runWorkload(entries, workload, profile, log);
        frameworkResult.workloads.push({
          workload: workload.id,
          title: workload.title,
          contenders: measured.map((m) => ({ ...m, role: entries.find((e) => e.contender === m.contender).role, check: checks[m.contender] })),
        });
      }
    } finally {
      await Promise.all(live.map(({ server }) => server.stop()));
    }
    results.push(frameworkResult);
  }
  return results;
}

/** Replaces the README's table between `<!-- bench:start -->` and `<!-- bench:end -->` with this run's. */
function writeReadmeTable(report) {
  const readme = path.join(ROOT, 'README.md');
  const text = readFileSync(readme, 'utf8');
  const block = /(<!-- bench:start[^>]*-->\n)[\s\S]*?(\n<!-- bench:end -->)/;
  if (!block.test(text)) throw new Error('README.md has no <!-- bench:start --> ... <!-- bench:end --> block');
  writeFileSync(readme, text.replace(block, (_, open, close) => `${open}${readmeTable(report)}${close}`));
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.reportOnly) {
    // Re-render BENCHMARKS.md from the last full run (after editing NOTES.md or the report code).
    const report = JSON.parse(readFileSync(path.join(RESULTS, 'latest.json'), 'utf8'));
    report.summary = summarise(report);
    writeFileSync(path.join(ROOT, 'BENCHMARKS.md'), renderMarkdown(report));
    writeReadmeTable(report);
    console.log('Rewrote BENCHMARKS.md and the README table from results/latest.json');
    return;
  }
  const profileName = args.quick ? 'quick' : 'full';
  const profile = { ...PROFILES[profileName] };
  if (args.rounds) profile.rounds = args.rounds;
  if (args.duration) profile.duration = args.duration;
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const env = environment(command);
  const log = (line) => console.log(line);
  const t0 = performance.now();
  const frameworks = FRAMEWORKS.filter((f) => !args.only || args.only.includes(f.id));
  const workloads = WORKLOADS.filter((w) => !args.workloads || args.workloads.includes(w.id));
  log(`polycors benchmarks (${profileName}): Node ${env.node}, ${env.cores} × ${env.cpu}, load ${env.loadAverageAtStart.join(' ')}`);
  if (args.build) {
    log('Building the polycors packages (dist/)');
    env.build = buildPackages(log);
  }
  // The micro benchmarks import @polycors/core's dist/, so only now.
  const { runMicro } = await import('./micro.js');

  const http = args.http ? await runHttp(frameworks, workloads, profile, log) : [];
  let micro;
  if (args.micro) {
    log('\nIn-process (tinybench)');
    micro = await runMicro(profile.micro, log);
  }
  env.loadAverageAtEnd = os.loadavg().map((n) => Number(n.toFixed(2)));
  env.seconds = Math.round((performance.now() - t0) / 1000);
  const report = { profile: profileName, settings: profile, environment: env, http, micro };
  report.summary = summarise(report);

  const name = args.out ?? (args.quick ? 'quick' : 'latest');
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(path.join(RESULTS, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
  const markdown = renderMarkdown(report);
  const markdownPath = !args.quick && !args.out && !args.only && !args.workloads && !args.rounds && !args.duration && args.http && args.micro ? path.join(ROOT, 'BENCHMARKS.md') : path.join(RESULTS, `${name}.md`);
  writeFileSync(markdownPath, markdown);
  if (markdownPath.endsWith('BENCHMARKS.md')) writeReadmeTable(report);
  log(`\n${report.summary.lines.join('\n')}`);
  log(`\nWrote ${path.relative(process.cwd(), path.join(RESULTS, `${name}.json`))} and ${path.relative(process.cwd(), markdownPath)} in ${env.seconds} s`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
