import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from '../ts';
import type { Detector, FileContext, LinkContext } from '../scan/detector';
import { isFunctionLike, type ProjectIndex } from '../scan/project';
import { importOf } from '../scan/scanner';
import type { FileIndex } from '../scan/types';
import { readFunctionManifests, type ManifestFunction } from './functionManifests';
import { objectProp, stringValue } from './util';

type Platform = 'aws-lambda' | 'cloudflare-workers' | 'vercel' | 'netlify';

/** A handler recognised from the code of one file, kept until the link step can confirm it against config files. */
interface Candidate {
  platform: Platform;
  framework: string;
  name: string;
  /** The id suffix after `#`: the export, or `default.fetch` for one method of a Worker's default export. */
  key: string;
  event?: string;
  node: ts.Node;
  handlers: ts.Node[];
  /** Only counts when a config file confirms the platform (the code alone is ambiguous). */
  confirm?: 'wrangler' | 'vercel';
  /** For Vercel: the folder that holds `api/`, where vercel.json would be. */
  projectDir?: string;
}

interface FileData {
  candidates: Candidate[];
}

/** What a top-level exported name is bound to. */
interface Exported {
  /** The declaration (statement, function, class or object property): where the component is located. */
  node: ts.Node;
  /** The bound value with `as` / `satisfies` / parentheses removed: a function, call, object literal or class. */
  value?: ts.Node;
  /** `export const handler: APIGatewayProxyHandler = ...` */
  declType?: ts.TypeNode;
  /** The types the value is asserted to (`{ ... } satisfies ExportedHandler<Env>`). */
  assertedTypes: ts.TypeNode[];
}

const AWS_TYPES_MODULES = new Set(['aws-lambda', '@types/aws-lambda']);
const AWS_EVENT_TYPES: [RegExp, string][] = [
  [/^APIGateway/, 'api-gateway'],
  [/^ALB/, 'alb'],
  [/^LambdaFunctionURL/, 'function-url'],
  [/^SQS/, 'sqs'],
  [/^SNS/, 'sns'],
  [/^S3/, 's3'],
  [/^DynamoDBStream/, 'dynamodb-stream'],
  [/^Kinesis/, 'kinesis'],
  [/^Scheduled/, 'scheduled'],
  [/^EventBridge/, 'eventbridge'],
];
/** Adapters that turn a whole HTTP app into one Lambda handler behind API Gateway. */
const HTTP_ADAPTERS: Record<string, Set<string>> = {
  'serverless-http': new Set(['default', '*']),
  '@vendia/serverless-express': new Set(['default', '*', 'configure']),
  '@codegenie/serverless-express': new Set(['default', '*', 'configure']),
  '@fastify/aws-lambda': new Set(['default', '*']),
  'hono/aws-lambda': new Set(['handle', 'streamHandle']),
};
/** Other FaaS platforms whose handlers also take `(event, context)`. */
const OTHER_FAAS_MODULES = ['@google-cloud/functions-framework', 'firebase-functions', '@azure/functions'];
const WORKER_METHODS = ['fetch', 'scheduled', 'queue'];
const HTTP_EXPORTS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
const SOURCE_EXT = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const HANDLER_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'];
const WRANGLER_FILES = ['wrangler.toml', 'wrangler.json', 'wrangler.jsonc'];

function unwrap(node: ts.Node | undefined, asserted?: ts.TypeNode[]): ts.Node | undefined {
  let n = node;
  while (
    n &&
    (ts.isAsExpression(n) ||
      ts.isSatisfiesExpression(n) ||
      ts.isParenthesizedExpression(n) ||
      ts.isNonNullExpression(n))
  ) {
    if ((ts.isAsExpression(n) || ts.isSatisfiesExpression(n)) && asserted) asserted.push(n.type);
    n = n.expression;
  }
  return n;
}

function isModuleExports(e: ts.Expression): boolean {
  return (
    ts.isPropertyAccessExpression(e) &&
    ts.isIdentifier(e.expression) &&
    e.expression.text === 'module' &&
    e.name.text === 'exports'
  );
}

