import * as path from 'node:path';
import { ts } from '../ts';
import type { Detector, LinkContext } from '../scan/detector';
import { isFunctionLike } from '../scan/project';
import { stringValue } from './util';

/** Next's default pageExtensions. */
const EXT = '(?:tsx|ts|jsx|js)';
const PAGES_API = new RegExp(`^(?:src/)?pages/(api(?:/.+)?)\\.${EXT}$`);
const APP_ROUTE = new RegExp(`^(?:src/)?app/(?:(.+)/)?route\\.${EXT}$`);
const MIDDLEWARE = new RegExp(`^(?:src/)?middleware\\.${EXT}$`);
const NEXT_CONFIG = /^next\.config\.(?:js|mjs|cjs|ts|mts)$/;
const ROUTE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'DELETE', 'PATCH']);

/**
 * Finds the Next.js project a file belongs to: the nearest folder with a package.json or a next.config.*, which
 * is a Next project when it has the config or its package.json depends on `next`. Without any package folder
 * above the file (a sub-folder analysed alone) the dependencies of the whole analysis decide.
 */
class NextRoots {
  private readonly configDirs = new Set<string>();
  private readonly dirs = new Set<string>();
  private readonly byDir = new Map<string, string | null>();

  constructor(private readonly ctx: LinkContext) {
    for (const f of ctx.project.files.keys()) {
      if (NEXT_CONFIG.test(path.posix.basename(f))) this.configDirs.add(dirOf(f));
      for (let d = dirOf(f); d && !this.dirs.has(d); d = dirOf(d)) this.dirs.add(d);
    }
  }

  /** Next ignores src/app and src/pages when app/ or pages/ sits at the project root. */
  shadowed(root: string, rel: string): boolean {
    const m = /^src\/(app|pages)\//.exec(rel);
    return !!m && this.dirs.has(root ? `${root}/${m[1]}` : m[1]!);
  }

  rootOf(file: string): string | undefined {
    return this.rootOfDir(dirOf(file)) ?? undefined;
  }

  private rootOfDir(dir: string): string | null {
    const cached = this.byDir.get(dir);
    if (cached !== undefined) return cached;
    let r: string | null;
    if (this.configDirs.has(dir)) r = dir;
    else {
      const deps = this.packageDeps(dir);
      if (deps) r = deps.has('next') ? dir : null;
      else if (dir === '') r = this.ctx.project.dependencies.has('next') ? '' : null;
      else r = this.rootOfDir(dirOf(dir));
    }
    this.byDir.set(dir, r);
    return r;
  }

  /** The dependency names of the package.json in `dir`, or undefined when there is none (or it is unreadable). */
  private packageDeps(dir: string): Set<string> | undefined {
    const pkg = this.ctx.project.packageJsons.get(dir === '.' ? '' : dir);
    if (!pkg) return undefined;
    const out = new Set<string>();
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies']) {
      const deps = pkg?.[field];
      if (deps && typeof deps === 'object') for (const k of Object.keys(deps)) out.add(k);
    }
    return out;
  }
}

function dirOf(file: string): string {
  const d = path.posix.dirname(file);
  return d === '.' ? '' : d;
}

/**
 * File-system segments to a route path: `[id]` -> `:id`, `[...slug]` and `[[...slug]]` -> `*slug`, groups
 * `(x)` and slots `@x` dropped. Undefined when a segment is private (`_x`): Next does not route those.
 */
function routePath(segments: string[], appRouter: boolean): string | undefined {
  const out: string[] = [];
  for (const seg of segments) {
    if (appRouter) {
      if (seg.startsWith('_')) return undefined;
      if (/^\(.*\)$/.test(seg) || seg.startsWith('@')) continue;
    }
    const catchAll = /^\[\[?\.\.\.([^\]]+)\]\]?$/.exec(seg);
    if (catchAll) out.push(`*${catchAll[1]}`);
    else {
      const dyn = /^\[([^\]]+)\]$/.exec(seg);
      out.push(dyn ? `:${dyn[1]}` : seg);
    }
  }
  return '/' + out.join('/');
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === kind);
}

