#!/usr/bin/env node
/**
 * The published package.json is not the workspace one. `prepack` (run by `npm pack` and `npm publish` in the package
 * folder) saves package.json as package.json.workspace and writes the manifest users get; `postpack` puts the
 * workspace one back. What the published manifest drops:
 *   - the `@polycors/source` export condition (it points at TypeScript sources that only the workspace's tests and
 *     typecheck resolve through, see tsconfig.base.json and jest.preset.js),
 *   - `scripts` (they call ../../node_modules and ../../tools, which a user does not have) and `nx`.
 * A leftover package.json.workspace (a pack that crashed before postpack) is restored first, never overwritten.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const SOURCE_CONDITION = '@polycors/source';
const WORKSPACE_ONLY_FIELDS = ['scripts', 'nx', 'devDependencies'];

/** The manifest to publish, from the workspace manifest. */
export function publishedManifest(manifest) {
  const published = { ...manifest };
  for (const field of WORKSPACE_ONLY_FIELDS) delete published[field];
  if (published.exports) published.exports = withoutSourceCondition(published.exports);
  return published;
}

function withoutSourceCondition(exports) {
  if (typeof exports !== 'object' || exports === null) return exports;
  const kept = Object.entries(exports)
    .filter(([key]) => key !== SOURCE_CONDITION)
    .map(([key, value]) => [key, withoutSourceCondition(value)])
    // An export that only existed for the workspace (a source-only subpath) is dropped entirely.
    .filter(([, value]) => !(typeof value === 'object' && value !== null && Object.keys(value).length === 0));
  return Object.fromEntries(kept);
}

function main(step, packageDir) {
  const manifestPath = path.join(packageDir, 'package.json');
  const backupPath = `${manifestPath}.workspace`;
  if (existsSync(backupPath)) renameSync(backupPath, manifestPath);
  if (step === 'postpack') return;
  if (step !== 'prepack') throw new Error(`manifest.mjs: expected prepack or postpack, got ${step}`);
  const text = readFileSync(manifestPath, 'utf8');
  writeFileSync(backupPath, text);
  writeFileSync(manifestPath, `${JSON.stringify(publishedManifest(JSON.parse(text)), null, 2)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv[2], process.cwd());
