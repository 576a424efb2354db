import { isToken } from '../tokens.js';

/**
 * Header lists as the browser sees them: names compared case-insensitively, several lines of one name combined
 * with `", "` (what Chromium's network stack and the Fetch Standard's "get" do), values trimmed of HTTP whitespace.
 */

/** Headers as a record (`{ name: value | values }`) or as `[name, value]` pairs (Node's `rawHeaders`, paired up). */
export type HeaderList =
  | Readonly<Record<string, string | number | readonly string[] | undefined>>
  | ReadonlyArray<readonly [name: string, value: string]>;

/** One header line per entry, names lower-cased, values trimmed, in the order given. */
export function headerEntries(headers: HeaderList | undefined): [name: string, value: string][] {
  if (headers === undefined) return [];
  const out: [string, string][] = [];
  const push = (name: string, value: string) => out.push([name.toLowerCase(), trimHttpWhitespace(value)]);
  if (Array.isArray(headers)) {
    for (const [name, value] of headers as ReadonlyArray<readonly [string, string]>) push(name, value);
    return out;
  }
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) push(name, String(v));
    else push(name, String(value));
  }
  return out;
}

/** The combined value of every line named `name` (`"a, b"`), or `undefined` when there is none. */
export function getCombined(entries: ReadonlyArray<readonly [string, string]>, name: string): string | undefined {
  const values = entries.filter(([n]) => n === name).map(([, v]) => v);
  return values.length === 0 ? undefined : values.join(', ');
}

/** Header names present, lower-cased, deduplicated, sorted (what `response.headers.keys()` yields). */
export function presentNames(entries: ReadonlyArray<readonly [string, string]>): string[] {
  return [...new Set(entries.map(([n]) => n))].sort();
}

export function trimHttpWhitespace(value: string): string {
  return value.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
}


/**
 * A comma-separated list as Chromium parses `Access-Control-Allow-Methods` / `-Headers` / `-Expose-Headers`:
 * empty elements skipped, whitespace trimmed. `undefined` when an element is not a token (the header cannot be parsed).
 */
export function parseTokenList(value: string | undefined): string[] | undefined {
  if (value === undefined) return [];
  const out: string[] = [];
  for (const part of value.split(',')) {
    const item = trimHttpWhitespace(part);
    if (item === '') continue;
    if (!isToken(item)) return undefined;
    out.push(item);
  }
  return out;
}
