#!/usr/bin/env node
/**
 * Builds one publishable package (run from its folder, as its `build` script):
 *   1. empties dist/ (a renamed source must not leave a stale file in the tarball),
 *   2. tsc -p tsconfig.build.json (the ESM build: dist/**.js, .d.ts, maps),
 *   3. writes the CommonJS entry: dist/index.cjs, a facade that require()s the ESM build (Node >= 20.19 / 22.12 load
 *      ESM through require()), so CommonJS and ESM callers share ONE module instance (no dual-package hazard: a
 *      CorsConfigError thrown for a require() caller is `instanceof` the class an import() caller sees),
 *   4. mirrors every dist/**.d.ts as .d.cts (relative specifiers `.js` -> `.cjs`), the types TypeScript reads for
 *      `require` under `module: node16`/`commonjs`, where it refuses to type a require() of an ES module (TS1479).
 *
 * `--callable <export>`: make `require('<pkg>')` return that export (a function) carrying every named export as a
 * property, the `const cors = require('@koa/cors')` idiom. Without it, require() returns the module namespace.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const packageDir = process.cwd();
const dist = path.join(packageDir, 'dist');
const callableAt = process.argv.indexOf('--callable');
const callable = callableAt === -1 ? undefined : process.argv[callableAt + 1];

rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(path.join(packageDir, 'package.json')).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });

// The export names, from the built module itself, so the facade lists each one statically: tools that read CommonJS
// without running it (TypeScript's JS analysis, attw, bundlers' cjs-module-lexer) then see what require() returns.
const exportNames = Object.keys(await import(pathToFileURL(path.join(dist, 'index.js')).href));
writeFileSync(path.join(dist, 'index.cjs'), callable ? callableFacade(callable, exportNames) : namespaceFacade(exportNames));
for (const file of declarationFiles(dist)) {
  const text = readFileSync(file, 'utf8')
    .replace(/((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]*?)\.js(['"])/g, '$1$2.cjs$3')
    // The .d.ts.map describes the .d.ts; the mirror's columns differ, so it gets no map.
    .replace(/\n\/\/# sourceMappingURL=.*$/, '\n');
  writeFileSync(file.replace(/\.d\.ts$/, '.d.cts'), text);
}
if (callable) writeCallableDeclarations(callable);

function namespaceFacade(names) {
  return `'use strict';
// CommonJS entry: the ESM build's own exports, through require(esm), so both module systems share one instance.
const esm = require('./index.js');
Object.defineProperty(exports, '__esModule', { value: true });
${names.map((name) => `exports.${name} = esm.${name};`).join('\n')}
`;
}

function callableFacade(callableName, names) {
  if (!names.includes(callableName)) throw new Error(`build-package: --callable ${callableName} is not an export of dist/index.js`);
  return `'use strict';
// CommonJS entry: require() returns ${callableName}() itself (the \`const cors = require('@koa/cors')\` idiom), with every
// named export as a property. All of it is the ESM build's, through require(esm): one instance for both systems.
// A wrapper rather than the ESM function itself, so the properties below never appear on the ESM export.
const esm = require('./index.js');
function ${callableName}(...args) {
  return esm.${callableName}(...args);
}
module.exports = ${callableName};
Object.defineProperty(module.exports, '__esModule', { value: true });
${names.map((name) => `module.exports.${name} = ${name === callableName || name === 'default' ? callableName : `esm.${name}`};`).join('\n')}
`;
}

/**
 * Types for the callable facade: `export =` a function merged with a namespace that re-exports everything, so
 * `import cors = require(...)`, `import cors from ...` and `import { corsRoute, type KoaCorsOptions } from ...` all type
 * as they run. The mirrored index moves to namespace.d.cts (types only), its `type` modifiers dropped because an
 * `export import` alias may not reference a type-only export (TS1379).
 */
function writeCallableDeclarations(callableName) {
  const index = path.join(dist, 'index.d.cts');
  const namespaceFile = path.join(dist, 'namespace.d.cts');
  writeFileSync(namespaceFile, readFileSync(index, 'utf8').replace(/\bexport type \{/g, 'export {').replace(/([{,]\s*)type\s+(?=\w)/g, '$1'));
  const ts = createRequire(path.join(packageDir, 'package.json'))('typescript');
  const program = ts.createProgram([namespaceFile], { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16, noEmit: true });
  const checker = program.getTypeChecker();
  const names = checker
    .getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(namespaceFile)))
    .map((symbol) => symbol.getName())
    .filter((name) => name !== 'default')
    .sort();
  writeFileSync(
    index,
    `import * as polycors from './namespace.cjs';
declare function ${callableName}(...args: Parameters<typeof polycors.${callableName}>): ReturnType<typeof polycors.${callableName}>;
declare namespace ${callableName} {
${names.map((name) => `  export import ${name} = polycors.${name};`).join('\n')}
}
export = ${callableName};
`,
  );
}

function declarationFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.d.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}
