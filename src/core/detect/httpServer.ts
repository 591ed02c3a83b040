import { ts } from '../ts';
import type { Detector, FileContext, LinkContext } from '../scan/detector';
import { isFunctionLike } from '../scan/project';
import { importOf } from '../scan/scanner';
import { declarationOf, unwrap, valueOf, type Located } from './trace';
import { stringValue } from './util';

/** Read once: the compiler API's exports are getters, too slow for per-node checks. */
const SK = ts.SyntaxKind;

// ---------------------------------------------------------------------------------------------------------------
// Plain Node http / https / http2 servers.
// ---------------------------------------------------------------------------------------------------------------

const NODE_HTTP_MODULES = new Set(['http', 'node:http', 'https', 'node:https', 'http2', 'node:http2']);
const SERVER_FACTORIES = new Set(['createServer', 'createSecureServer', 'Server']);
const REQUEST_EVENTS = new Set(['on', 'addListener', 'once']);

/**
 * Packages whose apps are request listeners: `http.createServer(app)` serves that framework's routes, which its
 * own detector reports (or which are out of reach), never a hand-written handler.
 */
const FRAMEWORK_MODULES = new Set([
  'express',
  'koa',
  'fastify',
  'hono',
  '@hono/node-server',
  'connect',
  'polka',
  'restify',
  'next',
  'h3',
  'micro',
  'router',
  'find-my-way',
  '@nestjs/core',
  '@feathersjs/feathers',
  '@feathersjs/express',
  '@koa/router',
  'koa-router',
]);

interface ServerRec {
  call: ts.CallExpression | ts.NewExpression;
  handler?: ts.Expression;
}

interface ServerFileData {
  servers: ServerRec[];
  listeners: ts.CallExpression[];
}

function serverVisit(node: ts.Node, ctx: FileContext): void {
  if (node.kind !== SK.CallExpression && node.kind !== SK.NewExpression) return;
  const call = node as ts.CallExpression | ts.NewExpression;
  const callee = call.expression;
  const name =
    callee.kind === SK.Identifier
      ? (callee as ts.Identifier).text
      : callee.kind === SK.PropertyAccessExpression
        ? (callee as ts.PropertyAccessExpression).name.text
        : undefined;
  if (!name) return;
  if (SERVER_FACTORIES.has(name)) {
    const imp = ctx.importOf(callee);
    if (!imp || !NODE_HTTP_MODULES.has(imp.module) || !SERVER_FACTORIES.has(imp.name)) return;
    // The request listener is always the last argument, after the optional options object.
    const args = call.arguments ?? [];
    const last = args[args.length - 1];
    // An options object alone is no listener; a name is followed at link time, where only functions count.
    const handler = last && !ts.isObjectLiteralExpression(unwrap(last)) ? last : undefined;
    ctx.data<ServerFileData>(newServerData).servers.push({ call, handler });
    return;
  }
  if (
    REQUEST_EVENTS.has(name) &&
    call.kind === SK.CallExpression &&
    callee.kind === SK.PropertyAccessExpression &&
    call.arguments.length === 2 &&
    stringValue(call.arguments[0]) === 'request'
  ) {
    ctx.data<ServerFileData>(newServerData).listeners.push(call);
  }
}

const newServerData = (): ServerFileData => ({ servers: [], listeners: [] });

/** Whether a value is made by a web framework: `express()`, `new Koa()`, `app.callback()`, `nextApp.getRequestHandler()`. */
export function madeByFramework(lc: LinkContext, v: Located, depth = 0): boolean {
  if (depth > 6) return false;
  const n = unwrap(v.node);
  if (!ts.isCallExpression(n) && !ts.isNewExpression(n) && !ts.isPropertyAccessExpression(n)) return false;
  const fi = lc.project.files.get(v.file);
  if (!fi) return false;
  const callee = ts.isPropertyAccessExpression(n) ? n : n.expression;
  const imp = importOf(fi, callee);
  if (imp && FRAMEWORK_MODULES.has(imp.module)) return true;
  if (ts.isPropertyAccessExpression(callee)) {
    const obj = valueOf(lc, v.file, callee.expression);
    return !!obj && obj.node !== callee.expression && madeByFramework(lc, obj, depth + 1);
  }
  return false;
}

