/**
 * One origin function's remembered answers and in-flight calls, per `originCache` options object. Every policy built
 * with the same function and the same `originCache` value (a route policy inheriting the global options, Koa's two
 * credentials variants) shares them, so a page's first requests to ten routes make one lookup, not ten. A different
 * `originCache` object (its own `key`, `max` or `ttl`) gets its own store: keys are only comparable under one `key`.
 */
import { OriginAnswerCache } from './answer-cache.js';

export class FunctionAnswerStore<Answer> {
  readonly answers: OriginAnswerCache<Answer>;
  readonly inFlight = new Map<string, Promise<Answer>>();

  constructor(max: number, ttl: number) {
    this.answers = new OriginAnswerCache<Answer>(max, ttl);
  }
}

const stores = new WeakMap<Function, WeakMap<object, FunctionAnswerStore<unknown>>>();

export function answerStoreFor<Answer>(fn: Function, cache: { max: number; ttl: number; identity: object }): FunctionAnswerStore<Answer> {
  let byOptions = stores.get(fn);
  if (byOptions === undefined) {
    byOptions = new WeakMap();
    stores.set(fn, byOptions);
  }
  let store = byOptions.get(cache.identity);
  if (store === undefined) {
    store = new FunctionAnswerStore<unknown>(cache.max, cache.ttl);
    byOptions.set(cache.identity, store);
  }
  return store as FunctionAnswerStore<Answer>;
}
