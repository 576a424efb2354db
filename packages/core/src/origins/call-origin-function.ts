/**
 * Calls one origin function and settles its answer, whichever way it gives it: a return value, a Promise or any
 * thenable (settled through Promise.resolve, so a `then` that returns nothing still works), or the `cors`-style
 * callback. The first answer wins; a throw, a rejection or a callback error is an error; no answer within
 * `timeout` milliseconds is a timeout. Stays synchronous when the function answers synchronously.
 */
import type { CorsContext, OriginCallback, OriginFunction } from '../options.js';
import { callableContext } from './callable-context.js';

/** How an adapter's wrapper wants to be called (for functions core did not receive from the user directly). */
export interface OriginFunctionShape {
  /** Pass the callable context (context + callback), and wait for the callback when the function returns nothing. */
  callback: boolean;
  /** The answer depends on the request context, so `originCache` needs a `key`. */
  context: boolean;
}

const SHAPE = Symbol.for('@polycors/core.originFunctionShape');

/**
 * Marks an adapter's wrapper with a shape, or with the shape of the user's function it wraps (pass that function).
 * Without a mark, a function of two or more parameters takes the context and may answer through the callback; a
 * function of one parameter does neither. The wrapper is called `(origin, second, context)`: `second` is what the
 * shape asks for (the callable context or the context), `context` is always the raw context. Keeps the wrapped name.
 */
export function describeOriginFunction<F extends Function>(wrapper: F, shape: OriginFunctionShape | Function): F {
  const described = typeof shape === 'function' ? shapeOf(shape) : shape;
  Object.defineProperty(wrapper, SHAPE, { value: Object.freeze({ callback: described.callback, context: described.context }) });
  if (typeof shape === 'function') Object.defineProperty(wrapper, 'name', { value: shape.name });
  return wrapper;
}

export function shapeOf(fn: Function): OriginFunctionShape {
  const marked = (fn as { [SHAPE]?: OriginFunctionShape })[SHAPE];
  if (marked !== undefined) return marked;
  const takesSecond = fn.length >= 2;
  return { callback: takesSecond, context: takesSecond };
}

export type CallOutcome = { kind: 'answer'; answer: unknown } | { kind: 'error'; error: unknown } | { kind: 'timeout' };

export function callOriginFunction(fn: OriginFunction, origin: string, context: CorsContext, timeout: number): CallOutcome | Promise<CallOutcome> {
  const shape = shapeOf(fn);
  let outcome: CallOutcome | undefined;
  let deliver: ((outcome: CallOutcome) => void) | undefined;
  const settle = (settled: CallOutcome) => {
    if (outcome !== undefined) return;
    outcome = settled;
    deliver?.(settled);
  };
  const callback: OriginCallback = (error, answer) => settle(error ? { kind: 'error', error } : { kind: 'answer', answer });

  let returned: unknown;
  try {
    // The raw context goes third too, for adapters whose wrappers need it unwrapped (Fastify's `request` argument).
    returned = (fn as (origin: string, second: unknown, context: unknown) => unknown)(origin, shape.callback ? callableContext(context, callback) : context, context);
  } catch (error) {
    settle({ kind: 'error', error });
  }
  let then: unknown;
  try {
    then = typeof returned === 'object' || typeof returned === 'function' ? (returned as { then?: unknown } | null)?.then : undefined;
  } catch (error) {
    settle({ kind: 'error', error });
  }
  const thenable = typeof then === 'function';
  if (outcome !== undefined) {
    if (thenable) Promise.resolve(returned).catch(() => undefined); // answered already: a later rejection is not unhandled
    return outcome;
  }
  if (!thenable && (returned !== undefined || !shape.callback)) return { kind: 'answer', answer: returned };

  return new Promise<CallOutcome>((resolve) => {
    const timer = setTimeout(() => settle({ kind: 'timeout' }), timeout);
    timer.unref?.();
    deliver = (settled) => {
      clearTimeout(timer);
      resolve(settled);
    };
    if (thenable) {
      Promise.resolve(returned).then(
        // A callback-style async function resolves to undefined and answers through the callback: keep waiting for it.
        (answer) => (answer === undefined && shape.callback ? undefined : settle({ kind: 'answer', answer })),
        (error: unknown) => settle({ kind: 'error', error: error ?? new Error('the origin function rejected without a reason') }),
      );
    }
  });
}
