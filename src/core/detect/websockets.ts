import { ts } from '../ts';
import type { Detector, FileContext, LinkContext } from '../scan/detector';
import { isFunctionLike } from '../scan/project';
import type { Resolver } from '../scan/resolve';
import type { FactInput } from '../scan/types';
import {
  isHandlerLike,
  nameText,
  objectLiteralOf,
  ownerUnit,
  propNode,
  rootStep,
  stepCalling,
  traceAcross,
} from './trace';
import { objectProp, stringValue } from './util';

/** Read once: the compiler API's exports are getters, too slow for per-node checks. */
const SK = ts.SyntaxKind;

type ServerKind = 'ws' | 'socket.io';

interface WsData {
  servers: { kind: ServerKind; node: ts.NewExpression | ts.CallExpression }[];
  connections: ts.CallExpression[];
  uws: ts.CallExpression[];
}

const WS_SERVER_NAMES = new Set(['WebSocketServer', 'Server', 'WebSocket.Server', 'WebSocket.WebSocketServer']);
/** socket.io's own lifecycle events: not messages the application defines. */
const RESERVED_EVENTS = new Set(['disconnect', 'disconnecting', 'error', 'connect_error']);
const UWS_HANDLERS = ['upgrade', 'open', 'message', 'drain', 'close', 'ping', 'pong'];

function data(ctx: FileContext): WsData {
  return ctx.data<WsData>(() => ({ servers: [], connections: [], uws: [] }));
}

function visit(node: ts.Node, ctx: FileContext): void {
  if (node.kind === SK.NewExpression) {
    const ne = node as ts.NewExpression;
    const imp = ctx.importOf(ne.expression);
    if (imp?.module === 'ws' && WS_SERVER_NAMES.has(imp.name)) data(ctx).servers.push({ kind: 'ws', node: ne });
    else if (imp?.module === 'socket.io' && imp.name === 'Server')
      data(ctx).servers.push({ kind: 'socket.io', node: ne });
    return;
  }
  if (node.kind !== SK.CallExpression) return;
  const call = node as ts.CallExpression;
  const callee = call.expression;
  if (callee.kind === SK.PropertyAccessExpression) {
    const m = (callee as ts.PropertyAccessExpression).name.text;
    const first = call.arguments[0];
    if (
      (m === 'on' || m === 'once') &&
      first &&
      (first.kind === SK.StringLiteral || first.kind === SK.NoSubstitutionTemplateLiteral) &&
      ((first as ts.StringLiteralLike).text === 'connection' || (first as ts.StringLiteralLike).text === 'connect')
    ) {
      data(ctx).connections.push(call);
    } else if (m === 'ws' && first && call.arguments.length >= 2) {
      data(ctx).uws.push(call);
    }
    return;
  }
  // require('socket.io')(server), or the default import called: io(server)
  const imp = ctx.importOf(callee);
  if (imp?.module === 'socket.io' && (imp.name === '*' || imp.name === 'default'))
    data(ctx).servers.push({ kind: 'socket.io', node: call });
}

/**
 * The events a socket.io connection handler listens to: `socket.on('event', ...)` on its socket parameter, also in
 * the functions it hands the socket to (`registerChatHandlers(io, socket)`), across files.
 */
function socketEvents(
  resolver: Resolver,
  nodeOf: (unit: number) => ts.Node | undefined,
  fn: ts.Node,
  paramIndex: number,
  out: string[],
  depth = 0,
  seen = new Set<ts.Node>(),
): void {
  if (!isFunctionLike(fn) || !fn.body || depth > 3 || seen.has(fn)) return;
  seen.add(fn);
  const p = fn.parameters[paramIndex];
  if (!p || !ts.isIdentifier(p.name)) return;
  const name = p.name.text;
  const file = fn.getSourceFile().fileName;
  const walk = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) {
      const c = n.expression;
      const first = n.arguments[0];
      if (
        ts.isPropertyAccessExpression(c) &&
        ts.isIdentifier(c.expression) &&
        c.expression.text === name &&
        (c.name.text === 'on' || c.name.text === 'once')
      ) {
        const ev = first ? stringValue(first, n.getSourceFile()) : undefined;
        if (ev !== undefined && !RESERVED_EVENTS.has(ev) && !out.includes(ev)) out.push(ev);
      } else {
        const i = n.arguments.findIndex((a) => ts.isIdentifier(a) && a.text === name);
        if (i >= 0) {
          for (const u of resolver.unitsOf(file, c)) {
            const target = nodeOf(u);
            if (target) socketEvents(resolver, nodeOf, target, i, out, depth + 1, seen);
          }
        }
      }
    }
    ts.forEachChild(n, walk);
  };
  walk(fn.body);
}

