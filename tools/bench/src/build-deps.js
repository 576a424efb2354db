/**
 * Builds the workspace packages the benchmark imports (their dist/), through Nx so unchanged ones come from its cache.
 * An adapter package that does not exist yet (no package.json) is skipped; its contender is then reported as not measured.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const projects = ['core', 'fastify', 'koa', 'nestjs']
  .map((dir) => new URL(`../../../packages/${dir}/package.json`, import.meta.url))
  .filter((file) => existsSync(file))
  .map((file) => JSON.parse(readFileSync(file, 'utf8')))
  .filter((pkg) => pkg.scripts?.build)
  .map((pkg) => pkg.name);

console.log(`Building ${projects.join(', ')}`);
execFileSync(process.execPath, [fileURLToPath(new URL('../../../node_modules/nx/bin/nx.js', import.meta.url)), 'run-many', '-t', 'build', '-p', ...projects, '--outputStyle=stream'], {
  cwd: ROOT,
  stdio: 'inherit',
});
