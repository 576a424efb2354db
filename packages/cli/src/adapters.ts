/**
 * Which adapter reads a configuration, and that adapter's own option check. The adapter is loaded from the project
 * the configuration file belongs to (then from wherever the CLI runs), never bundled: `check --adapter fastify`
 * judges the options with the very @polycors/fastify the application uses.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CorsConfigProblem, CorsOptions } from '@polycors/core';
import { ConfigLoadError } from './config-load-error.js';

export const ADAPTERS = ['core', 'fastify', 'koa', 'nestjs', 'express'] as const;
export type AdapterName = (typeof ADAPTERS)[number];

/** What each adapter package exports as `validateAdapterOptions`. */
export type AdapterValidator = (options: object) => { options: CorsOptions; problems: CorsConfigProblem[] };

/** The adapters whose option reading differs from core's. Express (the `cors` package names) reads core's names. */
const PACKAGES: Partial<Record<AdapterName, string>> = {
  fastify: '@polycors/fastify',
  koa: '@polycors/koa',
  nestjs: '@polycors/nestjs',
};

const DETECTED: [string, AdapterName][] = [
  ['@polycors/fastify', 'fastify'],
  ['@polycors/koa', 'koa'],
  ['@polycors/nestjs', 'nestjs'],
  ['@polycors/express', 'express'],
];

/**
 * The adapter named in the nearest package.json (walking up from the file) that names any polycors adapter in its
 * dependencies, devDependencies or peerDependencies. Several in one package.json: ambiguous, say which with --adapter.
 */
export async function detectAdapter(file: string): Promise<AdapterName | undefined> {
  let dir = path.dirname(file);
  for (;;) {
    const found = await adaptersIn(path.join(dir, 'package.json'));
    if (found.length === 1) return found[0];
    if (found.length > 1) {
      throw new ConfigLoadError(`${path.join(dir, 'package.json')} names several polycors adapters (${found.join(', ')}): say which reads this file with --adapter ${found.join('|')}`);
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

async function adaptersIn(manifest: string): Promise<AdapterName[]> {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(await readFile(manifest, 'utf8')) as Record<string, unknown>;
  } catch {
    return [];
  }
  const names = new Set<string>();
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies']) {
    const deps = json[field];
    if (deps !== null && typeof deps === 'object') for (const name of Object.keys(deps)) names.add(name);
  }
  return DETECTED.filter(([pkg]) => names.has(pkg)).map(([, adapter]) => adapter);
}

/** The adapter's `validateAdapterOptions`, or undefined where core's reading is the adapter's (core, express). */
export async function adapterValidator(adapter: AdapterName, file: string): Promise<AdapterValidator | undefined> {
  const pkg = PACKAGES[adapter];
  if (!pkg) return undefined;
  const resolved = resolveFrom(pkg, [path.dirname(file), process.cwd()]) ?? resolveHere(pkg);
  if (!resolved) {
    throw new ConfigLoadError(`--adapter ${adapter} checks the options with ${pkg} itself, and it is not installed where ${path.basename(file)} is: npm install ${pkg}`);
  }
  let mod: { validateAdapterOptions?: unknown };
  try {
    mod = (await import(pathToFileURL(resolved).href)) as { validateAdapterOptions?: unknown };
  } catch (error) {
    throw new ConfigLoadError(`Cannot load ${pkg} (${resolved}): ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof mod.validateAdapterOptions !== 'function') {
    throw new ConfigLoadError(`${pkg} at ${resolved} has no validateAdapterOptions: update it to the version of @polycors/cli`);
  }
  return mod.validateAdapterOptions as AdapterValidator;
}

function resolveFrom(pkg: string, dirs: string[]): string | undefined {
  for (const dir of dirs) {
    try {
      return createRequire(path.join(dir, 'noop.js')).resolve(pkg);
    } catch {
      // not installed there
    }
  }
  return undefined;
}

function resolveHere(pkg: string): string | undefined {
  try {
    return createRequire(import.meta.url).resolve(pkg);
  } catch {
    return undefined;
  }
}
