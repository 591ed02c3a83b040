import { ts } from '../ts';
import type { Detector } from '../scan/detector';
import { isFunctionLike } from '../scan/project';
import { importOf } from '../scan/scanner';
import type { FileIndex } from '../scan/types';
import { routerDetector, stringsOf, type InstanceCall, type InstanceRules, type RouteGraph } from './routeGraph';
import { loadedModule, unwrap, valueOf } from './trace';
import { objectProp, stringValue } from './util';

const SHORTHANDS = new Set(['get', 'head', 'post', 'put', 'delete', 'options', 'patch', 'all']);
/** Request hooks run before the handler for the routes they are declared on: their code is the route's code too. */
const HOOKS = ['onRequest', 'preParsing', 'preValidation', 'preHandler'];
/** Instance methods that return the instance, so that calls can be chained on them. */
const CHAIN = new Set([
  ...SHORTHANDS,
  'route',
  'register',
  'after',
  'addHook',
  'decorate',
  'decorateRequest',
  'decorateReply',
  'setErrorHandler',
  'setNotFoundHandler',
  'withTypeProvider',
  'addSchema',
  'addContentTypeParser',
]);
const METHODS = CHAIN;
const MENTIONS = ['fastify'];

function isFastifyModule(fi: FileIndex, expr: ts.Node, names: readonly string[]): string | undefined {
  const imp = importOf(fi, expr);
  return imp && imp.module === 'fastify' && names.includes(imp.name) ? imp.name : undefined;
}

const rules: InstanceRules = {
  mentions: MENTIONS,
  methods: METHODS,
  chain: CHAIN,
  // `fastify()`, `Fastify({ logger })`, `require('fastify')()`.
  create(fi, expr) {
    if (!ts.isCallExpression(expr)) return undefined;
    return isFastifyModule(fi, expr.expression, ['default', '*', 'fastify']) ? { prefix: '', role: 'app' } : undefined;
  },
  // A plugin nobody registers in the analysed code (autoload, a test harness) still declares routes: count the
  // ones that say they are plugins by their types or by fastify-plugin, at the root.
  paramRoot(param, fi) {
    const fn = param.parent;
    if (fn.parameters[0] !== param) return false;
    if (
      param.type &&
      ts.isTypeReferenceNode(param.type) &&
      isFastifyModule(fi, param.type.typeName, ['FastifyInstance'])
    )
      return true;
    const holder = fn.parent;
    if (ts.isVariableDeclaration(holder) && holder.type && ts.isTypeReferenceNode(holder.type)) {
      const imp = importOf(fi, holder.type.typeName);
      if (imp?.module === 'fastify' && imp.name.startsWith('FastifyPlugin')) return true;
    }
    return (
      ts.isCallExpression(holder) &&
      holder.arguments[0] === fn &&
      importOf(fi, holder.expression)?.module === 'fastify-plugin'
    );
  },
};

/** The handler and request hooks of a route options object, hooks first (the handler answers last). */
function handlersOf(opts: ts.Node | undefined): ts.Node[] {
  if (!opts) return [];
  const obj = unwrap(opts);
  if (!ts.isObjectLiteralExpression(obj)) return [];
  const out: ts.Node[] = [];
  for (const h of HOOKS) {
    const v = objectProp(obj, h);
    if (!v) continue;
    const u = unwrap(v);
    if (ts.isArrayLiteralExpression(u)) out.push(...u.elements);
    else out.push(v);
  }
  const handler = objectProp(obj, 'handler');
  if (handler) out.push(handler);
  return out;
}

/** The plugin function of `register(plugin)`: inline, imported, required, `import()`ed, or wrapped in `fp(...)`. */
function pluginOf(
  g: RouteGraph,
  file: string,
  expr: ts.Node,
  depth = 0,
): { file: string; fn: ts.FunctionLikeDeclaration; fp: boolean } | undefined {
  if (depth > 8) return undefined;
  const e = unwrap(expr);
  if (isFunctionLike(e)) return { file, fn: e, fp: false };
  const fi = g.lc.project.files.get(file);
  if (!fi) return undefined;
  if (ts.isCallExpression(e) && loadedModule(e) === undefined) {
    if (importOf(fi, e.expression)?.module !== 'fastify-plugin' || !e.arguments[0]) return undefined;
    const inner = pluginOf(g, file, e.arguments[0], depth + 1);
    return inner && { ...inner, fp: true };
  }
  const v = valueOf(g.lc, file, e);
  if (!v || v.node === e) return undefined;
  return pluginOf(g, v.file, v.node, depth + 1);
}

function interpret(g: RouteGraph, { ref, file, sf, call, method, args }: InstanceCall): void {
  if (SHORTHANDS.has(method)) {
    const paths = stringsOf(args[0], sf);
    if (!paths || args.length < 2) return;
    // get(path, handler) | get(path, { handler, preHandler }) | get(path, options, handler)
    const handlers =
      args.length >= 3
        ? [...handlersOf(args[1]), args[args.length - 1]!]
        : ts.isObjectLiteralExpression(unwrap(args[1]!))
          ? handlersOf(args[1])
          : [args[1]!];
    g.route(ref, file, call, [method.toUpperCase()], paths, handlers);
  } else if (method === 'route') {
    const opts = args[0];
    const methods = stringsOf(objectProp(opts, 'method'), sf);
    const path = stringValue(objectProp(opts, 'url') ?? objectProp(opts, 'path'), sf);
    if (!methods || path === undefined) return;
    g.route(
      ref,
      file,
      call,
      methods.map((m) => m.toUpperCase()),
      [path],
      handlersOf(opts),
    );
  } else if (method === 'register') {
    if (!args[0]) return;
    const plugin = pluginOf(g, file, args[0]);
    const param = plugin?.fn.parameters[0];
    if (!plugin || !param) return;
    // fastify-plugin breaks encapsulation: the plugin runs in its parent's context and the prefix option is ignored.
    const prefix = plugin.fp ? '' : (stringValue(objectProp(args[1], 'prefix'), sf) ?? '');
    const child = g.paramInstance(plugin.file, param);
    if (child) g.mount(ref, file, call, [prefix], child.inst);
  } else if (method === 'addHook') {
    const hook = stringValue(args[0], sf);
    if (hook && HOOKS.includes(hook) && args[1]) g.use(ref, file, call, [args[1]]);
  }
}

export const fastifyDetector: Detector = routerDetector({ framework: 'fastify', rules, interpret });
