import { ts } from 'ts-morph';
import type { Detector, FileContext, LinkContext } from '../scan/detector';
import { isFunctionLike, type ProjectIndex } from '../scan/project';
import type { Target } from '../scan/resolve';
import { importOf } from '../scan/scanner';
import type { FileIndex } from '../scan/types';
import { joinPaths, objectProp, stringValue } from './util';

// ---------------------------------------------------------------------------------------------------------------
// Syntactic value resolution and a router graph, shared by the HTTP framework detectors (fastify, koa, hono) and
// by the plain-server detector below, which must tell a hand-written request handler from a framework app.
// ---------------------------------------------------------------------------------------------------------------

/** A node and the file it lives in: resolution crosses files. */
export interface Located {
  file: string;
  node: ts.Node;
}

/** Strips what does not change a value: parentheses, type assertions, `!`, `await`. */
export function unwrap(node: ts.Node): ts.Node {
  let e = node;
  while (
    ts.isParenthesizedExpression(e) ||
    ts.isAsExpression(e) ||
    ts.isNonNullExpression(e) ||
    ts.isSatisfiesExpression(e) ||
    ts.isTypeAssertionExpression(e) ||
    ts.isAwaitExpression(e)
  ) {
    e = e.expression;
  }
  return e;
}

/** The specifier of `require('x')` or `import('x')`. */
export function loadedModule(node: ts.Node): string | undefined {
  if (!ts.isCallExpression(node) || node.arguments.length !== 1 || !ts.isStringLiteralLike(node.arguments[0]!)) return undefined;
  const callee = node.expression;
  if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) {
    return node.arguments[0].text;
  }
  return undefined;
}

function findBinding(name: ts.BindingName, text: string): ts.Node | undefined {
  if (ts.isIdentifier(name)) return undefined;
  for (const el of name.elements) {
    if (ts.isOmittedExpression(el)) continue;
    if (ts.isIdentifier(el.name)) {
      if (el.name.text === text) return el;
    } else {
      const hit = findBinding(el.name, text);
      if (hit) return hit;
    }
  }
  return undefined;
}

function declaredIn(statements: readonly ts.Statement[], text: string): ts.Node | undefined {
  for (const st of statements) {
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name) ? d.name.text === text : false) return d;
        const b = findBinding(d.name, text);
        if (b) return b;
      }
    } else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name?.text === text) {
      return st;
    }
  }
  return undefined;
}

/**
 * The declaration an identifier refers to, by the scopes around it: a parameter, a variable or binding element,
 * a function or class. Imports are not declarations here (the resolver follows them).
 */
export function declarationOf(id: ts.Identifier): ts.Node | undefined {
  const text = id.text;
  for (let n: ts.Node | undefined = id.parent; n; n = n.parent) {
    if (isFunctionLike(n)) {
      for (const p of n.parameters) {
        if (ts.isIdentifier(p.name) ? p.name.text === text : false) return p;
        const b = findBinding(p.name, text);
        if (b) return b;
      }
      if (ts.isFunctionExpression(n) && n.name?.text === text) return n;
    }
    if (ts.isSourceFile(n) || ts.isBlock(n) || ts.isModuleBlock(n) || ts.isCaseClause(n) || ts.isDefaultClause(n)) {
      const hit = declaredIn(n.statements, text);
      if (hit) return hit;
    }
    if ((ts.isForOfStatement(n) || ts.isForInStatement(n) || ts.isForStatement(n)) && n.initializer && ts.isVariableDeclarationList(n.initializer)) {
      for (const d of n.initializer.declarations) {
        if (ts.isIdentifier(d.name) && d.name.text === text) return d;
      }
    }
  }
  return undefined;
}