/** The default export of a pages/api file: the handler expression and the statement that exports it. */
function defaultExport(sf: ts.SourceFile): { node: ts.Node; handler: ts.Node } | undefined {
  for (const st of sf.statements) {
    if (ts.isExportAssignment(st) && !st.isExportEquals) return { node: st, handler: st.expression };
    if (
      (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) &&
      hasModifier(st, ts.SyntaxKind.ExportKeyword) &&
      hasModifier(st, ts.SyntaxKind.DefaultKeyword)
    ) {
      return { node: st, handler: st };
    }
    if (ts.isExportDeclaration(st) && !st.moduleSpecifier && st.exportClause && ts.isNamedExports(st.exportClause)) {
      const el = st.exportClause.elements.find((e) => e.name.text === 'default');
      if (el) return { node: el, handler: el.propertyName ?? el.name };
    }
    // CommonJS: module.exports = handler
    if (
      ts.isExpressionStatement(st) &&
      ts.isBinaryExpression(st.expression) &&
      st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      st.expression.left.getText(sf) === 'module.exports'
    ) {
      return { node: st, handler: st.expression.right };
    }
  }
  return undefined;
}

/** Named exports of a file: name -> the declaration (registration) and the handler expression in this file. */
function namedExports(sf: ts.SourceFile): Map<string, { node: ts.Node; handler?: ts.Node; reExport?: boolean }> {
  const out = new Map<string, { node: ts.Node; handler?: ts.Node; reExport?: boolean }>();
  for (const st of sf.statements) {
    if (
      ts.isFunctionDeclaration(st) &&
      st.name &&
      hasModifier(st, ts.SyntaxKind.ExportKeyword) &&
      !hasModifier(st, ts.SyntaxKind.DefaultKeyword)
    ) {
      out.set(st.name.text, { node: st, handler: st });
    } else if (ts.isVariableStatement(st) && hasModifier(st, ts.SyntaxKind.ExportKeyword)) {
      for (const d of st.declarationList.declarations) {
        // The statement reads better as the location than the name inside it (`export const GET = ...`).
        const node = st.declarationList.declarations.length === 1 ? st : d;
        if (ts.isIdentifier(d.name)) out.set(d.name.text, { node, handler: d.initializer });
      }
    } else if (ts.isExportDeclaration(st) && !st.isTypeOnly && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) {
        if (el.isTypeOnly) continue;
        if (st.moduleSpecifier) out.set(el.name.text, { node: el, reExport: true });
        else out.set(el.name.text, { node: el, handler: el.propertyName ?? el.name });
      }
    }
  }
  return out;
}

/**
 * The HTTP methods a pages/api handler answers, from literal checks on its request's `method`:
 * `req.method === 'POST'`, `req.method !== 'GET'`, `switch (req.method) { case 'PUT': }`, `['GET','HEAD'].includes(req.method)`.
 */
function checkedMethods(fn: ts.Node): Set<string> {
  const out = new Set<string>();
  if (!isFunctionLike(fn)) return out;
  const p = fn.parameters[0];
  if (!p) return out;
  let reqName: string | undefined;
  let methodName: string | undefined;
  if (ts.isIdentifier(p.name)) reqName = p.name.text;
  else if (ts.isObjectBindingPattern(p.name)) {
    const el = p.name.elements.find(
      (e) => (e.propertyName ?? e.name).getText() === 'method' && ts.isIdentifier(e.name),
    );
    if (el) methodName = (el.name as ts.Identifier).text;
  }
  const destructuredMethod = new Set<string>();
  const isMethod = (e: ts.Expression): boolean => {
    while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e) || ts.isAsExpression(e)) e = e.expression;
    if (ts.isIdentifier(e)) {
      if (methodName !== undefined && e.text === methodName) return true;
      // `const { method } = req`
      return reqName !== undefined && destructuredMethod.has(e.text);
    }
    return (
      ts.isPropertyAccessExpression(e) &&
      e.name.text === 'method' &&
      ts.isIdentifier(e.expression) &&
      e.expression.text === reqName
    );
  };
  const add = (e: ts.Expression): void => {
    const v = stringValue(e);
    if (v !== undefined && ROUTE_METHODS.has(v.toUpperCase())) out.add(v.toUpperCase());
  };
  const walk = (n: ts.Node): void => {
    if (
      ts.isVariableDeclaration(n) &&
      ts.isObjectBindingPattern(n.name) &&
      n.initializer &&
      ts.isIdentifier(n.initializer) &&
      n.initializer.text === reqName
    ) {
      for (const el of n.name.elements) {
        if ((el.propertyName ?? el.name).getText() === 'method' && ts.isIdentifier(el.name))
          destructuredMethod.add(el.name.text);
      }
    } else if (ts.isBinaryExpression(n)) {
      const op = n.operatorToken.kind;
      if (
        op === ts.SyntaxKind.EqualsEqualsEqualsToken ||
        op === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
        op === ts.SyntaxKind.EqualsEqualsToken ||
        op === ts.SyntaxKind.ExclamationEqualsToken
      ) {
        if (isMethod(n.left)) add(n.right);
        else if (isMethod(n.right)) add(n.left);
      }
    } else if (ts.isSwitchStatement(n) && isMethod(n.expression)) {
      for (const c of n.caseBlock.clauses) if (ts.isCaseClause(c)) add(c.expression);
    } else if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      n.expression.name.text === 'includes' &&
      ts.isArrayLiteralExpression(n.expression.expression) &&
      n.arguments[0] &&
      isMethod(n.arguments[0])
    ) {
      for (const el of n.expression.expression.elements) add(el);
    }
    ts.forEachChild(n, walk);
  };
  walk(fn);
  return out;
}

