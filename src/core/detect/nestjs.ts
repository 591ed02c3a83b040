import { ts } from '../ts';
import type { Detector, FileContext, LinkContext } from '../scan/detector';
import { joinPaths, objectProp, stringValue } from './util';

/** Read once: the compiler API's exports are getters, too slow for per-node checks. */
const SK = ts.SyntaxKind;

const COMMON = '@nestjs/common';
const CORE = '@nestjs/core';
const MICROSERVICES = '@nestjs/microservices';
const SCHEDULE = '@nestjs/schedule';
const WEBSOCKETS = '@nestjs/websockets';
const GRAPHQL = '@nestjs/graphql';

const ROUTE_DECORATORS = new Map([
  ['Get', 'GET'],
  ['Post', 'POST'],
  ['Put', 'PUT'],
  ['Patch', 'PATCH'],
  ['Delete', 'DELETE'],
  ['Options', 'OPTIONS'],
  ['Head', 'HEAD'],
  ['All', 'ALL'],
  ['Search', 'SEARCH'],
  // Server-sent events: a long-lived GET.
  ['Sse', 'GET'],
]);
const GRAPHQL_OPERATIONS = new Set(['Query', 'Mutation', 'Subscription', 'ResolveField']);

interface RouteReg {
  method: string;
  /** Controller prefixes x method paths, before the global prefix. */
  paths: string[];
  node: ts.Node;
  handler: ts.MethodDeclaration;
}

interface ResolverReg {
  className: string;
  node: ts.Node;
  handlers: ts.MethodDeclaration[];
}

interface PrefixReg {
  prefix: string;
  /** Route paths (joined, without the prefix) and optional methods that `exclude` keeps out of the prefix. */
  exclude: { path: string; method?: string }[];
}

interface FileData {
  routes: RouteReg[];
  resolvers: ResolverReg[];
  globalPrefixes: PrefixReg[];
  graphqlPaths: string[];
}

const newData = (): FileData => ({ routes: [], resolvers: [], globalPrefixes: [], graphqlPaths: [] });

/** A decorator's call and what it names among the file's imports: `@Get(':id')` -> Get from @nestjs/common. */
function decoratorsOf(
  ctx: FileContext,
  node: ts.Node,
): { name: string; module: string; call: ts.CallExpression; node: ts.Decorator }[] {
  const out: { name: string; module: string; call: ts.CallExpression; node: ts.Decorator }[] = [];
  if (!ts.canHaveDecorators(node)) return out;
  for (const d of ts.getDecorators(node) ?? []) {
    // Nest decorators are always factories: `@Get()`, never a bare `@Get`.
    if (!ts.isCallExpression(d.expression)) continue;
    const imp = ctx.importOf(d.expression.expression);
    if (!imp) continue;
    out.push({ name: imp.name, module: imp.module, call: d.expression, node: d });
  }
  return out;
}

/** A path argument: a string, an array of strings, or (for controllers) `{ path }`. Undefined when dynamic. */
function pathsOf(arg: ts.Expression | undefined, sf: ts.SourceFile, allowOptions: boolean): string[] | undefined {
  if (!arg) return [''];
  if (ts.isArrayLiteralExpression(arg)) {
    const out: string[] = [];
    for (const el of arg.elements) {
      const v = stringValue(el, sf);
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out.length ? out : [''];
  }
  if (allowOptions && ts.isObjectLiteralExpression(arg)) {
    const p = objectProp(arg, 'path');
    return p ? pathsOf(p, sf, false) : [''];
  }
  const v = stringValue(arg, sf);
  return v === undefined ? undefined : [v];
}

/** A message pattern as a readable, stable string: `'sum'` -> sum, `{ cmd: 'sum' }` -> {"cmd":"sum"}. */
function patternText(arg: ts.Expression | undefined, sf: ts.SourceFile): string | undefined {
  if (!arg) return undefined;
  const s = stringValue(arg, sf);
  if (s !== undefined) return s;
  if (ts.isObjectLiteralExpression(arg)) {
    const obj: Record<string, string | number> = {};
    for (const p of arg.properties) {
      if (!ts.isPropertyAssignment(p) || !p.name || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)))
        return arg.getText(sf);
      const v = stringValue(p.initializer, sf);
      if (v !== undefined) obj[p.name.text] = v;
      else if (ts.isNumericLiteral(p.initializer)) obj[p.name.text] = Number(p.initializer.text);
      else return arg.getText(sf);
    }
    return JSON.stringify(obj);
  }
  return arg.getText(sf).replace(/\s+/g, ' ');
}

function methodName(m: ts.MethodDeclaration, sf: ts.SourceFile): string {
  return ts.isIdentifier(m.name) || ts.isStringLiteral(m.name) ? m.name.text : m.name.getText(sf);
}

