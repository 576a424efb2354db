/** The case list as the Markdown table in README.md (a test keeps the two in step). */
import { CASES } from './cases.js';
import { BROWSER_MODES } from './chromium.js';
import { TARGETS } from './targets.js';

export function applicable(caseId: string, targetId: string): boolean {
  const testCase = CASES.find((entry) => entry.id === caseId);
  const target = TARGETS.find((entry) => entry.id === targetId);
  if (!testCase || !target) throw new Error(`unknown case ${caseId} or target ${targetId}`);
  return testCase.needs === undefined || target.routes[testCase.needs] !== undefined;
}

export function browserCaseCount(): number {
  return CASES.reduce((sum, testCase) => sum + TARGETS.filter((target) => applicable(testCase.id, target.id)).length, 0);
}

export function caseTable(): string {
  const header = `| id | the demo … | kind | ${TARGETS.map((target) => target.label).join(' | ')} |`;
  const rule = `|---|---|---|${TARGETS.map(() => ':-:').join('|')}|`;
  const rows = CASES.map(
    (testCase) =>
      `| \`${testCase.id}\` | ${testCase.title.replace(/\|/g, '\\|')} | ${testCase.polarity} | ${TARGETS.map((target) => (applicable(testCase.id, target.id) ? '✓' : 'n/a')).join(' | ')} |`,
  );
  const perTarget = TARGETS.map((target) => `${target.label} ${CASES.filter((testCase) => applicable(testCase.id, target.id)).length}`).join(', ');
  const total = browserCaseCount();
  return [
    header,
    rule,
    ...rows,
    '',
    `${CASES.length} cases; ${total} browser cases per browser mode (${perTarget}), run in ${BROWSER_MODES.length} modes: ${2 * total} in all.`,
  ].join('\n');
}