/** The function a unit stands for: itself, or the function a top-level statement exports or declares. */
function functionOf(n: ts.Node | undefined): ts.Node | undefined {
  if (!n || isFunctionLike(n)) return n;
  let e: ts.Expression | undefined;
  if (ts.isExpressionStatement(n) && ts.isBinaryExpression(n.expression)) e = n.expression.right;
  else if (ts.isExportAssignment(n)) e = n.expression;
  else if (ts.isVariableStatement(n)) e = n.declarationList.declarations[0]?.initializer;
  return e && isFunctionLike(e) ? e : undefined;
}

const serverFact = (node: ts.Node): FactInput => ({
  ruleId: 'websocket-server',
  hazard: 'websocket',
  severity: 'warning',
  message:
    'A WebSocket server holds persistent connections open: request-scoped functions end after each invocation, so they can neither keep a socket nor broadcast to the other clients.',
  fix: 'Move the connections to a managed WebSocket service (API Gateway WebSocket APIs with a function per route, Azure Web PubSub, Cloudflare Durable Objects) and keep connection state in a store, or keep this server in a container.',
  node,
});

const latencyFact = (node: ts.Node): FactInput => ({
  ruleId: 'websocket-latency',
  hazard: 'latency-critical',
  severity: 'info',
  message:
    'Real-time messages are latency-sensitive: a cold start on a message path shows up as lag to every connected user.',
  fix: 'Keep message handlers small and warm (provisioned concurrency, minimum instances), or serve them from the edge (Durable Objects).',
  node,
});

