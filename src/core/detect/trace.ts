import { ts } from '../ts';
import type { LinkContext } from '../scan/detector';
import { isFunctionLike, type ProjectIndex } from '../scan/project';
import { enclosingUnit, type Resolver, type Target } from '../scan/resolve';
import { importOf } from '../scan/scanner';
import type { FileIndex } from '../scan/types';
import { objectProp, stringValue } from './util';

// ---------------------------------------------------------------------------------------------------------------
// Syntactic tracing shared by the detectors: without a type checker, what a name or a call stands for is found by
// following declarations, initialisers and imports, within a file and across the analysed files.
// ---------------------------------------------------------------------------------------------------------------

/** Strips what does not change a value: parentheses, type assertions, `!`, `satisfies`, `await`. */
export function unwrap(node: ts.Expression): ts.Expression;
export function unwrap(node: ts.Node): ts.Node;
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

// ---------------------------------------------------------------------------------------------------------------
// Declarations in scope.
// ---------------------------------------------------------------------------------------------------------------

type Scope = ts.Block | ts.SourceFile | ts.ModuleBlock | ts.CaseClause | ts.DefaultClause;

function isScope(n: ts.Node): n is Scope {
  return ts.isBlock(n) || ts.isSourceFile(n) || ts.isModuleBlock(n) || ts.isCaseClause(n) || ts.isDefaultClause(n);
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
 * The declaration an identifier refers to, by the scopes around it: a parameter, a variable or binding element
 * (destructured names included), a function or class. Imports are not declarations here (the resolver follows them).
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
    if (isScope(n)) {
      const hit = declaredIn(n.statements, text);
      if (hit) return hit;
    }
    if (
      (ts.isForOfStatement(n) || ts.isForInStatement(n) || ts.isForStatement(n)) &&
      n.initializer &&
      ts.isVariableDeclarationList(n.initializer)
    ) {
      for (const d of n.initializer.declarations) {
        if (ts.isIdentifier(d.name) && d.name.text === text) return d;
      }
    }
  }
  return undefined;
}

/**
 * The nearest variable or parameter that declares `id`'s name as a plain identifier, looking outwards through the
 * enclosing scopes. Unlike `declarationOf`, destructured names and function or class declarations are not
 * declarations here: the chains the client tracers follow only go through `const x = ...` and parameters.
 */
