/**
 * Other code that would answer CORS requests beside polycors, or run before it, found at startup.
 *
 * - `@fastify/cors` registered on Nest's Fastify instance (`app.register(fastifyCors)`): it would answer
 *   preflights and add its own Access-Control-Allow-Origin (`*` to origins polycors refuses). A startup error, as for
 *   `enableCors()`.
 * - A pre-built instance (`new ExpressAdapter(server)`, `new FastifyAdapter(instance)`) with middleware or
 *   `onRequest` hooks added before Nest's own request hook, where polycors runs: an auth check there answers
 *   preflights 401 without CORS headers. On Express polycors' layer is moved to the front of the router stack, so it
 *   is the first middleware whatever came before. Fastify runs `onRequest` hooks in the order they were added and
 *   offers no way to go first, so those hooks are named in a startup warning that says how to fix it.
 */
import type { CorsConfigProblem } from '@polycors/core';

export const FASTIFY_CORS_MESSAGE =
  "@fastify/cors is registered on Nest's Fastify instance beside CorsModule. Both would answer CORS requests: " +
  "@fastify/cors would answer preflights polycors refuses and add a second Access-Control-Allow-Origin ('*' by default) " +
  'to responses. Remove app.register(fastifyCors, ...) and move its options into CorsModule.forRoot(...).';

export function fastifyCorsProblem(): CorsConfigProblem {
  return { path: 'app.register(@fastify/cors)', code: 'enable-cors-duplicate', message: FASTIFY_CORS_MESSAGE };
}

interface FastifyLike {
  hasPlugin?(name: string): boolean;
  printPlugins?(): string;
}

/** On the instance itself, or (once Fastify is ready) anywhere in its plugin tree, encapsulated contexts included. */
export function hasFastifyCors(instance: FastifyLike | undefined): boolean {
  try {
    if (instance?.hasPlugin?.('@fastify/cors') === true) return true;
    return /@fastify\/cors\b/.test(instance?.printPlugins?.() ?? '');
  } catch {
    return false;
  }
}

/** Nest's request-hook middleware or `onRequest` hook: the function that calls the adapter's `onRequestHook`. */
function isNestRequestHook(fn: unknown): boolean {
  return typeof fn === 'function' && Function.prototype.toString.call(fn).includes('onRequestHook');
}

interface ExpressLayerLike {
  handle?: unknown;
}

/**
 * Moves Nest's request-hook layer (polycors' entry point) to the front of an Express app's router stack, before
 * middleware the app had before `new ExpressAdapter(server)`. Returns whether it moved anything.
 */
export function runNestRequestHookFirst(server: { router?: { stack?: ExpressLayerLike[] } } | undefined): boolean {
  const stack = server?.router?.stack;
  if (!Array.isArray(stack)) return false;
  const index = stack.findIndex((layer) => isNestRequestHook(layer?.handle));
  if (index <= 0) return false;
  const [layer] = stack.splice(index, 1);
  stack.unshift(layer);
  return true;
}

/** The `onRequest` hooks of a Fastify instance that run before Nest's (named as a warning can name them). */
export function fastifyHooksBeforeNest(instance: object | undefined): string[] {
  if (!instance) return [];
  const symbol = Object.getOwnPropertySymbols(instance).find((s) => s.description === 'fastify.hooks');
  const hooks = symbol ? (instance as Record<symbol, { onRequest?: unknown[] }>)[symbol]?.onRequest : undefined;
  if (!Array.isArray(hooks)) return [];
  const index = hooks.findIndex(isNestRequestHook);
  if (index <= 0) return [];
  return hooks.slice(0, index).map((hook) => (typeof hook === 'function' && hook.name ? `${hook.name}()` : 'an anonymous hook'));
}

export function hooksBeforeNestMessage(names: readonly string[]): string {
  const subject = names.length === 1 ? `An onRequest hook (${names[0]}) was` : `${names.length} onRequest hooks (${names.join(', ')}) were`;
  return (
    `${subject} added to the Fastify instance before new FastifyAdapter(instance), so polycors runs after it: a hook ` +
    'that answers (auth, rate limiting) answers preflights without CORS headers, and browsers then block the request. ' +
    'Add such hooks after NestFactory.create() (app.getHttpAdapter().getInstance().addHook(...)), or let them skip ' +
    "preflights with isPreflight(request.raw) from '@polycors/nestjs'."
  );
}
