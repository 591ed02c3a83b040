// The benchmark: speed and memory of the analysis on a large generated project, against the parse-only floor measured
// in the same process (what any tool must pay to read and walk every file), plus the example app. Budgets live here,
// not in timed unit tests: `npm run bench` exits 1 when one is exceeded.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ts } from './core/ts';
import { DEFAULT_FILES, DEFAULT_SEED, generateProject, type GeneratedProject } from './benchGenerate';
import { generateTortureTree } from './benchTorture';
import { analyze } from './core/analyze';
import { DETECTORS } from './core/detect/registry';
import { discover } from './core/load/discover';
import type { Report } from './core/model';
import type { Detector } from './core/scan/detector';
import { scriptKindOf } from './core/scan/scanner';
import { AnalysisSession } from './core/session';

/** The analysis may cost at most this many times the parse-only floor (CPU time, medians). */
const MAX_ANALYSIS_TO_FLOOR = 2;
/** Pricing one component on every offering, with its break-even search (wall ms, median run). */
const MAX_COST_MS_PER_COMPONENT = 10;
/** One saved file re-analysed by an incremental session, costs included (wall ms, median of the edits). */
const MAX_UPDATE_MS = 300;
/** Peak resident memory of the whole benchmark process, in MB. */
const MAX_PEAK_RSS_MB = 1024;
const DEFAULT_RUNS = 5;
/** The torture tree: this many small files, plus every odd file (src/benchTorture.ts). */
const TORTURE_FILES = 20_000;
/**
 * The torture tree, analysed once in a fresh process: wall time, and that process's peak RSS. Measured 2.8 s on a
 * quiet 2-core machine and 24 s with three other test runs competing for it; the budget leaves room for the latter.
 */
const MAX_TORTURE_MS = 30_000;
const MAX_TORTURE_RSS_MB = 1024;

const EXAMPLE = path.resolve(__dirname, '..', 'examples', 'shop-api');

/** Wall-clock and CPU milliseconds of one measured step. */
interface Cost {
  wallMs: number;
  cpuMs: number;
}

interface Budget {
  name: string;
  limit: string;
  actual: string;
  ok: boolean;
}

interface BenchResult {
  node: string;
  detectors: string[];
  runs: number;
  project: {
    seed: number;
    files: number;
    lines: number;
    bytes: number;
    byExtension: Record<string, number>;
    hash: string;
    nodes: number;
    floor: Cost;
    analysis: Cost;
    /** The analysis with no detector registered: what the core (discovery, units, imports, attribution) costs. */
    core: Cost;
    ratio: { wall: number; cpu: number };
    components: number;
    findings: number;
    /** report.stats.timings, medians per phase. */
    timingsMs: Record<string, number>;
    /** The analysis with costs, and the cost phase per priced component. */
    costs: { analysis: Cost; costPhaseMs: number; perComponentMs: number; components: number };
    /** The editor's re-analyse on save: a session's full run, then one saved file at a time. */
    session: SessionResult;
  };
  example: { root: string; files: number; analysis: Cost; components: number; findings: number } | undefined;
  torture: TortureResult | undefined;
  peakRssMb: number;
  budgets: Budget[];
  problems: string[];
  ok: boolean;
}

/** The torture tree analysed once in a child process (its own peak memory, nothing cached). */
interface TortureResult {
  smallFiles: number;
  files: number;
  skipped: number;
  /** Odd files the tree expected to be skipped that the report did not list (must be empty). */
  missed: string[];
  components: number;
  analysis: Cost;
  peakRssMb: number;
}