/** The node a resolver target names: a declaration, or the right side of `export default` / `module.exports =`. */
export function targetNode(project: ProjectIndex, t: Extract<Target, { kind: 'unit' }>): Located | undefined {
  const node = project.units[t.unit]?.node;
  if (!node) return undefined;
  const file = t.file;
  if (isFunctionLike(node) || ts.isClassDeclaration(node)) return { file, node };
  if (ts.isVariableStatement(node)) {
    for (const d of node.declarationList.declarations) {
      if (ts.isIdentifier(d.name) && d.name.text === t.name) return { file, node: d };
      const b = findBinding(d.name, t.name);
      if (b) return { file, node: b };
    }
    return undefined;
  }
  if (ts.isExportAssignment(node)) return { file, node: node.expression };
  if (ts.isExpressionStatement(node) && ts.isBinaryExpression(node.expression)) {
    const right = node.expression.right;
    const prop = t.name.startsWith('module.exports.') ? t.name.slice('module.exports.'.length) : undefined;
    if (prop && ts.isObjectLiteralExpression(unwrap(right))) {
      const obj = unwrap(right) as ts.ObjectLiteralExpression;
      const method = obj.properties.find((p) => ts.isMethodDeclaration(p) && p.name && ts.isIdentifier(p.name) && p.name.text === prop);
      if (method) return { file, node: method };
      const v = objectProp(obj, prop);
      return v ? { file, node: v } : undefined;
    }
    return { file, node: right };
  }
  return undefined;
}

/** The declaration an identifier used in `file` names, in this file or, through its imports, in another. */
export function bindingOf(lc: LinkContext, file: string, id: ts.Identifier): Located | undefined {
  const fi = lc.project.files.get(file);
  if (!fi) return undefined;
  const local = declarationOf(id);
  // `const { a } = require('./x')` declares `a` locally, but what it stands for lives in the other module.
  if (local && !(ts.isBindingElement(local) && fi.imports.has(id.text))) return { file, node: local };
  if (!fi.imports.has(id.text)) return undefined;
  const t = lc.resolver.resolveName(file, id.text);
  return t?.kind === 'unit' ? targetNode(lc.project, t) : undefined;
}

function declValue(lc: LinkContext, b: Located, depth: number): Located | undefined {
  const n = b.node;
  if (ts.isVariableDeclaration(n)) return n.initializer ? valueOf(lc, b.file, n.initializer, depth) : b;
  if (ts.isExpression(n) && !isFunctionLike(n)) return valueOf(lc, b.file, n, depth);
  return b;
}

/**
 * What an expression evaluates to, as far as syntax tells: identifiers are followed to their initialisers (across
 * imports, `require`, `import()`, `export default`, `module.exports`), up to an expression that is not a name, a
 * function or class declaration, or a parameter. Undefined when a name cannot be followed (a package, a global).
 */
export function valueOf(lc: LinkContext, file: string, expr: ts.Node, depth = 0): Located | undefined {
  if (depth > 12) return undefined;
  const e = unwrap(expr);
  if (ts.isIdentifier(e)) {
    const b = bindingOf(lc, file, e);
    return b ? declValue(lc, b, depth + 1) : undefined;
  }
  const spec = loadedModule(e);
  if (spec !== undefined) return exportValue(lc, file, spec, 'default', depth);
  if (ts.isPropertyAccessExpression(e)) {
    const obj = unwrap(e.expression);
    const objSpec = loadedModule(obj);
    if (objSpec !== undefined) return exportValue(lc, file, objSpec, e.name.text, depth) ?? { file, node: e };
    if (ts.isIdentifier(obj) && !declarationOf(obj)) {
      const t = lc.resolver.resolveMember(file, obj.text, e.name.text);
      const n = t?.kind === 'unit' ? targetNode(lc.project, t) : undefined;
      if (n) return declValue(lc, n, depth + 1);
    }
  }
  return { file, node: e };
}

function exportValue(lc: LinkContext, file: string, spec: string, name: string, depth: number): Located | undefined {
  const target = lc.resolver.resolveModule(file, spec);
  if (!target) return undefined;
  const t = lc.resolver.resolveExport(target, name);
  const n = t?.kind === 'unit' ? targetNode(lc.project, t) : undefined;
  return n ? declValue(lc, n, depth + 1) : undefined;
}

/** A string, or an array literal of strings (`['/a', '/b']`, `['GET', 'POST']`). */
export function stringsOf(node: ts.Node | undefined, sf: ts.SourceFile): string[] | undefined {
  if (!node) return undefined;
  const e = unwrap(node);
  if (ts.isArrayLiteralExpression(e)) {
    const all = e.elements.map((x) => stringValue(x, sf));
    return all.length && all.every((s): s is string => s !== undefined) ? all : undefined;
  }
  const s = stringValue(e, sf);
  return s === undefined ? undefined : [s];
}

