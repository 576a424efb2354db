// `npm pack` each publishable package (its prepack step writes the published manifest), as a user's registry
// install would receive it.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { WORKSPACE_ROOT } from './workspace.mjs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Returns Map(name -> { file (absolute), integrity, files: [paths in the tarball], manifest (published) }). */
export function packAll(packages, destination) {
  const packed = new Map();
  for (const pkg of packages) {
    const output = execFileSync(npm, ['pack', '--json', '--pack-destination', destination], {
      cwd: path.join(WORKSPACE_ROOT, pkg.dir),
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