function visitClass(cls: ts.ClassDeclaration, ctx: FileContext): void {
  const classDecorators = decoratorsOf(ctx, cls);
  if (!classDecorators.length && !cls.members.some((m) => ts.isMethodDeclaration(m) && ts.getDecorators(m)?.length))
    return;
  const sf = ctx.sf;
  const controller = classDecorators.find((d) => d.module === COMMON && d.name === 'Controller');
  const prefixes = controller ? pathsOf(controller.call.arguments[0], sf, true) : undefined;
  const gateway = classDecorators.find((d) => d.module === WEBSOCKETS && d.name === 'WebSocketGateway');
  const resolver = classDecorators.find((d) => d.module === GRAPHQL && d.name === 'Resolver');
  let namespace: string | undefined;
  if (gateway) {
    // `@WebSocketGateway(port?, options?)` or `@WebSocketGateway(options)`.
    const opts = gateway.call.arguments.find((a) => ts.isObjectLiteralExpression(a));
    const ns = stringValue(objectProp(opts, 'namespace'), sf);
    if (ns) namespace = joinPaths(ns);
  }
  const data = ctx.data(newData);
  const resolverHandlers: ts.MethodDeclaration[] = [];

  for (const m of cls.members) {
    if (!ts.isMethodDeclaration(m)) continue;
    for (const d of decoratorsOf(ctx, m)) {
      const arg0 = d.call.arguments[0];
      if (d.module === COMMON && controller && prefixes) {
        const method = ROUTE_DECORATORS.get(d.name);
        if (!method) continue;
        const own = pathsOf(arg0, sf, false);
        // A computed path cannot be told statically: better no route than a wrong one.
        if (!own) continue;
        const paths = prefixes.flatMap((p) => own.map((o) => joinPaths(p, o)));
        data.routes.push({ method, paths, node: d.node, handler: m });
      } else if (d.module === MICROSERVICES && (d.name === 'MessagePattern' || d.name === 'EventPattern')) {
        const pattern = patternText(arg0, sf);
        if (pattern === undefined) continue;
        const what = d.name === 'MessagePattern' ? 'message' : 'event';
        ctx.component({
          kind: 'queue-consumer',
          // Object patterns read as JSON already; quoting them again would only add noise.
          name: pattern.startsWith('{') ? `nestjs ${what} ${pattern}` : `nestjs ${what} "${pattern}"`,
          framework: 'nestjs',
          trigger: { type: 'queue', system: 'nestjs-microservices', queue: pattern },
          node: d.node,
          handlers: [m],
        });
      } else if (d.module === SCHEDULE && (d.name === 'Cron' || d.name === 'Interval')) {
        let schedule: string | undefined;
        let name: string;
        if (d.name === 'Cron') {
          schedule = stringValue(arg0, sf) ?? arg0?.getText(sf);
          name = `cron "${schedule}"`;
        } else {
          // `@Interval(ms)` or `@Interval('name', ms)`.
          const msArg = d.call.arguments.length > 1 ? d.call.arguments[1] : arg0;
          const ms = msArg && ts.isNumericLiteral(msArg) ? msArg.text : msArg?.getText(sf);
          schedule = ms === undefined ? undefined : `every ${ms}ms`;
          name = `interval ${ms}ms`;
        }
        if (schedule === undefined) continue;
        ctx.component({
          kind: 'scheduled-job',
          name: `${name} (${cls.name?.text ?? 'class'}.${methodName(m, sf)})`,
          framework: 'nestjs',
          trigger: { type: 'schedule', system: 'nestjs-schedule', schedule },
          node: d.node,
          handlers: [m],
        });
      } else if (d.module === WEBSOCKETS && d.name === 'SubscribeMessage' && gateway) {
        const event = stringValue(arg0, sf);
        if (event === undefined) continue;
        ctx.component({
          kind: 'websocket',
          name: namespace ? `websocket ${namespace} "${event}"` : `websocket "${event}"`,
          framework: 'nestjs',
          trigger: namespace ? { type: 'websocket', path: namespace, event } : { type: 'websocket', event },
          node: d.node,
          handlers: [m],
        });
      } else if (d.module === GRAPHQL && resolver && GRAPHQL_OPERATIONS.has(d.name)) {
        if (!resolverHandlers.includes(m)) resolverHandlers.push(m);
      }
    }
  }
  if (resolver && resolverHandlers.length && cls.name) {
    data.resolvers.push({ className: cls.name.text, node: resolver.node, handlers: resolverHandlers });
  }
}

/** `app` in `app.setGlobalPrefix(...)` is the result of `NestFactory.create(...)` in the same function or file. */
function isNestApp(ctx: FileContext, receiver: ts.Expression): boolean {
  if (!ts.isIdentifier(receiver)) return false;
  for (let scope: ts.Node | undefined = receiver.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope)) continue;
    for (const st of scope.statements) {
      if (!ts.isVariableStatement(st)) continue;
      for (const decl of st.declarationList.declarations) {
        if (!ts.isIdentifier(decl.name) || decl.name.text !== receiver.text || !decl.initializer) continue;
        let init: ts.Expression = decl.initializer;
        while (ts.isAwaitExpression(init) || ts.isParenthesizedExpression(init) || ts.isAsExpression(init))
          init = init.expression;
        if (!ts.isCallExpression(init) || !ts.isPropertyAccessExpression(init.expression)) return false;
        const imp = ctx.importOf(init.expression);
        return imp?.module === CORE && imp.name === 'NestFactory.create';
      }
    }
  }
  return false;
}

