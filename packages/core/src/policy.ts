/**
 * createCorsPolicy: options -> validated, immutable, precompiled policy. evaluate: one request -> one decision.
 * Everything that can be computed at startup is (header values, frozen decisions for the common answers), so the
 * hot path is a Set lookup and a few comparisons.
 */
import { classifyCorsRequest } from './classify.js';
import { CorsConfigError, type CorsConfigProblem } from './config-error.js';
import type { CorsContext, CorsDecision, CorsOptions, CorsReason, CorsRequest, CorsRequestKind } from './options.js';
import { CORS_DEFAULTS } from './options.js';
import { OriginAnswerCache } from './origins/answer-cache.js';
import { CredentialsGuard } from './origins/credentials-guard.js';
import { OriginMatch, OriginMatcher } from './origins/matcher.js';
import { isSerialisedOrigin } from './origins/request-origin.js';
import { reasons, summarise } from './reasons.js';
import { type HeaderListVerdict, MAX_REQUEST_HEADER_NAMES, checkRequestHeaders } from './request-headers.js';
import { isToken } from './tokens.js';
import { type NormalisedSettings, type ValidateContext, validateOptions } from './validate.js';

export interface CreateCorsPolicyContext extends ValidateContext {
  /** Where this policy applies ("FormController.update (PATCH /form)"), named in errors and warnings. */
  where?: string;
}

export interface CorsPolicy {
  /** False for `origin: false` / `cors: false`: no CORS headers, preflights refused. */
  readonly enabled: boolean;
  /** Problems that did not stop the policy (all problems with `strict: false`). */
  readonly warnings: readonly CorsConfigProblem[];
  /** The validated settings, for adapters and tooling. */
  readonly settings: Readonly<NormalisedSettings>;
  /** Decide one request. Returns a Promise only when an origin function answers with one. */
  evaluate(request: CorsRequest, context?: CorsContext): CorsDecision | Promise<CorsDecision>;
}

type Header = readonly [name: string, value: string];
const NO_HEADERS: readonly Header[] = Object.freeze([]);
const VARY_NONE: readonly string[] = Object.freeze([]);
const VARY_ORIGIN: readonly string[] = Object.freeze(['Origin']);
const VARY_ORIGIN_AND_HEADERS: readonly string[] = Object.freeze(['Origin', 'Access-Control-Request-Headers']);
const VARY_HEADERS: readonly string[] = Object.freeze(['Access-Control-Request-Headers']);

/**
 * Validates and compiles options. Throws one CorsConfigError listing every problem (strict mode), or reports them
 * as warnings through `options.logger` and `policy.warnings` (`strict: false`).
 */
export function createCorsPolicy(options: CorsOptions, context: CreateCorsPolicyContext = {}): CorsPolicy {
  const { settings, problems } = validateOptions(options, context);
  const errors = problems.filter((problem) => problem.severity === 'error');
  if (settings.strict && errors.length > 0) throw new CorsConfigError(errors.map(stripSeverity), context.where);
  const warnings = problems.map(stripSeverity);
  for (const warning of warnings) {
    settings.logger?.warn(`polycors: ${context.where ? `${context.where}: ` : ''}${warning.path}: ${warning.message} [${warning.code}]`);
  }
  return new CompiledCorsPolicy(settings, Object.freeze(warnings));
}

function stripSeverity({ path, code, message }: CorsConfigProblem): CorsConfigProblem {
  return { path, code, message };
}

