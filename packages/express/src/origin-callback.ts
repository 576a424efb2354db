/**
 * The one place that translates Express-style origin functions into core's `(origin, req) => boolean` (the lead
 * reconciles this with core's own callback support when it lands):
 * - `(origin, callback)` (the `cors` package's form, told apart by taking two or more parameters) is called back;
 *   no answer within ORIGIN_CALLBACK_TIMEOUT_MS refuses;
 * - `(origin, req) => answer | Promise<answer>` (one parameter, or a function written for polycors) is awaited.
 * The answer means what it means in `cors`: `true` or the request's origin allows it; a RegExp or an array must
 * match the whole origin (`cors` tests RegExps unanchored, which lets `https://evil-example.com` pass
 * `/example\.com$/`'s neighbour checks: polycors requires a full match and says so once); `'*'` allows any origin
 * without credentials and refuses under credentials (logged once). Anything else refuses.
 */
import type { CorsLogger, OriginFunction } from '@polycors/core';
import type { IncomingMessage } from 'node:http';
import type { ExpressOriginAnswer, ExpressOriginCallback, ExpressOriginFunction, ExpressOriginPredicate } from './options.js';

export const ORIGIN_CALLBACK_TIMEOUT_MS = 10_000;

export function wrapOriginFunction(fn: ExpressOriginFunction, credentials: boolean, logger: CorsLogger | undefined): OriginFunction {
  const name = fn.name || '(anonymous)';
  const warned = new Set<string>();
  const warnOnce = (key: string, message: string) => {
    if (warned.has(key)) return;
    warned.add(key);
    logger?.warn(message);
  };
  const judge = (answer: ExpressOriginAnswer, origin: string): boolean => {
    if (answer === true) return true;
    if (answer === '*') {
      if (!credentials) return true;
      warnOnce('*', `polycors: origin function ${name} answered '*' for a policy with credentials; refused, since allowing any origin with credentials lets any website act as the signed-in user. Answer true (or the origin) for the origins you trust`);
      return false;
    }
    if (typeof answer === 'string') return answer === origin;
    if (answer instanceof RegExp) return fullMatch(answer, origin, () => warnOnce('regexp', `polycors: origin function ${name} answered ${answer}; polycors requires it to match the whole origin (cors tests it unanchored). Anchor it: /^https:\\/\\/app\\.example\\.com$/`));
    if (Array.isArray(answer)) return answer.some((item) => judge(item as ExpressOriginAnswer, origin) && item !== '*');
    return false;
  };
  const wrapped: OriginFunction =
    fn.length >= 2
      ? (origin) =>
          new Promise<boolean>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`origin function ${name} did not call back within ${ORIGIN_CALLBACK_TIMEOUT_MS} ms`)), ORIGIN_CALLBACK_TIMEOUT_MS);
            timer.unref?.();
            (fn as ExpressOriginCallback)(origin, (error, answer) => {
              clearTimeout(timer);
              if (error) reject(error);
              else resolve(judge(answer, origin));
            });
          })
      : (origin, req) => {
          const answer = (fn as ExpressOriginPredicate)(origin, req as IncomingMessage);
          return isPromise(answer) ? answer.then((value) => judge(value, origin)) : judge(answer, origin);
        };
  Object.defineProperty(wrapped, 'name', { value: fn.name || 'origin' });
  return wrapped;
}

function fullMatch(pattern: RegExp, origin: string, onUnanchored: () => void): boolean {
  const match = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')).exec(origin);
  if (!match) return false;
  if (match.index === 0 && match[0].length === origin.length) return true;
  onUnanchored();
  return false;
}

export function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
