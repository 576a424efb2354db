/**
 * The one place that acts: installs polycors in front of the HTTP adapter, compiles the policies at startup and
 * decides every request.
 *
 * Where it runs: Nest 12's adapters take one request hook (`httpAdapter.setOnRequestHook()`) that runs before
 * anything else on both platforms: on Express it is the first middleware (before the body parser, `app.use()`
 * middleware, Nest middleware, routing, guards); on Fastify it is the first `onRequest` hook (before middie,
 * content-type parsing, routing to a handler, guards). It also runs for unknown paths. So a preflight is answered
 * before any guard, interceptor, pipe or handler, and the CORS headers of an actual request are on the response
 * before a guard can throw (401/403, exception filters, 404 and 500 responses keep them).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit, Optional } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost, ModulesContainer, Reflector } from '@nestjs/core';
import {
  type CorsConfigProblem,
  CorsConfigError,
  type CorsDecision,
  type CorsLogger,
  type CorsPolicy,
  type CorsRequest,
  type CorsHeaderConflict,
  type PreflightRoutes,
  appendVary,
  describeHeaderConflict,
  guardResponseHeaders,
} from '@polycors/core';
import { CORS_LOGGER_CONTEXT, CORS_METADATA, CORS_MODULE_OPTIONS, CORS_MODULE_SOURCE } from './cors.constants.js';
import { type CorsEngine, type CorsLayer, type RoutePolicy, compileCorsEngine } from './cors-engine.js';
import type { CorsModuleOptions, CorsRefusalLogLevel } from './cors-options.interface.js';
import { exploreNestRoutes } from './nest-routes.js';
import { createRouteResolver } from './route-resolver.js';
import { type AppliedDecision, type HandlerCheck, CorsHandlerGuard, appliedDecisionOf, mayDispatchElsewhere, recordAppliedDecision } from './handler-check.js';
import { isSameOrigin } from './same-origin.js';
import { findUnroutedCors, unroutedCorsMessage } from './unrouted-cors.js';
import { fastifyCorsProblem, fastifyHooksBeforeNest, hasFastifyCors, hooksBeforeNestMessage, runNestRequestHookFirst } from './other-cors-layers.js';

type Done = (error?: unknown) => void;
/** Sends a preflight answer the platform's way (Express: the Node response; Fastify: the reply). */

interface HttpAdapterLike {
  getType?(): string;
  getInstance?(): any;
  enableCors?: (...args: unknown[]) => unknown;
  setOnRequestHook?: (hook: Function) => void;
  getRouteMatchingOptions?(): { caseSensitive: boolean; ignoreTrailingSlash: boolean };
  onRequestHook?: Function;
  init?: (...args: unknown[]) => unknown;
}

/** Adapters polycors has been installed on: a second CorsModule would add a second set of CORS headers. */
const installed = new WeakSet<object>();

export const ENABLE_CORS_MESSAGE =
  "Nest's own CORS is switched on (app.enableCors() or the `cors` option of NestFactory.create()) beside CorsModule. " +
  'Both would answer CORS requests: preflights would be answered by whichever runs first, and actual responses would ' +
  "carry Access-Control-Allow-Origin twice, which browsers reject (\"The 'Access-Control-Allow-Origin' header contains " +
  "multiple values\"). Remove app.enableCors()/`cors` and move its options into CorsModule.forRoot(...).";

@Injectable()
export class CorsService implements OnModuleInit, OnApplicationBootstrap, HandlerCheck {
  private readonly logger = new Logger(CORS_LOGGER_CONTEXT);
  private engine: CorsEngine | undefined;
  private adapter: HttpAdapterLike | undefined;
  private platform: 'express' | 'fastify' | undefined;
  private readonly startupProblems: CorsConfigProblem[] = [];
  private initialised = false;
  private attachError: Error | undefined;
  private readonly refusalLevel: CorsRefusalLogLevel;
  private readonly conflictsLogged = new Set<string>();

