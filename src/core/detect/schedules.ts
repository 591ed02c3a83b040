import { ts } from '../ts';
import type { Detector, FileContext, LinkContext } from '../scan/detector';
import { isFunctionLike, type ProjectIndex } from '../scan/project';
import { enclosingUnit, type Resolver } from '../scan/resolve';
import {
  functionName,
  isHandlerLike,
  nameText,
  objectLiteralOf,
  ownerUnit,
  propNode,
  rootStep,
  traceAcross,
  unwrap,
  variableOrParameterOf,
} from './trace';
import { objectProp, stringValue } from './util';

/** Read once: the compiler API's exports are getters, too slow for per-node checks. */
const SK = ts.SyntaxKind;

type CandidateKind =
  'node-cron' | 'cron' | 'node-schedule' | 'agenda-define' | 'agenda-every' | 'repeat' | 'setInterval' | 'setTimeout';

interface Candidate {
  kind: CandidateKind;
  node: ts.CallExpression | ts.NewExpression;
}

interface ScheduleData {
  candidates: Candidate[];
}

const AGENDA_MODULES = new Set(['agenda', '@hokify/agenda']);
const TIMER_MODULES = new Set(['timers', 'node:timers']);
/** Callbacks that run once, when the process starts: `app.listen(port, () => ...)`, `connect().then(() => ...)`. */
const STARTUP_CALLBACKS = new Set(['listen', 'then', 'catch', 'finally']);

function push(ctx: FileContext, kind: CandidateKind, node: ts.CallExpression | ts.NewExpression): void {
  ctx.data<ScheduleData>(() => ({ candidates: [] })).candidates.push({ kind, node });
}

/** `setInterval` / `setTimeout` of Node's globals (or of 'timers'), not of 'timers/promises' nor a local function. */
function globalTimer(callee: ts.Expression, ctx: FileContext): 'setInterval' | 'setTimeout' | undefined {
  if (callee.kind === SK.Identifier) {
    const name = (callee as ts.Identifier).text;
    if (name !== 'setInterval' && name !== 'setTimeout') return undefined;
    const imp = ctx.index.imports.get(name);
    if (imp) return TIMER_MODULES.has(imp.module) && imp.imported === name ? name : undefined;
    if (variableOrParameterOf(callee as ts.Identifier) || ctx.index.topLevel.has(name)) return undefined;
    return name;
  }
  if (
    callee.kind === SK.PropertyAccessExpression &&
    (callee as ts.PropertyAccessExpression).expression.kind === SK.Identifier
  ) {
    const pa = callee as ts.PropertyAccessExpression;
    const name = pa.name.text;
    if (name !== 'setInterval' && name !== 'setTimeout') return undefined;
    const obj = (pa.expression as ts.Identifier).text;
    if (obj === 'global' || obj === 'globalThis') return name;
    const imp = ctx.importOf(callee);
    if (imp && TIMER_MODULES.has(imp.module)) return name;
  }
  return undefined;
}

function visit(node: ts.Node, ctx: FileContext): void {
  if (node.kind === SK.NewExpression) {
    const ne = node as ts.NewExpression;
    const imp = ctx.importOf(ne.expression);
    if (imp?.module === 'cron' && imp.name === 'CronJob') push(ctx, 'cron', ne);
    return;
  }
  if (node.kind !== SK.CallExpression) return;
  const call = node as ts.CallExpression;
  const callee = call.expression;
  const timer = globalTimer(callee, ctx);
  if (timer) {
    push(ctx, timer, call);
    return;
  }
  const imp = ctx.importOf(callee);
  if (imp?.module === 'node-cron' && imp.name === 'schedule') return push(ctx, 'node-cron', call);
  if (imp?.module === 'cron' && (imp.name === 'CronJob.from' || imp.name === 'job')) return push(ctx, 'cron', call);
  if (imp?.module === 'node-schedule' && imp.name === 'scheduleJob') return push(ctx, 'node-schedule', call);
  if (callee.kind !== SK.PropertyAccessExpression) return;
  switch ((callee as ts.PropertyAccessExpression).name.text) {
    case 'define':
      return push(ctx, 'agenda-define', call);
    case 'every':
      return push(ctx, 'agenda-every', call);
    case 'add': {
      const opts = objectLiteralOf(call.arguments[call.arguments.length - 1]);
      if (opts && objectProp(opts, 'repeat')) push(ctx, 'repeat', call);
      return;
    }
    case 'upsertJobScheduler':
      return push(ctx, 'repeat', call);
  }
}

