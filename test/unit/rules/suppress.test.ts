import * as assert from 'node:assert/strict';
import { analyzeFiles } from '../helpers';

const files = (body: string[]): Record<string, string> => ({
  'package.json': '{"dependencies":{"express":"4"}}',
  'src/app.ts': [
    "import express from 'express';",
    "import { writeFileSync } from 'node:fs';",
    'const app = express();',
    "app.post('/a', (_q, s) => {",
    ...body,
    '  s.end();',
    '});',
    '',
  ].join('\n'),
});

describe('rules: suppressions in the code', function () {
  this.timeout(30_000);

  it('suppresses a finding by a comment on its line or the line above, and keeps it with its reason', () => {
    const r = analyzeFiles(
      files([
        '  // serverless-advisor-ignore local-fs-write -- the dev server only, never deployed', // 5
        "  writeFileSync('./a.txt', 'x');", // 6
        "  writeFileSync('./b.txt', 'x'); // serverless-advisor-ignore local-fs-write -- build cache", // 7
        "  writeFileSync('./c.txt', 'x');", // 8
        '  // serverless-advisor-ignore child-process-spawn -- another rule', // 9
        "  writeFileSync('./d.txt', 'x');", // 10
      ]),
    );
    assert.deepEqual(
      r.findings.filter((f) => f.ruleId === 'local-fs-write').map((f) => f.location.line),
      [8, 10],
    );
    assert.deepEqual(
      (r.suppressed ?? []).map((f) => [
        f.ruleId,
        f.location.line,
        f.suppression.reason,
        f.suppression.location.line,
        f.suppression.location.column,
      ]),
      [
        ['local-fs-write', 6, 'the dev server only, never deployed', 5, 6],
        ['local-fs-write', 7, 'build cache', 7, 37],
      ],
    );
    assert.deepEqual(r.problems, []);
    // Suppressed findings do not count against the component.
    const suppressedIds = new Set((r.suppressed ?? []).map((f) => f.id));
    assert.ok(r.components[0]!.findings.length > 0);
    assert.ok(r.components[0]!.findings.every((id) => !suppressedIds.has(id)));
  });

  it('reports a suppression without a reason in report.problems (and still suppresses)', () => {
    const r = analyzeFiles(
      files([
        '  // serverless-advisor-ignore local-fs-write',
        "  writeFileSync('./a.txt', 'x');",
        '  // serverless-advisor-ignore',
        "  writeFileSync('./b.txt', 'x');",
      ]),
    );
    assert.deepEqual(r.problems, [
      {
        file: 'src/app.ts',
        line: 5,
        column: 6,
        message:
          'serverless-advisor-ignore local-fs-write has no reason: add ` -- <why this is fine>` so reviewers know why it is suppressed',
      },
      {
        file: 'src/app.ts',
        line: 7,
        column: 6,
        message: 'serverless-advisor-ignore names no rule: write `// serverless-advisor-ignore <rule-id> -- <reason>`',
      },
    ]);
    assert.deepEqual(
      (r.suppressed ?? []).map((f) => [f.location.line, f.suppression.reason]),
      [[6, '']],
    );
    assert.deepEqual(
      r.findings.filter((f) => f.ruleId === 'local-fs-write').map((f) => f.location.line),
      [8],
    );
  });
});
