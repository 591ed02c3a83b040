// The benchmark: speed and memory of the analysis on a large generated project, against the parse-only floor measured
// in the same process (what any tool must pay to read and walk every file), plus the example app. Budgets live here,
// not in timed unit tests: `npm run bench` exits 1 when one is exceeded.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ts } from 'ts-morph';
import { DEFAULT_FILES, DEFAULT_SEED, generateProject, type GeneratedProject } from './benchGenerate';
import { analyze } from './core/analyze';
import { DETECTORS } from './core/detect/registry';
import type { Report } from './core/model';
import { scriptKindOf } from './core/scan/scanner';

/** The analysis may cost at most this many times the parse-only floor. */
export const MAX_ANALYSIS_TO_FLOOR = 2;
/** Peak resident memory of the whole benchmark process, in MB. */
export const MAX_PEAK_RSS_MB = 1024;

const EXAMPLE = path.resolve(__dirname, '..', 'examples', 'shop-api');

interface Budget {
  name: string;
  limit: string;
  actual: string;
  ok: boolean;
}

export interface BenchResult {
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
    floorMs: number;
    analysisMs: number;
    ratio: number;
    components: number;
    findings: number;
    timingsMs: Record<string, number>;
  };
  example: { root: string; files: number; analysisMs: number; components: number; findings: number } | undefined;
  peakRssMb: number;
  budgets: Budget[];
  ok: boolean;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

/** Where the time would go with no analysis at all: read, parse and walk every node of every file. */
function parseFloor(root: string, files: readonly string[]): { ms: number; nodes: number } {
  gc();
  const started = performance.now();
  let nodes = 0;
  const visit = (node: ts.Node): void => {
    nodes++;
    ts.forEachChild(node, visit);
  };
  for (const file of files) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    visit(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindOf(file)));
  }
  return { ms: performance.now() - started, nodes };
}

function timedAnalysis(root: string): { ms: number; report: Report } {
  gc();
  const started = performance.now();
  const report = analyze({ root, timings: true });
  return { ms: performance.now() - started, report };
}

/** What must be equal between two runs of the same analysis (ids and locations, not durations). */
function fingerprint(report: Report): string {
  return createHash('sha1')
    .update(JSON.stringify([report.stats.files, report.stats.skipped, report.components, report.findings]))
    .digest('hex');
}

function checkRuns(what: string, reports: Report[], expectedFiles: number | undefined): string[] {
  const problems: string[] = [];
  const first = reports[0]!;
  if (expectedFiles !== undefined && (first.stats.files !== expectedFiles || first.stats.skipped.length)) {
    const reasons = first.stats.skipped.slice(0, 3).map((s) => `${s.file}: ${s.reason}`);
    problems.push(
      `${what}: analysed ${first.stats.files} of ${expectedFiles} files, skipped ${first.stats.skipped.length}` +
        (reasons.length ? ` (${reasons.join('; ')})` : ''),
    );
  }
  const prints = new Set(reports.map(fingerprint));
  if (prints.size > 1) problems.push(`${what}: the analysis gave different reports on identical runs`);
  return problems;
}

const progress = (quiet: boolean, text: string): void => {
  if (!quiet && process.stderr.isTTY) process.stderr.write(`${text}\n`);
};

export function runBench(options: { files: number; seed: number; runs: number; keep: boolean; quiet: boolean }): {
  result: BenchResult;
  problems: string[];
  root: string;
} {
  progress(options.quiet, `generating ${options.files} files (seed ${options.seed})...`);
  const gen: GeneratedProject = generateProject({ files: options.files, seed: options.seed });
  const problems: string[] = [];
  try {
    const floors: number[] = [];
    const analyses: number[] = [];
    const reports: Report[] = [];
    let nodes = 0;
    // Warm-up first (JIT, file cache), then measured runs alternating floor and analysis so drift hits both alike.
    for (let i = 0; i <= options.runs; i++) {
      progress(options.quiet, i === 0 ? 'warm-up...' : `run ${i}/${options.runs}...`);
      const floor = parseFloor(gen.root, gen.files);
      const run = timedAnalysis(gen.root);
      nodes = floor.nodes;
      if (i === 0) continue;
      floors.push(floor.ms);
      analyses.push(run.ms);
      reports.push(run.report);
    }
    problems.push(...checkRuns('generated project', reports, gen.files.length));
    const phases = new Set(reports.flatMap((r) => Object.keys(r.stats.timings ?? {})));
    const timingsMs: Record<string, number> = {};
    for (const p of phases) timingsMs[p] = median(reports.map((r) => r.stats.timings?.[p] ?? 0));
    const floorMs = median(floors);
    const analysisMs = median(analyses);
    const last = reports[reports.length - 1]!;

    let example: BenchResult['example'];
    if (fs.existsSync(EXAMPLE)) {
      progress(options.quiet, 'examples/shop-api...');
      const exReports: Report[] = [];
      const exMs: number[] = [];
      for (let i = 0; i <= options.runs; i++) {
        const run = timedAnalysis(EXAMPLE);
        if (i === 0) continue;
        exMs.push(run.ms);
        exReports.push(run.report);
      }
      problems.push(...checkRuns('examples/shop-api', exReports, undefined));
      const r = exReports[0]!;
      example = {
        root: 'examples/shop-api',
        files: r.stats.files,
        analysisMs: median(exMs),
        components: r.components.length,
        findings: r.findings.length,
      };
    } else {
      problems.push(`examples/shop-api not found at ${EXAMPLE}`);
    }

    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    const ratio = analysisMs / floorMs;
    const budgets: Budget[] = [
      {
        name: 'analysis / parse-only floor',
        limit: `<= ${MAX_ANALYSIS_TO_FLOOR.toFixed(2)}x`,
        actual: `${ratio.toFixed(2)}x`,
        ok: ratio <= MAX_ANALYSIS_TO_FLOOR,
      },
      {
        name: 'peak RSS',
        limit: `< ${MAX_PEAK_RSS_MB} MB`,
        actual: `${Math.round(peakRssMb)} MB`,
        ok: peakRssMb < MAX_PEAK_RSS_MB,
      },
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
        floorMs: Math.round(floorMs),
        analysisMs: Math.round(analysisMs),
        ratio: Number(ratio.toFixed(3)),
        components: last.components.length,
        findings: last.findings.length,
        timingsMs,
      },
      example,
      peakRssMb: Math.round(peakRssMb),
      budgets,
      ok: budgets.every((b) => b.ok) && problems.length === 0,
    };
    return { result, problems, root: gen.root };
  } finally {
    if (!options.keep) fs.rmSync(gen.root, { recursive: true, force: true });
  }
}

