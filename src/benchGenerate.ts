// Generates the large, realistic project the benchmark analyses: an Express API split into domain modules (routers
// mounted under prefixes, controllers, services with module-level caches, repositories on a pg pool), bullmq workers,
// node-cron jobs, utilities and a lot of plain business logic, in TypeScript and in JavaScript (CommonJS and ES
// modules). Everything is drawn from a seeded PRNG, so a seed always gives the same files, byte for byte.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface GenerateOptions {
  /** Number of source files to write (the project also gets a package.json and a tsconfig.json). */
  files?: number;
  seed?: number;
}

export interface GeneratedProject {
  root: string;
  /** Root-relative paths of the source files, sorted. */
  files: string[];
  lines: number;
  bytes: number;
  byExtension: Record<string, number>;
  /** sha1 over every path and text: equal for equal seeds. */
  hash: string;
}

export const DEFAULT_FILES = 2000;
export const DEFAULT_SEED = 20250101;

/** mulberry32: tiny, fast, and the same sequence on every platform. */
class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  sample<T>(items: readonly T[], n: number): T[] {
    const copy = [...items];
    const out: T[] = [];
    while (out.length < n && copy.length) out.push(copy.splice(Math.floor(this.next() * copy.length), 1)[0]!);
    return out;
  }
}

type Style = 'ts' | 'cjs' | 'esm';

const extOf = (style: Style): string => (style === 'ts' ? '.ts' : '.js');
const pascal = (s: string): string => s.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
const camel = (s: string): string => {
  const p = pascal(s);
  return p[0]!.toLowerCase() + p.slice(1);
};
const plural = (s: string): string =>
  /[^aeiou]y$/.test(s) ? `${s.slice(0, -1)}ies` : /(s|x|ch|sh)$/.test(s) ? `${s}es` : `${s}s`;
const snake = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace(/-/g, '_');

/** One source file being written, in one of the three module styles. */
class Mod {
  private readonly imports: string[] = [];
  private readonly body: string[] = [];
  private readonly exported: string[] = [];
  private defaultExport: string | undefined;

  constructor(readonly style: Style) {}

  get ts(): boolean {
    return this.style === 'ts';
  }
  /** The text only in TypeScript: annotations, generics, `implements`. */
  t(text: string): string {
    return this.ts ? text : '';
  }
  named(names: string[], from: string): void {
    if (this.style === 'cjs') this.imports.push(`const { ${names.join(', ')} } = require('${from}');`);
    else this.imports.push(`import { ${names.join(', ')} } from '${from}';`);
  }
  def(name: string, from: string): void {
    if (this.style === 'cjs') this.imports.push(`const ${name} = require('${from}');`);
    else this.imports.push(`import ${name} from '${from}';`);
  }
  ns(name: string, from: string): void {
    if (this.style === 'cjs') this.imports.push(`const ${name} = require('${from}');`);
    else this.imports.push(`import * as ${name} from '${from}';`);
  }
  types(names: string[], from: string): void {
    if (this.ts) this.imports.push(`import type { ${names.join(', ')} } from '${from}';`);
  }
  /** `export <decl>` in modules, the bare declaration plus a `module.exports` entry in CommonJS. */
  exp(name: string, decl: string): string {
    if (this.style === 'cjs') {
      this.exported.push(name);
      return decl;
    }
    return `export ${decl}`;
  }
  expDefault(expr: string): void {
    this.defaultExport = expr;
  }
  add(...lines: string[]): void {
    for (const l of lines) this.body.push(...l.split('\n'));
  }
  blank(): void {
    this.body.push('');
  }
  text(): string {
    const out = [...this.imports];
    if (out.length) out.push('');
    out.push(...this.body);
    while (out.length && out[out.length - 1] === '') out.pop();
    if (this.defaultExport !== undefined) {
      out.push(
        '',
        this.style === 'cjs' ? `module.exports = ${this.defaultExport};` : `export default ${this.defaultExport};`,
      );
    } else if (this.exported.length) {
      out.push('', `module.exports = { ${this.exported.join(', ')} };`);
    }
    return out.join('\n') + '\n';
  }
}

const DOMAINS = [
  'order',
  'invoice',
  'customer',
  'product',
  'cart',
  'payment',
  'shipment',
  'supplier',
  'warehouse',
  'refund',
  'coupon',
  'review',
  'rating',
  'wishlist',
  'notification',
  'subscription',
  'plan',
  'account',
  'team',
  'role',
  'permission',
  'audit',
  'report',
  'campaign',
  'lead',
  'contact',
  'ticket',
  'comment',
  'attachment',
  'document',
  'template',
  'setting',
  'region',
  'discount',
  'bundle',
  'tag',
  'brand',
  'seller',
  'contract',
  'quote',
  'driver',
  'vehicle',
  'booking',
  'event',
  'venue',
  'survey',
  'question',
  'course',
  'lesson',
  'student',
  'grade',
  'badge',
  'reward',
  'voucher',
  'merchant',
  'store',
  'basket',
  'promotion',
  'banner',
  'article',
  'author',
  'channel',
  'message',
  'thread',
  'playlist',
  'track',
  'album',
  'device',
  'sensor',
  'alert',
  'incident',
  'asset',
  'license',
  'workspace',
  'project',
  'milestone',
  'task',
  'sprint',
  'label',
  'webhook',
  'integration',
  'partner',
] as const;

const SUBRESOURCES = [
  'item',
  'note',
  'line',
  'entry',
  'version',
  'member',
  'attachment-ref',
  'history',
  'step',
  'link',
];
const ACTIONS = [
  'approve',
  'archive',
  'recalculate',
  'publish',
  'restore',
  'lock',
  'unlock',
  'verify',
  'close',
  'reopen',
];
const CONCEPTS = [
  'pricing',
  'scoring',
  'eligibility',
  'ranking',
  'forecast',
  'reconciliation',
  'allocation',
  'tiering',
  'rounding',
  'normalization',
  'aggregation',
  'deduplication',
  'rollup',
  'matching',
  'planning',
  'quota',
  'policy',
  'workflow',
  'ledger',
  'sampling',
  'bucketing',
  'weighting',
  'throttling',
  'routing',
  'grouping',
  'projection',
  'retention',
  'settlement',
  'validation-rules',
  'status-machine',
  'scheduling-window',
  'fee',
  'commission',
  'threshold',
];
const LOGIC_SUFFIXES = ['engine', 'calculator', 'rules', 'model', 'helpers', 'strategy', 'table', 'machine'];

interface Field {
  name: string;
  type: 'string' | 'number' | 'boolean' | 'Date';
}
const FIELD_POOL: Field[] = [
  { name: 'title', type: 'string' },
  { name: 'description', type: 'string' },
  { name: 'status', type: 'string' },
  { name: 'amount', type: 'number' },
  { name: 'quantity', type: 'number' },
  { name: 'currency', type: 'string' },
  { name: 'priority', type: 'number' },
  { name: 'isActive', type: 'boolean' },
  { name: 'ownerId', type: 'string' },
  { name: 'externalRef', type: 'string' },
  { name: 'score', type: 'number' },
  { name: 'weight', type: 'number' },
  { name: 'dueAt', type: 'Date' },
  { name: 'closedAt', type: 'Date' },
  { name: 'isArchived', type: 'boolean' },
  { name: 'category', type: 'string' },
  { name: 'region', type: 'string' },
  { name: 'discountRate', type: 'number' },
  { name: 'note', type: 'string' },
  { name: 'version', type: 'number' },
];

interface Domain {
  one: string;
  many: string;
  Type: string;
  style: Style;
  fields: Field[];
  actions: string[];
  sub?: string;
  group: 'v1' | 'admin' | 'internal';
  worker: boolean;
  job?: string;
  cacheKind: 'map' | 'object' | 'none';
  logic: string[];
}

