import { INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';

/** "GET /reps/:repId": the key of a route, as the HTTP router (Express) knows it. */
export type RouteKey = `${string} /${string}`;

function normalize(path: string): string {
  const p = `/${path}`.replace(/\/+/g, '/');
  return p.length > 1 ? p.replace(/\/$/, '') : p;
}

/**
 * Every route the running HTTP app serves, read from the Express router (Nest controllers and anything registered
 * on the adapter directly, such as the Swagger UI). This is the authority: what is here is reachable.
 */
export function httpRoutes(app: INestApplication): RouteKey[] {
  const instance = app.getHttpAdapter().getInstance();
  const router = instance.router ?? instance._router;
  const keys = new Set<RouteKey>();
  for (const layer of router?.stack ?? []) {
    const route = layer.route as { path: string | string[]; methods: Record<string, boolean> } | undefined;
    if (!route) continue;
    for (const path of Array.isArray(route.path) ? route.path : [route.path]) {
      for (const [method, on] of Object.entries(route.methods)) {
        if (on && method !== '_all') keys.add(`${method.toUpperCase()} ${path}` as RouteKey);
        if (on && method === '_all') keys.add(`ALL ${path}` as RouteKey);
      }
    }
  }
  return [...keys].sort();
}

/**
 * The routes of the Nest controllers reachable from a root module, found from decorator metadata alone (no app
 * boot, no database). Jest must know at collection time which tests to run or skip, before any async setup; the
 * role-matrix spec checks this list against httpRoutes() of the booted app.
 */
export function controllerRoutes(rootModule: unknown): RouteKey[] {
  const keys = new Set<RouteKey>();
  const seen = new Set<unknown>();
  const visit = (entry: unknown): void => {
    if (!entry || seen.has(entry)) return;
    seen.add(entry);
    const mod = entry as { forwardRef?: () => unknown; module?: unknown; imports?: unknown[]; controllers?: unknown[]; then?: unknown };
    if (typeof mod.then === 'function') return; // async dynamic module: cannot be read synchronously
    if (typeof mod.forwardRef === 'function') return visit(mod.forwardRef());
    const isDynamic = typeof mod === 'object' && mod.module !== undefined;
    const cls = (isDynamic ? mod.module : mod) as object;
    if (typeof cls !== 'function') return;
    const imports = [...(Reflect.getMetadata(MODULE_METADATA.IMPORTS, cls) ?? []), ...((isDynamic && mod.imports) || [])];
    const controllers = [...(Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, cls) ?? []), ...((isDynamic && mod.controllers) || [])];
    for (const c of controllers) for (const k of routesOfController(c)) keys.add(k);
    for (const i of imports) visit(i);
  };
  visit(rootModule);
  return [...keys].sort();
}

function routesOfController(controller: new (...args: never[]) => unknown): RouteKey[] {
  const prefixes = asArray(Reflect.getMetadata(PATH_METADATA, controller) ?? '/');
  const keys: RouteKey[] = [];
  const names = new Set<string>();
  for (let proto = controller.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const n of Object.getOwnPropertyNames(proto)) if (n !== 'constructor') names.add(n);
  }
  for (const name of names) {
    const handler = Object.getOwnPropertyDescriptor(controller.prototype, name)?.value ?? controller.prototype[name];
    if (typeof handler !== 'function') continue;
    const paths = Reflect.getMetadata(PATH_METADATA, handler);
    const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
    if (paths === undefined || method === undefined) continue;
    for (const prefix of prefixes) {
      for (const p of asArray(paths)) keys.push(`${RequestMethod[method]} ${normalize(`${prefix}/${p}`)}` as RouteKey);
    }
  }
  return keys;
}

function asArray(v: string | string[]): string[] {
  return Array.isArray(v) ? v : [v];
}