/** A number from literals, arithmetic and constants of the file: `5 * 60 * 1000`, `INTERVAL_MS`. */
function evalNumber(e: ts.Expression | undefined, depth = 0): number | undefined {
  if (!e || depth > 6) return undefined;
  e = unwrap(e);
  if (ts.isNumericLiteral(e)) return Number(e.text.replace(/_/g, ''));
  if (ts.isBinaryExpression(e)) {
    const l = evalNumber(e.left, depth + 1);
    const r = evalNumber(e.right, depth + 1);
    if (l === undefined || r === undefined) return undefined;
    switch (e.operatorToken.kind) {
      case ts.SyntaxKind.AsteriskToken:
        return l * r;
      case ts.SyntaxKind.PlusToken:
        return l + r;
      case ts.SyntaxKind.MinusToken:
        return l - r;
      case ts.SyntaxKind.SlashToken:
        return l / r;
      default:
        return undefined;
    }
  }
  if (ts.isIdentifier(e)) {
    const d = variableOrParameterOf(e);
    if (d && ts.isVariableDeclaration(d) && d.initializer && d.parent.flags & ts.NodeFlags.Const)
      return evalNumber(d.initializer, depth + 1);
  }
  return undefined;
}

function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (isFunctionLike(n)) return n;
    if (ts.isSourceFile(n)) return undefined;
  }
  return undefined;
}

function skipParensUp(n: ts.Node): ts.Node {
  let p = n.parent;
  while (p && ts.isParenthesizedExpression(p)) p = p.parent;
  return p;
}

/** Identifiers of the file that read `name` (not declarations, property names or object keys). */
function referencesOf(sf: ts.SourceFile, name: string): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  const walk = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && n.text === name) {
      const p = n.parent;
      const isName =
        ((ts.isPropertyAccessExpression(p) ||
          ts.isPropertyAssignment(p) ||
          ts.isMethodDeclaration(p) ||
          ts.isPropertyDeclaration(p)) &&
          p.name === n) ||
        ((ts.isFunctionDeclaration(p) ||
          ts.isFunctionExpression(p) ||
          ts.isClassDeclaration(p) ||
          ts.isVariableDeclaration(p) ||
          ts.isParameter(p)) &&
          p.name === n) ||
        ts.isImportSpecifier(p) ||
        ts.isImportClause(p) ||
        ts.isNamespaceImport(p) ||
        (ts.isBindingElement(p) && (p.name === n || p.propertyName === n));
      if (!isName) out.push(n);
    }
    ts.forEachChild(n, walk);
  };
  walk(sf);
  return out;
}

/** `export { f }`, `module.exports = { f }`, `exports.f = f`: a use that only makes the function visible elsewhere. */
function isExportUse(id: ts.Identifier): boolean {
  let n: ts.Node = id;
  if (ts.isExportSpecifier(n.parent) || ts.isExportAssignment(n.parent)) return true;
  while (
    n.parent &&
    (ts.isShorthandPropertyAssignment(n.parent) ||
      ts.isPropertyAssignment(n.parent) ||
      ts.isObjectLiteralExpression(n.parent))
  )
    n = n.parent;
  const p = n.parent;
  return !!p && ts.isBinaryExpression(p) && p.right === n && /^(module\.)?exports\b/.test(p.left.getText());
}

