import { ts } from '../../ts';
import type { Hazard } from '../../model';
import type { Detector, LinkContext } from '../../scan/detector';
import type { FileIndex } from '../../scan/types';

/** Libraries whose instances are in-process caches. */
const CACHE_CLASSES = new Set(['LRUCache', 'LRU', 'NodeCache', 'QuickLRU', 'TTLCache', 'MemoryCache', 'Keyv']);
const CONTAINER_CLASSES = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'Array', 'Object']);

type Kind = { hazard: Hazard; ruleId: string };

/**
 * Whether a top-level declaration holds state that a request can change: `let`/`var`, or a `const` holding a
 * container (object or array literal, Map, Set, an in-process cache). Frozen objects, `as const` literals,
 * primitives and client instances (`new Pool()`, `new S3Client()`) are not state.
 */
function stateKind(decl: ts.VariableDeclaration, name: string): Kind | undefined {
  const list = decl.parent;
  const isConst = ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Const) !== 0;
  let init = decl.initializer;
  while (init && (ts.isParenthesizedExpression(init) || ts.isSatisfiesExpression(init) || ts.isNonNullExpression(init)))
    init = init.expression;
  if (init && ts.isAsExpression(init)) {
    if (ts.isTypeReferenceNode(init.type) && init.type.typeName.getText() === 'const') return undefined;
    init = init.expression;
  }
  const cacheByName = /cache|memo|lru/i.test(name);
  const sessionByName = /sessions?(store)?$/i.test(name);
  let container = false;
  let cacheLib = false;
  if (init) {
    if (ts.isCallExpression(init)) {
      const c = init.expression;
      // Object.freeze({...}) is read-only by construction.
      if (ts.isPropertyAccessExpression(c) && c.getText() === 'Object.freeze') return undefined;
      if (ts.isPropertyAccessExpression(c) && c.getText() === 'Object.create') container = true;
    } else if (ts.isNewExpression(init)) {
      const cls = ts.isIdentifier(init.expression)
        ? init.expression.text
        : ts.isPropertyAccessExpression(init.expression)
          ? init.expression.name.text
          : '';
      if (CACHE_CLASSES.has(cls)) cacheLib = true;
      else if (CONTAINER_CLASSES.has(cls)) container = true;
    } else if (ts.isArrayLiteralExpression(init) || ts.isObjectLiteralExpression(init)) container = true;
  }
  if (isConst && !container && !cacheLib) return undefined;
  if (cacheLib || (cacheByName && (container || !isConst)))
    return { hazard: 'in-memory-cache', ruleId: 'in-memory-cache-in-handler' };
  if (sessionByName) return { hazard: 'in-memory-session', ruleId: 'in-memory-session-map' };
  return { hazard: 'module-state', ruleId: 'module-state-written-in-handler' };
}

/** True when `name` at `node` refers to a local (parameter or variable of an enclosing function or block). */
function isShadowed(node: ts.Node, name: string): boolean {
  for (let n: ts.Node | undefined = node.parent; n && !ts.isSourceFile(n); n = n.parent) {
    if (ts.isFunctionLike(n)) {
      for (const p of n.parameters) if (declares(p.name, name)) return true;
    }
    if (ts.isBlock(n) || ts.isCaseClause(n) || ts.isDefaultClause(n)) {
      for (const st of n.statements) {
        if (ts.isVariableStatement(st) && st.declarationList.declarations.some((d) => declares(d.name, name)))
          return true;
        if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name?.text === name) return true;
      }
    }
    if (
      (ts.isForStatement(n) || ts.isForOfStatement(n) || ts.isForInStatement(n)) &&
      n.initializer &&
      ts.isVariableDeclarationList(n.initializer)
    ) {
      if (n.initializer.declarations.some((d) => declares(d.name, name))) return true;
    }
    if (ts.isCatchClause(n) && n.variableDeclaration && declares(n.variableDeclaration.name, name)) return true;
  }
  return false;
}

function declares(b: ts.BindingName, name: string): boolean {
  if (ts.isIdentifier(b)) return b.text === name;
  return b.elements.some((e) => !ts.isOmittedExpression(e) && declares(e.name, name));
}

