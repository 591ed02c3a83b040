#!/usr/bin/env node
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { AnalysisInputError, analyze, type AnalyzeOptions, type AnalyzeProgress } from './core/analyze';
import { packageName } from './core/load/manifests';
import { isOwnReport, writeFileAtomic } from './core/fsWrite';
import type { Report } from './core/model';
import { IAC_FILES, IAC_FORMATS, scaffold, type IacFormat } from './core/present/iac';
import { renderJson } from './core/present/json';
import { renderHtml } from './core/present/html';
import { renderMarkdown } from './core/present/markdown';
import { renderMermaidMarkdown } from './core/present/mermaid';
import { renderSarif } from './core/present/sarif';
import { KNOWN_FACTS } from './core/rules/facts';
import { loadRules } from './core/rules/load';
import { testRules } from './core/ruleTests';
import type { Problem, Rule } from './core/rules/types';
import { TOOL_VERSION } from './core/version';

/** Each format's renderer; `out` is the file the report goes to, which the migration reports link the code from. */
const FORMATS: Record<string, (r: Report, rules: readonly Rule[], out?: string) => string | Promise<string>> = {
  json: renderJson,
  md: (r, rules, out) => renderMarkdown(r, { rules, outFile: out }),
  html: (r, rules, out) => renderHtml(r, { rules, outFile: out }),
  mermaid: renderMermaidMarkdown,
  sarif: renderSarif,
};

const FAIL_ON = ['error', 'warning', 'none'] as const;