/** `(req, res) => app(req, res)` / `app.handle(req, res)`: a wrapper that hands every request to a framework app. */
function delegatesToFramework(lc: LinkContext, file: string, fn: ts.FunctionLikeDeclaration): boolean {
  const body = fn.body;
  if (!body) return false;
  let expr: ts.Node | undefined;
  if (!ts.isBlock(body)) expr = body;
  else if (body.statements.length === 1) {
    const st = body.statements[0]!;
    if (ts.isExpressionStatement(st)) expr = st.expression;
    else if (ts.isReturnStatement(st)) expr = st.expression;
  }
  if (!expr) return false;
  const e = unwrap(expr);
  if (!ts.isCallExpression(e)) return false;
  const callee = unwrap(e.expression);
  const target = ts.isPropertyAccessExpression(callee) ? callee.expression : callee;
  const v = valueOf(lc, file, target);
  return !!v && madeByFramework(lc, v);
}

function serverLink(lc: LinkContext): void {
  const all = lc.data<ServerFileData>();
  for (const [file, d] of all) {
    for (const server of d.servers) {
      const handlers: Located[] = [];
      if (server.handler) handlers.push({ file, node: server.handler });
      for (const [lfile, ld] of all) {
        for (const l of ld.listeners) {
          const recv = (l.expression as ts.PropertyAccessExpression).expression;
          const v = unwrap(recv) === server.call ? { file: lfile, node: server.call } : valueOf(lc, lfile, recv);
          if (v && v.node === server.call) handlers.push({ file: lfile, node: l.arguments[1]! });
        }
      }
      for (const h of handlers) {
        const v = valueOf(lc, h.file, h.node);
        if (!v || !isFunctionLike(v.node) || !v.node.body) continue;
        if (delegatesToFramework(lc, v.file, v.node)) continue;
        emitServer(lc, file, server.call, v.file, v.node);
      }
    }
  }
}

function emitServer(
  lc: LinkContext,
  file: string,
  call: ts.Node,
  fnFile: string,
  fn: ts.FunctionLikeDeclaration,
): void {
  const routes = dispatchRoutes(fn);
  if (!routes.length) {
    lc.component({
      kind: 'http-route',
      name: 'ALL /*',
      framework: 'node-http',
      trigger: { type: 'http', method: 'ALL', path: '/*' },
      node: call,
      file,
      handlers: [fn],
    });
    return;
  }
  for (const r of routes) {
    lc.component({
      kind: 'http-route',
      name: `${r.method} ${r.path}`,
      framework: 'node-http',
      trigger: { type: 'http', method: r.method, path: r.path },
      node: r.node,
      file: fnFile,
      handlers: [fn],
    });
  }
}

interface Dispatch {
  method: string;
  path: string;
  node: ts.Node;
}

const EQUALITY = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

