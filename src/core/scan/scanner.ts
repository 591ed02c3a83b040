import { ts } from 'ts-morph';
import type { Detector, FileContext } from './detector';
import { isFunctionLike, nodeUnit, type ProjectIndex } from './project';
import type { FileIndex, ImportBinding, Unit } from './types';

const MUTATING_METHODS = new Set([
  'set',
  'add',
  'delete',
  'clear',
  'push',
  'pop',
  'shift',
  'unshift',
  'splice',
  'sort',
  'reverse',
  'fill',
  'copyWithin',
]);

export function scriptKindOf(file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (file.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.(c|m)?js$/.test(file)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

export function parseSource(file: string, text: string): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindOf(file));
}

/** The first syntax error of a parsed file, as "line:column message", or undefined when it parsed cleanly. */
export function syntaxError(sf: ts.SourceFile): string | undefined {
  const diags = (sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics;
  const d = diags?.[0];
  if (!d) return undefined;
  const pos = sf.getLineAndCharacterOfPosition(d.start);
  return `syntax error at ${pos.line + 1}:${pos.character + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
}

function requireModule(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (
    ts.isCallExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'require' &&
    node.arguments.length === 1 &&
    ts.isStringLiteralLike(node.arguments[0]!)
  ) {
    return node.arguments[0].text;
  }
  return undefined;
}

function bindingNames(name: ts.BindingName, out: string[]): void {
  if (ts.isIdentifier(name)) out.push(name.text);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bindingNames(el.name, out);
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === kind);
}

/** `module.exports` / `exports` member chains: returns the exported name ('default' for module.exports itself). */
function commonJsExportName(target: ts.Expression): string | undefined {
  if (ts.isPropertyAccessExpression(target)) {
    const obj = target.expression;
    if (ts.isIdentifier(target.name) && ts.isIdentifier(obj) && obj.text === 'module' && target.name.text === 'exports') {
      return 'default';
    }
    if (ts.isIdentifier(obj) && obj.text === 'exports') return target.name.text;
    if (
      ts.isPropertyAccessExpression(obj) &&
      ts.isIdentifier(obj.expression) &&
      obj.expression.text === 'module' &&
      obj.name.text === 'exports'
    ) {
      return target.name.text;
    }
  }
  return undefined;
}

function isDeclarationName(id: ts.Identifier): boolean {
  const p = id.parent;
  switch (p.kind) {
    case ts.SyntaxKind.PropertyAccessExpression:
      return (p as ts.PropertyAccessExpression).name === id;
    case ts.SyntaxKind.PropertyAssignment:
    case ts.SyntaxKind.PropertyDeclaration:
    case ts.SyntaxKind.PropertySignature:
    case ts.SyntaxKind.MethodDeclaration:
    case ts.SyntaxKind.MethodSignature:
    case ts.SyntaxKind.GetAccessor:
    case ts.SyntaxKind.SetAccessor:
    case ts.SyntaxKind.EnumMember:
      return (p as ts.NamedDeclaration).name === id;
    case ts.SyntaxKind.VariableDeclaration:
    case ts.SyntaxKind.Parameter:
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.ClassDeclaration:
    case ts.SyntaxKind.ClassExpression:
    case ts.SyntaxKind.InterfaceDeclaration:
    case ts.SyntaxKind.TypeAliasDeclaration:
    case ts.SyntaxKind.EnumDeclaration:
    case ts.SyntaxKind.ModuleDeclaration:
      return (p as ts.NamedDeclaration).name === id;
    case ts.SyntaxKind.BindingElement:
      return (p as ts.BindingElement).name === id || (p as ts.BindingElement).propertyName === id;
    case ts.SyntaxKind.ImportSpecifier:
    case ts.SyntaxKind.ImportClause:
    case ts.SyntaxKind.NamespaceImport:
    case ts.SyntaxKind.ExportSpecifier:
    case ts.SyntaxKind.ImportEqualsDeclaration:
    case ts.SyntaxKind.LabeledStatement:
    case ts.SyntaxKind.BreakStatement:
    case ts.SyntaxKind.ContinueStatement:
    case ts.SyntaxKind.TypeReference:
    case ts.SyntaxKind.QualifiedName:
    case ts.SyntaxKind.ExpressionWithTypeArguments:
      return true;
    default:
      return false;
  }
}

/** The identifier at the root of `a`, `a.b.c`, `a[k].b`, or undefined. */
export function rootIdentifier(expr: ts.Expression): ts.Identifier | undefined {
  let e: ts.Expression = expr;
  for (;;) {
    if (ts.isIdentifier(e)) return e;
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) e = e.expression;
    else if (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
    else return undefined;
  }
}

/** Pre-pass over the top-level statements: imports, requires, exports and the names declared at the top. */
function indexTopLevel(fi: FileIndex, sf: ts.SourceFile, newUnit: (node: ts.Node, kind: Unit['kind']) => number): void {
  const addImport = (b: ImportBinding): void => {
    fi.imports.set(b.local, b);
  };
  for (const st of sf.statements) {
    const unit = newUnit(st, ts.isFunctionDeclaration(st) ? 'function' : 'statement');
    fi.statementUnits.push(unit);
    const exported = hasModifier(st, ts.SyntaxKind.ExportKeyword);
    const isDefault = hasModifier(st, ts.SyntaxKind.DefaultKeyword);
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const module = st.moduleSpecifier.text;
      fi.modules.push({ module, node: st, unit });
      const clause = st.importClause;
      if (clause?.name) addImport({ local: clause.name.text, module, imported: 'default', node: st });
      const nb = clause?.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) addImport({ local: nb.name.text, module, imported: '*', node: st });
      if (nb && ts.isNamedImports(nb)) {
        for (const el of nb.elements) {
          addImport({ local: el.name.text, module, imported: (el.propertyName ?? el.name).text, node: st });
        }
      }
    } else if (ts.isImportEqualsDeclaration(st)) {
      const ref = st.moduleReference;
      if (ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression)) {
        fi.modules.push({ module: ref.expression.text, node: st, unit });
        addImport({ local: st.name.text, module: ref.expression.text, imported: '*', node: st });
      }
    } else if (ts.isVariableStatement(st)) {
      for (const decl of st.declarationList.declarations) {
        // const x = require('m'), const { a, b: c } = require('m'), const X = require('m').X
        let init = decl.initializer;
        let member: string | undefined;
        if (init && ts.isPropertyAccessExpression(init) && requireModule(init.expression)) {
          member = init.name.text;
          init = init.expression;
        }
        const mod = requireModule(init);
        if (!mod) {
          const names: string[] = [];
          bindingNames(decl.name, names);
          for (const n of names) {
            fi.topLevel.set(n, unit);
            if (exported) fi.exports.set(n, n);
          }
          if (ts.isIdentifier(decl.name)) fi.topDecls.set(decl.name.text, decl);
        } else {
          fi.modules.push({ module: mod, node: st, unit });
          if (ts.isIdentifier(decl.name)) {
            addImport({ local: decl.name.text, module: mod, imported: member ?? '*', node: st });
          } else if (ts.isObjectBindingPattern(decl.name)) {
            for (const el of decl.name.elements) {
              if (!ts.isIdentifier(el.name)) continue;
              const prop = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text;
              addImport({ local: el.name.text, module: mod, imported: prop, node: st });
            }
          }
        }
      }
    } else if (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) {
      const name = st.name?.text ?? '__default__';
      fi.topLevel.set(name, unit);
      fi.topDecls.set(name, st);
      if (exported) fi.exports.set(isDefault ? 'default' : name, name);
    } else if (ts.isEnumDeclaration(st)) {
      fi.topLevel.set(st.name.text, unit);
      if (exported) fi.exports.set(st.name.text, st.name.text);
    } else if (ts.isExportAssignment(st)) {
      if (ts.isIdentifier(st.expression)) fi.exports.set('default', st.expression.text);
      else {
        fi.topLevel.set('__default__', unit);
        fi.exports.set('default', '__default__');
      }
    } else if (ts.isExportDeclaration(st)) {
      const mod = st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
      if (mod) fi.modules.push({ module: mod, node: st, unit });
      if (!st.exportClause) {
        if (mod) fi.exportStars.push(mod);
      } else if (ts.isNamedExports(st.exportClause)) {
        for (const el of st.exportClause.elements) {
          const local = (el.propertyName ?? el.name).text;
          if (mod) fi.reExports.set(el.name.text, { module: mod, imported: local });
          else fi.exports.set(el.name.text, local);
        }
      } else if (mod) {
        // export * as ns from 'm'
        fi.reExports.set(st.exportClause.name.text, { module: mod, imported: '*' });
      }
    } else if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression)) {
      const bin = st.expression;
      if (bin.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
      const name = commonJsExportName(bin.left);
      if (!name) continue;
      const right = bin.right;
      if (ts.isIdentifier(right)) fi.exports.set(name, right.text);
      else if (name === 'default' && ts.isObjectLiteralExpression(right)) {
        for (const p of right.properties) {
          if (ts.isShorthandPropertyAssignment(p)) fi.exports.set(p.name.text, p.name.text);
          else if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && ts.isIdentifier(p.initializer)) {
            fi.exports.set(p.name.text, p.initializer.text);
          } else if (p.name && ts.isIdentifier(p.name)) {
            const synthetic = `module.exports.${p.name.text}`;
            fi.topLevel.set(synthetic, unit);
            fi.exports.set(p.name.text, synthetic);
          }
        }
      } else {
        const mod = requireModule(right);
        if (mod) {
          fi.modules.push({ module: mod, node: st, unit });
          fi.reExports.set(name, { module: mod, imported: name === 'default' ? '*' : 'default' });
        } else {
          const synthetic = name === 'default' ? '__default__' : `module.exports.${name}`;
          fi.topLevel.set(synthetic, unit);
          fi.exports.set(name, synthetic);
        }
      }
    }
  }
}

export interface ScanStats {
  detectorVisits: number;
}

/**
 * Indexes one parsed file and walks it once, calling every interested detector on every node, collecting the
 * references and writes that attribution needs.
 */
export function scanFile(project: ProjectIndex, file: string, sf: ts.SourceFile, detectors: readonly Detector[]): void {
  const fi: FileIndex = {
    file,
    sf,
    imports: new Map(),
    modules: [],
    exports: new Map(),
    reExports: new Map(),
    exportStars: [],
    topLevel: new Map(),
    topDecls: new Map(),
    statementUnits: [],
    mutations: [],
  };
  project.files.set(file, fi);
  const units = project.units;
  const newUnit = (node: ts.Node, kind: Unit['kind'], parent?: number): number => {
    const id = units.length;
    let name: string | undefined;
    const n = node as ts.NamedDeclaration;
    if (n.name && (ts.isIdentifier(n.name) || ts.isStringLiteral(n.name))) name = n.name.text;
    else if (ts.isVariableStatement(node)) {
      const d = node.declarationList.declarations[0];
      if (d && ts.isIdentifier(d.name)) name = d.name.text;
    } else if (node.parent && ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)) {
      name = node.parent.name.text;
    } else if (node.parent && ts.isPropertyAssignment(node.parent) && ts.isIdentifier(node.parent.name)) {
      name = node.parent.name.text;
    }
    units.push({ id, file, kind, node, name, parent, children: [], refs: new Set(), memberRefs: [], facts: [] });
    if (parent !== undefined) units[parent]!.children.push(id);
    nodeUnit.set(node, id);
    return id;
  };
  indexTopLevel(fi, sf, (node, kind) => newUnit(node, kind));

  const text = sf.text;
  const active = detectors.filter((d) => d.visit && (!d.mentions || d.mentions.some((m) => text.includes(m))));
  const all = detectors.filter((d) => !d.mentions || d.mentions.some((m) => text.includes(m)));
  let current = 0;
  const ctxFor = (d: Detector): FileContext => ({
    file,
    sf,
    index: fi,
    project,
    unit: () => current,
    fact: (input) => {
      project.addFact(file, input, current);
    },
    component: (draft) => {
      project.drafts.push({ ...draft, file });
    },
    importOf: (expr) => importOf(fi, expr),
    data: <T>(init: () => T) => project.data<T>(d.id, file, init),
  });
  const ctxs = active.map(ctxFor);

  const known = (name: string): boolean => fi.topLevel.has(name) || fi.imports.has(name);

  const visit = (node: ts.Node): void => {
    const saved = current;
    if (isFunctionLike(node) && nodeUnit.get(node) === undefined) current = newUnit(node, 'function', current);
    for (let i = 0; i < active.length; i++) active[i]!.visit!(node, ctxs[i]!);
    switch (node.kind) {
      case ts.SyntaxKind.Identifier: {
        const id = node as ts.Identifier;
        // `obj.prop` is recorded as a member reference below, so that `svc.a` can reach `a` and not all of `svc`.
        const p = id.parent;
        const isObjOfMember = ts.isPropertyAccessExpression(p) && p.expression === id;
        if (!isObjOfMember && known(id.text) && !isDeclarationName(id)) units[current]!.refs.add(id.text);
        break;
      }
      case ts.SyntaxKind.PropertyAccessExpression: {
        const pa = node as ts.PropertyAccessExpression;
        const obj = pa.expression;
        if (ts.isIdentifier(obj) && known(obj.text)) units[current]!.memberRefs.push({ obj: obj.text, prop: pa.name.text });
        else if (obj.kind === ts.SyntaxKind.ThisKeyword) units[current]!.memberRefs.push({ obj: 'this', prop: pa.name.text });
        else if (ts.isPropertyAccessExpression(obj) && obj.expression.kind === ts.SyntaxKind.ThisKeyword) {
          units[current]!.memberRefs.push({ obj: `this.${obj.name.text}`, prop: pa.name.text });
        }
        break;
      }
      case ts.SyntaxKind.BinaryExpression: {
        const bin = node as ts.BinaryExpression;
        const op = bin.operatorToken.kind;
        if (op >= ts.SyntaxKind.FirstAssignment && op <= ts.SyntaxKind.LastAssignment) {
          const root = rootIdentifier(bin.left);
          if (root && known(root.text)) {
            fi.mutations.push({ unit: current, name: root.text, node: bin, how: ts.isIdentifier(bin.left) ? 'assigns' : 'writes a property of' });
          }
        }
        break;
      }
      case ts.SyntaxKind.PrefixUnaryExpression:
      case ts.SyntaxKind.PostfixUnaryExpression: {
        const u = node as ts.PrefixUnaryExpression | ts.PostfixUnaryExpression;
        if (u.operator === ts.SyntaxKind.PlusPlusToken || u.operator === ts.SyntaxKind.MinusMinusToken) {
          const root = rootIdentifier(u.operand);
          if (root && known(root.text)) fi.mutations.push({ unit: current, name: root.text, node: u, how: 'updates' });
        }
        break;
      }
      case ts.SyntaxKind.DeleteExpression: {
        const root = rootIdentifier((node as ts.DeleteExpression).expression);
        if (root && known(root.text)) fi.mutations.push({ unit: current, name: root.text, node, how: 'deletes from' });
        break;
      }
      case ts.SyntaxKind.CallExpression: {
        const call = node as ts.CallExpression;
        const callee = call.expression;
        if (ts.isPropertyAccessExpression(callee) && MUTATING_METHODS.has(callee.name.text)) {
          const root = rootIdentifier(callee.expression);
          if (root && known(root.text)) {
            fi.mutations.push({ unit: current, name: root.text, node: call, how: `calls .${callee.name.text}() on` });
          }
        } else {
          // Requires that the top-level pre-pass did not see: lazy ones in functions, `app.use(require('./x'))`.
          const mod = requireModule(call);
          if (mod && !fi.modules.some((m) => m.unit === current && m.module === mod)) {
            fi.modules.push({ module: mod, node: call, unit: current });
          }
        }
        break;
      }
    }
    ts.forEachChild(node, visit);
    current = saved;
  };

  for (let i = 0; i < sf.statements.length; i++) {
    current = fi.statementUnits[i]!;
    const st = sf.statements[i]!;
    // The statement's own node is already a unit; detectors still see it, then its children.
    for (let j = 0; j < active.length; j++) active[j]!.visit!(st, ctxs[j]!);
    ts.forEachChild(st, visit);
  }
  for (const d of all) {
    if (d.endFile) d.endFile(ctxs[active.indexOf(d)] ?? ctxFor(d));
  }
}

export function importOf(fi: FileIndex, expr: ts.Node): { module: string; name: string } | undefined {
  if (ts.isIdentifier(expr)) {
    const b = fi.imports.get(expr.text);
    return b ? { module: b.module, name: b.imported } : undefined;
  }
  if (ts.isPropertyAccessExpression(expr)) {
    const inner = importOf(fi, expr.expression);
    if (!inner) return undefined;
    if (inner.name === 'default' || inner.name === '*') return { module: inner.module, name: expr.name.text };
    return { module: inner.module, name: `${inner.name}.${expr.name.text}` };
  }
  if (ts.isCallExpression(expr)) {
    const mod = requireModule(expr);
    if (mod) return { module: mod, name: '*' };
  }
  if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isNonNullExpression(expr)) {
    return importOf(fi, expr.expression);
  }
  return undefined;
}
