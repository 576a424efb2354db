/**
 * Express sub-apps (`app.use('/v1', subApp)`, subApp = express()). Express keeps the sub-app only in the closure of a
 * `mounted_app` layer, so the router walk cannot see into it. What Express does record is on the sub-app: `parent`
 * (the app it was mounted in) and `mountpath` (the path given to use()). For each app listed in `subApps`, its layer
 * is the one `mounted_app` layer in its parent's router with that mount path, compared as Express built it; where
 * that is not exactly one layer, polycors cannot tell which layer runs it, and says so at build time.
 */
import type { CorsConfigProblem } from '@polycors/core';
import type { LayerLike, RouterLike } from './express-layers.js';

export interface SubAppLike {
  (...args: unknown[]): unknown;
  handle: (...args: unknown[]) => unknown;
  set: (...args: unknown[]) => unknown;
  mountpath?: unknown;
  parent?: unknown;
}

/** Express's own test in app.use(): an app has `handle` and `set`. */
export function isExpressApp(value: unknown): value is SubAppLike {
  return typeof value === 'function' && typeof (value as { handle?: unknown }).handle === 'function' && typeof (value as { set?: unknown }).set === 'function';
}

/** A layer that runs an app polycors may not see into: app.use()'s `mounted_app`, or router.use(subApp) (the app itself). */
export function runsApp(layer: LayerLike): boolean {
  return (typeof layer.handle === 'function' && layer.handle.name === 'mounted_app') || isExpressApp(layer.handle);
}

/** The `subApps` option, read when cors() is created: every value that is not an Express app is a problem. */
export function readSubApps(value: unknown, problems: CorsConfigProblem[]): readonly SubAppLike[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push({ path: 'subApps', code: 'option-type', message: 'subApps is a list of Express apps: subApps: [v1App]' });
    return [];
  }
  const apps: SubAppLike[] = [];
  value.forEach((app: unknown, i) => {
    if (isExpressApp(app)) apps.push(app);
    else {
      const what = typeof app === 'function' && Array.isArray((app as { stack?: unknown }).stack) ? 'an express.Router() (routers need no listing: cors() walks them itself)' : `a ${app === null ? 'null' : typeof app}`;
      problems.push({ path: `subApps[${i}]`, code: 'option-type', message: `not an Express app (express()) but ${what}; list only the apps mounted with app.use(path, subApp)` });
    }
  });
  return apps;
}

/**
 * The registered sub-apps mounted in `owner`'s router, by the layer that runs each. A sub-app whose mount path
 * matches more than one `mounted_app` layer there (another app at the same path, or itself mounted twice) is left
 * out, with a problem: its layers stay opaque (fail closed).
 */
export function claimMounts(owner: unknown, router: RouterLike, subApps: readonly SubAppLike[], problems: CorsConfigProblem[]): Map<LayerLike, SubAppLike> {
  const claimed = new Map<LayerLike, SubAppLike>();
  const mounted = router.stack.filter((layer) => typeof layer.handle === 'function' && layer.handle.name === 'mounted_app');
  subApps.forEach((app, i) => {
    if (app.parent !== owner || owner === undefined) return;
    const layers = mounted.filter((layer) => sameMount(layer, router, app.mountpath));
    if (layers.length === 1) claimed.set(layers[0], app);
    else if (layers.length > 1) {
      problems.push({
        path: `subApps[${i}]`,
        code: 'sub-app-unreachable',
        message: `it is mounted at '${describeMountpath(app.mountpath)}' where its parent app also mounts another app (or this one again): Express records only the last mount, so polycors cannot tell which layer runs it. Mount each sub-app once, at a path of its own`,
      });
    }
  });
  return claimed;
}

/** Why a listed sub-app was not reached by the walk, for the build-time problem. */
export function unreachedProblem(app: SubAppLike, i: number): CorsConfigProblem {
  const message =
    app.parent === undefined
      ? "it is not mounted: mount it with app.use('/v1', subApp) before the routes are read (build(), or the first request)"
      : `it is mounted at '${describeMountpath(app.mountpath)}' in an app the routes cors() reads do not contain: list that app in subApps too (nested sub-apps), or give cors() the app it is mounted in (router option)`;
  return { path: `subApps[${i}]`, code: 'sub-app-unreachable', message };
}

export function describeMountpath(mountpath: unknown): string {
  if (Array.isArray(mountpath)) return mountpath.map(describeMountpath).join("', '");
  return typeof mountpath === 'string' ? mountpath : String(mountpath);
}

/** Is `layer` the one Express built for app.use(mountpath, …) on `router`? */
function sameMount(layer: LayerLike, router: RouterLike, mountpath: unknown): boolean {
  // Express 5's router keeps the path as given (arrays flattened).
  if ('rawPath' in layer) return samePath(layer.rawPath, Array.isArray(mountpath) ? mountpath.flat(Infinity) : mountpath);
  // Express 4 keeps only the RegExp: build the one its own Layer builds for this path, with router.use()'s options.
  const Layer = (layer as { constructor?: unknown }).constructor;
  if (typeof Layer !== 'function' || !layer.regexp) return false;
  try {
    const probe = new (Layer as new (path: unknown, options: object, fn: () => void) => LayerLike)(mountpath, { sensitive: (router as { caseSensitive?: boolean }).caseSensitive, strict: false, end: false }, noop);
    return probe.regexp?.source === layer.regexp.source && probe.regexp.flags === layer.regexp.flags;
  } catch {
    return false;
  }
}

function samePath(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => samePath(item, b[i]));
  if (a instanceof RegExp && b instanceof RegExp) return a.source === b.source && a.flags === b.flags;
  return a === b;
}

function noop(): void {}
