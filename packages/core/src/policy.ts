/**
 * createCorsPolicy: options -> validated, immutable, precompiled policy. evaluate: one request -> one decision.
 * Everything that can be computed at startup is (header values, frozen decisions for the common answers), so the
 * hot path is a Set lookup and a few comparisons.
 */
import { classifyCorsRequest } from './classify.js';
import { CorsConfigError, type CorsConfigProblem } from './config-error.js';
import type { CorsContext, CorsDecision, CorsOptions, CorsReason, CorsRequest, CorsRequestKind } from './options.js';
import { CORS_DEFAULTS } from './options.js';
import { OriginMatch, OriginMatcher } from './origins/matcher.js';
import { OriginFunctions } from './origins/origin-functions.js';
import { CredentialsGuard } from './origins/credentials-guard.js';
import { isSerialisedOrigin } from './origins/request-origin.js';
import { reasons, summarise } from './reasons.js';
import { type HeaderListVerdict, MAX_REQUEST_HEADER_NAMES, checkRequestHeaders } from './request-headers.js';
import { OriginGrant, type PreflightRoutes, type SiblingJudge, guardPreflightForSiblings, narrowToAlternatives } from './preflight-siblings.js';
import { keepTickObjectShape } from './tick-object-shape.js';
import { isToken } from './tokens.js';
import { type NormalisedSettings, type ValidateContext, validateOptions } from './validate.js';

export interface CreateCorsPolicyContext extends ValidateContext {
  /** Where this policy applies ("FormController.update (PATCH /form)"), named in errors and warnings. */
  where?: string;
  /**
   * Where its options were written ("@Cors() on FormController.update", "config.cors of route PATCH /form"), for
   * the `polycors-policy` header of debug-mode refusals, so `polycors doctor` can point at it. Default: `where`.
   */
  source?: string;
}

export interface CorsPolicy {
  /** False for `origin: false` / `cors: false`: no CORS headers, preflights refused. */
  readonly enabled: boolean;
  /** Problems that did not stop the policy (all problems with `strict: false`). */
  readonly warnings: readonly CorsConfigProblem[];
  /** The validated settings, for adapters and tooling. */
  readonly settings: Readonly<NormalisedSettings>;
  /**
   * Decide one request. Returns a Promise only when an origin function answers with one.
   * @param routes for preflights: the policies of every route at the URL asked about, so that the answer never
   *   advertises what a sibling route would refuse (the browser caches it for the whole URL). Adapters with
   *   per-route policies always pass it.
   */
  evaluate(request: CorsRequest, context?: CorsContext, routes?: PreflightRoutes<CorsPolicy>): CorsDecision | Promise<CorsDecision>;
}

type Header = readonly [name: string, value: string];
const NO_HEADERS: readonly Header[] = Object.freeze([]);
const VARY_NONE: readonly string[] = Object.freeze([]);
const VARY_ORIGIN: readonly string[] = Object.freeze(['Origin']);
/** A preflight's answer depends on the method and headers it asks for (allowed or refused), and on its origin. */
const VARY_PREFLIGHT: readonly string[] = Object.freeze(['Origin', 'Access-Control-Request-Method', 'Access-Control-Request-Headers']);
const VARY_PREFLIGHT_ANY_ORIGIN: readonly string[] = Object.freeze(['Access-Control-Request-Method', 'Access-Control-Request-Headers']);
/** Methods the Fetch Standard never checks against Access-Control-Allow-Methods. */
const SAFELISTED_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST']);

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
  return new CompiledCorsPolicy(settings, Object.freeze(warnings), context.source ?? context.where);
}

function stripSeverity({ path, code, message }: CorsConfigProblem): CorsConfigProblem {
  return { path, code, message };
}

class CompiledCorsPolicy implements CorsPolicy, SiblingJudge {
  readonly enabled: boolean;
  readonly grantsCredentials: boolean;
  readonly allowsAnyMethod: boolean;
  readonly allowsAnyHeader: boolean;
  readonly methods: readonly string[];
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
  /** The preflight tail for `Access-Control-Allow-Origin: *` (an origin function answered '*'): never credentials. */
  private readonly preflightTailAny: readonly Header[];
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
  /** An origin function answered '*': `*` without credentials, and Vary: Origin, since another origin may get another answer. */
  private readonly allowedAnyByFunction: CorsDecision;
  private readonly exactDecisions = new Map<string, CorsDecision>();
  /**
   * The last allowed preflight answer per listed origin (and for `*`): a page sends the same method and headers on
   * every preflight, so the answer is looked up, not rebuilt. Keys are a bounded set (the exact origins listed).
   */
  private readonly preflightMemo = new Map<string, PreflightMemo>();

