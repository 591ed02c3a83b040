// What the property and fuzz tests share: the seed and budget, real material to mutate (sources of the example and the
// fixtures, the rule catalogue, a usage profile), the mutations as small descriptions (so a counterexample prints in a
// few lines, not as a megabyte of text), and the checks every analysis must pass.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { EXCLUDED_DIRS, isSourceFile, MANIFEST_NAMES } from '../../../src/core/load/discover';

// ---------------------------------------------------------------------------------------------------------------
// Seed and budget

/** `npm test` runs every property with this seed; SA_FUZZ_SEED replays or explores another. */
export const FUZZ_SEED = envNumber('SA_FUZZ_SEED') ?? 20261127;
/** SA_FUZZ_RUNS multiplies every property's number of runs (`npm run fuzz` sets it high). */
export const FUZZ_SCALE = envNumber('SA_FUZZ_RUNS') ?? 1;

function envNumber(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return n;
}

/**
 * fast-check's parameters for a property that runs `numRuns` times in `npm test`. On failure fast-check's error names
 * the seed and the path of the counterexample; `SA_FUZZ_SEED=<seed>` runs the same inputs again.
 */
export function fuzzParams<T>(numRuns: number, extra: Partial<fc.Parameters<T>> = {}): fc.Parameters<T> {
  return {
    seed: FUZZ_SEED,
    numRuns: Math.max(1, Math.round(numRuns * FUZZ_SCALE)),
    // SA_FUZZ_SHRINK=0 reports the first failing input as found (shrinking a large input can take minutes).
    endOnFailure: process.env.SA_FUZZ_SHRINK === '0',
    ...extra,
  };
}

/** A mocha timeout for a property: its `npm test` budget, scaled with the runs (a hang guard, not a benchmark). */
export function fuzzTimeout(ms: number): number {
  return Math.round(ms * Math.max(1, FUZZ_SCALE));
}

/** The description of a suite, with the seed, so that a failure in CI says how to replay it. */
export function fuzzTitle(what: string): string {
  return `${what} (seed ${FUZZ_SEED}${FUZZ_SCALE !== 1 ? `, runs x${FUZZ_SCALE}` : ''})`;
}

// ---------------------------------------------------------------------------------------------------------------
// Real material

const REPO = path.resolve(__dirname, '../../..');

/** A small real project to start from: its source files and manifests, as bytes, by root-relative path. */
export interface Project {
  name: string;
  files: Map<string, Buffer>;
  sources: string[];
}

function readProject(dir: string): Project {
  const files = new Map<string, Buffer>();
  const walk = (abs: string, rel: string): void => {
    for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!EXCLUDED_DIRS.has(e.name) && !e.name.startsWith('.')) walk(path.join(abs, e.name), r);
      } else if (e.isFile() && (isSourceFile(e.name) || MANIFEST_NAMES.has(e.name))) {
        files.set(r, fs.readFileSync(path.join(abs, e.name)));
      }
    }
  };
  walk(dir, '');
  const sources = [...files.keys()].filter((f) => isSourceFile(path.basename(f))).sort();
  return { name: path.relative(REPO, dir).split(path.sep).join('/'), files, sources };
}

let projects: Project[] | undefined;

/** examples/shop-api, every fixture app, and every rule's fixture: each with at least one source file. */
export function realProjects(): Project[] {
  if (projects) return projects;
  const dirs = [path.join(REPO, 'examples/shop-api')];
  const fixtures = path.join(REPO, 'test/fixtures');
  for (const name of fs.readdirSync(fixtures).sort()) {
    if (name === 'rules') {
      for (const group of fs.readdirSync(path.join(fixtures, 'rules')).sort())
        for (const rule of fs.readdirSync(path.join(fixtures, 'rules', group)).sort())
          dirs.push(path.join(fixtures, 'rules', group, rule));
    } else if (fs.statSync(path.join(fixtures, name)).isDirectory()) dirs.push(path.join(fixtures, name));
  }
  projects = dirs.map(readProject).filter((p) => p.sources.length > 0);
  return projects;
}

/** The built-in rule files, as text, by their path under rules/. */
export function realRuleFiles(): { file: string; id: string; text: string }[] {
  const out: { file: string; id: string; text: string }[] = [];
  const root = path.join(REPO, 'rules');
  for (const group of fs.readdirSync(root).sort()) {
    const dir = path.join(root, group);
    if (group === 'pricing' || !fs.statSync(dir).isDirectory()) continue;
    for (const f of fs.readdirSync(dir).sort())
      if (f.endsWith('.yaml'))
        out.push({
          file: `${group}/${f}`,
          id: f.replace(/\.yaml$/, ''),
          text: fs.readFileSync(path.join(dir, f), 'utf8'),
        });
  }
  return out;
}

