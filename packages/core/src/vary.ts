/**
 * Merges tokens into an existing Vary header value without duplicates (compared case-insensitively).
 * `*` absorbs everything. Returns the value unchanged (same string) when nothing needs adding.
 */
export function appendVary(existing: string | readonly string[] | number | undefined, tokens: readonly string[]): string {
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
