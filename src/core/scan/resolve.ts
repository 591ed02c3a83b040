import * as path from 'node:path';
import { ts } from '../ts';
import { isFunctionLike, nodeUnit, type ProjectIndex } from './project';
import type { FileIndex } from './types';

/** What a name or expression stands for, as far as a syntactic, cross-file resolution can tell. */
export type Target =
  | { kind: 'unit'; unit: number; file: string; name: string }
  | { kind: 'namespace'; file: string }
  | { kind: 'package'; module: string; name: string };

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

export interface PathAlias {
  /** Pattern prefix before '*', e.g. '@/'. */
  prefix: string;
  suffix: string;
  exact: boolean;
  /** Root-relative replacement prefixes. */
  targets: { prefix: string; suffix: string }[];
}

/**
 * Resolves module specifiers, names and member accesses across the analysed files without the type checker:
 * relative imports with extension and index probing, tsconfig `paths`, packages of the same workspace,
 * ES re-exports and CommonJS `module.exports`.
 */
export class Resolver {
  /**
   * When set, every analysed file whose content a resolution looks at is added here: an incremental session keeps
   * what it resolved until one of those files changes (link/attribute.ts). Which files exist is not recorded: a
   * file created or deleted invalidates every resolution.
   */
  reads: Set<string> | undefined;
  constructor(
    private readonly project: ProjectIndex,
    private readonly aliases: PathAlias[] = [],
    /** Workspace package name -> its entry file (root-relative). */
    private readonly workspacePackages = new Map<string, string[]>(),
    /**
     * Module resolutions by importing file and specifier. They depend only on which files were analysed (and on the
     * aliases and workspace packages): an incremental session hands the same map to each run's resolver while that
     * set stays the same.
     */
    private readonly moduleCache = new Map<string, string | undefined>(),
  ) {}

  /** The analysed file a specifier imported from `fromFile` refers to, or undefined for a package. */
  resolveModule(fromFile: string, specifier: string): string | undefined {
    const key = `${fromFile}\0${specifier}`;
    if (this.moduleCache.has(key)) return this.moduleCache.get(key);
    const r = this.resolveModuleUncached(fromFile, specifier);
    this.moduleCache.set(key, r);
    return r;
  }

  private probe(base: string): string | undefined {
    const files = this.project.files;
    const norm = path.posix.normalize(base);
    if (files.has(norm)) return norm;
    // TypeScript's ESM style: './x.js' names './x.ts'.
    const ext = path.posix.extname(norm);
    if (ext) {
      const stem = norm.slice(0, -ext.length);
      const alt = { '.js': ['.ts', '.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'], '.jsx': ['.tsx'] }[ext];
      for (const a of alt ?? []) if (files.has(stem + a)) return stem + a;
    }
    for (const e of EXTENSIONS) if (files.has(norm + e)) return norm + e;
    for (const e of EXTENSIONS) if (files.has(`${norm}/index${e}`)) return `${norm}/index${e}`;
    return undefined;
  }

  private resolveModuleUncached(fromFile: string, specifier: string): string | undefined {
    if (specifier.startsWith('.')) {
      return this.probe(path.posix.join(path.posix.dirname(fromFile), specifier));
    }
    if (specifier.startsWith('/')) return undefined;
    for (const a of this.aliases) {
      let rest: string | undefined;
      if (a.exact) rest = specifier === a.prefix ? '' : undefined;
      else if (specifier.startsWith(a.prefix) && specifier.endsWith(a.suffix)) {
        rest = specifier.slice(a.prefix.length, specifier.length - a.suffix.length);
      }
      if (rest === undefined) continue;
      for (const t of a.targets) {
        const hit = this.probe(t.prefix + rest + t.suffix);
        if (hit) return hit;
      }
    }
    for (const candidate of this.workspacePackages.get(specifier) ?? []) {
      const hit = this.probe(candidate);
      if (hit) return hit;
    }
    return undefined;
  }

  /** The package name of a bare specifier: 'lodash/fp' -> 'lodash', '@aws-sdk/client-s3/x' -> '@aws-sdk/client-s3'. */
  static packageName(specifier: string): string {
    const parts = specifier.split('/');
    if (specifier.startsWith('node:')) return specifier;
    return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  }