  constructor(
    @Inject(CORS_MODULE_OPTIONS) private readonly options: CorsModuleOptions,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(ModulesContainer) private readonly modules: ModulesContainer,
    @Inject(ApplicationConfig) private readonly config: ApplicationConfig,
    @Inject(Reflector) private readonly reflector: Reflector,
    @Optional() @Inject(CORS_MODULE_SOURCE) private readonly source?: 'CorsModule.forRoot' | 'CorsModule.forRootAsync',
  ) {
    this.refusalLevel = options?.logRefusals ?? 'warn';
    // Under NestFactory.create() the adapter is already there; under @nestjs/testing it arrives with
    // createNestApplication(). Either way before app.init(), which is when `cors: true` and enableCors() apply.
    // Errors are kept for onModuleInit: thrown inside an rxjs subscriber they would escape as uncaught exceptions.
    adapterHost.init$.subscribe(() => {
      try {
        this.attach(adapterHost.httpAdapter as unknown as HttpAdapterLike);
      } catch (error) {
        this.attachError = error as Error;
      }
    });
  }

  /** The compiled policies (undefined before the application is initialised). */
  get compiled(): CorsEngine | undefined {
    return this.engine;
  }

  onModuleInit(): void {
    this.initialised = true;
    if (this.attachError) throw this.attachError;
    const adapter = this.adapter;
    if (adapter && this.platform === undefined) {
      this.startupProblems.push({
        path: 'httpAdapter',
        code: 'option-type',
        message: `@polycors/nestjs supports @nestjs/platform-express and @nestjs/platform-fastify; this application uses '${adapter.getType?.() ?? 'an unknown adapter'}'`,
      });
    }
    if (this.platform === 'express' && hasExpressCorsMiddleware(adapter)) this.startupProblems.push(enableCorsProblem());
    const matching = adapter?.getRouteMatchingOptions?.() ?? { caseSensitive: this.platform === 'fastify', ignoreTrailingSlash: this.platform !== 'fastify' };
    // Nest's Logger already names the context (`[polycors]`): core's own `polycors: ` prefix would say it twice.
    const nestLogger: CorsLogger = {
      warn: (message) => this.logger.warn(withoutPrefix(message)),
      error: (message, error) => this.logger.error(withoutPrefix(message), error instanceof Error ? error.stack : undefined),
    };
    const routes = exploreNestRoutes(this.modules, this.config, { convertLegacyPaths: this.platform !== 'fastify' });
    this.engine = compileCorsEngine({
      global: this.options,
      routes,
      layersOf: (route) => ({
        controller: this.reflector.get<CorsLayer>(CORS_METADATA, route.controller as never),
        handler: this.reflector.get<CorsLayer>(CORS_METADATA, route.handler as never),
      }),
      caseSensitive: matching.caseSensitive,
      ignoreTrailingSlash: matching.ignoreTrailingSlash,
      // Express runs the first registered route that matches (unless Nest sorts routes by specificity);
      // Fastify's router picks the most specific one.
      priority: this.platform === 'express' && this.config.getRouteResolutionStrategy?.() !== 'specificity' ? 'registration' : 'specificity',
      // Routes are resolved by the platform's own router, so the policy is that of the handler it dispatches to.
      resolver: adapter && this.platform ? createRouteResolver<RoutePolicy>(this.platform, adapter) : undefined,
      logger: nestLogger,
      problems: this.startupProblems,
      source: this.source,
    });
    for (const unrouted of findUnroutedCors(this.modules, routes)) this.logger.warn(unroutedCorsMessage(unrouted));
  }

  onApplicationBootstrap(): void {
    // `app.use(cors())` or enableCors() between the module init hooks and now.
    if (this.platform === 'express' && hasExpressCorsMiddleware(this.adapter)) throw new CorsConfigError([enableCorsProblem()]);
    // `app.register(fastifyCors)` before app.init() is loaded by now; a later one is caught by the onReady hook.
    if (this.platform === 'fastify' && hasFastifyCors(this.adapter?.getInstance?.())) throw new CorsConfigError([fastifyCorsProblem()]);
  }