/** A usage profile using every section, with ids of test/fixtures/express, an exact id and globs. */
export const BASE_PROFILE = [
  '# Usage of the express fixture',
  'defaults:',
  '  requestsPerMonth: 1000000',
  '  durationMs: 120',
  '  memoryMb: 512',
  '  payloadKb: 8',
  'scenarios: { low: 0.5, likely: 1, high: 3 }',
  'freeTier: false',
  'components:',
  '  "http:GET:/api/users":',
  '    requestsPerMonth: 2500000',
  '    cpuMs: 40',
  '  "http:*":',
  '    durationMs: 90',
  '  "queue:*": { requestsPerMonth: 10000 }',
  '',
].join('\n');

// ---------------------------------------------------------------------------------------------------------------
// Temp folders

/** Writes files (text or bytes) to a fresh temp folder and returns its path. */
export function writeFiles(files: Iterable<[string, string | Buffer]>, prefix = 'sa-fuzz-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [rel, data] of files) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, data);
  }
  return dir;
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------------------------
// Source mutations

/** Deep constructs that are valid code, each `depth` levels deep. */
export const DEEP_SHAPES = [
  'parens',
  'arrays',
  'objects',
  'ifs',
  'arrows',
  'functions',
  'binary',
  'members',
  'calls',
  'templates',
  'jsx',
  'handler-ifs',
  'handler-binary',
  'handler-calls',
] as const;
export type DeepShape = (typeof DEEP_SHAPES)[number];

export function deepCode(shape: DeepShape, depth: number): string {
  const d = depth;
  const route = (body: string): string =>
    `\nimport express from 'express';\nconst deepApp = express();\nlet deepCount = 0;\n` +
    `deepApp.get('/deep', (req, res) => {\n${body}\n  res.send(String(deepCount));\n});\nexport default deepApp;\n`;
  switch (shape) {
    case 'parens':
      return `\nexport const deep = ${'('.repeat(d)}0${')'.repeat(d)};\n`;
    case 'arrays':
      return `\nexport const deep = ${'['.repeat(d)}${']'.repeat(d)};\n`;
    case 'objects':
      return `\nexport const deep = ${'{ a: '.repeat(d)}1${' }'.repeat(d)};\n`;
    case 'ifs':
      return `\nexport function deep(a: number) {\n${'if (a) {\n'.repeat(d)}a++;\n${'}\n'.repeat(d)}}\n`;
    case 'arrows':
      return `\nexport const deep = ${'() => '.repeat(d)}1;\n`;
    case 'functions':
      return `\n${'function deep() {\n'.repeat(d)}${'}\n'.repeat(d)}`;
    case 'binary':
      return `\nexport const deep = ${Array.from({ length: d }, (_, i) => `'s${i}'`).join(' +\n  ')};\n`;
    case 'members':
      return `\nexport const deep = globalThis${'.a'.repeat(d)};\n`;
    case 'calls':
      return `\nexport const deep = String${'()'.repeat(d)};\n`;
    case 'templates':
      return `\nexport const deep = ${'`${'.repeat(d)}1${'}`'.repeat(d)};\n`;
    case 'jsx':
      return `\nexport const deep = ${'<div>'.repeat(d)}${'</div>'.repeat(d)};\n`;
    case 'handler-ifs':
      return route(`${'  if (req) {\n'.repeat(d)}  deepCount++;\n${'  }\n'.repeat(d)}`);
    case 'handler-binary':
      return route(`  deepCount = ${Array.from({ length: d }, () => 'deepCount').join(' + ')};`);
    case 'handler-calls':
      return route(`  deepCount = Number${'(Number'.repeat(d)}(1)${')'.repeat(d)};`);
  }
}

/**
 * Valid code of odd shapes the detectors and the cross-file resolution meet: cycles of imports, exports and classes,
 * self-references, long and computed route paths, ignore comments in odd places. `__SELF__` is the file itself.
 */
