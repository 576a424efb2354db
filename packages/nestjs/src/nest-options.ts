/**
 * Nest's `CorsOptions` -> polycors' `CorsOptions`. The names are the same; the one difference in shape is the
 * callback-style origin function `(origin, callback) => void` of `cors` / Nest, turned here into a polycors origin
 * function returning a Promise (its errors and rejections refuse the request, as core does for any origin function).
 */
import type { CorsOptions, OriginFunction } from '@polycors/core';
import type { CorsDecoratorOptions, CorsModuleOptions, NestCustomOrigin } from './cors-options.interface.js';

type StaticOrigin = boolean | string | RegExp | (string | RegExp)[];

export function toCoreOptions(options: CorsModuleOptions | CorsDecoratorOptions): CorsOptions {
  if (typeof options !== 'object' || options === null) return options as CorsOptions;
  const { logRefusals: _logRefusals, ...rest } = options as CorsModuleOptions;
  const origin = rest.origin;
  if (typeof origin === 'function' && origin.length >= 2) {
    return { ...rest, origin: fromCallbackOrigin(origin as NestCustomOrigin) };
  }
  return rest as CorsOptions;
}

/** True when `origin` was answered with `true` or with an origin list that holds it (the `cors` package's meaning). */
function allows(origin: string, answer: StaticOrigin | undefined): boolean {
  if (answer === true) return true;
  if (answer === false || answer === undefined || answer === null) return false;
  const rules = Array.isArray(answer) ? answer : [answer];
  return rules.some((rule) => (rule instanceof RegExp ? rule.test(origin) : rule === origin));
}

function fromCallbackOrigin(callbackOrigin: NestCustomOrigin): OriginFunction {
  const wrapped: OriginFunction = (origin) =>
    new Promise<boolean>((resolve, reject) => {
      callbackOrigin(origin, (error, answer) => (error ? reject(error) : resolve(allows(origin, answer))));
    });
  Object.defineProperty(wrapped, 'name', { value: callbackOrigin.name || 'origin' });
  return wrapped;
}
