import { ts } from '../ts';
import type { Detector, FileContext, LinkContext } from '../scan/detector';
import { nodeUnit } from '../scan/project';
import { enclosingUnit } from '../scan/resolve';
import { HTTP_METHODS, joinPaths, stringValue } from './util';

/** Read once: the compiler API's exports are getters, too slow for per-node checks. */
const SK = ts.SyntaxKind;

/** `ts.isFunctionLike` by kind: declarations and signatures, as the compiler API counts them. */
function isAnyFunctionLike(n: ts.Node): n is ts.SignatureDeclaration {
  switch (n.kind) {
    case SK.FunctionDeclaration:
    case SK.MethodDeclaration:
    case SK.Constructor:
    case SK.GetAccessor:
    case SK.SetAccessor:
    case SK.FunctionExpression:
    case SK.ArrowFunction:
    case SK.MethodSignature:
    case SK.CallSignature:
    case SK.JSDocSignature:
    case SK.ConstructSignature:
    case SK.IndexSignature:
    case SK.FunctionType:
    case SK.JSDocFunctionType:
    case SK.ConstructorType:
      return true;
    default:
      return false;
  }
}

const METHODS = new Set<string>(HTTP_METHODS);
const EXPRESS_TYPES = new Set(['Express', 'Application', 'Router', 'IRouter']);
const UNTYPED_RECEIVER = /^(app|router|api|routes|server|application)$/i;

/** A router-like object: an app (`express()`), a router (`Router()`), or a parameter that receives one. */
interface Receiver {
  key: string;
  file: string;
  name: string;
  kind: 'app' | 'router' | 'param';
  node: ts.Node;
  /** For parameters: the function (unit) and the parameter's index. */
  fnUnit?: number;
  paramIndex?: number;
}

interface RouteReg {
  receiver: string;
  method: string;
  paths: string[];
  handlers: ts.Node[];
  node: ts.Node;
}

/** `r.use([prefix,] ...args)`: mounts sub-routers, or applies middleware under the prefix. */
interface UseReg {
  receiver: string;
  prefix: string;
  args: ts.Expression[];
  node: ts.Node;
}

/** `register(app)`: a router handed to a function that registers routes on its parameter. */
interface PassReg {
  receiver: string;
  callee: ts.Expression;
  argIndex: number;
  node: ts.Node;
}

interface FileData {
  receivers: Map<string, Receiver>;
  routes: RouteReg[];
  uses: UseReg[];
  passes: PassReg[];
  /** Function unit -> receiver key it returns (`function makeRouter() { const r = Router(); ...; return r }`). */
  returns: Map<number, string>;
  /** The names of `receivers`: a name that is none needs no lookup per scope. */
  names: Set<string>;
}

const newData = (): FileData => ({
  receivers: new Map(),
  names: new Set(),
  routes: [],
  uses: [],
  passes: [],
  returns: new Map(),
});

function isExpressCall(ctx: FileContext, expr: ts.Expression): 'app' | 'router' | undefined {
  if (expr.kind !== SK.CallExpression) return undefined;
  const imp = ctx.importOf((expr as ts.CallExpression).expression);
  if (!imp || imp.module !== 'express') return undefined;
  if (imp.name === 'default' || imp.name === '*') return 'app';
  if (imp.name === 'Router') return 'router';
  return undefined;
}

function typeIsExpress(ctx: FileContext, type: ts.TypeNode | undefined): boolean {
  if (!type || !ts.isTypeReferenceNode(type)) return false;
  const tn = type.typeName;
  if (ts.isIdentifier(tn)) {
    const imp = ctx.importOf(tn);
    return !!imp && imp.module === 'express' && EXPRESS_TYPES.has(imp.name);
  }
  // express.Router, express.Express
  const imp = ctx.importOf(tn.left);
  return !!imp && imp.module === 'express' && EXPRESS_TYPES.has(tn.right.text);
}

function receiverKey(file: string, name: string, scope: string): string {
  return `${file}#${scope}:${name}`;
}

