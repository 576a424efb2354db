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
