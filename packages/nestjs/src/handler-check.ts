/**
 * The second look at an actual request, once Nest knows the handler: polycors decides a request before routing
 * (so that 401s and 404s carry CORS headers), from the route the platform's router resolves. Where several handlers
 * share one method and path and the router tells them apart by something else (header or media-type versioning,
 * `@Controller({ host })`, Fastify route constraints), that route may not be the handler Nest runs. This check
 * sees the handler Nest dispatched to; when the policy applied is not that handler's, the decision is made again
 * with the handler's policy and the response's CORS headers replaced, so a request never gets a wider policy than the
 * handler it reaches.
 *
 * It is a global guard that always lets the request through (a guard is the earliest point at which Nest knows the
 * handler, and, unlike an interceptor, costs no Observable per request). A global guard registered before CorsModule's
 * that throws answers with the first decision.
 */
import type { ServerResponse } from 'node:http';
import { type CanActivate, type ExecutionContext, Inject, Injectable, VersioningType } from '@nestjs/common';
import { HOST_METADATA } from '@nestjs/common/constants.js';
import type { ApplicationConfig } from '@nestjs/core';
import type { CorsDecision, CorsRequest } from '@polycors/core';
import type { RoutePolicy } from './cors-engine.js';
import type { NestRoute } from './nest-routes.js';

/** What polycors decided for a request before routing (kept with the response until its headers are sent). */
export interface AppliedDecision {
  route: RoutePolicy;
  request: CorsRequest;
  decision: CorsDecision;
}

const kApplied = Symbol('polycors.nestjs.applied-decision');
type WithApplied = ServerResponse & { [kApplied]?: AppliedDecision };

export function recordAppliedDecision(res: ServerResponse, applied: AppliedDecision): void {
  (res as WithApplied)[kApplied] = applied;
}

/** The decision applied to `res`, while its headers can still change. */
export function appliedDecisionOf(res: ServerResponse): AppliedDecision | undefined {
  return res.headersSent ? undefined : (res as WithApplied)[kApplied];
}

/** The part of CorsService the guard calls (a token, so this file does not import the service). */
export const CORS_HANDLER_CHECK = Symbol.for('polycors.nestjs.handler-check');

export interface HandlerCheck {
  /** Re-decides `req` when the policy applied is not one of `handler`'s; a Promise when an origin function is async. */
  checkDispatched(handler: Function, req: unknown, res: unknown): void | Promise<void>;
}

@Injectable()
export class CorsHandlerGuard implements CanActivate {
  constructor(@Inject(CORS_HANDLER_CHECK) private readonly check: HandlerCheck) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    const pending = this.check.checkDispatched(context.getHandler(), http.getRequest(), http.getResponse());
    return pending === undefined ? true : pending.then(() => true);
  }
}

/**
 * Whether the router may dispatch a request to another handler than the route it matches first: several handlers
 * on one method and path (told apart by constraints), versioning by header, media type or a custom extractor, or
 * a host-bound controller. Only then can the handler check change a decision.
 */
export function mayDispatchElsewhere(routes: readonly NestRoute[], config: ApplicationConfig): boolean {
  const versioning = config.getVersioning();
  if (versioning !== undefined && versioning.type !== VersioningType.URI) return true;
  const handlers = new Map<string, Function>();
  for (const route of routes) {
    if (Reflect.getMetadata(HOST_METADATA, route.controller) !== undefined) return true;
    const key = `${route.method} ${route.path.toLowerCase()}`;
    const known = handlers.get(key);
    if (known !== undefined && known !== route.handler) return true;
    handlers.set(key, route.handler);
  }
  return false;
}