const n = (x: number): string => x.toLocaleString('en-US');

function table(result: BenchResult, root: string | undefined): string {
  const p = result.project;
  const rows: [string, string][] = [
    ['files', `${n(p.files)}  (${Object.entries(p.byExtension).map(([e, c]) => `${n(c)} ${e}`).join(', ')})`],
    ['lines', n(p.lines)],
    ['AST nodes', n(p.nodes)],
    ['parse-only floor', `${n(p.floorMs)} ms`],
    ['analysis', `${n(p.analysisMs)} ms`],
    ['ratio', `${p.ratio.toFixed(2)}x  (budget <= ${MAX_ANALYSIS_TO_FLOOR.toFixed(2)}x)`],
    ['phases', Object.entries(p.timingsMs).map(([k, v]) => `${k} ${n(v)}`).join(' · ') + ' ms'],
    ['components', n(p.components)],
    ['findings', n(p.findings)],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  const out = [
    `Serverless Advisor benchmark · node ${result.node} · ${result.detectors.length} detectors · medians of ${result.runs} runs after 1 warm-up`,
    '',
    `generated project (seed ${p.seed}, ${p.hash.slice(0, 12)})${root ? `  kept at ${root}` : ''}`,
    ...rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`),
    '',
  ];
  const ex = result.example;
  if (ex) {
    out.push(
      ex.root,
      `  ${'analysis'.padEnd(w)}  ${n(Math.round(ex.analysisMs))} ms  (${n(ex.files)} files, ${n(ex.components)} components, ${n(ex.findings)} findings)`,
      '',
    );
  }
  out.push(`${'peak RSS'.padEnd(w + 2)}  ${n(result.peakRssMb)} MB  (budget < ${MAX_PEAK_RSS_MB} MB)`, '');
  for (const b of result.budgets) out.push(`${b.ok ? 'ok  ' : 'OVER'}  ${b.name}: ${b.actual} (budget ${b.limit})`);
  return out.join('\n');
}

function main(): number {
  let args;
  try {
    args = parseArgs({
      options: {
        json: { type: 'boolean', default: false },
        files: { type: 'string', default: String(DEFAULT_FILES) },
        seed: { type: 'string', default: String(DEFAULT_SEED) },
        runs: { type: 'string', default: '3' },
        keep: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(
      'usage: bench [--json] [--files N] [--seed N] [--runs N] [--keep]\n' +
        '  --json   machine-readable result on stdout\n' +
        `  --files  size of the generated project (default ${DEFAULT_FILES})\n` +
        '  --seed   generator seed (same seed, same project)\n' +
        '  --runs   measured runs after one warm-up (default 3); medians are reported\n' +
        '  --keep   keep the generated project and print where it is\n',
    );
    return 0;
  }
  const files = Number(args.files);
  const seed = Number(args.seed);
  const runs = Number(args.runs);
  if (!Number.isInteger(files) || files < 50 || !Number.isInteger(seed) || !Number.isInteger(runs) || runs < 1) {
    process.stderr.write('bench: --files must be an integer >= 50, --seed an integer, --runs an integer >= 1\n');
    return 2;
  }
  const { result, problems, root } = runBench({ files, seed, runs, keep: args.keep, quiet: args.json });
  if (args.json) process.stdout.write(JSON.stringify({ ...result, problems }, null, 2) + '\n');
  else process.stdout.write(table(result, args.keep ? root : undefined) + '\n');
  for (const p of problems) process.stderr.write(`bench: ${p}\n`);
  for (const b of result.budgets) {
    if (!b.ok) process.stderr.write(`bench: over budget: ${b.name} is ${b.actual}, the budget is ${b.limit}\n`);
  }
  return result.ok ? 0 : 1;
}

// Only as the entry point (dist/bench.js, `tsx src/bench.ts`), not when imported.
if (require.main === module) process.exitCode = main();
