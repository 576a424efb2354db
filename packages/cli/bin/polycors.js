#!/usr/bin/env node
// The `polycors` bin. Checked in rather than built, so that `npm ci` links it in the workspace (a bin that does not
// exist at install time is never linked, and `npx polycors` would then ask the registry for someone else's package).
// It runs the compiled CLI from dist/.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(compiled)) {
  process.stderr.write('polycors: dist/bin.js is missing; in the polycors workspace, run `npm run build` first.\n');
  process.exit(2);
}
await import(compiled.href);
