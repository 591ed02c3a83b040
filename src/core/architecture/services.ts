import { ts } from '../ts';

/** Read once: the compiler API's exports are getters (see ../ts.ts). */
const SK = ts.SyntaxKind;
const forEachChild = ts.forEachChild;
const SKIPPED = new Set<ts.SyntaxKind>([
  SK.ImportDeclaration,
  SK.ImportEqualsDeclaration,
  SK.ExportDeclaration,
  SK.InterfaceDeclaration,
  SK.TypeAliasDeclaration,
  // `ts.isTypeNode` also counts heritage clauses' `Base<T>`; the rest of its kinds are keyword leaves.
  SK.ExpressionWithTypeArguments,
]);
const FIRST_TYPE_NODE = SK.FirstTypeNode;
const LAST_TYPE_NODE = SK.LastTypeNode;
import type { Location, ServiceUse } from '../model';
import { declarationOf, nameText, targetNode, unwrap } from '../detect/trace';
import { objectProp } from '../detect/util';
import { isFunctionLike, locationOf, nodeUnit, type ProjectIndex } from '../scan/project';
import type { Resolver } from '../scan/resolve';
import { importOf } from '../scan/scanner';
import type { FileIndex, ImportBinding } from '../scan/types';
import { HTTP_CLIENTS, hostOf, ormEngine, SERVICES, serviceOfModule, type ServiceInfo } from './catalog';

// Which services each component's code talks to. It reads what the single pass already recorded (imports, units,
// their references and member accesses) and walks again only the few files that import a service client or hold
// an http(s):// literal. A component uses a service when the code it reaches:
//   - calls a method of a client made at the top of a module (`pool.query` of `export const pool = new Pool()`): the
//     client's declaration alone does not count, so passing `redis` as BullMQ's connection is not a use of Redis;
//   - uses a client package directly in a function (`new S3Client()`, `sgMail.send()`, `require('pg')`);
//   - calls an HTTP client (fetch, axios, got, ...) with a URL whose host is a literal, possibly through a constant,
//     a config object or `process.env.X ?? 'https://...'`;
//   - sends to a queue or topic it names (`queue.add` of `new Queue('emails')`, `sendToQueue('jobs')`,
//     `producer.send({ topic })`, `new SendMessageCommand({ QueueUrl })`).

/**
 * What the walk of one file found: syntax only (the file's own text and imports), so it is kept with the file's index
 * for as long as an incremental session keeps that (until the file changes). What depends on other files (the names
 * of queues and hosts through imported constants, which client an imported name is) is worked out on every run.
 */
interface FileFacts {
  /** Imports of client packages, type-only ones aside: local name -> module and imported name. */
  clients: Map<string, { module: string; imported: string }>;
  /** Imports an HTTP client package. */
  http: boolean;
  /** Holds an http(s):// literal. */
  urls: boolean;
  /** Top-level `const x = new C(...)`, `C(...)`, `x.m()` that may make a client. */
  decls: { name: string; init: ts.NewExpression | ts.CallExpression }[];
  /** Whether the walk below ran. */
  walked: boolean;
  /** References to client imports in value positions, outside client initialisers. */
  ids: ts.Identifier[];
  /** Calls of HTTP clients, with their URL argument. */
  httpCalls: { call: ts.CallExpression; via: string; url: ts.Node }[];
  /** Calls of methods that may send to a named queue or topic. */
  sendCalls: ts.CallExpression[];
  /** `new X(...)` of an imported class (SQS send commands, queues made in functions). */
  news: ts.NewExpression[];
  /** `require('m')` calls of client packages. */
  requires: { call: ts.CallExpression; module: string }[];
}

const FACTS = new WeakMap<FileIndex, FileFacts>();

/** A place in the code that uses a service, owned by a unit. */
interface Site {
  unit: number;
  use: ServiceUse;
}

