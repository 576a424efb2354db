/**
 * README.md lists every case. To refresh the list after changing src/cases.ts: `UPDATE_README=1 npm test -- readme`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { browserCaseCount, caseTable } from '../src/case-table.js';

const README = new URL('../README.md', import.meta.url);
const START = '<!-- cases:start (generated from src/cases.ts; UPDATE_README=1 npm test -- readme) -->';
const END = '<!-- cases:end -->';

describe('the case list in tools/e2e/README.md', () => {
  it('lists every case of src/cases.ts, with the demos it runs on', () => {
    let readme = readFileSync(README, 'utf8');
    const section = `${START}\n${caseTable()}\n${END}`;
    const pattern = /<!-- cases:start[^>]*-->[\s\S]*?<!-- cases:end -->/;
    if (process.env.UPDATE_README === '1') {
      readme = pattern.test(readme) ? readme.replace(pattern, section) : `${readme.trimEnd()}\n\n${section}\n`;
      writeFileSync(README, readme);
    }
    expect(readme.match(pattern)?.[0]).toBe(section);
  });

  it('counts at least 60 browser cases across the three frameworks', () => {
    expect(browserCaseCount()).toBeGreaterThanOrEqual(60);
  });
});
