/**
 * Startup checks for user-supplied origin RegExps. Runs once per RegExp, never per request.
 */

/** True when the pattern is anchored at both ends (`^...$`), so `https://example.com.evil.com` cannot match. */
export function isAnchored(source: string): boolean {
  if (!source.startsWith('^')) return false;
  if (!source.endsWith('$')) return false;
  // An escaped dollar (`\$`) is a literal, not an anchor.
  let backslashes = 0;
  for (let i = source.length - 2; i >= 0 && source[i] === '\\'; i--) backslashes++;
  if (backslashes % 2 === 1) return false;
  // A top-level alternation (`^a|b$`) anchors only its first and last branches.
  let depth = 0;
  let topLevelAlternation = false;
  forEachSyntaxChar(source, (ch) => {
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) topLevelAlternation = true;
  });
  return !topLevelAlternation;
}

/**
 * Flags a quantified group that itself contains a quantifier or an alternation (`(a+)+`, `(\w*)*`, `(a|aa)+`):
 * the shapes behind catastrophic backtracking (ReDoS), where a long hostile Origin takes exponential time.
 */
export function hasNestedQuantifier(source: string): boolean {
  const stack: { quantified: boolean; alternation: boolean }[] = [];
  let nested = false;
  forEachSyntaxChar(source, (ch, i) => {
    const group = stack[stack.length - 1];
    if (ch === '(') stack.push({ quantified: false, alternation: false });
    else if (ch === '|' && group) group.alternation = true;
    else if ((ch === '*' || ch === '+' || ch === '{') && group) group.quantified = true;
    else if (ch === ')') {
      const closed = stack.pop();
      if (!closed) return;
      const repeated = isRepeatedAt(source, i + 1);
      if (repeated && (closed.quantified || closed.alternation)) nested = true;
      const parent = stack[stack.length - 1];
      if (parent && (closed.quantified || repeated)) parent.quantified = true;
    }
  });
  return nested;
}

/** `*`, `+` or a `{n,m}` that allows more than one repetition follows at `index`. */
function isRepeatedAt(source: string, index: number): boolean {
  const next = source[index];
  return next === '*' || next === '+' || (next === '{' && !/^\{0*1?\}/.test(source.slice(index)));
}

/** Calls `visit` for each character that is RegExp syntax: skips escaped characters and character classes. */
function forEachSyntaxChar(source: string, visit: (ch: string, index: number) => void): void {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') {
      i++;
    } else if (inClass) {
      if (ch === ']') inClass = false;
    } else if (ch === '[') {
      inClass = true;
    } else {
      visit(ch, i);
    }
  }
}
