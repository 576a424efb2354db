/**
 * Runs a policy's origin functions for one request: in order until one allows, each answer read by the one rule of
 * `origin-answer.ts`, each call bounded by `originTimeout`. With `originCache`, answers are remembered per
 * (origin, key) and concurrent lookups of one key share one call. Every failure is logged once, where it happens.
 */
import type { CorsContext, CorsLogger, OriginFunction } from '../options.js';
import { OriginAnswerCache } from './answer-cache.js';
import { type CallOutcome, callOriginFunction } from './call-origin-function.js';
import { OriginMatch } from './matcher.js';
import { type AnswerVerdict, readOriginAnswer } from './origin-answer.js';
import { ReflectionWatch } from './reflection-watch.js';

export interface OriginFunctionsSpec {
  functions: readonly OriginFunction[];
  timeout: number;
  cache?: { max: number; ttl: number; key?: (origin: string, context: CorsContext) => string };
  credentials: boolean;
  reflectionWarning?: { origins: number; window: number };
  logger: CorsLogger | undefined;
}

/** What a run of the functions can end in (the values of OriginMatch it uses). */
type FunctionsMatch = typeof OriginMatch.Allowed | typeof OriginMatch.AllowedAny | typeof OriginMatch.Refused | typeof OriginMatch.FunctionFailed | typeof OriginMatch.FunctionTimedOut;

/** Functions already reported for '*' under credentials, or as reflecting: one warning each, however many policies share them. */
const warnedAnyWithCredentials = new WeakSet<Function>();
const warnedReflection = new WeakSet<Function>();

export class OriginFunctions {
  private readonly cache: OriginAnswerCache<FunctionsMatch> | undefined;
  private readonly inFlight = new Map<string, Promise<FunctionsMatch>>();
  private readonly watches: (ReflectionWatch | undefined)[];

  constructor(private readonly spec: OriginFunctionsSpec) {
    this.cache = spec.cache ? new OriginAnswerCache<FunctionsMatch>(spec.cache.max, spec.cache.ttl) : undefined;
    const warning = spec.reflectionWarning;
    this.watches = spec.functions.map((fn) =>
      spec.credentials && warning ? new ReflectionWatch(warning.origins, warning.window, (distinct, latest) => this.reportReflection(fn, distinct, latest)) : undefined,
    );
  }

  ask(origin: string, context: CorsContext): OriginMatch | Promise<OriginMatch> {
    const cache = this.cache;
    if (cache === undefined) return this.askFrom(0, origin, context);
    let key: string;
    try {
      key = this.keyOf(origin, context);
    } catch (error) {
      this.spec.logger?.error(`polycors: originCache.key failed for '${shown(origin)}'; refusing the request`, error);
      return OriginMatch.FunctionFailed;
    }
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const pending = this.inFlight.get(key);
    if (pending !== undefined) return pending;
    const result = this.askFrom(0, origin, context);
    if (typeof result === 'number') return this.remember(key, result);
    const shared = result.then((settled) => {
      this.inFlight.delete(key);
      return this.remember(key, settled);
    });
    this.inFlight.set(key, shared);
    return shared;
  }

  /** The origin always leads the key: a `key` that forgets it cannot make one origin's answer another's. */
  private keyOf(origin: string, context: CorsContext): string {
    const key = this.spec.cache?.key;
    if (key === undefined) return origin;
    const extra: unknown = key(origin, context);
    if (typeof extra !== 'string') throw new TypeError(`originCache.key returned ${typeof extra}, not a string`);
    return `${origin}\n${extra}`;
  }

  private remember(key: string, match: FunctionsMatch): FunctionsMatch {
    if (match === OriginMatch.Allowed || match === OriginMatch.AllowedAny || match === OriginMatch.Refused) this.cache?.set(key, match);
    return match;
  }

