/** Loads the shared test vectors from ../shared/vectors (beside the repository), turning `{ $regex }` into RegExps. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CorsOptions, CorsRequest } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
export const VECTORS_DIR = process.env.POLYCORS_VECTORS_DIR ?? resolve(here, '../../../../shared/vectors');

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
}

function revive(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && '$regex' in value) return new RegExp((value as { $regex: string }).$regex);
  return value;
}

export function loadRequestVectors(): RequestVector[] {
  return JSON.parse(readFileSync(resolve(VECTORS_DIR, 'requests.json'), 'utf8'), revive);
}

export function loadConfigErrorVectors(): ConfigErrorVector[] {
  return JSON.parse(readFileSync(resolve(VECTORS_DIR, 'config-errors.json'), 'utf8'), revive);
}