// ---------------------------------------------------------------------------------------------------------------
// The router graph: instances (apps, routers, plugin contexts), what is registered on each, and what is mounted
// under what, resolved at link time and walked from the roots to give every route its full path.
// ---------------------------------------------------------------------------------------------------------------

export interface RouteOp {
  kind: 'route';
  file: string;
  node: ts.Node;
  methods: string[];
  paths: string[];
  handlers: ts.Node[];
}

export interface MountOp {
  kind: 'mount';
  file: string;
  node: ts.Node;
  prefixes: string[];
  /** Undefined when what is mounted could not be followed (it still tells that the app has routes elsewhere). */
  child?: Instance;
}

/** Middleware or hooks that run before every route of the instance and of what is mounted under it. */
export interface UseOp {
  kind: 'use';
  file: string;
  node: ts.Node;
  handlers: ts.Node[];
}

export type Op = RouteOp | MountOp | UseOp;

export interface Instance {
  /** The creating expression (`new Router()`), or the parameter a function receives the instance through. */
  key: ts.Node;
  file: string;
  name: string;
  role: string;
  prefix: string;
  ops: Op[];
  /** Walked from when nothing mounts it. */
  root: boolean;
  mountedBy: number;
}

export interface InstanceRef {
  inst: Instance;
  /** Base path added by the call chain (`app.basePath('/api')`). */
  prefix: string;
}

export interface InstanceRules {
  /** The files the detector's scan visits (its `mentions`): others are walked on demand. */
  mentions: string[];
  /** Method names whose calls are worth keeping: registrations and chain links. */
  methods: ReadonlySet<string>;
  /** The own prefix and role of an expression that creates an instance. */
  create(fi: FileIndex, expr: ts.Node): { prefix: string; role: string } | undefined;
  /** Methods that return the instance they are called on. */
  chain: ReadonlySet<string>;
  /** Methods that return a view of the instance under a longer base path. */
  derive?: ReadonlySet<string>;
  /** A parameter that receives an instance (a plugin, a route module): whether it is a root on its own. */
  paramRoot?(param: ts.ParameterDeclaration, fi: FileIndex): boolean;
}

/** The data a router detector keeps per file: calls that may register routes on an instance. */
export interface RouterFileData {
  calls: ts.CallExpression[];
}

/** Whether a call may register something on an instance, or hand an instance to a function. */
export function isCandidateCall(node: ts.Node, methods: ReadonlySet<string>): node is ts.CallExpression {
  if (node.kind !== ts.SyntaxKind.CallExpression) return false;
  const call = node as ts.CallExpression;
  const callee = call.expression;
  if (ts.isPropertyAccessExpression(callee) && methods.has(callee.name.text)) return true;
  return call.arguments.some((a) => a.kind === ts.SyntaxKind.Identifier);
}

export function recordCandidate(node: ts.Node, ctx: FileContext, methods: ReadonlySet<string>): void {
  if (isCandidateCall(node, methods)) ctx.data<RouterFileData>(() => ({ calls: [] })).calls.push(node);
}

function nameOf(node: ts.Node): string | undefined {
  let n = node;
  while (n.parent && (ts.isCallExpression(n.parent) || ts.isPropertyAccessExpression(n.parent) || ts.isParenthesizedExpression(n.parent))) n = n.parent;
  const p = n.parent;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (p && ts.isPropertyAssignment(p) && ts.isIdentifier(p.name)) return p.name.text;
  return undefined;
}

export class RouteGraph {
  readonly instances: Instance[] = [];
  private readonly byKey = new Map<ts.Node, Instance>();
  private readonly memo = new Map<ts.Node, InstanceRef | null>();
  private readonly queue: { file: string; call: ts.CallExpression }[] = [];
  private readonly walked = new Set<string>();
  private readonly useUnits = new Map<UseOp, number[]>();

