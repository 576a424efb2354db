/**
 * How the list headers (Access-Control-Allow-Methods, -Allow-Headers, -Expose-Headers) are written. Browsers read
 * `GET, HEAD` and `GET,HEAD`, `X-Token` and `x-token` the same; an adapter in compatibility mode (`strict: false`) asks
 * for the incumbent's exact bytes so that tests and caches written against it keep passing.
 */
import { toList } from './tokens.js';

export interface ListFormat {
  /** Written between the items of a list given as an array, or assembled from several. Default `', '`. */
  separator?: string;
  /**
   * A list given as a string is sent as written when polycors kept every item of it, and header names keep the
   * spelling they were configured with (default: allowed header names in lower case). What @fastify/cors and
   * @koa/cors do.
   */
  asWritten?: boolean;
}

/**
 * @param configured the option as the user wrote it (string, array or undefined)
 * @param items the validated items, in the order they are sent
 */
export function formatList(configured: unknown, items: readonly string[], format: ListFormat | undefined, caseInsensitive: boolean): string {
  const separator = format?.separator ?? ', ';
  if (!format?.asWritten) return items.join(separator);
  const same = (a: string, b: string) => (caseInsensitive ? a.toLowerCase() === b.toLowerCase() : a === b);
  if (typeof configured === 'string') {
    const written = toList(configured) as string[];
    if (written.length === items.length && written.every((item, index) => same(item, items[index]))) return configured.trim();
  }
  const spelled = Array.isArray(configured) ? (configured as unknown[]).filter((item): item is string => typeof item === 'string').map((item) => item.trim()) : [];
  return items.map((item) => spelled.find((candidate) => same(candidate, item)) ?? item).join(separator);
}
