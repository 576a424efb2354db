/**
 * Merges tokens into an existing Vary header value without duplicates (compared case-insensitively).
 * `*` absorbs everything. Returns the value unchanged (same string) when nothing needs adding.
 */
export function appendVary(existing: string | readonly string[] | number | undefined, tokens: readonly string[]): string {
  // Adapters call this twice per response with the same frozen tokens (writing Vary, then checking it as the headers
  // go out): the last answer for each is kept. Only strings and frozen token lists: the inputs cannot change.
  if (tokens === lastTokens && existing === lastExisting) return lastValue;
  if (tokens === lastTokensOnNone && existing === undefined) return lastValueOnNone;
  const value = mergeVary(existing, tokens);
  if ((existing === undefined || typeof existing === 'string') && Object.isFrozen(tokens)) {
    if (existing === undefined) {
      lastTokensOnNone = tokens;
      lastValueOnNone = value;
    } else {
      lastTokens = tokens;
      lastExisting = existing;
      lastValue = value;
    }
  }
  return value;
}

let lastTokens: readonly string[] | undefined;
let lastExisting: string | undefined;
let lastValue = '';
let lastTokensOnNone: readonly string[] | undefined;
let lastValueOnNone = '';

function mergeVary(existing: string | readonly string[] | number | undefined, tokens: readonly string[]): string {
  const current = existing === undefined ? '' : Array.isArray(existing) ? existing.join(', ') : String(existing);
  if (tokens.length === 0) return current;
  if (current.trim() === '*') return '*';
  const present = current === '' ? [] : current.split(',').map((token) => token.trim().toLowerCase()).filter(Boolean);
  if (present.includes('*')) return '*';
  let value = current.trim();
  for (const token of tokens) {
    if (token === '*') return '*';
    const lower = token.toLowerCase();
    if (present.includes(lower)) continue;
    present.push(lower);
    value = value === '' ? token : `${value}, ${token}`;
  }
  return value;
}