  constructor(
    readonly lc: LinkContext,
    private readonly rules: InstanceRules,
  ) {
    for (const [file, d] of lc.data<RouterFileData>()) for (const call of d.calls) this.queue.push({ file, call });
  }

  /** Interprets every kept call, and those of files walked on demand when an instance is handed to them. */
  run(interpret: (file: string, call: ts.CallExpression) => void): void {
    for (let i = 0; i < this.queue.length; i++) interpret(this.queue[i]!.file, this.queue[i]!.call);
  }

  sf(file: string): ts.SourceFile {
    return this.lc.project.files.get(file)!.sf;
  }

  /** The instance an expression in `file` stands for, with the base path its call chain adds. */
  instanceOf(file: string, expr: ts.Node, depth = 0): InstanceRef | undefined {
    if (depth > 16) return undefined;
    const e = unwrap(expr);
    const m = this.memo.get(e);
    if (m !== undefined) return m ?? undefined;
    this.memo.set(e, null);
    const r = this.computeInstance(file, e, depth);
    this.memo.set(e, r ?? null);
    return r;
  }

  private computeInstance(file: string, e: ts.Node, depth: number): InstanceRef | undefined {
    const fi = this.lc.project.files.get(file);
    if (!fi) return undefined;
    const made = this.rules.create(fi, e);
    if (made) return { inst: this.ensure(e, file, nameOf(e) ?? made.role, made.role, made.prefix, true), prefix: '' };
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
      const method = e.expression.name.text;
      if (this.rules.chain.has(method)) return this.instanceOf(file, e.expression.expression, depth + 1);
      if (this.rules.derive?.has(method)) {
        const base = this.instanceOf(file, e.expression.expression, depth + 1);
        const p = stringValue(e.arguments[0], fi.sf);
        return base && { inst: base.inst, prefix: joinPaths(base.prefix, p ?? '') };
      }
    }
    if (ts.isParameter(e)) return this.paramInstance(file, e);
    if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) || loadedModule(e) !== undefined) {
      const v = valueOf(this.lc, file, e);
      if (!v || v.node === e || ts.isVariableDeclaration(v.node)) return undefined;
      return this.instanceOf(v.file, v.node, depth + 1);
    }
    return undefined;
  }

  private ensure(key: ts.Node, file: string, name: string, role: string, prefix: string, root: boolean): Instance {
    let inst = this.byKey.get(key);
    if (!inst) {
      inst = { key, file, name, role, prefix, ops: [], root, mountedBy: 0 };
      this.byKey.set(key, inst);
      this.instances.push(inst);
    }
    return inst;
  }

  /** The instance a function receives through a parameter; the function's file is walked if the scan skipped it. */
  paramInstance(file: string, param: ts.ParameterDeclaration): InstanceRef | undefined {
    if (!ts.isIdentifier(param.name)) return undefined;
    const fi = this.lc.project.files.get(file);
    if (!fi) return undefined;
    const existing = this.byKey.get(param);
    if (existing) return { inst: existing, prefix: '' };
    const inst = this.ensure(param, file, param.name.text, 'param', '', this.rules.paramRoot?.(param, fi) ?? false);
    if (!this.rules.mentions.some((s) => fi.sf.text.includes(s)) && !this.walked.has(file)) {
      this.walked.add(file);
      const walk = (n: ts.Node): void => {
        if (isCandidateCall(n, this.rules.methods)) this.queue.push({ file, call: n });
        ts.forEachChild(n, walk);
      };
      walk(fi.sf);
    }
    return { inst, prefix: '' };
  }

  /** The function an expression resolves to (`registerRoutes`, `require('./routes')`, `export default function`). */
  functionOf(file: string, expr: ts.Node): { file: string; fn: ts.FunctionLikeDeclaration } | undefined {
    const e = unwrap(expr);
    if (isFunctionLike(e)) return { file, fn: e };
    const v = valueOf(this.lc, file, e);
    if (v && isFunctionLike(v.node)) return { file: v.file, fn: v.node };
    return undefined;
  }

  route(ref: InstanceRef, file: string, call: ts.CallExpression, methods: string[], paths: string[], handlers: ts.Node[]): void {
    // In a chain (`router.get(...).post(...)`) every call starts where the chain does: point at the method name.
    const callee = call.expression;
    let node: ts.Node = call;
    if (ts.isPropertyAccessExpression(callee)) {
      const sf = call.getSourceFile();
      const line = (n: ts.Node): number => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line;
      if (ts.isCallExpression(unwrap(callee.expression)) || line(callee.name) !== line(call)) node = callee.name;
    }
    ref.inst.ops.push({ kind: 'route', file, node, methods, paths: paths.map((p) => joinPaths(ref.prefix, p)), handlers });
  }

  mount(ref: InstanceRef, file: string, node: ts.Node, prefixes: string[], child: Instance | undefined): void {
    if (child === ref.inst) return;
    if (child) child.mountedBy++;
    ref.inst.ops.push({ kind: 'mount', file, node, prefixes: prefixes.map((p) => joinPaths(ref.prefix, p)), child });
  }

  use(ref: InstanceRef, file: string, node: ts.Node, handlers: ts.Node[]): void {
    if (handlers.length) ref.inst.ops.push({ kind: 'use', file, node, handlers });
  }

  /** `register(app)`: an instance handed to a function that registers routes on its parameter. */
  handOver(file: string, call: ts.CallExpression): void {
    call.arguments.forEach((arg, i) => {
      if (!ts.isIdentifier(arg)) return;
      const ref = this.instanceOf(file, arg);
      if (!ref) return;
      const target = this.functionOf(file, call.expression);
      const param = target?.fn.parameters[i];
      if (!target || !param) return;
      const child = this.paramInstance(target.file, param);
      if (child) this.mount(ref, file, call, [''], child.inst);
    });
  }

  /** Emits one component per route and method, for every path each route is reachable under. */
  emit(framework: string): void {
    for (const inst of this.instances) {
      if (inst.root && inst.mountedBy === 0) this.walk(framework, inst, '', [], new Set());
    }
  }

  private walk(framework: string, inst: Instance, base: string, inherited: UseOp[], stack: Set<Instance>): void {
    if (stack.has(inst)) return;
    stack.add(inst);
    const here = joinPaths(base, inst.prefix);
    const own = inst.ops.filter((o): o is UseOp => o.kind === 'use');
    for (const op of inst.ops) {
      if (op.kind === 'route') {
        const mws = [...inherited, ...own.filter((u) => before(u, op))];
        const extraUnits = mws.flatMap((u) => this.unitsOfUse(u));
        const contextNodes = mws.flatMap((u) => u.handlers.map((h) => ({ file: u.file, node: h })));
        for (const p of op.paths) {
          const path = joinPaths(here, p);
          for (const method of op.methods) {
            this.lc.component({
              kind: 'http-route',
              name: `${method} ${path}`,
              framework,
              trigger: { type: 'http', method, path },
              node: op.node,
              file: op.file,
              handlers: op.handlers,
              ...(extraUnits.length ? { extraUnits } : {}),
              ...(contextNodes.length ? { contextNodes } : {}),
            });
          }
        }
      } else if (op.kind === 'mount' && op.child) {
        const mws = [...inherited, ...own.filter((u) => before(u, op))];
        for (const p of op.prefixes) this.walk(framework, op.child, joinPaths(here, p), mws, stack);
      }
    }
    stack.delete(inst);
  }

  unitsOfUse(u: UseOp): number[] {
    let units = this.useUnits.get(u);
    if (!units) {
      units = u.handlers.flatMap((h) => this.lc.resolver.unitsOf(u.file, h));
      this.useUnits.set(u, units);
    }
    return units;
  }
}