export function variableOrParameterOf(id: ts.Identifier): ts.VariableDeclaration | ts.ParameterDeclaration | undefined {
  const name = id.text;
  for (let n: ts.Node | undefined = id.parent; n; n = n.parent) {
    if (isScope(n)) {
      for (const st of n.statements) {
        if (!ts.isVariableStatement(st)) continue;
        for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && d.name.text === name) return d;
      }
    } else if (isFunctionLike(n)) {
      for (const p of n.parameters) if (ts.isIdentifier(p.name) && p.name.text === name) return p;
    } else if (
      (ts.isForStatement(n) || ts.isForOfStatement(n) || ts.isForInStatement(n)) &&
      n.initializer &&
      ts.isVariableDeclarationList(n.initializer)
    ) {
      for (const d of n.initializer.declarations) if (ts.isIdentifier(d.name) && d.name.text === name) return d;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Values across files: what a name evaluates to, through imports, `require`, `export default`, `module.exports`.
// ---------------------------------------------------------------------------------------------------------------

/** A node and the file it lives in: resolution crosses files. */
export interface Located {
  file: string;
  node: ts.Node;
}

/** The specifier of `require('x')` or `import('x')`. */
export function loadedModule(node: ts.Node): string | undefined {
  if (!ts.isCallExpression(node) || node.arguments.length !== 1 || !ts.isStringLiteralLike(node.arguments[0]!))
    return undefined;
  const callee = node.expression;
  if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) {
    return node.arguments[0].text;
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
      const method = obj.properties.find(
        (p) => ts.isMethodDeclaration(p) && p.name && ts.isIdentifier(p.name) && p.name.text === prop,
      );
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

// ---------------------------------------------------------------------------------------------------------------
// Client chains, for the queue, schedule, websocket and worker detectors. Clients of these libraries are rarely
// used where they are imported: `const ch = await conn.createChannel()` three lines below
// `const conn = await amqp.connect()`, or a queue exported by one file and consumed in another. These helpers
// follow such chains syntactically, back to the import that proves which library an object comes from.
// ---------------------------------------------------------------------------------------------------------------

/** The right side of the first assignment under `root` (depth first, in source order) whose left side passes `isTarget`. */
function firstAssignment(root: ts.Node, isTarget: (left: ts.Expression) => boolean): ts.Expression | undefined {
  let found: ts.Expression | undefined;
  const walk = (n: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && isTarget(n.left)) {
      found = n.right;
      return;
    }
    ts.forEachChild(n, walk);
  };
  walk(root);
  return found;
}

/** The value first assigned to a variable declared without one (`let channel; ... channel = await conn.createChannel()`). */
function assignedValue(decl: ts.VariableDeclaration): ts.Expression | undefined {
  if (!ts.isIdentifier(decl.name)) return undefined;
  const name = decl.name.text;
  let scope: ts.Node | undefined = decl.parent;
  while (scope && !isScope(scope)) scope = scope.parent;
  return scope ? firstAssignment(scope, (left) => ts.isIdentifier(left) && left.text === name) : undefined;
}

/** What `this.field` is given: its initializer, a `this.field = x` in the class, or its declared type. */
function classFieldValue(pa: ts.PropertyAccessExpression): ts.Expression | ts.TypeNode | undefined {
  let cls: ts.Node | undefined = pa.parent;
  while (cls && !ts.isClassLike(cls)) cls = cls.parent;
  if (!cls || !ts.isClassLike(cls)) return undefined;
  const field = pa.name.text;
  let type: ts.TypeNode | undefined;
  for (const m of cls.members) {
    if (ts.isPropertyDeclaration(m) && m.name && ts.isIdentifier(m.name) && m.name.text === field) {
      if (m.initializer) return m.initializer;
      type = m.type;
    }
    if (ts.isConstructorDeclaration(m)) {
      for (const p of m.parameters) if (ts.isIdentifier(p.name) && p.name.text === field && p.type) type = p.type;
    }
  }
  const found = firstAssignment(
    cls,
    (left) =>
      ts.isPropertyAccessExpression(left) &&
      left.expression.kind === ts.SyntaxKind.ThisKeyword &&
      left.name.text === field,
  );
  return found ?? type;
}

/** The import a type annotation names: `amqp.Channel`, `Consumer`. */
function typeRoot(type: ts.TypeNode | undefined, fi: FileIndex): { module: string; name: string } | undefined {
  if (!type || !ts.isTypeReferenceNode(type)) return undefined;
  let n: ts.EntityName = type.typeName;
  let member: string | undefined;
  while (ts.isQualifiedName(n)) {
    member = n.right.text;
    n = n.left;
  }
  const b = fi.imports.get(n.text);
  if (!b) return undefined;
  return { module: b.module, name: member ?? b.imported };
}

export type Step = ts.CallExpression | ts.NewExpression;

export interface Chain {
  /** The import the value comes from, e.g. `{ module: 'amqplib', name: 'connect' }`. */
  root?: { module: string; name: string };
  /** The calls and constructions met on the way, from the value back to the import. */
  steps: Step[];
  /** The imported name the trace ended at, for following it into another analysed file. */
  open?: { name: string; member?: string };
}

/**
 * Follows an expression back to an import within its file: through member accesses and calls, variable initializers
 * (and first assignments), `this.field` assignments in the class, parameter types, and parameters of callbacks
 * (`amqp.connect(url).then(conn => ...)`, `conn.createChannel((err, ch) => ...)`).
 */
export function traceChain(expr: ts.Expression, fi: FileIndex): Chain {
  const chain: Chain = { steps: [] };
  const seen = new Set<ts.Node>();
  let e: ts.Expression = expr;
  for (let i = 0; i < 32; i++) {
    e = unwrap(e);
    const imp = importOf(fi, e);
    if (imp) {
      chain.root = imp;
      if (ts.isIdentifier(e)) chain.open = { name: e.text };
      else if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression))
        chain.open = { name: e.expression.text, member: e.name.text };
      return chain;
    }
    if (ts.isCallExpression(e) || ts.isNewExpression(e)) {
      chain.steps.push(e);
      e = e.expression;
    } else if (ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword) {
      if (seen.has(e.name)) return chain;
      seen.add(e.name);
      const v = classFieldValue(e);
      if (!v) return chain;
      if (ts.isTypeNode(v)) {
        chain.root = typeRoot(v, fi);
        return chain;
      }
      e = v;
    } else if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      e = e.expression;
    } else if (ts.isIdentifier(e)) {
      const d = variableOrParameterOf(e);
      if (!d || seen.has(d)) return chain;
      seen.add(d);
      if (ts.isVariableDeclaration(d)) {
        const v = d.initializer ?? (d.type ? undefined : assignedValue(d));
        if (v) {
          e = v;
          continue;
        }
        chain.root = typeRoot(d.type, fi);
        return chain;
      }
      const t = typeRoot(d.type, fi);
      if (t) {
        chain.root = t;
        return chain;
      }
      const fn = d.parent;
      const call = fn.parent;
      if (call && ts.isCallExpression(call) && call.arguments.some((a) => a === fn)) {
        e = call;
        continue;
      }
      return chain;
    } else {
      return chain;
    }
  }
  return chain;
}