export const SNIPPETS = [
  "export * from '__SELF__';\nexport * as again from '__SELF__';\nimport * as me from '__SELF__';\nexport const viaMe = me;\n",
  "import def from '__SELF__';\nexport default def;\nmodule.exports = require('__SELF__');\n",
  "export { cycA as cycB, cycB as cycA } from '__SELF__';\n",
  'module.exports = module.exports;\nexports.a = exports.a;\nmodule.exports.b = module.exports;\n',
  'class Loop extends Loop {}\nclass PingA extends PingB { m() { return this.m(); } }\nclass PingB extends PingA {}\n',
  'class Self { constructor(private readonly self: Self) {} go(): unknown { return this.self.go(); } }\n',
  'const ca = cb;\nconst cb = ca;\nfunction rec(): unknown { return rec(); }\nexport { ca, cb, rec };\n',
  "import express from 'express';\nconst oddApp = express();\n" +
    "oddApp.get(`/tpl/${Date.now()}`, (q, s) => s.send('x'));\n" +
    "oddApp.get(/ab+c/, (q, s) => s.send('x'));\n" +
    "oddApp.get(['/a', '/b', '/a'], (q, s) => s.send('x'));\n" +
    "oddApp.get('/a\\u2028b\\n', (q, s) => s.send('x'));\n" +
    "oddApp['post']('/computed', (q, s) => s.send('x'));\n" +
    "oddApp.get('/" +
    'long'.repeat(5000) +
    "', (q, s) => s.send('x'));\n" +
    "oddApp.use(oddApp);\noddApp.use('/self', oddApp);\n",
  "import { Worker } from 'node:worker_threads';\nnew Worker(__filename);\nsetInterval(() => undefined, 1);\n" +
    "require(require('path'));\nvoid import(String(import.meta));\n",
  '// serverless-advisor-ignore * -- reason' + ' '.repeat(300) + '\r// serverless-advisor-ignore\nlet ignored = 0;\n',
  '/* serverless-advisor-ignore module-state-written-in-handler */ let x1 = 0; // serverless-advisor-ignore',
  "@Controller('odd')\nexport class OddController {\n  constructor(private readonly odd: OddController) {}\n" +
    "  @Get(':id') get(): unknown { return this.odd.get(); }\n}\n",
];

/** Byte sequences that are not valid UTF-8, and NUL. */
export const BAD_BYTES: readonly (readonly number[])[] = [
  [0xff],
  [0xfe, 0xff],
  [0xc3, 0x28], // a lead byte without its continuation
  [0xed, 0xa0, 0x80], // a UTF-16 surrogate written as UTF-8 (WTF-8)
  [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
  [0xc0, 0xaf], // overlong '/'
  [0xe2, 0x82], // truncated
  [0x00],
];

export type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'deleteBrackets'; nth: number; count: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'nest'; at: number; open: string; close: string; depth: number; balanced: boolean }
  | { kind: 'deep'; shape: DeepShape; depth: number; at: 'start' | 'end' }
  | { kind: 'snippet'; which: number; at: 'start' | 'end' }
  | { kind: 'hugeLiteral'; at: number; quote: '"' | "'" | '`'; kb: number; lines: boolean }
  | { kind: 'repeat'; times: number }
  | { kind: 'bom' }
  | { kind: 'lineEndings'; eol: '\r\n' | '\r' | '\u2028' }
  | { kind: 'loneSurrogate'; at: number; unit: number }
  | { kind: 'bytes'; at: number; which: number }
  | { kind: 'nulAfterProbe' }
  | { kind: 'encoding'; as: 'utf16le' | 'latin1' }
  | { kind: 'tooLarge' }
  | { kind: 'empty' };

const offset = fc.nat({ max: 1_000_000 });

/** Pieces of code that break or bend the syntax around them. */
const junk = fc.oneof(
  fc
    .array(
      fc.constantFrom(
        '(',
        ')',
        '{',
        '}',
        '[',
        ']',
        '<',
        '>',
        '`',
        '"',
        "'",
        '/*',
        '*/',
        '//',
        '${',
        '=>',
        ';',
        ',',
        '\n',
        '@',
        '#',
        '\\',
        '/',
        'async ',
        'await ',
        'function ',
        'class ',
        'import ',
        'export ',
        'require(',
        '<div>',
        '</div>',
        'app.get(',
        'router.post(',
      ),
      { minLength: 1, maxLength: 12 },
    )
    .map((parts) => parts.join('')),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\u0000', '\u2028', '\u2029', '\u200b', '\u202e', '\ufeff', '\u{1F600}', '\u00e9', '\r'),
);

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: offset }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('deleteBrackets' as const),
      nth: fc.nat(),
      count: fc.integer({ min: 1, max: 5 }),
    }),
  },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: offset, text: junk }) },
  {
    weight: 2,
    arbitrary: fc
      .record({
        at: offset,
        pair: fc.constantFrom(['(', ')'], ['[', ']'], ['{', '}'], ['<div>', '</div>'], ['`${', '}`'], ['/*', '*/']),
        depth: fc.constantFrom(50, 1000, 5000),
        balanced: fc.boolean(),
      })
      .map(({ at, pair, depth, balanced }): Mutation => ({
        kind: 'nest',
        at,
        open: pair[0],
        close: pair[1],
        depth,
        balanced,
      })),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('deep' as const),
      shape: fc.constantFrom(...DEEP_SHAPES),
      depth: fc.constantFrom(100, 1000, 5000),
      at: fc.constantFrom('start' as const, 'end' as const),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('snippet' as const),
      which: fc.nat(SNIPPETS.length - 1),
      at: fc.constantFrom('start' as const, 'end' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('hugeLiteral' as const),
      at: offset,
      quote: fc.constantFrom('"' as const, "'" as const, '`' as const),
      kb: fc.constantFrom(64, 1024),
      lines: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('repeat' as const), times: fc.integer({ min: 2, max: 20 }) }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'bom' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('lineEndings' as const),
      eol: fc.constantFrom('\r\n' as const, '\r' as const, '\u2028' as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('loneSurrogate' as const),
      at: offset,
      unit: fc.integer({ min: 0xd800, max: 0xdfff }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('bytes' as const), at: offset, which: fc.nat(BAD_BYTES.length - 1) }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'nulAfterProbe' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('encoding' as const),
      as: fc.constantFrom('utf16le' as const, 'latin1' as const),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'tooLarge' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'empty' as const }) },
);