const CRONS = ['0 3 * * *', '*/15 * * * *', '0 * * * *', '30 2 * * 1', '0 6 1 * *', '*/5 * * * *', '45 23 * * *'];

/** Plain code for a function body: loops, branches, reductions, over the named input. */
function bodySnippet(rng: Rng, m: Mod, input: string, ret: 'number' | 'array' | 'object'): string[] {
  const v = rng.pick(['acc', 'total', 'sum', 'result', 'score']);
  const limit = rng.int(3, 50);
  const f = rng.pick(['amount', 'weight', 'score', 'quantity', 'priority']);
  const out: string[] = [];
  switch (rng.int(0, 5)) {
    case 0:
      out.push(
        `  let ${v} = 0;`,
        `  for (let i = 0; i < ${input}.length; i++) {`,
        `    const entry = ${input}[i];`,
        `    if (!entry || entry.${f} < 0) continue;`,
        `    ${v} += entry.${f} * ${rng.int(1, 9)};`,
        `    if (${v} > ${limit * 1000}) break;`,
        `  }`,
      );
      break;
    case 1:
      out.push(
        `  const buckets${m.t(': Record<string, number>')} = {};`,
        `  for (const entry of ${input}) {`,
        `    const key = String(entry.category ?? 'other');`,
        `    buckets[key] = (buckets[key] ?? 0) + (entry.${f} ?? 0);`,
        `  }`,
        `  let ${v} = 0;`,
        `  for (const key of Object.keys(buckets)) ${v} = Math.max(${v}, buckets[key]${m.t('!')});`,
      );
      break;
    case 2:
      out.push(
        `  const sorted = [...${input}].sort((a, b) => b.${f} - a.${f});`,
        `  const top = sorted.slice(0, ${limit});`,
        `  let ${v} = top.reduce((n, entry) => n + entry.${f}, 0);`,
        `  if (top.length > 0) ${v} = ${v} / top.length;`,
      );
      break;
    case 3:
      out.push(
        `  let ${v} = 0;`,
        `  for (const entry of ${input}) {`,
        `    switch (entry.status) {`,
        `      case 'open':`,
        `        ${v} += entry.${f};`,
        `        break;`,
        `      case 'pending':`,
        `        ${v} += entry.${f} / 2;`,
        `        break;`,
        `      case 'closed':`,
        `        break;`,
        `      default:`,
        `        ${v} -= ${rng.int(1, 5)};`,
        `    }`,
        `  }`,
      );
      break;
    case 4:
      out.push(
        `  const seen = new Set${m.t('<string>')}();`,
        `  let ${v} = 0;`,
        `  let index = 0;`,
        `  while (index < ${input}.length && seen.size < ${limit}) {`,
        `    const entry = ${input}[index++];`,
        `    if (seen.has(entry.id)) continue;`,
        `    seen.add(entry.id);`,
        `    ${v} += Math.round(entry.${f} * ${(rng.int(10, 99) / 100).toFixed(2)});`,
        `  }`,
      );
      break;
    default:
      out.push(
        `  let ${v} = 0;`,
        `  try {`,
        `    const active = ${input}.filter((entry) => entry.isActive !== false);`,
        `    ${v} = active.length ? active.map((entry) => entry.${f}).reduce((a, b) => a + b) / active.length : 0;`,
        `  } catch (err) {`,
        `    ${v} = -1;`,
        `  }`,
      );
  }
  if (ret === 'number') out.push(`  return Number(${v}.toFixed(${rng.int(0, 4)}));`);
  else if (ret === 'array') out.push(`  return ${input}.filter((entry) => entry.${f} >= ${v} / ${rng.int(2, 9)});`);
  else out.push(`  return { value: ${v}, count: ${input}.length, at: ${rng.int(1, 1000)} };`);
  return out;
}

const ENTRY_TYPE = 'Entry';
const entryInterface = (m: Mod): string[] =>
  m.ts
    ? [
        `interface ${ENTRY_TYPE} {`,
        '  id: string;',
        '  status: string;',
        '  category?: string;',
        '  isActive?: boolean;',
        '  amount: number;',
        '  weight: number;',
        '  score: number;',
        '  quantity: number;',
        '  priority: number;',
        '}',
        '',
      ]
    : [];

/** A business-logic file: one of a few shapes (engine class, function module, rule table, state machine). */
function logicFile(rng: Rng, style: Style, d: Domain, name: string): string {
  const m = new Mod(style);
  const E = ENTRY_TYPE;
  const base = camel(name.replace(/\.(engine|calculator|rules|model|helpers|strategy|table|machine)$/, ''));
  const Base = pascal(base);
  const shape = rng.int(0, 3);
  if (rng.chance(0.3)) m.named([rng.pick(['clamp', 'roundTo', 'sumBy', 'groupBy'])], '../../../utils/numbers');
  m.add(...entryInterface(m));
  if (shape === 0) {
    const cls = `${d.Type}${Base}Engine`;
    m.add(
      m.exp(cls, `class ${cls} {`),
      `  ${m.t('private readonly ')}threshold${m.t(': number')}${m.ts ? ';' : ' = 0;'}`,
      `  ${m.t('private ')}history${m.t(`: number[]`)} = [];`,
      '',
      `  constructor(threshold${m.t(': number')} = ${rng.int(1, 100)}) {`,
      '    this.threshold = threshold;',
      '  }',
    );
    const methods = rng.int(2, 5);
    for (let i = 0; i < methods; i++) {
      const ret = rng.pick(['number', 'array', 'object'] as const);
      const rt =
        ret === 'number' ? 'number' : ret === 'array' ? `${E}[]` : '{ value: number; count: number; at: number }';
      m.add(
        '',
        `  ${rng.pick(['compute', 'evaluate', 'measure', 'estimate', 'derive'])}${pascal(rng.pick(CONCEPTS))}${i}(entries${m.t(`: ${E}[]`)})${m.t(`: ${rt}`)} {`,
        ...bodySnippet(rng, m, 'entries', ret).map((l) => '  ' + l),
        '  }',
      );
    }
    m.add(
      '',
      `  record(value${m.t(': number')})${m.t(': void')} {`,
      '    this.history.push(value);',
      `    if (this.history.length > ${rng.int(10, 200)}) this.history.shift();`,
      '  }',
      '',
      `  get average()${m.t(': number')} {`,
      '    return this.history.length ? this.history.reduce((a, b) => a + b, 0) / this.history.length : 0;',
      '  }',
      '}',
    );
  } else if (shape === 1) {
    const fns = rng.int(2, 5);
    for (let i = 0; i < fns; i++) {
      const ret = rng.pick(['number', 'array', 'object'] as const);
      const rt =
        ret === 'number' ? 'number' : ret === 'array' ? `${E}[]` : '{ value: number; count: number; at: number }';
      const fn = `${rng.pick(['calculate', 'apply', 'resolve', 'select', 'summarize'])}${d.Type}${Base}${i}`;
      m.add(
        m.exp(fn, `function ${fn}(entries${m.t(`: ${E}[]`)})${m.t(`: ${rt}`)} {`),
        ...bodySnippet(rng, m, 'entries', ret),
        '}',
        '',
      );
    }
  } else if (shape === 2) {
    const rules = rng.int(5, 14);
    const R = `${d.Type}${Base}Rule`;
    if (m.ts)
      m.add(
        `interface ${R} {`,
        '  code: string;',
        '  weight: number;',
        `  applies: (entry: ${E}) => boolean;`,
        '}',
        '',
      );
    m.add(`const RULES${m.t(`: ${R}[]`)} = [`);
    for (let i = 0; i < rules; i++) {
      const f = rng.pick(['amount', 'weight', 'score', 'quantity', 'priority']);
      m.add(
        `  { code: '${snake(base)}_${i}', weight: ${rng.int(1, 20)}, applies: (entry) => entry.${f} ${rng.pick(['>', '<', '>=', '<='])} ${rng.int(0, 500)} },`,
      );
    }
    m.add(
      '];',
      '',
      m.exp(
        `evaluate${Base}`,
        `function evaluate${Base}(entry${m.t(`: ${E}`)})${m.t(': { score: number; matched: string[] }')} {`,
      ),
      '  let score = 0;',
      `  const matched${m.t(': string[]')} = [];`,
      '  for (const rule of RULES) {',
      '    if (!rule.applies(entry)) continue;',
      '    score += rule.weight;',
      '    matched.push(rule.code);',
      '  }',
      '  return { score, matched };',
      '}',
      '',
      m.exp(`rank${Base}`, `function rank${Base}(entries${m.t(`: ${E}[]`)})${m.t(`: ${E}[]`)} {`),
      '  return [...entries].sort((a, b) => evaluate' + Base + '(b).score - evaluate' + Base + '(a).score);',
      '}',
    );
  } else {
    const states = rng.sample(
      ['draft', 'open', 'pending', 'active', 'paused', 'review', 'done', 'failed', 'closed'],
      rng.int(4, 7),
    );
    const S = `${d.Type}${Base}State`;
    if (m.ts) m.add(`${m.exp(S, `type ${S} = ${states.map((s) => `'${s}'`).join(' | ')};`)}`, '');
    m.add(`const TRANSITIONS${m.t(`: Record<${S}, ${S}[]>`)} = {`);
    for (const s of states)
      m.add(
        `  ${s}: [${rng
          .sample(states, rng.int(1, 3))
          .map((x) => `'${x}'`)
          .join(', ')}],`,
      );
    m.add(
      '};',
      '',
      m.exp(`can${Base}Move`, `function can${Base}Move(from${m.t(`: ${S}`)}, to${m.t(`: ${S}`)})${m.t(': boolean')} {`),
      '  return TRANSITIONS[from].includes(to);',
      '}',
      '',
      m.exp(
        `next${Base}State`,
        `function next${Base}State(current${m.t(`: ${S}`)}, event${m.t(': string')})${m.t(`: ${S}`)} {`,
      ),
      '  switch (event) {',
    );
    for (const s of states)
      m.add(
        `    case '${rng.pick(ACTIONS)}-${s}':`,
        `      return can${Base}Move(current, '${s}') ? '${s}' : current;`,
      );
    m.add('    default:', '      return current;', '  }', '}');
    const extra = rng.int(1, 4);
    for (let i = 0; i < extra; i++) {
      const fn = `summarize${Base}${i}`;
      m.add(
        '',
        m.exp(fn, `function ${fn}(entries${m.t(`: ${E}[]`)})${m.t(': number')} {`),
        ...bodySnippet(rng, m, 'entries', 'number'),
        '}',
      );
    }
  }
  return m.text();
}

