/**
 * One value that is both the request context and the `cors`-style callback, for origin functions of two parameters:
 * `(origin, req) => req.headers.host === ...` and `(origin, cb) => cb(null, true)` cannot be told apart before the
 * call, so the second argument serves both. Calling it calls the callback; reading a property reads the context's
 * (getters run with the context as `this`, methods are bound to it, so private state and internal slots work).
 */
import type { OriginCallback } from '../options.js';

export function callableContext<Context>(context: Context, callback: OriginCallback): Context & OriginCallback {
  // An arrow function as the target: it has no non-configurable own properties, so the traps below keep the Proxy invariants.
  const target: OriginCallback = (error, answer) => callback(error, answer);
  if (typeof context !== 'object' || context === null) return target as Context & OriginCallback;
  const source = context as object;
  const bound = new Map<PropertyKey, { method: Function; bound: Function }>();
  return new Proxy(target, {
    apply: (_target, _this, args: Parameters<OriginCallback>) => callback(args[0], args[1]),
    get(_target, key) {
      const value: unknown = Reflect.get(source, key, source);
      if (typeof value !== 'function' || key === 'constructor') return value;
      // Bound once per method, so `ctx.get === ctx.get` holds as it does on the context itself.
      const known = bound.get(key);
      if (known !== undefined && known.method === value) return known.bound;
      const method = value.bind(source) as Function;
      bound.set(key, { method: value, bound: method });
      return method;
    },
    set: (_target, key, value) => Reflect.set(source, key, value, source),
    has: (_target, key) => Reflect.has(source, key),
    deleteProperty: (_target, key) => Reflect.deleteProperty(source, key),
    ownKeys: () => Reflect.ownKeys(source),
    getOwnPropertyDescriptor(_target, key) {
      const descriptor = Reflect.getOwnPropertyDescriptor(source, key);
      // Reported configurable: the Proxy target does not have these properties, and invariants forbid claiming otherwise.
      return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(source),
  }) as unknown as Context & OriginCallback;
}
