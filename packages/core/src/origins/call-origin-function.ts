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
  const call = fn as (origin: string, second: unknown, context: unknown) => unknown;
  if (!shapeOf(fn).callback) {
    // No callback to wait for: no closures on the common synchronous path.
    let returned: unknown;
    try {
      returned = call(origin, context, context);
    } catch (error) {
      return { kind: 'error', error };
    }
    const thenable = isThenable(returned);
    if (thenable === false) return { kind: 'answer', answer: returned };
    if (thenable !== true) return thenable;
    return new Pending(timeout, false).wait(returned);
  }

  const pending = new Pending(timeout, true);
  let returned: unknown;
  try {
    // The raw context goes third too, for adapters whose wrappers need it unwrapped (Fastify's `request` argument).
    returned = call(origin, callableContext(context, pending.callback), context);
  } catch (error) {
    pending.settle({ kind: 'error', error });
  }
  const thenable = isThenable(returned);
  if (typeof thenable === 'object') pending.settle(thenable);
  if (pending.outcome !== undefined) {
    if (thenable === true) Promise.resolve(returned).catch(() => undefined); // answered already: a later rejection is not unhandled
    return pending.outcome;
  }
  if (thenable === false && returned !== undefined) return { kind: 'answer', answer: returned };
  return pending.wait(thenable === true ? returned : undefined);
}

/** true, false, or the error thrown by a `then` getter. */
function isThenable(value: unknown): boolean | CallOutcome {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  try {
    return typeof (value as { then?: unknown }).then === 'function';
  } catch (error) {
    return { kind: 'error', error };
  }
}

/** One answer still to come: from a thenable, from the callback, or the timeout, whichever is first. */
class Pending {
  outcome: CallOutcome | undefined;
  private deliver: ((outcome: CallOutcome) => void) | undefined;
  readonly callback: OriginCallback = (error, answer) => this.settle(error ? { kind: 'error', error } : { kind: 'answer', answer });

  constructor(
    private readonly timeout: number,
    private readonly takesCallback: boolean,
  ) {}

  settle(outcome: CallOutcome): void {
    if (this.outcome !== undefined) return;
    this.outcome = outcome;
    this.deliver?.(outcome);
  }

  wait(thenable: unknown): Promise<CallOutcome> {
    return new Promise<CallOutcome>((resolve) => {
      const timer = setTimeout(() => this.settle({ kind: 'timeout' }), this.timeout);
      timer.unref?.();
      this.deliver = (outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      };
      if (thenable === undefined) return;
      Promise.resolve(thenable).then(
        // A callback-style async function resolves to undefined and answers through the callback: keep waiting for it.
        (answer) => (answer === undefined && this.takesCallback ? undefined : this.settle({ kind: 'answer', answer })),
        (error: unknown) => this.settle({ kind: 'error', error: error ?? new Error('the origin function rejected without a reason') }),
      );
    });
  }
}
