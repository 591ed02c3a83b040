// Property: no pattern a rule or a usage profile brings can hang the analysis. Regular expressions (`attrs: {
// matches }`) run on re2js (RE2: time linear in the text, whatever the pattern; checkRegex refuses only what RE2 does
// not compile), `file:` and profile globs are bounded by checkGlob, and the `*` wildcards of imports / calls / new /
// decorator / trigger paths are matched without a regular expression. Whatever could hang runs in a worker thread
// that is stopped after a generous limit (guard.ts): a regression fails as "a hang", it never stalls.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { applySuppressions } from '../../../src/core/rules/suppress';
import { checkGlob, checkRegex, MAX_SUBJECT, safeTest, wildcard } from '../../../src/core/rules/regex';
import {
  CATASTROPHIC_REGEXES,
  FUZZ_SCALE,
  FUZZ_SEED,
  fuzzParams,
  fuzzTimeout,
  fuzzTitle,
  removeDir,
  writeFiles,
} from './arbitraries';
import { GuardedWorker } from './guard';
import type { AnalysisSummary, PropertyResult } from './probes';

/** The limit of one guarded call once the worker has loaded the core: far above what it takes, far below a hang. */
const HANG_LIMIT_MS = 5000;

function assertHeld(r: PropertyResult, what: string): void {
  assert.ok(
    !r.failed,
    `${what} failed (seed ${r.seed}; replay with SA_FUZZ_SEED=${r.seed}): ${r.counterexample ?? ''}\n${r.error ?? ''}`,
  );
}

