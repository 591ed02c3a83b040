import { ts } from '../ts';
import type { Detector, FileContext, LinkContext } from '../scan/detector';
import { isFunctionLike } from '../scan/project';
import type { FileIndex } from '../scan/types';
import { loadedModule, unwrap, valueOf } from './trace';
import { joinPaths, stringValue } from './util';

/** Read once: the compiler API's exports are getters, too slow for per-node checks. */
const SK = ts.SyntaxKind;

// ---------------------------------------------------------------------------------------------------------------
// The router graph shared by the HTTP framework detectors (fastify, koa, hono): instances (apps, routers, plugin
// contexts), what is registered on each, and what is mounted under what, resolved at link time and walked from the
// roots to give every route its full path. A detector only says how its framework creates instances and what each
// method call on one registers (`routerDetector`).
// ---------------------------------------------------------------------------------------------------------------

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
  if (node.kind !== SK.CallExpression) return false;
  const call = node as ts.CallExpression;
  const callee = call.expression;
  if (callee.kind === SK.PropertyAccessExpression && methods.has((callee as ts.PropertyAccessExpression).name.text))
    return true;
  const args = call.arguments;
  for (let i = 0; i < args.length; i++) if (args[i]!.kind === SK.Identifier) return true;
  return false;
}

export function recordCandidate(node: ts.Node, ctx: FileContext, methods: ReadonlySet<string>): void {
  if (isCandidateCall(node, methods)) ctx.data<RouterFileData>(() => ({ calls: [] })).calls.push(node);
}

function nameOf(node: ts.Node): string | undefined {
  let n = node;
  while (
    n.parent &&
    (ts.isCallExpression(n.parent) || ts.isPropertyAccessExpression(n.parent) || ts.isParenthesizedExpression(n.parent))
  )
    n = n.parent;
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

  route(
    ref: InstanceRef,
    file: string,
    call: ts.CallExpression,
    methods: string[],
    paths: string[],
    handlers: ts.Node[],
  ): void {
    // In a chain (`router.get(...).post(...)`) every call starts where the chain does: point at the method name.
    const callee = call.expression;
    let node: ts.Node = call;
    if (ts.isPropertyAccessExpression(callee)) {
      const sf = call.getSourceFile();
      const line = (n: ts.Node): number => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line;
      if (ts.isCallExpression(unwrap(callee.expression)) || line(callee.name) !== line(call)) node = callee.name;
    }
    ref.inst.ops.push({
      kind: 'route',
      file,
      node,
      methods,
      paths: paths.map((p) => joinPaths(ref.prefix, p)),
      handlers,
    });
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

/** A call of one of the framework's methods on an instance, as `RouterFramework.interpret` receives it. */
export interface InstanceCall {
  /** The instance the method is called on, with the base path its call chain adds. */
  ref: InstanceRef;
  file: string;
  sf: ts.SourceFile;
  call: ts.CallExpression;
  /** The method name: `get`, `register`, `use`... */
  method: string;
  args: ts.NodeArray<ts.Expression>;
}

/** What a router detector knows of its framework; the scan, the graph and the walk are the same for every one. */
export interface RouterFramework {
  /** The detector id and the `framework` of the components. */
  framework: string;
  rules: InstanceRules;
  /** Records what a method call on an instance registers: routes, mounts, middleware. */
  interpret(g: RouteGraph, c: InstanceCall): void;
  /** Components the walk from the roots does not give (Koa apps without routers), emitted after it. */
  emitMore?(g: RouteGraph): void;
}

/**
 * A detector for a router framework: its scan keeps the calls that may register something, its link interprets
 * them (any other call may hand an instance to a function, `registerRoutes(app)`) and emits every route.
 */
export function routerDetector(fw: RouterFramework): Detector {
  const { framework, rules } = fw;
  return {
    id: framework,
    mentions: rules.mentions,
    kinds: [SK.CallExpression],
    visit(node: ts.Node, ctx: FileContext): void {
      recordCandidate(node, ctx, rules.methods);
    },
    link(lc: LinkContext): void {
      const g = new RouteGraph(lc, rules);
      g.run((file, call) => {
        const callee = call.expression;
        if (!ts.isPropertyAccessExpression(callee) || !rules.methods.has(callee.name.text)) {
          g.handOver(file, call);
          return;
        }
        const ref = g.instanceOf(file, callee.expression);
        if (!ref) return;
        fw.interpret(g, { ref, file, sf: g.sf(file), call, method: callee.name.text, args: call.arguments });
      });
      g.emit(framework);
      fw.emitMore?.(g);
    },
  };
}
