/**
 * The compiled origin check. Exact origins sit in a hash set; `*.` and `:*` patterns are looked up by the
 * request origin's own host suffixes after parsing it once; RegExps and functions run only where configured.
 */
import type { CorsContext, OriginFunction } from '../options.js';
import type { OriginAnswerCache } from './answer-cache.js';
import type { OriginPattern } from './parse-rule.js';
import { parseRequestOrigin } from './request-origin.js';

/**
 * Outcome of an origin check. `AllowedExact`: listed as an exact origin (a bounded set, so its decision may be cached).
 * `FunctionFailed`: an origin function threw or rejected, so the origin is refused (fail closed).
 */
export const OriginMatch = { Refused: 0, Allowed: 1, FunctionFailed: 2, AllowedExact: 3 } as const;
export type OriginMatch = (typeof OriginMatch)[keyof typeof OriginMatch];

export interface OriginMatcherSpec {
  patterns: OriginPattern[];
  regexps: RegExp[];
  functions: OriginFunction[];
  cache?: OriginAnswerCache;
  onFunctionError: (error: unknown, origin: string) => void;
}

export class OriginMatcher {
  private readonly exact = new Set<string>();
  /** `scheme://host` of `host:*` rules. */
  private readonly anyPort = new Set<string>();
  /** `scheme://*.suffix` + (`''` | `:port` | `:*`) of subdomain rules. */
  private readonly subdomainKeys = new Set<string>();
  private readonly regexps: RegExp[];
  private readonly functions: OriginFunction[];
  private readonly needsParse: boolean;

  constructor(private readonly spec: OriginMatcherSpec) {
    for (const pattern of spec.patterns) {
      if (pattern.kind === 'exact') this.exact.add(pattern.origin);
      else if (pattern.subdomains) this.subdomainKeys.add(`${pattern.scheme}://*.${pattern.host}${pattern.port ? `:${pattern.port}` : ''}`);
      else this.anyPort.add(`${pattern.scheme}://${pattern.host}`);
    }
    this.regexps = spec.regexps;
    this.functions = spec.functions;
    this.needsParse = this.anyPort.size > 0 || this.subdomainKeys.size > 0;
  }

  match(origin: string, context: CorsContext): OriginMatch | Promise<OriginMatch> {
    if (this.exact.has(origin)) return OriginMatch.AllowedExact;
    if (this.needsParse && this.matchesPattern(origin)) return OriginMatch.Allowed;
    for (const regexp of this.regexps) {
      if (regexp.test(origin)) return OriginMatch.Allowed;
    }
    if (this.functions.length === 0) return OriginMatch.Refused;
    return this.askFunctions(origin, context);
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

  private askFunctions(origin: string, context: CorsContext): OriginMatch | Promise<OriginMatch> {
    const cache = this.spec.cache;
    const cached = cache?.get(origin);
    if (cached !== undefined) return cached ? OriginMatch.Allowed : OriginMatch.Refused;
    return this.askFrom(0, origin, context);
  }

  /** Calls functions in order until one allows; stays synchronous until a function returns a Promise. */
  private askFrom(index: number, origin: string, context: CorsContext): OriginMatch | Promise<OriginMatch> {
    for (let i = index; i < this.functions.length; i++) {
      let answer: boolean | Promise<boolean>;
      try {
        answer = this.functions[i](origin, context);
      } catch (error) {
        this.spec.onFunctionError(error, origin);
        return OriginMatch.FunctionFailed;
      }
      if (isThenable(answer)) {
        return Promise.resolve(answer).then(
          (allowed) => (allowed === true ? this.remember(origin, true) : this.askFrom(i + 1, origin, context)),
          (error: unknown) => {
            this.spec.onFunctionError(error, origin);
            return OriginMatch.FunctionFailed;
          },
        );
      }
      if (answer === true) return this.remember(origin, true);
    }
    return this.remember(origin, false);
  }

  private remember(origin: string, allowed: boolean): OriginMatch {
    this.spec.cache?.set(origin, allowed);
    return allowed ? OriginMatch.Allowed : OriginMatch.Refused;
  }
}

function isThenable(value: unknown): value is Promise<boolean> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