/**
 * Applies mutations to a file: text edits in order, then a change of encoding, then raw byte edits. `self` is how
 * the file imports itself (`./name`).
 */
export function mutate(original: Buffer, mutations: readonly Mutation[], self = './index'): Buffer {
  let text = original.toString('utf8');
  let encoding: 'utf8' | 'utf16le' | 'latin1' = 'utf8';
  let bom = false;
  const byteEdits: Mutation[] = [];
  const pos = (at: number): number => at % (text.length + 1);
  for (const m of mutations) {
    switch (m.kind) {
      case 'truncate':
        text = text.slice(0, pos(m.at));
        break;
      case 'deleteBrackets': {
        const at: number[] = [];
        for (let i = 0; i < text.length; i++) if ('()[]{}'.includes(text[i]!)) at.push(i);
        if (!at.length) break;
        const first = m.nth % at.length;
        const doomed = new Set(at.slice(first, first + m.count));
        text = text
          .split('')
          .filter((_, i) => !doomed.has(i))
          .join('');
        break;
      }
      case 'insert': {
        const p = pos(m.at);
        text = text.slice(0, p) + m.text + text.slice(p);
        break;
      }
      case 'nest': {
        const p = pos(m.at);
        const inner = m.open.repeat(m.depth) + (m.balanced ? m.close.repeat(m.depth) : '');
        text = text.slice(0, p) + inner + text.slice(p);
        break;
      }
      case 'deep':
        text = m.at === 'start' ? deepCode(m.shape, m.depth) + text : text + deepCode(m.shape, m.depth);
        break;
      case 'snippet': {
        const code = SNIPPETS[m.which]!.replace(/__SELF__/g, self);
        text = m.at === 'start' ? `${code}\n${text}` : `${text}\n${code}`;
        break;
      }
      case 'hugeLiteral': {
        const p = pos(m.at);
        const unit = m.lines ? 'line of a long literal\n' : 'x';
        let body = unit.repeat(Math.ceil((m.kb * 1024) / unit.length));
        if (m.lines && m.quote !== '`') body = body.replace(/\n/g, '\\\n');
        text = `${text.slice(0, p)}\nexport const huge = ${m.quote}${body}${m.quote};\n${text.slice(p)}`;
        break;
      }
      case 'repeat':
        text = text.repeat(m.times);
        break;
      case 'bom':
        bom = true;
        break;
      case 'lineEndings':
        text = text.replace(/\r?\n/g, m.eol);
        break;
      case 'loneSurrogate': {
        const p = pos(m.at);
        text = text.slice(0, p) + String.fromCharCode(m.unit) + text.slice(p);
        break;
      }
      case 'encoding':
        encoding = m.as;
        break;
      case 'tooLarge':
        text = `${text}\n${'// padding past the 2 MB limit\n'.repeat(Math.ceil((2.1 * 1024 * 1024) / 31))}`;
        break;
      case 'empty':
        text = '';
        break;
      case 'bytes':
      case 'nulAfterProbe':
        byteEdits.push(m);
        break;
    }
  }
  let buf = encoding === 'utf16le' ? Buffer.from(`\ufeff${text}`, 'utf16le') : Buffer.from(text, encoding);
  if (bom && encoding !== 'utf16le') buf = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), buf]);
  for (const m of byteEdits) {
    if (m.kind === 'bytes') {
      const p = m.at % (buf.length + 1);
      buf = Buffer.concat([buf.subarray(0, p), Buffer.from(BAD_BYTES[m.which]!), buf.subarray(p)]);
    } else if (m.kind === 'nulAfterProbe') {
      // Past the 8 KB that the binary check reads: the file is text with a NUL in it.
      const pad = Buffer.from(`\n${'// padding to move the NUL past the binary probe\n'.repeat(200)}`);
      buf = Buffer.concat([buf, pad, Buffer.from('const nul = "\u0000";\n')]);
    }
  }
  return buf;
}

