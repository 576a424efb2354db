/**
 * The Fastify glue: collect routes, compile their policies at startup, answer preflights in `onRequest` (before any
 * hook registered after polycors, any route-level hook and any handler), set actual-request headers before handlers
 * and auth hooks run, and guard the decision on the raw response until its headers go out (polycors' CORS headers, one
 * Access-Control-Allow-Origin, Vary merged with the app's, also on hijacked replies).
 */
import { CorsConfigError, appendVary, describeHeaderConflict, guardResponseHeaders } from '@polycors/core';
import type { CorsDecision, CorsHeaderConflict, CorsLogger, CorsPolicy, CorsRequest, PreflightRoutes } from '@polycors/core';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, LogLevel } from 'fastify';
import fp from 'fastify-plugin';
import { ADAPTER_DEFAULTS, VALID_HOOKS } from './options.js';
import type { AdapterSettings, CorsOptionsDelegate, PolycorsHook, PolycorsOptions } from './options.js';
import { OriginTranslator } from './origin.js';
import { DelegatedPolicies } from './delegated-policies.js';
import { type CompiledRoutePolicy, PolicySet } from './policies.js';
import { type RouteEntry, RouteRegistry, type UrlRoutes, kCatchAll, kRouteCors } from './route-registry.js';
import { findUnseenRoutes, parsePrintedRoutes } from './unseen-routes.js';
import { routeConfigReader } from './route-config.js';
import { isSilentLogMethod } from './silent-log.js';

type Done = HookHandlerDoneFunction;
/** Names the plugin's own policy (paths no route serves) in conflict warnings. */
const PLUGIN_POLICY = 'paths no route serves';
type RouteConfig = { [kRouteCors]?: RouteEntry; [kCatchAll]?: true } | undefined;

