// The CLI tests spawn the real bin, dist/bin.js, which imports @polycors/core's dist/ (and, for check --adapter, the adapters'). Under Nx the test target
// depends on both builds; run directly (`npm test` in this folder), this builds whatever is missing or stale.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function ensureBuilt(pkg, output) {
  const dir = path.join(root, 'packages', pkg);
  const built = path.join(dir, output);
  if (existsSync(built) && statSync(built).mtimeMs >= newestSource(path.join(dir, 'src'))) return;
  process.stderr.write(`\n[cli tests] building packages/${pkg} (dist missing or older than src)\n`);
  execFileSync(process.execPath, [tsc, '-p', path.join(dir, 'tsconfig.build.json')], { stdio: 'inherit' });
}

export default function globalSetup() {
  ensureBuilt('core', 'dist/index.js');
  // check --adapter loads the adapters as a user's project has them: their dist/.
  for (const adapter of ['fastify', 'koa', 'nestjs']) ensureBuilt(adapter, 'dist/index.js');
  ensureBuilt('cli', 'dist/bin.js');
}
