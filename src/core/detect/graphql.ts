import { ts } from '../ts';
import type { Detector, FileContext, LinkContext } from '../scan/detector';
import { joinPaths, objectProp, stringValue } from './util';

/** Read once: the compiler API's exports are getters, too slow for per-node checks. */
const SK = ts.SyntaxKind;

const DEFAULT_PATH = '/graphql';

type Framework = 'apollo' | 'yoga' | 'mercurius';

interface ServerReg {
  framework: Framework;
  /** The construction (`new ApolloServer`, `createYoga`, `app.register(mercurius, ...)`). */
  node: ts.Node;
  /** The options object literal (or expression) that holds `resolvers` / `schema`. */
  options: ts.Expression | undefined;
  /** The variable the server is assigned to, for matching its mounts. */
  varName?: string;
  /** Known at the construction (Yoga's graphqlEndpoint, Mercurius's path). */
  path?: string;
}

/**
 * Where an Apollo server is served: `app.use(path, expressMiddleware(server))`, `server.applyMiddleware({ path })`.
 * Only counts when `server` turns out to be an Apollo server: `x.listen()` alone proves nothing.
 */
interface MountReg {
  server: string;
  path: string;
}

interface FileData {
  servers: ServerReg[];
  mounts: MountReg[];
}

const newData = (): FileData => ({ servers: [], mounts: [] });

function isApolloModule(m: string): boolean {
  return m === '@apollo/server' || /^apollo-server(-[a-z0-9-]+)?$/.test(m);
}

function varNameOf(node: ts.Node): string | undefined {
  let p = node.parent;
  while (p && (ts.isAwaitExpression(p) || ts.isParenthesizedExpression(p) || ts.isAsExpression(p))) p = p.parent;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (p && ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(p.left))
    return p.left.text;
  return undefined;
}

/** The path of the `x.use(path, ..., mw)` call that mounts `mw`, or '/' when mounted without one. */
function usePath(call: ts.CallExpression, sf: ts.SourceFile): string {
  const p = call.parent;
  if (p && ts.isCallExpression(p) && p.arguments.includes(call) && p.arguments[0] !== call) {
    const s = stringValue(p.arguments[0], sf);
    if (s !== undefined) return joinPaths(s);
  }
  return '/';
}

function visitNew(node: ts.NewExpression, ctx: FileContext): void {
  const imp = ctx.importOf(node.expression);
  if (!imp || imp.name !== 'ApolloServer' || !isApolloModule(imp.module)) return;
  ctx.data(newData).servers.push({ framework: 'apollo', node, options: node.arguments?.[0], varName: varNameOf(node) });
}

function visitCall(call: ts.CallExpression, ctx: FileContext): void {
  const callee = call.expression;
  const imp = ctx.importOf(callee);
  const arg0 = call.arguments[0];
  if (imp) {
    if (imp.module === 'graphql-yoga' && imp.name === 'createYoga') {
      const endpoint = stringValue(objectProp(arg0, 'graphqlEndpoint'), ctx.sf);
      ctx.data(newData).servers.push({
        framework: 'yoga',
        node: call,
        options: arg0,
        varName: varNameOf(call),
        path: endpoint === undefined ? DEFAULT_PATH : joinPaths(endpoint),
      });
      return;
    }
    const server = arg0 && ts.isIdentifier(arg0) ? arg0.text : undefined;
    if (!server) return;
    if (
      imp.name === 'expressMiddleware' &&
      (imp.module.startsWith('@apollo/server/') || imp.module.startsWith('@as-integrations/'))
    ) {
      ctx.data(newData).mounts.push({ server, path: usePath(call, ctx.sf) });
    } else if (imp.module === '@apollo/server/standalone' && imp.name === 'startStandaloneServer') {
      // The standalone server answers on every path.
      ctx.data(newData).mounts.push({ server, path: '/' });
    }
    return;
  }
  if (!ts.isPropertyAccessExpression(callee)) return;
  const name = callee.name.text;
  if (name === 'register' && arg0) {
    const plugin = ctx.importOf(arg0);
    if (!plugin || plugin.module !== 'mercurius' || (plugin.name !== 'default' && plugin.name !== '*')) return;
    const opts = call.arguments[1];
    const p = stringValue(objectProp(opts, 'path'), ctx.sf) ?? DEFAULT_PATH;
    const prefix = stringValue(objectProp(opts, 'prefix'), ctx.sf) ?? '';
    ctx.data(newData).servers.push({ framework: 'mercurius', node: call, options: opts, path: joinPaths(prefix, p) });
  } else if ((name === 'applyMiddleware' || name === 'getMiddleware') && ts.isIdentifier(callee.expression)) {
    // apollo-server-express 2/3; its default path is /graphql.
    const p = stringValue(objectProp(arg0, 'path'), ctx.sf);
    ctx
      .data(newData)
      .mounts.push({ server: callee.expression.text, path: p === undefined ? DEFAULT_PATH : joinPaths(p) });
  } else if (name === 'listen' && ts.isIdentifier(callee.expression)) {
    // apollo-server 2/3 standalone: `server.listen()` serves on every path.
    ctx.data(newData).mounts.push({ server: callee.expression.text, path: '/' });
  }
}