class CompiledCorsPolicy implements CorsPolicy {
  readonly enabled: boolean;
  private readonly matcher: OriginMatcher;
  /** With credentials: re-checks origins that only a RegExp or an origin function allowed. */
  private readonly credentialsGuard: CredentialsGuard | undefined;
  private readonly dependsOnOrigin: boolean;
  private readonly methodSet: ReadonlySet<string>;
  private readonly methodsSummary: string;
  private readonly headersSummary: string;
  private readonly originSummary: string;
  /** Headers after Access-Control-Allow-Origin on allowed actual requests (credentials, expose). */
  private readonly actualTail: readonly Header[];
  /** Headers after the origin on allowed preflights, except a reflected Allow-Headers. */
  private readonly preflightTail: readonly Header[];
  private readonly reflectHeaders: boolean;
  /**
   * The last Access-Control-Request-Headers value judged, and its verdict: a browser sends the same value on every
   * preflight of a page, so most preflights skip the parse. One entry, only for values within the length limit.
   */
  private lastRequestHeaders: string | undefined;
  private lastHeadersVerdict: HeaderListVerdict | undefined;
  private readonly maxOriginLength = CORS_DEFAULTS.maxOriginLength;
  private readonly notCors: CorsDecision;
  private readonly notCorsOptions: CorsDecision;
  private readonly allowedAnyActual: CorsDecision;
  private readonly exactDecisions = new Map<string, CorsDecision>();

  constructor(
    readonly settings: NormalisedSettings,
    readonly warnings: readonly CorsConfigProblem[],
  ) {
    const s = settings;
    this.enabled = s.enabled;
    this.matcher = new OriginMatcher({
      patterns: s.patterns,
      regexps: s.regexps,
      functions: s.functions,
      cache: s.originCache ? new OriginAnswerCache(s.originCache.max, s.originCache.ttl) : undefined,
      onFunctionError: (error, origin) => s.logger?.error(`polycors: the origin function failed for '${origin.slice(0, 200)}'; refusing the request`, error),
    });
    this.credentialsGuard = s.credentials ? new CredentialsGuard((probe) => this.matcher.regExpsMatch(probe)) : undefined;
    this.dependsOnOrigin = s.enabled && !s.anyOrigin;
    this.methodSet = new Set(s.methods);
    this.methodsSummary = s.anyMethod ? '*' : summarise(s.methods, 20);
    this.headersSummary = s.allowedHeaders.mode === 'reflect' ? 'any' : summarise(s.allowedHeaderNames, 20);
    this.originSummary = summarise(s.originRules, 5);
    this.reflectHeaders = s.allowedHeaders.mode === 'reflect';

    const actualTail: Header[] = [];
    if (s.credentials) actualTail.push(['access-control-allow-credentials', 'true']);
    if (s.exposedHeaders.length > 0) actualTail.push(['access-control-expose-headers', s.exposedHeaders.join(', ')]);
    this.actualTail = Object.freeze(actualTail);

    const preflightTail: Header[] = [];
    if (s.credentials) preflightTail.push(['access-control-allow-credentials', 'true']);
    const methodsValue = s.anyMethod ? '*' : s.methods.join(', ');
    if (methodsValue) preflightTail.push(['access-control-allow-methods', methodsValue]);
    if (s.allowedHeaders.mode !== 'reflect' && s.allowedHeaderNames.length > 0) {
      preflightTail.push(['access-control-allow-headers', s.allowedHeaderNames.join(', ')]);
    }
    if (s.maxAge !== undefined) preflightTail.push(['access-control-max-age', String(s.maxAge)]);
    this.preflightTail = Object.freeze(preflightTail);

    const anyOriginHeaders = Object.freeze([['access-control-allow-origin', '*'] as const, ...actualTail]);
    this.allowedAnyActual = freezeDecision({ kind: 'actual', allowed: true, headers: anyOriginHeaders, vary: VARY_NONE });
    // With '*' every response carries the same headers, Origin or not, so a shared cache can serve any of them to anyone.
    this.notCors = freezeDecision(
      s.enabled && s.anyOrigin
        ? { kind: 'not-cors', allowed: true, headers: anyOriginHeaders, vary: VARY_NONE }
        : { kind: 'not-cors', allowed: true, headers: NO_HEADERS, vary: this.dependsOnOrigin ? VARY_ORIGIN : VARY_NONE },
    );
    // An OPTIONS answer differs between a preflight (Origin present) and a plain OPTIONS, even under '*'.
    this.notCorsOptions = s.enabled ? freezeDecision({ ...this.notCors, vary: VARY_ORIGIN }) : this.notCors;
  }