  resolveName(file: string, name: string, depth = 0): Target | undefined {
    const fi = this.project.files.get(file);
    if (!fi || depth > 12) return undefined;
    this.reads?.add(file);
    const unit = fi.topLevel.get(name);
    if (unit !== undefined) return { kind: 'unit', unit, file, name };
    const imp = fi.imports.get(name);
    if (!imp) return undefined;
    const target = this.resolveModule(file, imp.module);
    if (!target) return { kind: 'package', module: imp.module, name: imp.imported };
    if (imp.imported === '*') {
      // A CommonJS `module.exports = x` module required whole is `x`.
      const tfi = this.project.files.get(target)!;
      this.reads?.add(target);
      if (tfi.exports.has('default') && isCommonJs(tfi)) return this.resolveExport(target, 'default', depth + 1);
      return { kind: 'namespace', file: target };
    }
    return this.resolveExport(target, imp.imported, depth + 1);
  }

  resolveExport(file: string, name: string, depth = 0): Target | undefined {
    const fi = this.project.files.get(file);
    if (!fi || depth > 12) return undefined;
    this.reads?.add(file);
    const local = fi.exports.get(name);
    if (local !== undefined) return this.resolveName(file, local, depth + 1);
    const re = fi.reExports.get(name);
    if (re) {
      const target = this.resolveModule(file, re.module);
      if (!target) return { kind: 'package', module: re.module, name: re.imported };
      if (re.imported === '*') {
        this.reads?.add(target);
        const def = this.project.files.get(target)?.exports.get('default');
        if (def && isCommonJs(this.project.files.get(target)!)) return this.resolveExport(target, 'default', depth + 1);
        return { kind: 'namespace', file: target };
      }
      return this.resolveExport(target, re.imported, depth + 1);
    }
    for (const star of fi.exportStars) {
      const target = this.resolveModule(file, star);
      if (!target) continue;
      const hit = this.resolveExport(target, name, depth + 1);
      if (hit) return hit;
    }
    // `import x from './cjs'` where the module only has `module.exports.x = ...` and no default.
    if (name === 'default' && isCommonJs(fi)) return { kind: 'namespace', file };
    return undefined;
  }

  /** `obj.prop` seen in `file` from inside `fromUnit`: the unit that implements prop, when it can be told. */
  resolveMember(file: string, obj: string, prop: string, fromUnit?: number, depth = 0): Target | undefined {
    if (depth > 8) return undefined;
    if (obj === 'this' || obj.startsWith('this.')) {
      const cls = fromUnit === undefined ? undefined : enclosingClass(this.project.units[fromUnit]!.node);
      if (!cls) return undefined;
      if (obj === 'this') return this.methodOf(file, cls, prop);
      const field = obj.slice(5);
      const typeName = fieldType(cls, field);
      if (!typeName) return undefined;
      const t = this.resolveName(file, typeName, depth + 1);
      if (t?.kind === 'unit') return this.memberOfUnit(t, prop, depth + 1) ?? t;
      return t?.kind === 'package' ? { kind: 'package', module: t.module, name: `${t.name}.${prop}` } : undefined;
    }
    const t = this.resolveName(file, obj, depth + 1);
    if (!t) return undefined;
    if (t.kind === 'namespace') return this.resolveExport(t.file, prop, depth + 1);
    if (t.kind === 'package')
      return {
        kind: 'package',
        module: t.module,
        name: t.name === '*' || t.name === 'default' ? prop : `${t.name}.${prop}`,
      };
    return this.memberOfUnit(t, prop, depth + 1);
  }