function polycorsPlugin(fastify: FastifyInstance, rawOptions: PolycorsOptions | CorsOptionsDelegate, done: (error?: Error) => void): void {
  let options: PolycorsOptions;
  try {
    options = typeof rawOptions === 'function' ? { delegator: rawOptions } : { ...(rawOptions ?? {}) };
    // Fastify hands plugins their options with its own keys removed; nothing else to strip.
  } catch (error) {
    done(error as Error);
    return;
  }
  let settings: AdapterSettings;
  let policies: PolicySet | undefined;
  const origins = new OriginTranslator(fastify);
  const defaultLogger = fastifyLogger(fastify);
  const { delegator, ...staticOptions } = options;
  try {
    settings = readAdapterSettings(options);
    // With a delegator the plugin's own options are the defaults its answers are laid over.
    // Then an origin is not required here: each answer brings its own.
    const base = delegator && staticOptions.origin === undefined ? { ...staticOptions, origin: false as const } : staticOptions;
    policies = new PolicySet(base, origins, defaultLogger, 'the plugin options');
  } catch (error) {
    done(error as Error);
    return;
  }
  const staticPolicies = policies;
  const delegated = new DelegatedPolicies<PolicySet>();
  const registry = new RouteRegistry(fastify);
  const continued = new WeakSet<FastifyRequest>();
  const routeConfig = routeConfigReader();
  const configLogger = options.logger === false ? undefined : (options.logger ?? defaultLogger);
  const conflictsSeen = new Set<string>();
  /** A CORS header the app set differently from polycors' decision: logged once per route and header. */
  const reportConflict = (where: string, conflict: CorsHeaderConflict) => {
    const key = `${where}|${conflict.header}`;
    if (conflictsSeen.has(key)) return;
    conflictsSeen.add(key);
    configLogger?.warn(describeHeaderConflict(where, conflict));
  };
  const reportPluginConflict = (conflict: CorsHeaderConflict) => reportConflict(PLUGIN_POLICY, conflict);
  /** Each route's conflict reporter, made once (not one closure per request). */
  const conflictReporter = (entry: RouteEntry | undefined): ((conflict: CorsHeaderConflict) => void) => {
    if (entry === undefined) return reportPluginConflict;
    return (entry.reportConflict ??= (conflict) => reportConflict(entry.where, conflict));
  };
  /** Writes a decision on the reply, and guards it on the raw response until the headers go out. */
  const writeDecision = (reply: FastifyReply, decision: CorsDecision, entry: RouteEntry | undefined) => {
    setDecisionHeaders(reply, decision);
    guardResponseHeaders(reply.raw, decision, conflictReporter(entry));
  };

  const catchAllPaths = new Set<string>();
  fastify.addHook('onRoute', (route) => {
    const config = route.config as RouteConfig;
    if (config?.[kCatchAll]) {
      catchAllPaths.add(route.url.toLowerCase());
      return;
    }
    const entry = registry.add(route);
    route.config = { ...(route.config as object), [kRouteCors]: entry } as typeof route.config;
  });

  fastify.addHook('onReady', (ready) => {
    try {
      registry.seal();
      staticPolicies.compileAll(registry.entries);
      checkUnseenRoutes();
      ready();
    } catch (error) {
      ready(error as Error);
    }
  });

  /**
   * Routes polycors' onRoute hook never saw (registered before it): their preflights are judged by the plugin's
   * policy, not their own. An error in strict mode, naming each route and the fix; warnings with strict: false.
   */
  let unseenChecked = false;
  const checkUnseenRoutes = () => {
    let printed: string;
    try {
      printed = fastify.printRoutes({ commonPrefix: false });
    } catch {
      return; // a route config printRoutes cannot serialise: the per-request warning below still names late routes
    }
    unseenChecked = true;
    const unseen = findUnseenRoutes(parsePrintedRoutes(printed), parsePrintedRoutes(registry.printRoutes()), fastify.prefix ?? '', catchAllPaths);
    if (unseen.length === 0) return;
    const problems = unseen.map(({ path, methods }) => ({
      path: `route ${methods.join(',')} ${path}`,
      code: 'route-registered-before-cors' as const,
      message: "was registered before polycors, which never saw it: its preflights are judged by the plugin's policy, not by its own config.cors or the methods it serves. Register polycors first, with await (`await fastify.register(polycors, options)`), before this route and before any plugin that adds it",
    }));
    if (options.strict !== false) throw new CorsConfigError(problems, 'the routes');
    for (const problem of problems) configLogger?.warn(`polycors: ${problem.path}: ${problem.message} [${problem.code}]`);
  };

  /** The policy set for this request: the plugin's, or the delegator's answer, compiled once per distinct content. */
  const withPolicies = (request: FastifyRequest, use: (set: PolicySet) => void, fail: (error: Error) => void): void => {
    if (!delegator) return use(staticPolicies);
    const accept = (answer: PolycorsOptions | undefined) => {
      if (typeof answer !== 'object' || answer === null) throw new TypeError('polycors: the delegator must answer with an options object');
      use(delegated.get(answer, () => new PolicySet({ ...staticOptions, ...answer }, origins, defaultLogger, 'the options from the delegator')));
    };
    const settle = (error: Error | null, answer?: PolycorsOptions) => {
      if (error) return fail(error);
      try {
        accept(answer);
      } catch (failure) {
        fail(failure as Error);
      }
    };
    try {
      if (delegator.length >= 2) {
        (delegator as (r: FastifyRequest, cb: (e: Error | null, o?: PolycorsOptions) => void) => void)(request, settle);
        return;
      }
      const answer = (delegator as (r: FastifyRequest) => Promise<PolycorsOptions> | PolycorsOptions)(request);
      if (answer && typeof (answer as Promise<PolycorsOptions>).then === 'function') {
        (answer as Promise<PolycorsOptions>).then((value) => settle(null, value), (error: unknown) => fail(toError(error)));
      } else settle(null, answer as PolycorsOptions);
    } catch (error) {
      fail(toError(error));
    }
  };

  /**
   * A route registered before polycors' onRoute hook ran (`fastify.register(polycors)` without `await`, then
   * `fastify.get(...)`): its actual requests still get its own policy, compiled on first use; its preflights can only
   * be judged by the plugin's policy, so say so once.
   */
  const late = new WeakMap<object, RouteEntry>();
  const lateEntry = (request: FastifyRequest): RouteEntry => {
    const config = request.routeOptions.config as unknown as { url?: string; method?: string | string[]; cors?: unknown };
    let entry = late.get(config);
    if (!entry) {
      const methods = (Array.isArray(config.method) ? config.method : [config.method ?? request.raw.method ?? 'GET']).map(String);
      const url = config.url ?? request.routeOptions.url ?? '/';
      entry = { where: `route ${methods.join(',')} ${url}`, url, methods, cors: config.cors };
      late.set(config, entry);
      if (!unseenChecked) fastify.log.warn(`polycors: ${entry.where} was registered before polycors (register it first, with await: \`await fastify.register(polycors, options)\`); its preflights are judged by the plugin's policy, not its own`);
    }
    return entry;
  };

  const logRefusal = (request: FastifyRequest, decision: CorsDecision, origin: string) => {
    const level = settings.refusalLogLevel;
    if (level === false || !decision.reason) return;
    const log = request.log as unknown as Record<LogLevel, (object: unknown, message: string) => void>;
    if (isSilentLogMethod(log[level])) return; // logger: false, or a level pino has turned off
    log[level]?.({ cors: { kind: decision.kind, code: decision.reason.code, origin: origin.slice(0, 200) } }, `CORS ${decision.kind} refused [${decision.reason.code}]: ${decision.reason.message}`);
  };

  const answerPreflight = (request: FastifyRequest, reply: FastifyReply, decision: CorsDecision, compiled: CompiledRoutePolicy, entry: RouteEntry | undefined, origin: string, next: Done) => {
    writeDecision(reply, decision, entry);
    if (!decision.allowed) {
      logRefusal(request, decision, origin);
      reply.code(decision.status ?? 403).header('content-length', '0').send();
      return;
    }
    if (decision.continue) {
      continued.add(request);
      next();
      return;
    }
    if (compiled.cacheControl && decision.reusable !== false) reply.header('cache-control', compiled.cacheControl);
    // Safari waits for a body on a 204 without Content-Length.
    reply.code(decision.status ?? 204).header('content-length', '0').send();
  };

  const handlePreflight = (request: FastifyRequest, reply: FastifyReply, next: Done, origin: string, requestMethod: string) => {
    // Without a delegator, no closure per request: the plugin's policies are the only ones.
    if (!delegator) return preflightWith(staticPolicies, request, reply, next, origin, requestMethod);
    withPolicies(request, (set) => preflightWith(set, request, reply, next, origin, requestMethod), next);
  };

  const preflightWith = (set: PolicySet, request: FastifyRequest, reply: FastifyReply, next: Done, origin: string, requestMethod: string) => {
    const raw = request.raw as unknown as { headers: Record<string, unknown> };
    const routes = registry.routesAt(request.url, raw);
    const entry = registry.findIn(routes, requestMethod, request.url, raw);
    const compiled = set.forRoute(entry);
    const headers = request.headers;
    const corsRequest: CorsRequest = {
      method: 'OPTIONS',
      origin,
      requestMethod,
      requestHeaders: asString(headers['access-control-request-headers']),
      requestPrivateNetwork: asString(headers['access-control-request-private-network']),
    };
    const decision = compiled.policy.evaluate(corsRequest, request, preflightRoutes(set, routes, set === staticPolicies));
    if (isPromise(decision)) decision.then((d) => answerPreflight(request, reply, d, compiled, entry, origin, next), (error: unknown) => next(toError(error)));
    else answerPreflight(request, reply, decision, compiled, entry, origin, next);
  };

  /** Actual (and not-CORS) requests: headers and Vary from the matched route's policy, then on to the app. */
  const handleActual = (request: FastifyRequest, reply: FastifyReply, next: (error?: Error) => void) => {
    if (!delegator) return actualWith(staticPolicies, request, reply, next);
    withPolicies(request, (set) => actualWith(set, request, reply, next), next);
  };

  const actualWith = (set: PolicySet, request: FastifyRequest, reply: FastifyReply, next: (error?: Error) => void) => {
    const config = routeConfig(request) as RouteConfig;
    const entry = config?.[kRouteCors] ?? (config && !config[kCatchAll] && !request.is404 ? lateEntry(request) : undefined);
    const compiled = set.forRoute(entry);
    const policy = compiled.policy;
    // cors: false: no CORS headers, no Vary, origin functions not called.
    if (!policy.enabled) return next();
    const origin = request.headers.origin;
    const decision = policy.evaluate({ method: request.raw.method ?? 'GET', origin }, request);
    if (isPromise(decision)) decision.then((d) => applyActual(request, reply, d, entry, origin, next), (error: unknown) => next(toError(error)));
    else applyActual(request, reply, decision, entry, origin, next);
  };

  const applyActual = (request: FastifyRequest, reply: FastifyReply, decision: CorsDecision, entry: RouteEntry | undefined, origin: string | undefined, next: (error?: Error) => void) => {
    writeDecision(reply, decision, entry);
    if (!decision.allowed) logRefusal(request, decision, origin ?? '');
    next();
  };

  const hook = settings.hook;
  fastify.addHook('onRequest', (request, reply, next) => {
    if (settings.preflight && request.raw.method === 'OPTIONS') {
      const origin = request.headers.origin;
      const requestMethod = request.headers['access-control-request-method'];
      if (origin !== undefined && requestMethod !== undefined) {
        handlePreflight(request, reply, next, origin, asString(requestMethod) as string);
        return;
      }
    }
    if (hook === 'onRequest') handleActual(request, reply, next);
    else next();
  });
  if (hook === 'preParsing' || hook === 'preSerialization') {
    fastify.addHook(hook as 'preParsing', (request, reply, payload, next) => {
      handleActual(request, reply, (error) => (error ? next(error) : next(null, payload)));
    });
  } else if (hook !== 'onRequest') {
    fastify.addHook(hook as 'preHandler', (request, reply, next) => handleActual(request, reply, next));
  }

  if (settings.preflight) {
    // Lets Fastify route preflights for paths without an OPTIONS route to a route whose hooks include polycors'
    // (also inside a prefixed plugin), and gives `logLevel` and `hideOptionsRoute` their @fastify/cors meaning.
    fastify.options(
      '*',
      { schema: { hide: settings.hideOptionsRoute } as Record<string, unknown>, logLevel: settings.logLevel, config: { [kCatchAll]: true } as Record<string, unknown> },
      (request, reply) => {
        if (continued.has(request)) return reply.send(); // preflightContinue without an OPTIONS route of the app
        // origin: false turns the plugin off: OPTIONS requests get the app's usual 404.
        if (!delegator && !staticPolicies.fallback.policy.enabled) return reply.callNotFound();
        if (settings.strictPreflight) return reply.code(400).type('text/plain').send('Invalid Preflight Request');
        return reply.callNotFound();
      },
    );
  }
  done();
}