const HELP = `serverless-advisor ${TOOL_VERSION}
Finds the deployable components of a Node.js / TypeScript codebase and what in their code stands in the way
of running them as serverless functions.

Usage:
  serverless-advisor analyze DIR [options]
  serverless-advisor scaffold DIR --format serverless|sam --out OUTDIR [--force] [options]
  serverless-advisor rules list [--rules RULES_DIR]...
  serverless-advisor rules test RULES_DIR [--fixtures FIXTURES_DIR]
  serverless-advisor rules facts
  serverless-advisor --help | --version

Options for analyze:
  -f, --format FORMAT   json (the report contract, default); md (the migration report in Markdown, for
                        a repository or a pull request: today, the proposal and why, cost, the plan by
                        phase with effort, risks, evidence per component; diagrams as Mermaid blocks;
                        with --out, links to the code are relative to FILE); html (the same report
                        as one self-contained HTML file to share: diagrams drawn as inline SVG, no
                        script, nothing loaded from anywhere; write it with --out report.html);
                        mermaid (today's and the proposed architecture as Mermaid flowcharts in
                        Markdown, for a pull request or a wiki; the proposal uses the first
                        --provider's services, AWS by default); or sarif (SARIF 2.1.0 for code
                        scanning: one result per finding, suppressed ones marked, paths relative to DIR)
  -o, --out FILE        write the report to FILE instead of stdout; replaces FILE only when it is an
                        earlier report of this tool, or with --force
      --force           replace FILE even when it is not an earlier report
  -x, --exclude GLOB    leave out files matching GLOB (gitignore syntax, relative to DIR); repeatable
      --max-files N     analyse at most N source files (the rest is listed as skipped)
      --timings         add the time spent per phase to stats.timings
      --rules DIR       also load the rules (*.yaml) in DIR, after the built-ins and the workspace's
                        .serverless-advisor/rules; repeatable. A broken rule is printed on stderr as
                        file:line:column: message (so are ignore comments without a reason), listed in
                        report.problems, and the other rules still run
      --usage FILE      the usage profile (default: DIR/serverless-advisor.yaml; defaults by component
                        kind when there is none, and the report says so)
      --provider P      price only aws, azure, gcp or cloudflare (repeatable; default all); the first
                        one also names the services of the proposed architecture
      --arch A          price Lambda and Fargate on x86 or arm64 only (default: both)
      --no-costs        leave costs out of the report
  -q, --quiet           no progress line and no problems on stderr

Gates for CI (exit code 1 when crossed, with the reason on stderr):
      --fail-on LEVEL   error: any error finding; warning: any error or warning; none (default)
      --max-monthly-usd N  the likely monthly total of all components on --offering exceeds N dollars
      --offering ID     the offering --max-monthly-usd checks (default aws-lambda-arm64, or the first
                        function offering priced); see report.totals.offerings for the ids

Scaffold (infrastructure skeletons):
  scaffold DIR          analyses DIR as analyze does and writes OUTDIR/serverless.yml (--format
                        serverless, Serverless Framework) or OUTDIR/template.yaml (--format sam, AWS SAM):
                        one function per component classified faas (and per scheduled job classified
                        baas), with its HTTP routes, queue and schedule triggers, memory and timeout from
                        the usage profile, arm64 unless a native module needs x86_64, and comments naming
                        the findings still open on it. Review it before deploying.
  -o, --out OUTDIR      the folder to write into (created when missing); the file is written to a
                        temporary file there, then renamed, so it is never left half written
      --force           replace an existing OUTDIR/serverless.yml or template.yaml
      --exclude, --max-files, --rules, --usage, --quiet   as for analyze

Rules:
  rules list            the loaded rules (built-ins, plus each --rules DIR): id, hazard, severity and the
                        file it comes from; broken rule files are printed on stderr
  rules test RULES_DIR  tests the rules in RULES_DIR against their fixtures, Semgrep style: a fixture is a
                        small project in a folder named after the rule id, anywhere under FIXTURES_DIR
                        (default RULES_DIR/fixtures); in its files, \`// ruleid: <id>\` marks the next line as
                        one where the rule must report a finding and \`// ok: <id>\` one where it must not
                        (\`#\` comments work in YAML). Any other finding of the rule fails the fixture.
                        The built-in catalogue: rules test rules --fixtures test/fixtures/rules
  rules facts           the facts the analyzer reports, for the \`fact:\` condition of a rule

Exit codes:
  0  the analysis ran (files that could not be read or parsed are listed in stats.skipped) and no gate
     was crossed; scaffold: the file was written; rules test: every fixture passed
  1  analyze: --fail-on or --max-monthly-usd crossed (the report is still written);
     rules test: a fixture failed, a rule has no fixture, or a rule file is broken
  2  bad usage, or DIR cannot be analysed (missing, not a folder, unreadable); scaffold: the file exists
     and --force was not given, or it cannot be written

What it reads: .ts .tsx .mts .cts .js .jsx .mjs .cjs files, package.json, tsconfig.json paths,
serverless.yml and SAM templates. It honours .gitignore and never descends into node_modules, dist,
build, coverage or vendored code. Nothing is sent anywhere: the analysis runs offline.
`;

function fail(message: string): never {
  process.stderr.write(`serverless-advisor: ${message}\n`);
  process.exit(2);
}

