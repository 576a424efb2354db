#!/usr/bin/env node
/**
 * The pack-and-install test: the packages as a user gets them from the registry, not as workspace links.
 *   1. `npm pack` every publishable workspace package (versions in lockstep);
 *   2. lint each tarball: publint --strict, attw, and our own rules (tarball-checks.mjs);
 *   3. install the tarballs into fresh applications in the OS temp dir (no workspace node_modules above them):
 *      ESM TypeScript (nodenext), CommonJS JavaScript, CommonJS TypeScript (node16); `npm ci --offline` from a
 *      lockfile cut out of the workspace's, so only npm's cache is read;
 *   4. type-check them, require() and import() every package, start each adapter's server on 127.0.0.1 and send an
 *      allowed and a refused CORS request; check `CorsConfigError` is one class for require() and import;
 *   5. `npx polycors --help` from each application (offline: it must find the installed bin, never the registry).
 * Needs the packages built (Nx runs their build first). Exits non-zero on any failure; keeps the temp dir then.
 */
import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { APPS, REGISTRY_DEPENDENCIES, loadEverySource } from './apps.mjs';
import { corsProblems } from './cors-checks.mjs';
import { applicationLockfile } from './lockfile.mjs';
import { packAll } from './pack.mjs';
import { checkTarball } from './tarball-checks.mjs';
import { WORKSPACE_ROOT, lockstepProblems, publishablePackages, readJson } from './workspace.mjs';

const TEMPLATES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../apps');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const failures = [];
const started = Date.now();

/** Runs one check; `body` returns a list of problems (anything else counts as none) or throws. */
async function step(title, body) {
  const t0 = Date.now();
  try {
    const result = await body();
    const problems = Array.isArray(result) ? result : [];
    for (const problem of problems) failures.push(`${title}: ${problem}`);
    console.log(`${problems.length ? 'FAIL' : 'ok  '} ${title} (${Date.now() - t0} ms)${problems.map((p) => `\n       ${p}`).join('')}`);
  } catch (error) {
    failures.push(`${title}: ${error.message}`);
    console.log(`FAIL ${title} (${Date.now() - t0} ms)\n       ${String(error.stack ?? error).replace(/\n/g, '\n       ')}`);
  }
}