  /** A member of what a top-level unit declares: object literal property, class method, or a class instance's method. */
  private memberOfUnit(
    t: { kind: 'unit'; unit: number; file: string; name: string },
    prop: string,
    depth: number,
  ): Target | undefined {
    const fi = this.project.files.get(t.file);
    if (!fi || depth > 8) return undefined;
    this.reads?.add(t.file);
    const decl = fi.topDecls.get(t.name);
    if (!decl) return undefined;
    if (ts.isClassDeclaration(decl)) return this.methodOf(t.file, decl, prop);
    if (ts.isFunctionDeclaration(decl)) return t;
    let init = decl.initializer;
    while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init)))
      init = init.expression;
    if (!init) return undefined;
    if (ts.isObjectLiteralExpression(init)) {
      for (const p of init.properties) {
        if (!p.name || (!ts.isIdentifier(p.name) && !ts.isStringLiteral(p.name)) || p.name.text !== prop) continue;
        if (ts.isMethodDeclaration(p) || ts.isGetAccessor(p)) return unitTarget(t.file, p, prop);
        if (ts.isPropertyAssignment(p)) {
          if (isFunctionLike(p.initializer)) return unitTarget(t.file, p.initializer, prop);
          if (ts.isIdentifier(p.initializer)) return this.resolveName(t.file, p.initializer.text, depth + 1);
        }
        if (ts.isShorthandPropertyAssignment(p)) return this.resolveName(t.file, p.name.text, depth + 1);
      }
      return undefined;
    }
    if (ts.isNewExpression(init) && ts.isIdentifier(init.expression)) {
      const cls = this.resolveName(t.file, init.expression.text, depth + 1);
      if (cls?.kind === 'unit') return this.memberOfUnit(cls, prop, depth + 1);
      if (cls?.kind === 'package') return { kind: 'package', module: cls.module, name: `${cls.name}.${prop}` };
    }
    if (ts.isIdentifier(init)) return this.resolveMember(t.file, init.text, prop, undefined, depth + 1);
    return undefined;
  }

  private methodOf(file: string, cls: ts.ClassLikeDeclaration, prop: string): Target | undefined {
    for (const m of cls.members) {
      if (!m.name || !ts.isIdentifier(m.name) || m.name.text !== prop) continue;
      if (ts.isMethodDeclaration(m) || ts.isGetAccessor(m) || ts.isSetAccessor(m)) return unitTarget(file, m, prop);
      if (ts.isPropertyDeclaration(m) && m.initializer && isFunctionLike(m.initializer))
        return unitTarget(file, m.initializer, prop);
    }
    // Inherited methods: follow `extends Base` within the analysed files.
    const ext = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    if (ext && ts.isIdentifier(ext)) {
      const base = this.resolveName(file, ext.text);
      if (base?.kind === 'unit') return this.memberOfUnit(base, prop, 1);
    }
    return undefined;
  }

  /**
   * The units an expression hands control to: function literals in it, and the functions its names and member
   * accesses resolve to (`asyncHandler(async (req, res) => ...)`, `controller.list`, `[auth, handler]`).
   */
  unitsOf(file: string, expr: ts.Node): number[] {
    const out: number[] = [];
    const visit = (n: ts.Node): void => {
      if (isFunctionLike(n)) {
        const u = nodeUnit.get(n);
        if (u !== undefined) out.push(u);
        return;
      }
      if (ts.isIdentifier(n)) {
        const t = this.resolveName(file, n.text);
        if (t?.kind === 'unit') out.push(t.unit);
        return;
      }
      if (ts.isPropertyAccessExpression(n)) {
        const obj = n.expression;
        const from = enclosingUnit(n);
        let objName: string | undefined;
        if (ts.isIdentifier(obj)) objName = obj.text;
        else if (obj.kind === ts.SyntaxKind.ThisKeyword) objName = 'this';
        else if (ts.isPropertyAccessExpression(obj) && obj.expression.kind === ts.SyntaxKind.ThisKeyword)
          objName = `this.${obj.name.text}`;
        if (objName) {
          const t = this.resolveMember(file, objName, n.name.text, from);
          if (t?.kind === 'unit') {
            out.push(t.unit);
            return;
          }
        }
        visit(obj);
        return;
      }
      ts.forEachChild(n, visit);
    };
    visit(expr);
    return out;
  }
}

function isCommonJs(fi: FileIndex): boolean {
  return fi.sf.text.includes('module.exports') || /\bexports\.\w+\s*=/.test(fi.sf.text);
}

function unitTarget(file: string, node: ts.Node, name: string): Target | undefined {
  const u = nodeUnit.get(node);
  return u === undefined ? undefined : { kind: 'unit', unit: u, file, name };
}

export function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (ts.isClassLike(n)) return n;
  return undefined;
}

export function enclosingUnit(node: ts.Node): number | undefined {
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    const u = nodeUnit.get(n);
    if (u !== undefined) return u;
  }
  return undefined;
}

/** The declared type name of `this.field`: constructor parameter properties (NestJS DI), typed fields, `= new T()`. */
function fieldType(cls: ts.ClassLikeDeclaration, field: string): string | undefined {
  for (const m of cls.members) {
    if (ts.isConstructorDeclaration(m)) {
      for (const p of m.parameters) {
        if (
          ts.isIdentifier(p.name) &&
          p.name.text === field &&
          p.type &&
          ts.isTypeReferenceNode(p.type) &&
          ts.isIdentifier(p.type.typeName)
        ) {
          return p.type.typeName.text;
        }
      }
    } else if (ts.isPropertyDeclaration(m) && m.name && ts.isIdentifier(m.name) && m.name.text === field) {
      if (m.type && ts.isTypeReferenceNode(m.type) && ts.isIdentifier(m.type.typeName)) return m.type.typeName.text;
      if (m.initializer && ts.isNewExpression(m.initializer) && ts.isIdentifier(m.initializer.expression)) {
        return m.initializer.expression.text;
      }
    }
  }
  return undefined;
}