  /** The `polycors-policy` debug header: which policy refused, in header-safe characters. */
  private readonly policyHeader: Header | undefined;

  constructor(
    readonly settings: NormalisedSettings,
    readonly warnings: readonly CorsConfigProblem[],
    source?: string,
  ) {
    const s = settings;
    // Once per process: a server that compiles a CORS policy is about to serve requests (see tick-object-shape.ts).
    keepTickObjectShape();
    // Route paths may hold characters a header cannot (setHeader would throw): percent-encode them.
    if (s.debug && source) this.policyHeader = ['polycors-policy', source.replace(/[^\x20-\x7e]/gu, headerSafe).slice(0, 300)];
    this.enabled = s.enabled;
    this.grantsCredentials = s.credentials;
    this.allowsAnyMethod = s.anyMethod;
    this.methods = s.methods;
    this.allowsAnyHeader = s.allowedHeaders.mode !== 'list';
    this.matcher = new OriginMatcher({
      patterns: s.patterns,
      regexps: s.regexps,
      functions: s.functions.length === 0 ? undefined : new OriginFunctions({
        functions: s.functions,
        timeout: s.originTimeout,
        cache: s.originCache,
        credentials: s.credentials,
        reflectionWarning: s.reflectionWarning,
        logger: s.logger,
      }),
    });
    this.credentialsGuard = s.credentials ? new CredentialsGuard((probe) => this.matcher.regExpsMatch(probe)) : undefined;
    this.dependsOnOrigin = s.enabled && !s.anyOrigin;
    this.methodSet = new Set(s.methods);
    this.methodsSummary = s.anyMethod ? '*' : summarise(s.methods, 20);
    this.headersSummary = s.allowedHeaders.mode === 'reflect' ? 'any' : summarise(s.allowedHeaderNames, 20);
    this.originSummary = summarise(s.originRules, 5);

    const actualTail: Header[] = [];
    if (s.credentials) actualTail.push(['access-control-allow-credentials', 'true']);
    if (s.exposedHeaders.length > 0) actualTail.push(['access-control-expose-headers', s.listValues.exposedHeaders]);
    this.actualTail = Object.freeze(actualTail);

    const preflightTail: Header[] = [];
    if (s.credentials) preflightTail.push(['access-control-allow-credentials', 'true']);
    const methodsValue = s.listValues.methods;
    if (methodsValue) preflightTail.push(['access-control-allow-methods', methodsValue]);
    if (s.allowedHeaders.mode !== 'reflect' && s.allowedHeaderNames.length > 0) {
      preflightTail.push(['access-control-allow-headers', s.listValues.allowedHeaders]);
    }
    if (s.maxAge !== undefined) preflightTail.push(['access-control-max-age', String(s.maxAge)]);
    this.preflightTail = Object.freeze(preflightTail);
    this.preflightTailAny = Object.freeze(preflightTail.filter(([name]) => name !== 'access-control-allow-credentials'));

    const anyOriginHeaders = Object.freeze([['access-control-allow-origin', '*'] as const, ...actualTail]);
    this.allowedAnyActual = freezeDecision({ kind: 'actual', allowed: true, headers: anyOriginHeaders, vary: VARY_NONE });
    const anyWithoutCredentials = Object.freeze(anyOriginHeaders.filter(([name]) => name !== 'access-control-allow-credentials'));
    this.allowedAnyByFunction = freezeDecision({ kind: 'actual', allowed: true, headers: anyWithoutCredentials, vary: VARY_ORIGIN });
    // With '*' every response carries the same headers, Origin or not, so a shared cache can serve any of them to anyone.
    this.notCors = freezeDecision(
      s.enabled && s.anyOrigin
        ? { kind: 'not-cors', allowed: true, headers: anyOriginHeaders, vary: VARY_NONE }
        : { kind: 'not-cors', allowed: true, headers: NO_HEADERS, vary: this.dependsOnOrigin ? VARY_ORIGIN : VARY_NONE },
    );
    // An OPTIONS answer differs between a preflight (Origin present) and a plain OPTIONS, even under '*'.
    this.notCorsOptions = s.enabled ? freezeDecision({ ...this.notCors, vary: VARY_ORIGIN }) : this.notCors;
  }

