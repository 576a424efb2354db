import { UseFilters } from '@nestjs/common';
import { CORS_METADATA } from './cors.constants.js';
import { corsModuleCheckFor } from './cors-module-check.js';
import type { CorsDecoratorOptions } from './cors-options.interface.js';

/**
 * Gives a controller (class) or a handler (method) its own CORS policy, layered over CorsModule's global one:
 * global, then controller, then handler. By default a layer merges with the one above (lists united, scalars
 * overridden); `inherit: false` replaces it; `@Cors(false)` turns CORS off for the route (its preflights are
 * refused). Every effective policy is validated when the application starts.
 *
 * The decorator only records metadata (read by CorsModule at startup) and registers the startup check that fails
 * when CorsModule is not imported (see cors-module-check.ts).
 */
export function Cors(options: CorsDecoratorOptions | false = {}): ClassDecorator & MethodDecorator {
  return ((target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (descriptor !== undefined && key !== undefined) {
      const controller = (target as { constructor: Function }).constructor;
      const where = `${controller.name}.${String(key)}`;
      Reflect.defineMetadata(CORS_METADATA, options, descriptor.value as object);
      UseFilters(corsModuleCheckFor(where, controller))(target, key, descriptor);
      return descriptor;
    }
    const where = (target as { name: string }).name;
    Reflect.defineMetadata(CORS_METADATA, options, target);
    UseFilters(corsModuleCheckFor(where, target as Function))(target as Function);
    return target;
  }) as ClassDecorator & MethodDecorator;
}
