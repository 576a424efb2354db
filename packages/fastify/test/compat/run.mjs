#!/usr/bin/env node
/**
 * Runs @fastify/cors's own behavioural tests (test/cors.test.js and test/preflight.test.js from its npm package)
 * against @polycors/fastify with `strict: false`.
 *
 * The tests are copied into packages/fastify/.tmp/compat-<pid>/test/, beside an index.js that exports our plugin, so
 * their `require('../')` loads polycors (the built dist: run `npm run build` first; Nx's test target depends on it).
 * Every test must pass except the ones in DELIBERATE_DIFFERENCES (each listed with its reason in the README,
 * "Migrating from @fastify/cors"). Prints the tests that failed and one closing line "@fastify/cors compatibility: N passed, M failed (D deliberate differences, U unexpected)"; exits
 * non-zero on an unexpected failure, or when a test listed as a deliberate difference starts passing (so the list and
 * the README stay true).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { run } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DELIBERATE_DIFFERENCES } from './deliberate-differences.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = resolve(here, '../..');
const require = createRequire(import.meta.url);
const fastifyCorsRoot = dirname(require.resolve('@fastify/cors/package.json'));
const fastifyCorsVersion = JSON.parse(readFileSync(join(fastifyCorsRoot, 'package.json'), 'utf8')).version;
const SUITES = ['cors.test.js', 'preflight.test.js'];
const dist = join(packageRoot, 'dist/index.js');

if (fastifyCorsVersion !== '11.4.3') {
  console.error(`compat: expected @fastify/cors 11.4.3 (the pinned devDependency), found ${fastifyCorsVersion}`);
  process.exit(1);
}
if (!existsSync(dist)) {
  console.error('compat: packages/fastify/dist/index.js is missing; run `npm run build` in packages/fastify first');
  process.exit(1);
}

// Inside the package (not the OS temp folder) so `require('fastify')` resolves through the workspace's node_modules.
const workDir = join(packageRoot, '.tmp', `compat-${process.pid}`);
rmSync(workDir, { recursive: true, force: true });
mkdirSync(join(workDir, 'test'), { recursive: true });
// The copied tests are CommonJS; without this the package's "type": "module" would apply to them.
writeFileSync(join(workDir, 'package.json'), JSON.stringify({ name: 'polycors-fastify-compat', private: true, type: 'commonjs', main: 'index.js' }));
for (const suite of SUITES) cpSync(join(fastifyCorsRoot, 'test', suite), join(workDir, 'test', suite));
writeFileSync(
  join(workDir, 'index.js'),
  `'use strict'
// @fastify/cors's tests call require('../'): this is @polycors/fastify with strict: false (the migration mode).
const { polycors } = require(${JSON.stringify(dist)})
function polycorsCompat (fastify, opts, done) {
  const options = typeof opts === 'function' ? { strict: false, delegator: opts } : { strict: false, ...opts }
  return polycors(fastify, options, done)
}
polycorsCompat[Symbol.for('skip-override')] = true
polycorsCompat[Symbol.for('fastify.display-name')] = '@polycors/fastify (compat)'
polycorsCompat[Symbol.for('plugin-meta')] = { fastify: '5.x', name: '@polycors/fastify' }
module.exports = polycorsCompat
module.exports.default = polycorsCompat
module.exports.fastifyCors = polycorsCompat
`,
);

const results = [];
const stream = run({ files: SUITES.map((suite) => join(workDir, 'test', suite)), concurrency: 1, timeout: 60_000 });
stream.on('test:pass', (data) => {
  if (data.nesting === 0 && !data.skip) results.push({ file: fileOf(data), name: data.name, passed: true });
});
stream.on('test:fail', (data) => {
  if (data.nesting === 0) results.push({ file: fileOf(data), name: data.name, passed: false, error: data.details?.error });
});
// Drain the stream; the events above carry what we need.
for await (const _event of stream);

rmSync(workDir, { recursive: true, force: true });

let unexpected = 0;
const lines = [];
for (const result of results) {
  const reason = DELIBERATE_DIFFERENCES[result.file]?.[result.name];
  if (!result.passed && reason) {
    lines.push(`  differs on purpose  ${result.file} > ${result.name}: ${reason}`);
    // COMPAT_VERBOSE=1 shows what the test asserted, to check that a listed difference is the documented one.
    if (process.env.COMPAT_VERBOSE) lines.push(`      ${describeFailure(result.error).split('\n').join('\n      ')}`);
  } else if (!result.passed) {
    unexpected++;
    lines.push(`  UNEXPECTED FAILURE  ${result.file} > ${result.name}\n      ${describeFailure(result.error).split('\n').join('\n      ')}`);
  } else if (reason) {
    unexpected++;
    lines.push(`  NOW PASSES          ${result.file} > ${result.name}: remove it from deliberate-differences.mjs and the README`);
  }
}
for (const [file, tests] of Object.entries(DELIBERATE_DIFFERENCES)) {
  for (const name of Object.keys(tests)) {
    if (!results.some((result) => result.file === file && result.name === name)) {
      unexpected++;
      lines.push(`  MISSING             ${file} > ${name}: listed as a deliberate difference but not run`);
    }
  }
}
if (results.length === 0) unexpected++;
if (lines.length > 0) console.log(`@fastify/cors ${fastifyCorsVersion} behavioural tests against @polycors/fastify (strict: false):\n${lines.join('\n')}`);
const passed = results.filter((result) => result.passed).length;
const failed = results.length - passed;
// Not a bare "N passed, M failed" line: CI tools read such a line as the whole run's verdict, and the expected
// failures here are deliberate differences, not broken tests.
const deliberate = results.filter((result) => !result.passed && DELIBERATE_DIFFERENCES[result.file]?.[result.name]).length;
console.log(`@fastify/cors compatibility: ${passed} passed, ${failed} failed (${deliberate} deliberate differences, ${unexpected} unexpected)`);
process.exit(unexpected > 0 ? 1 : 0);

function describeFailure(error) {
  const cause = error?.cause ?? error;
  return String(cause?.message ?? cause).split('\n').slice(0, 12).join('\n');
}

function fileOf(data) {
  return data.file ? data.file.slice(data.file.lastIndexOf('/') + 1) : 'unknown';
}
