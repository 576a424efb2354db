/**
 * Builds the workspace packages the benchmark imports (their dist/) through Nx, so unchanged ones come from its
 * cache. A package that does not exist yet (no package.json) is skipped; a failed build is reported, not fatal:
 * the contender then shows as not measured (or, if an older dist/ is still there, the report says so).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const require = createRequire(import.meta.url);
const nxPackage = require.resolve('nx/package.json');
const nxBin = require(nxPackage).bin;
const NX = path.join(path.dirname(nxPackage), typeof nxBin === 'string' ? nxBin : nxBin.nx);

export function buildPackages(log) {
  const names = [];
  for (const dir of ['core', 'fastify', 'koa', 'express', 'nestjs']) {
    const file = new URL(`../../../packages/${dir}/package.json`, import.meta.url);
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    if (pkg.scripts?.build) names.push(pkg.name);
  }
  const run = (projects) => spawnSync(process.execPath, [NX, 'run-many', '-t', 'build', '-p', ...projects, '--outputStyle=stream'], { cwd: ROOT, encoding: 'utf8' });
  if (run(names).status === 0) {
    log(`  built ${names.join(', ')}`);
    return { built: names, failed: [] };
  }
  // Something failed: find out what, one package at a time.
  const failed = [];
  for (const name of names) {
    const result = run([name]);
    if (result.status === 0) continue;
    failed.push(name);
    log(`  ⚠ building ${name} failed:\n${`${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-12).join('\n')}`);
  }
  return { built: names.filter((name) => !failed.includes(name)), failed };
}
