import { ts } from 'ts-morph';
import type { Detector, FileContext } from '../scan/detector';
import { EDGE_BUILTINS, EDGE_GLOBALS, EDGE_RUNTIME_AS_OF, type EdgeBuiltin } from './data/edgeRuntime';
import { dynamicImportModule, importSites, type ImportSite } from './packages';

// The sources stay in the data file; a finding names the table and its date, and what the table rests on in short.
const BASIS = `edge runtime table of ${EDGE_RUNTIME_AS_OF} (Cloudflare Workers Node.js compatibility docs; Vercel Edge runtime docs)`;
const KEEP_ON_NODE =
  'or keep this component on a Node.js function runtime (Lambda, Cloud Run functions, Vercel Node.js functions) instead of the edge.';

/** Names a file may declare itself, hiding the Node global of the same name. */
const SHADOWABLE = new Set(['__dirname', '__filename', 'process', 'require']);
const MEMBER_GLOBALS: Record<string, Set<string>> = {
  process: new Set(['binding', 'dlopen']),
  require: new Set(['resolve']),
};

interface GlobalUse {
  name: string;
  /** The identifier the use starts with (`process` of `process.binding`), checked against the file's declarations. */
  root: string;
  node: ts.Node;
  unit: number;
}

interface FileData {
  dynamic: ImportSite[];
  globals: GlobalUse[];
  declared: Set<string>;
}

function dataOf(ctx: FileContext): FileData {
  return ctx.data<FileData>(() => ({ dynamic: [], globals: [], declared: new Set() }));
}

/** The table entry of a built-in specifier (`fs`, `node:fs`, `fs/promises`), or undefined for anything else. */
export function edgeBuiltin(specifier: string): { name: string; entry: EdgeBuiltin } | undefined {
  const name = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  const entry = Object.prototype.hasOwnProperty.call(EDGE_BUILTINS, name) ? EDGE_BUILTINS[name] : undefined;
  return entry ? { name, entry } : undefined;
}

function isValueReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if (ts.isQualifiedName(p) && p.right === id) return false;
  if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p)) && p.name === id)
    return false;
  // `typeof __dirname === 'undefined'` is how isomorphic code checks for Node before it uses it.
  if (ts.isTypeOfExpression(p) || ts.isTypeQueryNode(p)) return false;
  if (ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p) || ts.isFunctionDeclaration(p))
    return p.name !== id;
  return true;
}

function declares(node: ts.Node): string | undefined {
  if (
    ts.isVariableDeclaration(node) ||
    ts.isParameter(node) ||
    ts.isBindingElement(node) ||
    ts.isFunctionDeclaration(node)
  ) {
    const name = node.name;
    if (name && ts.isIdentifier(name) && SHADOWABLE.has(name.text)) return name.text;
  }
  return undefined;
}

/** `http.createServer(...)`, `new net.Server()`, `createServer` imported by name: a server where edge has none. */
function serverUse(node: ts.CallExpression | ts.NewExpression, ctx: FileContext): void {
  const imp = ctx.importOf(node.expression);
  if (!imp) return;
  const b = edgeBuiltin(imp.module);
  if (!b || b.entry.workers !== 'server' || !b.entry.serverMembers?.includes(imp.name)) return;
  const shown = imp.module.startsWith('node:') ? imp.module : b.name;
  ctx.fact({
    ruleId: 'node-only-builtin',
    hazard: 'node-only-api',
    severity: 'info',
    message: `\`${shown}\` ${imp.name} starts a server, which rules out the edge: ${b.entry.why}.`,
    fix: `${b.entry.alternative ? `Instead, ${b.entry.alternative}; ` : ''}${KEEP_ON_NODE}`,
    node,
    basis: BASIS,
    attrs: { module: b.name, api: imp.name },
  });
}

function visit(node: ts.Node, ctx: FileContext): void {
  switch (node.kind) {
    case ts.SyntaxKind.CallExpression: {
      const mod = dynamicImportModule(node);
      if (mod) dataOf(ctx).dynamic.push({ module: mod, node, unit: ctx.unit() });
      else serverUse(node as ts.CallExpression, ctx);
      return;
    }
    case ts.SyntaxKind.NewExpression:
      serverUse(node as ts.NewExpression, ctx);
      return;
    case ts.SyntaxKind.Identifier: {
      const id = node as ts.Identifier;
      if ((id.text === '__dirname' || id.text === '__filename') && isValueReference(id)) {
        dataOf(ctx).globals.push({ name: id.text, root: id.text, node: id, unit: ctx.unit() });
      }
      return;
    }
    case ts.SyntaxKind.PropertyAccessExpression: {
      const pa = node as ts.PropertyAccessExpression;
      const obj = pa.expression;
      if (ts.isIdentifier(obj) && MEMBER_GLOBALS[obj.text]?.has(pa.name.text) && !ts.isTypeOfExpression(pa.parent)) {
        dataOf(ctx).globals.push({ name: `${obj.text}.${pa.name.text}`, root: obj.text, node: pa, unit: ctx.unit() });
      }
      return;
    }
    case ts.SyntaxKind.VariableDeclaration:
    case ts.SyntaxKind.Parameter:
    case ts.SyntaxKind.BindingElement:
    case ts.SyntaxKind.FunctionDeclaration: {
      const name = declares(node);
      if (name) dataOf(ctx).declared.add(name);
      return;
    }
  }
}

function endFile(ctx: FileContext): void {
  const data = dataOf(ctx);
  for (const site of importSites(ctx.index.modules, data.dynamic)) {
    const b = edgeBuiltin(site.module);
    if (!b || b.entry.workers === 'supported' || b.entry.workers === 'server') continue;
    const how = b.entry.workers === 'partial' ? 'provide only in part' : 'do not provide';
    ctx.fact({
      ruleId: 'node-only-builtin',
      hazard: 'node-only-api',
      severity: 'info',
      message: `\`${site.module}\` is a Node.js built-in that edge runtimes (Cloudflare Workers even with nodejs_compat, Vercel Edge) ${how}, which rules out the edge: ${b.entry.why}.`,
      fix: `${b.entry.alternative ? `Web-standard alternative: ${b.entry.alternative}; ` : 'Drop it from code that should run on the edge, '}${KEEP_ON_NODE}`,
      node: site.node,
      owner: site.unit,
      basis: BASIS,
      attrs: { module: b.name, support: b.entry.workers },
    });
  }
  for (const g of data.globals) {
    if (data.declared.has(g.root)) continue;
    const entry = EDGE_GLOBALS[g.name];
    if (!entry) continue;
    ctx.fact({
      ruleId: 'node-only-global',
      hazard: 'node-only-api',
      severity: 'info',
      message: `\`${g.name}\` is Node-only, which rules out the edge: ${entry.why}.`,
      fix: `${entry.alternative ? `Instead, ${entry.alternative}; ` : 'Drop it from code that should run on the edge, '}${KEEP_ON_NODE}`,
      node: g.node,
      owner: g.unit,
      basis: BASIS,
      attrs: { global: g.name },
    });
  }
}

export const nodeOnlyDetector: Detector = {
  id: 'node-only',
  mentions: [
    '__dirname',
    '__filename',
    'process.binding',
    'process.dlopen',
    'require.resolve',
    ...Object.entries(EDGE_BUILTINS)
      .filter(([, e]) => e.workers !== 'supported')
      .map(([name]) => name),
  ],
  visit,
  endFile,
};
