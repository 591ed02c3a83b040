// Infrastructure skeletons: a Serverless Framework `serverless.yml` or an AWS SAM `template.yaml` for the components
// that can run as functions. The document is built as data and written with the yaml package's Document API, so
// that each function carries, as comments, where its code is, where its sizing came from and the findings still
// open on it. Pure: the CLI does the writing.
import { Document, isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import { fingerprint } from '../architecture/ids';
import { runsPerMonth, SECONDS_PER_MONTH } from '../cost/schedule';
import { SKELETON_MARK } from '../detect/functionManifests';
import { TARGET_LABELS } from '../labels';
import type { Component, Finding, Report, Severity } from '../model';

export const IAC_FORMATS = ['serverless', 'sam'] as const;
export type IacFormat = (typeof IAC_FORMATS)[number];
export const IAC_FILES = { serverless: 'serverless.yml', sam: 'template.yaml' } as const;
export type IacFile = (typeof IAC_FILES)[IacFormat];

/**
 * The newest Node.js runtime the pricing research (../shared/pricing) quotes Lambda figures for; Node.js 20 left
 * upstream support in April 2026, so a new template should not start on it.
 */
export const LAMBDA_RUNTIME = 'nodejs22.x';
/** API Gateway stops waiting for the integration after 29 s (the rule http-gateway-timeout says why it matters). */
export const HTTP_TIMEOUT_CAP_S = 29;
/** Lambda's maximum run time. */
export const LAMBDA_TIMEOUT_CAP_S = 900;
const MIN_TIMEOUT_S = 3;
/** Headroom over the profile's average duration: the timeout guards the slow tail, not the average. */
const TIMEOUT_FACTOR = 3;
const MEMORY_MB = { min: 128, max: 10_240 };
const KEY_MAX = 40;

export interface ScaffoldOptions {
  /** The service (Serverless) or stack description (SAM) name; the CLI passes package.json's `name`. */
  serviceName?: string;
  /** How the header names the analysed folder (default: `report.root`). */
  rootLabel?: string;
  /**
   * The analysed root relative to the folder the file is written to, '/'-separated (`.` when written there).
   * Handlers are named from the root; SAM's CodeUri points at it.
   */
  codeDir?: string;
}

export interface Scaffold {
  file: IacFile;
  text: string;
  /** How many functions the document declares. */
  functions: number;
  /** The components left out, with why. */
  skipped: { id: string; reason: string }[];
}

type HttpEvent = { type: 'http'; method: string; path: string | null; note?: string };
type QueueEvent = { type: 'queue'; queue: string; param: string; arn?: string; batchSize: number; note: string };
type ScheduleEvent = { type: 'schedule'; expression: string; note?: string };
type EventPlan = HttpEvent | QueueEvent | ScheduleEvent;

interface FunctionPlan {
  component: Component;
  key: string;
  /** Root-relative source file of the handler. */
  file: string;
  exportName: string;
  events: EventPlan[];
  /** Comment lines above the function. */
  comments: string[];
  memoryMb?: number;
  timeoutS?: number;
  arch: 'arm64' | 'x86_64';
}

/** The Serverless Framework or SAM document for the report's function-shaped components. */
export function scaffold(report: Report, format: IacFormat, options: ScaffoldOptions = {}): Scaffold {
  const skipped: Scaffold['skipped'] = [];
  const deployable: Component[] = [];
  for (const c of report.components) {
    const why = leftOut(c);
    if (why) skipped.push({ id: c.id, reason: why });
    else deployable.push(c);
  }
  const keys = functionKeys(deployable);
  const perFile = new Map<string, number>();
  for (const c of deployable) {
    if (c.kind !== 'function') perFile.set(sourceFile(c), (perFile.get(sourceFile(c)) ?? 0) + 1);
  }
  const ctx: PlanContext = { routes: new Map(), queueParams: new Map(), perFile };
  const plans = deployable.map((c) => planFunction(c, keys.get(c.id)!, openFindings(report, c), ctx));
  const service = serviceName(report, options.serviceName);
  const header = headerLines(report, format, plans, skipped, options);
  const doc =
    format === 'serverless'
      ? serverlessDocument(service, plans)
      : samDocument(service, plans, ctx.queueParams, options.codeDir ?? '.');
  doc.commentBefore = comment(header);
  return {
    file: IAC_FILES[format],
    text: doc.toString({ lineWidth: 0 }),
    functions: plans.length,
    skipped,
  };
}

// --- What goes in -------------------------------------------------------------------------------------------------

/** Why a component is not a function of the template; undefined when it is one. */
function leftOut(c: Component): string | undefined {
  const target = c.classification?.target;
  if (!target) return 'not classified';
  // A scheduled job classified baas is "a managed scheduler triggers the job body as a function": the scheduler is
  // the managed service, and the template declares both.
  if (target === 'baas' && c.kind === 'scheduled-job') return undefined;
  if (target !== 'faas') return `classified ${target} (${TARGET_LABELS[target]})`;
  if (c.trigger.type === 'function' && c.trigger.event === 'durable-object')
    return 'a Cloudflare Durable Object: its state lives with the object, which a Lambda function cannot hold';
  return undefined;
}

function openFindings(report: Report, c: Component): Finding[] {
  const order: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  return report.findings
    .filter((f) => f.components.includes(c.id))
    .sort(
      (a, b) =>
        order[a.severity] - order[b.severity] ||
        a.location.file.localeCompare(b.location.file) ||
        a.location.line - b.location.line ||
        a.ruleId.localeCompare(b.ruleId),
    );
}

// --- Names --------------------------------------------------------------------------------------------------------

function words(text: string): string[] {
  return text
    .split(/[^A-Za-z0-9]+/)
    .flatMap((w) => w.split(/(?<=[a-z0-9])(?=[A-Z])/))
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

function camel(ws: string[]): string {
  const s = ws.map((w, i) => (i ? w[0]!.toUpperCase() + w.slice(1) : w)).join('');
  return (/^[a-z]/.test(s) ? s : `fn${s[0]?.toUpperCase() ?? ''}${s.slice(1)}`).slice(0, KEY_MAX);
}

function pascal(key: string): string {
  return key[0]!.toUpperCase() + key.slice(1);
}

function methodOf(method: string): string | undefined {
  const m = method.toUpperCase();
  if (m === 'ALL' || m === 'ANY' || m === 'USE' || m === '*') return 'ANY';
  return ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].includes(m) ? m : undefined;
}

function stripExt(file: string): string {
  return file.replace(/\.[cm]?[jt]sx?$/, '');
}

/** `function:aws-lambda:src/orders/create.ts#handler` -> the file and the export the platform calls. */
function functionExport(c: Component): { file: string; exportName: string } | undefined {
  const m = /^function:[^:]+:(.+)#([^#]+)$/.exec(c.id);
  return m ? { file: m[1]!, exportName: m[2]! } : undefined;
}

function sourceFile(c: Component): string {
  return functionExport(c)?.file ?? (c.handler ?? c.location).file;
}

function queueName(queue: string): string {
  const url = /^https:\/\/sqs\.[^/]+\/\d+\/([^/?#]+)/.exec(queue);
  return url ? url[1]! : queue;
}

function baseName(c: Component): string {
  const t = c.trigger;
  let ws: string[];
  switch (t.type) {
    case 'http':
      ws = [(methodOf(t.method) ?? t.method).toLowerCase(), ...words(t.path)];
      if (ws.length === 1) ws.push('root');
      break;
    case 'graphql':
      ws = ['graphql', ...words(t.path ?? '')];
      break;
    case 'queue': {
      // Bull's named processors add the job name to the id: `queue:bull:email:welcome`.
      const prefix = `queue:${t.system}:${t.queue}:`;
      const job = c.id.startsWith(prefix) ? c.id.slice(prefix.length) : '';
      ws = [...words(queueName(t.queue)), ...words(job), 'consumer'];
      break;
    }
    case 'schedule': {
      // Named jobs (BullMQ repeatables, agenda) by their name; cron and intervals by the file that runs them.
      const job = /^schedule:(?:bull|bullmq):[^:]*:(.+)$/.exec(c.id)?.[1] ?? /^schedule:agenda:(.+)$/.exec(c.id)?.[1];
      ws = job ? [...words(job), 'job'] : [...words(baseOf(sourceFile(c))), ...when(t.schedule), 'job'];
      break;
    }
    case 'function': {
      const fx = functionExport(c);
      const segs = stripExt(fx?.file ?? c.location.file)
        .split('/')
        .filter((s) => s !== 'src' && s !== 'index');
      ws = words(segs.slice(-2).join(' '));
      if (fx && !['handler', 'default', 'main'].includes(fx.exportName)) ws.push(...words(fx.exportName));
      break;
    }
    default:
      ws = words(c.name);
  }
  return camel(ws.length ? ws : ['function']);
}

/**
 * Words for when a job runs, to tell apart the jobs of one file: `rate(1 minute)` -> every 1 minute,
 * `cron(0 3 * * ? *)` -> daily 0300, `cron(0 9 ? * MON *)` -> mon 0900.
 */
function when(schedule: string): string[] {
  const r = toAwsSchedule(schedule);
  const expr = 'values' in r ? r.values[0]! : '';
  const rate = /^rate\((\d+) (\w+)\)$/.exec(expr);
  if (rate) return ['every', rate[1]!, rate[2]!];
  const cron = /^cron\((\d+) (\d+) (\S+) \* (\S+) \*\)$/.exec(expr);
  if (!cron) return [];
  const time = `${cron[2]!.padStart(2, '0')}${cron[1]!.padStart(2, '0')}`;
  if (cron[4] !== '?') return [...words(cron[4]!), time];
  return [cron[3] === '*' ? 'daily' : 'monthly', time];
}

/**
 * A key per component: readable, alphanumeric (a valid CloudFormation logical id once capitalised), unique, and
 * stable: names that collide all take the fingerprint of their component id, so a new component never renames
 * another one unless it shares its name.
 */
function functionKeys(components: readonly Component[]): Map<string, string> {
  const byBase = new Map<string, Component[]>();
  for (const c of components) {
    const b = baseName(c);
    byBase.set(b, [...(byBase.get(b) ?? []), c]);
  }
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const [base, cs] of byBase) {
    for (const c of cs) {
      const stem = cs.length === 1 ? base : `${base.slice(0, KEY_MAX - 7)}${fingerprint(c.id)}`;
      let key = stem;
      for (let i = 2; used.has(key); i++) key = `${stem}${i}`;
      used.add(key);
      out.set(c.id, key);
    }
  }
  return out;
}

/** The file name without folder and extension. */
function baseOf(file: string): string {
  return stripExt(file.slice(file.lastIndexOf('/') + 1));
}

function serviceName(report: Report, given: string | undefined): string {
  const fromReport = report.processes?.find((p) => p.basis === 'package.json main')?.name;
  const folder = report.root.split(/[\\/]/).filter(Boolean).pop() ?? 'app';
  // Serverless wants letters, digits and hyphens, starting with a letter (`@acme/shop` -> `acme-shop`).
  const slug = (given || fromReport || folder)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return /^[a-z]/.test(slug) ? slug : `app-${slug}`.replace(/-$/, '');
}

// --- Conversions --------------------------------------------------------------------------------------------------

export type Converted = { values: string[]; note?: string } | { error: string };

/**
 * An Express / Fastify / Koa / Next.js route path as API Gateway HTTP API paths: `:id` and `[id]` become `{id}`, a
 * trailing `*`, `*name`, `:name*`, `:name+` or `[...name]` becomes a greedy `{name+}` (`{proxy+}` when unnamed). An
 * optional last segment (`:id?`, `:name*`, `[[...name]]`) gives two paths, since `{x+}` does not match the path
 * without it. A wildcard or pattern API Gateway cannot route on is an error.
 */
export function toApiGatewayPaths(routePath: string): Converted {
  const segs = routePath.split('/').filter((s, i, all) => s !== '' || (i > 0 && i < all.length - 1));
  const out: string[] = [];
  let optional = false;
  let note: string | undefined;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    const last = i === segs.length - 1;
    let m: RegExpExecArray | null;
    let greedy: string | undefined;
    if ((m = /^:([A-Za-z_$][\w$]*)(?:\([^/]*\)|\{[^/]*\})?([?*+])?$/.exec(seg))) {
      if (m[2] === '?') {
        if (!last) return { error: `the optional parameter ${seg} is not the last segment of ${routePath}` };
        optional = true;
        out.push(`{${m[1]}}`);
      } else if (m[2] === '*' || m[2] === '+') {
        greedy = m[1];
        optional = m[2] === '*';
      } else out.push(`{${m[1]}}`);
      if (seg.includes('(') || seg.includes('{'))
        note = `the pattern of ${seg} is not checked by API Gateway: the handler must reject what does not match`;
    } else if ((m = /^\[\[\.\.\.(\w+)\]\]$/.exec(seg))) {
      greedy = m[1];
      optional = true;
    } else if ((m = /^\[\.\.\.(\w+)\]$/.exec(seg)) || (m = /^\*(\w+)$/.exec(seg)) || (m = /^\{\*(\w+)\}$/.exec(seg))) {
      greedy = m[1];
      optional = seg.startsWith('{');
    } else if (seg === '*' || seg === '(.*)') greedy = 'proxy';
    else if ((m = /^\[(\w+)\]$/.exec(seg))) out.push(`{${m[1]}}`);
    else if (/^[\w\-.~@!$&'+,;=]+$/.test(seg)) out.push(seg);
    else return { error: `API Gateway cannot route on the segment '${seg}' of ${routePath}` };
    if (greedy !== undefined) {
      if (!last) return { error: `API Gateway takes a wildcard only at the end of a path, not in ${routePath}` };
      out.push(`{${greedy}+}`);
    }
  }
  const full = `/${out.join('/')}`;
  if (!optional) return { values: [full], note };
  const base = `/${out.slice(0, -1).join('/')}`;
  return { values: [base, full], note };
}

const CRON_MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/**
 * A schedule as the detectors report it, as AWS schedule expressions (EventBridge rules and Scheduler take the same
 * syntax): Unix cron `min hour dom month dow` (and node-cron's 6 fields with seconds) becomes
 * `cron(min hour dom month dow year)` with `?` in the day field it leaves free and day names for the week (AWS
 * numbers days 1-7 from Sunday, Unix 0-6); `@daily`-style macros, node-schedule rules (`hour=9 minute=0`) and
 * NestJS' `CronExpression.EVERY_*` go the same way; intervals (`every 600000 ms`, agenda's `1 day`) become
 * `rate(...)`. What AWS cannot express (seconds, both day fields restricted, intervals under a minute or not in
 * whole minutes, values only known at run time) is an error saying why.
 */
export function toAwsSchedule(schedule: string): Converted {
  const s = schedule
    .trim()
    .replace(/^['"`]|['"`]$/g, '')
    .trim();
  if (/^(rate|cron)\(.+\)$/i.test(s)) return { values: [s.replace(/^[a-z]+/i, (w) => w.toLowerCase())] };
  const macro = CRON_MACROS[s.toLowerCase()] ?? nestCron(s) ?? recurrenceRule(s);
  if (macro !== undefined) return typeof macro === 'string' ? fromCron(macro.split(' '), s) : macro;
  const fields = s.split(/\s+/);
  if (fields.length === 5) return fromCron(fields, s);
  if (fields.length === 6) {
    const sec = fields[0]!;
    if (!/^\d{1,2}$/.test(sec) || Number(sec) > 59)
      return { error: `\`${s}\` runs more often than once a minute, the finest AWS schedules go` };
    const r = fromCron(fields.slice(1), s);
    return 'values' in r && Number(sec) !== 0
      ? { ...r, note: `the code runs it ${Number(sec)} s past the minute; AWS starts it at the minute` }
      : r;
  }
  const runs = /\d/.test(s) ? runsPerMonth(s) : undefined;
  if (!runs) return { error: `cannot read \`${s}\` as a cron expression or an interval (is it set at run time?)` };
  const seconds = Math.round((SECONDS_PER_MONTH / runs) * 1000) / 1000;
  if (seconds < 60) return { error: `\`${s}\` runs every ${seconds} s: AWS schedules run at most once a minute` };
  if (seconds % 60 !== 0) return { error: `\`${s}\` is not a whole number of minutes, which rate() needs` };
  const [n, unit] =
    seconds % 86_400 === 0
      ? [seconds / 86_400, 'day']
      : seconds % 3600 === 0
        ? [seconds / 3600, 'hour']
        : [seconds / 60, 'minute'];
  return { values: [`rate(${n} ${unit}${n === 1 ? '' : 's'})`] };
}

/** @nestjs/schedule's `CronExpression` names that follow a pattern; the others are left to the reader. */
function nestCron(s: string): string | undefined {
  const m = /^CronExpression\.(\w+)$/.exec(s);
  if (!m) return undefined;
  const name = m[1]!;
  let x: RegExpExecArray | null;
  if (name === 'EVERY_MINUTE') return '* * * * *';
  if ((x = /^EVERY_(\d+)_MINUTES$/.exec(name))) return `*/${x[1]} * * * *`;
  if (name === 'EVERY_HOUR') return '0 * * * *';
  if ((x = /^EVERY_(\d+)_HOURS$/.exec(name))) return `0 */${x[1]} * * *`;
  if (name === 'EVERY_DAY_AT_MIDNIGHT') return '0 0 * * *';
  if (name === 'EVERY_DAY_AT_NOON') return '0 12 * * *';
  if ((x = /^EVERY_DAY_AT_(\d{1,2})(AM|PM)$/.exec(name)))
    return `0 ${(Number(x[1]) % 12) + (x[2] === 'PM' ? 12 : 0)} * * *`;
  if (name === 'EVERY_WEEK') return '0 0 * * 0';
  if (name === 'EVERY_WEEKDAY') return '0 0 * * 1-5';
  if (name === 'EVERY_WEEKEND') return '0 0 * * 0,6';
  return undefined;
}

/**
 * node-schedule's object and RecurrenceRule fields as the detector writes them (`dayOfWeek=1 hour=9 minute=0`):
 * unset fields match any value (seconds default to 0), `month` counts from 0. Only literal numbers and arrays of
 * them; a `Range` or a variable is an error.
 */
function recurrenceRule(s: string): string | Converted | undefined {
  const pairs = s.split(/\s+(?=\w+=)/);
  if (!pairs.every((p) => /^\w+=/.test(p))) return undefined;
  const f: Record<string, string> = {};
  for (const p of pairs) {
    const [k, v] = [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1).trim()];
    const nums = /^\[\s*\d+(?:\s*,\s*\d+)*\s*\]$/.test(v)
      ? v.slice(1, -1).split(',').map(Number)
      : /^\d+$/.test(v)
        ? [Number(v)]
        : undefined;
    if (!nums) return { error: `the rule's ${k} is \`${v}\`, not a number the template can copy` };
    f[k] = (k === 'month' ? nums.map((n) => n + 1) : nums).join(',');
  }
  if (f.second !== undefined && f.second !== '0')
    return { error: 'the rule runs at given seconds, finer than AWS schedules go' };
  const known = new Set(['second', 'minute', 'hour', 'date', 'month', 'dayOfWeek']);
  const unknown = Object.keys(f).find((k) => !known.has(k));
  if (unknown) return { error: `the rule's ${unknown} has no cron field` };
  return [f.minute ?? '*', f.hour ?? '*', f.date ?? '*', f.month ?? '*', f.dayOfWeek ?? '*'].join(' ');
}

function fromCron(fields: string[], original: string): Converted {
  const [min, hour, dom, month, dow] = fields as [string, string, string, string, string];
  const namedMonth = month.replace(/[a-z]{3}/gi, (n) => {
    const i = MONTHS.indexOf(n.toUpperCase());
    return i < 0 ? n : String(i + 1);
  });
  const parts = [field(min, 0, 59), field(hour, 0, 23), field(dom, 1, 31), field(namedMonth, 1, 12), weekdays(dow)];
  const bad = parts.find((p): p is { error: string } => typeof p === 'object' && p !== null);
  if (bad) return { error: `\`${original}\` is not a cron expression AWS can take: ${bad.error}` };
  const [m, h, d, mo, w] = parts as [string, string, string, string, string | null];
  if (d !== '*' && w !== null)
    return {
      error:
        `\`${original}\` restricts both the day of the month and the day of the week; an AWS expression takes one ` +
        'of them: split it into two schedules',
    };
  return { values: [`cron(${m} ${h} ${w === null ? d : '?'} ${mo} ${w ?? '?'} *)`] };
}

/** A minute, hour, day-of-month or month field in the subset AWS documents: `*`, lists, ranges, `start/step`. */
function field(text: string, lo: number, hi: number): string | { error: string } {
  if (text === '*' || text === '?') return '*';
  const out: string[] = [];
  for (const part of text.split(',')) {
    const m = /^(\*|\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(part);
    if (!m) return { error: `'${part}' is not a cron field value` };
    const a = m[1] === '*' ? lo : Number(m[1]);
    const b = m[2] !== undefined ? Number(m[2]) : undefined;
    const step = m[3] !== undefined ? Number(m[3]) : undefined;
    if (a < lo || a > hi || (b !== undefined && (b < a || b > hi)) || step === 0)
      return { error: `'${part}' is out of range ${lo}-${hi}` };
    if (step === undefined) out.push(m[1] === '*' ? '*' : b === undefined ? `${a}` : `${a}-${b}`);
    // `*/5` is written `0/5`, the form AWS documents; a stepped range is spelt out, which every form accepts.
    else if (b === undefined) out.push(`${a}/${step}`);
    else for (let v = a; v <= b; v += step) out.push(String(v));
  }
  return out.join(',');
}

/** The day-of-week field as AWS day names (`MON-FRI`), null when it leaves every day. */
function weekdays(text: string): string | null | { error: string } {
  if (text === '*' || text === '?') return null;
  const day = (v: string): number | undefined => {
    const n = /^\d$/.test(v) ? Number(v) : DAYS.indexOf(v.toUpperCase());
    return n >= 0 && n <= 7 ? n : undefined;
  };
  const set = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|\w+)(?:-(\w+))?(?:\/(\d+))?$/.exec(part);
    const a = m ? (m[1] === '*' ? 0 : day(m[1]!)) : undefined;
    const b = m?.[2] !== undefined ? day(m[2]) : m?.[1] === '*' || m?.[3] ? 6 : a;
    const step = m?.[3] !== undefined ? Number(m[3]) : 1;
    if (a === undefined || b === undefined || b < a || step < 1) return { error: `'${part}' is not a day of the week` };
    for (let v = a; v <= b; v += step) set.add(v % 7);
  }
  if (set.size === 7) return null;
  const days = [...set].sort((x, y) => x - y);
  const runs: string[] = [];
  for (let i = 0; i < days.length;) {
    let j = i;
    while (j + 1 < days.length && days[j + 1] === days[j]! + 1) j++;
    runs.push(
      j - i >= 2
        ? `${DAYS[days[i]!]}-${DAYS[days[j]!]}`
        : days
            .slice(i, j + 1)
            .map((d) => DAYS[d])
            .join(','),
    );
    i = j + 1;
  }
  return runs.join(',');
}

// --- One function -------------------------------------------------------------------------------------------------

interface PlanContext {
  /** `METHOD path` (or `$default`) -> the component whose function has it: one API, one owner per route. */
  routes: Map<string, string>;
  /** Queue (system and name) -> its ARN parameter, shared by the functions that consume it. */
  queueParams: Map<string, { param: string; arn?: string; description: string; consumers: string[] }>;
  /** How many non-`function` components each source file hosts (one may take the export name `handler`). */
  perFile: Map<string, number>;
}

const KIND_CODE: Partial<Record<Component['kind'], string>> = {
  'http-route': 'route',
  'route-group': 'routes',
  graphql: 'GraphQL server',
  'queue-consumer': 'queue processor',
  'scheduled-job': 'job',
};

const QUEUE_SYSTEMS: Record<string, string> = {
  bull: 'Bull (Redis)',
  bullmq: 'BullMQ (Redis)',
  kafka: 'Kafka',
  amqp: 'RabbitMQ',
  pubsub: 'Google Cloud Pub/Sub',
  'nestjs-microservices': 'NestJS microservice',
};

function planFunction(c: Component, key: string, findings: Finding[], ctx: PlanContext): FunctionPlan {
  const fx = functionExport(c);
  const file = sourceFile(c);
  const exportName = fx?.exportName ?? ((ctx.perFile.get(file) ?? 0) > 1 ? key : 'handler');
  const comments: string[] = [
    `${c.id}: ${c.kind} at ${c.location.file}:${c.location.line}, classified ${c.classification?.target ?? '?'}` +
      (c.classification ? ` (confidence ${c.classification.confidence.toFixed(2)})` : ''),
  ];
  if (!fx) {
    const at = c.handler ?? c.location;
    comments.push(
      `handler: export \`${exportName}\` from ${file}, a Lambda handler that runs this ${KIND_CODE[c.kind] ?? 'code'} ` +
        `(it starts at line ${at.line})`,
    );
  } else if (c.trigger.type === 'function' && c.trigger.platform !== 'aws-lambda') {
    comments.push(
      `written for ${c.trigger.platform}: Lambda calls it with (event, context); a handler taking a Web Request or ` +
        '(req, res) needs an adapter',
    );
  }
  if (baseOf(file).includes('.'))
    comments.push(
      `Lambda reads the handler's module up to the first dot: rename ${file} or re-export the handler from a file ` +
        'without dots in its name',
    );
  const events: EventPlan[] = [];
  const notes: string[] = [];
  const route = (method: string, p: string | null, note?: string): void => {
    const rk = p === null ? '$default' : `${method} ${p}`;
    const owner = ctx.routes.get(rk);
    if (owner && owner !== c.id)
      notes.push(`route ${rk} already goes to ${owner} (one API, one owner per route): give this one another path`);
    else if (!owner) {
      ctx.routes.set(rk, c.id);
      events.push({ type: 'http', method, path: p, note });
    }
  };
  const http = (rawMethod: string, rawPath: string): void => {
    const method = methodOf(rawMethod);
    if (!method) return void notes.push(`API Gateway has no method ${rawMethod}: add its route by hand`);
    if (method === 'ANY' && (rawPath === '/*' || rawPath === '*')) return route(method, null);
    const paths = toApiGatewayPaths(rawPath);
    if ('error' in paths) return void notes.push(`${paths.error}: add its route by hand`);
    for (const p of paths.values) route(method, p, paths.note);
  };
  // `existing`: an SQS-triggered function already takes batches (event.Records); a processor written for one job
  // at a time gets one message per invocation.
  const queue = (system: string, name: string, existing?: { today: string; param: string }): void => {
    const qname = (
      queueName(name)
        .replace(/[^A-Za-z0-9_-]+/g, '-')
        .replace(/^-+|-+$/g, '') || key
    ).slice(0, 80);
    const url = /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com\/(\d+)\/([A-Za-z0-9_.-]+)$/.exec(name);
    const arn = url ? `arn:aws:sqs:${url[1]}:${url[2]}:${url[3]}` : undefined;
    const qk = `${system}:${name}`;
    let q = ctx.queueParams.get(qk);
    if (!q) {
      let param = existing?.param ?? pascal(camel([...words(qname), 'queue', 'arn']));
      if ([...ctx.queueParams.values()].some((x) => x.param === param)) param = `${param}${fingerprint(qk)}`;
      q = { param, arn, description: `ARN of the SQS queue ${qname}`, consumers: [] };
      ctx.queueParams.set(qk, q);
    }
    const shared = q.consumers.length
      ? ` ${q.consumers.join(', ')} also consume${q.consumers.length === 1 ? 's' : ''} it: SQS hands each message ` +
        'to one of them, whatever its job name, so give each job type its own queue.'
      : '';
    q.consumers.push(c.id);
    const label = QUEUE_SYSTEMS[system];
    const today =
      existing?.today ??
      (system.startsWith('sqs')
        ? `already SQS (${name}): Lambda polls it for the function, so the polling loop goes.`
        : `today a ${label ?? system} queue "${name}": send its messages to SQS instead (create the queue, or ` +
          'point at yours).' +
          (system === 'kafka' ? ' Or keep Kafka with an msk / kafka event.' : '') +
          (system === 'amqp' ? ' Or keep RabbitMQ on Amazon MQ with a rabbitmq event.' : ''));
    const batch = existing
      ? 'Batches of up to 10 messages (event.Records)'
      : 'One message per invocation, as the processor takes one job at a time';
    events.push({
      type: 'queue',
      queue: qname,
      param: q.param,
      arn,
      batchSize: existing ? 10 : 1,
      note: `${today} ${batch}; the queue's visibility timeout must be at least the function's timeout.${shared}`,
    });
  };

  const t = c.trigger;
  switch (t.type) {
    case 'http':
      http(t.method, t.path);
      break;
    case 'graphql':
      http('GET', t.path ?? '/graphql');
      http('POST', t.path ?? '/graphql');
      break;
    case 'queue':
      // The Kafka detector lists a consumer's topics with commas; other systems' names are taken whole.
      for (const name of t.system === 'kafka' ? t.queue.split(',').map((x) => x.trim()) : [t.queue])
        if (name) queue(t.system, name);
      break;
    case 'schedule': {
      const r = toAwsSchedule(t.schedule);
      if ('error' in r) notes.push(`schedule: ${r.error}. Add its schedule by hand, or keep it in a container`);
      else
        for (const expression of r.values)
          events.push({
            type: 'schedule',
            expression,
            note:
              `\`${t.schedule}\` (${t.system})${r.note ? `; ${r.note}` : ''}` +
              (expression.startsWith('cron(')
                ? ". AWS evaluates cron in UTC; the process ran it in its server's time zone"
                : ''),
          });
      break;
    }
    case 'function': {
      const ev = t.event ?? 'unknown';
      const m = /^http (\S+) (\S+)$/.exec(ev);
      if (m) http(m[1]!, m[2]!);
      else if (ev === 'fetch') route('ANY', null);
      else if (ev === 'sqs' || ev === 'queue')
        queue(t.platform, key, {
          param: `${pascal(key)}QueueArn`,
          today:
            ev === 'sqs'
              ? "an SQS-triggered function today: put its queue's ARN here."
              : `a ${t.platform} queue consumer today: send its messages to SQS instead.`,
        });
      else if (ev === 'scheduled')
        notes.push('a scheduled function today: the code does not say when; add its schedule');
      else if (ev === 'api-gateway' || ev === 'function-url' || ev === 'alb')
        notes.push(`triggered through ${ev} today: the code does not say which route; add its httpApi event`);
      else notes.push(`its trigger (${ev}) is not generated: add it by hand`);
      break;
    }
    default:
      notes.push(`its trigger (${t.type}) has no event here: add one by hand`);
  }

  const isHttp = t.type === 'http' || t.type === 'graphql' || events.some((e) => e.type === 'http');
  const sizing = size(c, isHttp);
  comments.push(sizing.note);
  const native = findings.find((f) => f.hazard === 'native-module' && f.severity !== 'info');
  if (native)
    comments.push(
      `x86_64, not arm64: ${native.ruleId} at ${native.location.file}:${native.location.line}. A native addon's ` +
        'binary must match the architecture, and prebuilt ones are most often x86_64; use arm64 once it is ' +
        'installed for linux-arm64 (npm ci --os=linux --cpu=arm64)',
    );
  const services = [...new Set((c.uses ?? []).map((u) => `${u.service} (${u.via})`))];
  if (services.length)
    comments.push(`uses ${services.join(', ')}: grant its role access and pass the settings (not generated)`);
  comments.push(...notes);
  // What only rules out edge runtimes (Node-only APIs, edge size and CPU limits) needs no fix on Lambda.
  const edgeOnly = (f: Finding): boolean => f.hazard === 'node-only-api' || f.ruleId.startsWith('edge-');
  const toFix = findings.filter((f) => !edgeOnly(f));
  if (toFix.length) {
    comments.push('open findings, to fix before deploying:');
    for (const f of toFix) comments.push(`  ${f.ruleId} at ${f.location.file}:${f.location.line}: ${brief(f.message)}`);
  } else comments.push('no open findings');
  const skippedEdge = findings.length - toFix.length;
  if (skippedEdge)
    comments.push(`(and ${skippedEdge} about edge runtimes only, which Lambda does not need fixed: see the report)`);
  return {
    component: c,
    key,
    file,
    exportName,
    events,
    comments,
    memoryMb: sizing.memoryMb,
    timeoutS: sizing.timeoutS,
    arch: native ? 'x86_64' : 'arm64',
  };
}

function size(c: Component, http: boolean): { memoryMb?: number; timeoutS?: number; note: string } {
  const u = c.usage;
  const memory = u?.values.memoryMb;
  const duration = u?.values.durationMs;
  if (!u || memory === undefined || duration === undefined)
    return { note: 'no usage figures in the report (costs were left out): set memory and timeout by hand' };
  const memoryMb = Math.min(MEMORY_MB.max, Math.max(MEMORY_MB.min, Math.round(memory)));
  const wanted = Math.max(MIN_TIMEOUT_S, Math.ceil((TIMEOUT_FACTOR * duration) / 1000));
  const cap = http ? HTTP_TIMEOUT_CAP_S : LAMBDA_TIMEOUT_CAP_S;
  const timeoutS = Math.min(wanted, cap);
  const from = (origin: string | undefined): string =>
    !origin || origin.startsWith('default:')
      ? `the defaults for ${origin?.slice('default:'.length) ?? c.kind}`
      : `the usage profile (${origin.replace(/^profile:/, '')})`;
  const memFrom = from(u.origin.memoryMb);
  const durFrom = from(u.origin.durationMs);
  let note =
    `memory ${memoryMb} MB and timeout ${timeoutS} s from ${memFrom === durFrom ? memFrom : `${memFrom} and ${durFrom}`}: ` +
    `${TIMEOUT_FACTOR}x the average ${duration} ms, at least ${MIN_TIMEOUT_S} s`;
  if (wanted > cap)
    note += http
      ? `; capped at ${cap} s, where API Gateway stops waiting: answer at once and hand longer work to a queue`
      : `; capped at ${cap} s, Lambda's limit: split the work (Step Functions) or keep it in a container`;
  if (memory < MEMORY_MB.min || memory > MEMORY_MB.max)
    note += `; the profile's ${memory} MB is outside Lambda's ${MEMORY_MB.min}-${MEMORY_MB.max} MB`;
  return { memoryMb, timeoutS, note };
}

/**
 * Written so that YAML 1.1 readers agree with 1.2 ones: the SAM CLI and cfn-lint read templates with PyYAML, which
 * takes an unquoted `2010-09-09` for a date and `on` / `yes` for booleans. The yaml package quotes whatever the 1.1
 * schema would read as something other than a string, and writes no `%YAML` directive.
 */
const YAML_1_1 = { version: '1.1' } as const;

// --- The documents ------------------------------------------------------------------------------------------------

function serverlessDocument(service: string, plans: readonly FunctionPlan[]): Document {
  const functions: Record<string, unknown> = {};
  for (const p of plans) {
    functions[p.key] = {
      handler: `${stripExt(p.file)}.${p.exportName}`,
      ...(p.arch === 'arm64' ? {} : { architecture: p.arch }),
      ...(p.memoryMb !== undefined ? { memorySize: p.memoryMb, timeout: p.timeoutS } : {}),
      ...(p.events.length
        ? {
            events: p.events.map((e) => {
              if (e.type === 'http')
                return {
                  httpApi: e.path === null ? '*' : { method: e.method === 'ANY' ? '*' : e.method, path: e.path },
                };
              if (e.type === 'queue')
                return {
                  sqs: {
                    arn: e.arn ?? `arn:aws:sqs:\${aws:region}:\${aws:accountId}:${e.queue}`,
                    batchSize: e.batchSize,
                  },
                };
              return { schedule: e.expression };
            }),
          }
        : {}),
    };
  }
  const doc = new Document(
    { service, provider: { name: 'aws', runtime: LAMBDA_RUNTIME, architecture: 'arm64' }, functions },
    YAML_1_1,
  );
  const fns = doc.get('functions');
  if (isMap(fns)) {
    for (const [i, p] of plans.entries()) {
      const pair = fns.items[i]!;
      if (isScalar(pair.key)) pair.key.commentBefore = comment(p.comments);
      const fn = pair.value;
      const evs = isMap(fn) ? fn.get('events') : undefined;
      if (isSeq(evs)) evs.items.forEach((item, j) => noteOn(item as YamlNode, p.events[j]!));
    }
  }
  const top = doc.contents;
  const fnsKey = isMap(top) ? top.items.find((i) => isScalar(i.key) && i.key.value === 'functions')?.key : undefined;
  if (!plans.length && isScalar(fnsKey))
    fnsKey.commentBefore = comment(['no function: nothing in the analysis is shaped for one']);
  return doc;
}

function samDocument(
  service: string,
  plans: readonly FunctionPlan[],
  queues: PlanContext['queueParams'],
  codeDir: string,
): Document {
  const resources: Record<string, unknown> = {};
  const ids: string[] = [];
  for (const p of plans) {
    const id = `${pascal(p.key)}Function`;
    ids.push(id);
    const counts = new Map<string, number>();
    const events: Record<string, unknown> = {};
    for (const e of p.events) {
      const base = e.type === 'http' ? 'Http' : e.type === 'queue' ? 'Queue' : 'Schedule';
      const n = (counts.get(base) ?? 0) + 1;
      counts.set(base, n);
      events[n === 1 ? base : `${base}${n}`] =
        e.type === 'http'
          ? // No Path and Method: the API's default route, for a function that answers every path.
            e.path === null
            ? { Type: 'HttpApi' }
            : { Type: 'HttpApi', Properties: { Method: e.method, Path: e.path } }
          : e.type === 'queue'
            ? { Type: 'SQS', Properties: { Queue: { Ref: e.param }, BatchSize: e.batchSize } }
            : { Type: 'ScheduleV2', Properties: { ScheduleExpression: e.expression } };
    }
    resources[id] = {
      Type: 'AWS::Serverless::Function',
      Metadata: { BuildMethod: 'esbuild', BuildProperties: { EntryPoints: [p.file], Target: 'es2022' } },
      Properties: {
        CodeUri: codeDir === '.' ? './' : `${codeDir}/`,
        Handler: `${stripExt(p.file)}.${p.exportName}`,
        ...(p.arch === 'arm64' ? {} : { Architectures: [p.arch] }),
        ...(p.memoryMb !== undefined ? { MemorySize: p.memoryMb, Timeout: p.timeoutS } : {}),
        ...(p.events.length ? { Events: events } : {}),
      },
    };
  }
  // CloudFormation refuses a template without resources: a no-op handle keeps an empty proposal deployable.
  if (!plans.length) resources.Placeholder = { Type: 'AWS::CloudFormation::WaitConditionHandle' };
  const parameters: Record<string, unknown> = {};
  for (const q of queues.values())
    parameters[q.param] = { Type: 'String', Description: q.description, ...(q.arn ? { Default: q.arn } : {}) };
  const doc = new Document(
    {
      AWSTemplateFormatVersion: '2010-09-09',
      Transform: 'AWS::Serverless-2016-10-31',
      Description: `${service}: functions proposed by serverless-advisor`,
      ...(queues.size ? { Parameters: parameters } : {}),
      Globals: { Function: { Runtime: LAMBDA_RUNTIME, Architectures: ['arm64'] } },
      Resources: resources,
    },
    YAML_1_1,
  );
  const res = doc.get('Resources');
  if (isMap(res)) {
    for (const [i, p] of plans.entries()) {
      const pair = res.items[i]!;
      if (isScalar(pair.key)) pair.key.commentBefore = comment(p.comments);
      const evs = isMap(pair.value) ? pair.value.getIn(['Properties', 'Events']) : undefined;
      if (isMap(evs)) evs.items.forEach((item, j) => isScalar(item.key) && noteOn(item.key, p.events[j]!));
    }
    if (!plans.length) {
      const pair = res.items[0]!;
      if (isScalar(pair.key))
        pair.key.commentBefore = comment(['no function: a placeholder, since a stack needs a resource']);
    }
  }
  const params = doc.get('Parameters');
  if (isMap(params) && isScalar(params.items[0]?.key))
    params.items[0].key.commentBefore = comment(['the queues the functions consume: give each its SQS queue ARN']);
  return doc;
}

/** An event's note, above it; narrower, since it sits four levels in. */
function noteOn(node: YamlNode, e: EventPlan): void {
  if (e.note) node.commentBefore = comment([e.note], 96);
}

// --- Comments -----------------------------------------------------------------------------------------------------

function headerLines(
  report: Report,
  format: IacFormat,
  plans: readonly FunctionPlan[],
  skipped: Scaffold['skipped'],
  options: ScaffoldOptions,
): string[] {
  const root = options.rootLabel ?? report.root;
  const lines = [
    `${IAC_FILES[format]} ${SKELETON_MARK} ${report.tool.version} from the analysis of ${root} — ` +
      'review before deploying.',
  ];
  const scheduled = plans.filter((p) => p.component.classification?.target === 'baas').length;
  const faas = plans.length - scheduled;
  const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
  lines.push(
    plans.length
      ? scheduled
        ? `${count(plans.length, 'function')}: ` +
          (faas ? `${faas} for the component${faas === 1 ? '' : 's'} classified faas and ` : '') +
          `${scheduled} for the scheduled job${scheduled === 1 ? '' : 's'} classified baas (the managed scheduler ` +
          'is the service; it triggers the job body as a function).'
        : `${count(plans.length, 'function')}, one per component classified faas.`
      : 'No component is classified faas: there is nothing to deploy as a function.',
  );
  if (plans.length) {
    lines.push(
      format === 'serverless'
        ? 'Handlers name the source files (path.export): Serverless Framework v4 builds TypeScript and JavaScript ' +
            'handlers with its built-in esbuild; on v3, add the serverless-esbuild plugin, which reads the same paths.'
        : 'sam build bundles each function from its source file with esbuild (Metadata.BuildMethod): esbuild must be a ' +
            'devDependency of the project.',
      'Routes, queue processors and jobs are not Lambda handlers yet: export the handler each function names (for ' +
        'an HTTP framework, through an adapter such as serverless-http, @fastify/aws-lambda or hono/aws-lambda).',
      `Runtime ${LAMBDA_RUNTIME} on arm64 (cheaper per GB-second), unless a function's native modules need x86_64. ` +
        'Memory and timeout come from the usage profile (serverless-advisor.yaml).',
      'Not generated: IAM permissions for the services the code uses, VPC access, environment variables, secrets.',
    );
  }
  if ((options.codeDir ?? '.') !== '.')
    lines.push(
      format === 'serverless'
        ? `Handler paths are relative to ${root}: move this file there (Serverless packages the folder it is in).`
        : `Handler paths are relative to ${root}, which CodeUri points at.`,
    );
  const byId = new Map(report.components.map((c) => [c.id, c]));
  const left = skipped.map((s) => byId.get(s.id)!);
  const edge = left.filter((c) => c.classification?.target === 'edge');
  if (edge.length) {
    const shown = edge.slice(0, 10).map((c) => `${c.name} (${c.location.file}:${c.location.line})`);
    lines.push(
      `Edge candidates, not in this template: ${shown.join(', ')}${edge.length > 10 ? `, and ${edge.length - 10} more` : ''}.`,
    );
  }
  const others = new Map<string, number>();
  for (const c of left) {
    const target = c.classification?.target;
    if (target === 'edge') continue;
    const k = target ?? 'unclassified';
    others.set(k, (others.get(k) ?? 0) + 1);
  }
  if (others.size)
    lines.push(
      `Also not in this template: ${[...others].map(([k, n]) => `${n} classified ${k}`).join(', ')} (the report ` +
        'says why for each).',
    );
  return lines;
}

/**
 * A finding's message for one comment entry: its first sentence when that says enough, else the message cut at a
 * word (labels' firstSentence also stops at a colon, which cuts messages like "native code (...); basis: ...").
 */
function brief(message: string, max = 200): string {
  const text = message.replace(/\s+/g, ' ').trim();
  const end = text.indexOf('. ');
  const first = end >= 40 ? text.slice(0, end + 1) : text;
  if (first.length <= max) return first;
  const cut = first.lastIndexOf(' ', max - 1);
  return `${first.slice(0, cut > max / 2 ? cut : max - 1)}…`;
}

/**
 * Comment text for the yaml package: one `# ` line per line, long lines wrapped. Line breaks inside a line (a route
 * path can hold one) become spaces, U+2028 and U+2029 too, which YAML 1.1 readers take for line breaks.
 */
function comment(lines: readonly string[], width = 110): string {
  return lines
    .flatMap((l) => wrap(l.replace(/[\r\n\u0085\u2028\u2029]+/g, ' '), width))
    .map((l) => ` ${l}`)
    .join('\n');
}

function wrap(line: string, width: number): string[] {
  // Continuation lines are indented under the line they continue.
  const indent = `${/^\s*/.exec(line)![0]}  `;
  const out: string[] = [];
  let rest = line;
  while (rest.length > width) {
    let cut = rest.lastIndexOf(' ', width);
    if (cut <= indent.length) cut = rest.indexOf(' ', width);
    if (cut < 0) break;
    out.push(rest.slice(0, cut));
    rest = indent + rest.slice(cut + 1).trimStart();
  }
  out.push(rest);
  return out;
}