/** The declaration and value behind a top-level local name (as FileIndex.exports maps exported names to them). */
function describeLocal(project: ProjectIndex, fi: FileIndex, local: string): Exported | undefined {
  const decl = fi.topDecls.get(local);
  if (decl) {
    if (ts.isVariableDeclaration(decl)) {
      const assertedTypes: ts.TypeNode[] = [];
      const value = unwrap(decl.initializer, assertedTypes);
      return { node: decl.parent.parent, value, declType: decl.type, assertedTypes };
    }
    return { node: decl, value: decl, assertedTypes: [] };
  }
  const unit = fi.topLevel.get(local);
  if (unit === undefined) return undefined;
  const st = project.units[unit]!.node;
  const assertedTypes: ts.TypeNode[] = [];
  if (ts.isExportAssignment(st)) return { node: st, value: unwrap(st.expression, assertedTypes), assertedTypes };
  if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression)) {
    const { left, right } = st.expression;
    // `module.exports = { handler: async (event) => ... }`: the property is the declaration.
    if (local.startsWith('module.exports.') && isModuleExports(left) && ts.isObjectLiteralExpression(right)) {
      const prop = right.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === local.slice(15));
      if (!prop) return undefined;
      if (ts.isPropertyAssignment(prop))
        return { node: prop, value: unwrap(prop.initializer, assertedTypes), assertedTypes };
      return { node: prop, value: prop, assertedTypes };
    }
    return { node: st, value: unwrap(right, assertedTypes), assertedTypes };
  }
  return undefined;
}

/** A local function the identifier names in this file (`middy(baseHandler)`), for its parameters. */
function localFunction(fi: FileIndex, node: ts.Node | undefined): ts.FunctionLikeDeclaration | undefined {
  const n = unwrap(node);
  if (!n) return undefined;
  if (isFunctionLike(n)) return n;
  if (!ts.isIdentifier(n)) return undefined;
  const decl = fi.topDecls.get(n.text);
  if (decl && ts.isFunctionDeclaration(decl)) return decl;
  const init = decl && ts.isVariableDeclaration(decl) ? unwrap(decl.initializer) : undefined;
  return init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? init : undefined;
}

/** The name a type reference has among the file's imports from `modules`: `SQSHandler`, `lambda.SQSHandler`. */
function importedTypeName(fi: FileIndex, type: ts.TypeNode | undefined, modules: Set<string>): string | undefined {
  if (!type || !ts.isTypeReferenceNode(type)) return undefined;
  const tn = type.typeName;
  const imp = importOf(fi, ts.isIdentifier(tn) ? tn : tn.left);
  if (!imp || !modules.has(imp.module)) return undefined;
  if (ts.isIdentifier(tn)) return imp.name;
  return imp.name === '*' || imp.name === 'default' ? tn.right.text : `${imp.name}.${tn.right.text}`;
}

/** The event an aws-lambda type stands for (`SQSHandler` -> sqs, `Handler<SQSEvent>` -> sqs), or undefined when it is not one. */
function awsEventOfType(fi: FileIndex, type: ts.TypeNode | undefined, depth = 0): string | undefined {
  if (!type || depth > 3) return undefined;
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && type.typeName.text === 'Promise') {
    return awsEventOfType(fi, type.typeArguments?.[0], depth + 1);
  }
  const name = importedTypeName(fi, type, AWS_TYPES_MODULES);
  if (!name) return undefined;
  for (const [re, event] of AWS_EVENT_TYPES) if (re.test(name)) return event;
  const arg = (type as ts.TypeReferenceNode).typeArguments?.[0];
  const inner = name === 'Handler' ? awsEventOfType(fi, arg, depth + 1) : undefined;
  return inner ?? 'unknown';
}

const paramName = (p: ts.ParameterDeclaration | undefined): string | undefined =>
  p && ts.isIdentifier(p.name) ? p.name.text : undefined;