/** `resolvers` inside a schema expression: `makeExecutableSchema({ typeDefs, resolvers })`, `buildSubgraphSchema([{ ... }])`. */
function resolversInCall(expr: ts.Expression): ts.Expression[] {
  const out: ts.Expression[] = [];
  if (!ts.isCallExpression(expr)) return out;
  for (const a of expr.arguments) {
    const objs = ts.isArrayLiteralExpression(a) ? a.elements : [a];
    for (const o of objs) {
      const r = objectProp(o, 'resolvers');
      if (r) out.push(r);
    }
  }
  return out;
}

/**
 * The resolver expressions behind a server's options, with the file they are written in: `resolvers` itself, or
 * the resolvers of its `schema`, followed through a schema built in another file.
 */
function resolverExprs(
  ctx: LinkContext,
  file: string,
  options: ts.Expression | undefined,
): { file: string; node: ts.Node }[] {
  if (!options) return [];
  const direct = objectProp(options, 'resolvers');
  if (direct) return [{ file, node: direct }];
  let schema = objectProp(options, 'schema');
  if (!schema) return ts.isObjectLiteralExpression(options) ? [] : [{ file, node: options }];
  let at = file;
  for (let depth = 0; depth < 5; depth++) {
    const inCall = resolversInCall(schema);
    if (inCall.length) return inCall.map((node) => ({ file: at, node }));
    if (!ts.isIdentifier(schema)) break;
    const t = ctx.resolver.resolveName(at, schema.text);
    if (t?.kind !== 'unit') break;
    const decl = ctx.project.files.get(t.file)?.topDecls.get(t.name);
    if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) break;
    schema = decl.initializer;
    at = t.file;
    while (ts.isAwaitExpression(schema) || ts.isParenthesizedExpression(schema) || ts.isAsExpression(schema))
      schema = schema.expression;
  }
  // A schema we cannot see into: what it references is the best guess at its resolvers.
  return [{ file: at, node: schema }];
}

function link(ctx: LinkContext): void {
  const all = ctx.data<FileData>();
  const apolloPaths = new Map<string, string>();
  for (const [file, d] of all) {
    for (const m of d.mounts) {
      // A server in the same file (often local to a start() function), else the imported one.
      const local = d.servers.find((s) => s.framework === 'apollo' && s.varName === m.server);
      let key: string | undefined;
      if (local) key = `${file}#${m.server}`;
      else {
        const t = ctx.resolver.resolveName(file, m.server);
        if (t?.kind === 'unit') key = `${t.file}#${t.name}`;
      }
      if (key && !apolloPaths.has(key)) apolloPaths.set(key, m.path);
    }
  }
  for (const [file, d] of all) {
    for (const s of d.servers) {
      const p =
        s.framework === 'apollo'
          ? (s.varName && apolloPaths.get(`${file}#${s.varName}`)) || DEFAULT_PATH
          : (s.path ?? DEFAULT_PATH);
      const handlers: ts.Node[] = [];
      const extraUnits: number[] = [];
      for (const r of resolverExprs(ctx, file, s.options)) {
        if (r.file === file) handlers.push(r.node);
        else extraUnits.push(...ctx.resolver.unitsOf(r.file, r.node));
      }
      ctx.component({
        kind: 'graphql',
        name: `GraphQL ${p}`,
        framework: s.framework,
        trigger: { type: 'graphql', path: p },
        node: s.node,
        file,
        handlers,
        ...(extraUnits.length ? { extraUnits } : {}),
      });
    }
  }
}

/**
 * GraphQL servers: Apollo Server (4, and 2/3 `apollo-server-*`) with where it is mounted, GraphQL Yoga and
 * Mercurius. Handlers are the resolvers, so the core attributes what resolver functions do to the endpoint.
 */
export const graphqlDetector: Detector = {
  id: 'graphql',
  mentions: ['@apollo/server', 'apollo-server', 'graphql-yoga', 'mercurius', '@as-integrations/', 'applyMiddleware'],
  kinds: [SK.NewExpression, SK.CallExpression],
  visit(node, ctx) {
    if (node.kind === SK.NewExpression) visitNew(node as ts.NewExpression, ctx);
    else if (node.kind === SK.CallExpression) visitCall(node as ts.CallExpression, ctx);
  },
  link,
};