function typesFile(rng: Rng, d: Domain): string {
  const m = new Mod('ts');
  const statuses = rng.sample(['draft', 'open', 'pending', 'active', 'closed', 'archived', 'failed'], rng.int(3, 6));
  m.add(
    m.exp(`${d.Type}Status`, `type ${d.Type}Status = ${statuses.map((s) => `'${s}'`).join(' | ')};`),
    '',
    m.exp(d.Type, `interface ${d.Type} {`),
    '  id: string;',
    ...d.fields.map((f) => `  ${f.name}${f.type === 'Date' ? '?' : ''}: ${f.type};`),
    '  createdAt: Date;',
    '  updatedAt: Date;',
    '}',
    '',
    m.exp(`${d.Type}Input`, `type ${d.Type}Input = Omit<${d.Type}, 'id' | 'createdAt' | 'updatedAt'>;`),
    '',
    m.exp(`${d.Type}Dto`, `interface ${d.Type}Dto {`),
    '  id: string;',
    ...d.fields.map((f) => `  ${f.name}${f.type === 'Date' ? '?' : ''}: ${f.type === 'Date' ? 'string' : f.type};`),
    '  createdAt: string;',
    '}',
    '',
    m.exp('ListOptions', 'interface ListOptions {'),
    '  page: number;',
    '  limit: number;',
    `  status?: ${d.Type}Status;`,
    '}',
    '',
    m.exp(`${d.Type}Event`, `type ${d.Type}Event =`),
    `  | { kind: 'created'; id: string }`,
    `  | { kind: 'updated'; id: string; changes: Partial<${d.Type}Input> }`,
    ...d.actions.map((a) => `  | { kind: '${a}d'; id: string; at: Date }`),
    `  | { kind: 'deleted'; id: string };`,
  );
  return m.text();
}

function constantsFile(rng: Rng, d: Domain): string {
  const m = new Mod(d.style);
  const statuses = rng.sample(['draft', 'open', 'pending', 'active', 'closed', 'archived', 'failed'], rng.int(3, 6));
  m.add(
    m.exp(
      `${snake(d.one).toUpperCase()}_STATUSES`,
      `const ${snake(d.one).toUpperCase()}_STATUSES = Object.freeze([${statuses.map((s) => `'${s}'`).join(', ')}]);`,
    ),
    '',
    '/**',
    ` * @typedef {Object} ${d.Type}`,
    ' * @property {string} id',
    ...d.fields.map((f) => ` * @property {${f.type}} ${f.type === 'Date' ? `[${f.name}]` : f.name}`),
    ' */',
    '',
    m.exp('DEFAULT_PAGE_SIZE', `const DEFAULT_PAGE_SIZE = ${rng.pick([10, 20, 25, 50])};`),
    m.exp('MAX_PAGE_SIZE', `const MAX_PAGE_SIZE = ${rng.pick([100, 200, 500])};`),
  );
  return m.text();
}

function validationFile(d: Domain): string {
  const m = new Mod(d.style);
  m.named(['HttpError'], '../../utils/httpError');
  m.types([`${d.Type}Input`], `./${d.many}.types`);
  m.add(
    m.exp(
      `validate${d.Type}Input`,
      `function validate${d.Type}Input(body${m.t(': unknown')})${m.t(`: ${d.Type}Input`)} {`,
    ),
  );
  m.add("  if (!body || typeof body !== 'object') throw new HttpError(400, 'expected a JSON object');");
  m.add(`  const input = body${m.t(' as Record<string, unknown>')};`);
  m.add(`  const errors${m.t(': string[]')} = [];`);
  for (const f of d.fields) {
    if (f.type === 'Date') {
      m.add(
        `  if (input.${f.name} !== undefined && Number.isNaN(Date.parse(String(input.${f.name})))) errors.push('${f.name} must be a date');`,
      );
    } else {
      m.add(`  if (typeof input.${f.name} !== '${f.type}') errors.push('${f.name} must be a ${f.type}');`);
    }
    if (f.type === 'number')
      m.add(`  else if ((input.${f.name}${m.t(' as number')}) < 0) errors.push('${f.name} must not be negative');`);
    if (f.type === 'string')
      m.add(`  else if ((input.${f.name}${m.t(' as string')}).length > 500) errors.push('${f.name} is too long');`);
  }
  m.add("  if (errors.length) throw new HttpError(422, errors.join('; '));");
  m.add(`  return {`);
  for (const f of d.fields) {
    m.add(
      f.type === 'Date'
        ? `    ${f.name}: input.${f.name} === undefined ? undefined : new Date(String(input.${f.name})),`
        : `    ${f.name}: input.${f.name}${m.t(` as ${f.type}`)},`,
    );
  }
  m.add('  };', '}');
  return m.text();
}