/** A function that returns `{ statusCode, ... }`: an API Gateway proxy response. */
function returnsStatusCode(fn: ts.FunctionLikeDeclaration): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (n !== fn && isFunctionLike(n)) return;
    if (
      ts.isObjectLiteralExpression(n) &&
      n.parent &&
      (ts.isReturnStatement(n.parent) || n.parent === fn || ts.isParenthesizedExpression(n.parent))
    ) {
      if (n.properties.some((p) => p.name && ts.isIdentifier(p.name) && p.name.text === 'statusCode')) found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(fn);
  return found;
}

/** The Lambda event a function's signature shows, by its aws-lambda types or by its `(event, context)` shape. */
function lambdaEventOfSignature(
  fi: FileIndex,
  fn: ts.FunctionLikeDeclaration,
  exportName: string,
  byName: boolean,
): string | undefined {
  const [p0, p1] = fn.parameters;
  const ofParam = awsEventOfType(fi, p0?.type);
  const ofReturn = awsEventOfType(fi, fn.type);
  const ofContext = awsEventOfType(fi, p1?.type);
  const isAsync = !!ts.getModifiers(fn)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
  // A helper that merely takes an event (`parseBody(event: APIGatewayProxyEvent)`) is not a handler.
  const handlerShaped = /handler$/i.test(exportName) || isAsync || ofReturn !== undefined || fn.parameters.length >= 2;
  if (ofParam && handlerShaped) return ofParam;
  if (ofReturn) return ofReturn;
  // A second parameter typed as the Lambda `Context` makes it a handler whatever the first one is.
  if (ofContext) return 'unknown';
  if (!byName) return undefined;
  if (paramName(p0) === 'event' && paramName(p1) === 'context') return 'unknown';
  if (exportName === 'handler' && fn.parameters.length === 1 && paramName(p0) === 'event' && returnsStatusCode(fn))
    return 'api-gateway';
  return undefined;
}

interface LambdaShape {
  event: string;
  handler: ts.Node;
}

/** `middy(fn).use(...)`, `middy().use(...).handler(fn)`: the base call and the wrapped function. */
function middyCall(fi: FileIndex, call: ts.CallExpression): { base: ts.CallExpression; fn?: ts.Node } | undefined {
  let c: ts.Expression = call;
  let fn: ts.Node | undefined;
  while (ts.isCallExpression(c)) {
    const callee = c.expression;
    if (ts.isPropertyAccessExpression(callee)) {
      if (callee.name.text === 'handler' && c.arguments[0]) fn = c.arguments[0];
      c = callee.expression;
      continue;
    }
    const imp = importOf(fi, callee);
    if (imp?.module === '@middy/core' && (imp.name === 'default' || imp.name === '*'))
      return { base: c, fn: c.arguments[0] ?? fn };
    return undefined;
  }
  return undefined;
}

/** Whether an exported binding is an AWS Lambda handler, and for which event. */
function lambdaShape(fi: FileIndex, ex: Exported, exportName: string): LambdaShape | undefined {
  const value = ex.value;
  const handler = value ?? ex.node;
  // Only handler types: `export const context: Context = {...}` is a test fixture, not a function.
  const isHandlerType = (t: ts.TypeNode | undefined): boolean =>
    /Handler(V2)?$/.test(importedTypeName(fi, t, AWS_TYPES_MODULES) ?? '');
  // Every export of every file comes here: the declared type first, then the asserted ones, without a new array.
  const handlerType = isHandlerType(ex.declType) ? ex.declType : ex.assertedTypes.find(isHandlerType);
  const typed = awsEventOfType(fi, handlerType);
  if (typed) return { event: typed, handler };
  if (!value) return undefined;
  // Only functions and wrapper calls need it: most exports are neither.
  const byName = (): boolean => !fi.modules.some((m) => OTHER_FAAS_MODULES.includes(m.module));
  if (ts.isCallExpression(value)) {
    const middy = middyCall(fi, value);
    if (middy) {
      const fromTypeArg = awsEventOfType(fi, middy.base.typeArguments?.[0]);
      const fn = localFunction(fi, middy.fn);
      const fromFn = fn ? lambdaEventOfSignature(fi, fn, 'handler', false) : undefined;
      return { event: fromTypeArg ?? fromFn ?? 'unknown', handler: value };
    }
    const imp = importOf(fi, value.expression);
    if (imp && HTTP_ADAPTERS[imp.module]?.has(imp.name)) return { event: 'api-gateway', handler: value };
    // Other wrappers (`Sentry.wrapHandler(fn)`): the wrapped function tells.
    for (const arg of value.arguments) {
      const fn = localFunction(fi, arg);
      const event = fn ? lambdaEventOfSignature(fi, fn, exportName, byName()) : undefined;
      if (event) return { event, handler: value };
    }
    return undefined;
  }
  if (isFunctionLike(value)) {
    const event = lambdaEventOfSignature(fi, value, exportName, byName());
    return event ? { event, handler: value } : undefined;
  }
  return undefined;
}