/** The receiver an expression names in this file: a known router variable or an Express-typed parameter. */
function receiverOf(ctx: FileContext, data: FileData, e: ts.Expression): Receiver | undefined {
  if (e.kind !== SK.Identifier) return undefined;
  const expr = e as ts.Identifier;
  const named = data.names.has(expr.text);
  // Innermost declaration wins: walk up the scopes of the call.
  for (let n: ts.Node | undefined = expr; n; n = n.parent) {
    const isSf = n.kind === SK.SourceFile;
    if (isSf || isAnyFunctionLike(n)) {
      if (named) {
        const scope = isSf ? '' : String(nodeUnit.get(n) ?? '');
        const r = data.receivers.get(receiverKey(ctx.file, expr.text, scope));
        if (r) return r;
      }
      if (!isSf) {
        const params = (n as ts.SignatureDeclaration).parameters;
        let idx = -1;
        for (let i = 0; i < params.length; i++) {
          const pn = params[i]!.name;
          if (pn.kind === SK.Identifier && pn.text === expr.text) {
            idx = i;
            break;
          }
        }
        if (idx >= 0) {
          const p = params[idx]!;
          const typed = typeIsExpress(ctx, p.type);
          const untyped = !p.type && UNTYPED_RECEIVER.test(expr.text) && expressProject(ctx);
          if (!typed && !untyped) return undefined;
          const fnUnit = nodeUnit.get(n);
          if (fnUnit === undefined) return undefined;
          const rec: Receiver = {
            key: receiverKey(ctx.file, expr.text, String(fnUnit)),
            file: ctx.file,
            name: expr.text,
            kind: 'param',
            node: p,
            fnUnit,
            paramIndex: idx,
          };
          data.receivers.set(rec.key, rec);
          data.names.add(rec.name);
          return rec;
        }
      }
    }
  }
  return undefined;
}

/** Untyped `function (app) { app.get(...) }` counts only in files or projects that use Express. */
function expressProject(ctx: FileContext): boolean {
  for (const b of ctx.index.imports.values()) if (b.module === 'express') return true;
  const deps = ctx.project.dependencies;
  return deps.has('express') && !deps.has('fastify') && !deps.has('koa') && !deps.has('hono');
}

function pathsOf(ctx: FileContext, arg: ts.Expression | undefined): string[] | undefined {
  if (!arg) return undefined;
  if (ts.isArrayLiteralExpression(arg)) {
    const all = arg.elements.map((e) => pathsOf(ctx, e)?.[0]);
    return all.every((p): p is string => p !== undefined) ? all : undefined;
  }
  if (ts.isRegularExpressionLiteral(arg)) return [arg.text];
  const s = stringValue(arg, ctx.sf);
  return s !== undefined && (s.startsWith('/') || s === '*' || s === '') ? [s || '/'] : undefined;
}

/** For `r.route('/x').get(h).post(h)`: the receiver and path at the bottom of the chain. */
function routeChainBase(expr: ts.Expression): { base: ts.Expression; path: ts.Expression } | undefined {
  let e = expr;
  while (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
    const name = e.expression.name.text;
    if (name === 'route') return { base: e.expression.expression, path: e.arguments[0]! };
    if (!METHODS.has(name)) return undefined;
    e = e.expression.expression;
  }
  return undefined;
}

function visit(n: ts.Node, ctx: FileContext): void {
  if (n.kind === SK.VariableDeclaration) {
    const node = n as ts.VariableDeclaration;
    if (!node.initializer || node.name.kind !== SK.Identifier) return;
    const kind = isExpressCall(ctx, node.initializer);
    if (!kind) return;
    const data = ctx.data(newData);
    const fn = enclosingFunction(node);
    const scope = fn ? String(nodeUnit.get(fn) ?? '') : '';
    const key = receiverKey(ctx.file, node.name.text, scope);
    data.receivers.set(key, { key, file: ctx.file, name: node.name.text, kind, node });
    data.names.add(node.name.text);
    return;
  }
  if (n.kind === SK.ReturnStatement) {
    const node = n as ts.ReturnStatement;
    if (!node.expression || node.expression.kind !== SK.Identifier) return;
    const data = ctx.data(newData);
    const r = receiverOf(ctx, data, node.expression);
    const fn = enclosingFunction(node);
    const u = fn && nodeUnit.get(fn);
    if (r && u !== undefined) data.returns.set(u, r.key);
    return;
  }
  if (n.kind !== SK.CallExpression) return;
  const node = n as ts.CallExpression & { expression: ts.PropertyAccessExpression };
  if (node.expression.kind !== SK.PropertyAccessExpression) {
    recordPass(node, ctx);
    return;
  }
  const method = node.expression.name.text;
  const target = node.expression.expression;
  if (METHODS.has(method)) {
    const chain = routeChainBase(target);
    if (chain) {
      const data = ctx.data(newData);
      const r = receiverOf(ctx, data, chain.base);
      const paths = pathsOf(ctx, chain.path);
      if (r && paths)
        data.routes.push({ receiver: r.key, method: method.toUpperCase(), paths, handlers: [...node.arguments], node });
      return;
    }
    // `app.get('x')` with one argument reads a setting; routes have a path and at least one handler.
    if (node.arguments.length < 2) return;
    const data = ctx.data(newData);
    const r = receiverOf(ctx, data, target);
    if (!r) return;
    const paths = pathsOf(ctx, node.arguments[0]);
    if (!paths) return;
    data.routes.push({ receiver: r.key, method: method.toUpperCase(), paths, handlers: node.arguments.slice(1), node });
    return;
  }
  if (method === 'use' && node.arguments.length) {
    const data = ctx.data(newData);
    const r = receiverOf(ctx, data, target);
    if (!r) return;
    const first = node.arguments[0]!;
    const prefix = pathsOf(ctx, first);
    const args = prefix ? node.arguments.slice(1) : [...node.arguments];
    data.uses.push({ receiver: r.key, prefix: prefix?.[0] ?? '/', args, node });
    return;
  }
  recordPass(node, ctx);
}