function mapperFile(d: Domain): string {
  const m = new Mod(d.style);
  m.types([d.Type, `${d.Type}Dto`], `./${d.many}.types`);
  m.add(
    m.exp(`to${d.Type}Dto`, `function to${d.Type}Dto(entity${m.t(`: ${d.Type}`)})${m.t(`: ${d.Type}Dto`)} {`),
    '  return {',
    '    id: entity.id,',
  );
  for (const f of d.fields) m.add(`    ${f.name}: entity.${f.name}${f.type === 'Date' ? '?.toISOString()' : ''},`);
  m.add('    createdAt: entity.createdAt.toISOString(),', '  };', '}', '');
  m.add(
    m.exp(
      `from${d.Type}Row`,
      `function from${d.Type}Row(row${m.t(': Record<string, unknown>')})${m.t(`: ${d.Type}`)} {`,
    ),
    '  return {',
    '    id: String(row.id),',
  );
  for (const f of d.fields) {
    const col = `row.${snake(f.name)}`;
    const conv =
      f.type === 'string'
        ? `String(${col} ?? '')`
        : f.type === 'number'
          ? `Number(${col} ?? 0)`
          : f.type === 'boolean'
            ? `Boolean(${col})`
            : `${col} ? new Date(String(${col})) : undefined`;
    m.add(`    ${f.name}: ${conv},`);
  }
  m.add(
    '    createdAt: new Date(String(row.created_at)),',
    '    updatedAt: new Date(String(row.updated_at)),',
    '  };',
    '}',
  );
  return m.text();
}

function repositoryFile(d: Domain): string {
  const m = new Mod(d.style);
  m.named(['pool'], '../../db/pool');
  m.named([`from${d.Type}Row`], `./${d.many}.mapper`);
  m.types([d.Type, `${d.Type}Input`], `./${d.many}.types`);
  const cols = d.fields.map((f) => snake(f.name));
  const cls = `${d.Type}Repository`;
  m.add(
    `const TABLE = '${snake(d.many)}';`,
    '',
    m.exp(cls, `class ${cls} {`),
    `  async findMany(limit${m.t(': number')}, offset${m.t(': number')})${m.t(`: Promise<${d.Type}[]>`)} {`,
    '    const { rows } = await pool.query(`SELECT * FROM ${TABLE} ORDER BY created_at DESC LIMIT $1 OFFSET $2`, [limit, offset]);',
    `    return rows.map(from${d.Type}Row);`,
    '  }',
    '',
    `  async findById(id${m.t(': string')})${m.t(`: Promise<${d.Type} | undefined>`)} {`,
    '    const { rows } = await pool.query(`SELECT * FROM ${TABLE} WHERE id = $1`, [id]);',
    `    return rows[0] ? from${d.Type}Row(rows[0]) : undefined;`,
    '  }',
    '',
    `  async insert(input${m.t(`: ${d.Type}Input`)})${m.t(`: Promise<${d.Type}>`)} {`,
    '    const { rows } = await pool.query(',
    `      \`INSERT INTO \${TABLE} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING *\`,`,
    `      [${d.fields.map((f) => `input.${f.name}`).join(', ')}],`,
    '    );',
    `    return from${d.Type}Row(rows[0]);`,
    '  }',
    '',
    `  async update(id${m.t(': string')}, input${m.t(`: Partial<${d.Type}Input>`)})${m.t(`: Promise<${d.Type} | undefined>`)} {`,
    `    const sets${m.t(': string[]')} = [];`,
    `    const values${m.t(': unknown[]')} = [];`,
    '    for (const [key, value] of Object.entries(input)) {',
    '      values.push(value);',
    "      sets.push(`${key.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())} = $${values.length}`);",
    '    }',
    '    if (!sets.length) return this.findById(id);',
    '    values.push(id);',
    "    const { rows } = await pool.query(`UPDATE ${TABLE} SET ${sets.join(', ')}, updated_at = now() WHERE id = $${values.length} RETURNING *`, values);",
    `    return rows[0] ? from${d.Type}Row(rows[0]) : undefined;`,
    '  }',
    '',
    `  async remove(id${m.t(': string')})${m.t(': Promise<boolean>')} {`,
    '    const result = await pool.query(`DELETE FROM ${TABLE} WHERE id = $1`, [id]);',
    '    return (result.rowCount ?? 0) > 0;',
    '  }',
    '',
    `  async countByStatus()${m.t(': Promise<Record<string, number>>')} {`,
    '    const { rows } = await pool.query(`SELECT status, count(*)::int AS n FROM ${TABLE} GROUP BY status`);',
    `    const out${m.t(': Record<string, number>')} = {};`,
    '    for (const row of rows) out[String(row.status)] = Number(row.n);',
    '    return out;',
    '  }',
    '}',
  );
  return m.text();
}

function serviceFile(rng: Rng, d: Domain): string {
  const m = new Mod(d.style);
  const repo = `${d.Type}Repository`;
  m.named([repo], `./${d.many}.repository`);
  m.types([d.Type, `${d.Type}Input`, 'ListOptions'], `./${d.many}.types`);
  m.named(['logger'], '../../utils/logger');
  if (d.worker) m.named(['publish'], '../../queues/producer');
  const logicImports = d.logic.slice(0, 2);
  m.add(`const TTL_MS = ${rng.pick([30, 60, 300, 900])} * 1000;`);
  if (d.cacheKind === 'map') m.add(`const cache = new Map${m.t(`<string, { value: ${d.Type}; at: number }>`)}();`);
  else if (d.cacheKind === 'object')
    m.add(`const cache${m.t(`: Record<string, { value: ${d.Type}; at: number }>`)} = {};`);
  const counting = rng.chance(0.3);
  if (counting) m.add('let requestsServed = 0;');
  m.blank();
  const cls = `${d.Type}Service`;
  m.add(m.exp(cls, `class ${cls} {`));
  if (m.ts) m.add(`  constructor(private readonly repo: ${repo} = new ${repo}()) {}`);
  else m.add(`  constructor(repo = new ${repo}()) {`, '    this.repo = repo;', '  }');
  const cacheGet = d.cacheKind === 'map' ? 'cache.get(id)' : d.cacheKind === 'object' ? 'cache[id]' : 'undefined';
  const cacheSet =
    d.cacheKind === 'map'
      ? 'cache.set(id, { value: found, at: Date.now() });'
      : d.cacheKind === 'object'
        ? 'cache[id] = { value: found, at: Date.now() };'
        : '';
  const cacheDel = d.cacheKind === 'map' ? 'cache.delete(id);' : d.cacheKind === 'object' ? 'delete cache[id];' : '';
  m.add(
    '',
    `  async list(options${m.t(': ListOptions')})${m.t(`: Promise<${d.Type}[]>`)} {`,
    ...(counting ? ['    requestsServed++;'] : []),
    '    const offset = (options.page - 1) * options.limit;',
    '    const items = await this.repo.findMany(options.limit, offset);',
    '    return options.status ? items.filter((item) => item.status === options.status) : items;',
    '  }',
    '',
    `  async get(id${m.t(': string')})${m.t(`: Promise<${d.Type} | undefined>`)} {`,
  );
  if (d.cacheKind !== 'none')
    m.add(`    const hit = ${cacheGet};`, '    if (hit && Date.now() - hit.at < TTL_MS) return hit.value;');
  m.add('    const found = await this.repo.findById(id);');
  if (cacheSet) m.add(`    if (found) ${cacheSet}`);
  m.add(
    '    return found;',
    '  }',
    '',
    `  async create(input${m.t(`: ${d.Type}Input`)})${m.t(`: Promise<${d.Type}>`)} {`,
    '    const created = await this.repo.insert(input);',
    `    logger.info({ id: created.id }, '${d.one} created');`,
    ...(d.worker ? [`    await publish('${d.many}-events', 'created', { id: created.id });`] : []),
    '    return created;',
    '  }',
    '',
    `  async update(id${m.t(': string')}, input${m.t(`: Partial<${d.Type}Input>`)})${m.t(`: Promise<${d.Type} | undefined>`)} {`,
    ...(cacheDel ? [`    ${cacheDel}`] : []),
    '    return this.repo.update(id, input);',
    '  }',
    '',
    `  async remove(id${m.t(': string')})${m.t(': Promise<boolean>')} {`,
    ...(cacheDel ? [`    ${cacheDel}`] : []),
    '    return this.repo.remove(id);',
    '  }',
  );
  for (const a of d.actions) {
    m.add(
      '',
      `  async ${a}(id${m.t(': string')})${m.t(`: Promise<${d.Type} | undefined>`)} {`,
      '    const current = await this.get(id);',
      '    if (!current) return undefined;',
      `    const changes${m.t(`: Partial<${d.Type}Input>`)} = { status: '${a}d' };`,
      ...(d.worker ? [`    await publish('${d.many}-events', '${a}', { id });`] : []),
      '    return this.update(id, changes);',
      '  }',
    );
  }
  m.add(
    '',
    `  async statistics()${m.t(': Promise<{ total: number; byStatus: Record<string, number> }>')} {`,
    '    const byStatus = await this.repo.countByStatus();',
    '    let total = 0;',
    '    for (const n of Object.values(byStatus)) total += n;',
    '    return { total, byStatus };',
    '  }',
    '}',
  );
  // Logic modules are imported for the side of realism (a service leans on its domain rules), used in a helper.
  if (logicImports.length) {
    const names = logicImports.map((l, i) => `${camel(l.replace(/\./g, '-'))}${i}`);
    logicImports.forEach((l, i) => m.ns(names[i]!, `./logic/${l}`));
    m.add('', m.exp(`${camel(d.one)}Rules`, `const ${camel(d.one)}Rules = { ${names.join(', ')} };`));
  }
  return m.text();
}