/** Services whose send calls name the queue or topic in their arguments (see produceCall). */
const SENDERS = new Set(['kafka', 'amqp', 'pubsub', 'sqs', 'aws']);
const SEND_METHODS = new Set(['send', 'sendToQueue', 'publish', 'publishMessage', 'publishJSON', 'sendMessage']);
const ENQUEUE_METHODS = new Set(['add', 'addBulk', 'send', 'sendMessage', 'publish', 'publishMessage', 'sendToQueue']);
const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'fetch']);
/** Methods of client objects that make a configured instance of the same client. */
const CLIENT_FACTORIES = new Set(['create', 'extend']);

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function loc(fi: FileIndex, node: ts.Node): Location {
  const l = locationOf(fi.sf, node, fi.file);
  return { file: l.file, line: l.line, column: l.column };
}

/** True when the import of `b` is erased by the compiler (`import type`, `import { type X }`). */
function typeOnly(b: ImportBinding): boolean {
  const st = b.node;
  if (ts.isImportEqualsDeclaration(st)) return st.isTypeOnly;
  if (!ts.isImportDeclaration(st)) return false;
  const clause = st.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  const nb = clause.namedBindings;
  if (nb && ts.isNamedImports(nb)) return nb.elements.some((e) => e.name.text === b.local && e.isTypeOnly);
  return false;
}

/** The unit that owns a node: the innermost function-like node or top-level statement around it. */
function unitOf(node: ts.Node): number | undefined {
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    const u = nodeUnit.get(n);
    if (u !== undefined) return u;
  }
  return undefined;
}

/** Whether a specifier names a client package (the catalogue's answer does not change). */
const isClientModule = (() => {
  const known = new Map<string, boolean>();
  return (module: string, member?: string): boolean => {
    const key = member === undefined ? module : `${module}\0${member}`;
    let v = known.get(key);
    if (v === undefined) known.set(key, (v = serviceOfModule(module, member) !== undefined));
    return v;
  };
})();

/** The file's imports and top-level client declarations, without walking it (the walk comes when needed). */
function factsOf(fi: FileIndex): FileFacts {
  let f = FACTS.get(fi);
  if (f) return f;
  const text = fi.sf.text;
  f = {
    clients: new Map(),
    http: false,
    urls: text.includes('http://') || text.includes('https://'),
    decls: [],
    walked: false,
    ids: [],
    httpCalls: [],
    sendCalls: [],
    news: [],
    requires: [],
  };
  for (const [local, b] of fi.imports) {
    const c = b.module.charCodeAt(0);
    if (c === 46 /* . */ || c === 47 /* / */) continue;
    if (HTTP_CLIENTS.has(b.module)) f.http = true;
    const member = b.imported === '*' || b.imported === 'default' ? undefined : b.imported;
    if (isClientModule(b.module, member) && !typeOnly(b))
      f.clients.set(local, { module: b.module, imported: b.imported });
  }
  if (f.clients.size || f.http) {
    const names = new Set<string>();
    for (const st of fi.sf.statements) {
      const decls: { name: string; init: ts.Expression }[] = [];
      if (ts.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations)
          if (ts.isIdentifier(d.name) && d.initializer) decls.push({ name: d.name.text, init: d.initializer });
      } else if (ts.isExportAssignment(st) && !ts.isIdentifier(st.expression)) {
        decls.push({ name: '__default__', init: st.expression });
      }
      for (const { name, init } of decls) {
        const e = unwrap(init);
        if (!ts.isNewExpression(e) && !ts.isCallExpression(e)) continue;
        if (!mayMakeClient(fi, e, f.clients, names)) continue;
        f.decls.push({ name, init: e });
        names.add(name);
      }
    }
  }
  FACTS.set(fi, f);
  return f;
}

/** `new Pool()`, `axios.create()`, `kafka.producer()` of a client declared above: syntax says it may be a client. */
function mayMakeClient(
  fi: FileIndex,
  e: ts.NewExpression | ts.CallExpression,
  clients: ReadonlyMap<string, unknown>,
  declared: ReadonlySet<string>,
): boolean {
  const imp = importOf(fi, e.expression);
  if (imp) {
    if (HTTP_CLIENTS.has(imp.module)) return CLIENT_FACTORIES.has(imp.name.split('.').pop()!);
    return isClientModule(imp.module, imp.name === '*' || imp.name === 'default' ? undefined : imp.name);
  }
  let root: ts.Expression = e.expression;
  if (!ts.isPropertyAccessExpression(root)) return false;
  while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root)) root = root.expression;
  return ts.isIdentifier(root) && (declared.has(root.text) || clients.has(root.text));
}

