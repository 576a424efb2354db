/**
 * `@koa/cors` names -> core names. Only renames and shapes: every rule about what the values mean is core's.
 * Origin functions (which take `ctx` here) and a credentials function are kept as they are and wrapped when the
 * effective policy is compiled (compile.ts), once it is known whether that policy sends credentials.
 */
import type { CorsConfigProblem, CorsOptions } from '@polycors/core';
import type { KoaCorsOptions, KoaCorsPolicyOptions, KoaCredentialsFunction, KoaOriginRule } from './options.js';

/** Core options whose `origin` may hold Koa origin functions and whose `credentials` may be a function. */
export type LayerOptions = Omit<CorsOptions, 'origin' | 'credentials'> & {
  origin?: KoaOriginRule | readonly KoaOriginRule[] | boolean;
  credentials?: boolean | KoaCredentialsFunction;
};

const RENAMES = [
  ['allowMethods', 'methods'],
  ['allowHeaders', 'allowedHeaders'],
  ['exposeHeaders', 'exposedHeaders'],
] as const;

/** Options that belong to the middleware, not to a policy: read by cors(), not passed to core. */
const MIDDLEWARE_ONLY = ['router', 'keepHeadersOnError', 'secureContext', 'logRefusals'] as const;

export function translateOptions(options: KoaCorsPolicyOptions | KoaCorsOptions, problems: CorsConfigProblem[], isRoute: boolean): LayerOptions {
  const result: Record<string, unknown> = { ...options };
  for (const key of MIDDLEWARE_ONLY) {
    if (!(key in result)) continue;
    if (isRoute) {
      problems.push({ path: key, code: 'option-unknown', message: `'${key}' is an option of cors(), not of corsRoute(); set it on the global middleware` });
    }
    delete result[key];
  }
  for (const [koaName, coreName] of RENAMES) {
    if (result[koaName] === undefined) {
      delete result[koaName];
      continue;
    }
    if (result[coreName] !== undefined) {
      problems.push({ path: koaName, code: 'option-type', message: `both '${koaName}' (the @koa/cors name) and '${coreName}' are set; keep one` });
    } else {
      result[coreName] = result[koaName];
    }
    delete result[koaName];
  }
  const maxAge = result.maxAge;
  if (typeof maxAge === 'string' && /^\d{1,6}$/.test(maxAge.trim())) result.maxAge = Number(maxAge.trim());
  return result as LayerOptions;
}
