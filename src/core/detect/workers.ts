import * as path from 'node:path';
import { ts } from '../ts';
import type { Detector, FileContext, LinkContext } from '../scan/detector';
import { isFunctionLike, type ProjectIndex } from '../scan/project';
import { enclosingUnit, type Resolver } from '../scan/resolve';
import { isHandlerLike, objectLiteralOf, stepCalling, traceAcross, unwrap, variableOrParameterOf } from './trace';
import { objectProp, stringValue } from './util';

/** Read once: the compiler API's exports are getters, too slow for per-node checks. */
const SK = ts.SyntaxKind;

const CHILD_PROCESS_MODULES = new Set(['child_process', 'node:child_process']);
const CHILD_PROCESS_CALLS = new Set(['spawn', 'exec', 'execFile', 'fork', 'execSync', 'spawnSync', 'execFileSync']);
const WORKER_THREADS_MODULES = new Set(['worker_threads', 'node:worker_threads']);
const CLUSTER_MODULES = new Set(['cluster', 'node:cluster']);
const UTIL_MODULES = new Set(['util', 'node:util']);
const CLI_MODULES = new Set(['commander', 'yargs', 'yargs/yargs']);
const BOTS: Record<string, { method: string; what: string }> = {
  telegraf: { method: 'launch', what: 'bot' },
  'discord.js': { method: 'login', what: 'client' },
};

interface WorkerData {
  threads: ts.NewExpression[];
  daemons: { call: ts.CallExpression; how: 'fork' | 'spawn' }[];
  /** The first `cluster.*` use of the file: fork() or an isPrimary / isMaster / isWorker branch. */
  cluster?: ts.Node;
  bots: ts.CallExpression[];
  /** `.parse()` / `.argv` / `.action()` / `.command()` calls that may belong to a commander or yargs program. */
  cliCalls: ts.Node[];
  argv?: ts.Node;
}

function data(ctx: FileContext): WorkerData {
  return ctx.data<WorkerData>(() => ({ threads: [], daemons: [], bots: [], cliCalls: [] }));
}

/** `promisify(exec)` / `util.promisify(child_process.execFile)`: the child_process call behind a promisified alias. */
function promisifiedChildProcess(callee: ts.Identifier, ctx: FileContext): string | undefined {
  const d = variableOrParameterOf(callee);
  if (!d || !ts.isVariableDeclaration(d) || !d.initializer) return undefined;
  const init = unwrap(d.initializer);
  if (!ts.isCallExpression(init) || !init.arguments[0]) return undefined;
  const p = ctx.importOf(init.expression);
  if (!p || !UTIL_MODULES.has(p.module) || p.name !== 'promisify') return undefined;
  const target = ctx.importOf(init.arguments[0]);
  return target && CHILD_PROCESS_MODULES.has(target.module) && CHILD_PROCESS_CALLS.has(target.name)
    ? target.name
    : undefined;
}

function childProcessFact(ctx: FileContext, node: ts.Node, what: string): void {
  ctx.fact({
    ruleId: 'child-process-spawn',
    hazard: 'child-process',
    severity: 'warning',
    message: `\`${what}\` starts another process: a function's image rarely has the binary, the process cannot outlive the invocation, and it competes for the function's small memory and CPU.`,
    fix: 'Run it in a container, or ship the binary in a Lambda layer / container image function; better, call a managed service or a library that does the same work in-process.',
    node,
  });
}