  evaluate(request: CorsRequest, context?: CorsContext): CorsDecision | Promise<CorsDecision> {
    const origin = request.origin;
    if (origin === undefined) return request.method === 'OPTIONS' ? this.notCorsOptions : this.notCors;
    const kind = classifyCorsRequest(request) as Exclude<CorsRequestKind, 'not-cors'>;
    if (!this.enabled) return this.refuse(kind, reasons.corsDisabled(), request, context);
    if (origin.length > this.maxOriginLength) return this.refuse(kind, reasons.originTooLong(origin.length, this.maxOriginLength), request, context);

    const s = this.settings;
    if (s.anyOrigin) {
      return kind === 'actual' ? this.allowedAnyActual : this.preflight('*', request, context);
    }
    if (s.reflectAnyOrigin) {
      // Only a serialised origin is ever reflected, whatever bytes an adapter passes in.
      if (!isSerialisedOrigin(origin)) return this.refuse(kind, reasons.originMalformed(origin), request, context);
      return this.allowOrigin(kind, origin, request, context);
    }
    const match = this.matcher.match(origin, context);
    if (typeof match === 'number') return this.afterOriginMatch(match, kind, origin, request, context);
    return match.then((result) => this.afterOriginMatch(result, kind, origin, request, context));
  }

  private afterOriginMatch(match: OriginMatch, kind: CorsRequestKind, origin: string, request: CorsRequest, context: CorsContext): CorsDecision {
    if (match === OriginMatch.AllowedExact && kind === 'actual') return this.allowedExactActual(origin);
    if (match === OriginMatch.Allowed || match === OriginMatch.AllowedRegExp) {
      // An origin function may allow anything it is given: only a serialised origin goes into Access-Control-Allow-Origin.
      if (match === OriginMatch.Allowed && !isSerialisedOrigin(origin)) return this.refuse(kind, reasons.originMalformed(origin), request, context);
      const unsafe = this.credentialsGuard?.refusal(match === OriginMatch.Allowed ? 'function' : 'regexp', origin);
      if (unsafe !== undefined) return this.refuse(kind, unsafe, request, context);
    }
    if (match === OriginMatch.Allowed || match === OriginMatch.AllowedRegExp || match === OriginMatch.AllowedPattern || match === OriginMatch.AllowedExact) {
      return this.allowOrigin(kind, origin, request, context);
    }
    if (match === OriginMatch.FunctionFailed) return this.refuse(kind, reasons.originFunctionError(origin), request, context);
    return this.refuse(kind, this.originRefusal(origin), request, context);
  }

  private originRefusal(origin: string): CorsReason {
    return origin === 'null' || origin.includes('://') ? reasons.originNotAllowed(origin, this.originSummary) : reasons.originMalformed(origin);
  }

  /** Listed origins are a bounded set, so their (frozen) decisions are built once and reused: no allocation per request. */
  private allowedExactActual(origin: string): CorsDecision {
    let decision = this.exactDecisions.get(origin);
    if (decision === undefined) {
      decision = freezeDecision({ kind: 'actual', allowed: true, headers: Object.freeze([['access-control-allow-origin', origin] as const, ...this.actualTail]), vary: VARY_ORIGIN });
      this.exactDecisions.set(origin, decision);
    }
    return decision;
  }

  private allowOrigin(kind: CorsRequestKind, origin: string, request: CorsRequest, context: CorsContext): CorsDecision {
    if (kind === 'preflight') return this.preflight(origin, request, context);
    const headers: Header[] = [['access-control-allow-origin', origin]];
    for (const header of this.actualTail) headers.push(header);
    return { kind, allowed: true, headers, vary: VARY_ORIGIN };
  }

