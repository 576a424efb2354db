/**
 * Turns raw results into ratios, target verdicts, and the Markdown report (BENCHMARKS.md).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LARGE_EXACT, LARGE_PATTERNS, SMALL_ORIGINS, WORKLOADS } from './workloads.js';

const NOTES = fileURLToPath(new URL('../NOTES.md', import.meta.url));

const byRole = (contenders, role) => contenders.find((c) => c.role === role);
const ratio = (a, b) => (a && b ? a.rps / b.rps : undefined);
/** How many requests polycors serves per CPU second, relative to the other (> 1: polycors is cheaper). */
const cpuRatio = (a, b) => (a?.cpuUsPerRequest && b?.cpuUsPerRequest ? b.cpuUsPerRequest / a.cpuUsPerRequest : undefined);
const fmtCpu = (value) => (value === undefined || Number.isNaN(value) ? '—' : value.toFixed(1));
const fmtRatio = (value) => (value === undefined ? '—' : value.toFixed(2));
const fmtRps = (value) => (value === undefined ? '—' : Math.round(value).toLocaleString('en-US'));
const fmtNs = (value) => (value === undefined ? '—' : value >= 10_000 ? `${(value / 1000).toFixed(1)} µs` : `${Math.round(value)} ns`);

/** Ratios per framework and workload, and a verdict for each target of issue 16. */
export function summarise(report) {
  const rows = [];
  for (const framework of report.http) {
    for (const workload of framework.workloads) {
      const none = byRole(workload.contenders, 'none');
      const incumbent = byRole(workload.contenders, 'incumbent');
      const polycors = byRole(workload.contenders, 'polycors');
      rows.push({
        framework: framework.framework,
        workload: workload.workload,
        incumbent: incumbent?.contender,
        polycorsVsIncumbent: ratio(polycors, incumbent),
        polycorsVsIncumbentCpu: cpuRatio(polycors, incumbent),
        polycorsVsNone: ratio(polycors, none),
        polycorsVsNoneCpu: cpuRatio(polycors, none),
        incumbentVsNone: ratio(incumbent, none),
        controlVsNone: ratio(byRole(workload.contenders, 'control'), none),
        floorVsNone: ratio(byRole(workload.contenders, 'floor'), none),
        polycorsVsFloor: ratio(polycors, byRole(workload.contenders, 'floor')),
        polycorsVsFloorCpu: cpuRatio(polycors, byRole(workload.contenders, 'floor')),
        mismatches: workload.contenders.filter((c) => c.check && !c.check.ok).map((c) => c.contender),
      });
    }
  }
  // The noise floor of a framework: how far apart two identical no-CORS processes came out in this run.
  const noise = {};
  for (const row of rows) if (row.controlVsNone !== undefined) noise[row.framework] = Math.abs(1 - row.controlVsNone);
  const tie = (r) => (noise[r.framework] !== undefined && 1 - r.polycorsVsIncumbent <= noise[r.framework] ? ' (within the noise floor)' : '');
  const find = (framework, workload) => rows.find((r) => r.framework === framework && r.workload === workload);
  const targets = [];

  // Issue 16: server CPU per request is the primary figure (it moves far less than throughput on a shared machine);
  // throughput is reported beside it and counted as a second verdict.
  const pct = (value) => `${(value * 100).toFixed(0)}%`;
  const both = (cpu, rps, format) => `${format(cpu)} CPU, ${format(rps)} req/s`;
  const vsIncumbent = rows.filter((r) => r.polycorsVsIncumbentCpu !== undefined);
  targets.push({
    target: 'polycors ≥ 1.00× the incumbent on every workload and framework (server CPU per request; throughput beside it)',
    met: vsIncumbent.length > 0 && vsIncumbent.every((r) => r.polycorsVsIncumbentCpu >= 1),
    detail: vsIncumbent.filter((r) => r.polycorsVsIncumbentCpu < 1 || r.polycorsVsIncumbent < 1).map((r) => `${r.framework}/${r.workload} ${both(r.polycorsVsIncumbentCpu, r.polycorsVsIncumbent, fmtRatio)}${tie(r)}`).join(', ') || `all ${vsIncumbent.length} ≥ 1.00 in CPU and in req/s`,
  });
  const vsFloor = rows.filter((r) => r.polycorsVsFloorCpu !== undefined);
  targets.push({
    target: 'polycors at ≥ 97% of the `headers only` floor on allowed GET, refused GET and preflight, on every adapter (server CPU per request; throughput beside it)',
    met: vsFloor.length > 0 && vsFloor.every((r) => r.polycorsVsFloorCpu >= 0.97),
    detail: vsFloor.map((r) => `${r.framework}/${r.workload} ${both(r.polycorsVsFloorCpu, r.polycorsVsFloor, pct)}`).join(', '),
  });
  const beats = vsIncumbent.filter((r) => r.workload === 'preflight' || r.workload === 'large');
  targets.push({
    target: 'polycors beats the incumbent on preflights and on the large allowlist (server CPU per request, ratio > 1.00)',
    met: beats.length > 0 && beats.every((r) => r.polycorsVsIncumbentCpu > 1),
    detail: beats.map((r) => `${r.framework}/${r.workload} ${both(r.polycorsVsIncumbentCpu, r.polycorsVsIncumbent, fmtRatio)}`).join(', '),
  });
  // Throughput and CPU drift between workloads on a shared machine (the no-CORS server itself moves by more than
  // 10% from one workload to the next), so the cost of the large list is read against the no-CORS server measured
  // beside it: (polycors / no CORS with 3 origins) / (polycors / no CORS with 10,000 origins) - 1.
  const allowlistCost = [];
  for (const framework of report.http) {
    const small = find(framework.framework, 'actual');
    const large = find(framework.framework, 'large');
    if (small?.polycorsVsNoneCpu !== undefined && large?.polycorsVsNoneCpu !== undefined) {
      allowlistCost.push({ framework: framework.framework, cpu: small.polycorsVsNoneCpu / large.polycorsVsNoneCpu - 1, rps: small.polycorsVsNone / large.polycorsVsNone - 1 });
    }
  }
  const signed = (value) => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}%`;
  targets.push({
    target: 'the 10,000-origin + 100-pattern allowlist within 5% of the 3-origin one (server CPU per request, each against the no-CORS server measured beside it; throughput beside it)',
    met: allowlistCost.length > 0 && allowlistCost.every((r) => r.cpu <= 0.05),
    detail: allowlistCost.map((r) => `${r.framework} ${both(r.cpu, r.rps, signed)}`).join(', '),
  });
  const huge = report.micro?.hugeHeaders?.filter((h) => h.bytes === 1024 * 1024) ?? [];
  targets.push({
    target: '1 MiB of Access-Control-Request-Headers refused in < 1 ms',
    met: huge.length > 0 && huge.every((h) => !h.allowed && h.p99Ms < 1),
    detail: huge.map((h) => `${h.case.replace('polycors: ', '')}: p99 ${(h.p99Ms * 1000).toFixed(2)} µs, max ${(h.maxMs * 1000).toFixed(1)} µs`).join('; '),
  });
  for (const t of targets) {
    if (t.detail === '' || t.detail === 'all 0 ≥ 1.00') {
      t.met = undefined;
      t.detail = '';
    }
  }

  const lines = [`Noise floor (second no-CORS process vs first): ${Object.entries(noise).map(([f, n]) => `${f} ${(n * 100).toFixed(1)}%`).join(', ') || 'not measured'}`, 'Targets:'];
  for (const t of targets) lines.push(`  ${t.met === true ? 'MET    ' : t.met === false ? 'MISSED ' : 'NOT RUN'} ${t.target}: ${t.detail || 'not measured'}`);
  return { rows, targets, noise, lines };
}

function headlineTable(report) {
  const workloads = WORKLOADS.filter((w) => report.http.some((f) => f.workloads.some((x) => x.workload === w.id)));
  const out = [`| Framework (incumbent) | ${workloads.map((w) => w.title).join(' | ')} | Noise floor |`, `|---|${workloads.map(() => '---:').join('|')}|---:|`];
  for (const framework of report.http) {
    const incumbent = framework.workloads.flatMap((w) => w.contenders).find((c) => c.role === 'incumbent')?.contender;
    const cells = workloads.map((w) => {
      const row = report.summary.rows.find((r) => r.framework === framework.framework && r.workload === w.id);
      if (!row || row.polycorsVsIncumbent === undefined) {
        if (framework.unavailable.polycors) return 'not measured';
        return '—';
      }
      const floor = row.polycorsVsFloorCpu === undefined ? '' : ` · ${(row.polycorsVsFloorCpu * 100).toFixed(0)}% of floor`;
      return `**${fmtRatio(row.polycorsVsIncumbentCpu)}** (${fmtRatio(row.polycorsVsIncumbent)} req/s${floor})`;
    });
    const noise = report.summary.noise[framework.framework];
    out.push(`| ${framework.title} (\`${incumbent}\`) | ${cells.join(' | ')} | ${noise === undefined ? '—' : `±${(noise * 100).toFixed(1)}%`} |`);
  }
  return out.join('\n');
}