  evaluate(request: CorsRequest, context?: CorsContext, routes?: PreflightRoutes<CorsPolicy>): CorsDecision | Promise<CorsDecision> {
    if (routes?.unresolved !== undefined && request.origin !== undefined && request.requestMethod !== undefined && request.method === 'OPTIONS') {
      return this.refuse('preflight', reasons.routeUnresolved(routes.unresolved), request, context);
    }
    const decision = this.decide(request, context);
    if (routes === undefined || request.origin === undefined || request.requestMethod === undefined || request.method !== 'OPTIONS') return decision;
    // The common case, without a closure per preflight: answered at once, one handler for the method.
    const alternatives = routes.alternatives;
    if (!isPromise(decision) && (alternatives === undefined || alternatives.length === 0)) return this.guardSiblings(decision, request, context, routes);
    return this.guardedByRoutes(decision, request, context, routes);
  }

  private guardSiblings(decision: CorsDecision, request: CorsRequest, context: CorsContext, routes: PreflightRoutes<CorsPolicy>): CorsDecision | Promise<CorsDecision> {
    if (decision.kind !== 'preflight' || !decision.allowed) return decision;
    return guardPreflightForSiblings(this, decision, request, context, routes as unknown as PreflightRoutes<SiblingJudge>);
  }

  private guardedByRoutes(decision: CorsDecision | Promise<CorsDecision>, request: CorsRequest, context: CorsContext, routes: PreflightRoutes<CorsPolicy>): CorsDecision | Promise<CorsDecision> {
    const guard = (d: CorsDecision) => this.guardSiblings(d, request, context, routes);
    const guarded = isPromise(decision) ? decision.then(guard) : guard(decision);
    const alternatives = routes.alternatives?.filter((policy) => policy !== this) ?? [];
    if (alternatives.length === 0) return guarded;
    const withAlternatives = (d: CorsDecision): CorsDecision | Promise<CorsDecision> => {
      if (d.kind !== 'preflight' || !d.allowed) return d;
      const others = alternatives.map((policy) => (policy as CompiledCorsPolicy).decide(request, context));
      return others.some(isPromise) ? Promise.all(others).then((settled) => narrowToAlternatives(d, settled)) : narrowToAlternatives(d, others as CorsDecision[]);
    };
    return isPromise(guarded) ? guarded.then(withAlternatives) : withAlternatives(guarded);
  }

  allowsOrigin(origin: string, context: CorsContext): OriginGrant | Promise<OriginGrant> {
    const s = this.settings;
    if (!s.enabled || origin.length > this.maxOriginLength) return OriginGrant.Refused;
    if (s.anyOrigin || s.reflectAnyOrigin) return OriginGrant.AsConfigured;
    const grant = (match: OriginMatch): OriginGrant => {
      if (match === OriginMatch.AllowedAny) return OriginGrant.WithoutCredentials;
      if (match === OriginMatch.Refused || match === OriginMatch.FunctionFailed || match === OriginMatch.FunctionTimedOut) return OriginGrant.Refused;
      return this.opaqueRefusal(match, origin) === undefined ? OriginGrant.AsConfigured : OriginGrant.Refused;
    };
    const match = this.matcher.match(origin, context);
    return typeof match === 'number' ? grant(match) : match.then(grant);
  }

  allowsMethod(method: string): boolean {
    return this.settings.anyMethod || this.methodSet.has(method) || SAFELISTED_METHODS.has(method);
  }

  allowsHeader(name: string): boolean {
    const allowed = this.settings.allowedHeaders;
    if (allowed.mode === 'reflect') return true;
    if (allowed.mode === 'wildcard') return name !== 'authorization' || allowed.authorization;
    return allowed.names.has(name);
  }