  /**
   * The handler check (handler-check.ts) can only change a decision where the router may pass a request over a
   * route that matches it for another one: several handlers on one method and path, header or media-type
   * versioning, host-bound controllers. Without any, the route polycors resolved is the handler Nest runs, and the
   * guard, which makes Nest run its guard pipeline (two async functions) on every request, is left out.
   * Only on Fastify: it routes before the request hook and nothing after the hook can change the route. On Express
   * a middleware after polycors may rewrite `req.url` to another route, which only the guard sees.
   */
  private dropHandlerGuardIfUnneeded(): void {
    if (this.platform !== 'fastify') return;
    if (mayDispatchElsewhere(exploreNestRoutes(this.modules, this.config, { convertLegacyPaths: this.platform !== 'fastify' }), this.config)) return;
    const guards = this.config.getGlobalGuards();
    const index = guards.findIndex((guard) => guard instanceof CorsHandlerGuard);
    if (index !== -1) guards.splice(index, 1);
  }

  /** Startup checks that need every Fastify plugin loaded: they run when Fastify is ready (listen, ready, inject). */
  private checkFastifyWhenReady(instance: any): void {
    const logger = this.logger;
    try {
      instance?.addHook?.('onReady', function (this: unknown, done: Done) {
        if (hasFastifyCors(this as object)) return done(new CorsConfigError([fastifyCorsProblem()]));
        const before = fastifyHooksBeforeNest(this as object);
        if (before.length > 0) logger.warn(hooksBeforeNestMessage(before));
        done();
      });
    } catch {
      // Already started: nothing more can be registered, and onApplicationBootstrap has checked.
    }
  }

  private attach(adapter: HttpAdapterLike | undefined): void {
    if (!adapter || this.adapter === adapter) return;
    this.adapter = adapter;
    const type = adapter.getType?.();
    this.platform = type === 'express' || type === 'fastify' ? type : undefined;
    if (this.platform === undefined || typeof adapter.setOnRequestHook !== 'function') return;
    if (installed.has(adapter)) {
      throw new Error('CorsModule is installed twice in this application (forRoot/forRootAsync imported with different options); import it once, in the root module: it is global.');
    }
    installed.add(adapter);

    // Nest's own CORS beside CorsModule is a startup error; calls after startup throw at once.
    adapter.enableCors = () => {
      if (this.initialised) throw new CorsConfigError([enableCorsProblem()]);
      this.startupProblems.push(enableCorsProblem());
    };

    // One hook slot: run a hook set earlier (instrumentation) after ours, and chain ones set later too.
    const setHook = adapter.setOnRequestHook.bind(adapter);
    let next: Function | undefined = typeof adapter.onRequestHook === 'function' ? adapter.onRequestHook : undefined;
    const chained = (req: unknown, res: unknown, done: Done) => (next ? next.call(adapter, req, res, done) : done());
    // Without a chained hook (the usual case) `done` is passed on as is: no closure per request.
    const hook = this.platform === 'express'
      ? (req: IncomingMessage, res: ServerResponse, done: Done) =>
          this.handle(req, res, undefined, undefined, next === undefined ? done : (error) => (error ? done(error) : chained(req, res, done)))
      : (request: FastifyRequestLike, reply: FastifyReplyLike, done: Done) =>
          this.handle(request.raw, reply.raw, reply, request, next === undefined ? done : (error) => (error ? done(error) : chained(request, reply, done)));
    setHook(hook);
    adapter.setOnRequestHook = (later: Function) => {
      next = later;
    };
    // Nest reads the global guards when it registers the routes, just after the adapter's init().
    const init = adapter.init;
    if (typeof init === 'function') {
      adapter.init = (...args: unknown[]) => {
        this.dropHandlerGuardIfUnneeded();
        return init.apply(adapter, args);
      };
    }
    // A pre-built Express app may already have middleware (auth): polycors goes before it. Fastify cannot reorder
    // hooks, so those are named at startup instead (other-cors-layers.ts).
    if (this.platform === 'express') runNestRequestHookFirst(adapter.getInstance?.());
    else this.checkFastifyWhenReady(adapter.getInstance?.());
  }

