/**
 * @fastify/cors origin forms -> core origin rules. Nested arrays are flattened; an origin function (`(origin, cb)`,
 * `(origin, request)`, a Promise or a plain return value) is handed to core with `this` bound to the Fastify
 * instance. What its answer means (`true`, the origin, `'*'`, a RegExp, a list) is core's one rule for every adapter.
 */
import { type CorsOptions, type OriginCallback, type OriginFunction, type OriginRule, describeOriginFunction } from '@polycors/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FastifyCorsOrigin, FastifyOriginFunction } from './options.js';

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

  /** Shape translation only: `this` is the Fastify instance and the request comes third too; core reads the answer. */
  private wrap(fn: FastifyOriginFunction): OriginFunction {
    let wrapped = this.wrapped.get(fn);
    if (!wrapped) {
      const fastify = this.fastify;
      const call = (origin: string, second: FastifyRequest & OriginCallback, request: FastifyRequest) => fn.call(fastify, origin, second, request);
      wrapped = describeOriginFunction(call, fn) as unknown as OriginFunction;
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
