import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../../src/core/analyze';
import { loadRules } from '../../../src/core/rules/load';
import { writeTree } from '../helpers';

/** What every refused pattern is told. */
const RE2 =
  'rule patterns run on RE2, in time linear in the text, and RE2 syntax has no back-references (\\1, \\k<name>) ' +
  'and no lookaround ((?=, (?!, (?<=, (?<!)';

/** The fields every rule needs besides id and when, on lines 2-7 of each file below. */
const BODY =
  'description: d\nhazard: local-fs-write\nseverity: warning\neffect: {}\nmessage: "wrote {{evidence}}"\nfix: f\n';

describe('rules: loading custom rule files', () => {
  let dir: string;
  before(() => {
    dir = writeTree({
      'bad-yaml.yaml': `id: bad-yaml\nseverity: info: warning\n`,
      'unknown-field.yaml': `id: unknown-field\n${BODY}when: { fact: local-fs-write }\nlevel: high\n`,
      'wrong-type.yaml': `id: wrong-type\n${BODY.replace('effect: {}', 'effect: { effort: lots }')}when: { fact: local-fs-write }\nlinks: https://example.com\n`,
      'unknown-matcher.yaml': `id: unknown-matcher\n${BODY}when:\n  all:\n    - fact: local-fs-write\n    - callz: fs.writeFile\n`,
      'unknown-fact.yaml': `id: unknown-fact\n${BODY}when: { fact: disk-write }\n`,
      'lookahead.yaml': `id: lookahead\n${BODY}when:\n  fact: connection-pool-per-instance\n  attrs: { library: { matches: "^(?=pg)" } }\n`,
      // Nested quantifiers backtrack catastrophically in JavaScript's RegExp; rule patterns run on RE2, in linear time.
      'nested-quantifier.yaml': `id: nested-quantifier\n${BODY}when:\n  fact: connection-pool-per-instance\n  attrs: { library: { matches: "^([a-z]+-?)+$" } }\n`,
      'backref.yaml': `id: backref\n${BODY}when:\n  fact: connection-pool-per-instance\n  attrs: { library: { matches: "(a)\\\\1" } }\n`,
      'not-the-id.yaml': `id: wrong-name\n${BODY}when: { fact: local-fs-write }\n`,
      'disk-writes.yaml': `id: disk-writes\n${BODY}when: { fact: local-fs-write }\n`,
      'more/disk-writes.yaml': `id: disk-writes\n${BODY}when: { fact: local-fs-write }\n`,
    });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reports each broken file with its file, line, column and exact message, and loads the rest', () => {
    const set = loadRules({ builtinDir: null, userDirs: [dir], displayRoot: dir });
    assert.deepEqual(
      set.rules.map((r) => [r.id, r.source, r.builtin]),
      [
        ['disk-writes', 'disk-writes.yaml', false],
        ['nested-quantifier', 'nested-quantifier.yaml', false],
      ],
    );
    assert.deepEqual(set.problems, [
      {
        file: 'backref.yaml',
        line: 10,
        column: 32,
        message: `the back-reference \\1 is not allowed: ${RE2}`,
      },
      {
        file: 'bad-yaml.yaml',
        line: 2,
        column: 11,
        message: 'invalid YAML: Nested mappings are not allowed in compact mappings',
      },
      { file: 'lookahead.yaml', line: 10, column: 32, message: `the lookaround (?= is not allowed: ${RE2}` },
      {
        file: 'more/disk-writes.yaml',
        line: 1,
        column: 5,
        message: "duplicate rule id 'disk-writes': disk-writes.yaml already defines it; rename one of them",
      },
      {
        file: 'not-the-id.yaml',
        line: 1,
        column: 5,
        message: "the id 'wrong-name' differs from the file name 'not-the-id'; rename one so they match",
      },
      {
        file: 'unknown-fact.yaml',
        line: 8,
        column: 15,
        message: "unknown fact 'disk-write'; run 'serverless-advisor rules facts' for the list",
      },
      {
        file: 'unknown-field.yaml',
        line: 9,
        column: 1,
        message:
          "unknown field 'level'; the fields are id, description, hazard, severity, when, effect (votes, blocks, effort), message, fix, links",
      },
      {
        file: 'unknown-matcher.yaml',
        line: 11,
        column: 7,
        message:
          "unknown matcher 'callz'; use one of: all, any, not, fact, imports, calls, new, decorator, component, file, reaches",
      },
      { file: 'wrong-type.yaml', line: 5, column: 19, message: "'effect.effort' must be number" },
      { file: 'wrong-type.yaml', line: 9, column: 8, message: "'links' must be array" },
    ]);
  });

  it('runs the good rules of an analysis and lists the broken ones in report.problems', () => {
    const root = writeTree({
      'package.json': '{"dependencies":{"express":"4"}}',
      'app.ts':
        "import express from 'express';\nimport { writeFileSync } from 'node:fs';\nconst app = express();\napp.post('/n', (_q, s) => { writeFileSync('./n.txt', 'x'); s.end(); });\n",
    });
    try {
      const report = analyze({ root, rulesDirs: [dir] });
      const custom = report.findings.filter((f) => f.ruleId === 'disk-writes');
      assert.deepEqual(
        custom.map((f) => [f.location.line, f.message, f.components]),
        [[4, "wrote writeFileSync('./n.txt', 'x')", ['http:POST:/n']]],
      );
      // The built-ins still run alongside.
      assert.ok(report.findings.some((f) => f.ruleId === 'local-fs-write'));
      const where = (p: { file: string; line: number; column: number }): string =>
        `${path.relative(dir, p.file)}:${p.line}:${p.column}`;
      assert.deepEqual((report.problems ?? []).map(where), [
        'backref.yaml:10:32',
        'bad-yaml.yaml:2:11',
        'lookahead.yaml:10:32',
        'more/disk-writes.yaml:1:5',
        'not-the-id.yaml:1:5',
        'unknown-fact.yaml:8:15',
        'unknown-field.yaml:9:1',
        'unknown-matcher.yaml:11:7',
        'wrong-type.yaml:5:19',
        'wrong-type.yaml:9:8',
      ]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
