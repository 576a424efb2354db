/**
 * The compiled origin check. Exact origins sit in a hash set; `*.` rules are found by hashing the request's host
 * from the right and compared in place (no string per suffix, so a many-label host costs no more than a short one); RegExps see only
 * origins that parsed as serialised origins within DNS limits; functions run only where configured.
 */
import type { CorsContext } from '../options.js';
import type { OriginFunctions } from './origin-functions.js';
import type { OriginPattern } from './parse-rule.js';
import { type RequestOriginParts, parseRequestOrigin } from './request-origin.js';

/**
 * Outcome of an origin check. `AllowedExact`: listed as an exact origin (a bounded set, so its decision may be cached).
 * `AllowedPattern`: a `*.` or `:*` pattern (checked at startup). `AllowedRegExp` and `Allowed` (an origin function):
 * opaque rules, which the policy's credentials guard checks again. `AllowedAny`: an origin function answered `'*'`
 * (answered `*`, never with credentials). `FunctionFailed` / `FunctionTimedOut`: an origin function threw, rejected,
 * gave a broken answer, or did not answer in time, so the origin is refused (fail closed).
 */
export const OriginMatch = { Refused: 0, Allowed: 1, FunctionFailed: 2, AllowedExact: 3, AllowedAny: 4, FunctionTimedOut: 5, AllowedPattern: 6, AllowedRegExp: 7 } as const;
export type OriginMatch = (typeof OriginMatch)[keyof typeof OriginMatch];

export interface OriginMatcherSpec {
  patterns: OriginPattern[];
  regexps: RegExp[];
  /** The policy's origin functions, when it has any. */
  functions?: OriginFunctions;
}

/** One `*.suffix` rule: `dotSuffix` is `.suffix`, `port` is '' (none), digits or '*'. */
interface SubdomainRule {
  scheme: string;
  dotSuffix: string;
  port: string;
}

export class OriginMatcher {
  private readonly exact = new Set<string>();
  /** `scheme://host` of `host:*` rules. */
  private readonly anyPort = new Set<string>();
  /** Subdomain rules by the hash of their `.suffix` read right to left (see suffixHash). */
  private readonly subdomainRules = new Map<number, SubdomainRule[]>();
  private readonly regexps: RegExp[];
  private readonly needsParse: boolean;

  constructor(private readonly spec: OriginMatcherSpec) {
    for (const pattern of spec.patterns) {
      if (pattern.kind === 'exact') this.exact.add(pattern.origin);
      else if (pattern.subdomains) this.addSubdomainRule({ scheme: pattern.scheme, dotSuffix: `.${pattern.host}`, port: pattern.port });
      else this.anyPort.add(`${pattern.scheme}://${pattern.host}`);
    }
    this.regexps = spec.regexps;
    this.needsParse = this.anyPort.size > 0 || this.subdomainRules.size > 0 || this.regexps.length > 0;
  }

  match(origin: string, context: CorsContext): OriginMatch | Promise<OriginMatch> {
    if (this.exact.has(origin)) return OriginMatch.AllowedExact;
    const parts = this.needsParse ? parseRequestOrigin(origin) : undefined;
    if (parts !== undefined) {
      if (this.matchesPattern(parts)) return OriginMatch.AllowedPattern;
      for (const regexp of this.regexps) {
        if (regexp.test(origin)) return OriginMatch.AllowedRegExp;
      }
    }
    return this.spec.functions?.ask(origin, context) ?? OriginMatch.Refused;
  }

  /** Whether any of the RegExp rules matches `origin` (for the credentials guard's probe; `origin` is serialised). */
  regExpsMatch(origin: string): boolean {
    for (const regexp of this.regexps) {
      if (regexp.test(origin)) return true;
    }
    return false;
  }

  private addSubdomainRule(rule: SubdomainRule): void {
    let hash = 0;
    for (let i = rule.dotSuffix.length - 1; i >= 0; i--) hash = suffixHash(hash, rule.dotSuffix.charCodeAt(i));
    const rules = this.subdomainRules.get(hash);
    if (rules) rules.push(rule);
    else this.subdomainRules.set(hash, [rule]);
  }

  private matchesPattern({ scheme, host, port }: RequestOriginParts): boolean {
    if (this.anyPort.size > 0 && this.anyPort.has(`${scheme}://${host}`)) return true;
    if (this.subdomainRules.size === 0 || host.charCodeAt(0) === 0x5b) return false;
    // One pass from the right, hashing as it goes; at each label boundary the hash names the rules for that
    // ".suffix", which are then compared in place: no substring, cost bounded by the host's length (<= 253).
    let hash = 0;
    for (let i = host.length - 1; i > 0; i--) {
      const c = host.charCodeAt(i);
      hash = suffixHash(hash, c);
      if (c !== 0x2e) continue;
      const rules = this.subdomainRules.get(hash);
      if (rules === undefined) continue;
      for (const rule of rules) {
        if (rule.dotSuffix.length === host.length - i && rule.scheme === scheme && (rule.port === '*' || rule.port === port) && host.endsWith(rule.dotSuffix)) return true;
      }
    }
    return false;
  }
}

/** One step of a 32-bit polynomial hash over a suffix read right to left. */
function suffixHash(hash: number, charCode: number): number {
  return (Math.imul(hash, 31) + charCode) | 0;
}