function controllerFile(d: Domain): string {
  const m = new Mod(d.style);
  if (m.ts) m.types(['Request', 'Response'], 'express');
  m.named([`${d.Type}Service`], `./${d.many}.service`);
  m.named([`validate${d.Type}Input`], `./${d.many}.validation`);
  m.named([`to${d.Type}Dto`], `./${d.many}.mapper`);
  m.named(['HttpError'], '../../utils/httpError');
  const id = `${camel(d.one)}Id`;
  const rq = m.t(': Request');
  const rs = m.t(': Response');
  const pv = m.t(': Promise<void>');
  m.add(`const service = new ${d.Type}Service();`, '');
  m.add(
    m.exp(`list${d.Type}s`, `async function list${d.Type}s(req${rq}, res${rs})${pv} {`),
    '  const page = Math.max(1, Number(req.query.page ?? 1));',
    '  const limit = Math.min(Number(req.query.limit ?? 20), 100);',
    `  const status = typeof req.query.status === 'string' ? req.query.status${m.t(' as never')} : undefined;`,
    '  const items = await service.list({ page, limit, status });',
    `  res.json({ items: items.map(to${d.Type}Dto), page, limit });`,
    '}',
    '',
    m.exp(`get${d.Type}`, `async function get${d.Type}(req${rq}, res${rs})${pv} {`),
    `  const item = await service.get(req.params.${id});`,
    `  if (!item) throw new HttpError(404, '${d.one} not found');`,
    `  res.json(to${d.Type}Dto(item));`,
    '}',
    '',
    m.exp(`create${d.Type}`, `async function create${d.Type}(req${rq}, res${rs})${pv} {`),
    `  const input = validate${d.Type}Input(req.body);`,
    '  const created = await service.create(input);',
    `  res.status(201).json(to${d.Type}Dto(created));`,
    '}',
    '',
    m.exp(`update${d.Type}`, `async function update${d.Type}(req${rq}, res${rs})${pv} {`),
    `  const input = validate${d.Type}Input(req.body);`,
    `  const updated = await service.update(req.params.${id}, input);`,
    `  if (!updated) throw new HttpError(404, '${d.one} not found');`,
    `  res.json(to${d.Type}Dto(updated));`,
    '}',
    '',
    m.exp(`delete${d.Type}`, `async function delete${d.Type}(req${rq}, res${rs})${pv} {`),
    `  const removed = await service.remove(req.params.${id});`,
    '  res.status(removed ? 204 : 404).end();',
    '}',
  );
  for (const a of d.actions) {
    const fn = `${a}${d.Type}`;
    m.add(
      '',
      m.exp(fn, `async function ${fn}(req${rq}, res${rs})${pv} {`),
      `  const result = await service.${a}(req.params.${id});`,
      `  if (!result) throw new HttpError(404, '${d.one} not found');`,
      `  res.json(to${d.Type}Dto(result));`,
      '}',
    );
  }
  m.add(
    '',
    m.exp(`${camel(d.one)}Statistics`, `async function ${camel(d.one)}Statistics(_req${rq}, res${rs})${pv} {`),
    '  res.json(await service.statistics());',
    '}',
  );
  return m.text();
}

function routesFile(rng: Rng, d: Domain): string {
  const m = new Mod(d.style);
  const id = `:${camel(d.one)}Id`;
  const viaExpress = rng.chance(0.5);
  if (viaExpress) m.def('express', 'express');
  else m.named(['Router'], 'express');
  m.named(['asyncHandler'], '../../middleware/asyncHandler');
  m.named(['requireAuth'], '../../middleware/auth');
  m.ns('controller', `./${d.many}.controller`);
  if (d.sub) m.def(`${camel(d.sub)}Router`, `./${plural(d.sub)}.routes`);
  m.add(`const router = ${viaExpress ? 'express.Router' : 'Router'}();`, '');
  m.add(
    `router.get('/', asyncHandler(controller.list${d.Type}s));`,
    `router.get('/stats', asyncHandler(controller.${camel(d.one)}Statistics));`,
    `router.get('/${id}', asyncHandler(controller.get${d.Type}));`,
    `router.post('/', requireAuth, asyncHandler(controller.create${d.Type}));`,
    `router.put('/${id}', requireAuth, asyncHandler(controller.update${d.Type}));`,
    `router.delete('/${id}', requireAuth, asyncHandler(controller.delete${d.Type}));`,
  );
  for (const a of d.actions) m.add(`router.post('/${id}/${a}', requireAuth, asyncHandler(controller.${a}${d.Type}));`);
  if (rng.chance(0.4))
    m.add('', "// router.get('/legacy', controller.legacyList);  kept until the v0 clients are gone");
  if (d.sub) m.add('', `router.use('/${id}/${plural(d.sub)}', ${camel(d.sub)}Router);`);
  m.expDefault('router');
  return m.text();
}