export function readAdapterSettings(options: PolycorsOptions): AdapterSettings {
  const problems: { path: string; code: 'option-type'; message: string }[] = [];
  const hook = options.hook ?? ADAPTER_DEFAULTS.hook;
  if (!VALID_HOOKS.includes(hook as PolycorsHook)) {
    problems.push({ path: 'hook', code: 'option-type', message: `hook must be one of ${VALID_HOOKS.join(', ')}, got ${String(hook)}` });
  }
  if (options.delegator !== undefined && typeof options.delegator !== 'function') {
    problems.push({ path: 'delegator', code: 'option-type', message: 'delegator must be a function (request, callback) or (request) => options | Promise<options>' });
  }
  for (const key of ['preflight', 'strictPreflight', 'hideOptionsRoute'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'boolean') {
      problems.push({ path: key, code: 'option-type', message: `${key} must be true or false, got ${typeof options[key]}` });
    }
  }
  if (problems.length > 0) throw new CorsConfigError(problems, 'the plugin options');
  return {
    hook,
    delegator: options.delegator,
    preflight: options.preflight ?? ADAPTER_DEFAULTS.preflight,
    strictPreflight: options.strictPreflight ?? ADAPTER_DEFAULTS.strictPreflight,
    hideOptionsRoute: options.hideOptionsRoute ?? ADAPTER_DEFAULTS.hideOptionsRoute,
    logLevel: options.logLevel,
    refusalLogLevel: options.refusalLogLevel ?? ADAPTER_DEFAULTS.refusalLogLevel,
  };
}

