// What a tarball must be before it is published. Returns a list of problems (empty when the tarball is right).
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SOURCE_CONDITION } from '../../release/manifest.mjs';
import { WORKSPACE_ROOT } from './workspace.mjs';

const REQUIRED_FILES = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'];
const REQUIRED_FIELDS = ['description', 'license', 'repository', 'homepage', 'bugs', 'keywords', 'engines', 'exports'];
const WORKSPACE_ONLY_FIELDS = ['scripts', 'nx', 'devDependencies'];
// A Markdown link or image whose target is neither absolute nor an anchor: broken on the registry's page.
const RELATIVE_LINK = /\]\((?!https?:\/\/|#|mailto:)([^)\s]+)\)/g;

function binOf(pkg, name) {
  // (publint's exports hide its package.json from require.resolve.)
  const manifestPath = path.join(WORKSPACE_ROOT, 'node_modules', pkg, 'package.json');
  const { bin } = JSON.parse(readFileSync(manifestPath, 'utf8'));
  return path.join(path.dirname(manifestPath), typeof bin === 'string' ? bin : bin[name]);
}

/** Runs a linter CLI; a non-zero exit is a problem carrying its output. */
async function lint(label, bin, args) {
  try {
    await promisify(execFile)(process.execPath, [bin, ...args], { encoding: 'utf8' });
    return [];
  } catch (error) {
    return [`${label} failed:\n${error.stdout}${error.stderr}`];
  }
}

export async function checkTarball(packed, unpackInto) {
  const { file, files, manifest } = packed;
  const problems = [];
  const has = new Set(files);

  for (const required of REQUIRED_FILES) if (!has.has(required)) problems.push(`missing ${required}`);
  for (const field of REQUIRED_FIELDS) if (manifest[field] === undefined) problems.push(`package.json has no "${field}"`);
  for (const field of WORKSPACE_ONLY_FIELDS) if (manifest[field] !== undefined) problems.push(`package.json still has the workspace-only "${field}"`);
  if (JSON.stringify(manifest).includes(SOURCE_CONDITION)) problems.push(`package.json still names the ${SOURCE_CONDITION} condition`);

  mkdirSync(unpackInto, { recursive: true });
  execFileSync('tar', ['-xzf', file, '-C', unpackInto]);
  const root = path.join(unpackInto, 'package');

  // Every source map must point at files the tarball has, so stack traces and "go to definition" land on real files.
  for (const mapFile of files.filter((f) => f.endsWith('.map'))) {
    const map = JSON.parse(readFileSync(path.join(root, mapFile), 'utf8'));
    for (const source of map.sources) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(mapFile), map.sourceRoot ?? '', source));
      if (!has.has(target)) problems.push(`${mapFile} points at ${source}, which is not in the tarball`);
    }
  }

  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  for (const [, target] of readme.matchAll(RELATIVE_LINK)) problems.push(`README.md links to "${target}", relative: broken on the registry`);

  problems.push(...(await lint('publint', binOf('publint', 'publint'), ['run', file, '--strict'])));
  problems.push(...(await lint('attw', binOf('@arethetypeswrong/cli', 'attw'), [file, '--format', 'ascii'])));
  return problems;
}