/** The literal paths a handler dispatches on (`req.url === '/x'`, `switch (pathname)`), each with its methods. */
function dispatchRoutes(fn: ts.FunctionLikeDeclaration): Dispatch[] {
  const reqParam = fn.parameters[0];
  if (!reqParam || !ts.isIdentifier(reqParam.name) || !fn.body) return [];
  const req = reqParam;
  const out: Dispatch[] = [];
  const seen = new Set<string>();
  const add = (methods: string[], path: string, node: ts.Node): void => {
    for (const method of methods) {
      const key = `${method} ${path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ method, path, node });
    }
  };
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && EQUALITY.has(n.operatorToken.kind)) {
      const path = literalAgainst(
        n,
        (e) => isUrlish(e, req),
        (s) => s.startsWith('/'),
      );
      if (path !== undefined) add(methodsFor(n, req), path, n);
    } else if (ts.isSwitchStatement(n) && isUrlish(n.expression, req)) {
      for (const clause of n.caseBlock.clauses) {
        if (!ts.isCaseClause(clause)) continue;
        const path = stringValue(clause.expression);
        if (path === undefined || !path.startsWith('/')) continue;
        add(methodsFor(clause, req), path, clause);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return out;
}

/** The string literal one side of a comparison holds when the other side passes `test`. */
function literalAgainst(
  bin: ts.BinaryExpression,
  test: (e: ts.Node) => boolean,
  accept: (s: string) => boolean,
): string | undefined {
  for (const [lit, other] of [
    [bin.right, bin.left],
    [bin.left, bin.right],
  ] as const) {
    const u = unwrap(lit);
    if (!ts.isStringLiteralLike(u) || !accept(u.text)) continue;
    if (test(other)) return u.text;
  }
  return undefined;
}

function isReq(e: ts.Node, req: ts.ParameterDeclaration): boolean {
  const u = unwrap(e);
  return ts.isIdentifier(u) && declarationOf(u) === req;
}

/** `req.url`, `x.pathname`, `url.split('?')[0]`, and names bound to those (`const { pathname } = new URL(...)`). */
function isUrlish(expr: ts.Node, req: ts.ParameterDeclaration, depth = 0): boolean {
  if (depth > 6) return false;
  const e = unwrap(expr);
  if (ts.isPropertyAccessExpression(e)) {
    if (e.name.text === 'pathname') return true;
    if (e.name.text === 'url') return isReq(e.expression, req);
    return false;
  }
  if (ts.isElementAccessExpression(e)) return isUrlish(e.expression, req, depth + 1);
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression))
    return isUrlish(e.expression.expression, req, depth + 1);
  if (ts.isIdentifier(e)) {
    const d = declarationOf(e);
    if (!d) return false;
    if (ts.isVariableDeclaration(d)) return !!d.initializer && isUrlish(d.initializer, req, depth + 1);
    if (ts.isBindingElement(d)) {
      const prop =
        d.propertyName && ts.isIdentifier(d.propertyName)
          ? d.propertyName.text
          : ts.isIdentifier(d.name)
            ? d.name.text
            : '';
      if (prop === 'pathname') return true;
      const decl = d.parent.parent;
      return prop === 'url' && ts.isVariableDeclaration(decl) && !!decl.initializer && isReq(decl.initializer, req);
    }
  }
  return false;
}

/** `req.method`, and `method` destructured from the request. */
function isMethodish(expr: ts.Node, req: ts.ParameterDeclaration): boolean {
  const e = unwrap(expr);
  if (ts.isPropertyAccessExpression(e)) return e.name.text === 'method' && isReq(e.expression, req);
  if (ts.isIdentifier(e)) {
    const d = declarationOf(e);
    if (d && ts.isVariableDeclaration(d)) return !!d.initializer && isMethodish(d.initializer, req);
    if (d && ts.isBindingElement(d)) {
      const prop =
        d.propertyName && ts.isIdentifier(d.propertyName)
          ? d.propertyName.text
          : ts.isIdentifier(d.name)
            ? d.name.text
            : '';
      const decl = d.parent.parent;
      return prop === 'method' && ts.isVariableDeclaration(decl) && !!decl.initializer && isReq(decl.initializer, req);
    }
  }
  return false;
}

/** Method literals compared in an expression, not looking into nested functions. */
function methodChecks(node: ts.Node, req: ts.ParameterDeclaration): string[] {
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (isFunctionLike(n)) return;
    if (ts.isBinaryExpression(n) && EQUALITY.has(n.operatorToken.kind)) {
      const m = literalAgainst(
        n,
        (e) => isMethodish(e, req),
        (s) => /^[A-Za-z]+$/.test(s),
      );
      if (m !== undefined && !out.includes(m.toUpperCase())) out.push(m.toUpperCase());
    } else if (ts.isSwitchStatement(n) && isMethodish(n.expression, req)) {
      for (const c of n.caseBlock.clauses) {
        const m = ts.isCaseClause(c) ? stringValue(c.expression) : undefined;
        if (m && !out.includes(m.toUpperCase())) out.push(m.toUpperCase());
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return out;
}

/**
 * The methods a path check serves: a method check in the same condition (`req.method === 'POST' && req.url ===
 * '/x'`), else in an `if` around it, else the method checks inside the branch it guards, else ALL.
 */
function methodsFor(check: ts.Node, req: ts.ParameterDeclaration): string[] {
  let cond: ts.Node = check;
  if (!ts.isCaseClause(check)) {
    while (
      cond.parent &&
      (ts.isParenthesizedExpression(cond.parent) ||
        (ts.isBinaryExpression(cond.parent) &&
          cond.parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken))
    ) {
      cond = cond.parent;
    }
    const same = methodChecks(cond, req);
    if (same.length) return same;
  }
  for (let n: ts.Node = cond; n.parent && !isFunctionLike(n); n = n.parent) {
    const p = n.parent;
    if (ts.isIfStatement(p) && p.thenStatement === n) {
      const around = methodChecks(p.expression, req);
      if (around.length) return around;
    } else if (ts.isCaseClause(p) && p.parent.parent.expression && isMethodish(p.parent.parent.expression, req)) {
      const m = stringValue(p.expression);
      if (m) return [m.toUpperCase()];
    }
  }
  let region: ts.Node | undefined;
  if (ts.isCaseClause(check)) region = check;
  else if (cond.parent && ts.isIfStatement(cond.parent) && cond.parent.expression === cond)
    region = cond.parent.thenStatement;
  const inside = region ? methodChecks(region, req) : [];
  return inside.length ? inside : ['ALL'];
}

export const httpServerDetector: Detector = {
  id: 'node-http',
  mentions: ['http'],
  kinds: [SK.CallExpression, SK.NewExpression],
  visit: serverVisit,
  link: serverLink,
};