function subRoutesFile(d: Domain): string {
  const sub = d.sub!;
  const m = new Mod(d.style);
  const S = pascal(sub);
  m.named(['Router'], 'express');
  m.named(['pool'], '../../db/pool');
  m.named(['asyncHandler'], '../../middleware/asyncHandler');
  const parent = `${camel(d.one)}Id`;
  m.add(
    '// Nested under the parent resource: mergeParams gives access to the parent id.',
    'const router = Router({ mergeParams: true });',
    '',
    'router.get(',
    "  '/',",
    `  asyncHandler(async (req${m.t(': any')}, res${m.t(': any')}) => {`,
    `    const { rows } = await pool.query('SELECT * FROM ${snake(d.one)}_${snake(plural(sub))} WHERE ${snake(d.one)}_id = $1', [req.params.${parent}]);`,
    '    res.json(rows);',
    '  }),',
    ');',
    '',
    'router.post(',
    "  '/',",
    `  asyncHandler(async (req${m.t(': any')}, res${m.t(': any')}) => {`,
    `    const { rows } = await pool.query('INSERT INTO ${snake(d.one)}_${snake(plural(sub))} (${snake(d.one)}_id, body) VALUES ($1, $2) RETURNING *', [req.params.${parent}, req.body]);`,
    '    res.status(201).json(rows[0]);',
    '  }),',
    ');',
    '',
    `router.delete('/:${camel(sub)}Id', asyncHandler(remove${S}));`,
    '',
    `async function remove${S}(req${m.t(': any')}, res${m.t(': any')}) {`,
    `  await pool.query('DELETE FROM ${snake(d.one)}_${snake(plural(sub))} WHERE id = $1 AND ${snake(d.one)}_id = $2', [req.params.${camel(sub)}Id, req.params.${parent}]);`,
    '  res.status(204).end();',
    '}',
  );
  m.expDefault('router');
  return m.text();
}

function workerFile(rng: Rng, d: Domain): string {
  const m = new Mod(d.style);
  m.named(['Worker'], 'bullmq');
  m.named(['connection'], '../queues/connection');
  m.named([`${d.Type}Service`], `../modules/${d.many}/${d.many}.service`);
  m.named(['logger'], '../utils/logger');
  m.add(
    `const service = new ${d.Type}Service();`,
    '',
    m.exp(
      `handle${d.Type}Job`,
      `async function handle${d.Type}Job(job${m.t(': { name: string; data: { id: string } }')})${m.t(': Promise<void>')} {`,
    ),
    '  switch (job.name) {',
    "    case 'created': {",
    '      const item = await service.get(job.data.id);',
    `      if (item) logger.info({ id: item.id }, '${d.one} indexed');`,
    '      break;',
    '    }',
  );
  for (const a of d.actions)
    m.add(`    case '${a}':`, `      logger.info({ id: job.data.id }, '${d.one} ${a}');`, '      break;');
  m.add(
    '    default:',
    `      logger.warn({ name: job.name }, 'unknown ${d.one} job');`,
    '  }',
    '}',
    '',
    m.exp(
      `${camel(d.one)}Worker`,
      `const ${camel(d.one)}Worker = new Worker('${d.many}-events', handle${d.Type}Job, { connection, concurrency: ${rng.int(1, 10)} });`,
    ),
    '',
    `${camel(d.one)}Worker.on('failed', (job, err) => logger.error({ err, id: job?.id }, '${d.one} job failed'));`,
  );
  return m.text();
}

function jobFile(rng: Rng, d: Domain, schedule: string): string {
  const m = new Mod(d.style);
  const destructured = rng.chance(0.4);
  if (destructured) m.named(['schedule'], 'node-cron');
  else m.def('cron', 'node-cron');
  m.named(['pool'], '../db/pool');
  m.named(['logger'], '../utils/logger');
  const fn = `purgeStale${d.Type}s`;
  m.add(
    m.exp(fn, `async function ${fn}()${m.t(': Promise<number>')} {`),
    `  const { rowCount } = await pool.query("DELETE FROM ${snake(d.many)} WHERE status = 'archived' AND updated_at < now() - interval '${rng.int(7, 90)} days'");`,
    `  logger.info({ rowCount }, 'purged stale ${d.many}');`,
    '  return rowCount ?? 0;',
    '}',
    '',
    `${destructured ? 'schedule' : 'cron.schedule'}('${schedule}', () => {`,
    `  ${fn}().catch((err) => logger.error({ err }, '${d.one} purge failed'));`,
    '});',
  );
  return m.text();
}

interface Shared {
  path: string;
  text: string;
}

