/**
 * `cors` option shapes -> core options. The names are already core's; only shapes change (`maxAge: '600'`). Origin
 * functions are kept and wrapped when the effective policy is compiled (compile.ts), once it is known whether that
 * policy sends credentials. Every rule about what the values mean is core's.
 */
import type { CorsConfigProblem, CorsOptions } from '@polycors/core';
import type { ExpressCorsOptions, ExpressCorsPolicyOptions, ExpressOriginRule } from './options.js';

/** Core options whose `origin` may hold Express origin functions. */
export type LayerOptions = Omit<CorsOptions, 'origin'> & { origin?: ExpressOriginRule | readonly ExpressOriginRule[] | boolean };

/** Options that belong to the middleware, not to a policy: read by cors(), not passed to core. */
const MIDDLEWARE_ONLY = ['router', 'subApps'] as const;

export function translateOptions(options: ExpressCorsPolicyOptions | ExpressCorsOptions, problems: CorsConfigProblem[], isRoute: boolean): LayerOptions {
  const result: Record<string, unknown> = { ...options };
  for (const key of MIDDLEWARE_ONLY) {
    if (!(key in result)) continue;
    if (isRoute) problems.push({ path: key, code: 'option-unknown', message: `'${key}' is an option of cors(), not of corsRoute(); set it on the global middleware` });
    delete result[key];
  }
  const maxAge = result.maxAge;
  if (typeof maxAge === 'string' && /^\d{1,6}$/.test(maxAge.trim())) result.maxAge = Number(maxAge.trim());
  return result as LayerOptions;
}

/** Same rule as every polycors adapter: no default origin in strict mode; `strict: false` applies `cors`' '*' with this warning. */
export const ORIGIN_MISSING: CorsConfigProblem = {
  path: 'origin',
  code: 'origin-missing',
  message: `no 'origin' configured. cors defaults to '*' (and with credentials: true sends '*' with credentials, which browsers reject); say which origins may read responses, e.g. origin: ['https://app.example.com'], or origin: '*' for a public API without credentials. With strict: false the '*' default applies, with this warning`,
};
