/**
 * Problem paths in a route's own words. A route's `config.cors` is merged over the plugin's options before core
 * validates it, so core's `origin[2]` counts the merged list; the user wrote `config.cors.origin[1]`. Items and
 * scalars the route set are named under `config.cors`; what came from the plugin keeps the plugin's own index.
 */
const LIST_KEYS = ['origin', 'methods', 'allowedHeaders', 'exposedHeaders'] as const;

export type PathMapper = (path: string) => string;

/** Marks a path that names the plugin options' item, not the route's. */
export const INHERITED = ' (from the plugin options)';

export function layerPaths(merged: Record<string, unknown>, base: Record<string, unknown>, layer: Record<string, unknown>): PathMapper {
  return (path) => {
    const match = /^([A-Za-z]+)(?:\[(\d+)\])?(.*)$/.exec(path);
    if (!match || !(match[1] in layer)) return path;
    const [, key, index, rest] = match;
    if (index === undefined || !(LIST_KEYS as readonly string[]).includes(key)) return `config.cors.${path}`;
    const item = listOf(merged[key])[Number(index)];
    const own = listOf(layer[key]).findIndex((candidate) => same(candidate, item));
    if (own !== -1) return `config.cors.${key}${Array.isArray(layer[key]) ? `[${own}]` : ''}${rest}`;
    const inherited = listOf(base[key]).findIndex((candidate) => same(candidate, item));
    return inherited === -1 ? `config.cors.${path}` : `${key}${Array.isArray(base[key]) ? `[${inherited}]` : ''}${INHERITED}${rest}`;
  };
}

function listOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return value.split(',').map((item) => item.trim()).filter((item) => item !== '');
  return value === undefined ? [] : [value];
}

function same(a: unknown, b: unknown): boolean {
  if (a instanceof RegExp && b instanceof RegExp) return a.source === b.source && a.flags === b.flags;
  return a === b;
}
