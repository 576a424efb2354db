// The publishable packages, read from the workspace itself: every npm workspace whose package.json is not private.
// A new package under packages/ is packed, linted and installed by this test without any change here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WORKSPACE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function workspaceDirs() {
  const { workspaces } = readJson(path.join(WORKSPACE_ROOT, 'package.json'));
  return workspaces.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = path.join(WORKSPACE_ROOT, pattern.slice(0, -2));
    return readdirSync(parent, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.posix.join(pattern.slice(0, -2), entry.name));
  });
}

/** [{ name, version, dir (relative to the root), manifest }] for every non-private workspace package. */
export function publishablePackages() {
  return workspaceDirs()
    .filter((dir) => existsSync(path.join(WORKSPACE_ROOT, dir, 'package.json')))
    .map((dir) => ({ dir, manifest: readJson(path.join(WORKSPACE_ROOT, dir, 'package.json')) }))
    .filter(({ manifest }) => !manifest.private)
    .map(({ dir, manifest }) => ({ name: manifest.name, version: manifest.version, dir, manifest }));
}

/** Lockstep versions: one version for all, and each internal dependency pinned to exactly it. Returns problems. */
export function lockstepProblems(packages) {
  const problems = [];
  const versions = new Set(packages.map((p) => p.version));
  if (versions.size > 1) problems.push(`versions differ: ${packages.map((p) => `${p.name}@${p.version}`).join(', ')}`);
  const names = new Set(packages.map((p) => p.name));
  for (const { name, version, manifest } of packages) {
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
        if (names.has(dep) && range !== version) problems.push(`${name} ${field}.${dep} is "${range}", expected exactly "${version}"`);
      }
    }
  }
  // Changesets keeps the versions together through one `fixed` group, which must hold exactly these packages.
  const { fixed = [] } = readJson(path.join(WORKSPACE_ROOT, '.changeset/config.json'));
  const group = new Set(fixed.flat());
  for (const name of names) if (!group.has(name)) problems.push(`${name} is not in .changeset/config.json's fixed group`);
  for (const name of group) if (!names.has(name)) problems.push(`.changeset/config.json's fixed group names ${name}, which is not a publishable package`);
  return problems;
}
