// A package-lock.json for a temporary application, cut out of the workspace's own lockfile: the application's
// registry dependencies at exactly the versions (and integrity hashes) `npm ci` already installed here, plus the
// packed polycors tarballs. `npm ci --offline` then installs it from npm's cache alone, on any machine where the
// workspace's `npm ci` ran: no registry metadata needed, and nothing resolved that the workspace did not resolve.
import path from 'node:path';
import { WORKSPACE_ROOT, readJson } from './workspace.mjs';

const DROPPED_FLAGS = ['dev', 'devOptional', 'peer'];

/**
 * @param app { name, dependencies: { name: range } } the application's package.json (registry deps by name)
 * @param tarballs Map(name -> { spec: 'file:...', integrity, manifest }) the packed polycors packages
 */
export function applicationLockfile(app, tarballs) {
  const workspace = readJson(path.join(WORKSPACE_ROOT, 'package-lock.json')).packages;
  const packages = { '': { name: app.name, version: app.version, dependencies: app.dependencies } };
  const queue = [];

  const include = (from, name, { optional }) => {
    if (tarballs.has(name)) {
      const key = `node_modules/${name}`;
      if (!packages[key]) {
        const { spec, integrity, manifest } = tarballs.get(name);
        packages[key] = tarballEntry(manifest, spec, integrity);
        queue.push({ key, entry: manifest });
      }
      return;
    }
    const key = resolveFrom(workspace, from, name);
    if (!key) {
      if (optional) return;
      throw new Error(`lockfile: ${name} (needed by ${from || 'the application'}) is not in the workspace lockfile`);
    }
    if (workspace[key].link) throw new Error(`lockfile: ${name} is a workspace link but was not packed`);
    if (packages[key]) return;
    const entry = { ...workspace[key] };
    for (const flag of DROPPED_FLAGS) delete entry[flag];
    packages[key] = entry;
    queue.push({ key, entry });
  };

  for (const name of Object.keys(app.dependencies)) include('', name, { optional: false });
  while (queue.length) {
    const { key, entry } = queue.shift();
    for (const name of Object.keys(entry.dependencies ?? {})) include(key, name, { optional: false });
    for (const name of Object.keys(entry.optionalDependencies ?? {})) include(key, name, { optional: true });
    for (const name of Object.keys(entry.peerDependencies ?? {})) {
      include(key, name, { optional: entry.peerDependenciesMeta?.[name]?.optional === true });
    }
  }
  return { name: app.name, version: app.version, lockfileVersion: 3, requires: true, packages };
}

// Node's lookup, over lockfile keys: <from>/node_modules/<name>, then each enclosing node_modules, then the root.
function resolveFrom(workspace, from, name) {
  let base = from;
  for (;;) {
    const key = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (workspace[key]) return key;
    if (!base) return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut === -1 ? '' : base.slice(0, cut);
  }
}

function tarballEntry(manifest, spec, integrity) {
  const entry = { version: manifest.version, resolved: spec, integrity, license: manifest.license };
  for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies', 'peerDependenciesMeta', 'bin', 'engines']) {
    if (manifest[field]) entry[field] = manifest[field];
  }
  // The lockfile writes bin paths without the leading './'.
  if (entry.bin) entry.bin = Object.fromEntries(Object.entries(entry.bin).map(([name, file]) => [name, file.replace(/^\.\//, '')]));
  return entry;
}