interface SessionResult {
  run: Cost;
  /** Heap the session holds between saves (syntax trees, scan results, caches), after a full GC. */
  retainedMb: number;
  updates: {
    file: string;
    edit: string;
    wallMs: number;
    cpuMs: number;
    incremental: boolean;
    timings: Record<string, number>;
  }[];
  medianMs: number;
  maxMs: number;
  /** The last update's report against a fresh analysis of the edited tree. */
  matchesFresh: boolean;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const medianCost = (xs: Cost[]): Cost => ({
  wallMs: Math.round(median(xs.map((x) => x.wallMs))),
  cpuMs: Math.round(median(xs.map((x) => x.cpuMs))),
});

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

/**
 * Runs fn after a full GC (with --expose-gc) and returns its wall and CPU time. CPU time is what the budget compares:
 * on a busy machine wall time also counts the time spent waiting for a core, which is noise here.
 */
function measure<T>(fn: () => T): { cost: Cost; value: T } {
  gc();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = fn();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { cost: { wallMs, cpuMs: (used.user + used.system) / 1000 }, value };
}

/** Where the time would go with no analysis at all: read, parse and walk every node of every file. */
function parseFloor(root: string, files: readonly string[]): number {
  // `ts` from ts-morph is a getter (two, once bundled): read it once so the floor is a floor.
  const { forEachChild, createSourceFile, ScriptTarget } = ts;
  let nodes = 0;
  const visit = (node: ts.Node): void => {
    nodes++;
    forEachChild(node, visit);
  };
  for (const file of files) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    visit(createSourceFile(file, text, ScriptTarget.Latest, true, scriptKindOf(file)));
  }
  return nodes;
}

/** Components, findings and classification: the work that grows with the code, compared against the floor. */
const analysis = (root: string, detectors: readonly Detector[] = DETECTORS): Report =>
  analyze({ root, timings: true, detectors, costs: false });

/** The same with costs: pricing grows with the number of components, not lines, so it has its own budget. */
const withCosts = (root: string): Report => analyze({ root, timings: true });

/** What must be equal between two runs of the same analysis (ids and locations, not durations). */
function fingerprint(report: Report): string {
  return createHash('sha1')
    .update(JSON.stringify([report.stats.files, report.stats.skipped, report.components, report.findings]))
    .digest('hex');
}

/** A benchmark that silently analysed fewer files than it generated would flatter the analysis. */
function checkRuns(what: string, reports: Report[], expected?: { root: string; files: readonly string[] }): string[] {
  const problems: string[] = [];
  const first = reports[0]!;
  if (expected && (first.stats.files !== expected.files.length || first.stats.skipped.length)) {
    const found = new Set(discover(expected.root).files);
    const missing = expected.files.filter((f) => !found.has(f));
    const skipped = first.stats.skipped.map((s) => `${s.file}: ${s.reason}`);
    problems.push(
      `${what}: analysed ${first.stats.files} of ${expected.files.length} files` +
        (missing.length ? `; ${missing.length} not discovered (${missing.slice(0, 3).join(', ')})` : '') +
        (skipped.length ? `; ${skipped.length} skipped (${skipped.slice(0, 3).join('; ')})` : ''),
    );
  }
  if (new Set(reports.map(fingerprint)).size > 1) {
    problems.push(`${what}: the analysis gave different reports on identical runs`);
  }
  return problems;
}

/** A small edit of one file: a realistic save, the file still valid. */
interface Edit {
  name: string;
  /** Which generated file it applies to. */
  file: RegExp;
  apply(text: string): string;
}

/** Inserts `line` after the first line matching `at` (or appends it as a comment when no line does). */
function insertAfter(text: string, at: RegExp, line: string): string {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => at.test(l));
  if (i < 0) return `${text}\n// ${line.trim()}\n`;
  lines.splice(i + 1, 0, line);
  return lines.join('\n');
}