function visitCall(call: ts.CallExpression, ctx: FileContext): void {
  if (call.expression.kind !== SK.PropertyAccessExpression) return;
  const callee = call.expression as ts.PropertyAccessExpression;
  const name = callee.name.text;
  if (name === 'setGlobalPrefix') {
    if (!isNestApp(ctx, callee.expression)) return;
    const prefix = stringValue(call.arguments[0], ctx.sf);
    if (prefix === undefined) return;
    const exclude: PrefixReg['exclude'] = [];
    const ex = objectProp(call.arguments[1], 'exclude');
    if (ex && ts.isArrayLiteralExpression(ex)) {
      for (const el of ex.elements) {
        const s = stringValue(el, ctx.sf);
        if (s !== undefined) exclude.push({ path: joinPaths(s) });
        const p = stringValue(objectProp(el, 'path'), ctx.sf);
        const m = objectProp(el, 'method');
        // `RequestMethod.GET`; RequestMethod.ALL excludes every method.
        const method = m && ts.isPropertyAccessExpression(m) && m.name.text !== 'ALL' ? m.name.text : undefined;
        if (p !== undefined) exclude.push({ path: joinPaths(p), method });
      }
    }
    ctx.data(newData).globalPrefixes.push({ prefix, exclude });
  } else if (name === 'forRoot' || name === 'forRootAsync') {
    const imp = ctx.importOf(callee);
    if (!imp || imp.module !== GRAPHQL || !imp.name.startsWith('GraphQLModule.')) return;
    // forRoot({ path }) or forRoot<ApolloDriverConfig>({ driver, path }); forRootAsync keeps it in a factory: default.
    const p = stringValue(objectProp(call.arguments[0], 'path'), ctx.sf);
    ctx.data(newData).graphqlPaths.push(p === undefined ? '/graphql' : joinPaths(p));
  }
}

/** Leading path segments two root-relative files share: picks the app a controller belongs to in a monorepo. */
function sharedDepth(a: string, b: string): number {
  const pa = a.split('/').slice(0, -1);
  const pb = b.split('/').slice(0, -1);
  let i = 0;
  while (i < pa.length && i < pb.length && pa[i] === pb[i]) i++;
  return i;
}

function nearest<T>(file: string, candidates: { file: string; value: T }[]): T | undefined {
  let best: { file: string; value: T } | undefined;
  let bestDepth = -1;
  for (const c of candidates) {
    const d = sharedDepth(file, c.file);
    if (d > bestDepth) {
      best = c;
      bestDepth = d;
    }
  }
  return best?.value;
}

function link(ctx: LinkContext): void {
  const all = ctx.data<FileData>();
  const prefixes: { file: string; value: PrefixReg }[] = [];
  const gqlPaths: { file: string; value: string }[] = [];
  for (const [file, d] of all) {
    for (const p of d.globalPrefixes) prefixes.push({ file, value: p });
    for (const p of d.graphqlPaths) gqlPaths.push({ file, value: p });
  }
  for (const [file, d] of all) {
    const global = nearest(file, prefixes);
    for (const r of d.routes) {
      for (const p of r.paths) {
        const excluded = global?.exclude.some((e) => e.path === p && (!e.method || e.method === r.method));
        const path = global && !excluded ? joinPaths(global.prefix, p) : p;
        ctx.component({
          kind: 'http-route',
          name: `${r.method} ${path}`,
          framework: 'nestjs',
          trigger: { type: 'http', method: r.method, path },
          node: r.node,
          file,
          handlers: [r.handler],
        });
      }
    }
    const gqlPath = nearest(file, gqlPaths) ?? '/graphql';
    for (const r of d.resolvers) {
      ctx.component({
        kind: 'graphql',
        name: `GraphQL ${r.className}`,
        framework: 'nestjs',
        trigger: { type: 'graphql', path: gqlPath },
        node: r.node,
        file,
        handlers: r.handlers,
        // Many resolver classes share one endpoint: the class tells them apart.
        id: `graphql:nestjs:${r.className}`,
      });
    }
  }
}

/**
 * NestJS: controllers and their route decorators (with the global prefix of main.ts), microservice message and
 * event handlers, @nestjs/schedule jobs, websocket gateways and GraphQL resolvers. Handlers are the decorated
 * methods, so the core follows `this.service.x()` into injected providers. `@Version`, host-scoped controllers
 * and RouterModule path trees are not reflected in the paths; routes inherited from a base class are not seen.
 */
export const nestjsDetector: Detector = {
  id: 'nestjs',
  mentions: ['@nestjs/'],
  kinds: [SK.ClassDeclaration, SK.CallExpression],
  visit(node, ctx) {
    if (node.kind === SK.ClassDeclaration) visitClass(node as ts.ClassDeclaration, ctx);
    else if (node.kind === SK.CallExpression) visitCall(node as ts.CallExpression, ctx);
  },
  link,
};