describe(fuzzTitle('fuzz: regular expressions and globs from rules and profiles'), function () {
  this.timeout(fuzzTimeout(60_000));
  const worker = new GuardedWorker();
  after(() => worker.close());

  it('accepts every pattern that backtracks catastrophically in a backtracking engine (RE2 runs it in linear time)', () => {
    for (const p of CATASTROPHIC_REGEXES) assert.equal(checkRegex(p), undefined, p);
  });

  it('accepts the patterns rules use', () => {
    for (const p of [
      '^(pg|mysql2?)$',
      'Sync$',
      '^@aws-sdk/client-.*$',
      '(?:\\.js|\\.ts)?$',
      '^[a-z-]+$',
      '^[a-z]+-[a-z]+$', // refused by the hand-written checker it replaced (two unbounded repetitions in a row)
      '(?:ab)+',
      '\\p{L}+',
      '(a|b){2,3}',
      '^node:',
      '(?i)^express$',
      '(?<name>a)b',
    ])
      assert.equal(checkRegex(p), undefined, p);
  });

  it('refuses what RE2 does not compile, saying what RE2 syntax lacks and that patterns run in linear time', () => {
    const why = (p: string): string => checkRegex(p) ?? `accepted ${p}`;
    const re2 = /rule patterns run on RE2, in time linear in the text, and RE2 syntax has no back-references/;
    for (const [p, start] of [
      ['(a)\\1', 'the back-reference \\1 is not allowed: '],
      ['(?<g>a)\\k<g>', 'the back-reference \\k<name> is not allowed: '],
      ['(?=a)', 'the lookaround (?= is not allowed: '],
      ['a(?!b)', 'the lookaround (?! is not allowed: '],
      ['(?<=a)b', 'the lookaround (?<= is not allowed: '],
      ['(?<!a)b', 'the lookaround (?<! is not allowed: '],
      ['[', 'invalid regular expression: missing closing ] at ['],
      ['a{1001}', 'invalid regular expression: invalid repeat count at {1001}'],
      ['\\u20AC', 'invalid regular expression: invalid escape sequence at \\u'],
    ] as const) {
      assert.ok(why(p).startsWith(start), `${p}: ${why(p)}`);
      assert.match(why(p), re2, p);
    }
    assert.match(why('\\u20AC'), /write a code point as \\x\{20AC\}/);
    assert.equal(why('a'.repeat(201)), 'the regular expression is 201 characters; the limit is 200');
  });

  it('matches as RegExp.prototype.test did: anywhere in the text, no flags but inline ones', () => {
    for (const [p, text, expected] of [
      ['b', 'abc', true],
      ['^b', 'abc', false],
      ['c$', 'abc', true],
      ['^$', '', true],
      ['^a.c$', 'a\nc', false],
      ['(?s)^a.c$', 'a\nc', true],
      ['ABC', 'abc', false],
      ['(?i)ABC', 'xabcx', true],
      ['^\\p{L}+$', 'żółw', true],
      ['^.$', '\u{1F600}', true],
      ['^[a-z]+-[a-z]+$', 'user-service', true],
      ['^[a-z]+-[a-z]+$', 'user_service', false],
    ] as const)
      assert.equal(safeTest(p, text), expected, `${p} on ${JSON.stringify(text)}`);
    // Past MAX_SUBJECT characters the text is cut (a cost cap): a match further on is not seen.
    assert.equal(safeTest('b', `${'a'.repeat(MAX_SUBJECT)}b`), false);
    assert.equal(safeTest('b', `${'a'.repeat(MAX_SUBJECT - 1)}b`), true);
  });

  it('every random pattern checkRegex accepts finishes on 50 pumped 2,000-character texts', async () => {
    const runs = Math.round(150 * FUZZ_SCALE);
    const r = await worker.run<PropertyResult>(
      'regexProperty',
      { seed: FUZZ_SEED, numRuns: runs },
      fuzzTimeout(30_000),
    );
    assertHeld(r, 'regexProperty');
    assert.ok(
      r.accepted > r.tried / 10,
      `only ${r.accepted} of ${r.tried} random patterns accepted: the property tests little`,
    );
  });

  it('every random glob checkGlob accepts finishes on long paths (file:) and long component ids (profile)', async () => {
    const runs = Math.round(150 * FUZZ_SCALE);
    const r = await worker.run<PropertyResult>('globProperty', { seed: FUZZ_SEED, numRuns: runs }, fuzzTimeout(30_000));
    assertHeld(r, 'globProperty');
  });

  it('the `*` wildcard agrees with the regular expression it replaced, on short texts', () => {
    const old = (glob: string): RegExp =>
      new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    const piece = fc.constantFrom('a', 'b', '.', '*', '-', '/', '@', '$');
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 8 }).map((p) => p.join('')),
        fc
          .array(
            piece.filter((c) => c !== '*'),
            { maxLength: 12 },
          )
          .map((p) => p.join('')),
        (glob, text) => {
          assert.equal(wildcard(glob).test(text), old(glob).test(text), `${glob} on ${text}`);
        },
      ),
      fuzzParams(2000),
    );
  });

  it('suppression comments read as the expression that hung did, on short lines', () => {
    // The old reader, kept here as the oracle (it backtracked for seconds on a reason followed by blanks).
    const IGNORE =
      /serverless-advisor-ignore(?:[ \t]+([a-z0-9*][a-z0-9*-]*(?:[ \t]*,[ \t]*[a-z0-9*][a-z0-9*-]*)*))?(?:[ \t]+--[ \t]*(.*?))?[ \t]*(?:\*\/)?[ \t]*$/;
    const piece = fc.constantFrom(' ', '\t', ' ', 'r', 'x-y', ',', '*', '--', ' -- ', 'why', '*/', '/', '!');
    const line = fc
      .tuple(fc.constantFrom('// ', '/* ', ' * ', 'code(); // '), fc.array(piece, { maxLength: 10 }))
      .map(([start, rest]) => `${start}serverless-advisor-ignore${rest.join('')}`);
    fc.assert(
      fc.property(line, (text) => {
        const at = text.indexOf('serverless-advisor-ignore');
        const m = IGNORE.exec(text.slice(at));
        const out = applySuppressions(
          ['r', 'x-y', 'other'].map(
            (ruleId) => ({ finding: { id: ruleId, ruleId, location: { file: 'a.ts', line: 1, column: 1 } } }) as never,
          ),
          () => text,
        );
        const suppressed = out.suppressed.map((s) => s.ruleId).sort();
        if (!m?.[1]) {
          assert.deepEqual(suppressed, [], text);
          assert.match(out.problems[0]?.message ?? '', /names no rule/, text);
          return;
        }
        const rules = m[1].split(',').map((s) => s.trim());
        const expected = ['r', 'x-y', 'other'].filter((r) => rules.includes(r) || rules.includes('*')).sort();
        assert.deepEqual(suppressed, expected, text);
        for (const s of out.suppressed) assert.equal(s.suppression.reason, (m[2] ?? '').trim(), text);
        assert.equal(out.problems.length, (m[2] ?? '').trim() ? 0 : 1, text);
      }),
      fuzzParams(2000),
    );
  });

  it('end to end: hostile patterns in user rules and the profile, on code with names of 30,000 to 50,000 characters', async () => {
    const long = 'a'.repeat(50_000);
    const name = 'a'.repeat(30_000); // twice in one file, under the 100,000 characters past which lines are weighed
    const abName = 'ab'.repeat(15_000);
    const rule = (id: string, when: string, extra = ''): [string, string] => [
      `.serverless-advisor/rules/${id}.yaml`,
      `id: ${id}\ndescription: d\nhazard: module-state\nseverity: info\n${extra}when:\n${when}\neffect: {}\nmessage: m\nfix: f\n`,
    ];
    const root = writeFiles([
      ['package.json', JSON.stringify({ dependencies: { express: '4.19.2' } })],
      ['src/imports.ts', `import x from '${long}';\nexport default x;\n`],
      [
        'src/calls.ts',
        `import express from 'express';\nconst app = express();\nexport function f() { ${long}(); }\napp.get('/calls', (_q, s) => { f(); s.send('x'); });\n`,
      ],
      [
        'src/route.ts',
        `import express from 'express';\nconst app = express();\napp.get('/${long}', (_q, s) => s.send('x'));\n`,
      ],
      [
        'src/state.ts',
        `import express from 'express';\nconst app = express();\n// serverless-advisor-ignore module-state-written-in-handler -- counted on purpose${' '.repeat(20_000)}.\nlet ${name} = 0;\napp.get('/state', (_q, s) => {\n  ${name}++;\n  s.send('x');\n});\n`,
      ],
      [
        'src/state2.ts',
        `import express from 'express';\nconst app = express();\nlet ${abName} = 0;\napp.get('/state2', (_q, s) => {\n  ${abName}++;\n  s.send('x');\n});\n`,
      ],
      // Every pattern that backtracks catastrophically in a backtracking engine loads, and runs on both names.
      ...CATASTROPHIC_REGEXES.map((p, i) =>
        rule(
          `regex-${i}`,
          `  fact: module-state-written-in-handler\n  attrs: { name: { matches: ${JSON.stringify(p)} } }`,
        ),
      ),
      rule('catastrophic-regex', '  fact: module-state-written-in-handler\n  attrs: { name: { matches: "(a|a)*$" } }'),
      rule('polynomial-regex', '  fact: module-state-written-in-handler\n  attrs: { name: { matches: ".*a.*!" } }'),
      rule('bounded-regex', '  fact: module-state-written-in-handler\n  attrs: { name: { matches: "^a*!?$" } }'),
      rule('star-imports', '  imports: "*a*a*a*a*a*a*b"'),
      rule('star-calls', '  calls: "*a*a*a*a*a*a*b"'),
      rule('star-route', '  component: { trigger: { path: "*a*a*a*a*a*a*b" } }'),
      rule('star-file', '  all:\n    - imports: express\n    - file: "*a*a*a*a*a*b"'),
      [
        'serverless-advisor.yaml',
        'components:\n  "*a*a*a*a*a*a*b": { durationMs: 5 }\n  "http:?*a*a*b": { durationMs: 5 }\n',
      ],
    ]);
    try {
      const r = await worker.run<AnalysisSummary>('analyzeSummary', { root }, HANG_LIMIT_MS);
      const problem = (file: string): string =>
        r.problems
          .filter((p) => p.file === file)
          .map((p) => `${p.line}:${p.column} ${p.message}`)
          .join('\n');
      for (const id of ['catastrophic-regex', 'polynomial-regex', ...CATASTROPHIC_REGEXES.map((_, i) => `regex-${i}`)])
        assert.equal(problem(`.serverless-advisor/rules/${id}.yaml`), '', `${id} loads`);
      // They match as they did on JavaScript's RegExp: (a|a)*$ anywhere (the empty match at the end), .*a.*! nowhere.
      const hits = (id: string): string[] =>
        r.findings
          .filter((f) => f.ruleId === id)
          .map((f) => f.file)
          .sort();
      assert.deepEqual(hits('catastrophic-regex'), ['src/state.ts', 'src/state2.ts']);
      assert.deepEqual(hits('polynomial-regex'), []);
      assert.deepEqual(hits('bounded-regex'), ['src/state.ts']);
      assert.match(
        problem('.serverless-advisor/rules/star-file.yaml'),
        /^8:13 the glob segment '\*a\*a\*a\*a\*a\*b' has 6 '\*'/,
      );
      // The stars-only glob is matched (against every id, in linear time) and matches none; the other is refused.
      assert.match(
        problem('serverless-advisor.yaml'),
        /^2:3 components: the glob "\*a\*a\*a\*a\*a\*a\*b" matches no component$/m,
      );
      assert.match(
        problem('serverless-advisor.yaml'),
        /^3:3 components: a glob that uses \?, \[\.\.\.\], \{\.\.\.\} or ! may hold one '\*' only/m,
      );
      for (const id of ['bounded-regex', 'star-imports', 'star-calls', 'star-route'])
        assert.equal(problem(`.serverless-advisor/rules/${id}.yaml`), '', `${id} loads`);
      assert.deepEqual(r.skipped, []);
      assert.ok(r.components.includes(`http:GET:/${long}`));
      // The comment with 20,000 blanks after its reason still suppresses the state below it.
      assert.deepEqual(hits('module-state-written-in-handler'), ['src/state2.ts']);
      assert.ok(r.suppressed >= 1);
    } finally {
      removeDir(root);
    }
  });

  it('checkGlob: the bounds, and what they let through', () => {
    assert.equal(checkGlob('src/**/*.test.*', { slashes: true }), undefined);
    assert.equal(checkGlob('**/{routes,handlers}/*.{ts,js}', { slashes: true }), undefined);
    assert.equal(checkGlob('http:*:/api/*/items/*', { slashes: false }), undefined, 'stars only: any number');
    assert.match(checkGlob('**/a/**/b/**/c', { slashes: true }) ?? '', /3 '\*\*'/);
    assert.match(checkGlob('+(a|aa)', { slashes: true }) ?? '', /extglobs/);
    assert.match(checkGlob('{a,a}'.repeat(7), { slashes: false }) ?? '', /128 combinations/);
  });
});