export interface SourceCase {
  project: number;
  edits: { file: number; mutations: Mutation[] }[];
}

export const sourceCaseArb: fc.Arbitrary<SourceCase> = fc.record({
  project: fc.nat(),
  edits: fc.array(fc.record({ file: fc.nat(), mutations: fc.array(mutationArb, { minLength: 1, maxLength: 3 }) }), {
    minLength: 1,
    maxLength: 3,
  }),
});

/** The files of a case: the project's, with the chosen sources mutated. */
export function filesOf(c: SourceCase): { project: Project; files: Map<string, Buffer> } {
  const all = realProjects();
  const project = all[c.project % all.length]!;
  const files = new Map(project.files);
  for (const e of c.edits) {
    const file = project.sources[e.file % project.sources.length]!;
    files.set(file, mutate(files.get(file)!, e.mutations, `./${path.basename(file).replace(/\.[^.]+$/, '')}`));
  }
  return { project, files };
}

// ---------------------------------------------------------------------------------------------------------------
// What every report must satisfy

/** The lines of a file as the analysis sees them (BOM dropped; \r\n, \n, \r, U+2028 and U+2029 end a line). */
export function linesOf(buf: Buffer): string[] {
  let text = buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.split(/\r\n|[\n\r\u2028\u2029]/);
}

interface Located {
  at: string;
  file: string;
  line: number;
  column?: number;
}

/** Every object in the report with a `file` and a `line`, with where it sits in the report. */
function locations(value: unknown, at: string, out: Located[]): Located[] {
  if (Array.isArray(value)) value.forEach((v, i) => locations(v, `${at}[${i}]`, out));
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.file === 'string' && typeof o.line === 'number')
      out.push({ at, file: o.file, line: o.line, column: typeof o.column === 'number' ? o.column : undefined });
    for (const [k, v] of Object.entries(o)) locations(v, `${at}.${k}`, out);
  }
  return out;
}

/**
 * The contract of an analysis of files we wrote: every source file is analysed or skipped (once, with a reason), and
 * every place the report points at (findings, components, handlers, suppressions, problems in the code) lies inside a
 * file we wrote, within its lines and columns, and never in a skipped file.
 */
export function checkReport(
  report: { stats: { files: number; skipped: { file: string; reason: string }[] } },
  files: Map<string, Buffer>,
): void {
  const sources = [...files.keys()].filter((f) => isSourceFile(path.basename(f)));
  const skipped = new Map<string, string>();
  for (const s of report.stats.skipped) {
    assert.ok(files.has(s.file), `skipped ${s.file}, which is not a file of the project`);
    assert.ok(!skipped.has(s.file), `${s.file} is skipped twice`);
    assert.ok(typeof s.reason === 'string' && s.reason.trim().length > 0, `${s.file} is skipped without a reason`);
    skipped.set(s.file, s.reason);
  }
  const skippedSources = sources.filter((f) => skipped.has(f));
  assert.equal(
    report.stats.files + skippedSources.length,
    sources.length,
    `${sources.length} source files, ${report.stats.files} analysed and ${skippedSources.length} skipped`,
  );
  const lines = new Map<string, string[]>();
  for (const loc of locations(report, 'report', [])) {
    if (loc.at.startsWith('report.problems') && loc.file.startsWith('rules/')) continue; // a built-in rule's file
    const buf = files.get(loc.file);
    assert.ok(buf, `${loc.at} points at ${loc.file}, which is not a file of the project`);
    if (isSourceFile(path.basename(loc.file)))
      assert.ok(
        !skipped.has(loc.file),
        `${loc.at} points into ${loc.file}, which was skipped: ${skipped.get(loc.file)}`,
      );
    let ls = lines.get(loc.file);
    if (!ls) lines.set(loc.file, (ls = linesOf(buf)));
    assert.ok(
      Number.isInteger(loc.line) && loc.line >= 1 && loc.line <= ls.length,
      `${loc.at} points at ${loc.file}:${loc.line}, which has ${ls.length} lines`,
    );
    if (loc.column !== undefined)
      assert.ok(
        Number.isInteger(loc.column) && loc.column >= 1 && loc.column <= ls[loc.line - 1]!.length + 1,
        `${loc.at} points at ${loc.file}:${loc.line}:${loc.column}, past the end of the line`,
      );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Regular expressions and globs a rule or a profile may bring

const REGEX_ATOMS = ['a', 'b', 'x', '.', '\\w', '\\s', '\\d', '[ab]', '[^a]', '\\.', '-', ' ', '\\p{L}'];
const REGEX_ANCHORS = ['^', '$', '\\b'];
const QUANTIFIERS = ['', '', '', '', '', '', '*', '+', '?', '{0,3}', '{2,}', '{1,1000}', '{3}', '*?', '+?'];
const GROUPS = ['(', '(?:', '(?=', '(?!', '(?<g>'];

function regexLevel(atom: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const term = fc.tuple(atom, fc.constantFrom(...QUANTIFIERS)).map(([a, q]) => a + q);
  const seq = fc.array(term, { minLength: 1, maxLength: 6 }).map((t) => t.join(''));
  return fc.array(seq, { minLength: 1, maxLength: 3 }).map((s) => s.join('|'));
}

const atom0 = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...REGEX_ATOMS) },
  { weight: 1, arbitrary: fc.constantFrom(...REGEX_ANCHORS) },
);
const alt0 = regexLevel(atom0);
const atom1 = fc.oneof(
  { weight: 5, arbitrary: atom0 },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...GROUPS), alt0).map(([g, x]) => `${g}${x})`) },
);
const alt1 = regexLevel(atom1);
const atom2 = fc.oneof(
  { weight: 5, arbitrary: atom1 },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...GROUPS), alt1).map(([g, x]) => `${g}${x})`) },
);