const EDITS: Edit[] = [
  {
    name: 'route added',
    file: /\.routes\.(ts|js)$/,
    apply: (t) => insertAfter(t, /^router\.get\(/, "router.get('/bench-ping', (req, res) => res.json({ ok: true }));"),
  },
  {
    name: 'handler body',
    file: /\.controller\.(ts|js)$/,
    apply: (t) => insertAfter(t, /^export async function/, "  res.set('x-bench', '1');"),
  },
  {
    name: 'service method body',
    file: /\.service\.(ts|js)$/,
    apply: (t) => insertAfter(t, /^\s+async \w+\(.*\) \{$/, '    const startedAt = Date.now();'),
  },
  {
    name: 'module state added (a new hazard)',
    file: /\.repository\.(ts|js)$/,
    apply: (t) =>
      insertAfter(
        `const benchSeen = new Map();\n${t}`,
        /^\s+async \w+\(.*\) \{$/,
        '    benchSeen.set(String(Date.now()), 1);',
      ),
  },
  { name: 'comment in a shared utility', file: /^src\/utils\//, apply: (t) => `// reviewed\n${t}` },
  {
    name: 'job body',
    file: /\.job\.(ts|js)$/,
    apply: (t) => `${t}\nexport function benchJobHelper() {\n  return Date.now();\n}\n`,
  },
];

/** What the report says that a session must reproduce: components, findings, files, and the totals. */
const sessionKey = (r: Report): string => JSON.stringify([fingerprint(r), r.totals]);

const heapMb = (): number => {
  gc();
  return process.memoryUsage().heapUsed / 1048576;
};

/**
 * The editor's loop: a session's full run, then, one at a time, a small edit to a file of each kind and back again,
 * each followed by update([file]). The session is dropped before its last report is compared with a fresh analysis of
 * the tree as edited, so that the two never hold their syntax trees at once (the editor never does).
 */
function measureSession(root: string, files: readonly string[], say: (text: string) => void): SessionResult {
  say('incremental session...');
  const edits = sessionEdits(root, files);
  // The session is garbage now: what it held is the difference.
  const retainedMb = Math.round(edits.heapMb - heapMb());
  const fresh = analyze({ root });
  const walls = edits.updates.map((u) => u.wallMs);
  return {
    run: edits.run,
    retainedMb,
    updates: edits.updates,
    medianMs: Math.round(median(walls)),
    maxMs: Math.max(...walls),
    matchesFresh: edits.lastKey !== undefined && edits.lastKey === sessionKey(fresh),
  };
}

function sessionEdits(
  root: string,
  files: readonly string[],
): Pick<SessionResult, 'run' | 'updates'> & { heapMb: number; lastKey?: string } {
  const started = measure(() => {
    const s = new AnalysisSession({ root, timings: true });
    s.run();
    return s;
  });
  const session = started.value;
  const heapWithSession = heapMb();
  const updates: SessionResult['updates'] = [];
  let last: Report | undefined;
  for (const edit of EDITS) {
    const file = files.find((f) => edit.file.test(f));
    if (!file) continue;
    const abs = path.join(root, file);
    const original = fs.readFileSync(abs, 'utf8');
    const edited = edit.apply(original);
    for (const [text, name] of [
      [edited, edit.name],
      [original, `${edit.name}, undone`],
    ] as const) {
      fs.writeFileSync(abs, text);
      const run = measure(() => session.update([file]));
      last = run.value;
      updates.push({
        file,
        edit: name,
        wallMs: Math.round(run.cost.wallMs),
        cpuMs: Math.round(run.cost.cpuMs),
        incremental: session.lastRun === 'incremental',
        timings: run.value.stats.timings ?? {},
      });
    }
  }
  // One edit left in place, so that the comparison is not with the tree the full run saw.
  const kept = updates.length ? files.find((f) => EDITS[1]!.file.test(f)) : undefined;
  if (kept) {
    const abs = path.join(root, kept);
    fs.writeFileSync(abs, EDITS[1]!.apply(fs.readFileSync(abs, 'utf8')));
    last = session.update([kept]);
  }
  return { run: started.cost, heapMb: heapWithSession, updates, lastKey: last && sessionKey(last) };
}

interface BenchOptions {
  files: number;
  seed: number;
  runs: number;
  keep: boolean;
  quiet: boolean;
  /** Small files in the torture tree; 0 leaves it out. */
  tortureFiles: number;
}

/** Runs `--torture-child N` in a fresh Node (same flags) and reads its result; a failure becomes a problem. */
function runTortureChild(smallFiles: number, problems: string[]): TortureResult | undefined {
  const child = spawnSync(process.execPath, [...process.execArgv, __filename, '--torture-child', String(smallFiles)], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (child.status !== 0) {
    problems.push(
      `torture tree: the analysis process failed (${child.status ?? child.signal}): ${child.stderr.slice(-2000)}`,
    );
    return undefined;
  }
  const result = JSON.parse(child.stdout) as TortureResult;
  if (result.missed.length) problems.push(`torture tree: not listed as skipped: ${result.missed.join(', ')}`);
  return result;
}

/** The child's side: generate the tree, analyse it once, print the result as JSON. */
function tortureChild(smallFiles: number): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-torture-'));
  try {
    const tree = generateTortureTree(dir, { smallFiles });
    const run = measure(() => analyze({ root: tree.root }));
    const skipped = new Map(run.value.stats.skipped.map((s) => [s.file, s.reason]));
    const result: TortureResult = {
      smallFiles,
      files: run.value.stats.files,
      skipped: run.value.stats.skipped.length,
      missed: tree.expectSkipped.filter((e) => !e.reason.test(skipped.get(e.file) ?? '')).map((e) => e.file),
      components: run.value.components.length,
      analysis: run.cost,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    process.stdout.write(JSON.stringify(result));
    return 0;
  } finally {
    fs.chmodSync(path.join(dir, 'repo', 'packages', 'api', 'src', 'locked.ts'), 0o644);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function runBench(options: BenchOptions): { result: BenchResult; root: string } {
  const say = (text: string): void => {
    if (!options.quiet && process.stderr.isTTY) process.stderr.write(`${text}\n`);
  };
  say(`generating ${options.files} files (seed ${options.seed})...`);
  const gen: GeneratedProject = generateProject({ files: options.files, seed: options.seed });
  const problems: string[] = [];
  try {
    const floors: Cost[] = [];
    const analyses: Cost[] = [];
    const cores: Cost[] = [];
    const reports: Report[] = [];
    let nodes = 0;
    // One warm-up round (JIT, file cache), then measured rounds alternating the steps so drift hits them alike.
    for (let i = 0; i <= options.runs; i++) {
      say(i === 0 ? 'warm-up...' : `run ${i}/${options.runs}...`);
      const floor = measure(() => parseFloor(gen.root, gen.files));
      const full = measure(() => analysis(gen.root));
      const core = measure(() => analysis(gen.root, []));
      nodes = floor.value;
      if (i === 0) continue;
      floors.push(floor.cost);
      analyses.push(full.cost);
      cores.push(core.cost);
      reports.push(full.value);
    }
    problems.push(...checkRuns('generated project', reports, gen));
    const costRuns: Cost[] = [];
    const costPhases: number[] = [];
    let priced = 0;
    for (let i = 0; i < Math.max(1, Math.min(options.runs, 3)); i++) {
      say(`with costs ${i + 1}...`);
      const run = measure(() => withCosts(gen.root));
      costRuns.push(run.cost);
      costPhases.push(run.value.stats.timings?.cost ?? 0);
      priced = run.value.components.filter((c) => c.cost?.length).length;
    }
    const costPhaseMs = median(costPhases);
    const costs = {
      analysis: medianCost(costRuns),
      costPhaseMs: Math.round(costPhaseMs),
      perComponentMs: priced ? Number((costPhaseMs / priced).toFixed(2)) : 0,
      components: priced,
    };
    const session = measureSession(gen.root, gen.files, say);
    if (!session.updates.length) problems.push('session: no generated file matched the edits');
    if (!session.matchesFresh) problems.push('session: the last update differs from a fresh analysis of the same tree');
    const fellBack = session.updates.filter((u) => !u.incremental);
    if (fellBack.length) problems.push(`session: ${fellBack.length} update(s) ran in full instead of incrementally`);
    const timingsMs: Record<string, number> = {};
    for (const p of new Set(reports.flatMap((r) => Object.keys(r.stats.timings ?? {})))) {
      timingsMs[p] = Math.round(median(reports.map((r) => r.stats.timings?.[p] ?? 0)));
    }
    const floor = medianCost(floors);
    const full = medianCost(analyses);
    const core = medianCost(cores);
    const last = reports[reports.length - 1]!;

    let example: BenchResult['example'];
    if (fs.existsSync(EXAMPLE)) {
      say('examples/shop-api...');
      const exReports: Report[] = [];
      const exCosts: Cost[] = [];
      for (let i = 0; i <= options.runs; i++) {
        const run = measure(() => analysis(EXAMPLE));
        if (i === 0) continue;
        exCosts.push(run.cost);
        exReports.push(run.value);
      }
      problems.push(...checkRuns('examples/shop-api', exReports));
      const r = exReports[0]!;
      example = {
        root: 'examples/shop-api',
        files: r.stats.files,
        analysis: medianCost(exCosts),
        components: r.components.length,
        findings: r.findings.length,
      };
    } else {
      problems.push(`examples/shop-api not found at ${EXAMPLE}`);
    }

    // maxRSS is in KiB on Linux and macOS.
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    // Each round's analysis against the floor measured just before it, then the median of those ratios: a slow
    // stretch of the machine hits both sides of one ratio rather than one side of the medians.
    const ratio = {
      wall: median(analyses.map((a, i) => a.wallMs / floors[i]!.wallMs)),
      cpu: median(analyses.map((a, i) => a.cpuMs / floors[i]!.cpuMs)),
    };
    say(`torture tree (${n(options.tortureFiles)} small files and the odd ones), in a fresh process...`);
    const torture = options.tortureFiles > 0 ? runTortureChild(options.tortureFiles, problems) : undefined;
    const budgets: Budget[] = [
      {
        name: 'analysis / parse-only floor (CPU time)',
        limit: `<= ${MAX_ANALYSIS_TO_FLOOR.toFixed(2)}x`,
        actual: `${ratio.cpu.toFixed(2)}x`,
        ok: ratio.cpu <= MAX_ANALYSIS_TO_FLOOR,
      },
      {
        name: 'cost phase per priced component (wall time)',
        limit: `<= ${MAX_COST_MS_PER_COMPONENT} ms`,
        actual: `${costs.perComponentMs} ms`,
        ok: costs.perComponentMs <= MAX_COST_MS_PER_COMPONENT,
      },
      {
        name: 'one saved file re-analysed, incremental session with costs (wall time, median)',
        limit: `<= ${MAX_UPDATE_MS} ms (median)`,
        actual: `${session.medianMs} ms (max ${session.maxMs} ms over ${session.updates.length} updates)`,
        ok: session.medianMs <= MAX_UPDATE_MS,
      },
      {
        name: 'peak RSS',
        limit: `< ${MAX_PEAK_RSS_MB} MB`,
        actual: `${peakRssMb} MB`,
        ok: peakRssMb < MAX_PEAK_RSS_MB,
      },
      ...(torture
        ? [
            {
              name: `torture tree, ${n(torture.files)} files analysed and ${n(torture.skipped)} skipped (wall time, one run)`,
              limit: `<= ${n(MAX_TORTURE_MS)} ms`,
              actual: `${n(Math.round(torture.analysis.wallMs))} ms`,
              ok: torture.analysis.wallMs <= MAX_TORTURE_MS,
            },
            {
              name: 'torture tree, peak RSS of its process',
              limit: `< ${MAX_TORTURE_RSS_MB} MB`,
              actual: `${torture.peakRssMb} MB`,
              ok: torture.peakRssMb < MAX_TORTURE_RSS_MB,
            },
          ]
        : []),
    ];
    const result: BenchResult = {
      node: process.version,
      detectors: DETECTORS.map((d) => d.id),
      runs: options.runs,
      project: {
        seed: options.seed,
        files: gen.files.length,
        lines: gen.lines,
        bytes: gen.bytes,
        byExtension: gen.byExtension,
        hash: gen.hash,
        nodes,
        floor,
        analysis: full,
        core,
        ratio: { wall: Number(ratio.wall.toFixed(3)), cpu: Number(ratio.cpu.toFixed(3)) },
        components: last.components.length,
        findings: last.findings.length,
        timingsMs,
        costs,
        session,
      },
      example,
      torture,
      peakRssMb,
      budgets,
      problems,
      ok: budgets.every((b) => b.ok) && problems.length === 0,
    };
    return { result, root: gen.root };
  } finally {
    if (!options.keep) fs.rmSync(gen.root, { recursive: true, force: true });
  }
}

const n = (x: number): string => x.toLocaleString('en-US');

/** `phase ms · phase ms` over several runs' stats.timings, medians. */
function phaseMedians(runs: Record<string, number>[]): string {
  const phases = [...new Set(runs.flatMap((t) => Object.keys(t)))];
  return phases.map((k) => `${k} ${n(Math.round(median(runs.map((t) => t[k] ?? 0))))}`).join(' · ');
}

function table(result: BenchResult, keptAt: string | undefined): string {
  const p = result.project;
  const x = (c: Cost): string => `${(c.cpuMs / p.floor.cpuMs).toFixed(2)}x`;
  const costRows: [string, Cost, string][] = [
    ['parse-only floor', p.floor, x(p.floor)],
    ['analysis, no detectors', p.core, x(p.core)],
    [
      'analysis',
      p.analysis,
      `${x(p.analysis)}  (median of each round's ratio: ${p.ratio.cpu.toFixed(2)}x; budget <= ${MAX_ANALYSIS_TO_FLOOR.toFixed(2)}x)`,
    ],
  ];
  const w = 24;
  const num = (v: number): string => n(v).padStart(9);
  const out = [
    `Serverless Advisor benchmark · node ${result.node} · ${result.detectors.length} detectors · ` +
      `medians of ${result.runs} runs after 1 warm-up`,
    '',
    `generated project (seed ${p.seed}, ${p.hash.slice(0, 12)})${keptAt ? `, kept at ${keptAt}` : ''}`,
    `  ${'files'.padEnd(w)}${num(p.files)}  (${Object.entries(p.byExtension)
      .map(([e, c]) => `${n(c)} ${e}`)
      .join(', ')})`,
    `  ${'lines'.padEnd(w)}${num(p.lines)}`,
    `  ${'AST nodes'.padEnd(w)}${num(p.nodes)}`,
    '',
    `  ${''.padEnd(w)}${'wall ms'.padStart(9)}${'cpu ms'.padStart(9)}  cpu / floor`,
    ...costRows.map(([k, c, r]) => `  ${k.padEnd(w)}${num(c.wallMs)}${num(c.cpuMs)}  ${r}`),
    `  ${'ratio, wall time'.padEnd(w)}${`${p.ratio.wall.toFixed(2)}x`.padStart(9)}`,
    `  ${'phases (wall ms)'.padEnd(w)}  ${Object.entries(p.timingsMs)
      .map(([k, v]) => `${k} ${n(v)}`)
      .join(' · ')}`,
    `  ${'with costs'.padEnd(w)}${num(p.costs.analysis.wallMs)}${num(p.costs.analysis.cpuMs)}  ` +
      `cost phase ${n(p.costs.costPhaseMs)} ms for ${n(p.costs.components)} priced components: ${p.costs.perComponentMs} ms each`,
    `  ${'components'.padEnd(w)}${num(p.components)}`,
    `  ${'findings'.padEnd(w)}${num(p.findings)}`,
    '',
    `  incremental session (costs included): full run ${n(Math.round(p.session.run.wallMs))} ms, ` +
      `${n(p.session.retainedMb)} MB of heap kept between saves; then one saved file at a time`,
    ...p.session.updates.map(
      (u) =>
        `    ${`${u.edit}`.padEnd(44)}${num(u.wallMs)} ms${num(u.cpuMs)} cpu  ${u.file}${u.incremental ? '' : '  (full run)'}`,
    ),
    `    ${'median / max'.padEnd(44)}${num(p.session.medianMs)} ms${num(p.session.maxMs)} ms  ` +
      `(same report as a fresh analysis: ${p.session.matchesFresh ? 'yes' : 'NO'})`,
    `    ${'phases, median (wall ms)'.padEnd(44)}${phaseMedians(p.session.updates.map((u) => u.timings))}`,
  ];
  out.push('');
  const ex = result.example;
  if (ex) {
    out.push(
      ex.root,
      `  ${'analysis'.padEnd(w)}${num(ex.analysis.wallMs)} ms  ` +
        `(${n(ex.files)} files, ${n(ex.components)} components, ${n(ex.findings)} findings)`,
      '',
    );
  }
  const t = result.torture;
  if (t) {
    out.push(
      `torture tree (${n(t.smallFiles)} small files, a 5 MB bundle, binary and invalid UTF-8 files, BOM, CRLF, symlink ` +
        'loop and escapes, a FIFO, an unreadable file), one run in a fresh process',
      `  ${'analysis'.padEnd(w)}${num(Math.round(t.analysis.wallMs))} ms${num(Math.round(t.analysis.cpuMs))} cpu  (${n(t.files)} files, ` +
        `${n(t.skipped)} skipped with their reasons, ${n(t.components)} components; peak RSS ${n(t.peakRssMb)} MB)`,
      '',
    );
  }
  out.push(`${'peak RSS'.padEnd(w + 2)}${num(result.peakRssMb)} MB  (budget < ${MAX_PEAK_RSS_MB} MB)`, '');
  for (const b of result.budgets) out.push(`${b.ok ? 'ok  ' : 'OVER'}  ${b.name}: ${b.actual} (budget ${b.limit})`);
  return out.join('\n');
}

const USAGE = `usage: node --expose-gc dist/bench.js [--json] [--files N] [--seed N] [--runs N] [--keep]
  --json          machine-readable result on stdout (the table otherwise)
  --files N       size of the generated project (default ${DEFAULT_FILES})
  --seed N        generator seed: the same seed gives the same project (default ${DEFAULT_SEED})
  --runs N        measured runs after one warm-up; medians are reported (default ${DEFAULT_RUNS})
  --keep          keep the generated project and print where it is
  --torture N     small files in the torture tree (default ${TORTURE_FILES}; 0 leaves it out)
Exit code 1 when a budget is exceeded or the analysis missed generated files.
`;

function main(): number {
  let args;
  try {
    args = parseArgs({
      options: {
        json: { type: 'boolean', default: false },
        files: { type: 'string', default: String(DEFAULT_FILES) },
        seed: { type: 'string', default: String(DEFAULT_SEED) },
        runs: { type: 'string', default: String(DEFAULT_RUNS) },
        keep: { type: 'boolean', default: false },
        torture: { type: 'string', default: String(TORTURE_FILES) },
        'torture-child': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args['torture-child'] !== undefined) return tortureChild(Number(args['torture-child']));
  const files = Number(args.files);
  const tortureFiles = Number(args.torture);
  const seed = Number(args.seed);
  const runs = Number(args.runs);
  if (
    !Number.isInteger(files) ||
    files < 50 ||
    !Number.isInteger(seed) ||
    !Number.isInteger(runs) ||
    runs < 1 ||
    !Number.isInteger(tortureFiles) ||
    tortureFiles < 0
  ) {
    process.stderr.write(
      `bench: --files must be an integer >= 50, --seed an integer, --runs an integer >= 1, --torture an integer >= 0\n${USAGE}`,
    );
    return 2;
  }
  if (!(globalThis as { gc?: unknown }).gc && !args.json) {
    process.stderr.write('bench: run node with --expose-gc for steadier numbers (a full GC before each step)\n');
  }
  const { result, root } = runBench({
    files,
    seed,
    runs,
    keep: args.keep,
    quiet: args.json,
    tortureFiles,
  });
  if (args.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else process.stdout.write(table(result, args.keep ? root : undefined) + '\n');
  for (const p of result.problems) process.stderr.write(`bench: ${p}\n`);
  for (const b of result.budgets) {
    if (!b.ok) process.stderr.write(`bench: over budget: ${b.name} is ${b.actual}, the budget is ${b.limit}\n`);
  }
  return result.ok ? 0 : 1;
}

// Only as the entry point (dist/bench.js, `tsx src/bench.ts`), not when imported.
if (require.main === module) process.exitCode = main();
