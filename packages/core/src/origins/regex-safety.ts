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
  return !hasTopLevelAlternation(source);
}

function hasTopLevelAlternation(source: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) return true;
  }
  return false;
}

/**
 * Flags a quantified group that itself contains a quantifier or an alternation (`(a+)+`, `(\w*)*`, `(a|aa)+`):
 * the shapes behind catastrophic backtracking (ReDoS), where a long hostile Origin takes exponential time.
 */
export function hasNestedQuantifier(source: string): boolean {
  const stack: { quantified: boolean; alternation: boolean }[] = [];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      continue;
    }
    if (ch === '(') {
      stack.push({ quantified: false, alternation: false });
      continue;
    }
    if (ch === '|' && stack.length > 0) {
      stack[stack.length - 1].alternation = true;
      continue;
    }
    if (ch === ')') {
      const group = stack.pop();
      const next = source[i + 1];
      const groupIsRepeated = next === '*' || next === '+' || (next === '{' && !/^\{0*1?\}/.test(source.slice(i + 1)));
      if (group && groupIsRepeated && (group.quantified || group.alternation)) return true;
      if (group && stack.length > 0 && (group.quantified || groupIsRepeated)) stack[stack.length - 1].quantified = true;
      continue;
    }
    if ((ch === '*' || ch === '+' || ch === '{') && stack.length > 0) stack[stack.length - 1].quantified = true;
  }
  return false;
}
