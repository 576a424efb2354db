/**
 * Options -> compiled policies: the plugin's own (for paths no route serves) and one per route, the route's
 * `config.cors` merged over the plugin's options (DESIGN.md merge rules) with the route's own methods as default.
 * Identical effective options share one compiled policy.
 */
import { CORS_DEFAULTS, CorsConfigError, createCorsPolicy, mergeCorsOptions } from '@polycors/core';
import type { CorsConfigProblem, CorsLogger, CorsOptions, CorsPolicy, ListFormat } from '@polycors/core';
import { INHERITED, type PathMapper, layerPaths } from './layer-paths.js';
import { ADAPTER_KEYS, FASTIFY_CORS_DEFAULTS, FASTIFY_CORS_LIST_FORMAT, PLUGIN_ONLY_KEYS, ROUTE_ADAPTER_KEYS, normaliseCacheControl, splitOptions } from './options.js';
import type { PolycorsOptions, PolycorsRouteOptions } from './options.js';
import type { OriginTranslator } from './origin.js';
import type { RouteEntry } from './route-registry.js';

export interface CompiledRoutePolicy {
  readonly policy: CorsPolicy;
  /** `Cache-Control` for answered preflights, if configured. */
  readonly cacheControl?: string;
}

/** Never sent: preflights and the methods they may ask for are judged by the Fetch Standard's rules in core. */
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

const DISABLED_OPTIONS: CorsOptions = { origin: false, logger: false };

export class PolicySet {
  readonly fallback: CompiledRoutePolicy;
  private readonly base: CorsOptions;
  private readonly baseCacheControl?: string;
  private readonly disabled: CompiledRoutePolicy;
  private readonly byRoute = new Map<RouteEntry, CompiledRoutePolicy>();
  private readonly shared = new Map<unknown, Map<string, CompiledRoutePolicy>>();
  private readonly logger: CorsLogger | false;
  private readonly seenWarnings = new Set<string>();
  private readonly strict: boolean;
  /** The `where` of the policy being compiled, stripped from warnings to recognise repeats. */
  private compiling = '';
  /** While a route's config.cors is compiled: its problem paths in the route's own words. */
  private paths: PathMapper | undefined;

  /**
   * @param options the plugin's options (or a delegator's answer), without adapter-only keys' effects
   * @param where names these options in errors ("the plugin options")
   */
  constructor(
    options: PolycorsOptions,
    private readonly origins: OriginTranslator,
    defaultLogger: CorsLogger,
    private readonly where: string,
  ) {
    const { core, adapter } = splitOptions(options);
    this.baseCacheControl = normaliseCacheControl(adapter.cacheControl);
    const strict = core.strict !== false;
    const userLogger = core.logger as CorsLogger | false | undefined;
    this.logger = userLogger === undefined ? defaultLogger : userLogger;
    const base: Record<string, unknown> = { ...core, logger: this.dedupingLogger() };
    if (!strict && core.origin === undefined) {
      base.origin = FASTIFY_CORS_DEFAULTS.origin;
      this.warn(`polycors: ${where}: origin: no 'origin' configured; allowing every origin ('*') as @fastify/cors does (strict: false). List your origins before turning strict mode on [origin-missing]`);
    }
    this.strict = strict;
    base.origin = this.origins.toCore(base.origin as PolycorsOptions['origin'], !strict);
    this.base = base as CorsOptions;
    const fallbackOptions: CorsOptions = { ...this.base };
    if (!strict && fallbackOptions.methods === undefined) fallbackOptions.methods = FASTIFY_CORS_DEFAULTS.methods;
    this.compiling = where;
    this.fallback = { policy: createCorsPolicy(fallbackOptions, { where, adapterOptions: [...ADAPTER_KEYS], listFormat: listFormat(fallbackOptions) }), cacheControl: this.baseCacheControl };
    // debug carries over so that a route with CORS off says so (polycors-reason: cors-disabled).
    this.disabled = { policy: createCorsPolicy({ ...DISABLED_OPTIONS, debug: this.base.debug === true }, { source: 'config.cors: false on this route' }) };
  }

  /** The policy for a route (compiled on first use; `compileAll` does it at startup). */
  forRoute(entry: RouteEntry | undefined): CompiledRoutePolicy {
    if (entry === undefined) return this.fallback;
    return this.byRoute.get(entry) ?? this.compile(entry);
  }

  /** Compiles every route's policy, throwing one CorsConfigError that lists the problems of every route. */
  compileAll(entries: readonly RouteEntry[]): void {
    const problems: CorsConfigProblem[] = [];
    // Fastify adds a HEAD route for every GET route, with the same config: its problems are the GET route's.
    const reported = new Map<unknown, Set<string>>();
    for (const entry of entries) {
      try {
        this.compile(entry);
      } catch (error) {
        if (!(error instanceof CorsConfigError)) throw error;
        for (const problem of error.problems) {
          const key = `${entry.url}|${problem.path}|${problem.code}|${problem.message}`;
          let seen = reported.get(entry.cors);
          if (!seen) reported.set(entry.cors, (seen = new Set()));
          if (seen.has(key)) continue;
          seen.add(key);
          problems.push({ ...problem, path: `${entry.where}: ${problem.path}` });
        }
      }
    }
    if (problems.length > 0) throw new CorsConfigError(problems, 'the routes');
  }

