/**
 * The route boundary under the browser's preflight cache.
 *
 * A browser caches a preflight answer per (origin, URL, credentials mode), one entry per method of
 * `Access-Control-Allow-Methods` and one per name of `Access-Control-Allow-Headers`. A later request to the same URL
 * skips its preflight when its method is safelisted (GET, HEAD, POST) or cached, and each of its non-safelisted
 * request headers is cached. One route's answer therefore grants, for the cache's lifetime, requests that its
 * sibling routes on the same URL would judge. An allowed preflight answer keeps to these rules
 * (packages/core/README.md, "Preflights and the browser's cache"):
 *
 * 1. A method is advertised only when the policy that judges that method at this URL allows the origin and the
 *    method (and grants credentials, when this answer does): for a method no route serves here, the fallback policy
 *    (where such requests reach no handler at all, as on Fastify's 404, the adapter passes none and nothing judges).
 * 2. A request header is advertised only when every policy that could see it unpreflighted allows the origin and the
 *    header: those of the safelisted methods (the fallback policy where no route serves one), those of every method
 *    any answer here may advertise (rule 1), and the fallback policy when some policy here lists a method no route
 *    serves that the fallback would allow.
 * 3. Where the lists that keep rules 1 and 2 do not cover the request being answered, the answer keeps what the
 *    request needs but carries `Access-Control-Max-Age: 0`: it passes this once and is never reused.
 * 4. A preflight for a method no route serves at this URL is never reusable.
 * 5. Where several handlers serve the requested method at this URL and the router picks one by something a preflight
 *    does not carry (a version header, a media type, the Host constraint), each of their policies must allow the
 *    preflight: the first refusal is the answer. Allowed by all, the answer grants credentials only if every one
 *    does, and is never reusable (the browser caches it for the URL, whichever handler its requests reach).
 * 6. Where the adapter cannot see every route that may serve this URL (`unresolved`), the preflight is refused:
 *    nothing above can be checked against a route it cannot see.
 */
import type { CorsContext, CorsDecision, CorsRequest } from './options.js';

/** What the adapter knows about the URL a preflight asks about. */
export interface PreflightRoutes<P = unknown> {
  /** Each method a route serves at this URL, with the policy an actual request with that method is judged by. */
  readonly served: ReadonlyArray<readonly [method: string, policy: P]>;
  /**
   * The policy for requests with methods no route serves at this URL (the adapter's global policy, where such
   * requests can still reach middleware), or `undefined` where they reach no handler (the framework answers 404).
   */
  readonly fallback: P | undefined;
  /**
   * Further policies serving the requested method at this URL, beside the one judging the preflight, among which the
   * router chooses by something the preflight does not carry (rule 5). Omitted or empty where there is one.
   */
  readonly alternatives?: readonly P[];
  /**
   * Set where part of what may serve this URL is hidden from the adapter (an Express sub-app it was not given):
   * the policies above are then not the whole story, so the preflight is refused (`route-unresolved`). The text names
   * the hidden part and the fix, for the reason's message (written by the app's configuration, not the request).
   */
  readonly unresolved?: string;
}

/** What the rules need to know of one policy (implemented by the compiled policy; never shown to users). */
export interface SiblingJudge {
  readonly enabled: boolean;
  readonly grantsCredentials: boolean;
  /** `true` when every method is allowed (`methods: '*'`). */
  readonly allowsAnyMethod: boolean;
  /** The methods it lists (`methods`, or the route's own by default). */
  readonly methods: readonly string[];
  /** `true` when every request header but `authorization` is allowed (reflect or `'*'`). */
  readonly allowsAnyHeader: boolean;
  /**
   * Does the policy allow this origin, and with its credentials? No refusal hooks, no logging: this is a question,
   * not a request.
   */
  allowsOrigin(origin: string, context: CorsContext): OriginGrant | Promise<OriginGrant>;
  allowsMethod(method: string): boolean;
  /** `name` in lower case. */
  allowsHeader(name: string): boolean;
}

/** Refused; allowed without credentials (an origin function answered `'*'`); allowed as the policy says. */
export const OriginGrant = { Refused: 0, WithoutCredentials: 1, AsConfigured: 2 } as const;
export type OriginGrant = (typeof OriginGrant)[keyof typeof OriginGrant];

const SAFELISTED_METHODS: readonly string[] = ['GET', 'HEAD', 'POST'];

interface Candidate {
  judge: SiblingJudge;
  origin?: OriginGrant;
}

