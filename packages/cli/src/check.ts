/**
 * polycors check: load a CorsOptions module (JSON, JS or TS) and report every problem createCorsPolicy finds,
 * errors and warnings, each with its fix. With an adapter (--adapter, or found in package.json), the options are
 * first read by that adapter's own validateAdapterOptions, so its option names and its errors are the adapter's.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type CorsConfigProblem, type CorsOptions, CorsConfigError, createCorsPolicy } from '@polycors/core';
import { type AdapterName, adapterValidator, detectAdapter } from './adapters.js';
import { ConfigLoadError } from './config-load-error.js';

export { ConfigLoadError };

export interface CheckedProblem extends CorsConfigProblem {
  severity: 'error' | 'warning';
  /** The corrected value, when it can be computed from the one written (`origin[0]: 'https://a.com'`). */
  fix?: string;
}

export interface CheckReport {
  schemaVersion: 1;
  file: string;
  /** Which export held the options: `default`, `cors`, `options` or `json`. */
  export: string;
  /** Whose options these are: `core` (createCorsPolicy), or the adapter that reads them. */
  adapter: AdapterName;
  /** How the adapter was chosen: `--adapter`, `package.json` (the nearest one naming a polycors adapter), or `default`. */
  adapterFrom: 'option' | 'package.json' | 'default';
  ok: boolean;
  /** `strict: false` in the file: errors are accepted as warnings at runtime, but still reported as errors here. */
  strict: boolean;
  problems: CheckedProblem[];
}


/** JSON has no RegExp: `{ "$regex": "^https://[a-z]+\\.example\\.com$", "flags": "" }` stands for one. */
function reviveRegex(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reviveRegex);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.$regex === 'string') return new RegExp(record.$regex, typeof record.flags === 'string' ? record.flags : '');
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, reviveRegex(v)]));
  }
  return value;
}