/**
 * Tells whether code runs only while the process starts (module initialisation), and never per request: code
 * outside functions, IIFEs, `listen` / `then` callbacks of such code, and named functions (or classes, for
 * constructors) whose every call, in this file and in the analysed files importing them, is itself at startup.
 */
class StartupAnalysis {
  private cache = new Map<ts.Node, boolean>();
  constructor(
    private readonly project: ProjectIndex,
    private readonly resolver: Resolver,
  ) {}

  atStartup(node: ts.Node, depth = 0): boolean {
    const fn = enclosingFunction(node);
    return !fn || this.functionAtStartup(fn, depth);
  }

  private functionAtStartup(fn: ts.FunctionLikeDeclaration, depth: number): boolean {
    const hit = this.cache.get(fn);
    if (hit !== undefined) return hit;
    if (depth > 5) return false;
    this.cache.set(fn, false); // recursion is not a call from startup
    const r = this.compute(fn, depth);
    this.cache.set(fn, r);
    return r;
  }

  private compute(fn: ts.FunctionLikeDeclaration, depth: number): boolean {
    const p = skipParensUp(fn);
    if (p && ts.isCallExpression(p)) {
      if (unwrap(p.expression) === fn) return this.atStartup(p, depth + 1);
      if (
        p.arguments.some((a) => a === fn) &&
        ts.isPropertyAccessExpression(p.expression) &&
        STARTUP_CALLBACKS.has(p.expression.name.text)
      ) {
        return this.atStartup(p, depth + 1);
      }
    }
    const isCtor = ts.isConstructorDeclaration(fn);
    const cls = isCtor ? fn.parent : undefined;
    const name = cls ? cls.name?.text : ts.isMethodDeclaration(fn) ? undefined : functionName(fn);
    if (!name) return false;
    // Only functions and classes declared at the top of their file can be imported and called elsewhere.
    const top = cls ?? (ts.isFunctionDeclaration(fn) ? fn : fn.parent);
    const sf = fn.getSourceFile();
    let calls = 0;
    const usesOk = (refs: ts.Identifier[]): boolean => {
      for (const ref of refs) {
        const up = skipParensUp(ref);
        const isCall =
          (ts.isCallExpression(up) && unwrap(up.expression) === ref) ||
          (!!cls && ts.isNewExpression(up) && up.expression === ref);
        if (isCall) {
          if (!this.atStartup(up, depth + 1)) return false;
          calls++;
        } else if (!isExportUse(ref)) {
          return false;
        }
      }
      return true;
    };
    if (!usesOk(referencesOf(sf, name))) return false;
    const fi = this.project.files.get(sf.fileName);
    const exported =
      !!fi &&
      [...fi.exports.values()].includes(name) &&
      fi.topLevel.has(name) &&
      (top.parent === sf || top.parent?.parent?.parent === sf);
    if (exported) {
      for (const other of this.project.files.values()) {
        if (other.file === sf.fileName) continue;
        for (const b of other.imports.values()) {
          const t = this.resolver.resolveName(other.file, b.local);
          if (t?.kind !== 'unit' || t.file !== sf.fileName || t.name !== name) continue;
          if (!usesOk(referencesOf(other.sf, b.local))) return false;
        }
      }
    }
    return calls > 0;
  }
}

/** `const t = setTimeout(...)` ... `clearTimeout(t)` in the same function. */
function clearedIn(timer: ts.CallExpression, fn: ts.FunctionLikeDeclaration): boolean {
  const p = timer.parent;
  let key: string | undefined;
  if (ts.isVariableDeclaration(p) && p.initializer === timer && ts.isIdentifier(p.name)) key = p.name.text;
  else if (ts.isBinaryExpression(p) && p.right === timer && p.operatorToken.kind === ts.SyntaxKind.EqualsToken)
    key = p.left.getText();
  if (!key || !fn.body) return false;
  let hit = false;
  const walk = (n: ts.Node): void => {
    if (hit) return;
    if (ts.isCallExpression(n)) {
      const c = n.expression;
      const name = ts.isIdentifier(c) ? c.text : ts.isPropertyAccessExpression(c) ? c.name.text : undefined;
      if ((name === 'clearTimeout' || name === 'clearInterval') && n.arguments[0]?.getText() === key) hit = true;
    }
    ts.forEachChild(n, walk);
  };
  walk(fn.body);
  return hit;
}