/** The walk: every place in the file that may use a service, by syntax alone. */
function walkFile(fi: FileIndex, f: FileFacts): void {
  f.walked = true;
  const inits = new Set<ts.Node>(f.decls.map((d) => d.init));
  // Kinds compared as numbers, one visitor closure for the whole file, and the flag kept on a stack: this walk runs
  // right after the single pass, and per-node closures or `ts.isX` getters there were measured to slow the pass.
  let inInit = false;
  const visit = (node: ts.Node): void => {
    const kind = node.kind;
    if (SKIPPED.has(kind) || (kind >= FIRST_TYPE_NODE && kind <= LAST_TYPE_NODE)) return;
    const saved = inInit;
    // A function inside a client's initialiser (a BullMQ processor) is code of its own.
    if (isFunctionLike(node)) inInit = false;
    else if (inits.has(node)) inInit = true;
    if (kind === SK.Identifier) {
      const id = node as ts.Identifier;
      if (!inInit && f.clients.has(id.text) && isReference(id)) f.ids.push(id);
      inInit = saved;
      return;
    }
    if (kind === SK.CallExpression) {
      const call = node as ts.CallExpression;
      const callee = call.expression;
      if (f.urls) {
        const http = httpCallOf(fi, call);
        if (http) f.httpCalls.push(http);
      }
      if (
        callee.kind === SK.PropertyAccessExpression &&
        SEND_METHODS.has((callee as ts.PropertyAccessExpression).name.text)
      )
        f.sendCalls.push(call);
      if (callee.kind === SK.Identifier && (callee as ts.Identifier).text === 'require') {
        const arg = call.arguments[0];
        if (arg && (arg.kind === SK.StringLiteral || arg.kind === SK.NoSubstitutionTemplateLiteral)) {
          const module = (arg as ts.StringLiteralLike).text;
          if (isClientModule(module)) f.requires.push({ call, module });
        }
      }
    } else if (kind === SK.NewExpression && importOf(fi, (node as ts.NewExpression).expression))
      f.news.push(node as ts.NewExpression);
    forEachChild(node, visit);
    inInit = saved;
  };
  visit(fi.sf);
}

/** Property names and declarations are not references to an import. */
function isReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p)) && p.name === id)
    return false;
  if ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p)) && p.name === id) return false;
  return true;
}

/** fetch / axios / got / ky / superagent / undici / http(s).request: the call and its URL argument. */
function httpCallOf(fi: FileIndex, call: ts.CallExpression): FileFacts['httpCalls'][number] | undefined {
  const callee = call.expression;
  let via: string | undefined;
  if (ts.isIdentifier(callee)) {
    const imp = importOf(fi, callee);
    if (imp && HTTP_CLIENTS.has(imp.module)) via = packageOf(imp.module);
    else if (!imp && callee.text === 'fetch' && !declarationOf(callee)) via = 'fetch';
  } else if (ts.isPropertyAccessExpression(callee)) {
    const imp = importOf(fi, callee);
    if (imp && HTTP_CLIENTS.has(imp.module) && HTTP_METHODS.has(imp.name.split('.').pop()!)) {
      if (!/^(node:)?https?$/.test(imp.module) || imp.name === 'request' || imp.name === 'get')
        via = packageOf(imp.module);
    }
  }
  const arg = call.arguments[0];
  if (!via || !arg) return undefined;
  const url = ts.isObjectLiteralExpression(unwrap(arg)) ? (objectProp(arg, 'url') ?? objectProp(arg, 'baseURL')) : arg;
  return url ? { call, via, url } : undefined;
}

/** A client made at the top of a module: `export const pool = new Pool(...)`. */
interface Handle {
  info: ServiceInfo;
  via: string;
  resource?: string;
  /** A queue others add to: its method calls are `enqueue` or `manage`. */
  producer?: boolean;
  location: Location;
}