/** Regular expressions of the shapes behind catastrophic backtracking: groups, alternatives and repetitions. */
export const regexArb: fc.Arbitrary<string> = regexLevel(atom2).filter((p) => p.length <= 200);

/** Patterns known to backtrack catastrophically (exponential or high-degree polynomial) on the right input. */
export const CATASTROPHIC_REGEXES = [
  '(a+)+$',
  '(a|a)*$',
  '^(a|aa)+$',
  '(a*)*b',
  '(.*a){12}',
  'a*a*a*$',
  '.*a.*!',
  '(.|\\s)*$',
  '(\\w+\\s?)+$',
  '^(([a-z])+.)+[A-Z]([a-z])+$',
  '(x+x+)+y',
  `${'a?'.repeat(20)}${'a'.repeat(20)}`,
  'a{0,1000}a{0,1000}!',
];

/**
 * Texts that make a backtracking matcher try hard: a run of one short piece (2,000 characters, the most a rule's
 * pattern is tried on) followed by a character that spoils the match at the end.
 */
export function pumpedSubjects(length = 2000): string[] {
  const pumps = ['a', 'b', ' ', '1', '-', '.', 'ab', 'a ', 'aa', 'xa'];
  const tails = ['', '!', '\n', 'b', '\u2028'];
  const out: string[] = [];
  for (const p of pumps) for (const t of tails) out.push(p.repeat(Math.ceil(length / p.length)).slice(0, length) + t);
  return out;
}

const GLOB_PIECES = [
  'a',
  'b',
  'x',
  '*',
  '**',
  '/',
  '.',
  '?',
  '{a,b}',
  '{a,a}',
  '[ab]',
  '+(a|b)',
  '!(a)',
  '@(a|aa)',
  '*(a|aa)',
  ':',
];

/** Globs built from picomatch's syntax, with many stars, globstars, braces and extglobs. */
export const globArb: fc.Arbitrary<string> = fc
  .array(fc.constantFrom(...GLOB_PIECES), { minLength: 1, maxLength: 14 })
  .map((p) => p.join(''));

