import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from './analyze';
import type { Problem, Rule } from './rules/types';

/**
 * Rule fixtures, Semgrep style: a fixture is a small project in a folder named after the rule's id, whose files
 * say where the rule must and must not fire:
 *
 *     // ruleid: connection-pool-per-instance
 *     const pool = new Pool();               <- must produce a finding of that rule
 *     // ok: connection-pool-per-instance
 *     const pool2 = new NotAPool();          <- must not
 *
 * An annotation on a line of its own applies to the next line that is not an annotation; at the end of a line of
 * code it applies to that line. `#` comments work too (YAML manifests). Several ids are separated by commas.
 * Any finding of a checked rule on a line without `ruleid:` for it fails the fixture, as Semgrep does.
 */

export interface LineRef {
  /** Relative to the fixture folder, '/'-separated. */
  file: string;
  line: number;
}

export interface FixtureResult {
  rule: string;
  /** The fixture folder, as found under the fixtures folder given. */
  dir: string;
  passed: boolean;
  /** `ruleid:` and `ok:` annotations for the rule. */
  ruleids: number;
  oks: number;
  /** Lines annotated `ruleid:` where no finding of the rule was reported. */
  missing: LineRef[];
  /** Findings of the rule on lines not annotated `ruleid:` (`onOkLine` when annotated `ok:`). */
  unexpected: (LineRef & { message: string; onOkLine: boolean })[];
}

export interface RuleTestResult {
  /** One entry per rule and fixture folder, sorted by rule id. */
  fixtures: FixtureResult[];
  /** Rules with no fixture folder. */
  untested: { id: string; source: string }[];
  /** Fixture problems that are not a rule's fault: a run that failed, annotations naming unknown rules. */
  problems: Problem[];
  passed: boolean;
}

export interface RuleTestOptions {
  rules: readonly Rule[];
  /** Folder searched (recursively) for fixture folders named after rule ids. */
  fixturesDir: string;
  /** Only these rule ids (default: all the rules given). */
  only?: string[];
}