/** Middleware registered later in the same file runs after the route has answered: it does not apply. */
function before(u: UseOp, op: Op): boolean {
  return u.file !== op.file || u.node.pos < op.node.pos;
}

// ---------------------------------------------------------------------------------------------------------------
// Plain Node http / https / http2 servers.
// ---------------------------------------------------------------------------------------------------------------

const NODE_HTTP_MODULES = new Set(['http', 'node:http', 'https', 'node:https', 'http2', 'node:http2']);
const SERVER_FACTORIES = new Set(['createServer', 'createSecureServer', 'Server']);
const REQUEST_EVENTS = new Set(['on', 'addListener', 'once']);

/**
 * Packages whose apps are request listeners: `http.createServer(app)` serves that framework's routes, which its
 * own detector reports (or which are out of reach), never a hand-written handler.
 */
const FRAMEWORK_MODULES = new Set([
  'express',
  'koa',
  'fastify',
  'hono',
  '@hono/node-server',
  'connect',
  'polka',
  'restify',
  'next',
  'h3',
  'micro',
  'router',
  'find-my-way',
  '@nestjs/core',
  '@feathersjs/feathers',
  '@feathersjs/express',
  '@koa/router',
  'koa-router',
]);

interface ServerRec {
  call: ts.CallExpression | ts.NewExpression;
  handler?: ts.Expression;
}

