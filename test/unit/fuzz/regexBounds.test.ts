// Property: no pattern a rule or a usage profile brings can hang the analysis. Regular expressions (`attrs: {
// matches }`) are bounded by checkRegex, `file:` and profile globs by checkGlob, and the `*` wildcards of imports /
// calls / new / decorator / trigger paths are matched without a regular expression. Whatever could hang runs in a
// worker thread that is stopped after a generous limit (guard.ts): a regression fails as "a hang", it never stalls.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { applySuppressions } from '../../../src/core/rules/suppress';
import { checkGlob, checkRegex, wildcard } from '../../../src/core/rules/regex';
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

  it('refuses every known catastrophic pattern, saying why', () => {
    for (const p of CATASTROPHIC_REGEXES) {
      const why = checkRegex(p);
      assert.ok(why && why.length > 20, `accepted ${p}`);
    }
  });

  it('accepts the patterns rules use', () => {
    // (?:ab)+ was refused before: the `?` of `(?:` read as a quantifier inside the group.
    for (const p of [
      '^(pg|mysql2?)$',
      'Sync$',
      '^@aws-sdk/client-.*$',
      '(?:\\.js|\\.ts)?$',
      '^[a-z-]+$',
      '(?:ab)+',
      '\\p{L}+',
      '(a|b){2,3}',
      '^node:',
    ])
      assert.equal(checkRegex(p), undefined, p);
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
      assert.match(
        problem('.serverless-advisor/rules/catastrophic-regex.yaml'),
        /^7:29 the repeated part \(a\|a\)\* can match in more than one way/,
      );
      assert.match(problem('.serverless-advisor/rules/polynomial-regex.yaml'), /^7:29 the pattern repeats too freely/);
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
      assert.equal(r.findings.filter((f) => f.ruleId === 'module-state-written-in-handler').length, 0);
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
