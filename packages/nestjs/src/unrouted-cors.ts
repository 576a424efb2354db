/**
 * `@Cors()` where no HTTP route reads it: on a GraphQL resolver, a gateway, a microservice handler, any provider, or
 * on a controller method with no HTTP method decorator. polycors judges HTTP requests by the route Nest's router
 * serves them from, so such a policy never applies; its requests (POST /graphql, say) get the global policy. Found
 * at startup, from what Nest registered (every module's controllers and providers) against the routes it serves.
 */
import type { ModulesContainer } from '@nestjs/core';
import { MetadataScanner } from '@nestjs/core';
import { CORS_METADATA } from './cors.constants.js';
import type { NestRoute } from './nest-routes.js';

/** `TodosResolver` or `TodosResolver.create`, with what it is. */
export interface UnroutedCors {
  where: string;
  kind: 'controller' | 'provider';
}

export function findUnroutedCors(modules: ModulesContainer, routes: readonly NestRoute[]): UnroutedCors[] {
  const routedHandlers = new Set(routes.map((route) => route.handler));
  const routedControllers = new Set(routes.map((route) => route.controller));
  const scanner = new MetadataScanner();
  const seen = new Set<Function>();
  const found: UnroutedCors[] = [];
  const inspect = (metatype: unknown, kind: UnroutedCors['kind']) => {
    if (typeof metatype !== 'function' || !metatype.prototype || seen.has(metatype)) return;
    seen.add(metatype);
    if (Reflect.getMetadata(CORS_METADATA, metatype) !== undefined && !routedControllers.has(metatype)) found.push({ where: metatype.name, kind });
    for (const name of scanner.getAllMethodNames(metatype.prototype)) {
      const method = metatype.prototype[name] as unknown;
      if (typeof method !== 'function' || routedHandlers.has(method)) continue;
      if (Reflect.getMetadata(CORS_METADATA, method) !== undefined) found.push({ where: `${metatype.name}.${name}`, kind });
    }
  };
  for (const module of modules.values()) {
    for (const wrapper of module.controllers.values()) inspect(wrapper.metatype, 'controller');
    // Factory providers (`useFactory`) have their factory as metatype: not a class whose methods serve requests.
    for (const wrapper of module.providers.values()) if (!wrapper.inject) inspect(wrapper.metatype, 'provider');
  }
  return found;
}

export function unroutedCorsMessage(unrouted: UnroutedCors): string {
  const what = unrouted.kind === 'controller' ? 'not an HTTP route handler (no @Get(), @Post(), ...)' : 'not an HTTP controller (a resolver, gateway or other provider)';
  return (
    `@Cors() on ${unrouted.where} has no effect: it is ${what}, and polycors applies @Cors() to the routes of ` +
    'HTTP controllers only. Requests to endpoints that are not controllers (GraphQL, Swagger, static files) are ' +
    "judged by the global policy; to treat one differently, decide in the global origin function by the request's path " +
    '(see the README, "Endpoints that are not controllers").'
  );
}