/** A value that can be called to handle a request: a function, a wrapper call, an app instance, a local function. */
function isCallableValue(fi: FileIndex, value: ts.Node | undefined): boolean {
  if (!value) return false;
  if (isFunctionLike(value) || ts.isCallExpression(value) || ts.isNewExpression(value)) return true;
  if (!ts.isIdentifier(value)) return false;
  const decl = fi.topDecls.get(value.text);
  if (decl && ts.isFunctionDeclaration(decl)) return true;
  const init = decl && ts.isVariableDeclaration(decl) ? unwrap(decl.initializer) : undefined;
  return !!init && (isFunctionLike(init) || ts.isCallExpression(init) || ts.isNewExpression(init));
}

/** `netlify/functions/hello.ts`, `netlify/functions/hello/hello.ts`, `netlify/functions/hello/index.ts` -> `hello`. */
function netlifyFunctionName(file: string): string | undefined {
  const m = /(?:^|\/)netlify\/functions\/([^/]+?)(?:\/([^/]+))?\.(?:ts|tsx|mts|cts|js|jsx|mjs|cjs)$/.exec(file);
  if (!m) return undefined;
  const [, first, second] = m;
  if (second === undefined) return first;
  const stem = second.replace(/\.[^.]+$/, '');
  return stem === first || stem === 'index' ? first : undefined;
}

function hasNetlifyType(fi: FileIndex, ex: Exported): boolean {
  const mods = new Set(['@netlify/functions']);
  return !!importedTypeName(fi, ex.declType, mods);
}

function netlifyCandidate(ctx: FileContext, ex: Exported, exportName: string): Candidate | undefined {
  const { file, index: fi } = ctx;
  if (exportName !== 'handler' && exportName !== 'default') return undefined;
  const fnName =
    netlifyFunctionName(file) ??
    (hasNetlifyType(fi, ex) ? path.posix.basename(file).replace(SOURCE_EXT, '') : undefined);
  if (!fnName || !isCallableValue(fi, ex.value)) return undefined;
  let event = `http ANY /.netlify/functions/${fnName}`;
  // Functions 2.0 route themselves with `export const config = { path, schedule }`.
  const configDecl = fi.exports.get('config') === 'config' ? fi.topDecls.get('config') : undefined;
  const config = configDecl && ts.isVariableDeclaration(configDecl) ? unwrap(configDecl.initializer) : undefined;
  const routePath = objectProp(config, 'path');
  const route = routePath && ts.isArrayLiteralExpression(routePath) ? routePath.elements[0] : routePath;
  const routeText = stringValue(route, ctx.sf);
  if (routeText) event = `http ANY ${routeText}`;
  const value = ex.value;
  const wrapper = value && ts.isCallExpression(value) ? importOf(fi, value.expression) : undefined;
  const scheduled =
    objectProp(config, 'schedule') !== undefined ||
    (wrapper?.module === '@netlify/functions' && wrapper.name === 'schedule');
  if (scheduled) event = 'scheduled';
  else if (fnName.endsWith('-background')) event = 'background';
  return {
    platform: 'netlify',
    framework: 'netlify',
    name: `netlify function ${fnName} (${file})`,
    key: exportName,
    event,
    node: ex.node,
    handlers: [value ?? ex.node],
  };
}

