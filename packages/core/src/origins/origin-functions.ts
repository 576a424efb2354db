/**
 * Runs a policy's origin functions for one request: in order until one allows, each answer read by the one rule of
 * `origin-answer.ts`, each call bounded by `originTimeout`. With `originCache`, each function's answers are
 * remembered per (origin, key) and concurrent lookups of one key share one call (see `function-answer-store.ts`).
 * Every failure is logged once, where it happens.
 */
import type { CorsContext, CorsLogger, OriginFunction } from '../options.js';
import { type CallOutcome, callOriginFunction } from './call-origin-function.js';
import { type FunctionAnswerStore, answerStoreFor } from './function-answer-store.js';
import { OriginMatch } from './matcher.js';
import { type AnswerVerdict, readOriginAnswer } from './origin-answer.js';
import { ReflectionWatch } from './reflection-watch.js';

export interface OriginFunctionsSpec {
  functions: readonly OriginFunction[];
  timeout: number;
  cache?: { max: number; ttl: number; key?: (origin: string, context: CorsContext) => string; identity: object };
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
  private readonly stores: FunctionAnswerStore<FunctionsMatch>[] | undefined;
  private readonly watches: (ReflectionWatch | undefined)[];

  constructor(private readonly spec: OriginFunctionsSpec) {
    const cache = spec.cache;
    this.stores = cache ? spec.functions.map((fn) => answerStoreFor<FunctionsMatch>(fn, cache)) : undefined;
    const warning = spec.reflectionWarning;
    this.watches = spec.functions.map((fn) =>
      spec.credentials && warning ? new ReflectionWatch(warning.origins, warning.window, (distinct, latest) => this.reportReflection(fn, distinct, latest)) : undefined,
    );
  }

  ask(origin: string, context: CorsContext): OriginMatch | Promise<OriginMatch> {
    if (this.stores === undefined) return this.askFrom(0, origin, context, undefined);
    let key: string;
    try {
      key = this.keyOf(origin, context);
    } catch (error) {
      this.spec.logger?.error(`polycors: originCache.key failed for '${shown(origin)}'; refusing the request [origin-function-error]`, error);
      return OriginMatch.FunctionFailed;
    }
    return this.askFrom(0, origin, context, key);
  }

  /** The origin always leads the key: a `key` that forgets it cannot make one origin's answer another's. */
  private keyOf(origin: string, context: CorsContext): string {
    const key = this.spec.cache?.key;
    if (key === undefined) return origin;
    const extra: unknown = key(origin, context);
    if (typeof extra !== 'string') throw new TypeError(`originCache.key returned ${typeof extra}, not a string`);
    return `${origin}\n${extra}`;
  }

  /** Asks functions in order until one allows; stays synchronous until a function answers asynchronously. */
  private askFrom(index: number, origin: string, context: CorsContext, key: string | undefined): FunctionsMatch | Promise<FunctionsMatch> {
    for (let i = index; i < this.spec.functions.length; i++) {
      const match = key === undefined ? this.call(i, origin, context) : this.recall(i, origin, context, key);
      if (match instanceof Promise) return match.then((settled) => (settled === OriginMatch.Refused ? this.askFrom(i + 1, origin, context, key) : settled));
      if (match !== OriginMatch.Refused) return match;
    }
    return OriginMatch.Refused;
  }

  /** The remembered answer of function `index` for `key`, the call already in flight for it, or a new call. */
  private recall(index: number, origin: string, context: CorsContext, key: string): FunctionsMatch | Promise<FunctionsMatch> {
    const store = (this.stores as FunctionAnswerStore<FunctionsMatch>[])[index];
    const known = store.answers.get(key);
    if (known !== undefined) return known;
    const pending = store.inFlight.get(key);
    if (pending !== undefined) return pending;
    const match = this.call(index, origin, context);
    if (typeof match === 'number') return remember(store, key, match);
    const shared = match.then((settled) => {
      store.inFlight.delete(key);
      return remember(store, key, settled);
    });
    store.inFlight.set(key, shared);
    return shared;
  }

  private call(index: number, origin: string, context: CorsContext): FunctionsMatch | Promise<FunctionsMatch> {
    const outcome = callOriginFunction(this.spec.functions[index], origin, context, this.spec.timeout);
    return outcome instanceof Promise ? outcome.then((settled) => this.judge(index, settled, origin)) : this.judge(index, outcome, origin);
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

/** Answers are remembered; failures and timeouts never are, so the next request asks again. */
function remember(store: FunctionAnswerStore<FunctionsMatch>, key: string, match: FunctionsMatch): FunctionsMatch {
  if (match === OriginMatch.Allowed || match === OriginMatch.AllowedAny || match === OriginMatch.Refused) store.answers.set(key, match);
  return match;
}

function nameOf(fn: Function): string {
  return fn.name ? `'${fn.name}'` : '(anonymous)';
}

function shown(origin: string): string {
  return origin.length > 200 ? `${origin.slice(0, 200)}...` : origin;
}