  private compile(entry: RouteEntry): CompiledRoutePolicy {
    const layer = entry.cors as PolycorsRouteOptions | false | undefined;
    const methods = servedMethods(entry);
    const methodsKey = methods.join(',');
    const key = layer === undefined ? this : layer;
    let byMethods = this.shared.get(key);
    const known = byMethods?.get(methodsKey);
    if (known) {
      this.byRoute.set(entry, known);
      return known;
    }
    let compiled: CompiledRoutePolicy;
    this.compiling = entry.where;
    if (layer === false) compiled = this.disabled;
    else if (layer === undefined) compiled = { policy: createCorsPolicy(this.base, { where: entry.where, source: `${this.where} (the route sets no config.cors)`, defaultMethods: methods, adapterOptions: [...ADAPTER_KEYS], listFormat: listFormat(this.base) }), cacheControl: this.baseCacheControl };
    else compiled = this.compileLayer(layer, entry, methods);
    if (!byMethods) this.shared.set(key, (byMethods = new Map()));
    byMethods.set(methodsKey, compiled);
    this.byRoute.set(entry, compiled);
    return compiled;
  }

  private compileLayer(layer: PolycorsRouteOptions, entry: RouteEntry, methods: string[]): CompiledRoutePolicy {
    if (typeof layer !== 'object' || layer === null || Array.isArray(layer)) {
      throw new CorsConfigError([{ path: 'config.cors', code: 'option-type', message: `config.cors must be an options object or false, got ${typeof layer}` }], entry.where);
    }
    const pluginOnly = Object.keys(layer).filter((key) => PLUGIN_ONLY_KEYS.has(key));
    if (pluginOnly.length > 0) {
      throw new CorsConfigError(
        pluginOnly.map((key) => ({ path: `config.cors.${key}`, code: 'option-unknown' as const, message: `'${key}' is a plugin option; set it in fastify.register(polycors, { ${key} }) instead of a route's config.cors` })),
        entry.where,
      );
    }
    const { core, adapter } = splitOptions(layer);
    const strict = core.strict === undefined ? this.strict : core.strict !== false;
    if (core.origin !== undefined) core.origin = this.origins.toCore(core.origin as PolycorsOptions['origin'], !strict);
    const merged = mergeCorsOptions(this.base, core as CorsOptions);
    if (merged === false) return this.disabled;
    const cacheControl = adapter.cacheControl !== undefined ? normaliseCacheControl(adapter.cacheControl) : this.baseCacheControl;
    const paths = layerPaths(merged as Record<string, unknown>, this.base as Record<string, unknown>, core);
    this.paths = paths;
    try {
      return { policy: createCorsPolicy(merged, { where: entry.where, source: `config.cors of ${entry.where}`, defaultMethods: methods, adapterOptions: [...ROUTE_ADAPTER_KEYS], listFormat: listFormat(merged) }), cacheControl };
    } catch (error) {
      if (!(error instanceof CorsConfigError)) throw error;
      throw new CorsConfigError(error.problems.map((problem) => ({ ...problem, path: paths(problem.path) })), entry.where);
    } finally {
      this.paths = undefined;
    }
  }

  /** Warnings repeat for every route that inherits the plugin's options: log each problem once. */
  private dedupingLogger(): CorsLogger | false {
    const logger = this.logger;
    if (logger === false) return false;
    return {
      warn: (message) => this.warn(message),
      error: (message, error) => logger.error(message, error),
    };
  }

  private warn(message: string): void {
    if (this.logger === false) return;
    // "polycors: <where>: <path>: <message> [code]" -> "<path>: <message> [code]"
    const prefix = `polycors: ${this.compiling}: `;
    if (this.paths && message.startsWith(prefix)) {
      const end = message.indexOf(': ', prefix.length);
      if (end !== -1) message = `${prefix}${this.paths(message.slice(prefix.length, end))}${message.slice(end)}`;
    }
    // An inherited item's warning is the plugin's own, already logged for the plugin options.
    const key = (message.startsWith(prefix) ? message.slice(prefix.length) : message).replace(INHERITED, '');
    if (this.seenWarnings.has(key)) return;
    this.seenWarnings.add(key);
    this.logger.warn(message);
  }
}

/** Compatibility mode writes lists as @fastify/cors does; strict mode in polycors' one format. */
function listFormat(options: CorsOptions): ListFormat | undefined {
  return options.strict === false ? FASTIFY_CORS_LIST_FORMAT : undefined;
}

/** The methods a route's path serves, as a preflight may ask for them. */
function servedMethods(entry: RouteEntry): string[] {
  const methods = (entry.pathMethods ?? entry.methods).filter((method) => !FORBIDDEN_METHODS.has(method));
  return methods.length > 0 ? methods : [...CORS_DEFAULTS.methods];
}