class ServiceScan {
  /** `${file}\0${top-level name}` -> the client it holds. */
  readonly handles = new Map<string, Handle>();
  /** Names exported by files that hold clients: an import of one of these may name a client. */
  private readonly handleExports = new Set<string>();
  /** Names exported by files that hold a producer or channel whose sends name their queue or topic. */
  private readonly senderExports = new Set<string>();
  readonly sites: Site[] = [];
  private readonly orm: () => ServiceInfo;
  private readonly known = new Map<string, ServiceInfo | null>();

  constructor(
    private readonly project: ProjectIndex,
    private readonly resolver: Resolver,
  ) {
    let engine: ServiceInfo | undefined;
    this.orm = () => (engine ??= ormEngine(project.dependencies));
  }

  /** The service a package (and imported name) stands for, with ORMs resolved to the installed driver's engine. */
  service(module: string, name?: string): ServiceInfo | undefined {
    const key = name === undefined ? module : `${module}\0${name}`;
    let info = this.known.get(key);
    if (info === undefined) {
      const found = serviceOfModule(module, name);
      info = (found?.key === 'sql' ? this.orm() : found) ?? null;
      this.known.set(key, info);
    }
    return info ?? undefined;
  }

  /** The client imports of a file, as services. */
  private servicesOf(f: FileFacts): Map<string, { info: ServiceInfo; via: string }> {
    const out = new Map<string, { info: ServiceInfo; via: string }>();
    for (const [local, c] of f.clients) {
      const info = this.service(c.module, c.imported === '*' || c.imported === 'default' ? undefined : c.imported);
      if (info) out.set(local, { info, via: packageOf(c.module) });
    }
    return out;
  }

  /** First pass: the clients made at the top of each module. */
  collectHandles(fi: FileIndex): void {
    const f = factsOf(fi);
    if (!f.decls.length) return;
    const services = this.servicesOf(f);
    for (const { name, init } of f.decls) {
      const handle = this.clientOf(fi, init, services);
      if (!handle) continue;
      this.handles.set(`${fi.file}\0${name}`, handle);
      for (const [exported, local] of fi.exports) {
        if (local !== name) continue;
        this.handleExports.add(exported);
        if (SENDERS.has(handle.info.key)) this.senderExports.add(exported);
      }
    }
  }

  /** The client a name of `file` stands for: a top-level client of the file, or one it imports. */
  private handleNamed(file: string, name: string): Handle | undefined {
    const local = this.handles.get(`${file}\0${name}`);
    if (local) return local;
    const b = this.project.files.get(file)?.imports.get(name);
    if (!b || !(this.handleExports.has(b.imported) || b.imported === 'default')) return undefined;
    const t = this.resolver.resolveName(file, name);
    return t?.kind === 'unit' ? this.handles.get(`${t.file}\0${t.name}`) : undefined;
  }

  /** Second pass: the uses in the code of files that import a client package or a sender, or hold an http(s) URL. */
  scanFile(fi: FileIndex): void {
    const f = factsOf(fi);
    // A file that only imports a client is read through its units' member accesses (handleSites); it is walked
    // when the client is one whose sends name a queue or topic in their arguments.
    let senders = false;
    for (const b of fi.imports.values()) if (this.senderExports.has(b.imported)) senders = true;
    const httpish = f.urls && (f.http || fi.sf.text.includes('fetch('));
    if (!f.clients.size && !senders && !httpish) return;
    if (!f.walked) walkFile(fi, f);
    const services = this.servicesOf(f);
    for (const id of f.ids) this.identifierSite(fi, id, services);
    if (httpish) for (const h of f.httpCalls) this.httpCall(fi, h);
    for (const call of f.sendCalls) this.produceCall(fi, call, services);
    for (const r of f.requires) this.lazyRequire(fi, r.call, r.module);
    if (services.size) for (const ne of f.news) this.produceNew(fi, ne, services);
  }