export async function main(argv: string[]): Promise<void> {
  // `analyze ... | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', short: 'f', default: 'json' },
        out: { type: 'string', short: 'o' },
        force: { type: 'boolean', default: false },
        exclude: { type: 'string', short: 'x', multiple: true },
        'max-files': { type: 'string' },
        timings: { type: 'boolean', default: false },
        rules: { type: 'string', multiple: true },
        usage: { type: 'string' },
        provider: { type: 'string', multiple: true },
        arch: { type: 'string' },
        'no-costs': { type: 'boolean', default: false },
        fixtures: { type: 'string' },
        quiet: { type: 'boolean', short: 'q', default: false },
        'fail-on': { type: 'string', default: 'none' },
        'max-monthly-usd': { type: 'string' },
        offering: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (e) {
    fail(`${(e as Error).message}\nRun 'serverless-advisor --help' for the options.`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  if (values.version) {
    process.stdout.write(`${TOOL_VERSION}\n`);
    return;
  }
  const [command, dir, ...rest] = positionals;
  if (command === 'rules') {
    process.exitCode = rulesCommand(dir, rest, values.rules ?? [], values.fixtures);
    return;
  }
  if (values.fixtures !== undefined) fail('--fixtures goes with `rules test`.');
  if (command === 'scaffold') {
    process.exitCode = scaffoldCommand(dir, rest, values);
    return;
  }
  if (command !== 'analyze') {
    fail(
      command
        ? `unknown command '${command}'. Run 'serverless-advisor --help'.`
        : `missing command. Usage: serverless-advisor analyze DIR`,
    );
  }
  if (!dir) fail('missing DIR. Usage: serverless-advisor analyze DIR');
  if (rest.length) fail(`unexpected argument '${rest[0]}'. Give one folder to analyse.`);
  const render = FORMATS[values.format];
  if (!render) fail(`unknown format '${values.format}'. Use one of: ${Object.keys(FORMATS).join(', ')}.`);
  const maxFiles = maxFilesOf(values['max-files']);
  const PROVIDERS = ['aws', 'azure', 'gcp', 'cloudflare'] as const;
  const providers = values.provider?.flatMap((p) => p.split(','));
  for (const p of providers ?? []) {
    if (!(PROVIDERS as readonly string[]).includes(p) && p !== 'all')
      fail(`unknown provider '${p}'. Use one of: ${PROVIDERS.join(', ')}, all.`);
  }
  if (values.arch !== undefined && values.arch !== 'x86' && values.arch !== 'arm64')
    fail(`--arch is x86 or arm64, not '${values.arch}'.`);
  const failOn = values['fail-on'] as (typeof FAIL_ON)[number];
  if (!FAIL_ON.includes(failOn)) fail(`--fail-on is error, warning or none, not '${values['fail-on']}'.`);
  let maxMonthly: number | undefined;
  if (values['max-monthly-usd'] !== undefined) {
    maxMonthly = Number(values['max-monthly-usd']);
    if (!Number.isFinite(maxMonthly) || maxMonthly < 0)
      fail(`--max-monthly-usd wants an amount in dollars (0 or more), not '${values['max-monthly-usd']}'.`);
    if (values['no-costs']) fail('--max-monthly-usd needs costs: drop --no-costs.');
  }
  if (values.offering !== undefined && maxMonthly === undefined) fail('--offering goes with --max-monthly-usd.');
  const out = values.out ? path.resolve(values.out) : undefined;
  if (out && fs.existsSync(out)) {
    if (fs.statSync(out).isDirectory()) fail(`--out ${values.out} is a folder; give a file name.`);
    if (!values.force && !isOwnReport(out)) {
      fail(`${values.out} exists and is not an earlier report of this tool; add --force to replace it.`);
    }
  }

  checkInputs(values);
  // The rules are loaded here (as analyze() would) so that SARIF can describe each one.
  const root = path.resolve(dir);
  const ruleSet = loadRules({
    userDirs: [path.join(root, '.serverless-advisor', 'rules'), ...(values.rules ?? []).map((d) => path.resolve(d))],
    displayRoot: root,
  });
  const report = runAnalysis(
    {
      root: dir,
      rules: ruleSet,
      exclude: values.exclude,
      maxFiles,
      timings: values.timings,
      rulesDirs: values.rules,
      usage: values.usage,
      providers: providers && !providers.includes('all') ? (providers as (typeof PROVIDERS)[number][]) : undefined,
      arch: values.arch,
      costs: !values['no-costs'],
    },
    values.quiet,
  );
  const text = await render(report, ruleSet.rules, out);
  if (out) {
    try {
      writeFileAtomic(out, text);
    } catch (e) {
      fail(`cannot write ${values.out}: ${(e as Error).message}`);
    }
    if (!values.quiet) {
      process.stderr.write(
        `${report.components.length} components, ${report.findings.length} findings, ${report.stats.files} files` +
          `${report.stats.skipped.length ? ` (${report.stats.skipped.length} skipped)` : ''}: wrote ${values.out}\n`,
      );
    }
  } else {
    process.stdout.write(text);
  }
  const crossed = gates(report, failOn, maxMonthly, values.offering);
  for (const why of crossed) process.stderr.write(`serverless-advisor: ${why}\n`);
  if (crossed.length) process.exitCode = 1;
}

/** The CI gates crossed, each as a sentence; empty when the build may pass. */
export function gates(
  report: Report,
  failOn: (typeof FAIL_ON)[number],
  maxMonthly: number | undefined,
  offering: string | undefined,
): string[] {
  const out: string[] = [];
  if (failOn !== 'none') {
    const levels = failOn === 'error' ? ['error'] : ['error', 'warning'];
    const hits = report.findings.filter((f) => levels.includes(f.severity));
    if (hits.length) {
      const first = hits[0]!;
      out.push(
        `--fail-on ${failOn}: ${hits.length} finding${hits.length === 1 ? '' : 's'} at ${levels.join(' or ')} ` +
          `level (first: ${first.ruleId} at ${first.location.file}:${first.location.line})`,
      );
    }
  }
  if (maxMonthly !== undefined) {
    const offerings = report.totals?.offerings ?? [];
    const chosen = offering
      ? offerings.find((o) => o.offering === offering)
      : (offerings.find((o) => o.offering === 'aws-lambda-arm64') ?? offerings.find((o) => o.role === 'function'));
    if (!chosen) {
      out.push(
        offering
          ? `--offering ${offering} was not priced; priced: ${offerings.map((o) => o.offering).join(', ') || 'none'}`
          : '--max-monthly-usd: no function offering was priced (nothing to deploy as a function?)',
      );
    } else if (chosen.monthlyUsd.likely > maxMonthly) {
      out.push(
        `--max-monthly-usd ${maxMonthly}: the likely monthly total on ${chosen.offering} is ` +
          `$${chosen.monthlyUsd.likely.toFixed(2)} (range $${chosen.monthlyUsd.low.toFixed(2)}-$${chosen.monthlyUsd.high.toFixed(2)})`,
      );
    }
  }
  return out;
}

function maxFilesOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) fail(`--max-files wants a positive whole number, not '${value}'.`);
  return n;
}