const ANNOTATION = /(?:\/\/|#|\/\*|^\s*\*)\s*(ruleid|ok)\s*:\s*([a-z0-9][a-z0-9-]*(?:\s*,\s*[a-z0-9][a-z0-9-]*)*)/;
const SOURCE_FILE = /\.(?:[cm]?[jt]sx?|ya?ml|json)$/;
const MAX_FIXTURE_FILES = 500;

interface Annotations {
  /** rule id -> "file:line" keys. */
  ruleid: Map<string, Set<string>>;
  ok: Map<string, Set<string>>;
  /** Where each annotated id was named, for problems about unknown ids. */
  named: Map<string, LineRef>;
}

/** Runs each rule's fixtures and compares the lines its findings land on with the annotations. */
export function testRules(options: RuleTestOptions): RuleTestResult {
  const byId = new Map(options.rules.map((r) => [r.id, r]));
  const wanted = options.only ? options.rules.filter((r) => options.only!.includes(r.id)) : [...options.rules];
  const dirs = fixtureDirs(options.fixturesDir, new Set(wanted.map((r) => r.id)));
  const fixtures: FixtureResult[] = [];
  const untested: RuleTestResult['untested'] = [];
  const problems: Problem[] = [];
  for (const rule of [...wanted].sort((a, b) => a.id.localeCompare(b.id))) {
    const found = dirs.get(rule.id) ?? [];
    if (!found.length) {
      untested.push({ id: rule.id, source: rule.source });
      continue;
    }
    for (const dir of found) {
      const ann = readAnnotations(dir);
      for (const [id, at] of ann.named) {
        if (!byId.has(id))
          problems.push({
            file: path.join(dir, at.file),
            line: at.line,
            column: 1,
            message: `annotation names '${id}', which is not among the rules under test`,
          });
      }
      // The rule under test, and any other loaded rule the fixture annotates.
      const ids = new Set([rule.id, ...[...ann.named.keys()].filter((id) => byId.has(id))]);
      let report;
      try {
        report = analyze({ root: dir, rules: { rules: [...ids].map((id) => byId.get(id)!), problems: [] } });
      } catch (e) {
        problems.push({
          file: dir,
          line: 1,
          column: 1,
          message: `the fixture could not be analysed: ${(e as Error).message}`,
        });
        fixtures.push({ rule: rule.id, dir, passed: false, ruleids: 0, oks: 0, missing: [], unexpected: [] });
        continue;
      }
      for (const id of [...ids].sort()) {
        // Other rules are checked only where the fixture speaks about them.
        if (id !== rule.id && !ann.ruleid.has(id) && !ann.ok.has(id)) continue;
        const expected = ann.ruleid.get(id) ?? new Set<string>();
        const oks = ann.ok.get(id) ?? new Set<string>();
        const got = new Map<string, string>();
        for (const f of report.findings)
          if (f.ruleId === id) got.set(`${f.location.file}:${f.location.line}`, f.message);
        const missing = [...expected].filter((k) => !got.has(k)).map(parseKey);
        const unexpected = [...got]
          .filter(([k]) => !expected.has(k))
          .map(([k, message]) => ({ ...parseKey(k), message, onOkLine: oks.has(k) }));
        fixtures.push({
          rule: id,
          dir,
          passed: !missing.length && !unexpected.length,
          ruleids: expected.size,
          oks: oks.size,
          missing: missing.sort(byPlace),
          unexpected: unexpected.sort(byPlace),
        });
      }
    }
  }
  return { fixtures, untested, problems, passed: fixtures.every((f) => f.passed) && !problems.length };
}

function parseKey(k: string): LineRef {
  const i = k.lastIndexOf(':');
  return { file: k.slice(0, i), line: Number(k.slice(i + 1)) };
}

function byPlace(a: LineRef, b: LineRef): number {
  return a.file.localeCompare(b.file) || a.line - b.line;
}

/** Folders named after a wanted rule id, anywhere under root (not inside another fixture). */
function fixtureDirs(root: string, ids: Set<string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const walk = (dir: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (!e.isDirectory() || e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = path.join(dir, e.name);
      if (ids.has(e.name)) {
        const list = out.get(e.name) ?? [];
        list.push(p);
        out.set(e.name, list);
      } else if (depth < 6) walk(p, depth + 1);
    }
  };
  walk(root, 0);
  return out;
}

/** The annotations of every source file of a fixture (node_modules and hidden folders left out). */
export function readAnnotations(dir: string): Annotations {
  const ann: Annotations = { ruleid: new Map(), ok: new Map(), named: new Map() };
  const files: string[] = [];
  const walk = (d: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (files.length >= MAX_FIXTURE_FILES) return;
      const p = path.join(d, e.name);
      if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') walk(p);
      else if (e.isFile() && SOURCE_FILE.test(e.name)) files.push(p);
    }
  };
  walk(dir);
  for (const abs of files.sort()) {
    const file = path.relative(dir, abs).split(path.sep).join('/');
    const lines = fs.readFileSync(abs, 'utf8').split(/\r?\n/);
    let pending: { kind: 'ruleid' | 'ok'; ids: string[] }[] = [];
    lines.forEach((text, i) => {
      const m = ANNOTATION.exec(text);
      const before = m ? text.slice(0, m.index).trim() : '';
      if (m && !before) {
        pending.push({ kind: m[1] as 'ruleid' | 'ok', ids: m[2]!.split(',').map((s) => s.trim()) });
        return;
      }
      const here = m
        ? [...pending, { kind: m[1] as 'ruleid' | 'ok', ids: m[2]!.split(',').map((s) => s.trim()) }]
        : pending;
      if (!here.length) return;
      if (!text.trim()) return; // an annotation waits for the next line with code
      for (const a of here) {
        for (const id of a.ids) {
          const map = ann[a.kind];
          const set = map.get(id) ?? new Set<string>();
          set.add(`${file}:${i + 1}`);
          map.set(id, set);
          if (!ann.named.has(id)) ann.named.set(id, { file, line: i + 1 });
        }
      }
      pending = [];
    });
  }
  return ann;
}