  /**
   * Decides one request. Allowed preflights are answered here; everything else continues with CORS headers set.
   * `reply` and `routed` are Fastify's (preflights are answered through the reply; the request was already routed),
   * undefined on Express.
   */
  private handle(req: IncomingMessage, res: ServerResponse, reply: FastifyReplyLike | undefined, routed: unknown, next: Done): void {
    const engine = this.engine;
    if (engine === undefined) return next();
    const headers = req.headers;
    const origin = headers.origin;
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    let route: RoutePolicy;
    let request: CorsRequest;
    let routes: PreflightRoutes<CorsPolicy> | undefined;
    const requestMethod = headers['access-control-request-method'];
    if (method === 'OPTIONS' && origin !== undefined && typeof requestMethod === 'string') {
      route = engine.forPreflight(path, requestMethod);
      routes = engine.preflightRoutes(path, requestMethod);
      request = {
        method,
        origin,
        requestMethod,
        requestHeaders: headerValue(headers['access-control-request-headers']),
        requestPrivateNetwork: headerValue(headers['access-control-request-private-network']),
      };
    } else {
      route = engine.forRequest(path, method, routed);
      request = { method, origin };
    }
    let decision: CorsDecision | Promise<CorsDecision>;
    try {
      decision = route.policy.evaluate(request, req, routes);
    } catch (error) {
      return next(error);
    }
    if (isPromise(decision)) {
      decision.then((settled) => this.apply(settled, route, request, path, res, reply, next), next);
    } else {
      this.apply(decision, route, request, path, res, reply, next);
    }
  }

  private apply(decision: CorsDecision, route: RoutePolicy, request: CorsRequest, path: string, res: ServerResponse, reply: FastifyReplyLike | undefined, next: Done): void {
    if (decision.vary.length > 0) res.setHeader('Vary', appendVary(res.getHeader('Vary'), decision.vary));
    if (!decision.allowed && decision.reason && this.refusalLevel !== false) this.logRefusal(decision, route, request, path, res.req);
    if (decision.kind === 'preflight' && !decision.continue) {
      const status = decision.status ?? 204;
      return reply ? answerOnFastify(reply, status, decision.headers) : answerOnExpress(res, status, decision.headers);
    }
    // On the Node response, also on Fastify: Nest middleware (raw req/res) and later hooks read them there.
    for (let i = 0; i < decision.headers.length; i++) res.setHeader(decision.headers[i][0], decision.headers[i][1]);
    // Whatever the handler sets later, the response leaves with this decision's CORS headers and Vary (core's
    // response guard). The record is what the guard checks once Nest has picked the handler (handler-check.ts).
    this.guard(res, { route, request, decision });
    next();
  }

  /** Keeps `applied` on the response until its headers are sent, logging what the application set against it. */
  private guard(res: ServerResponse, applied: AppliedDecision): void {
    recordAppliedDecision(res, applied);
    guardResponseHeaders(res, applied.decision, (conflict) => this.logConflict(applied.route, conflict));
  }

  /** handler-check.ts: decides again with the policy of the handler Nest dispatched to, when another one was applied. */
  checkDispatched(handler: Function, req: unknown, res: unknown): void | Promise<void> {
    const rawRes = ((res as { raw?: ServerResponse })?.raw ?? res) as ServerResponse;
    const rawReq = ((req as { raw?: IncomingMessage })?.raw ?? req) as IncomingMessage;
    const applied = appliedDecisionOf(rawRes);
    if (applied === undefined || applied.decision.kind !== 'actual') return;
    const own = this.engine?.policiesOf(handler);
    if (own === undefined || own.includes(applied.route)) return;
    const route = own[0];
    let decision: CorsDecision | Promise<CorsDecision>;
    try {
      decision = route.policy.evaluate(applied.request, rawReq);
    } catch {
      decision = { ...applied.decision, allowed: false, headers: [] };
    }
    const replace = (settled: CorsDecision) => {
      if (rawRes.headersSent) return;
      for (const [name] of applied.decision.headers) rawRes.removeHeader(name);
      for (const [name, value] of settled.headers) rawRes.setHeader(name, value);
      if (settled.vary.length > 0) rawRes.setHeader('Vary', appendVary(rawRes.getHeader('Vary'), settled.vary));
      this.guard(rawRes, { route, request: applied.request, decision: settled });
      if (!settled.allowed && settled.reason) this.logRefusal(settled, route, applied.request, (rawReq.url ?? '/').split('?')[0], rawReq);
    };
    if (!isPromise(decision)) return replace(decision);
    // A failing origin function refuses (core logs why), as it would before routing.
    return decision.then(replace, () => replace({ ...applied.decision, allowed: false, headers: [] }));
  }

