import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KNOWN_FACTS } from '../../../src/core/rules/facts';
import { builtinRulesDir, loadRules } from '../../../src/core/rules/load';
import { readAnnotations, testRules } from '../../../src/core/ruleTests';
import type { Condition, Rule } from '../../../src/core/rules/types';
import { FIXTURES } from '../helpers';

const RULES = builtinRulesDir();
const RULE_FIXTURES = path.join(FIXTURES, 'rules');

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'pricing' ? [] : yamlFiles(p);
    return /\.ya?ml$/.test(e.name) ? [p] : [];
  });
}

function facts(c: Condition, out: Set<string>): Set<string> {
  if ('all' in c) c.all.forEach((x) => facts(x, out));
  else if ('any' in c) c.any.forEach((x) => facts(x, out));
  else if ('not' in c) facts(c.not, out);
  else if ('reaches' in c) facts(c.reaches, out);
  else if ('fact' in c) out.add(c.fact);
  return out;
}

describe('rules: the built-in catalogue', function () {
  this.timeout(120_000);
  const set = loadRules({ builtinDir: RULES, userDirs: [] });
  const files = yamlFiles(RULES);

  it('every rule file parses and passes rules/schema.json, with its id as its file name', () => {
    assert.deepEqual(set.problems, []);
    assert.equal(set.rules.length, files.length);
    for (const r of set.rules) {
      assert.equal(path.basename(r.source, '.yaml'), r.id, r.source);
      assert.ok(r.builtin);
    }
  });

  it('every rule cites its sources in links', () => {
    assert.deepEqual(
      set.rules.filter((r) => !r.links?.length).map((r) => r.id),
      [],
    );
  });

  it('every fact the detectors emit is known, and every known fact is covered by a built-in rule', () => {
    const emitted = new Set<string>();
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts'))
          for (const m of fs.readFileSync(p, 'utf8').matchAll(/ruleId: '([a-z0-9-]+)'/g)) emitted.add(m[1]!);
      }
    };
    walk(path.resolve(__dirname, '../../../src/core/detect'));
    assert.deepEqual([...emitted].sort(), [...KNOWN_FACTS.keys()].sort());
    const covered = new Set<string>();
    for (const r of set.rules) facts(r.when, covered);
    assert.deepEqual(
      [...KNOWN_FACTS.keys()].filter((f) => !covered.has(f)),
      [],
    );
  });

  it('fact-only rules use only placeholders their facts provide', () => {
    const generic = new Set(['detail', 'detailFix', 'evidence', 'basis', 'file', 'line']);
    const bad: string[] = [];
    for (const r of set.rules) {
      const used = facts(r.when, new Set());
      if (!used.size || !('fact' in r.when)) continue;
      const attrs = new Set([...used].flatMap((f) => KNOWN_FACTS.get(f)?.attrs ?? []));
      for (const m of `${r.message} ${r.fix}`.matchAll(/\{\{\s*([\w.-]+)\s*\}\}/g)) {
        if (!generic.has(m[1]!) && !attrs.has(m[1]!)) bad.push(`${r.id}: {{${m[1]}}}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('every rule has a fixture folder with at least one ruleid and one ok annotation for it', () => {
    const missing: string[] = [];
    for (const r of set.rules) {
      const group = path.dirname(r.source).split('/').pop()!;
      const dir = path.join(RULE_FIXTURES, group, r.id);
      if (!fs.existsSync(dir)) {
        missing.push(`${r.id}: no ${path.relative(FIXTURES, dir)}`);
        continue;
      }
      const ann = readAnnotations(dir);
      if (!ann.ruleid.get(r.id)?.size) missing.push(`${r.id}: no ruleid annotation`);
      if (!ann.ok.get(r.id)?.size) missing.push(`${r.id}: no ok annotation`);
    }
    assert.deepEqual(missing, []);
  });

  it('every fixture passes: findings exactly on the ruleid lines, none on the ok lines', () => {
    const result = testRules({ rules: set.rules, fixturesDir: RULE_FIXTURES });
    assert.deepEqual(result.untested, []);
    assert.deepEqual(result.problems, []);
    const failed = result.fixtures
      .filter((f) => !f.passed)
      .map((f) => ({ rule: f.rule, missing: f.missing, unexpected: f.unexpected }));
    assert.deepEqual(failed, []);
    assert.equal(result.fixtures.length, set.rules.length);
    assert.ok(result.passed);
  });

  it('the runner reports a missed ruleid line and a finding on an ok line', () => {
    const rule: Rule = { ...set.rules.find((r) => r.id === 'local-fs-write')!, id: 'local-fs-write' };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-rt-'));
    try {
      const fx = path.join(dir, 'local-fs-write');
      fs.mkdirSync(fx);
      fs.writeFileSync(
        path.join(fx, 'app.ts'),
        "import express from 'express';\nimport { writeFileSync } from 'node:fs';\nconst app = express();\napp.post('/a', (_q, s) => {\n  // ok: local-fs-write\n  writeFileSync('./a', 'x');\n  // ruleid: local-fs-write\n  s.end();\n});\n",
      );
      const r = testRules({ rules: [rule], fixturesDir: dir });
      assert.equal(r.passed, false);
      assert.deepEqual(
        r.fixtures.map((f) => [
          f.rule,
          f.ruleids,
          f.oks,
          f.missing,
          f.unexpected.map((u) => [u.file, u.line, u.onOkLine]),
        ]),
        [['local-fs-write', 1, 1, [{ file: 'app.ts', line: 8 }], [['app.ts', 6, true]]]],
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