/** `api/users/[id].ts` under the root (or a nested project): Vercel's file-system routed functions. */
function vercelRoute(file: string): { projectDir: string; route: string } | undefined {
  const m = /^(?:(.*?)\/)?api\/(.+)$/.exec(file);
  if (!m || !SOURCE_EXT.test(file)) return undefined;
  const rest = m[2]!.replace(SOURCE_EXT, '');
  const segments = rest.split('/');
  // Vercel does not deploy `_helpers` or dot files as functions; tests are not functions either.
  if (segments.some((s) => s.startsWith('_') || s.startsWith('.')) || /\.(test|spec)$/.test(rest)) return undefined;
  const route = `/api/${rest}`.replace(/\/index$/, '') || '/api';
  return { projectDir: m[1] ?? '', route };
}

function vercelCandidate(ctx: FileContext, ex: Exported, exportName: string): Candidate | undefined {
  const { file, index: fi } = ctx;
  if (exportName !== 'default' && !HTTP_EXPORTS.has(exportName)) return undefined;
  const where = vercelRoute(file);
  if (!where || !isCallableValue(fi, ex.value)) return undefined;
  const vercelMods = new Set(['@vercel/node']);
  const fn = localFunction(fi, ex.value);
  const typed =
    !!importedTypeName(fi, ex.declType, vercelMods) ||
    !!fn?.parameters.some((p) => importedTypeName(fi, p.type, vercelMods) !== undefined);
  const method = exportName === 'default' ? 'ANY' : exportName;
  return {
    platform: 'vercel',
    framework: 'vercel',
    name: `vercel function ${exportName === 'default' ? '' : `${exportName} `}(${file})`,
    key: exportName,
    event: `http ${method} ${where.route}`,
    node: ex.node,
    handlers: [ex.value ?? ex.node],
    confirm: typed ? undefined : 'vercel',
    projectDir: where.projectDir,
  };
}

function importsCloudflare(fi: FileIndex): boolean {
  return fi.modules.some((m) => m.module.startsWith('cloudflare:') || m.module.startsWith('@cloudflare/'));
}

const typeRefName = (t: ts.TypeNode | undefined): string | undefined =>
  t && ts.isTypeReferenceNode(t) ? (ts.isIdentifier(t.typeName) ? t.typeName.text : t.typeName.right.text) : undefined;

/** A handler property of a Worker object: a method, a function, a local function, or a Hono app's `app.fetch`. */
function workerMethod(
  fi: FileIndex,
  prop: ts.ObjectLiteralElementLike,
): { handler: ts.Node; params: number; hono: boolean } | undefined {
  if (ts.isMethodDeclaration(prop)) return { handler: prop, params: prop.parameters.length, hono: false };
  const init = ts.isPropertyAssignment(prop)
    ? unwrap(prop.initializer)
    : ts.isShorthandPropertyAssignment(prop)
      ? prop.name
      : undefined;
  if (!init) return undefined;
  if (ts.isPropertyAccessExpression(init) && ts.isIdentifier(init.expression)) {
    const decl = fi.topDecls.get(init.expression.text);
    const app = decl && ts.isVariableDeclaration(decl) ? unwrap(decl.initializer) : undefined;
    const isHono = !!app && ts.isNewExpression(app) && importOf(fi, app.expression)?.module === 'hono';
    if (isHono && init.name.text === 'fetch') return { handler: init, params: 0, hono: true };
    // `fetch: app.fetch` with the app from another file of the project: only wrangler config can vouch for it.
    const imp = fi.imports.get(init.expression.text);
    const sameName = prop.name && ts.isIdentifier(prop.name) && prop.name.text === init.name.text;
    return sameName && (decl || imp?.module.startsWith('.')) ? { handler: init, params: 0, hono: false } : undefined;
  }
  // A shorthand `{ fetch }` with no local declaration is the global fetch, not a handler.
  const fn = localFunction(fi, init);
  return fn ? { handler: ts.isIdentifier(init) ? init : fn, params: fn.parameters.length, hono: false } : undefined;
}