/**
 * The policy of every route at the preflight's URL, by method: core keeps the answer within what each allows.
 * `keep`: `set` is the plugin's own (not a delegator's), so the answer is kept with the URL's routes.
 */
function preflightRoutes(set: PolicySet, at: UrlRoutes, keep: boolean): PreflightRoutes<CorsPolicy> {
  if (keep && at.derived !== undefined) return at.derived as PreflightRoutes<CorsPolicy>;
  const routes: [string, CorsPolicy][] = [];
  for (const [method, entry] of at.served) routes.push([method, set.forRoute(entry).policy]);
  // Requests no route serves get Fastify's 404: no handler a cached answer could let them reach.
  const answer: PreflightRoutes<CorsPolicy> = { served: routes, fallback: undefined };
  if (keep) at.derived = answer;
  return answer;
}

/** Writes a decision's headers on the reply (where hooks and handlers see them) and merges its Vary tokens. */
function setDecisionHeaders(reply: FastifyReply, decision: CorsDecision): void {
  const headers = decision.headers;
  for (let i = 0; i < headers.length; i++) reply.header(headers[i][0], headers[i][1]);
  if (decision.vary.length > 0) {
    const existing = reply.getHeader('vary');
    const value = appendVary(existing as string | string[] | number | undefined, decision.vary);
    if (value !== existing) reply.header('vary', value);
  }
}

function fastifyLogger(fastify: FastifyInstance): CorsLogger {
  return {
    warn: (message) => fastify.log.warn(message),
    error: (message, error) => fastify.log.error({ err: error }, message),
  };
}

function asString(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as Promise<T>)?.then === 'function';
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** `fastify.register(polycors, options)`: register it before your routes, auth hooks and other plugins. */
export const polycors = fp(polycorsPlugin, { fastify: '5.x', name: '@polycors/fastify' });