/** The progress line on stderr, rewritten in place (only when stderr is a terminal outside CI). */
function progressLine(p: AnalyzeProgress): void {
  const line = p.phase === 'scan' ? `scanning ${p.done}/${p.total} ${p.file ?? ''}` : `${p.phase}...`;
  process.stderr.write(`\r\x1b[K${line.slice(0, (process.stderr.columns || 80) - 1)}`);
}

interface ScaffoldFlags {
  format: string;
  out?: string;
  force: boolean;
  exclude?: string[];
  'max-files'?: string;
  rules?: string[];
  usage?: string;
  quiet: boolean;
  timings: boolean;
  provider?: string[];
  arch?: string;
  'no-costs': boolean;
  'fail-on': string;
  'max-monthly-usd'?: string;
  offering?: string;
}

/**
 * `scaffold DIR --format serverless|sam --out OUTDIR`: analyses DIR and writes the infrastructure skeleton into
 * OUTDIR, atomically (a temporary file in OUTDIR, then a rename), never over an existing file without --force.
 */
function scaffoldCommand(dir: string | undefined, rest: string[], values: ScaffoldFlags): number {
  const usage = 'Usage: serverless-advisor scaffold DIR --format serverless|sam --out OUTDIR [--force]';
  if (!dir) fail(`missing DIR. ${usage}`);
  if (rest.length) fail(`unexpected argument '${rest[0]}'. Give one folder to analyse. ${usage}`);
  const format = values.format as IacFormat;
  if (!IAC_FORMATS.includes(format)) {
    // `json` is analyze's default format: here it means --format was not given.
    const not = values.format === 'json' ? '' : `, not '${values.format}'`;
    fail(`scaffold needs --format serverless (serverless.yml) or --format sam (template.yaml)${not}. ${usage}`);
  }
  // The skeleton needs the usage figures the costs carry, and it is not a report to gate on.
  const analyzeOnly: [string, boolean][] = [
    ['--provider', values.provider !== undefined],
    ['--arch', values.arch !== undefined],
    ['--no-costs', values['no-costs']],
    ['--timings', values.timings],
    ['--fail-on', values['fail-on'] !== 'none'],
    ['--max-monthly-usd', values['max-monthly-usd'] !== undefined],
    ['--offering', values.offering !== undefined],
  ];
  for (const [flag, given] of analyzeOnly) if (given) fail(`${flag} goes with analyze, not scaffold.`);
  if (!values.out) fail(`missing --out OUTDIR, the folder to write ${IAC_FILES[format]} into. ${usage}`);
  const outDir = path.resolve(values.out);
  if (fs.existsSync(outDir) && !isDir(outDir)) fail(`--out ${values.out} is a file; give the folder to write into.`);
  const target = path.join(outDir, IAC_FILES[format]);
  // lstat, not exists: a symbolic link there, even a dangling one, is a file the user has not asked to replace.
  if (!values.force && fs.lstatSync(target, { throwIfNoEntry: false }))
    fail(`${shown(target)} exists; pass --force to replace it.`);
  const maxFiles = maxFilesOf(values['max-files']);
  checkInputs(values);
  const report = runAnalysis(
    { root: dir, exclude: values.exclude, maxFiles, rulesDirs: values.rules, usage: values.usage },
    values.quiet,
  );
  const root = path.resolve(dir);
  const result = scaffold(report, format, {
    serviceName: packageName(root),
    rootLabel: shown(root),
    codeDir: path.relative(outDir, root).split(path.sep).join('/') || '.',
  });
  try {
    fs.mkdirSync(outDir, { recursive: true });
    writeFileAtomic(target, result.text);
  } catch (e) {
    fail(`cannot write ${shown(target)}: ${(e as Error).message}`);
  }
  if (!values.quiet) {
    const left = result.skipped.length
      ? `; ${result.skipped.length} components left out (the file's header says which)`
      : '';
    process.stdout.write(
      `wrote ${shown(target)}: ${result.functions} function${result.functions === 1 ? '' : 's'}${left}\n`,
    );
  }
  return 0;
}