function visit(node: ts.Node, ctx: FileContext): void {
  switch (node.kind) {
    case SK.NewExpression: {
      const ne = node as ts.NewExpression;
      const imp = ctx.importOf(ne.expression);
      if (imp && WORKER_THREADS_MODULES.has(imp.module) && imp.name === 'Worker') data(ctx).threads.push(ne);
      return;
    }
    case SK.PropertyAccessExpression: {
      const pa = node as ts.PropertyAccessExpression;
      const name = pa.name.text;
      if (name === 'isPrimary' || name === 'isMaster' || name === 'isWorker') {
        const imp = ctx.importOf(pa);
        if (imp && CLUSTER_MODULES.has(imp.module)) {
          const d = data(ctx);
          d.cluster ??= pa.parent.kind === SK.IfStatement ? pa.parent : pa;
        }
      } else if (name === 'argv') {
        if (pa.expression.kind === SK.Identifier && (pa.expression as ts.Identifier).text === 'process') {
          // process.argv.slice(2), process.argv[2], const [, , cmd] = process.argv: arguments read as a program's input.
          const p = pa.parent;
          const parsed =
            (ts.isPropertyAccessExpression(p) && p.name.text === 'slice') ||
            ts.isElementAccessExpression(p) ||
            (ts.isVariableDeclaration(p) && ts.isArrayBindingPattern(p.name));
          if (parsed) data(ctx).argv ??= pa;
        } else {
          data(ctx).cliCalls.push(pa); // yargs(...).argv
        }
      }
      return;
    }
    case SK.CallExpression:
      break;
    default:
      return;
  }
  const call = node as ts.CallExpression;
  const callee = call.expression;
  const imp = ctx.importOf(callee);
  if (imp) {
    if (CHILD_PROCESS_MODULES.has(imp.module) && CHILD_PROCESS_CALLS.has(imp.name)) {
      childProcessFact(ctx, call, imp.name);
      if (imp.name === 'fork') data(ctx).daemons.push({ call, how: 'fork' });
      else if (imp.name === 'spawn') {
        const opts = objectLiteralOf(call.arguments[call.arguments.length - 1]);
        const detached = objectProp(opts, 'detached');
        if (detached?.kind === SK.TrueKeyword) data(ctx).daemons.push({ call, how: 'spawn' });
      }
      return;
    }
    if (imp.module === 'execa' || imp.module === 'cross-spawn') {
      childProcessFact(ctx, call, imp.name === '*' || imp.name === 'default' ? imp.module : imp.name);
      return;
    }
    if (CLUSTER_MODULES.has(imp.module) && imp.name === 'fork') {
      data(ctx).cluster ??= call;
      return;
    }
  }
  if (callee.kind === SK.Identifier) {
    if (!imp) {
      const name = promisifiedChildProcess(callee as ts.Identifier, ctx);
      if (name) childProcessFact(ctx, call, `${(callee as ts.Identifier).text}` + ` (promisified ${name})`);
    }
    return;
  }
  if (callee.kind !== SK.PropertyAccessExpression) return;
  switch ((callee as ts.PropertyAccessExpression).name.text) {
    case 'launch':
    case 'login':
      data(ctx).bots.push(call);
      return;
    case 'parse':
    case 'parseAsync':
    case 'parseSync':
    case 'action':
    case 'command':
      data(ctx).cliCalls.push(call);
      return;
  }
}

/** The script a Worker / fork runs, as a relative specifier: './w.js', path.join(__dirname, 'w.js'), new URL('./w.js', import.meta.url). */
function scriptSpec(e: ts.Expression | undefined): string | undefined {
  if (!e) return undefined;
  const v = unwrap(e);
  const s = stringValue(v, v.getSourceFile());
  if (s !== undefined) return s;
  if ((ts.isCallExpression(v) || ts.isNewExpression(v)) && v.arguments) {
    const callee = v.expression.getText();
    if (callee === 'require.resolve')
      return v.arguments[0] ? stringValue(v.arguments[0], v.getSourceFile()) : undefined;
    if (/^(path\.)?(join|resolve)$/.test(callee)) {
      const parts = v.arguments.map(
        (a) => stringValue(a, a.getSourceFile()) ?? (a.getText() === '__dirname' ? '.' : undefined),
      );
      if (parts.some((p) => p === undefined)) return undefined;
      const joined = path.posix.join(...(parts as string[]));
      return parts[0] === '.' && !joined.startsWith('.') ? `./${joined}` : joined;
    }
    if (callee === 'URL') return v.arguments[0] ? stringValue(v.arguments[0], v.getSourceFile()) : undefined;
  }
  return undefined;
}