  private clientOf(
    fi: FileIndex,
    e: ts.NewExpression | ts.CallExpression,
    services: Map<string, { info: ServiceInfo; via: string }>,
  ): Handle | undefined {
    const imp = importOf(fi, e.expression);
    const args = e.arguments ?? [];
    if (imp) {
      if (HTTP_CLIENTS.has(imp.module)) {
        const method = imp.name.split('.').pop()!;
        if (!CLIENT_FACTORIES.has(method)) return undefined;
        const opts = args[0];
        const base = objectProp(opts, 'baseURL') ?? objectProp(opts, 'prefixUrl') ?? objectProp(opts, 'prefix');
        const host = base ? hostOf(this.urlText(fi.file, base) ?? '') : undefined;
        return host
          ? { info: SERVICES.http!, via: packageOf(imp.module), resource: host, location: loc(fi, e) }
          : undefined;
      }
      const member = imp.name === '*' || imp.name === 'default' ? undefined : imp.name;
      const info = this.service(imp.module, member);
      if (!info) return undefined;
      const handle: Handle = { info, via: packageOf(imp.module), location: loc(fi, e) };
      // A BullMQ / Bull / Bee-Queue queue object: what its methods do to the queue is known.
      const ctor = imp.name.split('.').pop();
      const isQueue =
        (info.key === 'bullmq' && ctor === 'Queue') ||
        ((info.key === 'bull' || info.key === 'bee-queue') && (ctor === 'Queue' || !member));
      if (isQueue && args[0]) {
        handle.resource = nameText(args[0], this.project, this.resolver, fi.file);
        handle.producer = true;
      }
      return handle;
    }
    // `kafka.producer()`, `client.db('shop')`: a client made from another client of this module.
    const callee = e.expression;
    if (ts.isPropertyAccessExpression(callee)) {
      let root: ts.Expression = callee.expression;
      while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root))
        root = ts.isCallExpression(root) ? root.expression : root.expression;
      if (ts.isIdentifier(root)) {
        const parent = this.handles.get(`${fi.file}\0${root.text}`);
        if (parent) return { info: parent.info, via: parent.via, resource: parent.resource, location: loc(fi, e) };
        const direct = services.get(root.text);
        if (direct) return { info: direct.info, via: direct.via, location: loc(fi, e) };
      }
    }
    return undefined;
  }

  /** A client package named in code (`new S3Client()`, `sgMail.send()`): a use by the unit around it. */
  private identifierSite(
    fi: FileIndex,
    id: ts.Identifier,
    services: Map<string, { info: ServiceInfo; via: string }>,
  ): void {
    const svc = services.get(id.text);
    if (!svc) return;
    const p = id.parent;
    let info = svc.info;
    // aws-sdk v2: `new AWS.S3()` names the service by the member.
    if (svc.via === 'aws-sdk' && ts.isPropertyAccessExpression(p) && p.expression === id) {
      info = this.service('aws-sdk', p.name.text) ?? info;
    }
    this.add(id, { service: info.key, via: svc.via, location: loc(fi, id) });
  }

  /** `require('pg')` inside a function: the function uses the service. */
  private lazyRequire(fi: FileIndex, call: ts.CallExpression, module: string): void {
    const info = this.service(module);
    if (!info) return;
    const u = unitOf(call);
    if (u === undefined || this.project.units[u]?.kind !== 'function') return;
    this.add(call, { service: info.key, via: packageOf(module), location: loc(fi, call) });
  }

  /** An HTTP client call whose URL's host is a literal, through constants and config objects. */
  private httpCall(fi: FileIndex, h: FileFacts['httpCalls'][number]): void {
    const url = this.urlText(fi.file, h.url);
    const host = url ? hostOf(url) : undefined;
    if (host) this.add(h.call, { service: 'http', via: h.via, resource: host, location: loc(fi, h.call) });
  }

  /** Sends to a named queue or topic through a channel, producer or client that is not a top-level handle. */
  private produceCall(
    fi: FileIndex,
    call: ts.CallExpression,
    services: Map<string, { info: ServiceInfo; via: string }>,
  ): void {
    const callee = call.expression;
    if (!ts.isPropertyAccessExpression(callee)) return;
    const method = callee.name.text;
    // The receiver may be a client made in another module: `producer.send(...)` of an imported `producer`.
    let root: ts.Expression = callee.expression;
    while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root)) root = root.expression;
    const receiver = ts.isIdentifier(root) ? this.handleNamed(fi.file, root.text) : undefined;
    if (!services.size && !receiver) return;
    const has = (key: string): { info: ServiceInfo; via: string } | undefined => {
      if (receiver?.info.key === key) return { info: receiver.info, via: receiver.via };
      for (const s of services.values()) if (s.info.key === key) return s;
      return undefined;
    };
    const arg = call.arguments[0];
    const named = (e: ts.Node | undefined): string | undefined =>
      e ? nameText(e, this.project, this.resolver, fi.file) : undefined;
    let hit: { svc: { info: ServiceInfo; via: string }; resource?: string } | undefined;
    if ((method === 'sendToQueue' || method === 'publish') && has('amqp'))
      hit = { svc: has('amqp')!, resource: named(arg) };
    else if (method === 'send' && has('kafka') && arg && ts.isObjectLiteralExpression(unwrap(arg))) {
      hit = { svc: has('kafka')!, resource: named(objectProp(arg, 'topic')) };
    } else if ((method === 'publishMessage' || method === 'publish' || method === 'publishJSON') && has('pubsub')) {
      const topic = callee.expression;
      if (ts.isCallExpression(topic) && ts.isPropertyAccessExpression(topic.expression)) {
        if (topic.expression.name.text === 'topic') hit = { svc: has('pubsub')!, resource: named(topic.arguments[0]) };
      }
    } else if (method === 'sendMessage') {
      // aws-sdk v2: `sqs.sendMessage({ QueueUrl })`.
      const v2 =
        receiver && (receiver.via === 'aws-sdk' || receiver.info.key === 'sqs')
          ? receiver
          : [...services.values()].find((s) => s.via === 'aws-sdk' || s.info.key === 'sqs');
      if (v2) hit = { svc: { info: SERVICES.sqs!, via: v2.via }, resource: named(objectProp(arg, 'QueueUrl')) };
    }
    if (!hit?.resource) return;
    this.add(call, {
      service: hit.svc.info.key,
      via: hit.svc.via,
      resource: hit.resource,
      operation: 'enqueue',
      location: loc(fi, call),
    });
  }

  /** `new SendMessageCommand({ QueueUrl })` (AWS SDK v3), and a queue made inside a function. */
  private produceNew(
    fi: FileIndex,
    ne: ts.NewExpression,
    services: Map<string, { info: ServiceInfo; via: string }>,
  ): void {
    const imp = importOf(fi, ne.expression);
    if (!imp) return;
    const arg = ne.arguments?.[0];
    if (imp.module === '@aws-sdk/client-sqs' && /^SendMessage(Batch)?Command$/.test(imp.name)) {
      const url = objectProp(arg, 'QueueUrl');
      if (!url) return;
      this.add(ne, {
        service: 'sqs',
        via: imp.module,
        resource: nameText(url, this.project, this.resolver, fi.file),
        operation: 'enqueue',
        location: loc(fi, ne),
      });
      return;
    }
    const u = unitOf(ne);
    if (u === undefined || this.project.units[u]?.kind !== 'function' || !arg) return;
    const info = [...services.values()].find((s) => s.via === packageOf(imp.module))?.info;
    const isQueue =
      (info?.key === 'bullmq' && imp.name === 'Queue') ||
      ((info?.key === 'bull' || info?.key === 'bee-queue') && (imp.name === 'Queue' || imp.name === 'default'));
    if (!info || !isQueue) return;
    this.add(ne, {
      service: info.key,
      via: info.key,
      resource: nameText(arg, this.project, this.resolver, fi.file),
      location: loc(fi, ne),
    });
  }

  private add(node: ts.Node, use: ServiceUse): void {
    const unit = unitOf(node);
    if (unit !== undefined) this.sites.push({ unit, use });
  }

  /**
   * The text of a URL-ish expression as far as syntax tells: literals and templates (unknown parts become `{?}`),
   * `a + b`, `env ?? 'default'`, constants and config objects of this file or of the analysed files it imports,
   * `Object.freeze({...})`, `new URL(path, base)`.
   */
  urlText(file: string, expr: ts.Node, depth = 0): string | undefined {
    if (depth > 8) return undefined;
    const e = unwrap(expr);
    if (ts.isStringLiteralLike(e)) return e.text;
    if (ts.isTemplateExpression(e)) {
      let s = e.head.text;
      for (const span of e.templateSpans)
        s += (this.urlText(file, span.expression, depth + 1) ?? '{?}') + span.literal.text;
      return s;
    }
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (op === ts.SyntaxKind.PlusToken) {
        const l = this.urlText(file, e.left, depth + 1);
        return l === undefined ? undefined : l + (this.urlText(file, e.right, depth + 1) ?? '{?}');
      }
      if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken)
        return this.urlText(file, e.left, depth + 1) ?? this.urlText(file, e.right, depth + 1);
      return undefined;
    }
    if (ts.isConditionalExpression(e))
      return this.urlText(file, e.whenTrue, depth + 1) ?? this.urlText(file, e.whenFalse, depth + 1);
    if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'URL') {
      const [first, base] = e.arguments ?? [];
      const a = first ? this.urlText(file, first, depth + 1) : undefined;
      if (a && /^[a-z]+:\/\//i.test(a)) return a;
      return base ? this.urlText(file, base, depth + 1) : undefined;
    }
    if (ts.isIdentifier(e)) {
      const v = this.valueOf(file, e, depth);
      return v ? this.urlText(v.file, v.node, depth + 1) : undefined;
    }
    if (ts.isPropertyAccessExpression(e)) {
      const obj = this.objectOf(file, e.expression, depth + 1);
      const prop = obj ? objectProp(obj.node, e.name.text) : undefined;
      return obj && prop ? this.urlText(obj.file, prop, depth + 1) : undefined;
    }
    return undefined;
  }

  /** The object literal an expression stands for (a config object, possibly frozen or imported). */
  private objectOf(
    file: string,
    expr: ts.Node,
    depth: number,
  ): { file: string; node: ts.ObjectLiteralExpression } | undefined {
    if (depth > 8) return undefined;
    const e = unwrap(expr);
    if (ts.isObjectLiteralExpression(e)) return { file, node: e };
    if (ts.isCallExpression(e) && e.arguments[0]) {
      // Object.freeze({...}) and friends return their argument.
      const callee = e.expression;
      if (
        ts.isPropertyAccessExpression(callee) &&
        ts.isIdentifier(callee.expression) &&
        callee.expression.text === 'Object'
      )
        return this.objectOf(file, e.arguments[0], depth + 1);
      return undefined;
    }
    if (ts.isIdentifier(e)) {
      const v = this.valueOf(file, e, depth);
      return v ? this.objectOf(v.file, v.node, depth + 1) : undefined;
    }
    if (ts.isPropertyAccessExpression(e)) {
      const obj = this.objectOf(file, e.expression, depth + 1);
      const prop = obj ? objectProp(obj.node, e.name.text) : undefined;
      return obj && prop ? this.objectOf(obj.file, prop, depth + 1) : undefined;
    }
    return undefined;
  }

  /** The initialiser of the variable an identifier names, in this file or (through imports) another. */
  private valueOf(file: string, id: ts.Identifier, depth: number): { file: string; node: ts.Node } | undefined {
    if (depth > 8) return undefined;
    const local = declarationOf(id);
    if (local) {
      return ts.isVariableDeclaration(local) && local.initializer && local.parent.flags & ts.NodeFlags.Const
        ? { file, node: local.initializer }
        : undefined;
    }
    const fi = this.project.files.get(file);
    if (!fi?.imports.has(id.text)) return undefined;
    const t = this.resolver.resolveName(file, id.text);
    if (t?.kind !== 'unit') return undefined;
    const target = targetNode(this.project, t);
    if (!target) return undefined;
    const n = target.node;
    if (ts.isVariableDeclaration(n))
      return n.initializer && n.parent.flags & ts.NodeFlags.Const
        ? { file: target.file, node: n.initializer }
        : undefined;
    return ts.isExpression(n) ? target : undefined;
  }

  /**
   * Method calls on top-level clients, by the units that make them: `pool.query()` in a function reached by a
   * route uses the pool's database. Only units some component reaches are looked at.
   */
  handleSites(reached: ReadonlyMap<number, readonly string[]>): void {
    if (!this.handles.size) return;
    const candidates = new Map<string, Set<string>>();
    const namesOf = (fi: FileIndex): Set<string> => {
      let set = candidates.get(fi.file);
      if (set) return set;
      set = new Set<string>();
      for (const name of fi.topLevel.keys()) if (this.handles.has(`${fi.file}\0${name}`)) set.add(name);
      for (const [local, b] of fi.imports) {
        if (this.handleExports.has(b.imported) || b.imported === 'default') set.add(local);
      }
      candidates.set(fi.file, set);
      return set;
    };
    for (const u of reached.keys()) {
      const unit = this.project.units[u];
      if (!unit || !unit.memberRefs.length) continue;
      const fi = this.project.files.get(unit.file);
      if (!fi) continue;
      const names = namesOf(fi);
      if (!names.size) continue;
      for (const m of unit.memberRefs) {
        if (!names.has(m.obj)) continue;
        const h = this.handleNamed(unit.file, m.obj);
        if (!h) continue;
        const operation = h.producer ? (ENQUEUE_METHODS.has(m.prop) ? 'enqueue' : 'manage') : undefined;
        this.sites.push({
          unit: u,
          use: {
            service: h.info.key,
            via: h.via,
            ...(h.resource !== undefined ? { resource: h.resource } : {}),
            ...(operation ? { operation } : {}),
            location: h.location,
          },
        });
      }
    }
  }
}

