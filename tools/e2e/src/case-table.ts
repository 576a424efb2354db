/** The case list as the Markdown table in README.md (a test keeps the two in step). */
import { CASES } from './cases.js';
import { BROWSER_MODES } from './chromium.js';
import { TARGETS } from './targets.js';

/** Every case runs on every demo: they all serve the same routes. */
export function browserCaseCount(): number {
  return CASES.length * TARGETS.length;
}

export function caseTable(): string {
  const header = `| id | the demo … | kind | ${TARGETS.map((target) => target.label).join(' | ')} |`;
  const rule = `|---|---|---|${TARGETS.map(() => ':-:').join('|')}|`;
  const rows = CASES.map(
    (testCase) => `| \`${testCase.id}\` | ${testCase.title.replace(/\|/g, '\\|')} | ${testCase.polarity} | ${TARGETS.map(() => '✓').join(' | ')} |`,
  );
  const perTarget = TARGETS.map((target) => `${target.label} ${CASES.length}`).join(', ');
  const total = browserCaseCount();
  return [
    header,
    rule,
    ...rows,
    '',
    `${CASES.length} cases; ${total} browser cases per browser mode (${perTarget}), run in ${BROWSER_MODES.length} modes: ${BROWSER_MODES.length * total} in all.`,
  ].join('\n');
}