/**
 * Narrows an allowed preflight decision of `primary` to what its sibling routes allow (the rules above).
 * Returns `decision` itself when every policy at this URL is `primary`.
 */
export function guardPreflightForSiblings(
  primary: SiblingJudge,
  decision: CorsDecision,
  request: CorsRequest,
  context: CorsContext,
  routes: PreflightRoutes<SiblingJudge>,
): CorsDecision | Promise<CorsDecision> {
  const served = routes.served;
  let alone = routes.fallback === undefined || routes.fallback === primary;
  for (let i = 0; alone && i < served.length; i++) alone = served[i][1] === primary;
  if (alone) return decision;

  const origin = request.origin as string;
  // One origin question per distinct policy.
  const candidates: Candidate[] = [];
  const candidateOf = (judge: SiblingJudge): Candidate => {
    for (const candidate of candidates) if (candidate.judge === judge) return candidate;
    const candidate: Candidate = { judge };
    candidates.push(candidate);
    return candidate;
  };
  const byMethod = new Map<string, Candidate>();
  for (const [method, judge] of served) if (!byMethod.has(method)) byMethod.set(method, candidateOf(judge));
  const fallback = routes.fallback === undefined ? undefined : candidateOf(routes.fallback);
  candidateOf(primary).origin = OriginGrant.AsConfigured;

  const pending: Promise<void>[] = [];
  for (const candidate of candidates) {
    if (candidate.origin !== undefined) continue;
    if (!candidate.judge.enabled) {
      candidate.origin = OriginGrant.Refused;
      continue;
    }
    const answer = candidate.judge.allowsOrigin(origin, context);
    if (typeof answer === 'number') candidate.origin = answer;
    else pending.push(answer.then((grant) => void (candidate.origin = grant), () => void (candidate.origin = OriginGrant.Refused)));
  }
  const compose = () => composeAnswer(primary, decision, request, byMethod, fallback, candidateOf(primary));
  if (pending.length === 0) return compose();
  return Promise.all(pending).then(compose);
}