/** The flags both commands take that name files: they must exist before an analysis starts. */
function checkInputs(values: { usage?: string; rules?: string[] }): void {
  if (values.usage !== undefined && !fs.existsSync(values.usage)) fail(`--usage ${values.usage}: no such file.`);
  for (const d of values.rules ?? []) if (!isDir(d)) fail(`--rules ${d}: no such folder.`);
}

/**
 * The analysis both commands run: a progress line on stderr when it is a terminal (not in CI, not with --quiet),
 * bad input as exit 2 with the message, then the problems it met (broken rules, profile errors) on stderr.
 */
function runAnalysis(options: AnalyzeOptions, quiet: boolean): Report {
  const showProgress = !quiet && process.stderr.isTTY && !process.env.CI;
  let report: Report;
  try {
    report = analyze({ ...options, ...(showProgress ? { onProgress: progressLine } : {}) });
  } catch (e) {
    if (e instanceof AnalysisInputError) fail(e.message);
    throw e;
  } finally {
    if (showProgress) process.stderr.write('\r\x1b[K');
  }
  if (!quiet) printProblems(report.problems ?? []);
  return report;
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function printProblems(problems: readonly Problem[]): void {
  for (const p of problems) process.stderr.write(`${p.file}:${p.line}:${p.column}: ${p.message}\n`);
}

/** Shown relative to the working folder when under it, like compilers do. */
function shown(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : p;
}

function rulesCommand(sub: string | undefined, args: string[], dirs: string[], fixtures: string | undefined): number {
  const usage =
    'Usage: serverless-advisor rules list [--rules DIR] | rules test RULES_DIR [--fixtures DIR] | rules facts';
  if (sub === 'facts') {
    if (args.length || dirs.length || fixtures) fail(`'rules facts' takes no arguments. ${usage}`);
    for (const [name, f] of KNOWN_FACTS) {
      process.stdout.write(`${name}\t${f.description}${f.attrs?.length ? ` (attrs: ${f.attrs.join(', ')})` : ''}\n`);
    }
    return 0;
  }
  if (sub === 'list') {
    if (args.length) fail(`unexpected argument '${args[0]}'; give custom rule folders with --rules DIR.`);
    if (fixtures) fail('--fixtures goes with `rules test`.');
    for (const d of dirs) if (!isDir(d)) fail(`--rules ${d}: no such folder.`);
    const set = loadRules({ userDirs: dirs.map((d) => path.resolve(d)), displayRoot: process.cwd() });
    const rows = set.rules.map((r) => [r.id, r.hazard, r.severity, r.source]);
    const widths = [0, 1, 2].map((i) =>
      Math.max(...rows.map((r) => r[i]!.length), ['id', 'hazard', 'severity'][i]!.length),
    );
    const line = (r: string[]): string =>
      `${r
        .slice(0, 3)
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')}  ${r[3]}\n`;
    process.stdout.write(line(['id', 'hazard', 'severity', 'source']));
    for (const r of rows) process.stdout.write(line(r));
    printProblems(set.problems);
    return 0;
  }
  if (sub === 'test') {
    const [dir, ...more] = args;
    if (!dir) fail(`missing RULES_DIR. ${usage}`);
    if (more.length) fail(`unexpected argument '${more[0]}'. Give one folder of rules.`);
    if (dirs.length) fail('--rules goes with `rules list` and `analyze`; `rules test` takes the folder itself.');
    if (!isDir(dir)) fail(`${dir}: no such folder.`);
    const fixturesDir = path.resolve(fixtures ?? path.join(dir, 'fixtures'));
    if (!isDir(fixturesDir)) fail(`${shown(fixturesDir)}: no such folder (give the fixtures with --fixtures DIR).`);
    const set = loadRules({ builtinDir: null, userDirs: [path.resolve(dir)], displayRoot: process.cwd() });
    printProblems(set.problems);
    const result = testRules({ rules: set.rules, fixturesDir });
    for (const f of result.fixtures) {
      if (f.passed) continue;
      process.stdout.write(`FAIL ${f.rule} (${shown(f.dir)})\n`);
      for (const m of f.missing)
        process.stdout.write(
          `  ${shown(path.join(f.dir, m.file))}:${m.line}: expected a finding of ${f.rule} (ruleid), got none\n`,
        );
      for (const u of f.unexpected) {
        process.stdout.write(
          `  ${shown(path.join(f.dir, u.file))}:${u.line}: unexpected finding of ${f.rule}${u.onOkLine ? ' on a line marked ok' : ''}: ${u.message}\n`,
        );
      }
    }
    for (const u of result.untested)
      process.stdout.write(
        `NO FIXTURE ${u.id} (${u.source}): add a folder named ${u.id} under ${shown(fixturesDir)}\n`,
      );
    printProblems(result.problems);
    const failed = result.fixtures.filter((f) => !f.passed).length;
    process.stdout.write(
      `${result.fixtures.length - failed} passed, ${failed} failed, ${result.untested.length} without fixtures` +
        `${set.problems.length ? `, ${set.problems.length} broken rule files` : ''}\n`,
    );
    return failed || result.untested.length || set.problems.length || result.problems.length ? 1 : 0;
  }
  fail(sub ? `unknown rules command '${sub}'. ${usage}` : `missing rules command. ${usage}`);
}

if (require.main === module) void main(process.argv.slice(2));