function frameworkTable(framework) {
  const contenders = [...new Map(framework.workloads.flatMap((w) => w.contenders).map((c) => [c.contender, c.role])).entries()];
  const out = [
    `| Workload | ${contenders.map(([name]) => `\`${name}\` server CPU µs/req · req/s · p99 ms`).join(' | ')} | polycors / incumbent (CPU · req/s) | polycors / headers only (CPU · req/s) | polycors / no CORS (req/s) | incumbent / no CORS (req/s) |`,
    `|---|${contenders.map(() => '---:').join('|')}|---:|---:|---:|---:|`,
  ];
  for (const workload of framework.workloads) {
    const cells = contenders.map(([name]) => {
      const c = workload.contenders.find((x) => x.contender === name);
      if (!c) return '—';
      const flag = c.check && !c.check.ok ? ' ⚠' : '';
      return `**${fmtCpu(c.cpuUsPerRequest)}** · ${fmtRps(c.rps)} · ${c.p99}${flag}`;
    });
    const none = byRole(workload.contenders, 'none');
    const incumbent = byRole(workload.contenders, 'incumbent');
    const polycors = byRole(workload.contenders, 'polycors');
    const floor = byRole(workload.contenders, 'floor');
    out.push(`| ${workload.title} | ${cells.join(' | ')} | ${fmtRatio(cpuRatio(polycors, incumbent))} · ${fmtRatio(ratio(polycors, incumbent))} | ${fmtRatio(cpuRatio(polycors, floor))} · ${fmtRatio(ratio(polycors, floor))} | ${fmtRatio(ratio(polycors, none))} | ${fmtRatio(ratio(incumbent, none))} |`);
  }
  const lines = [`### ${framework.title}`, '', out.join('\n')];
  const mismatches = framework.workloads.flatMap((w) => w.contenders.filter((c) => c.check && !c.check.ok).map((c) => `- ⚠ ${w.title}, \`${c.contender}\`: ${c.check.problems.slice(0, 3).join('; ')}`));
  if (mismatches.length) lines.push('', 'Answers that differ from the workload\'s expectation (measured anyway):', '', ...mismatches);
  for (const [name, error] of Object.entries(framework.unavailable)) lines.push('', `- \`${name}\` not measured: ${error}`);
  lines.push('', `Per-round throughput: ${framework.workloads.map((w) => `${w.workload}: ${w.contenders.map((c) => `${c.contender} [${c.rounds.join(', ')}]`).join('; ')}`).join(' · ')}`);
  return lines.join('\n');
}