function describeUnit(ctx: LinkContext, unit: number): string {
  const u = ctx.project.units[unit]!;
  const sf = ctx.project.files.get(u.file)!.sf;
  const line = sf.getLineAndCharacterOfPosition(u.node.getStart(sf)).line + 1;
  return u.name ? `\`${u.name}\` (${u.file}:${line})` : `the function at ${u.file}:${line}`;
}

const MESSAGES: Record<Hazard, string> = {
  'module-state':
    'lives in module scope and is written while handling a request; function instances do not share memory, so each instance keeps its own copy and loses it when recycled.',
  'in-memory-cache':
    'is an in-process cache written while handling a request; each function instance starts cold with its own empty copy, so hit rates drop and entries disagree between instances.',
  'in-memory-session':
    'keeps sessions in process memory; with functions, the next request may land on another instance that does not know the session.',
} as Record<Hazard, string>;

const FIXES: Record<string, string> = {
  'module-state':
    'Keep it in a managed store (DynamoDB, Redis, a database row) or pass it per request; if it is a metric, emit it (CloudWatch EMF, OpenTelemetry) instead of counting in memory.',
  'in-memory-cache':
    'Move it to a shared cache (ElastiCache/Redis, DynamoDB with TTL, Cloudflare KV) or accept a per-instance cache knowingly with a short TTL.',
  'in-memory-session': 'Store sessions in Redis or DynamoDB, or use stateless signed tokens (JWT, encrypted cookies).',
};

function link(ctx: LinkContext): void {
  const { project, resolver } = ctx;
  const declCache = new Map<ts.VariableDeclaration, Kind | null>();
  const readersAdded = new Set<ts.VariableDeclaration>();
  for (const fi of project.files.values()) {
    for (const m of fi.mutations) {
      const unit = project.units[m.unit]!;
      if (unit.kind !== 'function') continue; // writes at module initialisation happen once per instance
      if (isShadowed(m.node, m.name)) continue;
      let declFile: FileIndex = fi;
      let declName = m.name;
      if (!fi.topLevel.has(m.name)) {
        const t = resolver.resolveName(fi.file, m.name);
        if (t?.kind !== 'unit') continue;
        declFile = project.files.get(t.file)!;
        declName = t.name;
      }
      const decl = declFile.topDecls.get(declName);
      if (!decl || !ts.isVariableDeclaration(decl)) continue;
      let kind = declCache.get(decl);
      if (kind === undefined) {
        kind = stateKind(decl, declName) ?? null;
        declCache.set(decl, kind);
      }
      if (!kind) continue;
      const isConst = (decl.parent.flags & ts.NodeFlags.Const) !== 0;
      if (isConst && m.how === 'assigns') continue; // a compile error, not state
      const declUnit = declFile.topLevel.get(declName)!;
      const sf = fi.sf;
      const at = sf.getLineAndCharacterOfPosition(m.node.getStart(sf)).line + 1;
      ctx.fact(
        declFile.file,
        {
          ruleId: kind.ruleId,
          hazard: kind.hazard,
          severity: kind.hazard === 'in-memory-session' ? 'error' : 'warning',
          message: `\`${declName}\` ${MESSAGES[kind.hazard]} (${describeUnit(ctx, m.unit)} ${m.how} it at ${fi.file}:${at}.)`,
          fix: FIXES[kind.hazard]!,
          node: decl,
          owner: m.unit,
          requiresReach: true,
          attrs: { name: declName, writer: unit.name ?? '' },
        },
        declUnit,
      );
      if (!readersAdded.has(decl)) {
        // Whoever reads the state is affected as much as whoever writes it: owned by the declaration, the same
        // finding reaches every component that refers to it.
        readersAdded.add(decl);
        ctx.fact(
          declFile.file,
          {
            ruleId: kind.ruleId,
            hazard: kind.hazard,
            severity: kind.hazard === 'in-memory-session' ? 'error' : 'warning',
            message: `\`${declName}\` ${MESSAGES[kind.hazard]}`,
            fix: FIXES[kind.hazard]!,
            node: decl,
            owner: declUnit,
            requiresReach: true,
            attrs: { name: declName },
          },
          declUnit,
        );
      }
    }
  }
}

export const moduleStateDetector: Detector = { id: 'module-state', link };