function useKey(u: ServiceUse): string {
  return `${u.service}\0${u.resource ?? ''}\0${u.operation ?? ''}`;
}

function byPlace(a: Location, b: Location): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;
}

/**
 * The services each component uses, by component id: one entry per service, resource and operation (the first
 * place in the code), sorted; a queue's generic use is dropped when the component names the queue.
 */
export function serviceUses(
  project: ProjectIndex,
  resolver: Resolver,
  reached: ReadonlyMap<number, readonly string[]>,
): Map<string, ServiceUse[]> {
  const scan = new ServiceScan(project, resolver);
  for (const fi of project.files.values()) scan.collectHandles(fi);
  for (const fi of project.files.values()) scan.scanFile(fi);
  scan.handleSites(reached);
  const byComponent = new Map<string, Map<string, ServiceUse>>();
  for (const { unit, use } of scan.sites) {
    for (const id of reached.get(unit) ?? []) {
      let uses = byComponent.get(id);
      if (!uses) byComponent.set(id, (uses = new Map<string, ServiceUse>()));
      const key = useKey(use);
      const had = uses.get(key);
      if (!had || byPlace(use.location, had.location) < 0) uses.set(key, use);
    }
  }
  const out = new Map<string, ServiceUse[]>();
  for (const [id, uses] of byComponent) {
    const list = [...uses.values()];
    const named = new Set(list.filter((u) => u.resource !== undefined).map((u) => u.service));
    const kept = list.filter((u) => u.resource !== undefined || !named.has(u.service));
    // `enqueue` says more than a bare use of the same queue.
    const specific = new Set(kept.filter((u) => u.operation).map((u) => `${u.service}\0${u.resource}`));
    const final = kept.filter((u) => u.operation || !specific.has(`${u.service}\0${u.resource}`));
    final.sort(
      (a, b) =>
        a.service.localeCompare(b.service) ||
        (a.resource ?? '').localeCompare(b.resource ?? '') ||
        (a.operation ?? '').localeCompare(b.operation ?? '') ||
        byPlace(a.location, b.location),
    );
    out.set(id, final);
  }
  return out;
}