interface ServerFileData {
  servers: ServerRec[];
  listeners: ts.CallExpression[];
}

function serverVisit(node: ts.Node, ctx: FileContext): void {
  if (node.kind !== ts.SyntaxKind.CallExpression && node.kind !== ts.SyntaxKind.NewExpression) return;
  const call = node as ts.CallExpression | ts.NewExpression;
  const callee = call.expression;
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  if (!name) return;
  if (SERVER_FACTORIES.has(name)) {
    const imp = ctx.importOf(callee);
    if (!imp || !NODE_HTTP_MODULES.has(imp.module) || !SERVER_FACTORIES.has(imp.name)) return;
    // The request listener is always the last argument, after the optional options object.
    const args = call.arguments ?? [];
    const last = args[args.length - 1];
    // An options object alone is no listener; a name is followed at link time, where only functions count.
    const handler = last && !ts.isObjectLiteralExpression(unwrap(last)) ? last : undefined;
    ctx.data<ServerFileData>(newServerData).servers.push({ call, handler });
    return;
  }
  if (REQUEST_EVENTS.has(name) && ts.isCallExpression(call) && ts.isPropertyAccessExpression(callee) && call.arguments.length === 2 && stringValue(call.arguments[0]) === 'request') {
    ctx.data<ServerFileData>(newServerData).listeners.push(call);
  }
}

const newServerData = (): ServerFileData => ({ servers: [], listeners: [] });

/** Whether a value is made by a web framework: `express()`, `new Koa()`, `app.callback()`, `nextApp.getRequestHandler()`. */
export function madeByFramework(lc: LinkContext, v: Located, depth = 0): boolean {
  if (depth > 6) return false;
  const n = unwrap(v.node);
  if (!ts.isCallExpression(n) && !ts.isNewExpression(n) && !ts.isPropertyAccessExpression(n)) return false;
  const fi = lc.project.files.get(v.file);
  if (!fi) return false;
  const callee = ts.isPropertyAccessExpression(n) ? n : n.expression;
  const imp = importOf(fi, callee);
  if (imp && FRAMEWORK_MODULES.has(imp.module)) return true;
  if (ts.isPropertyAccessExpression(callee)) {
    const obj = valueOf(lc, v.file, callee.expression);
    return !!obj && obj.node !== callee.expression && madeByFramework(lc, obj, depth + 1);
  }
  return false;
}

/** `(req, res) => app(req, res)` / `app.handle(req, res)`: a wrapper that hands every request to a framework app. */
function delegatesToFramework(lc: LinkContext, file: string, fn: ts.FunctionLikeDeclaration): boolean {
  const body = fn.body;
  if (!body) return false;
  let expr: ts.Node | undefined;
  if (!ts.isBlock(body)) expr = body;
  else if (body.statements.length === 1) {
    const st = body.statements[0]!;
    if (ts.isExpressionStatement(st)) expr = st.expression;
    else if (ts.isReturnStatement(st)) expr = st.expression;
  }
  if (!expr) return false;
  const e = unwrap(expr);
  if (!ts.isCallExpression(e)) return false;
  const callee = unwrap(e.expression);
  const target = ts.isPropertyAccessExpression(callee) ? callee.expression : callee;
  const v = valueOf(lc, file, target);
  return !!v && madeByFramework(lc, v);
}

