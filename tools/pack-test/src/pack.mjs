// `npm pack` each publishable package as `npm publish` would: its own prepack step writes the published manifest.
// It packs a copy of the package (and of tools/release, which prepack runs), never the workspace folder itself:
// prepack rewrites package.json for a moment, and other tasks of `npm test` read those manifests meanwhile.
import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import path from 'node:path';
import { WORKSPACE_ROOT } from './workspace.mjs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NOT_COPIED = new Set(['node_modules', '.tmp', 'coverage']);

/** Returns Map(name -> { file (absolute), integrity, files: [paths in the tarball], manifest (published) }). */
export function packAll(packages, destination, stage) {
  cpSync(path.join(WORKSPACE_ROOT, 'tools/release'), path.join(stage, 'tools/release'), { recursive: true });
  const packed = new Map();
  for (const pkg of packages) {
    const copy = path.join(stage, pkg.dir);
    cpSync(path.join(WORKSPACE_ROOT, pkg.dir), copy, { recursive: true, filter: (source) => !NOT_COPIED.has(path.basename(source)) });
    const output = execFileSync(npm, ['pack', '--json', '--pack-destination', destination], {
      cwd: copy,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Lifecycle scripts may print before the JSON; the JSON is the last top-level array.
    const [report] = JSON.parse(output.slice(output.lastIndexOf('\n[') + 1));
    const file = path.join(destination, report.filename);
    const manifest = JSON.parse(execFileSync('tar', ['-xzOf', file, 'package/package.json'], { encoding: 'utf8' }));
    packed.set(pkg.name, { file, integrity: report.integrity, files: report.files.map((f) => f.path), manifest });
  }
  return packed;
}