function recordPass(call: ts.CallExpression, ctx: FileContext): void {
  const args = call.arguments;
  let anyIdentifier = false;
  for (let i = 0; i < args.length && !anyIdentifier; i++) anyIdentifier = args[i]!.kind === SK.Identifier;
  if (!anyIdentifier) return;
  const data = ctx.data(newData);
  // A loop, not forEach: a closure here would allocate a context on every call of this per-call check.
  for (let i = 0; i < args.length; i++) {
    const r = receiverOf(ctx, data, args[i]!);
    if (r) data.passes.push({ receiver: r.key, callee: call.expression, argIndex: i, node: call });
  }
}

function enclosingFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (isAnyFunctionLike(n)) return n;
    if (n.kind === SK.SourceFile) return undefined;
  }
  return undefined;
}

interface Edge {
  child: string;
  prefix: string;
  node: ts.Node;
}

function link(ctx: LinkContext): void {
  const all = ctx.data<FileData>();
  if (!all.size) return;
  const receivers = new Map<string, Receiver>();
  for (const d of all.values()) for (const [k, r] of d.receivers) receivers.set(k, r);
  const returns = new Map<number, string>();
  for (const d of all.values()) for (const [u, k] of d.returns) returns.set(u, k);
  const byStatementUnit = new Map<number, string>();
  for (const r of receivers.values()) {
    if (r.kind === 'param') continue;
    const u = enclosingUnit(r.node);
    if (u !== undefined && ctx.project.units[u]!.kind === 'statement') byStatementUnit.set(u, r.key);
  }

  /** The receiver an expression in `file` evaluates to: a variable, an import, `require('./x')`, `makeRouter()`. */
  const resolveReceiver = (file: string, expr: ts.Expression): string | undefined => {
    const data = all.get(file);
    if (ts.isIdentifier(expr)) {
      for (let n: ts.Node | undefined = expr; n; n = n.parent) {
        if (ts.isFunctionLike(n) || ts.isSourceFile(n)) {
          const scope = ts.isSourceFile(n) ? '' : String(nodeUnit.get(n) ?? '');
          const k = receiverKey(file, expr.text, scope);
          if (data?.receivers.has(k)) return k;
        }
      }
      const t = ctx.resolver.resolveName(file, expr.text);
      if (t?.kind === 'unit') return byStatementUnit.get(t.unit) ?? returns.get(t.unit);
      return undefined;
    }
    if (ts.isCallExpression(expr)) {
      const callee = expr.expression;
      if (
        ts.isIdentifier(callee) &&
        callee.text === 'require' &&
        expr.arguments[0] &&
        ts.isStringLiteralLike(expr.arguments[0])
      ) {
        const target = ctx.resolver.resolveModule(file, expr.arguments[0].text);
        if (!target) return undefined;
        const t = ctx.resolver.resolveExport(target, 'default');
        if (t?.kind === 'unit') return byStatementUnit.get(t.unit) ?? returns.get(t.unit);
        return undefined;
      }
      for (const u of ctx.resolver.unitsOf(file, callee)) {
        const k = returns.get(u);
        if (k) return k;
      }
      return undefined;
    }
    if (ts.isPropertyAccessExpression(expr) || ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr)) {
      if (ts.isPropertyAccessExpression(expr) && ts.isIdentifier(expr.expression)) {
        const t = ctx.resolver.resolveMember(file, expr.expression.text, expr.name.text);
        if (t?.kind === 'unit') return byStatementUnit.get(t.unit) ?? returns.get(t.unit);
        return undefined;
      }
      if (!ts.isPropertyAccessExpression(expr)) return resolveReceiver(file, expr.expression);
    }
    return undefined;
  };

  const children = new Map<string, Edge[]>();
  const middleware = new Map<string, { prefix: string; args: ts.Expression[]; node: ts.Node; file: string }[]>();
  const addEdge = (parent: string, e: Edge): void => {
    const list = children.get(parent) ?? [];
    list.push(e);
    children.set(parent, list);
  };
  for (const [file, d] of all) {
    for (const use of d.uses) {
      const mws: ts.Expression[] = [];
      for (const a of use.args) {
        const child = resolveReceiver(file, a);
        if (child && child !== use.receiver) addEdge(use.receiver, { child, prefix: use.prefix, node: use.node });
        else mws.push(a);
      }
      if (mws.length) {
        const list = middleware.get(use.receiver) ?? [];
        list.push({ prefix: use.prefix, args: mws, node: use.node, file });
        middleware.set(use.receiver, list);
      }
    }
    for (const p of d.passes) {
      for (const u of ctx.resolver.unitsOf(file, p.callee)) {
        for (const r of receivers.values()) {
          if (r.kind === 'param' && r.fnUnit === u && r.paramIndex === p.argIndex) {
            addEdge(p.receiver, { child: r.key, prefix: '/', node: p.node });
          }
        }
      }
    }
  }

  const routesBy = new Map<string, { file: string; route: RouteReg }[]>();
  for (const [file, d] of all) {
    for (const route of d.routes) {
      const list = routesBy.get(route.receiver) ?? [];
      list.push({ file, route });
      routesBy.set(route.receiver, list);
    }
  }
  const isChild = new Set<string>();
  for (const edges of children.values()) for (const e of edges) isChild.add(e.child);

  interface Mw {
    prefix: string;
    args: ts.Expression[];
    node: ts.Node;
    file: string;
  }
  const emitted = new Set<string>();
  const visited = new Set<string>();
  const walk = (rec: string, prefix: string, inherited: Mw[], seen: Set<string>): void => {
    if (seen.has(rec)) return; // a router mounted into itself, directly or not
    visited.add(rec);
    const nextSeen = new Set(seen).add(rec);
    const own = (middleware.get(rec) ?? []).map((m) => ({ ...m, prefix: joinPaths(prefix, m.prefix) }));
    for (const { file, route } of routesBy.get(rec) ?? []) {
      for (const p of route.paths) {
        const full = joinPaths(prefix, p);
        const key = `${route.method} ${full} ${file}:${route.node.pos}`;
        if (emitted.has(key)) continue;
        emitted.add(key);
        const applies = [...inherited, ...own].filter((m) => appliesTo(m, full, route.node));
        const extraUnits: number[] = [];
        for (const m of applies) {
          for (const a of m.args) extraUnits.push(...ctx.resolver.unitsOf(m.file, a));
        }
        ctx.component({
          kind: 'http-route',
          name: `${route.method} ${full}`,
          framework: 'express',
          trigger: { type: 'http', method: route.method, path: full },
          node: route.node,
          file,
          handlers: route.handlers,
          extraUnits,
          contextNodes: applies.flatMap((m) => m.args.map((a) => ({ file: m.file, node: a }))),
        });
      }
    }
    for (const e of children.get(rec) ?? []) {
      // Middleware registered after the mount (a 404 handler, static files) never sees the mounted routes.
      const before = own.filter((m) => m.node.getSourceFile() !== e.node.getSourceFile() || m.node.pos < e.node.pos);
      walk(e.child, joinPaths(prefix, e.prefix), [...inherited, ...before], nextSeen);
    }
  };
  const roots = [...receivers.values()].filter((r) => !isChild.has(r.key));
  roots.sort((a, b) => (a.kind === 'app' ? 0 : 1) - (b.kind === 'app' ? 0 : 1) || a.key.localeCompare(b.key));
  for (const r of roots) walk(r.key, '/', [], new Set());
  // Routers only mounted inside a cycle have no root: report their routes from where they stand.
  for (const r of [...routesBy.keys()].sort()) if (!visited.has(r)) walk(r, '/', [], new Set());
}

/** Middleware applies to a route under its prefix, and (in the same file) only when registered before it. */
function appliesTo(m: { prefix: string; node: ts.Node }, path: string, routeNode: ts.Node): boolean {
  if (m.prefix !== '/' && path !== m.prefix && !path.startsWith(m.prefix.endsWith('/') ? m.prefix : `${m.prefix}/`))
    return false;
  if (m.node.getSourceFile() === routeNode.getSourceFile() && m.node.pos > routeNode.pos) return false;
  return true;
}

export const expressDetector: Detector = {
  id: 'express',
  // Untyped `function (app) { app.get(...) }` files may not name express at all.
  mentions: ['express', 'app', 'router', 'Router', 'api', 'routes', 'server'],
  kinds: [SK.VariableDeclaration, SK.ReturnStatement, SK.CallExpression],
  visit,
  link,
};
