/**
 * The `cors` package's options-delegate form, `cors((req, callback) => callback(null, options))`: options chosen per
 * request. Each distinct options value is compiled once (functions and RegExps by identity, the rest by value) into
 * a full middleware, cached (at most MAX_COMPILED, oldest dropped); a delegate error or invalid options fail the
 * request through next(error), so nothing is answered with an unvalidated policy.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ExpressCorsMiddleware, createCorsMiddleware } from './middleware.js';
import type { ExpressCorsOptionsDelegate, ExpressCorsPolicyOptions } from './options.js';
import { POLYCORS_MIDDLEWARE } from './route-index.js';

const MAX_COMPILED = 100;

export function createDelegateMiddleware(delegate: ExpressCorsOptionsDelegate): ExpressCorsMiddleware {
  const compiled = new Map<string, ExpressCorsMiddleware | { error: unknown }>();
  const byObject = new WeakMap<object, ExpressCorsMiddleware | { error: unknown }>();
  const middlewareFor = (options: ExpressCorsPolicyOptions) => {
    const known = byObject.get(options);
    if (known) return known;
    const key = keyOf(options);
    let found = compiled.get(key);
    if (!found) {
      try {
        found = createCorsMiddleware(options);
      } catch (error) {
        found = { error };
      }
      if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value as string);
      compiled.set(key, found);
    }
    byObject.set(options, found);
    return found;
  };
  const middleware = function polycorsExpressDelegate(req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void {
    let called = false;
    delegate(req, (error, options) => {
      if (called) return;
      called = true;
      if (error) return next(error);
      const chosen = middlewareFor(options ?? {});
      if ('error' in chosen) return next(chosen.error);
      chosen(req, res, next);
    });
  } as ExpressCorsMiddleware;
  middleware.build = function build() {
    return this;
  };
  Object.defineProperty(middleware, POLYCORS_MIDDLEWARE, { value: true });
  return middleware;
}

const ids = new WeakMap<object, number>();
let nextId = 0;
function idOf(value: object): number {
  let id = ids.get(value);
  if (id === undefined) ids.set(value, (id = nextId++));
  return id;
}

function keyOf(options: ExpressCorsPolicyOptions): string {
  return JSON.stringify(options, (_key, value: unknown) => {
    if (typeof value === 'function') return `fn#${idOf(value)}`;
    if (value instanceof RegExp) return `re#${String(value)}`;
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype) return `obj#${idOf(value)}`;
    return value;
  });
}