function microTable(micro) {
  const names = Object.keys(micro.workloads[0].contenders);
  const out = [`| Workload | ${names.map((n) => `\`${n}\``).join(' | ')} |`, `|---|${names.map(() => '---:').join('|')}|`];
  for (const row of micro.workloads) out.push(`| ${row.title} | ${names.map((n) => fmtNs(row.contenders[n]?.nsPerRequest)).join(' | ')} |`);
  const huge = ['| Access-Control-Request-Headers | Bytes | Verdict | Median | p99 | Max |', '|---|---:|---|---:|---:|---:|'];
  for (const h of micro.hugeHeaders) {
    huge.push(`| ${h.case.replace('polycors: ', '')} | ${h.bytes.toLocaleString('en-US')} | ${h.allowed ? 'allowed' : `refused (\`${h.reason}\`)`} | ${(h.medianMs * 1000).toFixed(2)} µs | ${(h.p99Ms * 1000).toFixed(2)} µs | ${(h.maxMs * 1000).toFixed(1)} µs |`);
  }
  return `${out.join('\n')}\n\n${huge.join('\n')}`;
}

/** Hostile origins (issue 11): per-request rows beside their baseline, then one-off startup and reference timings. */
function adversarialTable(rows) {
  const perRequest = ['| Origin | Length | Verdict | Median | p99 |', '|---|---:|---|---:|---:|'];
  const once = ['| Once | Time | Result |', '|---|---:|---|'];
  for (const row of rows) {
    if (row.medianUs !== undefined) perRequest.push(`| ${row.case} | ${row.originLength} | ${row.allowed ? 'allowed' : 'refused'} | ${row.medianUs.toFixed(2)} µs | ${row.p99Us.toFixed(2)} µs |`);
    else once.push(`| ${row.case} | ${row.ms.toFixed(0)} ms | ${row.note} |`);
  }
  return `${perRequest.join('\n')}\n\n${once.join('\n')}`;
}

/**
 * The README's performance table, from the same run as BENCHMARKS.md: polycors ÷ incumbent in server CPU per request
 * (throughput in brackets) per framework and workload. Written between the README's `bench:start`/`bench:end` markers.
 */
export function readmeTable(report) {
  const workloads = WORKLOADS.filter((w) => report.http.some((f) => f.workloads.some((x) => x.workload === w.id && byRole(x.contenders, 'polycors'))));
  const out = [
    `From [BENCHMARKS.md](BENCHMARKS.md) (\`${report.environment.command}\` on ${report.environment.date.slice(0, 10)}, ${report.environment.cores} shared cores): polycors ÷ the incumbent in server CPU per request (> 1: polycors is cheaper), throughput ratio in brackets, both from the same run.`,
    '',
    `| framework (incumbent) | ${workloads.map((w) => w.title).join(' | ')} |`,
    `| --- |${workloads.map(() => ' ---: |').join('')}`,
  ];
  for (const framework of report.http) {
    const incumbent = framework.workloads.flatMap((w) => w.contenders).find((c) => c.role === 'incumbent')?.contender;
    const cells = workloads.map((w) => {
      const row = report.summary.rows.find((r) => r.framework === framework.framework && r.workload === w.id);
      if (row?.polycorsVsIncumbentCpu === undefined) return '—';
      const value = `${fmtRatio(row.polycorsVsIncumbentCpu)} (${fmtRatio(row.polycorsVsIncumbent)})`;
      return row.polycorsVsIncumbentCpu >= 1.5 ? `**${value}**` : value;
    });
    out.push(`| ${framework.title} (\`${incumbent}\`) | ${cells.join(' | ')} |`);
  }
  return out.join('\n');
}