/** Long paths that make glob matching try hard: 255-character names, deep folders, a spoiling end. */
export function pumpedPaths(): string[] {
  const name = 'a'.repeat(255);
  const out: string[] = [];
  for (const tail of ['', 'b', '/', '!', '.x'])
    out.push(
      name + tail,
      Array.from({ length: 15 }, () => name).join('/') + tail,
      `${'a/'.repeat(1000)}x${tail}`,
      `${'a.'.repeat(120)}${tail}`,
    );
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// YAML mutations (rule files and the usage profile)

/** Values a mutation puts where a value was: wrong types, odd scalars, hostile patterns, deep and huge ones. */
export const YAML_VALUES = [
  '',
  '~',
  'null',
  'true',
  'no',
  '0',
  '-1',
  '1e309',
  '-.inf',
  '.nan',
  '0x1F',
  '0o17',
  '2026-11-27',
  '"a string"',
  "'it''s'",
  '[]',
  '{}',
  '[a, b]',
  '{ a: 1 }',
  '{ matches: "(a|a)*$" }',
  '{ matches: "(a+)+$" }',
  '{ matches: "\\\\1" }',
  '{ matches: "[" }',
  '"*a*a*a*a*a*b"',
  '"+(a|aa)"',
  '{ kind: http-route, trigger: { path: "*a*a*a*b" } }',
  '{ fact: module-state-written-in-handler, attrs: { name: { matches: ".*a.*!" } } }',
  '{ file: "**/a/**/b/**/c" }',
  '{ not: { not: { not: { fact: local-fs-write } } } }',
  '!!binary aGVsbG8=',
  '!!str 12',
  '!!js/function "function() {}"',
  '&anchor value',
  '*anchor',
  '|\n  a block\n  of text',
  '>-\n  folded',
  '"\\u0000 \\uD800 \\x7f"',
  '__proto__',
  '{ __proto__: { polluted: true } }',
  '{ constructor: { prototype: { polluted: true } } }',
];

export type YamlMutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'deleteChar'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'duplicateLine'; nth: number }
  | { kind: 'deleteLine'; nth: number }
  | { kind: 'swapLines'; a: number; b: number }
  | { kind: 'indent'; nth: number; by: number }
  | { kind: 'replaceValue'; nth: number; value: string }
  | { kind: 'addKey'; key: string; value: string }
  | { kind: 'deep'; shape: 'flowSeq' | 'flowMap' | 'blockMap' | 'blockSeq' | 'not'; depth: number }
  | { kind: 'aliasBomb'; levels: number }
  | { kind: 'huge'; kb: number }
  | { kind: 'bom' }
  | { kind: 'crlf' }
  | { kind: 'bytes'; at: number; which: number }
  | { kind: 'tabs' };

const yamlJunk = fc.oneof(
  fc
    .array(
      fc.constantFrom(
        ':',
        ': ',
        '- ',
        '[',
        ']',
        '{',
        '}',
        ',',
        '&a ',
        '*a',
        '!!str ',
        '!',
        '|',
        '>',
        '"',
        "'",
        '#',
        '\t',
        '\n',
        '  ',
        '? ',
        '%YAML 1.2\n',
        '---\n',
        '...\n',
        '<<: *a\n',
        '@',
        '`',
        '\\',
        'key: value\n',
      ),
      { minLength: 1, maxLength: 8 },
    )
    .map((p) => p.join('')),
  fc.string({ unit: 'binary', maxLength: 30 }),
);

export const yamlMutationArb: fc.Arbitrary<YamlMutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: offset }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('deleteChar' as const), at: offset }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: offset, text: yamlJunk }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('duplicateLine' as const), nth: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('deleteLine' as const), nth: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('swapLines' as const), a: fc.nat(), b: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('indent' as const), nth: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('replaceValue' as const),
      nth: fc.nat(),
      value: fc.oneof(
        fc.constantFrom(...YAML_VALUES),
        fc.string({ maxLength: 20 }).map((v) => JSON.stringify(v)),
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('addKey' as const),
      key: fc.constantFrom('when', 'attrs', 'extra', 'components', 'defaults', '__proto__', '<<', 'effect'),
      value: fc.constantFrom(...YAML_VALUES),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('deep' as const),
      shape: fc.constantFrom(
        'flowSeq' as const,
        'flowMap' as const,
        'blockMap' as const,
        'blockSeq' as const,
        'not' as const,
      ),
      depth: fc.constantFrom(50, 1000, 5000),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('aliasBomb' as const), levels: fc.integer({ min: 2, max: 12 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('huge' as const), kb: fc.constantFrom(100, 300) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'bom' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'crlf' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'tabs' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('bytes' as const), at: offset, which: fc.nat(BAD_BYTES.length - 1) }),
  },
);