  private decide(request: CorsRequest, context?: CorsContext): CorsDecision | Promise<CorsDecision> {
    const origin = request.origin;
    if (origin === undefined) return request.method === 'OPTIONS' ? this.notCorsOptions : this.notCors;
    const kind = classifyCorsRequest(request) as Exclude<CorsRequestKind, 'not-cors'>;
    if (!this.enabled) return this.refuse(kind, reasons.corsDisabled(), request, context);
    if (origin.length > this.maxOriginLength) return this.refuse(kind, reasons.originTooLong(origin.length, this.maxOriginLength), request, context);

    const s = this.settings;
    if (s.anyOrigin) {
      return kind === 'actual' ? this.allowedAnyActual : this.preflight('*', request, context, true);
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
    if (match === OriginMatch.AllowedAny) return kind === 'actual' ? this.allowedAnyByFunction : this.preflight('*', request, context, true);
    const opaque = this.opaqueRefusal(match, origin);
    if (opaque !== undefined) return this.refuse(kind, opaque, request, context);
    if (match === OriginMatch.Allowed || match === OriginMatch.AllowedRegExp || match === OriginMatch.AllowedPattern || match === OriginMatch.AllowedExact) {
      return this.allowOrigin(kind, origin, request, context, match === OriginMatch.AllowedExact);
    }
    if (match === OriginMatch.FunctionFailed) return this.refuse(kind, reasons.originFunctionError(origin), request, context);
    if (match === OriginMatch.FunctionTimedOut) return this.refuse(kind, reasons.originFunctionTimeout(origin, this.settings.originTimeout), request, context);
    return this.refuse(kind, this.originRefusal(origin), request, context);
  }

  /**
   * Origins allowed by a RegExp or an origin function are opaque to the startup checks: an origin function may allow
   * anything it is given, so only a serialised origin goes into Access-Control-Allow-Origin, and under credentials
   * the guard checks them again.
   */
  private opaqueRefusal(match: OriginMatch, origin: string): CorsReason | undefined {
    if (match !== OriginMatch.Allowed && match !== OriginMatch.AllowedRegExp) return undefined;
    if (match === OriginMatch.Allowed && !isSerialisedOrigin(origin)) return reasons.originMalformed(origin);
    return this.credentialsGuard?.refusal(match === OriginMatch.Allowed ? 'function' : 'regexp', origin);
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

  private allowOrigin(kind: CorsRequestKind, origin: string, request: CorsRequest, context: CorsContext, listed = false): CorsDecision {
    if (kind === 'preflight') return this.preflight(origin, request, context, listed);
    const headers: Header[] = [['access-control-allow-origin', origin]];
    for (const header of this.actualTail) headers.push(header);
    return { kind, allowed: true, headers, vary: VARY_ORIGIN };
  }

  /** `memo`: `allowOrigin` is one of a bounded set (a listed origin, or `*`), so its last answer may be kept. */
  private preflight(allowOrigin: string, request: CorsRequest, context: CorsContext, memo = false): CorsDecision {
    const s = this.settings;
    const method = request.requestMethod as string;
    const remembered = memo ? this.preflightMemo.get(allowOrigin) : undefined;
    if (remembered !== undefined && remembered.method === method && remembered.requestHeaders === request.requestHeaders && remembered.privateNetwork === request.requestPrivateNetwork) {
      return remembered.decision;
    }
    // Safelisted methods are never checked against Access-Control-Allow-Methods: such a preflight (sent for a
    // header) is judged by its origin and headers.
    if (!s.anyMethod && !this.methodSet.has(method) && !SAFELISTED_METHODS.has(method)) {
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
    for (const header of allowOrigin === '*' ? this.preflightTailAny : this.preflightTail) headers.push(header);
    if (reflected) headers.push(['access-control-allow-headers', reflected]);
    if (privateNetwork) headers.push(['access-control-allow-private-network', 'true']);
    const vary = this.dependsOnOrigin ? VARY_PREFLIGHT : VARY_PREFLIGHT_ANY_ORIGIN;
    const decision: CorsDecision = { kind: 'preflight', allowed: true, status: s.optionsSuccessStatus, headers, vary };
    if (s.preflightContinue) decision.continue = true;
    if (!memo) return decision;
    // Shared from now on: frozen, like every other decision built once.
    Object.freeze(headers);
    const frozen = freezeDecision(decision);
    this.preflightMemo.set(allowOrigin, { method, requestHeaders: request.requestHeaders, privateNetwork: request.requestPrivateNetwork, decision: frozen });
    return frozen;
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
      headers: !this.settings.debug ? NO_HEADERS : this.policyHeader ? [['polycors-reason', reason.code], this.policyHeader] : [['polycors-reason', reason.code]],
      // Refusals depend on the origin (or on its presence, under '*'); a disabled policy answers the same to all.
      vary: !this.enabled ? VARY_NONE : kind === 'preflight' ? VARY_PREFLIGHT : VARY_ORIGIN,
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

interface PreflightMemo {
  readonly method: string;
  readonly requestHeaders: string | undefined;
  readonly privateNetwork: string | undefined;
  readonly decision: CorsDecision;
}

function headerSafe(character: string): string {
  try {
    return encodeURIComponent(character);
  } catch {
    return '?'; // a lone surrogate
  }
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as Promise<T>)?.then === 'function';
}

function freezeDecision(decision: CorsDecision): CorsDecision {
  return Object.freeze(decision);
}