export function renderMarkdown(report) {
  const env = report.environment;
  const s = report.settings;
  const parts = [
    '# Benchmarks',
    '',
    `Generated by \`${env.command}\` (\`tools/bench\`) on ${env.date.slice(0, 16).replace('T', ' ')} UTC${env.commit ? ` at commit \`${env.commit}\`` : ''}. Raw numbers: \`tools/bench/results/${report.profile === 'quick' ? 'quick' : 'latest'}.json\`.`,
    '',
    `Machine: ${env.cores} × ${env.cpu}, ${env.memoryGiB} GiB, ${env.platform}; Node ${env.node}. Load average at start ${env.loadAverageAtStart.join(' / ')}, at end ${env.loadAverageAtEnd.join(' / ')} (run took ${env.seconds} s).`,
    '',
    `HTTP: each contender in its own child process on 127.0.0.1, autocannon in the parent (${s.connections} connections, no pipelining); per workload every contender is warmed up ${s.warmup} s, then ${s.rounds} rounds of ${s.duration} s with the contenders interleaved (starting contender rotating each round). Figures are medians of the rounds; **ratios from the same run are the figures that count**, absolute req/s depend on the machine. The primary figure is the server process's own CPU time per request (user + system, read from the child around each round): on a shared machine it moves much less than throughput. Throughput and p99 latency are beside it.`,
    '',
    '## Headline: polycors ÷ incumbent in server CPU per request (in brackets: in throughput, and polycors\'s share of the `headers only` floor in CPU)',
    '',
    headlineTable(report),
    '',
    'A CPU ratio above 1.00: polycors costs the server less CPU per request than the incumbent (requests per CPU second). Noise floor: how far apart two identical no-CORS server processes came out in throughput on the first workload in this same run. A ratio closer to 1.00 than that is a tie.',
    '',
    '## Targets (issue 16)',
    '',
    ...report.summary.targets.map((t) => `- ${t.met === true ? '✅' : t.met === false ? '❌' : '⬜'} ${t.target} — ${t.detail || 'not measured'}`),
    '',
    '## HTTP throughput per framework',
    '',
    ...report.http.flatMap((f) => [frameworkTable(f), '']),
  ];
  if (report.micro) {
    parts.push(
      '## In-process: CORS work per request (tinybench, median)',
      '',
      'Each library\'s per-request work, called directly with the same fake request and response objects (no server): `cors`\'s middleware, `@fastify/cors`\'s onRequest hook, `@koa/cors`\'s middleware, and polycors\'s `policy.evaluate` alone and with the decision written onto the response (what an adapter does: the comparable column). Nest\'s `enableCors()` is `cors` or `@fastify/cors` underneath.',
      '',
      microTable(report.micro),
      '',
      'Over HTTP a 1 MiB header never reaches any CORS code: Node\'s default 16 KiB header limit answers `431` first. The in-process figures show what polycors does if a larger header limit lets it through: it refuses from the length alone (`maxRequestHeadersLength`, default 4096), without scanning the value. The 4 KiB row is the longest value it parses by default (every name checked against the allowlist), the 64 KiB row the most a configuration can make it parse.',
      '',
    );
    if (report.micro.adversarial) {
      parts.push('## Adversarial origins (issue 11, in-process)', '', '`policy.evaluate` on hostile origins (`tools/bench/src/adversarial.js`), each beside the normal origin of the same policy.', '', adversarialTable(report.micro.adversarial), '');
    }
  }
  parts.push(
    '## What is measured',
    '',
    'Every contender serves the same route (`GET` and `PUT /resource`, JSON body `{"hello":"world"}`) with the same CORS meaning: allowed origins, methods `GET, HEAD, PUT, PATCH, POST, DELETE`, allowed request headers `content-type, x-request-id`, credentials, `Access-Control-Max-Age: 600`. Before measuring, each contender\'s answer to every request of a workload is checked (status, body, `Access-Control-Allow-Origin` echoing the origin or absent, credentials, `Vary: Origin`, preflight methods, headers and max age); a contender that answers differently is flagged ⚠.',
    '',
    `- **Allowed GET (3 origins)**: origins ${SMALL_ORIGINS.map((o) => `\`${o}\``).join(', ')}, requests cycling through the three.`,
    '- **Preflight**: `OPTIONS /resource` asking for `PUT` with `content-type,x-request-id`, from the three origins. No-CORS servers have nothing to answer it with, so they are not measured here.',
    '- **Refused origin**: `GET` from `https://evil.example`: the route still answers (200), without CORS headers.',
    '- **Hostile origins**: `GET` with the large allowlist from a 2 KB origin of 1,000 labels under a pattern\'s suffix, and from a host of three 63-character labels beside a pattern\'s suffix (issue 11\'s inputs over HTTP): refused, the route still answers.',
    '- **`headers only`** (the floor): one `Set` lookup of the Origin and the fixed answer of each workload (allowed, refused, preflight), with no other check: what no CORS layer can avoid sending.',
    `- **Large allowlist**: ${LARGE_EXACT.length.toLocaleString('en-US')} exact origins (\`https://customer-N.example.net\`) and ${LARGE_PATTERNS.length} subdomain patterns (\`https://*.tenant-N.example.com\`; for \`cors\`, \`@fastify/cors\` and Nest, the equivalent anchored RegExps; for \`@koa/cors\`, which takes no list, an origin function doing \`Array.includes\` then the RegExps). Requests cycle through exact origin #5000, exact origin #9999 and \`https://eu.app.tenant-57.example.com\`.`,
    '- Contenders: no CORS (the ceiling), the incumbent (`cors` on Express, `@fastify/cors`, `@koa/cors`, Nest\'s `enableCors()` on both Nest adapters) and polycors (`@polycors/express`, `@polycors/fastify`, `@polycors/koa`, `@polycors/nestjs` `CorsModule.forRoot()`).',
    '- polycors runs from the built `dist/` of each package (the root `bench` script builds them first).',
    '',
  );
  if (existsSync(NOTES)) parts.push(readFileSync(NOTES, 'utf8').trim(), '');
  parts.push('Reproduce: `npm run bench` (full, about 10 minutes on 2 cores) or `npm run bench -- --quick` (under 2 minutes).', '');
  return parts.join('\n');
}
