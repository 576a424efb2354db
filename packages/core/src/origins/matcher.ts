/**
 * The compiled origin check. Exact origins sit in a hash set; `*.` and `:*` patterns are looked up by the
 * request origin's own host suffixes after parsing it once; RegExps and functions run only where configured.
 */
import type { CorsContext } from '../options.js';
import type { OriginFunctions } from './origin-functions.js';
import type { OriginPattern } from './parse-rule.js';
import { parseRequestOrigin } from './request-origin.js';

/**
 * Outcome of an origin check. `AllowedExact`: listed as an exact origin (a bounded set, so its decision may be cached).
 * `AllowedAny`: an origin function answered `'*'` (answered `*`, never with credentials).
 * `FunctionFailed` / `FunctionTimedOut`: an origin function threw, rejected, gave a broken answer, or did not answer
 * in time, so the origin is refused (fail closed).
 */
export const OriginMatch = { Refused: 0, Allowed: 1, FunctionFailed: 2, AllowedExact: 3, AllowedAny: 4, FunctionTimedOut: 5 } as const;
export type OriginMatch = (typeof OriginMatch)[keyof typeof OriginMatch];

export interface OriginMatcherSpec {
  patterns: OriginPattern[];
  regexps: RegExp[];
  /** The policy's origin functions, when it has any. */
  functions?: OriginFunctions;
}

export class OriginMatcher {
  private readonly exact = new Set<string>();
  /** `scheme://host` of `host:*` rules. */
  private readonly anyPort = new Set<string>();
  /** `scheme://*.suffix` + (`''` | `:port` | `:*`) of subdomain rules. */
  private readonly subdomainKeys = new Set<string>();
  private readonly regexps: RegExp[];
  private readonly needsParse: boolean;

  constructor(private readonly spec: OriginMatcherSpec) {
    for (const pattern of spec.patterns) {
      if (pattern.kind === 'exact') this.exact.add(pattern.origin);
      else if (pattern.subdomains) this.subdomainKeys.add(`${pattern.scheme}://*.${pattern.host}${pattern.port ? `:${pattern.port}` : ''}`);
      else this.anyPort.add(`${pattern.scheme}://${pattern.host}`);
    }
    this.regexps = spec.regexps;
    this.needsParse = this.anyPort.size > 0 || this.subdomainKeys.size > 0;
  }

  match(origin: string, context: CorsContext): OriginMatch | Promise<OriginMatch> {
    if (this.exact.has(origin)) return OriginMatch.AllowedExact;
    if (this.needsParse && this.matchesPattern(origin)) return OriginMatch.Allowed;
    for (const regexp of this.regexps) {
      if (regexp.test(origin)) return OriginMatch.Allowed;
    }
    return this.spec.functions?.ask(origin, context) ?? OriginMatch.Refused;
  }

  private matchesPattern(origin: string): boolean {
    const parts = parseRequestOrigin(origin);
    if (parts === undefined) return false;
    const { scheme, host, port } = parts;
    if (this.anyPort.size > 0 && this.anyPort.has(`${scheme}://${host}`)) return true;
    if (this.subdomainKeys.size === 0 || host.charCodeAt(0) === 0x5b) return false;
    const portSuffix = port === '' ? '' : `:${port}`;
    // Try every proper suffix of the host that starts at a label boundary: "a.b.example.com" -> ".b.example.com", ".example.com", ".com".
    for (let dot = host.indexOf('.'); dot > 0; dot = host.indexOf('.', dot + 1)) {
      const key = `${scheme}://*${host.slice(dot)}`;
      if (this.subdomainKeys.has(key + portSuffix) || this.subdomainKeys.has(`${key}:*`)) return true;
    }
    return false;
  }
}