function serverLink(lc: LinkContext): void {
  const all = lc.data<ServerFileData>();
  for (const [file, d] of all) {
    for (const server of d.servers) {
      const handlers: Located[] = [];
      if (server.handler) handlers.push({ file, node: server.handler });
      for (const [lfile, ld] of all) {
        for (const l of ld.listeners) {
          const recv = (l.expression as ts.PropertyAccessExpression).expression;
          const v = unwrap(recv) === server.call ? { file: lfile, node: server.call } : valueOf(lc, lfile, recv);
          if (v && v.node === server.call) handlers.push({ file: lfile, node: l.arguments[1]! });
        }
      }
      for (const h of handlers) {
        const v = valueOf(lc, h.file, h.node);
        if (!v || !isFunctionLike(v.node) || !v.node.body) continue;
        if (delegatesToFramework(lc, v.file, v.node)) continue;
        emitServer(lc, file, server.call, v.file, v.node);
      }
    }
  }
}

function emitServer(lc: LinkContext, file: string, call: ts.Node, fnFile: string, fn: ts.FunctionLikeDeclaration): void {
  const routes = dispatchRoutes(fn);
  if (!routes.length) {
    lc.component({
      kind: 'http-route',
      name: 'ALL /*',
      framework: 'node-http',
      trigger: { type: 'http', method: 'ALL', path: '/*' },
      node: call,
      file,
      handlers: [fn],
    });
    return;
  }
  for (const r of routes) {
    lc.component({
      kind: 'http-route',
      name: `${r.method} ${r.path}`,
      framework: 'node-http',
      trigger: { type: 'http', method: r.method, path: r.path },
      node: r.node,
      file: fnFile,
      handlers: [fn],
    });
  }
}

interface Dispatch {
  method: string;
  path: string;
  node: ts.Node;
}

const EQUALITY = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