  /** Calls functions in order until one allows; stays synchronous until a function answers asynchronously. */
  private askFrom(index: number, origin: string, context: CorsContext): FunctionsMatch | Promise<FunctionsMatch> {
    const functions = this.spec.functions;
    for (let i = index; i < functions.length; i++) {
      const outcome = callOriginFunction(functions[i], origin, context, this.spec.timeout);
      if (outcome instanceof Promise) {
        return outcome.then((settled) => {
          const match = this.judge(i, settled, origin);
          return match === OriginMatch.Refused ? this.askFrom(i + 1, origin, context) : match;
        });
      }
      const match = this.judge(i, outcome, origin);
      if (match !== OriginMatch.Refused) return match;
    }
    return OriginMatch.Refused;
  }

  private judge(index: number, outcome: CallOutcome, origin: string): FunctionsMatch {
    const fn = this.spec.functions[index];
    const logger = this.spec.logger;
    if (outcome.kind === 'timeout') {
      logger?.error(
        `polycors: the origin function ${nameOf(fn)} did not answer within ${this.spec.timeout} ms for '${shown(origin)}'; refusing the request [origin-function-timeout]. ` +
          'A function of two parameters that returns nothing is waiting for its callback: return false to refuse, or call callback(null, answer)',
      );
      return OriginMatch.FunctionTimedOut;
    }
    if (outcome.kind === 'error') {
      logger?.error(`polycors: the origin function failed for '${shown(origin)}' (${nameOf(fn)}); refusing the request [origin-function-error]`, outcome.error);
      return OriginMatch.FunctionFailed;
    }
    let verdict: AnswerVerdict;
    try {
      verdict = readOriginAnswer(outcome.answer, origin);
    } catch (error) {
      // A hostile answer (a RegExp subclass whose test() throws, a Proxy list) is a broken answer, not a crash.
      logger?.error(`polycors: the origin function failed for '${shown(origin)}' (${nameOf(fn)}): reading its answer threw; refusing the request [origin-function-error]`, error);
      return OriginMatch.FunctionFailed;
    }
    switch (verdict.kind) {
      case 'allowed':
        this.watches[index]?.allowed(origin);
        return OriginMatch.Allowed;
      case 'any':
        if (this.spec.credentials && !warnedAnyWithCredentials.has(fn)) {
          warnedAnyWithCredentials.add(fn);
          logger?.warn(
            `polycors: the origin function ${nameOf(fn)} answered '*' in a policy with credentials: true; polycors answers Access-Control-Allow-Origin: * without credentials ` +
              "(never the request's origin), so pages that send credentials are refused by the browser. Answer true or the origin for origins that may send credentials",
          );
        }
        return OriginMatch.AllowedAny;
      case 'refused':
        return OriginMatch.Refused;
      case 'invalid':
        logger?.error(
          `polycors: the origin function failed for '${shown(origin)}' (${nameOf(fn)}): it answered ${verdict.description}; answer true, false, the origin, '*', a RegExp or a list of them. Refusing the request [origin-function-error]`,
          new TypeError(`origin function answered ${verdict.description}`),
        );
        return OriginMatch.FunctionFailed;
    }
  }

  private reportReflection(fn: Function, distinct: number, latest: string): void {
    if (warnedReflection.has(fn)) return;
    warnedReflection.add(fn);
    const window = this.spec.reflectionWarning?.window ?? 0;
    this.spec.logger?.warn(
      `polycors: WARNING: the origin function ${nameOf(fn)} allowed ${distinct} distinct origins within ${Math.round(window / 1000)} s with credentials: true (the latest '${shown(latest)}'). ` +
        "If it returns the request's own origin without checking it against a list (origin: (ctx) => ctx.get('Origin')), it is origin: true in disguise and lets any website act as the signed-in user. " +
        'Check the origin against your allowlist; if this many origins are expected, raise reflectionWarning.origins or set reflectionWarning: false [origin-function-reflects]',
    );
  }
}

function nameOf(fn: Function): string {
  return fn.name ? `'${fn.name}'` : '(anonymous)';
}

function shown(origin: string): string {
  return origin.length > 200 ? `${origin.slice(0, 200)}...` : origin;
}