function workerCandidates(ctx: FileContext, ex: Exported, exportName: string): Candidate[] {
  const { file, index: fi } = ctx;
  const value = ex.value;
  if (exportName !== 'default' || !value || !ts.isObjectLiteralExpression(value)) return [];
  const found: { method: string; prop: ts.Node; handler: ts.Node; params: number; hono: boolean }[] = [];
  for (const prop of value.properties) {
    const name =
      prop.name && (ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name)) ? prop.name.text : undefined;
    if (!name || !WORKER_METHODS.includes(name)) continue;
    const m = workerMethod(fi, prop);
    if (m) found.push({ method: name, prop, ...m });
  }
  if (!found.length) return [];
  const typed = [ex.declType, ...ex.assertedTypes].some((t) => typeRefName(t) === 'ExportedHandler');
  // Bun and Deno serve the same `{ port, fetch }` shape: only the Workers signature or config tells them apart.
  const servesPort = value.properties.some(
    (p) => p.name && ts.isIdentifier(p.name) && (p.name.text === 'port' || p.name.text === 'hostname'),
  );
  const shaped =
    !servesPort && (found.some((f) => f.method !== 'fetch' || f.params >= 2 || f.hono) || importsCloudflare(fi));
  const confirmed = typed || shaped;
  return found.map((f) => ({
    platform: 'cloudflare-workers',
    framework: 'cloudflare-workers',
    name: `worker ${f.method} (${file})`,
    key: `default.${f.method}`,
    event: f.method,
    node: f.prop,
    handlers: [f.handler],
    confirm: confirmed ? undefined : 'wrangler',
  }));
}

/** `class X extends DurableObject` (from cloudflare:workers) or `implements DurableObject` (the global type). */
function durableObjectCandidate(ctx: FileContext, ex: Exported, exportName: string): Candidate[] {
  const { file, index: fi } = ctx;
  const cls = ex.value;
  if (!cls || (!ts.isClassDeclaration(cls) && !ts.isClassExpression(cls))) return [];
  let durable = false;
  let entrypoint = false;
  for (const clause of cls.heritageClauses ?? []) {
    for (const t of clause.types) {
      const imp = importOf(fi, t.expression);
      if (clause.token === ts.SyntaxKind.ExtendsKeyword) {
        if (imp?.module === 'cloudflare:workers' && imp.name === 'DurableObject') durable = true;
        if (imp?.module === 'cloudflare:workers' && imp.name === 'WorkerEntrypoint') entrypoint = true;
      } else if (ts.isIdentifier(t.expression) && t.expression.text === 'DurableObject') {
        if (!imp || imp.module.startsWith('@cloudflare/') || imp.module === 'cloudflare:workers') durable = true;
      }
    }
  }
  const className = cls.name?.text ?? exportName;
  if (durable) {
    return [
      {
        platform: 'cloudflare-workers',
        framework: 'cloudflare-workers',
        name: `durable object ${className} (${file})`,
        key: exportName,
        event: 'durable-object',
        node: cls,
        handlers: [cls],
      },
    ];
  }
  // `export default class extends WorkerEntrypoint { fetch() {} }`: the class form of a Worker.
  if (!entrypoint || exportName !== 'default') return [];
  const out: Candidate[] = [];
  for (const m of cls.members) {
    if (!ts.isMethodDeclaration(m) || !m.name || !ts.isIdentifier(m.name) || !WORKER_METHODS.includes(m.name.text))
      continue;
    out.push({
      platform: 'cloudflare-workers',
      framework: 'cloudflare-workers',
      name: `worker ${m.name.text} (${file})`,
      key: `default.${m.name.text}`,
      event: m.name.text,
      node: m,
      handlers: [m],
    });
  }
  return out;
}

