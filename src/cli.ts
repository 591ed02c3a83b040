#!/usr/bin/env node
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { AnalysisInputError, analyze, type AnalyzeProgress } from './core/analyze';
import { isOwnReport, writeFileAtomic } from './core/fsWrite';
import type { Report } from './core/model';
import { renderJson } from './core/present/json';
import { renderMarkdown } from './core/present/markdown';
import { TOOL_VERSION } from './core/version';

const FORMATS: Record<string, (r: Report) => string> = {
  json: renderJson,
  md: renderMarkdown,
};

const HELP = `serverless-advisor ${TOOL_VERSION}
Finds the deployable components of a Node.js / TypeScript codebase and what in their code stands in the way
of running them as serverless functions.

Usage:
  serverless-advisor analyze DIR [options]
  serverless-advisor --help | --version

Options for analyze:
  -f, --format FORMAT   json (the report contract, default) or md (a readable summary)
  -o, --out FILE        write the report to FILE instead of stdout; replaces FILE only when it is an
                        earlier report of this tool, or with --force
      --force           replace FILE even when it is not an earlier report
  -x, --exclude GLOB    leave out files matching GLOB (gitignore syntax, relative to DIR); repeatable
      --max-files N     analyse at most N source files (the rest is listed as skipped)
      --timings         add the time spent per phase to stats.timings
  -q, --quiet           no progress line on stderr

Exit codes:
  0  the analysis ran (files that could not be read or parsed are listed in stats.skipped)
  2  bad usage, or DIR cannot be analysed (missing, not a folder, unreadable)

What it reads: .ts .tsx .mts .cts .js .jsx .mjs .cjs files, package.json, tsconfig.json paths,
serverless.yml and SAM templates. It honours .gitignore and never descends into node_modules, dist,
build, coverage or vendored code. Nothing is sent anywhere: the analysis runs offline.
`;

function fail(message: string): never {
  process.stderr.write(`serverless-advisor: ${message}\n`);
  process.exit(2);
}

export function main(argv: string[]): void {
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
        quiet: { type: 'boolean', short: 'q', default: false },
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
  if (command !== 'analyze') {
    fail(command ? `unknown command '${command}'. Run 'serverless-advisor --help'.` : `missing command. Usage: serverless-advisor analyze DIR`);
  }
  if (!dir) fail('missing DIR. Usage: serverless-advisor analyze DIR');
  if (rest.length) fail(`unexpected argument '${rest[0]}'. Give one folder to analyse.`);
  const render = FORMATS[values.format];
  if (!render) fail(`unknown format '${values.format}'. Use one of: ${Object.keys(FORMATS).join(', ')}.`);
  let maxFiles: number | undefined;
  if (values['max-files'] !== undefined) {
    maxFiles = Number(values['max-files']);
    if (!Number.isInteger(maxFiles) || maxFiles < 1) fail(`--max-files wants a positive whole number, not '${values['max-files']}'.`);
  }
  const out = values.out ? path.resolve(values.out) : undefined;
  if (out && fs.existsSync(out)) {
    if (fs.statSync(out).isDirectory()) fail(`--out ${values.out} is a folder; give a file name.`);
    if (!values.force && !isOwnReport(out)) {
      fail(`${values.out} exists and is not an earlier report of this tool; add --force to replace it.`);
    }
  }

  const showProgress = !values.quiet && process.stderr.isTTY && !process.env.CI;
  const onProgress = showProgress
    ? (p: AnalyzeProgress): void => {
        const line = p.phase === 'scan' ? `scanning ${p.done}/${p.total} ${p.file ?? ''}` : `${p.phase}...`;
        process.stderr.write(`\r\x1b[K${line.slice(0, (process.stderr.columns || 80) - 1)}`);
      }
    : undefined;

  let report: Report;
  try {
    report = analyze({ root: dir, exclude: values.exclude, maxFiles, timings: values.timings, onProgress });
  } catch (e) {
    if (e instanceof AnalysisInputError) fail(e.message);
    throw e;
  } finally {
    if (showProgress) process.stderr.write('\r\x1b[K');
  }
  const text = render(report);
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
}

if (require.main === module) main(process.argv.slice(2));
