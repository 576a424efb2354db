/** Terminal output: colour only on a TTY without NO_COLOR, plain text when piped. */
import type { CheckReport } from './check.js';
import type { DoctorReport, DoctorStep } from './doctor.js';

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const code = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
const plain = (s: string) => s;

export function makeStyle(colour: boolean): Style {
  if (!colour) return { bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain };
  return { bold: code(1, 22), dim: code(2, 22), red: code(31, 39), green: code(32, 39), yellow: code(33, 39), cyan: code(36, 39) };
}

/** https://no-color.org: any non-empty NO_COLOR turns colour off; so does a pipe. */
export function wantsColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return Boolean(stream.isTTY) && !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
}

const WORDS: Record<string, string> = { acl: 'ACL' };
function displayName(name: string): string {
  return name
    .split('-')
    .map((w) => WORDS[w] ?? (w.charAt(0).toUpperCase() + w.slice(1)))
    .join('-');
}

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((line) => by + line)
    .join('\n');
}

function stepLines(s: Style, step: DoctorStep, read: string[]): string[] {
  const lines = [`   ${s.cyan('>')} ${step.request.method} ${step.request.url}`];
  for (const [name, value] of step.request.headers) {
    if (name === 'user-agent' || name === 'accept') continue;
    lines.push(`   ${s.cyan('>')} ${displayName(name)}: ${value}`);
  }
  const { response } = step;
  lines.push(`   ${s.cyan('<')} ${response.status} ${response.statusText}`);
  if (response.corsHeaders.length === 0) lines.push(`   ${s.cyan('<')} ${s.dim('(no CORS headers)')}`);
  for (const [name, value] of response.corsHeaders) lines.push(`   ${s.cyan('<')} ${name}: ${value}`);
  const missing = read.filter((h) => !response.headers.some(([n]) => n.toLowerCase() === h));
  for (const h of missing) lines.push(`   ${s.cyan('<')} ${s.dim(`(no ${displayName(h)})`)}`);
  lines.push(step.ok ? `   ${s.green('✓ the browser accepts this answer')}` : `   ${s.red('✗ the browser refuses this answer')}`);
  return lines;
}

export function formatDoctor(report: DoctorReport, s: Style, read: string[]): string {
  const out: string[] = [];
  out.push(`${s.bold('polycors doctor')}  ${report.method} ${report.url}`);
  out.push(`  from origin ${report.origin}${report.credentials === 'include' ? ', with credentials' : ''}`);
  out.push('');
  let n = 1;
  if (report.preflight.needed) {
    out.push(s.bold(`${n}. Preflight`) + s.dim(', sent because:'));
    for (const reason of report.preflight.reasons) out.push(s.dim(`     - ${reason}`));
    if (report.preflight.step) out.push(...stepLines(s, report.preflight.step, []));
    out.push('');
    n += 1;
  } else if (report.crossOrigin) {
    out.push(s.dim('No preflight: a simple request (safelisted method and headers).'));
  }
  out.push(s.bold(`${n}. Actual request`));
  if (report.actual) out.push(...stepLines(s, report.actual, read));
  else out.push(`   ${s.dim('not sent: a browser never sends the request after a refused preflight')}`);
  out.push('');

  if (report.verdict === 'allowed') {
    out.push(s.green(s.bold('ALLOWED')) + ' the browser lets the page read this response');
    out.push(`  Readable response headers: ${report.readableHeaders.join(', ') || '(none)'}`);
    if (report.unreadableHeaders.length > 0) out.push(s.yellow(`  Not readable: ${report.unreadableHeaders.join(', ')}`));
    if (report.preflight.cacheSeconds !== undefined) out.push(`  Preflight cached by Chromium for ${report.preflight.cacheSeconds} s`);
  } else {
    out.push(s.red(s.bold('BLOCKED')) + ` at the ${report.blockedAt === 'preflight' ? 'preflight' : 'actual response'}`);
    out.push('');
    out.push(s.bold('Browser console (Chromium):'));
    out.push(indent(report.message!, '  '));
    out.push('');
    out.push(s.bold('Cause:'));
    out.push(indent(report.cause!, '  '));
  }
  if (report.fix) {
    const f = report.fix;
    out.push('');
    out.push(s.bold('Fix: ') + f.summary);
    const entries: [string, string][] = [
      ['polycors', f.polycors],
      ['NestJS', f.nestjs],
      ['Fastify', f.fastify],
      ['Koa', f.koa],
      ['Express', f.express],
      ['nginx', f.nginx],
    ];
    for (const [label, text] of entries) {
      out.push(`  ${s.cyan(label)}`);
      out.push(indent(text, '    '));
    }
  }
  if (report.notes.length > 0) {
    out.push('');
    out.push(s.bold('Notes:'));
    for (const note of report.notes) out.push(`  - ${note}`);
  }
  return out.join('\n') + '\n';
}

export function formatCheck(report: CheckReport, s: Style): string {
  const out: string[] = [`${s.bold('polycors check')}  ${report.file}` + s.dim(` (${report.export === 'json' ? 'JSON' : `export ${report.export}`})`)];
  const errors = report.problems.filter((p) => p.severity === 'error');
  const warnings = report.problems.filter((p) => p.severity === 'warning');
  if (report.problems.length === 0) {
    out.push(s.green('✓ no problems'));
    return out.join('\n') + '\n';
  }
  out.push('');
  for (const p of report.problems) {
    const label = p.severity === 'error' ? s.red('error  ') : s.yellow('warning');
    out.push(`${label} ${s.bold(p.path || '(options)')}  ${s.dim(`[${p.code}]`)}`);
    out.push(indent(p.message, '        '));
    if (p.fix) out.push(`        ${s.green('fix:')} ${p.fix}`);
  }
  out.push('');
  const summary = `${errors.length} error${errors.length === 1 ? '' : 's'}, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}`;
  out.push(errors.length > 0 ? s.red(summary) : s.yellow(summary));
  if (!report.strict && errors.length > 0) {
    out.push(s.dim('strict: false lets these errors through at runtime as warnings; check still counts them as errors.'));
  }
  return out.join('\n') + '\n';
}