function link(ctx: LinkContext): void {
  const { project, resolver } = ctx;
  const nodeOf = (id: number): ts.Node | undefined => functionOf(project.units[id]?.node);
  interface Registration {
    file: string;
    call: ts.CallExpression;
    handler: ts.Expression;
  }
  interface ServerInfo {
    kind: ServerKind;
    node: ts.NewExpression | ts.CallExpression;
    file: string;
    namespaces: Map<string, Registration[]>;
  }
  const servers = new Map<ts.Node, ServerInfo>();
  for (const [file, d] of ctx.data<WsData>()) {
    for (const s of d.servers) servers.set(s.node, { kind: s.kind, node: s.node, file, namespaces: new Map() });
  }
  for (const [file, d] of ctx.data<WsData>()) {
    for (const call of d.connections) {
      const recv = (call.expression as ts.PropertyAccessExpression).expression;
      const chain = traceAcross(project, resolver, file, recv);
      const server = chain.steps.map((s) => servers.get(s)).find((s) => !!s);
      const handler = call.arguments[1];
      if (!server || !isHandlerLike(handler)) continue;
      const ev = (call.arguments[0] as ts.StringLiteral).text;
      if (server.kind === 'ws' && ev !== 'connection') continue;
      const of = stepCalling(chain, 'of');
      const ns = of?.arguments?.[0] ? nameText(of.arguments[0], project, resolver, of.getSourceFile().fileName) : '/';
      const list = server.namespaces.get(ns) ?? [];
      list.push({ file, call, handler });
      server.namespaces.set(ns, list);
    }
  }

  for (const s of servers.values()) {
    if (!s.namespaces.size) s.namespaces.set('/', []);
    for (const [ns, regs] of s.namespaces) {
      // A ws server is its own registration; a socket.io namespace is registered where its connection handler is.
      const primary = s.kind === 'socket.io' ? regs[0] : undefined;
      const file = primary?.file ?? s.file;
      const node: ts.Node = primary?.call ?? s.node;
      // Handlers registered in another file resolve from there: attribute them through their units.
      const local = regs.filter((r) => r.file === file).map((r) => r.handler);
      const remoteUnits = regs.filter((r) => r.file !== file).flatMap((r) => resolver.unitsOf(r.file, r.handler));
      const firstUnit = [...local.flatMap((h) => resolver.unitsOf(file, h)), ...remoteUnits][0];
      const owner = firstUnit ?? ownerUnit(resolver, s.file, undefined, s.node);
      // A server without any handler is still the component: a top-level statement creating it is its code.
      const extraUnits = firstUnit === undefined && project.units[owner]?.kind === 'statement' ? [owner] : remoteUnits;
      if (s.kind === 'ws') {
        const opts = objectLiteralOf(s.node.arguments?.[0]);
        const pathNode = objectProp(opts, 'path');
        const portNode = objectProp(opts, 'port');
        const path = pathNode ? nameText(pathNode, project, resolver, file) : undefined;
        const port = portNode && ts.isNumericLiteral(portNode) ? portNode.text : undefined;
        ctx.component({
          kind: 'websocket',
          name: path ? `ws ${path}` : port ? `ws :${port}` : 'ws server',
          framework: 'ws',
          trigger: path ? { type: 'websocket', path } : { type: 'websocket' },
          node,
          file,
          handlers: local,
          extraUnits,
        });
      } else {
        const events: string[] = [];
        for (const r of regs) {
          for (const u of resolver.unitsOf(r.file, r.handler)) {
            const fn = nodeOf(u);
            if (fn) socketEvents(resolver, nodeOf, fn, 0, events);
          }
        }
        ctx.component({
          kind: 'websocket',
          name: events.length ? `socket.io ${ns}: ${events.join(', ')}` : `socket.io ${ns}`,
          framework: 'socket.io',
          trigger: { type: 'websocket', path: ns },
          node,
          file,
          handlers: local,
          extraUnits,
          id: `websocket:socket.io${ns.startsWith('/') ? ns : `/${ns}`}`,
        });
      }
      ctx.fact(s.file, serverFact(s.node), owner);
      ctx.fact(s.file, latencyFact(s.node), owner);
    }
  }

  for (const [file, d] of ctx.data<WsData>()) {
    for (const call of d.uws) {
      const recv = (call.expression as ts.PropertyAccessExpression).expression;
      const chain = traceAcross(project, resolver, file, recv);
      const app = rootStep(chain);
      if (chain.root?.module !== 'uWebSockets.js' || !app) continue;
      const pattern = nameText(call.arguments[0]!, project, resolver, file);
      const behavior = objectLiteralOf(call.arguments[1]);
      const handlers = UWS_HANDLERS.map((h) => propNode(behavior, h)).filter((h): h is ts.Node => !!h);
      ctx.component({
        kind: 'websocket',
        name: `uWS ${pattern}`,
        framework: 'uWebSockets.js',
        trigger: { type: 'websocket', path: pattern },
        // The `.ws` of a chain `uWS.App().ws(...)`: the chain itself starts lines earlier.
        node: (call.expression as ts.PropertyAccessExpression).name,
        file,
        handlers,
      });
      const appFile = app.getSourceFile().fileName;
      const owner = ownerUnit(resolver, file, handlers[0], call);
      ctx.fact(appFile, serverFact(app), owner);
      ctx.fact(appFile, latencyFact(app), owner);
    }
  }
}

export const websocketsDetector: Detector = {
  id: 'websockets',
  // Module names, plus the registration of connection handlers on a server imported from another analysed file.
  mentions: ["'ws'", '"ws"', 'socket.io', 'uWebSockets.js', 'connection', 'connect'],
  kinds: [SK.NewExpression, SK.CallExpression],
  visit,
  link,
};
