import { ts } from '../ts';
import type { Detector, FileContext } from '../scan/detector';
import { EDGE_BUILTINS, EDGE_GLOBALS, EDGE_RUNTIME_AS_OF, type EdgeBuiltin } from './data/edgeRuntime';
import { dynamicImportModule, importSites, type ImportSite } from './packages';

/** Read once: the compiler API's exports are getters, too slow for per-node checks. */
const SK = ts.SyntaxKind;

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
  switch (p.kind) {
    case SK.PropertyAccessExpression:
      return (p as ts.PropertyAccessExpression).name !== id;
    case SK.QualifiedName:
      return (p as ts.QualifiedName).right !== id;
    case SK.PropertyAssignment:
    case SK.PropertyDeclaration:
    case SK.MethodDeclaration:
      return (p as ts.NamedDeclaration).name !== id;
    // `typeof __dirname === 'undefined'` is how isomorphic code checks for Node before it uses it.
    case SK.TypeOfExpression:
    case SK.TypeQuery:
      return false;
    case SK.VariableDeclaration:
    case SK.Parameter:
    case SK.BindingElement:
    case SK.FunctionDeclaration:
      return (p as ts.NamedDeclaration).name !== id;
    default:
      return true;
  }
}

/** Called only for VariableDeclaration, Parameter, BindingElement and FunctionDeclaration nodes. */
function declares(
  node: ts.VariableDeclaration | ts.ParameterDeclaration | ts.BindingElement | ts.FunctionDeclaration,
): string | undefined {
  const name = node.name;
  if (name && name.kind === SK.Identifier && SHADOWABLE.has(name.text)) return name.text;
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
    case SK.CallExpression: {
      const mod = dynamicImportModule(node);
      if (mod) dataOf(ctx).dynamic.push({ module: mod, node, unit: ctx.unit() });
      else serverUse(node as ts.CallExpression, ctx);
      return;
    }
    case SK.NewExpression:
      serverUse(node as ts.NewExpression, ctx);
      return;
    case SK.Identifier: {
      const id = node as ts.Identifier;
      if ((id.text === '__dirname' || id.text === '__filename') && isValueReference(id)) {
        dataOf(ctx).globals.push({ name: id.text, root: id.text, node: id, unit: ctx.unit() });
      }
      return;
    }
    case SK.PropertyAccessExpression: {
      const pa = node as ts.PropertyAccessExpression;
      const obj = pa.expression as ts.Identifier;
      if (
        obj.kind === SK.Identifier &&
        Object.hasOwn(MEMBER_GLOBALS, obj.text) &&
        MEMBER_GLOBALS[obj.text]!.has(pa.name.text) &&
        pa.parent.kind !== SK.TypeOfExpression
      ) {
        dataOf(ctx).globals.push({ name: `${obj.text}.${pa.name.text}`, root: obj.text, node: pa, unit: ctx.unit() });
      }
      return;
    }
    case SK.VariableDeclaration:
    case SK.Parameter:
    case SK.BindingElement:
    case SK.FunctionDeclaration: {
      const name = declares(
        node as ts.VariableDeclaration | ts.ParameterDeclaration | ts.BindingElement | ts.FunctionDeclaration,
      );
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
  kinds: [
    SK.CallExpression,
    SK.NewExpression,
    SK.Identifier,
    SK.PropertyAccessExpression,
    SK.VariableDeclaration,
    SK.Parameter,
    SK.BindingElement,
    SK.FunctionDeclaration,
  ],
  visit,
  endFile,
};
