/**
 * The one rule for what an origin function's answer means, on every adapter (DESIGN.md, "The route boundary"):
 * - `true`, or exactly the request's origin: allowed; the origin is reflected (with credentials where configured);
 * - a RegExp, or a list of strings and RegExps (the values `cors` and `@fastify/cors` accept): allowed, reflected,
 *   when the request's origin is listed or matches as a whole (a RegExp answer is not anchored at startup); a list holding `'*'` is read as `'*'` for the other origins;
 * - `'*'`: any origin, answered `Access-Control-Allow-Origin: *`, never with credentials and never reflected;
 * - `false`, `null`, `undefined`, or a string that is not the request's origin: refused;
 * - anything else: refused and reported as a broken answer (fail closed).
 * polycors therefore never sends an Access-Control-Allow-Origin other than the request's own origin or `*`.
 */

export type AnswerVerdict =
  | { kind: 'allowed' }
  | { kind: 'any' }
  | { kind: 'refused' }
  | { kind: 'invalid'; description: string };

const ALLOWED: AnswerVerdict = Object.freeze({ kind: 'allowed' });
const ANY: AnswerVerdict = Object.freeze({ kind: 'any' });
const REFUSED: AnswerVerdict = Object.freeze({ kind: 'refused' });
/** Nested lists are read to this depth; deeper ones are broken answers rather than unbounded recursion. */
const MAX_DEPTH = 8;

export function readOriginAnswer(answer: unknown, origin: string): AnswerVerdict {
  if (answer === true) return ALLOWED;
  if (answer === false || answer === null || answer === undefined) return REFUSED;
  if (typeof answer === 'string') return answer === '*' ? ANY : answer === origin ? ALLOWED : REFUSED;
  if (answer instanceof RegExp) return testRegExp(answer, origin) ? ALLOWED : REFUSED;
  if (Array.isArray(answer)) {
    const found = readList(answer, origin, 0);
    return found === 'allowed' ? ALLOWED : found === 'any' ? ANY : found === 'refused' ? REFUSED : { kind: 'invalid', description: found };
  }
  return { kind: 'invalid', description: describe(answer) };
}

/**
 * 'allowed' when the origin is listed or matched, else 'any' when `'*'` is listed, else 'refused'. A string
 * describes a broken item: one broken item breaks the whole answer, wherever it sits (fail closed).
 */
function readList(list: readonly unknown[], origin: string, depth: number): 'allowed' | 'any' | 'refused' | string {
  if (depth > MAX_DEPTH) return 'a list nested more than 8 deep';
  let result: 'allowed' | 'any' | 'refused' = 'refused';
  for (const item of list) {
    let found: 'allowed' | 'any' | 'refused' | string;
    if (typeof item === 'string') found = item === origin ? 'allowed' : item === '*' ? 'any' : 'refused';
    else if (item instanceof RegExp) found = testRegExp(item, origin) ? 'allowed' : 'refused';
    else if (Array.isArray(item)) found = readList(item, origin, depth + 1);
    else return `a list holding ${describe(item)}`;
    if (found === 'allowed') result = 'allowed';
    else if (found === 'any') result = result === 'allowed' ? result : 'any';
    else if (found !== 'refused') return found;
  }
  return result;
}

/**
 * A RegExp answer must match the whole origin: answered at request time it escapes the startup anchoring check, and
 * `/app\.example\.com/` would otherwise allow `https://app.example.com.attacker.net` (the `cors` package tests it
 * unanchored; polycors does not).
 */
function testRegExp(regexp: RegExp, origin: string): boolean {
  // A g or y flag makes exec() start at lastIndex: reset it so the answer does not depend on earlier requests.
  regexp.lastIndex = 0;
  const match = regexp.exec(origin);
  regexp.lastIndex = 0;
  return match !== null && match.index === 0 && match[0].length === origin.length;
}

function describe(value: unknown): string {
  if (typeof value === 'object' && value !== null) return `an object (${Object.prototype.toString.call(value)})`;
  if (typeof value === 'function') return 'a function';
  return `${typeof value} ${String(value).slice(0, 40)}`;
}
