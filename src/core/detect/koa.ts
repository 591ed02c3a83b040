import { ts } from '../ts';
import type { Detector } from '../scan/detector';
import { importOf } from '../scan/scanner';
import {
  routerDetector,
  stringsOf,
  type InstanceCall,
  type InstanceRules,
  type RouteGraph,
  type UseOp,
} from './routeGraph';
import { unwrap } from './trace';
import { objectProp, stringValue } from './util';

const VERBS: Record<string, string> = {
  get: 'GET',
  post: 'POST',
  put: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
  del: 'DELETE',
  head: 'HEAD',
  options: 'OPTIONS',
  all: 'ALL',
};
const ROUTER_MODULES = new Set(['@koa/router', 'koa-router']);
/** Router and app methods that return the object they are called on. */
const CHAIN = new Set([...Object.keys(VERBS), 'use', 'prefix', 'param', 'redirect']);
const METHODS = CHAIN;
const MENTIONS = ['koa'];

const rules: InstanceRules = {
  mentions: MENTIONS,
  methods: METHODS,
  chain: CHAIN,
  // `new Router({ prefix })`, `Router()` (koa-router allows it without `new`), `new Koa()`.
  create(fi, expr) {
    if (!ts.isNewExpression(expr) && !ts.isCallExpression(expr)) return undefined;
    const imp = importOf(fi, expr.expression);
    if (!imp) return undefined;
    if (ROUTER_MODULES.has(imp.module) && (imp.name === 'default' || imp.name === '*' || imp.name === 'Router')) {
      return { prefix: stringValue(objectProp(expr.arguments?.[0], 'prefix'), fi.sf) ?? '', role: 'router' };
    }
    if (
      imp.module === 'koa' &&
      ts.isNewExpression(expr) &&
      (imp.name === 'default' || imp.name === '*' || imp.name === 'Koa')
    ) {
      return { prefix: '', role: 'app' };
    }
    return undefined;
  },
};

/** `router.routes()` / `router.middleware()`: what `use` mounts. */
function mountedRouter(arg: ts.Node): ts.Expression | undefined {
  const e = unwrap(arg);
  if (!ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression)) return undefined;
  const name = e.expression.name.text;
  return name === 'routes' || name === 'middleware' ? e.expression.expression : undefined;
}

function isAllowedMethods(arg: ts.Node): boolean {
  const e = unwrap(arg);
  return (
    ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'allowedMethods'
  );
}

function interpret(g: RouteGraph, { ref, file, sf, call, method, args }: InstanceCall): void {
  const verb = VERBS[method];
  if (verb) {
    if (ref.inst.role === 'app') return; // a Koa app has no verb methods: not a route
    // Named routes: get('user', '/users/:id', ...middleware)
    const named = args.length >= 3 && stringValue(args[0], sf) !== undefined && stringsOf(args[1], sf) !== undefined;
    const at = named ? 1 : 0;
    const paths = stringsOf(args[at], sf);
    if (!paths || args.length < at + 2) return;
    g.route(ref, file, call, [verb], paths, args.slice(at + 1));
  } else if (method === 'use') {
    const prefixes = stringsOf(args[0], sf);
    const rest = prefixes ? args.slice(1) : [...args];
    const middleware: ts.Node[] = [];
    for (const arg of rest) {
      const mounted = mountedRouter(arg);
      if (mounted) g.mount(ref, file, call, prefixes ?? [''], g.instanceOf(file, mounted)?.inst);
      else if (!isAllowedMethods(arg)) middleware.push(arg);
    }
    // Middleware under a path applies to part of the routes only; what cannot be told is left out.
    if (!prefixes) g.use(ref, file, call, middleware);
  } else if (method === 'prefix') {
    const p = stringValue(args[0], sf);
    if (p !== undefined) ref.inst.prefix = p;
  }
}

/**
 * A Koa app without routers is one catch-all route: every request runs its middleware chain.
 */
function emitPlainApps(g: RouteGraph): void {
  for (const inst of g.instances) {
    if (inst.role !== 'app' || inst.ops.some((o) => o.kind === 'mount')) continue;
    const uses = inst.ops.filter((o): o is UseOp => o.kind === 'use');
    if (!uses.length) continue;
    const here = uses.filter((u) => u.file === inst.file);
    const elsewhere = uses.filter((u) => u.file !== inst.file);
    const extraUnits = elsewhere.flatMap((u) => g.unitsOfUse(u));
    g.lc.component({
      kind: 'http-route',
      name: `ALL /* (${inst.name})`,
      framework: 'koa',
      trigger: { type: 'http', method: 'ALL', path: '/*' },
      node: inst.key,
      file: inst.file,
      handlers: here.flatMap((u) => u.handlers),
      ...(extraUnits.length ? { extraUnits } : {}),
    });
  }
}

export const koaDetector: Detector = routerDetector({ framework: 'koa', rules, interpret, emitMore: emitPlainApps });