function deepYaml(shape: 'flowSeq' | 'flowMap' | 'blockMap' | 'blockSeq' | 'not', depth: number): string {
  switch (shape) {
    case 'flowSeq':
      return `deep: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
    case 'flowMap':
      return `deep: ${'{ a: '.repeat(depth)}1${' }'.repeat(depth)}\n`;
    case 'blockMap':
      return `deep:\n${Array.from({ length: Math.min(depth, 1000) }, (_, i) => `${' '.repeat(i + 1)}a${i}:`).join('\n')} 1\n`;
    case 'blockSeq':
      return `deep:\n${Array.from({ length: Math.min(depth, 1000) }, (_, i) => `${'  '.repeat(i)}-`).join('\n')} 1\n`;
    case 'not':
      return `when: ${'{ not: '.repeat(depth)}{ fact: local-fs-write }${' }'.repeat(depth)}\n`;
  }
}

/** Applies YAML mutations: text edits in order, then a BOM and raw bytes. */
export function mutateYaml(original: string, mutations: readonly YamlMutation[]): Buffer {
  let text = original;
  let bom = false;
  const bytes: { at: number; which: number }[] = [];
  const pos = (at: number): number => at % (text.length + 1);
  const lines = (): string[] => text.split('\n');
  for (const m of mutations) {
    switch (m.kind) {
      case 'truncate':
        text = text.slice(0, pos(m.at));
        break;
      case 'deleteChar': {
        const p = pos(m.at);
        text = text.slice(0, p) + text.slice(p + 1);
        break;
      }
      case 'insert': {
        const p = pos(m.at);
        text = text.slice(0, p) + m.text + text.slice(p);
        break;
      }
      case 'duplicateLine': {
        const ls = lines();
        const i = m.nth % ls.length;
        ls.splice(i, 0, ls[i]!);
        text = ls.join('\n');
        break;
      }
      case 'deleteLine': {
        const ls = lines();
        ls.splice(m.nth % ls.length, 1);
        text = ls.join('\n');
        break;
      }
      case 'swapLines': {
        const ls = lines();
        const a = m.a % ls.length;
        const b = m.b % ls.length;
        [ls[a], ls[b]] = [ls[b]!, ls[a]!];
        text = ls.join('\n');
        break;
      }
      case 'indent': {
        const ls = lines();
        const i = m.nth % ls.length;
        ls[i] = m.by >= 0 ? ' '.repeat(m.by) + ls[i] : ls[i]!.replace(new RegExp(`^ {0,${-m.by}}`), '');
        text = ls.join('\n');
        break;
      }
      case 'replaceValue': {
        const ls = lines();
        const withValue = ls.map((l, i) => [l, i] as const).filter(([l]) => /^\s*(- )?[\w"'-]+:\s+\S/.test(l));
        if (!withValue.length) break;
        const [l, i] = withValue[m.nth % withValue.length]!;
        const indent = /^\s*/.exec(l)![0].length + 2;
        ls[i] = l.replace(/:\s+.*$/, `: ${m.value.replace(/\n/g, `\n${' '.repeat(indent)}`)}`);
        text = ls.join('\n');
        break;
      }
      case 'addKey':
        text = `${text}\n${m.key}: ${m.value.replace(/\n/g, '\n  ')}\n`;
        break;
      case 'deep':
        text = `${text}\n${deepYaml(m.shape, m.depth)}`;
        break;
      case 'aliasBomb': {
        // The billion laughs: each level refers to the one before ten times.
        const out = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
        for (let l = 1; l <= m.levels; l++)
          out.push(`a${l}: &a${l} [${Array.from({ length: 10 }, () => `*a${l - 1}`).join(', ')}]`);
        text = `${text}\n${out.join('\n')}\n`;
        break;
      }
      case 'huge':
        text = `${text}\nhuge: "${'x'.repeat(m.kb * 1024)}"\n`;
        break;
      case 'bom':
        bom = true;
        break;
      case 'crlf':
        text = text.replace(/\n/g, '\r\n');
        break;
      case 'tabs':
        text = text.replace(/^ {2}/gm, '\t');
        break;
      case 'bytes':
        bytes.push(m);
        break;
    }
  }
  let buf = Buffer.from(text, 'utf8');
  if (bom) buf = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), buf]);
  for (const b of bytes) {
    const p = b.at % (buf.length + 1);
    buf = Buffer.concat([buf.subarray(0, p), Buffer.from(BAD_BYTES[b.which]!), buf.subarray(p)]);
  }
  return buf;
}

/** Every problem names the file and a line and column inside it, and says something. */
export function checkProblemPositions(
  problems: readonly { file: string; line: number; column: number; message: string }[],
  file: string,
  text: string,
): void {
  const lines = text.split('\n');
  for (const p of problems) {
    const where = `${p.file}:${p.line}:${p.column} ${p.message}`;
    assert.equal(p.file, file, where);
    assert.ok(typeof p.message === 'string' && p.message.trim().length > 0, `a problem without a message: ${where}`);
    assert.ok(
      Number.isInteger(p.line) && p.line >= 1 && p.line <= lines.length,
      `line outside the file (${lines.length} lines): ${where}`,
    );
    assert.ok(
      Number.isInteger(p.column) && p.column >= 1 && p.column <= lines[p.line - 1]!.length + 1,
      `column past the end of line ${p.line} (${lines[p.line - 1]!.length} characters): ${where}`,
    );
  }
}