function middlewarePath(config: ts.Node | undefined, sf: ts.SourceFile): string {
  if (!config || !ts.isObjectLiteralExpression(config)) return '/*';
  const prop = config.properties.find(
    (p): p is ts.PropertyAssignment =>
      ts.isPropertyAssignment(p) &&
      (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) &&
      p.name.text === 'matcher',
  );
  let m: ts.Expression | undefined = prop?.initializer;
  if (m && ts.isArrayLiteralExpression(m)) m = m.elements[0];
  if (m && ts.isObjectLiteralExpression(m)) {
    const source = m.properties.find(
      (p): p is ts.PropertyAssignment =>
        ts.isPropertyAssignment(p) &&
        (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) &&
        p.name.text === 'source',
    );
    m = source?.initializer;
  }
  return stringValue(m, sf) ?? '/*';
}

function link(ctx: LinkContext): void {
  const roots = new NextRoots(ctx);
  const units = ctx.project.units;
  for (const [file, fi] of ctx.project.files) {
    // Cheap path test first: most files are none of these.
    if (!/(?:^|\/)(?:pages\/api\/|pages\/api\.|app\/|middleware\.)/.test(file)) continue;
    const root = roots.rootOf(file);
    if (root === undefined) continue;
    const rel = root ? file.slice(root.length + 1) : file;
    if (roots.shadowed(root, rel)) continue;
    const sf = fi.sf;

    const pages = PAGES_API.exec(rel);
    if (pages) {
      const segs = pages[1]!.split('/');
      if (segs[segs.length - 1] === 'index') segs.pop();
      const p = routePath(segs, false)!;
      const def = defaultExport(sf);
      if (!def) continue;
      const methods = new Set<string>();
      for (const u of ctx.resolver.unitsOf(file, def.handler))
        for (const m of checkedMethods(units[u]!.node)) methods.add(m);
      for (const method of methods.size ? [...methods].sort() : ['ALL']) {
        ctx.component({
          kind: 'http-route',
          name: `${method} ${p}`,
          framework: 'nextjs',
          trigger: { type: 'http', method, path: p },
          node: def.node,
          file,
          handlers: [def.handler],
        });
      }
      continue;
    }

    const app = APP_ROUTE.exec(rel);
    if (app) {
      const p = routePath(app[1] ? app[1].split('/') : [], true);
      if (p === undefined) continue;
      for (const [name, exp] of namedExports(sf)) {
        if (!ROUTE_METHODS.has(name)) continue;
        let extraUnits: number[] | undefined;
        if (exp.reExport) {
          // `export { GET } from './handlers'`: the handler lives in the other file.
          const t = ctx.resolver.resolveExport(file, name);
          if (t?.kind === 'unit') extraUnits = [t.unit];
        }
        ctx.component({
          kind: 'http-route',
          name: `${name} ${p}`,
          framework: 'nextjs',
          trigger: { type: 'http', method: name, path: p },
          node: exp.node,
          file,
          handlers: exp.handler ? [exp.handler] : [],
          ...(extraUnits ? { extraUnits } : {}),
        });
      }
      continue;
    }

    if (MIDDLEWARE.test(rel)) {
      const exports = namedExports(sf);
      const mw = exports.get('middleware') ?? defaultExport(sf);
      if (!mw) continue;
      const config = exports.get('config')?.handler;
      const p = middlewarePath(config, sf);
      ctx.component({
        kind: 'http-route',
        name: 'middleware',
        framework: 'nextjs',
        trigger: { type: 'http', method: 'ALL', path: p },
        node: mw.node,
        file,
        handlers: mw.handler ? [mw.handler] : [],
        id: `http:MIDDLEWARE:${p}`,
      });
    }
  }
}

/**
 * Next.js file-system routes: pages/api handlers, app router route handlers (one route per exported method,
 * edge runtime or not) and the root middleware. Pages, layouts and server actions are not components here.
 */
export const nextjsDetector: Detector = {
  id: 'nextjs',
  link,
};