/** The literal paths a handler dispatches on (`req.url === '/x'`, `switch (pathname)`), each with its methods. */
function dispatchRoutes(fn: ts.FunctionLikeDeclaration): Dispatch[] {
  const reqParam = fn.parameters[0];
  if (!reqParam || !ts.isIdentifier(reqParam.name) || !fn.body) return [];
  const req = reqParam;
  const out: Dispatch[] = [];
  const seen = new Set<string>();
  const add = (methods: string[], path: string, node: ts.Node): void => {
    for (const method of methods) {
      const key = `${method} ${path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ method, path, node });
    }
  };
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && EQUALITY.has(n.operatorToken.kind)) {
      const path = literalAgainst(n, (e) => isUrlish(e, req), (s) => s.startsWith('/'));
      if (path !== undefined) add(methodsFor(n, req), path, n);
    } else if (ts.isSwitchStatement(n) && isUrlish(n.expression, req)) {
      for (const clause of n.caseBlock.clauses) {
        if (!ts.isCaseClause(clause)) continue;
        const path = stringValue(clause.expression);
        if (path === undefined || !path.startsWith('/')) continue;
        add(methodsFor(clause, req), path, clause);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return out;
}

/** The string literal one side of a comparison holds when the other side passes `test`. */
function literalAgainst(bin: ts.BinaryExpression, test: (e: ts.Node) => boolean, accept: (s: string) => boolean): string | undefined {
  for (const [lit, other] of [
    [bin.right, bin.left],
    [bin.left, bin.right],
  ] as const) {
    const u = unwrap(lit);
    if (!ts.isStringLiteralLike(u) || !accept(u.text)) continue;
    if (test(other)) return u.text;
  }
  return undefined;
}

function isReq(e: ts.Node, req: ts.ParameterDeclaration): boolean {
  const u = unwrap(e);
  return ts.isIdentifier(u) && declarationOf(u) === req;
}

/** `req.url`, `x.pathname`, `url.split('?')[0]`, and names bound to those (`const { pathname } = new URL(...)`). */
function isUrlish(expr: ts.Node, req: ts.ParameterDeclaration, depth = 0): boolean {
  if (depth > 6) return false;
  const e = unwrap(expr);
  if (ts.isPropertyAccessExpression(e)) {
    if (e.name.text === 'pathname') return true;
    if (e.name.text === 'url') return isReq(e.expression, req);
    return false;
  }
  if (ts.isElementAccessExpression(e)) return isUrlish(e.expression, req, depth + 1);
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) return isUrlish(e.expression.expression, req, depth + 1);
  if (ts.isIdentifier(e)) {
    const d = declarationOf(e);
    if (!d) return false;
    if (ts.isVariableDeclaration(d)) return !!d.initializer && isUrlish(d.initializer, req, depth + 1);
    if (ts.isBindingElement(d)) {
      const prop = d.propertyName && ts.isIdentifier(d.propertyName) ? d.propertyName.text : ts.isIdentifier(d.name) ? d.name.text : '';
      if (prop === 'pathname') return true;
      const decl = d.parent.parent;
      return prop === 'url' && ts.isVariableDeclaration(decl) && !!decl.initializer && isReq(decl.initializer, req);
    }
  }
  return false;
}

/** `req.method`, and `method` destructured from the request. */
function isMethodish(expr: ts.Node, req: ts.ParameterDeclaration): boolean {
  const e = unwrap(expr);
  if (ts.isPropertyAccessExpression(e)) return e.name.text === 'method' && isReq(e.expression, req);
  if (ts.isIdentifier(e)) {
    const d = declarationOf(e);
    if (d && ts.isVariableDeclaration(d)) return !!d.initializer && isMethodish(d.initializer, req);
    if (d && ts.isBindingElement(d)) {
      const prop = d.propertyName && ts.isIdentifier(d.propertyName) ? d.propertyName.text : ts.isIdentifier(d.name) ? d.name.text : '';
      const decl = d.parent.parent;
      return prop === 'method' && ts.isVariableDeclaration(decl) && !!decl.initializer && isReq(decl.initializer, req);
    }
  }
  return false;
}

/** Method literals compared in an expression, not looking into nested functions. */
function methodChecks(node: ts.Node, req: ts.ParameterDeclaration): string[] {
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (isFunctionLike(n)) return;
    if (ts.isBinaryExpression(n) && EQUALITY.has(n.operatorToken.kind)) {
      const m = literalAgainst(n, (e) => isMethodish(e, req), (s) => /^[A-Za-z]+$/.test(s));
      if (m !== undefined && !out.includes(m.toUpperCase())) out.push(m.toUpperCase());
    } else if (ts.isSwitchStatement(n) && isMethodish(n.expression, req)) {
      for (const c of n.caseBlock.clauses) {
        const m = ts.isCaseClause(c) ? stringValue(c.expression) : undefined;
        if (m && !out.includes(m.toUpperCase())) out.push(m.toUpperCase());
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return out;
}

/**
 * The methods a path check serves: a method check in the same condition (`req.method === 'POST' && req.url ===
 * '/x'`), else in an `if` around it, else the method checks inside the branch it guards, else ALL.
 */
function methodsFor(check: ts.Node, req: ts.ParameterDeclaration): string[] {
  let cond: ts.Node = check;
  if (!ts.isCaseClause(check)) {
    while (
      cond.parent &&
      (ts.isParenthesizedExpression(cond.parent) ||
        (ts.isBinaryExpression(cond.parent) && cond.parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken))
    ) {
      cond = cond.parent;
    }
    const same = methodChecks(cond, req);
    if (same.length) return same;
  }
  for (let n: ts.Node = cond; n.parent && !isFunctionLike(n); n = n.parent) {
    const p = n.parent;
    if (ts.isIfStatement(p) && p.thenStatement === n) {
      const around = methodChecks(p.expression, req);
      if (around.length) return around;
    } else if (ts.isCaseClause(p) && p.parent.parent.expression && isMethodish(p.parent.parent.expression, req)) {
      const m = stringValue(p.expression);
      if (m) return [m.toUpperCase()];
    }
  }
  let region: ts.Node | undefined;
  if (ts.isCaseClause(check)) region = check;
  else if (cond.parent && ts.isIfStatement(cond.parent) && cond.parent.expression === cond) region = cond.parent.thenStatement;
  const inside = region ? methodChecks(region, req) : [];
  return inside.length ? inside : ['ALL'];
}

export const httpServerDetector: Detector = {
  id: 'node-http',
  mentions: ['http'],
  visit: serverVisit,
  link: serverLink,
};