/** `new Promise((resolve) => setTimeout(resolve, ms))`: a delay the caller awaits, not a timer left behind. */
function inPromiseExecutor(fn: ts.FunctionLikeDeclaration): boolean {
  const p = skipParensUp(fn);
  return !!p && ts.isNewExpression(p) && ts.isIdentifier(p.expression) && p.expression.text === 'Promise';
}

/** node-schedule's rule argument in words: a cron string, `{ hour: 3, minute: 0 }`, or a RecurrenceRule's fields. */
function describeRule(e: ts.Expression): { cron?: string; text: string } {
  const s = stringValue(e, e.getSourceFile());
  if (s !== undefined) return { cron: s, text: s };
  const fields = (obj: ts.ObjectLiteralExpression): string => {
    const rule = objectProp(obj, 'rule');
    if (rule) return stringValue(rule, rule.getSourceFile()) ?? rule.getText();
    return obj.properties
      .filter(ts.isPropertyAssignment)
      .map((p) => `${p.name.getText()}=${p.initializer.getText()}`)
      .join(' ');
  };
  const v = unwrap(e);
  if (ts.isObjectLiteralExpression(v)) {
    const rule = objectProp(v, 'rule');
    const cron = rule ? stringValue(rule, rule.getSourceFile()) : undefined;
    return cron !== undefined ? { cron, text: cron } : { text: fields(v) };
  }
  if (ts.isIdentifier(v)) {
    const d = variableOrParameterOf(v);
    if (d && ts.isVariableDeclaration(d) && d.initializer) {
      const init = unwrap(d.initializer);
      if (ts.isObjectLiteralExpression(init)) return { text: fields(init) };
      if (ts.isNewExpression(init)) {
        let scope: ts.Node = d;
        while (scope.parent && !ts.isBlock(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
        const parts: string[] = [];
        const walk = (n: ts.Node): void => {
          if (
            ts.isBinaryExpression(n) &&
            n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
            ts.isPropertyAccessExpression(n.left) &&
            ts.isIdentifier(n.left.expression) &&
            n.left.expression.text === v.text
          ) {
            parts.push(`${n.left.name.text}=${n.right.getText()}`);
          }
          ts.forEachChild(n, walk);
        };
        walk(scope);
        if (parts.length) return { text: parts.join(' ') };
      }
    }
  }
  return { text: v.getText() };
}

function cronName(schedule: string, cron: boolean): string {
  return cron ? `cron "${schedule}"` : `schedule ${schedule}`;
}

function lastHandler(args: readonly ts.Expression[], from: number): ts.Expression | undefined {
  for (let i = args.length - 1; i >= from; i--)
    if (isFunctionLike(args[i]!) || ts.isIdentifier(args[i]!) || ts.isPropertyAccessExpression(args[i]!))
      return args[i];
  return undefined;
}

interface AgendaDefine {
  file: string;
  handler?: ts.Expression;
}

function link(ctx: LinkContext): void {
  const { project, resolver } = ctx;
  const startup = new StartupAnalysis(project, resolver);
  const defines = new Map<string, AgendaDefine>();
  const everies: { file: string; node: ts.CallExpression }[] = [];
  const isAgenda = (file: string, call: ts.CallExpression): boolean => {
    const recv = (call.expression as ts.PropertyAccessExpression).expression;
    const chain = traceAcross(project, resolver, file, recv);
    return !!chain.root && AGENDA_MODULES.has(chain.root.module);
  };

  for (const [file, data] of ctx.data<ScheduleData>()) {
    for (const { kind, node } of data.candidates) {
      const args: readonly ts.Expression[] = node.arguments ?? [];
      const text = (e: ts.Node): string => nameText(e, project, resolver, file);
      switch (kind) {
        case 'node-cron': {
          if (!args[0]) break;
          const schedule = text(args[0]);
          ctx.component({
            kind: 'scheduled-job',
            name: cronName(schedule, true),
            framework: 'node-cron',
            trigger: { type: 'schedule', system: 'node-cron', schedule },
            node,
            file,
            handlers: isHandlerLike(args[1]) ? [args[1]] : [],
          });
          break;
        }
        case 'cron': {
          // new CronJob(expr, onTick, ...), cron.job(expr, onTick), new CronJob({ cronTime, onTick }), CronJob.from({...})
          const opts = objectLiteralOf(args[0]);
          const timeNode = opts ? objectProp(opts, 'cronTime') : args[0];
          const tick = opts ? propNode(opts, 'onTick') : args[1];
          if (!timeNode) break;
          const str = stringValue(timeNode, timeNode.getSourceFile());
          const schedule = str ?? text(timeNode);
          ctx.component({
            kind: 'scheduled-job',
            name: cronName(schedule, true),
            framework: 'cron',
            trigger: { type: 'schedule', system: 'cron', schedule },
            node,
            file,
            handlers: isHandlerLike(tick) ? [tick] : [],
          });
          break;
        }
        case 'node-schedule': {
          // scheduleJob(rule, fn) or scheduleJob(name, rule, fn)
          const named = args.length >= 3 && ts.isStringLiteralLike(args[0]!);
          const ruleArg = named ? args[1] : args[0];
          if (!ruleArg) break;
          const rule = describeRule(ruleArg);
          ctx.component({
            kind: 'scheduled-job',
            name: cronName(rule.text, rule.cron !== undefined),
            framework: 'node-schedule',
            trigger: { type: 'schedule', system: 'node-schedule', schedule: rule.text },
            node,
            file,
            handlers: [lastHandler(args, named ? 2 : 1)].filter((h): h is ts.Expression => !!h),
          });
          break;
        }
        case 'agenda-define': {
          const call = node as ts.CallExpression;
          if (!args[0] || !ts.isStringLiteralLike(args[0]) || !isAgenda(file, call)) break;
          if (!defines.has(args[0].text)) defines.set(args[0].text, { file, handler: lastHandler(args, 1) });
          break;
        }
        case 'agenda-every': {
          const call = node as ts.CallExpression;
          if (args.length >= 2 && isAgenda(file, call)) everies.push({ file, node: call });
          break;
        }
        case 'repeat': {
          const call = node as ts.CallExpression;
          const recv = (call.expression as ts.PropertyAccessExpression).expression;
          const chain = traceAcross(project, resolver, file, recv);
          const lib = chain.root?.module;
          const ctor = rootStep(chain);
          if (
            (lib !== 'bull' && lib !== 'bullmq') ||
            (lib === 'bullmq' && chain.root?.name !== 'Queue') ||
            !ctor?.arguments?.[0]
          )
            break;
          const queue = nameText(ctor.arguments[0], project, resolver, ctor.getSourceFile().fileName);
          const scheduler = (call.expression as ts.PropertyAccessExpression).name.text === 'upsertJobScheduler';
          let repeat: ts.ObjectLiteralExpression | undefined;
          let job: string;
          if (scheduler) {
            repeat = objectLiteralOf(args[1]);
            const tmplName = objectProp(objectLiteralOf(args[2]), 'name');
            job = tmplName ? text(tmplName) : args[0] ? text(args[0]) : '?';
          } else {
            repeat = objectLiteralOf(objectProp(objectLiteralOf(args[args.length - 1]), 'repeat'));
            job = args.length >= 3 || lib === 'bullmq' ? text(args[0]!) : '__default__';
          }
          const cronNode = objectProp(repeat, 'cron') ?? objectProp(repeat, 'pattern');
          const every = objectProp(repeat, 'every');
          let schedule: string;
          let shown: string;
          if (cronNode) {
            schedule = text(cronNode);
            shown = `cron "${schedule}"`;
          } else if (every) {
            schedule = `every ${evalNumber(every) ?? every.getText()} ms`;
            shown = schedule;
          } else break;
          ctx.component({
            kind: 'scheduled-job',
            name: `${lib} repeatable "${job}" ${shown}`,
            framework: lib,
            trigger: { type: 'schedule', system: lib, schedule },
            node,
            file,
            handlers: [],
            id: `schedule:${lib}:${queue}:${job}`,
          });
          break;
        }
        case 'setInterval':
        case 'setTimeout': {
          const call = node as ts.CallExpression;
          const fn = enclosingFunction(call);
          if (!fn || startup.atStartup(call)) {
            if (kind === 'setTimeout') break;
            const ms = evalNumber(args[1]);
            const schedule = `every ${ms ?? args[1]?.getText() ?? 0} ms`;
            const handler = isHandlerLike(args[0]) ? args[0] : undefined;
            ctx.component({
              kind: 'scheduled-job',
              name: `setInterval ${schedule}`,
              framework: 'node',
              trigger: { type: 'schedule', system: 'setInterval', schedule },
              node,
              file,
              handlers: handler ? [handler] : [],
            });
            ctx.fact(
              file,
              {
                ruleId: 'module-level-interval',
                hazard: 'background-timer',
                severity: 'warning',
                message:
                  'This interval keeps running between requests only in a long-lived process: a function instance is frozen between invocations and recycled at any time, so the work it does happens late, irregularly or never.',
                fix: 'Make it a scheduled function (EventBridge Scheduler, Cloud Scheduler, Cron Triggers, Vercel Cron) that does one tick per invocation, or keep it in a container.',
                node,
              },
              ownerUnit(resolver, file, handler, node),
            );
            break;
          }
          if (inPromiseExecutor(fn) || clearedIn(call, fn)) break;
          ctx.fact(
            file,
            {
              ruleId: 'timer-outlives-request',
              hazard: 'background-timer',
              severity: 'warning',
              message: `This \`${kind}\` is started and neither awaited nor cleared: once the response is sent, a function instance is frozen or recycled, so the callback runs late, during another request, or never.`,
              fix: "Do the work before returning (await it), hand it to a queue or a scheduled function, or use the platform's waitUntil (Vercel, Cloudflare) for short follow-up work.",
              node,
              requiresReach: true,
            },
            enclosingUnit(call) ?? 0,
          );
          break;
        }
      }
    }
  }

  for (const { file, node } of everies) {
    const [intervalArg, namesArg] = node.arguments;
    if (!intervalArg || !namesArg) continue;
    const interval = nameText(intervalArg, project, resolver, file);
    const jobs = ts.isArrayLiteralExpression(namesArg) ? [...namesArg.elements] : [namesArg];
    for (const j of jobs) {
      const job = nameText(j, project, resolver, file);
      const def = defines.get(job);
      ctx.component({
        kind: 'scheduled-job',
        name: `agenda "${job}" every ${interval}`,
        framework: 'agenda',
        trigger: { type: 'schedule', system: 'agenda', schedule: interval },
        node,
        file,
        // The define may live in another file, where its handler's names resolve: attribute it through extraUnits.
        handlers: def?.handler && def.file === file ? [def.handler] : [],
        extraUnits: def?.handler && def.file !== file ? resolver.unitsOf(def.file, def.handler) : [],
        id: `schedule:agenda:${job}`,
      });
    }
  }
}

export const schedulesDetector: Detector = {
  id: 'schedules',
  // Module names, plus the calls whose scheduler may be imported from another analysed file.
  mentions: [
    'cron',
    'node-schedule',
    'agenda',
    'bull',
    'setInterval',
    'setTimeout',
    '.define(',
    '.every(',
    'repeat',
    'upsertJobScheduler',
  ],
  kinds: [SK.NewExpression, SK.CallExpression],
  visit,
  link,
};
