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
 *
 * A controller unit test (`Test.createTestingModule({ controllers: [ItemsController] })`, what `nest g controller`
 * generates) has no application around it, so the check lets a controller declared straight in @nestjs/testing's
 * root module compile without CorsModule. A testing module that imports the application's modules
 * (`imports: [AppModule]`, an e2e test) is checked like the application.
 */
import { Catch, type ExceptionFilter, Inject, Optional, type Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
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

/** The root module @nestjs/testing builds around `Test.createTestingModule({ controllers, providers })`. */
const TESTING_ROOT_MODULE = 'RootTestModule';

/** True when `controller` is declared straight in a testing module's root (a controller unit test). */
function declaredInTestingRoot(modules: ModulesContainer | undefined, controller: Function): boolean {
  if (!modules) return false;
  for (const module of modules.values()) {
    if (module.metatype?.name !== TESTING_ROOT_MODULE) continue;
    for (const declared of module.controllers.keys()) {
      // `@Cors()` on a method of a base class names the base class; the module declares the subclass.
      if (declared === controller || (typeof declared === 'function' && declared.prototype instanceof controller)) return true;
    }
  }
  return false;
}

const checks = new Map<Function, Map<string, Type<ExceptionFilter>>>();

/** One check class per decorated controller or handler, so the startup error names it. */
export function corsModuleCheckFor(where: string, controller: Function): Type<ExceptionFilter> {
  const known = checks.get(controller)?.get(where);
  if (known) return known;
  class PolycorsCorsModuleCheck implements ExceptionFilter {
    constructor(present?: unknown, modules?: ModulesContainer) {
      if (present !== undefined && present !== null) return;
      if (declaredInTestingRoot(modules, controller)) return;
      throw new CorsModuleMissingError(where);
    }

    catch(): void {
      // Unreachable: only PolycorsNeverThrown is caught, and it is never thrown.
    }
  }
  Object.defineProperty(PolycorsCorsModuleCheck, 'name', { value: `PolycorsCorsModuleCheck(${where})` });
  Catch(PolycorsNeverThrown)(PolycorsCorsModuleCheck);
  Reflect.defineMetadata('design:paramtypes', [Object, ModulesContainer], PolycorsCorsModuleCheck);
  Inject(CORS_MODULE_PRESENT)(PolycorsCorsModuleCheck, undefined, 0);
  Optional()(PolycorsCorsModuleCheck, undefined, 0);
  Inject(ModulesContainer)(PolycorsCorsModuleCheck, undefined, 1);
  Optional()(PolycorsCorsModuleCheck, undefined, 1);
  const byWhere = checks.get(controller) ?? new Map<string, Type<ExceptionFilter>>();
  byWhere.set(where, PolycorsCorsModuleCheck);
  checks.set(controller, byWhere);
  return PolycorsCorsModuleCheck;
}
