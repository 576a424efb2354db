/**
 * Loads the project's test vectors (packages/core/test/vectors/*.json), turning `{ $regex, flags? }` into RegExps.
 * Core runs them against evaluate(); each adapter imports this file and runs them over real HTTP.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CorsOptions, CorsRequest } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
export const VECTORS_DIR = resolve(here, 'vectors');

export interface RequestVector {
  name: string;
  options: CorsOptions;
  request: CorsRequest;
  expect: {
    kind?: string;
    allowed?: boolean;
    acao?: string | null;
    acac?: boolean;
    varyOrigin?: boolean;
    acamIncludes?: string;
    acahIncludes?: string[];
  };
}

export interface ConfigErrorVector {
  name: string;
  options: CorsOptions;
  error: boolean;
  /** Problem codes the CorsConfigError must include (checked by core). */
  codes?: string[];
}

function revive(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && '$regex' in value) {
    const { $regex, flags } = value as { $regex: string; flags?: string };
    return new RegExp($regex, flags);
  }
  return value;
}

export function loadRequestVectors(): RequestVector[] {
  return JSON.parse(readFileSync(resolve(VECTORS_DIR, 'requests.json'), 'utf8'), revive);
}

export function loadConfigErrorVectors(): ConfigErrorVector[] {
  return JSON.parse(readFileSync(resolve(VECTORS_DIR, 'config-errors.json'), 'utf8'), revive);
}