async function runAsync(command, args, cwd, env = {}) {
  try {
    const { stdout } = await promisify(execFile)(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
    return stdout;
  } catch (error) {
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${error.stdout}${error.stderr}`, { cause: error });
  }
}

// The apps' tsconfigs turn skipLibCheck off (but for the Nest half of cjs-ts: Nest's declarations are large and
// esm-ts checks ours already), so polycors' own declarations (.d.ts and .d.cts) are checked in each module mode.
// Errors in other packages' declarations are theirs (@types/koa 3.0.3 trips over content-disposition's types):
// they are counted, not failed on. Anything in the app's sources or in node_modules/@polycors fails.
const TSC_ERROR = /^(\S[^(]*)\(\d+,\d+\): error TS\d+/;
async function typeErrors(dir, args) {
  const tsc = path.join(dir, 'node_modules/typescript/bin/tsc');
  const output = await promisify(execFile)(process.execPath, [tsc, ...args, '--pretty', 'false'], { cwd: dir, encoding: 'utf8' }).then(
    ({ stdout }) => stdout,
    (error) => `${error.stdout}${error.stderr}`,
  );
  const errors = output.split('\n').filter((line) => TSC_ERROR.test(line));
  const theirs = errors.filter((line) => /node_modules\//.test(line.match(TSC_ERROR)[1]) && !/node_modules\/@polycors\//.test(line.match(TSC_ERROR)[1]));
  if (theirs.length) console.log(`       (${args.join(' ')}: ${theirs.length} error(s) in third-party declarations, not ours: ${theirs[0].slice(0, 160)})`);
  return errors.filter((line) => !theirs.includes(line));
}

/** Starts `node <entry>`, waits for its `READY {json}` line, returns the report and a stop function. */
function startEntry(cwd, entry) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => fail(new Error('no READY line within 30 s')), 30000);
    const fail = (error) => {
      clearTimeout(timer);
      child.kill();
      reject(new Error(`${entry}: ${error.message}\n${output}`));
    };
    child.on('error', fail);
    child.on('exit', (code) => fail(new Error(`exited with ${code} before READY`)));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const line = output.split('\n').find((l) => l.startsWith('READY '));
      if (!line) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({ report: JSON.parse(line.slice('READY '.length)), stop: () => child.kill() });
    });
  });
}

const packages = publishablePackages();
const version = packages[0].version;
const work = mkdtempSync(path.join(os.tmpdir(), 'polycors-pack-'));
const tarballDir = path.join(work, 'tarballs');
mkdirSync(tarballDir);
console.log(`pack-and-install: ${packages.map((p) => p.name).join(', ')} in ${work}`);

await step('versions in lockstep', () => lockstepProblems(packages));

let packed;
await step('npm pack', () => {
  packed = packAll(packages, tarballDir, path.join(work, 'stage'));
});
if (!packed) process.exit(1);

// The tarball checks (CPU: publint, attw), one at a time, while npm installs the applications (mostly I/O). CI
// machines have few cores: more parallel work than this measured slower, not faster.
const tarballChecks = (async () => {
  for (const [name, tarball] of packed) {
    await step(`tarball ${name}: contents, manifest, publint, attw`, () => checkTarball(tarball, path.join(work, 'unpacked', name)));
  }
})();

// One install, shared by the applications through a node_modules symlink: each app still resolves only what the
// tarballs and its declared registry dependencies bring, from its own folder in the OS temp dir.
const workspaceLock = readJson(path.join(WORKSPACE_ROOT, 'package-lock.json')).packages;
const dependencies = Object.fromEntries([
  ...[...packed].map(([name, tarball]) => [name, `file:../tarballs/${path.basename(tarball.file)}`]),
  ...REGISTRY_DEPENDENCIES.map((name) => [name, workspaceLock[`node_modules/${name}`].version]),
]);
const installDir = path.join(work, APPS[0].name);
await step('npm ci --offline (tarballs + the workspace lockfile versions)', async () => {
  for (const app of APPS) {
    const dir = path.join(work, app.name);
    cpSync(path.join(TEMPLATES, app.name), dir, { recursive: true });
    const manifest = { name: `polycors-${app.name}`, version: '1.0.0', private: true, type: app.type, dependencies };
    writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    writeFileSync(path.join(dir, 'load-all.cjs'), loadEverySource([...packed.keys()]));
    if (dir !== installDir) symlinkSync(path.join(installDir, 'node_modules'), path.join(dir, 'node_modules'), 'junction');
  }
  const tarballs = new Map([...packed].map(([name, t]) => [name, { ...t, spec: dependencies[name] }]));
  const manifest = readJson(path.join(installDir, 'package.json'));
  writeFileSync(path.join(installDir, 'package-lock.json'), `${JSON.stringify(applicationLockfile(manifest, tarballs), null, 2)}\n`);
  await runAsync(npm, ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], installDir);
});
await tarballChecks;

for (const app of APPS) await checkApplication(app);

async function checkApplication(app) {
  const dir = path.join(work, app.name);
  for (const command of app.typecheck) {
    await step(`${app.name}: ${command.join(' ')}`, () => typeErrors(dir, command.slice(1)));
  }
  await step(`${app.name}: require() and import() every package`, () => runAsync(process.execPath, ['load-all.cjs'], dir).then(() => []));
  await step(`${app.name}: servers answer CORS as configured (${app.servers.join(', ')})`, async () => {
    const problems = [];
    const seen = [];
    for (const entry of app.entries) {
      const { report, stop } = await startEntry(dir, entry);
      try {
        for (const [server, url] of Object.entries(report.servers)) {
          seen.push(server);
          problems.push(...(await corsProblems(server, url, report.routeOrigins?.[server])));
        }
        if (report.cliVersion !== undefined && report.cliVersion !== version) problems.push(`@polycors/cli VERSION is ${report.cliVersion}, the package is ${version}`);
        if (report.koaIdiom === false) problems.push(`require('@polycors/koa') is not the cors() function with its named exports`);
        const identity = report.configErrorIdentity ?? {};
        for (const [fact, holds] of Object.entries(identity)) if (holds === false) problems.push(`CorsConfigError: ${fact} is false`);
      } finally {
        stop();
      }
    }
    for (const server of app.servers) if (!seen.includes(server)) problems.push(`${server}: not started`);
    return problems;
  });
  await step(`${app.name}: npx polycors --help`, async () => {
    // npm_config_offline: were the local bin missing, npx would fail here instead of fetching from the registry.
    const output = await runAsync(npx, ['polycors', '--help'], dir, { npm_config_offline: 'true' });
    return output.includes('polycors doctor') ? [] : [`unexpected output:\n${output}`];
  });
}

const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (failures.length) {
  console.log(`\npack-and-install: ${failures.length} failure(s) in ${seconds} s; files kept in ${work}`);
  process.exit(1);
}
rmSync(work, { recursive: true, force: true });
console.log(`\npack-and-install: all checks passed in ${seconds} s`);