function lambdaCandidate(ctx: FileContext, ex: Exported, exportName: string): Candidate | undefined {
  const shape = lambdaShape(ctx.index, ex, exportName);
  if (!shape) return undefined;
  return {
    platform: 'aws-lambda',
    framework: 'aws-lambda',
    name: `lambda ${exportName} (${ctx.file})`,
    key: exportName,
    event: shape.event,
    node: ex.node,
    handlers: [shape.handler],
  };
}

function candidatesOf(ctx: FileContext, ex: Exported, exportName: string): Candidate[] {
  // Where a file lives decides Netlify and Vercel; explicit aws-lambda typing wins over a Vercel path.
  const netlify = netlifyCandidate(ctx, ex, exportName);
  if (netlify) return [netlify];
  const lambda = lambdaCandidate(ctx, ex, exportName);
  if (lambda && lambda.event !== 'unknown') return [lambda];
  const vercel = vercelCandidate(ctx, ex, exportName);
  if (vercel) return [vercel];
  const workers = [...workerCandidates(ctx, ex, exportName), ...durableObjectCandidate(ctx, ex, exportName)];
  if (workers.length) return workers;
  return lambda ? [lambda] : [];
}

function endFile(ctx: FileContext): void {
  const fi = ctx.index;
  const seen = new Set<ts.Node>();
  const out: Candidate[] = [];
  // Named exports first, so `export const handler = ...; export default handler` is the `handler`.
  const exportsInOrder: [string, string][] = [];
  let defaultExport: [string, string] | undefined;
  for (const e of fi.exports) {
    if (e[0] === 'default') defaultExport = e;
    else exportsInOrder.push(e);
  }
  if (defaultExport) exportsInOrder.push(defaultExport);
  for (const [exportName, local] of exportsInOrder) {
    const ex = describeLocal(ctx.project, fi, local);
    if (!ex || seen.has(ex.node)) continue;
    const found = candidatesOf(ctx, ex, exportName);
    if (!found.length) continue;
    seen.add(ex.node);
    out.push(...found);
  }
  if (out.length) ctx.data<FileData>(() => ({ candidates: [] })).candidates.push(...out);
}

interface WranglerConfig {
  main?: string;
}