/** The top-level units of the analysed file a script specifier names: the code that runs in that thread or process. */
function scriptUnits(project: ProjectIndex, resolver: Resolver, file: string, spec: string | undefined): number[] {
  if (!spec) return [];
  const rel = spec.startsWith('.') || spec.startsWith('/') ? spec : `./${spec}`;
  const target = resolver.resolveModule(file, rel);
  return target && target !== file ? [...(project.files.get(target)?.statementUnits ?? [])] : [];
}

/** The top-level statement unit around a node, when the node is not inside a function. */
function statementAround(project: ProjectIndex, node: ts.Node): number[] {
  const u = enclosingUnit(node);
  return u !== undefined && project.units[u]?.kind === 'statement' ? [u] : [];
}

/** package.json `bin` entries, mapped to the analysed source files (dist/cli.js -> src/cli.ts). */
function binFiles(project: ProjectIndex, resolver: Resolver): Map<string, string> {
  const out = new Map<string, string>();
  for (const [dir, json] of project.packageJsons) {
    const pkg = json as { name?: unknown; bin?: unknown };
    const entries: [string, string][] = [];
    if (typeof pkg.bin === 'string' && typeof pkg.name === 'string')
      entries.push([pkg.name.replace(/^@[^/]+\//, ''), pkg.bin]);
    else if (pkg.bin && typeof pkg.bin === 'object') {
      for (const [k, v] of Object.entries(pkg.bin as Record<string, unknown>))
        if (typeof v === 'string') entries.push([k, v]);
    }
    const from = dir ? `${dir}/package.json` : 'package.json';
    for (const [name, rel] of entries) {
      const clean = rel.replace(/^\.\//, '');
      for (const c of [clean, clean.replace(/^(dist|build|lib|out)\//, 'src/')]) {
        const target =
          resolver.resolveModule(from, `./${c}`) ?? resolver.resolveModule(from, `./${c.replace(/\.(c|m)?js$/, '')}`);
        if (target) {
          if (!out.has(target)) out.set(target, name);
          break;
        }
      }
    }
  }
  return out;
}

/** The first string of a command declaration: 'deploy <env>' -> 'deploy'. */
function commandName(e: ts.Node | undefined): string | undefined {
  if (!e) return undefined;
  const s = stringValue(e, e.getSourceFile());
  return s?.trim().split(/\s+/)[0];
}

function link(ctx: LinkContext): void {
  const { project, resolver } = ctx;
  const all = ctx.data<WorkerData>();

  for (const [file, d] of all) {
    for (const ne of d.threads) {
      const spec = scriptSpec(ne.arguments?.[0]);
      ctx.component({
        kind: 'worker',
        name: `worker_threads ${spec ?? ne.arguments?.[0]?.getText() ?? '?'}`,
        framework: 'worker_threads',
        trigger: { type: 'process', system: 'worker_threads' },
        node: ne,
        file,
        handlers: [],
        extraUnits: scriptUnits(project, resolver, file, spec),
      });
    }
    for (const { call, how } of d.daemons) {
      const spec = how === 'fork' ? scriptSpec(call.arguments[0]) : undefined;
      const what =
        how === 'fork'
          ? (spec ?? call.arguments[0]?.getText() ?? '?')
          : `${call.arguments[0] ? (stringValue(call.arguments[0], call.getSourceFile()) ?? call.arguments[0].getText()) : '?'} (detached)`;
      ctx.component({
        kind: 'worker',
        name: `child_process ${how} ${what}`,
        framework: 'child_process',
        trigger: { type: 'process', system: 'child_process' },
        node: call,
        file,
        handlers: [],
        // The script it runs, and the top-level statement starting it (with its child-process finding).
        extraUnits: [...scriptUnits(project, resolver, file, spec), ...statementAround(project, call)],
      });
    }
    if (d.cluster) {
      ctx.component({
        kind: 'worker',
        name: `cluster ${file}`,
        framework: 'cluster',
        trigger: { type: 'process', system: 'cluster' },
        node: d.cluster,
        file,
        handlers: [],
      });
    }
    for (const call of d.bots) {
      const recv = (call.expression as ts.PropertyAccessExpression).expression;
      const chain = traceAcross(project, resolver, file, recv);
      const lib = chain.root?.module;
      const bot = lib ? BOTS[lib] : undefined;
      if (!lib || !bot || bot.method !== (call.expression as ts.PropertyAccessExpression).name.text) continue;
      // Handlers are what the program registers on the same object: bot.command('start', fn), client.on('messageCreate', fn).
      const recvText = recv.getText();
      const handlers: ts.Expression[] = [];
      const walk = (n: ts.Node): void => {
        if (
          ts.isCallExpression(n) &&
          ts.isPropertyAccessExpression(n.expression) &&
          n.expression.expression.getText() === recvText
        ) {
          for (const a of n.arguments)
            if (isFunctionLike(a) || (ts.isIdentifier(a) && isHandlerLike(a) && a !== recv)) handlers.push(a);
        }
        ts.forEachChild(n, walk);
      };
      walk(call.getSourceFile());
      ctx.component({
        kind: 'worker',
        name: `${lib} ${bot.what}`,
        framework: lib,
        trigger: { type: 'process', system: lib },
        node: call,
        file,
        handlers,
      });
    }
  }

  // CLIs: every analysed file is a candidate (shebang, package.json bin), not only those the visit saw.
  const bins = binFiles(project, resolver);
  for (const [file, fi] of project.files) {
    const d = all.get(file);
    const shebang = /^#!.*\bnode\b/.test(fi.sf.text);
    let entry: ts.Node | undefined;
    const commands: { name: string; node: ts.Node; handler: ts.Expression }[] = [];
    for (const n of d?.cliCalls ?? []) {
      const target = ts.isCallExpression(n) ? n.expression : n;
      if (!ts.isPropertyAccessExpression(target)) continue;
      const chain = traceAcross(project, resolver, file, target.expression);
      if (!chain.root || !CLI_MODULES.has(chain.root.module)) continue;
      const m = target.name.text;
      if (m === 'action' && ts.isCallExpression(n)) {
        const cmd = stepCalling(chain, 'command');
        const name = commandName(cmd?.arguments?.[0]);
        const h = n.arguments[0];
        if (cmd && name && isHandlerLike(h)) commands.push({ name, node: cmd, handler: h });
      } else if (m === 'command' && ts.isCallExpression(n)) {
        // yargs: command(cmd, desc, builder, handler) or command({ command, handler })
        const opts = objectLiteralOf(n.arguments[0]);
        const name = commandName(opts ? objectProp(opts, 'command') : n.arguments[0]);
        const h = opts ? objectProp(opts, 'handler') : n.arguments[3];
        if (chain.root.module !== 'commander' && name && isHandlerLike(h)) commands.push({ name, node: n, handler: h });
      } else if (m !== 'action' && m !== 'command') {
        entry ??= n;
      }
    }
    const bin = bins.get(file);
    if (!shebang && !bin && !entry && !d?.argv && !commands.length) continue;
    const label = bin ?? file;
    if (commands.length) {
      for (const c of commands) {
        ctx.component({
          kind: 'cli',
          name: `cli ${label} ${c.name}`,
          framework: 'node',
          trigger: { type: 'cli', command: c.name },
          node: c.node,
          file,
          handlers: [c.handler],
        });
      }
    } else {
      ctx.component({
        kind: 'cli',
        name: `cli ${label}`,
        framework: 'node',
        trigger: { type: 'cli' },
        node: entry ?? d?.argv ?? fi.sf.statements[0] ?? fi.sf,
        file,
        handlers: [],
        // A script runs top to bottom: all of it is the command.
        extraUnits: [...fi.statementUnits],
      });
    }
  }
}

export const workersDetector: Detector = {
  id: 'workers',
  mentions: [
    'worker_threads',
    'cluster',
    'child_process',
    'execa',
    'cross-spawn',
    'telegraf',
    'discord.js',
    'commander',
    'yargs',
    'process.argv',
    '.launch(',
    '.login(',
  ],
  kinds: [SK.NewExpression, SK.PropertyAccessExpression, SK.CallExpression],
  visit,
  link,
};
