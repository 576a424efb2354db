/**
 * Layered policies (global, then controller or route, then handler), per DESIGN.md:
 * - `inherit: true` (default): lists (origin, methods, allowedHeaders, exposedHeaders) are united, `'*'` absorbing
 *   the rest; scalars (credentials, maxAge, ...) are taken from the more specific layer when it sets them.
 * - `inherit: false`: the layer replaces the policy above it (origins, methods, headers, credentials, maxAge, ...);
 *   how polycors runs (strict, debug, logger, onRefusal, originCache, originTimeout, reflectionWarning, maxRequestHeadersLength) is kept unless set.
 * - `false`: no CORS for that route. A later object layer turns CORS back on, merging with the nearest enabled
 *   layer above the `false` (so a handler can opt back in under a controller that opted out).
 */
import type { CorsOptions, OriginRule } from './options.js';
import { toList } from './tokens.js';

type ListKey = 'methods' | 'allowedHeaders' | 'exposedHeaders';

/**
 * How the app runs polycors rather than what a route allows: kept by an `inherit: false` layer unless it sets them,
 * so a route that replaces the policy still logs to the app's logger, reports to its onRefusal and keeps its mode.
 */
const OPERATIONAL_KEYS = ['strict', 'debug', 'logger', 'onRefusal', 'originCache', 'originTimeout', 'reflectionWarning', 'maxRequestHeadersLength'] as const;

function operationalSettings(options: CorsOptions): CorsOptions {
  const kept: Record<string, unknown> = {};
  for (const key of OPERATIONAL_KEYS) if (options[key] !== undefined) kept[key] = options[key];
  return kept as CorsOptions;
}
const LIST_KEYS: readonly ListKey[] = ['methods', 'allowedHeaders', 'exposedHeaders'];

export function mergeCorsOptions(base: CorsOptions | false, ...layers: (CorsOptions | false | undefined)[]): CorsOptions | false {
  let result: CorsOptions | false = base === false ? false : withoutInherit(base);
  let lastEnabled: CorsOptions = base === false ? {} : result as CorsOptions;
  for (const layer of layers) {
    if (layer === undefined) continue;
    if (layer === false) {
      result = false;
      continue;
    }
    const merged: CorsOptions = layer.inherit === false ? { ...operationalSettings(lastEnabled), ...withoutInherit(layer) } : mergeTwo(lastEnabled, layer);
    result = merged;
    lastEnabled = merged;
  }
  return result;
}

function mergeTwo(parent: CorsOptions, child: CorsOptions): CorsOptions {
  const merged: CorsOptions = { ...parent };
  for (const [key, value] of Object.entries(child) as [keyof CorsOptions, unknown][]) {
    if (key === 'inherit' || value === undefined) continue;
    (merged as Record<string, unknown>)[key] = value;
  }
  if (child.origin !== undefined) merged.origin = mergeOrigin(parent.origin, child.origin);
  for (const key of LIST_KEYS) {
    if (child[key] !== undefined && parent[key] !== undefined) merged[key] = unite(toList(parent[key]) ?? [], toList(child[key]) ?? []);
  }
  return merged;
}

function mergeOrigin(parent: CorsOptions['origin'], child: NonNullable<CorsOptions['origin']>): CorsOptions['origin'] {
  // Booleans are modes, not list members: `false` (off) and `true` (reflect any) replace what is above.
  if (parent === undefined || typeof parent === 'boolean' || typeof child === 'boolean') return child;
  const rules: OriginRule[] = [];
  for (const rule of [...asArray(parent), ...asArray(child)]) {
    if (rule === '*') return '*';
    if (!rules.some((existing) => sameRule(existing, rule))) rules.push(rule);
  }
  return rules.length === 1 ? rules[0] : rules;
}

function asArray(origin: Exclude<CorsOptions['origin'], boolean | undefined>): readonly OriginRule[] {
  return Array.isArray(origin) ? origin : [origin as OriginRule];
}

function sameRule(a: OriginRule, b: OriginRule): boolean {
  if (a instanceof RegExp && b instanceof RegExp) return a.source === b.source && a.flags === b.flags;
  return a === b;
}

/** Unites two lists; `'*'` absorbs the rest except names that `*` does not cover (kept: `authorization`). */
function unite(parent: readonly string[], child: readonly string[]): string[] {
  const result: string[] = [];
  for (const item of [...parent, ...child]) {
    if (!result.some((existing) => existing.toLowerCase() === item.toLowerCase())) result.push(item);
  }
  if (!result.includes('*')) return result;
  return ['*', ...result.filter((item) => item.toLowerCase() === 'authorization')];
}

function withoutInherit(options: CorsOptions): CorsOptions {
  if (options.inherit === undefined) return { ...options };
  const { inherit: _inherit, ...rest } = options;
  return rest;
}
