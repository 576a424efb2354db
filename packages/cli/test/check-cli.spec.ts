import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBin } from './run-bin.js';

const fixture = (name: string) => path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', name);

describe('polycors check', () => {
  it('passes a good JSON configuration (RegExps written as {"$regex": ...})', async () => {
    const { code, stdout } = await runBin(['check', fixture('good.json')]);
    expect(stdout).toContain('✓ no problems');
    expect(code).toBe(0);
  });

  it('lists every problem of a bad JSON configuration with its fix, and exits 1', async () => {
    const { code, stdout } = await runBin(['check', fixture('bad.json')]);
    expect(code).toBe(1);
    for (const problem of ['origin-trailing-slash', 'origin-any-with-credentials', 'method-forbidden', 'exposed-headers-set-cookie', 'max-age-range']) {
      expect(stdout).toContain(`[${problem}]`);
    }
    expect(stdout).toContain("fix: origin[0]: 'https://app.example.com'");
    expect(stdout).toContain("fix: methods[1]: 'PATCH'");
    expect(stdout).toMatch(/\d+ errors, \d+ warnings?/);
  });

  it('reports warnings without failing', async () => {
    const { code, stdout } = await runBin(['check', fixture('warnings-only.json')]);
    expect(code).toBe(0);
    expect(stdout).toContain('warning');
    expect(stdout).toContain('[max-age-above-chromium-cap]');
    expect(stdout).toContain('0 errors, 1 warning');
  });

  it('loads a TypeScript default export', async () => {
    const { code, stdout } = await runBin(['check', fixture('good.ts')]);
    expect(stdout).toContain('export default');
    expect(code).toBe(0);
  });

  it('loads a CommonJS module.exports', async () => {
    const { code, stdout } = await runBin(['check', fixture('commonjs.cjs')]);
    expect(stdout).toContain('✓ no problems');
    expect(code).toBe(0);
  });

  it('loads a TypeScript export named cors and reports its problems as JSON', async () => {
    const { code, stdout } = await runBin(['check', fixture('bad-named.ts'), '--json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ schemaVersion: 1, export: 'cors', ok: false, strict: true });
    const codes = report.problems.map((p: { code: string }) => p.code);
    expect(codes).toEqual(expect.arrayContaining(['origin-regex-unanchored', 'allowed-headers-wildcard-with-credentials', 'option-unknown']));
    for (const p of report.problems) expect(Object.keys(p)).toEqual(expect.arrayContaining(['path', 'code', 'message', 'severity']));
  });

  it.each([
    ['not-json.json', 'is not valid JSON'],
    ['missing.json', 'Cannot read'],
    ['no-export.mjs', 'exports no CORS options'],
    ['missing.ts', 'Cannot find'],
  ])('exits 2 when %s cannot be loaded', async (name, text) => {
    const { code, stderr } = await runBin(['check', fixture(name)]);
    expect(code).toBe(2);
    expect(stderr).toContain(text);
  });
});