function composeAnswer(primary: SiblingJudge, decision: CorsDecision, request: CorsRequest, byMethod: Map<string, Candidate>, fallback: Candidate | undefined, self: Candidate): CorsDecision {
  const credentials = primary.grantsCredentials;
  const judgeFor = (method: string) => byMethod.get(method) ?? fallback;
  // A policy whose requests could be cached under this answer's credentials mode.
  const grants = (candidate: Candidate) =>
    candidate.origin === OriginGrant.AsConfigured ? !credentials || candidate.judge.grantsCredentials : candidate.origin === OriginGrant.WithoutCredentials && !credentials;
  // May `method` be advertised? Where no handler serves it (no fallback policy), advertising it grants nothing.
  const advertisable = (method: string) => {
    const candidate = judgeFor(method);
    return candidate === undefined || (grants(candidate) && candidate.judge.allowsMethod(method));
  };
  const requestMethod = request.requestMethod as string;

  // Rule 1: methods.
  const advertised = headerValue(decision, 'access-control-allow-methods');
  let methods: string[] = [];
  if (advertised === '*') {
    let keep = true;
    for (const candidate of byMethod.values()) keep &&= grants(candidate) && candidate.judge.allowsAnyMethod;
    if (fallback !== undefined) keep &&= grants(fallback) && fallback.judge.allowsAnyMethod;
    if (keep) methods = ['*'];
    else {
      for (const method of byMethod.keys()) if (advertisable(method)) methods.push(method);
      if (!methods.includes(requestMethod)) methods.push(requestMethod);
    }
  } else if (advertised !== undefined) {
    for (const method of splitList(advertised, false)) {
      if (method === requestMethod || advertisable(method)) methods.push(method);
    }
  }

  // Rule 2: the policies a request carrying an advertised header could reach without a preflight.
  const reachable = new Set<Candidate>();
  for (const method of SAFELISTED_METHODS) {
    const candidate = judgeFor(method);
    if (candidate !== undefined) reachable.add(candidate);
  }
  for (const [method, candidate] of byMethod) if (candidate.origin !== OriginGrant.Refused && candidate.judge.allowsMethod(method)) reachable.add(candidate);
  if (fallback !== undefined && fallback.origin !== OriginGrant.Refused && listsUnservedMethod([self, ...byMethod.values()], byMethod, fallback)) reachable.add(fallback);
  const headerSafe = (name: string) => {
    for (const candidate of reachable) if (!grants(candidate) || !candidate.judge.allowsHeader(name)) return false;
    return true;
  };
  let anyHeaderSafe = true;
  for (const candidate of reachable) anyHeaderSafe &&= grants(candidate) && candidate.judge.allowsAnyHeader;

  const requested = request.requestHeaders === undefined ? [] : splitList(request.requestHeaders, true);
  const offered = headerValue(decision, 'access-control-allow-headers');
  const headers: string[] = [];
  let wildcard = false;
  if (offered !== undefined) {
    for (const name of splitList(offered, true)) {
      if (name === '*') {
        if (anyHeaderSafe) wildcard = true;
        // Without the wildcard, name each requested header that every reachable policy allows.
        else for (const asked of requested) if (asked !== 'authorization' && headerSafe(asked) && !headers.includes(asked)) headers.push(asked);
      } else if (headerSafe(name) && !headers.includes(name)) headers.push(name);
    }
  }
  if (wildcard) headers.unshift('*');

  // Rule 3 and 4: does the safe answer still cover this request?
  const covered = requested.every((name) => headers.includes(name) || (wildcard && name !== 'authorization'));
  const servedHere = byMethod.has(requestMethod) || SAFELISTED_METHODS.includes(requestMethod);
  const reusable = covered && servedHere;

  const result: [string, string][] = [];
  for (const [name, value] of decision.headers) {
    if (name === 'access-control-allow-methods') {
      // Unchanged lists keep the policy's own format (see ListFormat).
      if (methods.length > 0) result.push([name, sameList(methods, splitList(value, false)) ? value : methods.join(', ')]);
    } else if (name === 'access-control-allow-headers') {
      if (!reusable) result.push([name, value]);
      else if (headers.length > 0) result.push([name, sameList(headers, splitList(value, true)) ? value : headers.join(', ')]);
    } else if (name === 'access-control-max-age') {
      if (reusable) result.push([name, value]);
    } else result.push([name, value]);
  }
  if (!reusable) result.push(['access-control-max-age', '0']);
  const guarded: CorsDecision = { ...decision, headers: result };
  if (!reusable) guarded.reusable = false;
  return guarded;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

/** Could some answer at this URL list a method no route serves here, that the fallback policy would let through? */
function listsUnservedMethod(policies: Candidate[], byMethod: Map<string, Candidate>, fallback: Candidate): boolean {
  const unserved = (method: string) => !byMethod.has(method) && !SAFELISTED_METHODS.includes(method) && fallback.judge.allowsMethod(method);
  for (const candidate of [...policies, fallback]) {
    if (candidate.origin === OriginGrant.Refused) continue;
    if (candidate.judge.allowsAnyMethod && fallback.judge.allowsAnyMethod) return true;
    for (const method of candidate.judge.methods) if (unserved(method)) return true;
  }
  return false;
}

function headerValue(decision: CorsDecision, name: string): string | undefined {
  for (const [key, value] of decision.headers) if (key === name) return value;
  return undefined;
}

/** A comma-separated list as policies write it; header names lower-cased. */
function splitList(value: string, lower: boolean): string[] {
  const items: string[] = [];
  for (const item of value.split(',')) {
    const trimmed = item.trim();
    if (trimmed !== '') items.push(lower ? trimmed.toLowerCase() : trimmed);
  }
  return items;
}

/**
 * Rule 5: `decision` (the judging policy's answer, already kept to its siblings) against the decisions of the other
 * policies that may serve the requested method. The first refusal wins; otherwise credentials only where all grant
 * them, and `Access-Control-Max-Age: 0`.
 */
export function narrowToAlternatives(decision: CorsDecision, alternatives: readonly CorsDecision[]): CorsDecision {
  if (!decision.allowed || decision.kind !== 'preflight' || alternatives.length === 0) return decision;
  for (const alternative of alternatives) if (!alternative.allowed) return alternative;
  const credentialed = alternatives.every((alternative) => headerValue(alternative, 'access-control-allow-credentials') === 'true');
  const headers: [string, string][] = [];
  for (const [name, value] of decision.headers) {
    if (name === 'access-control-max-age' || (name === 'access-control-allow-credentials' && !credentialed)) continue;
    headers.push([name, value]);
  }
  headers.push(['access-control-max-age', '0']);
  const vary = [...decision.vary];
  for (const alternative of alternatives) for (const token of alternative.vary) if (!vary.includes(token)) vary.push(token);
  return { ...decision, headers, vary, reusable: false };
}