  private preflight(allowOrigin: string, request: CorsRequest, context: CorsContext): CorsDecision {
    const s = this.settings;
    const method = request.requestMethod as string;
    if (!s.anyMethod && !this.methodSet.has(method)) {
      if (!isToken(method) || method.length > 64) return this.refuse('preflight', reasons.methodMalformed(), request, context);
      const upper = method.toUpperCase();
      const caseOnly = upper !== method && this.methodSet.has(upper);
      return this.refuse('preflight', caseOnly ? reasons.methodCaseMismatch(method, this.methodsSummary) : reasons.methodNotAllowed(method, this.methodsSummary), request, context);
    }
    let reflected: string | undefined;
    const requested = request.requestHeaders;
    if (requested !== undefined) {
      const verdict = requested === this.lastRequestHeaders ? (this.lastHeadersVerdict as HeaderListVerdict) : this.checkHeaders(requested);
      switch (verdict.failure) {
        case undefined:
          reflected = verdict.reflected;
          break;
        case 'headers-too-long':
          return this.refuse('preflight', reasons.headersTooLong(requested.length, s.maxRequestHeadersLength), request, context);
        case 'headers-too-many':
          return this.refuse('preflight', reasons.tooManyHeaderNames(MAX_REQUEST_HEADER_NAMES), request, context);
        case 'headers-malformed':
          return this.refuse('preflight', reasons.headersMalformed(), request, context);
        case 'header-authorization-not-covered-by-wildcard':
          return this.refuse('preflight', reasons.authorizationNotCovered(), request, context);
        case 'header-not-allowed':
          return this.refuse('preflight', reasons.headerNotAllowed(verdict.name as string, this.headersSummary), request, context);
      }
    }
    const privateNetwork = request.requestPrivateNetwork === 'true';
    if (privateNetwork && !s.privateNetworkAccess) return this.refuse('preflight', reasons.privateNetworkNotAllowed(), request, context);

    const headers: Header[] = [['access-control-allow-origin', allowOrigin]];
    for (const header of this.preflightTail) headers.push(header);
    if (reflected) headers.push(['access-control-allow-headers', reflected]);
    if (privateNetwork) headers.push(['access-control-allow-private-network', 'true']);
    const vary = this.reflectHeaders ? (this.dependsOnOrigin ? VARY_ORIGIN_AND_HEADERS : VARY_HEADERS) : this.dependsOnOrigin ? VARY_ORIGIN : VARY_NONE;
    const decision: CorsDecision = { kind: 'preflight', allowed: true, status: s.optionsSuccessStatus, headers, vary };
    if (s.preflightContinue) decision.continue = true;
    return decision;
  }

  private checkHeaders(requested: string): HeaderListVerdict {
    const verdict = checkRequestHeaders(requested, this.settings.allowedHeaders, this.settings.maxRequestHeadersLength);
    if (requested.length <= this.settings.maxRequestHeadersLength) {
      this.lastRequestHeaders = requested;
      this.lastHeadersVerdict = verdict;
    }
    return verdict;
  }

  private refuse(kind: CorsRequestKind, reason: CorsReason, request: CorsRequest, context: CorsContext): CorsDecision {
    const decision: CorsDecision = {
      kind,
      allowed: false,
      headers: this.settings.debug ? [['polycors-reason', reason.code]] : NO_HEADERS,
      // Refusals depend on the origin (or on its presence, under '*'); a disabled policy answers the same to all.
      vary: this.enabled ? VARY_ORIGIN : VARY_NONE,
      reason,
    };
    if (kind === 'preflight') decision.status = CORS_DEFAULTS.refusedPreflightStatus;
    const onRefusal = this.settings.onRefusal;
    if (onRefusal) {
      try {
        onRefusal({ request, decision, reason, context });
      } catch (error) {
        this.settings.logger?.error('polycors: onRefusal threw; the request is still refused', error);
      }
    }
    return decision;
  }
}

function freezeDecision(decision: CorsDecision): CorsDecision {
  return Object.freeze(decision);
}