function sharedFiles(rng: Rng, domains: Domain[]): Shared[] {
  const out: Shared[] = [];
  const ts = (p: string, lines: string[]): void => {
    out.push({ path: p, text: lines.join('\n') + '\n' });
  };
  const groups = {
    v1: domains.filter((d) => d.group === 'v1'),
    admin: domains.filter((d) => d.group === 'admin'),
    internal: domains.filter((d) => d.group === 'internal'),
  };
  const routerImports = domains.map(
    (d) => `import ${camel(d.many)}Router from './modules/${d.many}/${d.many}.routes';`,
  );
  ts('src/app.ts', [
    "import express, { Router } from 'express';",
    "import { requestId } from './middleware/requestId';",
    "import { rateLimit } from './middleware/rateLimit';",
    "import { errorHandler } from './middleware/errorHandler';",
    "import { requireAdmin } from './middleware/auth';",
    "import { healthRouter } from './health';",
    ...routerImports,
    '',
    'export const app = express();',
    '',
    "app.disable('x-powered-by');",
    "app.use(express.json({ limit: '2mb' }));",
    'app.use(requestId);',
    'app.use(rateLimit);',
    "app.use('/health', healthRouter);",
    '',
    'const v1 = Router();',
    ...groups.v1.map((d) => `v1.use('/${d.many}', ${camel(d.many)}Router);`),
    "app.use('/api/v1', v1);",
    '',
    'const admin = Router();',
    ...groups.admin.map((d) => `admin.use('/${d.many}', ${camel(d.many)}Router);`),
    "app.use('/api/admin', requireAdmin, admin);",
    '',
    ...groups.internal.map((d) => `app.use('/internal/${d.many}', ${camel(d.many)}Router);`),
    '',
    'app.use(errorHandler);',
  ]);
  ts('src/server.ts', [
    "import { app } from './app';",
    "import { config } from './config';",
    "import { pool } from './db/pool';",
    "import { logger } from './utils/logger';",
    "import './jobs';",
    '',
    'const server = app.listen(config.port, () => logger.info({ port: config.port }, "listening"));',
    '',
    "process.on('SIGTERM', () => {",
    '  server.close(() => {',
    '    pool.end().finally(() => process.exit(0));',
    '  });',
    '});',
  ]);
  ts('src/health.ts', [
    "import { Router } from 'express';",
    "import { pool } from './db/pool';",
    '',
    'export const healthRouter = Router();',
    '',
    "healthRouter.get('/', (_req, res) => res.json({ ok: true }));",
    "healthRouter.get('/db', async (_req, res) => {",
    "  await pool.query('SELECT 1');",
    '  res.json({ ok: true });',
    '});',
  ]);
  ts('src/config/index.ts', [
    'function required(name: string): string {',
    '  const value = process.env[name];',
    '  if (!value) throw new Error(`missing environment variable ${name}`);',
    '  return value;',
    '}',
    '',
    'export const config = {',
    '  port: Number(process.env.PORT ?? 3000),',
    "  databaseUrl: process.env.DATABASE_URL ?? 'postgres://localhost/app',",
    "  redisUrl: process.env.REDIS_URL ?? 'redis://localhost:6379',",
    "  jwtSecret: process.env.JWT_SECRET ?? 'dev-secret',",
    "  isProduction: process.env.NODE_ENV === 'production',",
    '  required,',
    '};',
  ]);
  ts('src/db/pool.ts', [
    "import { Pool, type PoolClient } from 'pg';",
    "import { config } from '../config';",
    '',
    'export const pool = new Pool({ connectionString: config.databaseUrl, max: 20, idleTimeoutMillis: 30000 });',
    '',
    'export async function withTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {',
    '  const client = await pool.connect();',
    '  try {',
    "    await client.query('BEGIN');",
    '    const result = await work(client);',
    "    await client.query('COMMIT');",
    '    return result;',
    '  } catch (err) {',
    "    await client.query('ROLLBACK');",
    '    throw err;',
    '  } finally {',
    '    client.release();',
    '  }',
    '}',
  ]);
  ts('src/queues/connection.ts', [
    "import IORedis from 'ioredis';",
    "import { config } from '../config';",
    '',
    'export const connection = new IORedis(config.redisUrl, { maxRetriesPerRequest: null });',
  ]);
  ts('src/queues/producer.ts', [
    "import { Queue } from 'bullmq';",
    "import { connection } from './connection';",
    '',
    'const queues = new Map<string, Queue>();',
    '',
    'function queueFor(name: string): Queue {',
    '  let queue = queues.get(name);',
    '  if (!queue) {',
    '    queue = new Queue(name, { connection });',
    '    queues.set(name, queue);',
    '  }',
    '  return queue;',
    '}',
    '',
    'export async function publish(name: string, jobName: string, data: Record<string, unknown>): Promise<void> {',
    '  await queueFor(name).add(jobName, data, { removeOnComplete: 1000, attempts: 3 });',
    '}',
  ]);
  const jobs = domains.filter((d) => d.job);
  ts(
    'src/jobs/index.ts',
    jobs.map((d) => `import './${d.many}.job';`),
  );
  ts('src/workers/index.ts', [
    ...domains.filter((d) => d.worker).map((d) => `import './${d.many}.worker';`),
    "import { logger } from '../utils/logger';",
    '',
    "logger.info('workers started');",
  ]);
  ts('src/middleware/asyncHandler.ts', [
    "import type { NextFunction, Request, RequestHandler, Response } from 'express';",
    '',
    '/** Lets route handlers be async: a rejected promise goes to the error handler instead of hanging the request. */',
    'export function asyncHandler(fn: (req: Request, res: Response, next: NextFunction) => Promise<unknown>): RequestHandler {',
    '  return (req, res, next) => {',
    '    fn(req, res, next).catch(next);',
    '  };',
    '}',
  ]);
  ts('src/middleware/auth.ts', [
    "import type { NextFunction, Request, Response } from 'express';",
    "import { HttpError } from '../utils/httpError';",
    '',
    'export function requireAuth(req: Request, _res: Response, next: NextFunction): void {',
    "  const header = req.headers.authorization ?? '';",
    "  if (!header.startsWith('Bearer ')) return next(new HttpError(401, 'authentication required'));",
    '  next();',
    '}',
    '',
    'export function requireAdmin(req: Request, _res: Response, next: NextFunction): void {',
    "  if (req.headers['x-role'] !== 'admin') return next(new HttpError(403, 'admins only'));",
    '  next();',
    '}',
  ]);
  ts('src/middleware/requestId.ts', [
    "import { randomUUID } from 'node:crypto';",
    "import type { NextFunction, Request, Response } from 'express';",
    '',
    'export function requestId(req: Request, res: Response, next: NextFunction): void {',
    "  const id = (req.headers['x-request-id'] as string | undefined) ?? randomUUID();",
    "  res.setHeader('x-request-id', id);",
    '  next();',
    '}',
  ]);
  ts('src/middleware/rateLimit.ts', [
    "import type { NextFunction, Request, Response } from 'express';",
    '',
    '// Per-process counters: each instance limits on its own.',
    'const hits = new Map<string, { count: number; resetAt: number }>();',
    '',
    'setInterval(() => {',
    '  const now = Date.now();',
    '  for (const [key, value] of hits) if (value.resetAt < now) hits.delete(key);',
    '}, 60_000).unref();',
    '',
    'export function rateLimit(req: Request, res: Response, next: NextFunction): void {',
    "  const key = req.ip ?? 'unknown';",
    '  const now = Date.now();',
    '  const entry = hits.get(key) ?? { count: 0, resetAt: now + 60_000 };',
    '  entry.count++;',
    '  hits.set(key, entry);',
    "  if (entry.count > 600) res.status(429).json({ error: 'too many requests' });",
    '  else next();',
    '}',
  ]);
  ts('src/middleware/errorHandler.ts', [
    "import type { NextFunction, Request, Response } from 'express';",
    "import { HttpError } from '../utils/httpError';",
    "import { logger } from '../utils/logger';",
    '',
    'export function errorHandler(err: unknown, _req: Request, res: Response, _next: NextFunction): void {',
    '  if (err instanceof HttpError) {',
    '    res.status(err.status).json({ error: err.message });',
    '    return;',
    '  }',
    "  logger.error({ err }, 'unhandled error');",
    "  res.status(500).json({ error: 'internal error' });",
    '}',
  ]);
  ts('src/utils/httpError.ts', [
    'export class HttpError extends Error {',
    '  constructor(',
    '    readonly status: number,',
    '    message: string,',
    '  ) {',
    '    super(message);',
    "    this.name = 'HttpError';",
    '  }',
    '}',
  ]);
  out.push({
    path: 'src/utils/logger.js',
    text: [
      "const pino = require('pino');",
      '',
      "const logger = pino({ level: process.env.LOG_LEVEL || 'info' });",
      '',
      'module.exports = { logger };',
      '',
    ].join('\n'),
  });
  ts('src/utils/numbers.ts', [
    'export function clamp(value: number, min: number, max: number): number {',
    '  return Math.min(max, Math.max(min, value));',
    '}',
    '',
    'export function roundTo(value: number, digits: number): number {',
    '  const factor = 10 ** digits;',
    '  return Math.round(value * factor) / factor;',
    '}',
    '',
    'export function sumBy<T>(items: T[], pick: (item: T) => number): number {',
    '  let total = 0;',
    '  for (const item of items) total += pick(item);',
    '  return total;',
    '}',
    '',
    'export function groupBy<T>(items: T[], key: (item: T) => string): Record<string, T[]> {',
    '  const out: Record<string, T[]> = {};',
    '  for (const item of items) (out[key(item)] ??= []).push(item);',
    '  return out;',
    '}',
  ]);
  ts('src/utils/exportCsv.ts', [
    "import * as fs from 'node:fs';",
    "import * as os from 'node:os';",
    "import * as path from 'node:path';",
    '',
    '/** Writes rows to a CSV file in the temp folder and returns its path. */',
    'export function exportCsv(name: string, rows: Record<string, unknown>[]): string {',
    "  const header = Object.keys(rows[0] ?? {}).join(',');",
    "  const body = rows.map((row) => Object.values(row).map((v) => JSON.stringify(v ?? '')).join(',')).join('\\n');",
    '  const file = path.join(os.tmpdir(), `${name}-${Date.now()}.csv`);',
    "  fs.writeFileSync(file, header + '\\n' + body);",
    '  return file;',
    '}',
  ]);
  out.push({
    path: 'src/utils/pdf.js',
    text: [
      "const { execFile } = require('child_process');",
      '',
      '/** Renders an HTML file to PDF with wkhtmltopdf. */',
      'function renderPdf(htmlFile, pdfFile) {',
      '  return new Promise((resolve, reject) => {',
      "    execFile('wkhtmltopdf', ['--quiet', htmlFile, pdfFile], (err) => (err ? reject(err) : resolve(pdfFile)));",
      '  });',
      '}',
      '',
      'module.exports = { renderPdf };',
      '',
    ].join('\n'),
  });
  // Look-alikes: same method names on objects that are not Express, and route-like text in comments and strings.
  ts('src/lib/eventRouter.ts', [
    'type Listener = (payload: unknown) => void;',
    '',
    '/** An in-process event bus whose API happens to look like a router. */',
    'export class EventRouter {',
    '  private readonly routes = new Map<string, Listener[]>();',
    '',
    '  get(topic: string, listener: Listener): this {',
    '    const list = this.routes.get(topic) ?? [];',
    '    list.push(listener);',
    '    this.routes.set(topic, list);',
    '    return this;',
    '  }',
    '',
    '  post(topic: string, payload: unknown): void {',
    '    for (const listener of this.routes.get(topic) ?? []) listener(payload);',
    '  }',
    '}',
    '',
    'export const events = new EventRouter();',
    "events.get('/orders', () => undefined);",
    "// app.get('/api/old-orders', handler) was removed in v3",
    'export const docs = "router.post(\'/api/upload\', upload)";',
  ]);
  // Generic utilities, to the count a codebase of this size tends to have.
  const utilNames = [
    'strings',
    'dates',
    'arrays',
    'objects',
    'money',
    'ids',
    'slug',
    'pagination',
    'retry',
    'hash',
    'text',
    'sets',
    'ranges',
    'paths',
    'colors',
    'units',
    'percent',
    'sorting',
    'matrix',
    'stats',
  ];
  for (const u of utilNames) {
    const style: Style = rng.chance(0.35) ? 'cjs' : 'ts';
    const m = new Mod(style);
    m.add(...entryInterface(m));
    const n = rng.int(3, 7);
    for (let i = 0; i < n; i++) {
      const fn = `${u}${pascal(rng.pick(CONCEPTS))}${i}`;
      const ret = rng.pick(['number', 'array', 'object'] as const);
      const rt =
        ret === 'number'
          ? 'number'
          : ret === 'array'
            ? `${ENTRY_TYPE}[]`
            : '{ value: number; count: number; at: number }';
      m.add(
        m.exp(fn, `function ${fn}(entries${m.t(`: ${ENTRY_TYPE}[]`)})${m.t(`: ${rt}`)} {`),
        ...bodySnippet(rng, m, 'entries', ret),
        '}',
        '',
      );
    }
    out.push({ path: `src/utils/${u}${extOf(style)}`, text: m.text() });
  }
  return out;
}

