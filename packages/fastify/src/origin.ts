/**
 * @fastify/cors origin forms -> core origin rules. Nested arrays are flattened; an origin function in the
 * @fastify/cors style (`(origin, cb)`, a Promise, or a plain return value; `this` is the Fastify instance) becomes a
 * core origin function answering true or false. Its answer may itself be a rule (`'*'`, a string, a RegExp, a list),
 * which the request's origin must then match: polycors never sends an Access-Control-Allow-Origin other than the
 * request's own origin or `*`.
 */
import type { CorsOptions, OriginFunction, OriginRule } from '@polycors/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FastifyCorsOrigin, FastifyOriginFunction, FastifyOriginValueOrArray } from './options.js';

export class OriginTranslator {
  private readonly wrapped = new WeakMap<FastifyOriginFunction, OriginFunction>();

  constructor(private readonly fastify: FastifyInstance) {}

  /**
   * @param literal with `strict: false`, string rules also match the request's Origin byte for byte, as in
   *   @fastify/cors, even where they are not origins (`'example.com'`); such rules are reported as warnings by core.
   */
  toCore(origin: FastifyCorsOrigin | undefined, literal = false): CorsOptions['origin'] {
    if (origin === undefined || origin === null || typeof origin === 'boolean') return origin as CorsOptions['origin'];
    if (typeof origin === 'function') return this.wrap(origin as FastifyOriginFunction);
    const rules: unknown[] = [];
    if (Array.isArray(origin)) flatten(origin as readonly unknown[], rules);
    else rules.push(origin);
    const result = rules.map((rule) => (typeof rule === 'function' ? this.wrap(rule as FastifyOriginFunction) : rule)) as OriginRule[];
    if (literal) {
      const literals = new Set(rules.filter((rule): rule is string => typeof rule === 'string' && rule !== '' && !rule.includes('*')));
      if (literals.size > 0) result.push(Object.defineProperty((value: string) => literals.has(value), 'name', { value: 'sameString' }));
    }
    return result.length === 1 ? result[0] : result;
  }

  private wrap(fn: FastifyOriginFunction): OriginFunction {
    let wrapped = this.wrapped.get(fn);
    if (!wrapped) {
      wrapped = createOriginFunction(fn, this.fastify);
      Object.defineProperty(wrapped, 'name', { value: fn.name || 'origin' });
      this.wrapped.set(fn, wrapped);
    }
    return wrapped;
  }
}

function flatten(list: readonly unknown[], into: unknown[]): void {
  for (const item of list) {
    if (Array.isArray(item)) flatten(item, into);
    else into.push(item);
  }
}

function createOriginFunction(fn: FastifyOriginFunction, fastify: FastifyInstance): OriginFunction {
  const takesCallback = fn.length >= 2;
  return (origin, context) => {
    let settled = false;
    let syncAnswer: { error?: unknown; value?: unknown } | undefined;
    let resolveAnswer: ((value: boolean) => void) | undefined;
    let rejectAnswer: ((error: unknown) => void) | undefined;
    const settle = (error: unknown, value: unknown) => {
      if (settled) return;
      settled = true;
      if (resolveAnswer && rejectAnswer) {
        if (error) rejectAnswer(error);
        else {
          try {
            resolveAnswer(originMatches(value, origin));
          } catch (failure) {
            rejectAnswer(failure);
          }
        }
      } else syncAnswer = { error, value };
    };
    const callback = (error: Error | null, value?: FastifyOriginValueOrArray) => settle(error, value);
    const returned = fn.call(fastify, origin, callback, context as FastifyRequest);

    if (isThenable(returned)) {
      if (settled && syncAnswer) return answerNow(syncAnswer, origin);
      return new Promise<boolean>((resolve, reject) => {
        resolveAnswer = resolve;
        rejectAnswer = reject;
        if (syncAnswer) {
          settled = false;
          settle(syncAnswer.error, syncAnswer.value);
        }
        returned.then(
          // An async function that answers through the callback resolves to undefined: wait for the callback.
          (value) => (value === undefined && takesCallback ? undefined : settle(null, value)),
          (error) => settle(error ?? new Error('origin function rejected'), undefined),
        );
      });
    }
    if (syncAnswer) return answerNow(syncAnswer, origin);
    if (returned !== undefined || !takesCallback) return originMatches(returned, origin);
    return new Promise<boolean>((resolve, reject) => {
      resolveAnswer = resolve;
      rejectAnswer = reject;
    });
  };
}

function answerNow(answer: { error?: unknown; value?: unknown }, origin: string): boolean {
  if (answer.error) throw answer.error;
  return originMatches(answer.value, origin);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

/** Does an origin function's answer allow `origin`? Unusable answers (undefined, '', numbers) throw: fail closed. */
export function originMatches(answer: unknown, origin: string): boolean {
  if (typeof answer === 'boolean') return answer;
  if (typeof answer === 'string' && answer !== '') return answer === '*' || answer === origin;
  if (answer instanceof RegExp) {
    answer.lastIndex = 0;
    return answer.test(origin);
  }
  if (Array.isArray(answer)) return answer.some((item) => originMatches(item, origin));
  throw new TypeError(`the origin function answered ${answer === '' ? "''" : String(answer)}; answer true, false, or an origin rule`);
}
