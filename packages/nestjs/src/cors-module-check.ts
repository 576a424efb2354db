/**
 * The startup check behind "`@Cors()` without CorsModule fails at startup".
 *
 * When CorsModule is not imported, no polycors code runs inside the application, so the check has to ride on
 * something Nest itself builds at startup for every decorated controller or handler. `@Cors()` therefore also
 * attaches (through `@UseFilters`) a tiny exception filter class made for that controller or handler. Nest
 * instantiates the filters a controller uses while it creates the application (`NestFactory.create()`, or
 * `Test.createTestingModule().compile()`), resolving their constructor dependencies from the module and the global
 * modules. The filter asks (optionally) for a token only CorsModule provides: if it is missing, its constructor
 * throws and the application does not start, with a message naming the controller or handler.
 *
 * At run time the filter does nothing: it is declared to catch only a private error class that is never thrown, so
 * Nest skips it for every exception and the application's own filters behave exactly as before.
 */
import { Catch, type ExceptionFilter, Inject, Optional, type Type } from '@nestjs/common';
import { CORS_MODULE_PRESENT } from './cors.constants.js';

/** Never thrown: the check filter catches only this, so it never handles an exception. */
class PolycorsNeverThrown extends Error {}

export class CorsModuleMissingError extends Error {
  constructor(where: string) {
    super(
      `@Cors() is used on ${where}, but CorsModule is not imported, so that policy would be silently ignored. ` +
        `Import CorsModule.forRoot({ origin: ... }) (or forRootAsync) in your root module; it is global, so once is enough.`,
    );
    this.name = 'CorsModuleMissingError';
  }
}

const checks = new Map<string, Type<ExceptionFilter>>();

/** One check class per decorated controller or handler, so the startup error names it. */
export function corsModuleCheckFor(where: string): Type<ExceptionFilter> {
  const known = checks.get(where);
  if (known) return known;
  class PolycorsCorsModuleCheck implements ExceptionFilter {
    constructor(present?: unknown) {
      if (present === undefined || present === null) throw new CorsModuleMissingError(where);
    }

    catch(): void {
      // Unreachable: only PolycorsNeverThrown is caught, and it is never thrown.
    }
  }
  Object.defineProperty(PolycorsCorsModuleCheck, 'name', { value: `PolycorsCorsModuleCheck(${where})` });
  Catch(PolycorsNeverThrown)(PolycorsCorsModuleCheck);
  Reflect.defineMetadata('design:paramtypes', [Object], PolycorsCorsModuleCheck);
  Inject(CORS_MODULE_PRESENT)(PolycorsCorsModuleCheck, undefined, 0);
  Optional()(PolycorsCorsModuleCheck, undefined, 0);
  checks.set(where, PolycorsCorsModuleCheck);
  return PolycorsCorsModuleCheck;
}