/** traceChain, continued into the analysed file that exports the value it ended at (`export const q = new Queue('x')`). */
export function traceAcross(project: ProjectIndex, resolver: Resolver, file: string, expr: ts.Expression): Chain {
  const fi = project.files.get(file);
  if (!fi) return { steps: [] };
  let chain = traceChain(expr, fi);
  const steps = [...chain.steps];
  let at = file;
  for (let hop = 0; hop < 6 && chain.open; hop++) {
    let t = resolver.resolveName(at, chain.open.name);
    if (t?.kind === 'namespace' && chain.open.member) t = resolver.resolveExport(t.file, chain.open.member);
    if (t?.kind !== 'unit') break;
    const tfi = project.files.get(t.file);
    const decl = tfi?.topDecls.get(t.name);
    if (!tfi || !decl || !ts.isVariableDeclaration(decl)) break;
    const v = decl.initializer ?? assignedValue(decl);
    if (!v) {
      chain = { root: typeRoot(decl.type, tfi), steps: [] };
      break;
    }
    at = t.file;
    chain = traceChain(v, tfi);
    steps.push(...chain.steps);
  }
  return { root: chain.root, steps };
}

/** The last step of a chain whose callee is the root import itself: `new Queue('x')` of `queue.process(...)`. */
export function rootStep(chain: Chain): Step | undefined {
  return chain.steps[chain.steps.length - 1];
}

/** A step that calls the method `name`: `kafka.consumer({...})` in a consumer's chain. */
export function stepCalling(chain: Chain, ...names: string[]): Step | undefined {
  return chain.steps.find(
    (s) =>
      ts.isCallExpression(s) && ts.isPropertyAccessExpression(s.expression) && names.includes(s.expression.name.text),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Arguments, handlers and the units facts belong to.
// ---------------------------------------------------------------------------------------------------------------

/** An object literal property as a handler: the method itself for `eachMessage() {}`, else the value. */
export function propNode(obj: ts.Node | undefined, name: string): ts.Node | undefined {
  if (!obj || !ts.isObjectLiteralExpression(obj)) return undefined;
  for (const p of obj.properties) {
    if (ts.isMethodDeclaration(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name)
      return p;
  }
  return objectProp(obj, name);
}

/** The object literal an argument is, directly or through a local `const opts = {...}`. */
export function objectLiteralOf(expr: ts.Node | undefined): ts.ObjectLiteralExpression | undefined {
  if (!expr) return undefined;
  let e = unwrap(expr as ts.Expression);
  if (ts.isIdentifier(e)) {
    const d = variableOrParameterOf(e);
    if (d && ts.isVariableDeclaration(d) && d.initializer) e = unwrap(d.initializer);
  }
  return ts.isObjectLiteralExpression(e) ? e : undefined;
}

/**
 * The text of a name-like argument (queue name, cron expression): a string, a constant of this file or of an
 * analysed file it imports (`QUEUES.email` of `export const QUEUES = { email: 'emails' }`), else the code itself.
 */
export function nameText(expr: ts.Node, project?: ProjectIndex, resolver?: Resolver, file?: string): string {
  const sf = expr.getSourceFile();
  const local = stringValue(expr, sf);
  if (local !== undefined) return local;
  if (ts.isNumericLiteral(expr)) return expr.text;
  if (ts.isRegularExpressionLiteral(expr)) return expr.text;
  if (project && resolver && file) {
    const e = unwrap(expr as ts.Expression);
    let name: string | undefined;
    let member: string | undefined;
    if (ts.isIdentifier(e)) name = e.text;
    else if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression)) {
      name = e.expression.text;
      member = e.name.text;
    }
    if (name) {
      const t = resolver.resolveName(file, name);
      if (t?.kind === 'unit') {
        const decl = project.files.get(t.file)?.topDecls.get(t.name);
        if (decl && ts.isVariableDeclaration(decl) && decl.initializer) {
          let target: ts.Node | undefined = unwrap(decl.initializer);
          if (member) target = objectProp(target, member);
          const v = target ? stringValue(target, target.getSourceFile()) : undefined;
          if (v !== undefined) return v;
        }
      }
    }
  }
  return expr.getText();
}

/** A handler argument worth attributing: a function, or a name / member access that may resolve to one. */
export function isHandlerLike(e: ts.Node | undefined): e is ts.Expression {
  if (!e) return false;
  return isFunctionLike(e) || ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) || ts.isCallExpression(e);
}

/** The name a function is known by: its own, or that of the variable or property it is assigned to. */
export function functionName(fn: ts.Node): string | undefined {
  const named = fn as ts.NamedDeclaration;
  if (named.name && ts.isIdentifier(named.name)) return named.name.text;
  const p = fn.parent;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (p && (ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) && ts.isIdentifier(p.name)) return p.name.text;
  return undefined;
}

/** The unit a fact should belong to so that the component of `handler` reaches it; else the unit around `node`. */
export function ownerUnit(resolver: Resolver, file: string, handler: ts.Node | undefined, node: ts.Node): number {
  const u = handler ? resolver.unitsOf(file, handler)[0] : undefined;
  return u ?? enclosingUnit(node) ?? 0;
}