  /** Once per route and header: the application set a header polycors owns, and polycors kept its own value. */
  private logConflict(route: RoutePolicy, conflict: CorsHeaderConflict): void {
    const key = `${route.where}\u0000${conflict.header}`;
    if (this.conflictsLogged.has(key)) return;
    this.conflictsLogged.add(key);
    this.logger.warn(withoutPrefix(describeHeaderConflict(route.where, conflict)));
  }

  private logRefusal(decision: CorsDecision, route: RoutePolicy, request: CorsRequest, path: string, req: IncomingMessage | undefined): void {
    if (this.refusalLevel === false || nestLoggingOff()) return;
    // Not refusals worth a warning: an actual request to a route with CORS off (mostly the app's own pages), and a
    // same-origin request (its response needs no CORS headers). Still there at debug level. A preflight is a
    // cross-origin page about to fail, so it is logged as configured.
    const quiet = decision.kind === 'actual' && (decision.reason?.code === 'cors-disabled' || isSameOrigin(request.origin, req));
    const level = quiet ? 'debug' : this.refusalLevel;
    const asked = decision.kind === 'preflight' ? ` for ${request.requestMethod}` : '';
    const shownPath = path.length > 200 ? `${path.slice(0, 200)}...` : path;
    const reason = decision.reason!;
    this.logger[level](`refused ${decision.kind} ${request.method} ${shownPath}${asked} -> ${route.where}: ${reason.code}: ${reason.message}`);
  }
}

interface FastifyRequestLike {
  raw: IncomingMessage;
}
interface FastifyReplyLike {
  raw: ServerResponse;
  code(status: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  send(payload?: unknown): FastifyReplyLike;
}

function answerOnExpress(res: ServerResponse, status: number, headers: CorsDecision['headers']): void {
  res.statusCode = status;
  for (const [name, value] of headers) res.setHeader(name, value);
  // An empty body: said with Content-Length: 0 (else Node sends it chunked), except on a 204, which RFC 9110 (8.6)
  // forbids to carry Content-Length (Node sends a 204 without either).
  if (status !== 204) res.setHeader('Content-Length', '0');
  res.end();
}

function answerOnFastify(reply: FastifyReplyLike, status: number, headers: CorsDecision['headers']): void {
  reply.code(status);
  for (const [name, value] of headers) reply.header(name, value);
  reply.send();
}

/** `logger: false`: Nest's Logger prints (and buffers) nothing, so a refusal's message need not be built. */
function nestLoggingOff(): boolean {
  const statics = Logger as unknown as { staticInstanceRef?: unknown; isBufferAttached?: boolean };
  return statics.staticInstanceRef === undefined && statics.isBufferAttached !== true;
}

/** Core's messages start with `polycors: ` for loggers that do not name their source. */
function withoutPrefix(message: string): string {
  return message.startsWith('polycors: ') ? message.slice('polycors: '.length) : message;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as Promise<T>)?.then === 'function';
}

function enableCorsProblem(): CorsConfigProblem {
  return { path: 'app.enableCors', code: 'enable-cors-duplicate', message: ENABLE_CORS_MESSAGE };
}

/** The `cors` package's middleware (what Express' enableCors() installs, or `app.use(cors())`). */
function hasExpressCorsMiddleware(adapter: HttpAdapterLike | undefined): boolean {
  const stack = adapter?.getInstance?.()?.router?.stack;
  return Array.isArray(stack) && stack.some((layer: { name?: string }) => layer?.name === 'corsMiddleware');
}