export async function loadCorsOptions(file: string): Promise<{ options: CorsOptions; exportName: string }> {
  const absolute = path.resolve(file);
  if (/\.json$/i.test(absolute)) {
    let text: string;
    try {
      text = await readFile(absolute, 'utf8');
    } catch (error) {
      throw new ConfigLoadError(`Cannot read ${file}: ${(error as Error).message}`);
    }
    try {
      return { options: reviveRegex(JSON.parse(text)) as CorsOptions, exportName: 'json' };
    } catch (error) {
      throw new ConfigLoadError(`${file} is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (!/\.(c|m)?(j|t)s$/i.test(absolute)) throw new ConfigLoadError(`${file}: expected a .json, .js, .mjs, .cjs, .ts, .mts or .cts file`);
  let mod: Record<string, unknown>;
  try {
    const { createJiti } = await import('jiti');
    const jiti = createJiti(import.meta.url, { moduleCache: false, interopDefault: false });
    mod = (await jiti.import(pathToFileURL(absolute).href)) as Record<string, unknown>;
  } catch (error) {
    const message = (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' || /Cannot find module/.test(String(error))
      ? `Cannot find ${file}`
      : `Cannot load ${file}: ${(error as Error).message.split('\n')[0]}`;
    throw new ConfigLoadError(message);
  }
  for (const name of ['default', 'cors', 'options']) {
    const value = mod[name];
    if (value !== undefined) return { options: value as CorsOptions, exportName: name };
  }
  throw new ConfigLoadError(`${file} exports no CORS options: use a default export, or export const cors = { ... } (or options)`);
}

function valueAt(options: CorsOptions, where: string): unknown {
  const m = /^(\w+)(?:\[(\d+)\])?$/.exec(where);
  if (!m) return undefined;
  const top = (options as Record<string, unknown>)[m[1]!];
  if (m[2] === undefined) return top;
  if (Array.isArray(top)) return top[Number(m[2])];
  if (typeof top === 'string') return top.split(',').map((s) => s.trim())[Number(m[2])];
  return undefined;
}

/** A corrected value for the problems where the right one follows from the wrong one. */
function computedFix(problem: CorsConfigProblem, options: CorsOptions): string | undefined {
  const value = valueAt(options, problem.path);
  if (typeof value !== 'string') {
    if (problem.code === 'max-age-range' || problem.code === 'max-age-above-chromium-cap') return `${problem.path}: 7200`;
    return undefined;
  }
  const set = (v: string) => `${problem.path}: '${v}'`;
  switch (problem.code) {
    case 'origin-trailing-slash':
    case 'origin-path':
    case 'origin-query':
    case 'origin-userinfo':
    case 'origin-default-port':
    case 'origin-uppercase': {
      const star = value.includes('*.') ? value.replace('*.', 'wildcard-placeholder.') : value;
      try {
        const origin = new URL(star).origin.replace('wildcard-placeholder.', '*.');
        return set(value.endsWith(':*') ? `${origin}:*` : origin);
      } catch {
        return undefined;
      }
    }
    case 'origin-insecure-with-credentials':
      return set(value.replace(/^http:/, 'https:'));
    case 'method-invalid':
      return /^[a-z]+$/.test(value) ? set(value.toUpperCase()) : undefined;
    default:
      return undefined;
  }
}

export interface CheckOptions {
  /** Whose options the file holds; default: found in the nearest package.json naming a polycors adapter, else core. */
  adapter?: AdapterName;
}

export async function runCheck(file: string, checkOptions: CheckOptions = {}): Promise<CheckReport> {
  const loaded = await loadCorsOptions(file);
  const { exportName } = loaded;
  const detected = checkOptions.adapter ? undefined : await detectAdapter(path.resolve(file));
  const adapter: AdapterName = checkOptions.adapter ?? detected ?? 'core';
  const adapterFrom = checkOptions.adapter ? 'option' : detected ? 'package.json' : 'default';
  let options = loaded.options;
  const adapterProblems: CorsConfigProblem[] = [];
  const validate = await adapterValidator(adapter, path.resolve(file));
  if (validate && options !== null && typeof options === 'object' && !Array.isArray(options)) {
    // What the adapter hands core is what core judges: its own problems come first, as the adapter throws them.
    const translated = validate(options);
    options = translated.options;
    adapterProblems.push(...translated.problems);
  }
  const strict = (options as { strict?: unknown })?.strict !== false;
  const variant = (strictMode: boolean) =>
    options !== null && typeof options === 'object' && !Array.isArray(options)
      ? ({ ...options, logger: false, strict: strictMode } as CorsOptions)
      : options;
  let errors: readonly CorsConfigProblem[] = [];
  try {
    createCorsPolicy(variant(true));
  } catch (error) {
    if (!(error instanceof CorsConfigError)) throw error;
    errors = error.problems;
  }
  // strict: false reports everything (errors included) as warnings: the rest are the real warnings.
  const key = (p: CorsConfigProblem) => `${p.path}\u0000${p.code}\u0000${p.message}`;
  const errorKeys = new Set(errors.map(key));
  let all: readonly CorsConfigProblem[] = errors;
  try {
    all = createCorsPolicy(variant(false)).warnings;
  } catch (error) {
    if (!(error instanceof CorsConfigError)) throw error;
  }
  const problems: CheckedProblem[] = [
    ...adapterProblems.map(({ path, code, message }) => ({ path, code, message, severity: 'error' as const })),
    ...errors.map((p) => ({ ...p, severity: 'error' as const })),
    ...all.filter((p) => !errorKeys.has(key(p))).map((p) => ({ ...p, severity: 'warning' as const })),
  ].map((p) => {
    const fix = computedFix(p, options);
    return fix === undefined ? p : { ...p, fix };
  });
  const ok = errors.length === 0 && adapterProblems.length === 0;
  return { schemaVersion: 1, file, export: exportName, adapter, adapterFrom, ok, strict, problems };
}