/** The wrangler config of a folder, if any: only its `main`, read with a pattern (TOML and JSON alike). */
function readWrangler(root: string, dir: string): WranglerConfig | null {
  for (const name of WRANGLER_FILES) {
    let text: string;
    try {
      text = fs.readFileSync(path.join(root, dir, name), 'utf8');
    } catch {
      continue;
    }
    // Top-level `main` comes before any [section] in TOML; JSON has it as a plain key.
    const head = name.endsWith('.toml') ? text.split(/^\s*\[/m)[0]! : text;
    const m = /^\s*"?main"?\s*[=:]\s*["']([^"']+)["']/m.exec(head);
    return m ? { main: path.posix.normalize(m[1]!) } : {};
  }
  return null;
}

/** Whether the root package.json depends on one of the packages, in any dependency field. */
function packageMentions(project: ProjectIndex, names: string[]): boolean {
  const pkg = project.packageJsons.get('');
  if (!pkg) return false;
  const fields = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;
  return fields.some((f) => {
    const deps = pkg[f];
    return !!deps && typeof deps === 'object' && names.some((n) => n in deps);
  });
}

const stem = (file: string): string => path.posix.normalize(file).replace(SOURCE_EXT, '');

function handlerFile(project: ProjectIndex, modules: string[]): string | undefined {
  for (const m of modules) for (const ext of HANDLER_EXTENSIONS) if (project.files.has(m + ext)) return m + ext;
  return undefined;
}

/** Components for the functions of serverless.yml / template.yaml whose handler is among the analysed files. */
function linkManifests(ctx: LinkContext, fn: ManifestFunction, claimed: Set<ts.Node>): void {
  const { project, resolver } = ctx;
  const file = handlerFile(project, fn.modules);
  if (!file) return;
  const target = resolver.resolveExport(file, fn.exportName);
  if (target?.kind !== 'unit') return;
  const tfi = project.files.get(target.file)!;
  const ex = describeLocal(project, tfi, target.name);
  if (!ex) return;
  const shape = lambdaShape(tfi, ex, fn.exportName);
  const manifestEvents = fn.events.filter((e) => e !== 'unknown');
  const codeEvent = shape && shape.event !== 'unknown' ? shape.event : undefined;
  const labels = manifestEvents.length ? manifestEvents : codeEvent ? [codeEvent] : [];
  claimed.add(ex.node);
  ctx.component({
    kind: 'function',
    name: labels.length ? `${fn.name} (${labels.join(', ')})` : fn.name,
    framework: fn.source,
    trigger: { type: 'function', platform: 'aws-lambda', event: labels[0] ?? fn.events[0] ?? 'unknown' },
    node: ex.node,
    file: target.file,
    handlers: [shape?.handler ?? ex.value ?? ex.node],
    id: `function:aws-lambda:${file}#${fn.exportName}`,
  });
}

function link(ctx: LinkContext): void {
  const { project } = ctx;
  const root = project.root;
  const claimed = new Set<ts.Node>();
  // A broken manifest is listed in stats.skipped with its reason; the analysis goes on without it.
  const manifests = readFunctionManifests(root, project.manifests);
  for (const b of manifests.broken) ctx.skip(b.file, b.reason);
  for (const fn of manifests.functions) {
    try {
      linkManifests(ctx, fn, claimed);
    } catch {
      // A manifest entry shaped in a way nobody foresaw costs that one function, never the report.
    }
  }

  const wranglerAt = new Map<string, WranglerConfig | null>();
  // The nearest wrangler config confirms a Worker; when it names its `main`, only that file's default export.
  const confirmedByWrangler = (file: string): boolean => {
    for (let dir = path.posix.dirname(file); ; dir = path.posix.dirname(dir)) {
      const d = dir === '.' ? '' : dir;
      let cfg = wranglerAt.get(d);
      if (cfg === undefined) wranglerAt.set(d, (cfg = readWrangler(root, d)));
      if (cfg) return !cfg.main || stem(path.posix.join(d, cfg.main)) === stem(file);
      if (!d) return false;
    }
  };
  let vercelDeps: boolean | undefined;
  // Read lazily: ProjectIndex.dependencies leaves out devDependencies, where @vercel/node and vercel usually are.
  const rootUsesVercel = (): boolean => (vercelDeps ??= packageMentions(project, ['@vercel/node', 'vercel']));
  const hasVercelJson = (dir: string): boolean => fs.existsSync(path.join(root, dir, 'vercel.json'));

  for (const [file, data] of ctx.data<FileData>()) {
    for (const c of data.candidates) {
      if (c.platform === 'aws-lambda' && claimed.has(c.node)) continue;
      if (c.confirm === 'wrangler' && !confirmedByWrangler(file)) continue;
      // The @vercel/node dependency only vouches for the root's api/ folder; a nested one needs its vercel.json.
      if (c.confirm === 'vercel' && !hasVercelJson(c.projectDir ?? '') && !(c.projectDir === '' && rootUsesVercel()))
        continue;
      ctx.component({
        kind: 'function',
        name: c.name,
        framework: c.framework,
        trigger: { type: 'function', platform: c.platform, ...(c.event ? { event: c.event } : {}) },
        node: c.node,
        file,
        handlers: c.handlers,
        id: `function:${c.platform}:${file}#${c.key}`,
      });
    }
  }
}

/**
 * Handlers that already are serverless functions: AWS Lambda (typed, middy-wrapped, `(event, context)`, or listed
 * in serverless.yml / a SAM template), Cloudflare Workers and Durable Objects, Vercel and Netlify functions.
 */
export const functionsDetector: Detector = {
  id: 'functions',
  // Every handler is exported (ES or CommonJS); manifest-listed ones are found in link, whatever the file says.
  mentions: ['export'],
  endFile,
  link,
};
