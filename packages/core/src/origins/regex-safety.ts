/**
 * Startup checks for user-supplied origin RegExps. Runs once per RegExp, never per request.
 */
import { isSafe } from 'redos-detector';

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
 * Limit for the backtracking analysis: a step budget, not a clock, so the verdict is the same on a loaded machine.
 * A RegExp the analysis cannot finish within it is refused (fail closed). Measured on an idle 2-core machine: the two
 * RegExps of issue 11 are refused in about 110 ms and 60 ms, common origin RegExps are accepted in 1-60 ms.
 */
const ANALYSIS_LIMITS = { maxSteps: 2000 } as const;

export type BacktrackingVerdict = { safe: true } | { safe: false; reason: string };

/**
 * Sound check for catastrophic backtracking (ReDoS) by redos-detector: it finds two ways for the engine to match the
 * same input (`([a-z]?[a-z-])+`, `[a-z]+[a-z]+`), which is what makes a hostile Origin take exponential or
 * polynomial time. Startup only.
 */
export function checkBacktracking(regexp: RegExp): BacktrackingVerdict {
  // Adapters compile one policy per route, each with the global RegExps: analyse each RegExp once per process.
  const key = `${regexp.flags}/${regexp.source}`;
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    verdict = analyse(regexp);
    verdicts.set(key, verdict);
  }
  return verdict;
}

const verdicts = new Map<string, BacktrackingVerdict>();

function analyse(regexp: RegExp): BacktrackingVerdict {
  let result: ReturnType<typeof isSafe>;
  try {
    result = isSafe(regexp, ANALYSIS_LIMITS);
  } catch (error) {
    return { safe: false, reason: `it uses syntax the backtracking analysis cannot read (${error instanceof Error ? error.message : String(error)})` };
  }
  if (result.safe) return { safe: true };
  switch (result.error) {
    case 'hitMaxScore':
      return { safe: false, reason: 'parts of it can match the same characters in more than one way (like ([a-z]?[a-z-])+ or [a-z]+[a-z]+), so a hostile Origin can take exponential or polynomial time' };
    case 'hitMaxSteps':
      return { safe: false, reason: 'it is too complex for the backtracking analysis to prove that no Origin makes it slow' };
    default:
      return { safe: false, reason: `the backtracking analysis refused it (${String((result as { error?: unknown }).error)})` };
  }
}

/**
 * Index of the first `.` that is RegExp syntax (any character) rather than a quantified wildcard like `.*`, or -1.
 * In an origin RegExp such a dot is nearly always a host's dot left unescaped: `app.example.com` matches `appxexample.com`.
 */
export function findUnescapedDot(source: string): number {
  let found = -1;
  forEachSyntaxChar(source, (ch, i) => {
    if (found !== -1 || ch !== '.') return;
    const next = source[i + 1];
    if (next !== '*' && next !== '+' && next !== '?' && next !== '{') found = i;
  });
  return found;
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

/**
 * An origin the unanchored `regexp` matches and its anchored form (`^(?:...)$`) does not: what the missing anchor lets
 * in, for the startup message. Undefined when no such example is found. Only call it on RegExps that passed
 * `checkBacktracking`.
 */
export function unanchoredExample(regexp: RegExp): string | undefined {
  const flags = regexp.flags.replace(/[gy]/g, '');
  const source = regexp.source;
  const body = source.replace(/^\^/, '').replace(/(?<!\\)\$$/, '');
  let unanchored: RegExp;
  let anchored: RegExp;
  try {
    unanchored = new RegExp(source, flags);
    anchored = new RegExp(`^(?:${body})$`, flags);
  } catch {
    return undefined;
  }
  const candidates: string[] = [];
  // A string each top-level branch matches (`^https:\/\/[a-z]+\.example\.com` -> 'https://a.example.com'), extended the
  // ways a missing anchor allows; the checks below keep only real examples, so a rough sample is enough.
  for (const branch of topLevelBranches(body)) {
    const text = sampleMatch(branch.replace(/^\^/, '').replace(/(?<!\\)\$$/, ''));
    if (text === undefined) continue;
    const bare = text.replace(/^\.+/, '');
    const withScheme = text.includes('://') ? text : `https://${bare}`;
    candidates.push(`${withScheme}.evil.com`, `${withScheme}-evil.com`, `http://evil${text}`, `https://evil${text}`, `https://evil.com.${bare}`);
  }
  candidates.push('https://example.com.evil.com', 'http://evil.example.com', 'https://evil-example.com', 'https://evil.com');
  return candidates.find((candidate) => unanchored.test(candidate) && !anchored.test(candidate));
}

/** The top-level alternatives of a RegExp source (`a|(b|c)` -> `a`, `(b|c)`). */
function topLevelBranches(source: string): string[] {
  const branches: string[] = [];
  let depth = 0;
  let start = 0;
  forEachSyntaxChar(source, (ch, index) => {
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) {
      branches.push(source.slice(start, index));
      start = index + 1;
    }
  });
  branches.push(source.slice(start));
  return branches;
}

/** One string the RegExp source matches, for simple sources (literals, classes, groups, quantifiers); else undefined. */
function sampleMatch(source: string): string | undefined {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    let piece: string | undefined;
    if (ch === '\\') {
      const next = source[i + 1];
      piece = next === 'd' ? '1' : next === 'w' ? 'a' : /[A-Za-z]/.test(next ?? 'x') ? undefined : next;
      i += 2;
    } else if (ch === '[') {
      const end = source.indexOf(']', i + 2);
      if (end === -1 || source[i + 1] === '^') return undefined;
      const first = source[i + 1] === '\\' ? source[i + 2] : source[i + 1];
      piece = first === 'd' && source[i + 1] === '\\' ? '1' : first;
      i = end + 1;
    } else if (ch === '(') {
      let depth = 0;
      let end = i;
      for (; end < source.length; end++) {
        if (source[end] === '\\') end++;
        else if (source[end] === '(') depth++;
        else if (source[end] === ')' && --depth === 0) break;
      }
      let inner = source.slice(i + 1, end);
      if (inner.startsWith('?:')) inner = inner.slice(2);
      else if (inner.startsWith('?')) return undefined;
      piece = sampleMatch(topLevelBranches(inner)[0]);
      i = end + 1;
    } else if (ch === '.') {
      piece = 'a';
      i++;
    } else if ('^$|)]{}*+?'.includes(ch)) {
      return undefined;
    } else {
      piece = ch;
      i++;
    }
    if (piece === undefined) return undefined;
    // Quantifiers: once, or the least count of {n,m} (at least once, so the sample shows the part).
    const quantifier = /^(?:[*+?]|\{(\d+)(?:,\d*)?\})\??/.exec(source.slice(i));
    if (quantifier) {
      piece = piece.repeat(Math.max(1, Math.min(Number(quantifier[1] ?? 1), 64)));
      i += quantifier[0].length;
    }
    out += piece;
    if (out.length > 300) return undefined;
  }
  return out;
}
