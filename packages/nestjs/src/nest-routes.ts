/**
 * Lists every HTTP route of a Nest application, with the full paths Nest serves it at, from the same metadata and
 * with the same path factory Nest's router uses: global prefix (and its `exclude`), URI versioning, `RouterModule`
 * paths, controller and handler path arrays. Read once at startup.
 */
import { RequestMethod, type VersioningOptions } from '@nestjs/common';
import { MODULE_PATH, METHOD_METADATA, PATH_METADATA, VERSION_METADATA } from '@nestjs/common/constants.js';
import { type ApplicationConfig, MetadataScanner, type ModulesContainer } from '@nestjs/core';
import { LegacyRouteConverter } from '@nestjs/core/router/legacy-route-converter.js';
import { RoutePathFactory } from '@nestjs/core/router/route-path-factory.js';

export interface NestRoute {
  /** HTTP method (`GET`, ...); `RequestMethod.ALL` routes are listed once per method they serve. */
  method: string;
  /** Full path as registered on the HTTP adapter (`/api/v1/form/:id`). */
  path: string;
  controller: Function;
  handler: Function;
  /** `FormController.update` */
  name: string;
}

/** What `@All()` serves, for CORS purposes (preflights can only ask for these and any custom method). */
export const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

function addLeadingSlash(path: unknown): string {
  if (typeof path !== 'string' || path === '') return '';
  return path.startsWith('/') || path.startsWith('{/') ? path : `/${path}`;
}

function asPaths(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(addLeadingSlash);
  return [addLeadingSlash(value)];
}

export interface ExploreOptions {
  /** Express 5 converts legacy wildcards (`/files/*`) to path-to-regexp 8 syntax; Fastify keeps find-my-way's. */
  convertLegacyPaths: boolean;
}

export function exploreNestRoutes(modules: ModulesContainer, config: ApplicationConfig, options: ExploreOptions): NestRoute[] {
  const factory = new RoutePathFactory(config);
  const scanner = new MetadataScanner();
  const globalPrefix = addLeadingSlash(config.getGlobalPrefix());
  const versioningOptions: VersioningOptions | undefined = config.getVersioning();
  const routes: NestRoute[] = [];

  for (const module of modules.values()) {
    const metatype = module.metatype as Function | undefined;
    const modulePath: string | undefined = metatype
      ? Reflect.getMetadata(MODULE_PATH + modules.applicationId, metatype) ?? Reflect.getMetadata(MODULE_PATH, metatype)
      : undefined;
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Function | undefined;
      if (!controller || !controller.prototype) continue;
      const controllerPath = Reflect.getMetadata(PATH_METADATA, controller);
      if (controllerPath === undefined) continue;
      const controllerVersion = versioningOptions
        ? Reflect.getMetadata(VERSION_METADATA, controller) ?? versioningOptions.defaultVersion
        : undefined;
      for (const methodName of scanner.getAllMethodNames(controller.prototype)) {
        const handler = controller.prototype[methodName] as Function;
        const handlerPath = Reflect.getMetadata(PATH_METADATA, handler);
        if (handlerPath === undefined) continue;
        const requestMethod: RequestMethod = Reflect.getMetadata(METHOD_METADATA, handler) ?? RequestMethod.GET;
        const methodVersion = Reflect.getMetadata(VERSION_METADATA, handler);
        const httpMethods = requestMethod === RequestMethod.ALL ? ALL_METHODS : [RequestMethod[requestMethod]];
        for (const ctrlPath of asPaths(controllerPath)) {
          for (const methodPath of asPaths(handlerPath)) {
            const paths = factory.create(
              { ctrlPath, methodPath, modulePath, globalPrefix, controllerVersion, methodVersion, versioningOptions },
              requestMethod,
            );
            for (const rawPath of paths) {
              const path = options.convertLegacyPaths ? LegacyRouteConverter.tryConvert(rawPath, { logs: false }) : rawPath;
              for (const method of httpMethods) {
                routes.push({ method, path, controller, handler, name: `${controller.name}.${methodName}` });
              }
            }
          }
        }
      }
    }
  }
  return routes;
}
