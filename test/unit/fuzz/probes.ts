// What the hang guard (guard.ts) runs in its worker thread: work that could hang if a bound were missing.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { analyze } from '../../../src/core/analyze';
import { loadUsageProfile, resolveUsage } from '../../../src/core/cost/usage';
import { MATCHERS } from '../../../src/core/rules/matchers/registry';
import { checkGlob, checkRegex, safeTest } from '../../../src/core/rules/regex';
import type { MatchContext } from '../../../src/core/rules/sites';
import { validateReport } from '../schemaValidate';
import { globArb, pumpedPaths, pumpedSubjects, regexArb } from './arbitraries';

/** Tells the guard what is being tried, so that a hang names its input. */
function note(what: string): void {
  (globalThis as { __saNote?: (s: string) => void }).__saNote?.(what);
}

export interface PropertyResult {
  failed: boolean;
  seed: number;
  counterexample?: string;
  error?: string;
  tried: number;
  accepted: number;
}

function summary<T>(details: fc.RunDetails<T>, tried: number, accepted: number): PropertyResult {
  return {
    failed: details.failed,
    seed: details.seed,
    counterexample: details.counterexample ? JSON.stringify(details.counterexample) : undefined,
    error:
      details.errorInstance instanceof Error
        ? (details.errorInstance.stack ?? details.errorInstance.message)
        : undefined,
    tried,
    accepted,
  };
}

/** Every pattern checkRegex accepts is tried on 50 pumped 2,000-character texts: the guard's limit catches a hang. */
export function regexProperty(args: { seed: number; numRuns: number }): PropertyResult {
  let tried = 0;
  let accepted = 0;
  const subjects = pumpedSubjects();
  const details = fc.check(
    fc.property(regexArb, (pattern) => {
      tried++;
      if (checkRegex(pattern) !== undefined) return;
      accepted++;
      note(`the accepted pattern ${JSON.stringify(pattern)}`);
      for (const s of subjects) safeTest(pattern, s);
    }),
    { seed: args.seed, numRuns: args.numRuns },
  );
  return summary(details, tried, accepted);
}

/**
 * Every glob the bounds accept, as a rule's `file:` (through the file matcher) against long paths, and as a usage
 * profile's component glob (through loadUsageProfile and resolveUsage) against long component ids.
 */
export function globProperty(args: { seed: number; numRuns: number }): PropertyResult {
  let tried = 0;
  let accepted = 0;
  const paths = pumpedPaths();
  const ids = pumpedPaths().map((p) => `http:GET:/${p}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-glob-'));
  const ctx = {} as MatchContext;
  try {
    const details = fc.check(
      fc.property(globArb, (glob) => {
        tried++;
        if (checkGlob(glob, { slashes: true }) === undefined) {
          accepted++;
          note(`the accepted file glob ${JSON.stringify(glob)}`);
          const m = MATCHERS.file!.evaluate(glob, { file: glob }, ctx);
          if (m.kind !== 'filter') throw new Error('file is a filter');
          for (const file of paths) m.ok({ file } as never, undefined);
        }
        note(`the profile glob ${JSON.stringify(glob)}`);
        const file = path.join(dir, 'serverless-advisor.yaml');
        fs.writeFileSync(file, `components:\n  ${JSON.stringify(glob)}: { durationMs: 5 }\n`);
        const { profile } = loadUsageProfile(file, ids);
        if (profile.components.length) accepted++;
        for (const id of ids)
          resolveUsage({ id, kind: 'http-route', trigger: { type: 'http', method: 'GET', path: '/' } }, profile);
      }),
      { seed: args.seed, numRuns: args.numRuns },
    );
    return summary(details, tried, accepted);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface AnalysisSummary {
  ms: number;
  problems: { file: string; line: number; column: number; message: string }[];
  skipped: { file: string; reason: string }[];
  components: string[];
  findings: { ruleId: string; file: string; line: number }[];
  suppressed: number;
}

/** Analyses a folder (its report checked against the schema) and returns what the test looks at. */
export function analyzeSummary(args: { root: string; rulesDirs?: string[]; usage?: string }): AnalysisSummary {
  note(`the analysis of ${args.root}`);
  const t0 = performance.now();
  const report = validateReport(analyze({ root: args.root, rulesDirs: args.rulesDirs, usage: args.usage }));
  return {
    ms: Math.round(performance.now() - t0),
    problems: (report.problems ?? []).map((p) => ({
      file: p.file,
      line: p.line,
      column: p.column,
      message: p.message,
    })),
    skipped: report.stats.skipped,
    components: report.components.map((c) => c.id),
    findings: report.findings.map((f) => ({ ruleId: f.ruleId, file: f.location.file, line: f.location.line })),
    suppressed: report.suppressed?.length ?? 0,
  };
}