/** Every file of the project, path -> text, in a deterministic order. */
export function generateSources(options: GenerateOptions = {}): Map<string, string> {
  const target = options.files ?? DEFAULT_FILES;
  const rng = new Rng(options.seed ?? DEFAULT_SEED);
  // Size the number of domains so that each gets a realistic amount of logic (about 20 files).
  const domainCount = Math.max(2, Math.min(DOMAINS.length, Math.round(target / 28)));
  const domains: Domain[] = DOMAINS.slice(0, domainCount).map((one) => {
    const r = rng.next();
    const style: Style = r < 0.75 ? 'ts' : r < 0.92 ? 'cjs' : 'esm';
    return {
      one,
      many: plural(one),
      Type: pascal(one),
      style,
      fields: rng
        .sample(FIELD_POOL, rng.int(5, 12))
        .sort((a, b) => (a.name === 'status' ? -1 : b.name === 'status' ? 1 : 0)),
      actions: rng.sample(ACTIONS, rng.int(1, 4)),
      sub: rng.chance(0.4) ? rng.pick(SUBRESOURCES) : undefined,
      group: rng.chance(0.7) ? 'v1' : rng.chance(0.6) ? 'admin' : 'internal',
      worker: rng.chance(0.3),
      job: rng.chance(0.2) ? rng.pick(CRONS) : undefined,
      cacheKind: rng.pick(['map', 'map', 'object', 'none'] as const),
      logic: [],
    };
  });
  // Every domain needs a status field for the status filter in its service.
  for (const d of domains)
    if (!d.fields.some((f) => f.name === 'status')) d.fields.unshift({ name: 'status', type: 'string' });

  const files = new Map<string, string>();
  const shared = sharedFiles(rng, domains);
  const fixed =
    shared.length + domains.reduce((n, d) => n + 7 + (d.sub ? 1 : 0) + (d.worker ? 1 : 0) + (d.job ? 1 : 0), 0);
  // Logic files fill the rest, round-robin over the domains, so the total is exactly the target.
  let remaining = Math.max(0, target - fixed);
  for (let i = 0; remaining > 0; i++) {
    const d = domains[i % domains.length]!;
    const k = d.logic.length;
    d.logic.push(
      `${CONCEPTS[k % CONCEPTS.length]}.${LOGIC_SUFFIXES[Math.floor(k / CONCEPTS.length) % LOGIC_SUFFIXES.length]}`,
    );
    remaining--;
  }

  for (const s of shared) files.set(s.path, s.text);
  for (const d of domains) {
    const dir = `src/modules/${d.many}`;
    const ext = extOf(d.style);
    files.set(`${dir}/${d.many}.routes${ext}`, routesFile(rng, d));
    files.set(`${dir}/${d.many}.controller${ext}`, controllerFile(d));
    files.set(`${dir}/${d.many}.service${ext}`, serviceFile(rng, d));
    files.set(`${dir}/${d.many}.repository${ext}`, repositoryFile(d));
    files.set(`${dir}/${d.many}.mapper${ext}`, mapperFile(d));
    files.set(`${dir}/${d.many}.validation${ext}`, validationFile(d));
    files.set(
      d.style === 'ts' ? `${dir}/${d.many}.types.ts` : `${dir}/${d.many}.constants.js`,
      d.style === 'ts' ? typesFile(rng, d) : constantsFile(rng, d),
    );
    if (d.sub) files.set(`${dir}/${plural(d.sub)}.routes${ext}`, subRoutesFile(d));
    if (d.worker) files.set(`src/workers/${d.many}.worker${ext}`, workerFile(rng, d));
    if (d.job) files.set(`src/jobs/${d.many}.job${ext}`, jobFile(rng, d, d.job));
    for (const l of d.logic) {
      // Older corners of a TypeScript codebase are often still JavaScript.
      const style: Style = d.style === 'ts' && rng.chance(0.1) ? 'cjs' : d.style;
      files.set(`${dir}/logic/${l}${extOf(style)}`, logicFile(rng, style, d, l));
    }
  }
  return files;
}

const PACKAGE_JSON = {
  name: 'generated-commerce-platform',
  version: '3.2.0',
  private: true,
  main: 'dist/server.js',
  dependencies: {
    bullmq: '^5.12.0',
    express: '^5.1.0',
    ioredis: '^5.4.1',
    'node-cron': '^3.0.3',
    pg: '^8.12.0',
    pino: '^9.4.0',
  },
  devDependencies: {
    '@types/express': '^5.0.0',
    '@types/node': '^20.16.5',
    '@types/pg': '^8.11.8',
    typescript: '^5.6.2',
  },
};
const TSCONFIG_JSON = {
  compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, allowJs: true, outDir: 'dist' },
  include: ['src'],
};

/** Writes the project into a fresh folder under the OS temp dir. Delete it with fs.rmSync(root, { recursive: true }). */
export function generateProject(options: GenerateOptions = {}): GeneratedProject {
  const sources = generateSources(options);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-bench-'));
  const hash = createHash('sha1');
  let lines = 0;
  let bytes = 0;
  const byExtension: Record<string, number> = {};
  const dirs = new Set<string>();
  for (const [rel, text] of sources) {
    const abs = path.join(root, rel);
    const dir = path.dirname(abs);
    if (!dirs.has(dir)) fs.mkdirSync(dir, { recursive: true });
    dirs.add(dir);
    fs.writeFileSync(abs, text);
    hash.update(rel).update('\0').update(text).update('\0');
    lines += text.split('\n').length - 1;
    bytes += Buffer.byteLength(text);
    const ext = path.extname(rel);
    byExtension[ext] = (byExtension[ext] ?? 0) + 1;
  }
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify(PACKAGE_JSON, null, 2) + '\n');
  fs.writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify(TSCONFIG_JSON, null, 2) + '\n');
  return { root, files: [...sources.keys()].sort(), lines, bytes, byExtension, hash: hash.digest('hex') };
}
