// Property: a rule file or a usage profile, however broken, gives either a valid load or clear problems with the
// file, a line and a column inside it; never a throw, never a hang. What loads is held to the schema and then used.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { analyze } from '../../../src/core/analyze';
import { loadUsageProfile, resolveUsage, USAGE_FIELDS } from '../../../src/core/cost/usage';
import { checkCondition, loadRules } from '../../../src/core/rules/load';
import { checkGlob, checkRegex } from '../../../src/core/rules/regex';
import type { Condition, Rule } from '../../../src/core/rules/types';
import { validateReport } from '../schemaValidate';
import {
  BASE_PROFILE,
  checkProblemPositions,
  checkReport,
  fuzzParams,
  fuzzTimeout,
  fuzzTitle,
  mutateYaml,
  realProjects,
  realRuleFiles,
  removeDir,
  writeFiles,
  YAML_VALUES,
  yamlMutationArb,
} from './arbitraries';

const REPO = path.resolve(__dirname, '../../..');
const ajv = new Ajv({ allErrors: true, strict: false });
const ruleSchema = ajv.compile(JSON.parse(fs.readFileSync(path.join(REPO, 'rules/schema.json'), 'utf8')) as object);
const profileSchema = JSON.parse(fs.readFileSync(path.join(REPO, 'serverless-advisor.schema.json'), 'utf8')) as {
  definitions: { usage: object };
  properties: { scenarios: object };
};
const usageValid = new Ajv({ strict: false }).compile(profileSchema.definitions.usage);
const scenariosValid = new Ajv({ strict: false }).compile(profileSchema.properties.scenarios);

/**
 * A hang guard after the fact, not a benchmark: loading one small file takes milliseconds (a YAML nested 5,000 deep
 * takes a second or two under mocha, whose source maps make each of the parser's stack overflows costly).
 */
const SLOW_MS = 30_000;

function conditions(c: Condition): Condition[] {
  if ('all' in c) return [c, ...c.all.flatMap(conditions)];
  if ('any' in c) return [c, ...c.any.flatMap(conditions)];
  if ('not' in c) return [c, ...conditions(c.not)];
  if ('reaches' in c) return [c, ...conditions(c.reaches)];
  return [c];
}

/** A loaded rule is what the schema and the loader's own checks allow, with every pattern bounded. */
function checkLoadedRule(rule: Rule): void {
  const { source: _s, builtin: _b, ...data } = rule;
  assert.ok(
    ruleSchema(JSON.parse(JSON.stringify(data))),
    `a loaded rule fails the schema: ${ajv.errorsText(ruleSchema.errors)}`,
  );
  assert.deepEqual(checkCondition(rule.when, ['when']), []);
  for (const c of conditions(rule.when)) {
    if ('fact' in c)
      for (const t of Object.values(c.attrs ?? {}))
        if (t && typeof t === 'object') assert.equal(checkRegex(t.matches), undefined, t.matches);
    if ('file' in c) assert.equal(checkGlob(c.file, { slashes: true }), undefined, c.file);
  }
}

describe(fuzzTitle('fuzz: YAML of rule files and of the usage profile'), function () {
  this.timeout(fuzzTimeout(60_000));
  const express = () => realProjects().find((p) => p.name === 'test/fixtures/express')!;

  it('mutated rule files: a valid load or problems at file:line:column; what loads is bounded and runs', () => {
    const rules = realRuleFiles();
    let loaded = 0;
    fc.assert(
      fc.property(fc.nat(), fc.array(yamlMutationArb, { minLength: 1, maxLength: 4 }), (pick, mutations) => {
        const base = rules[pick % rules.length]!;
        const bytes = mutateYaml(base.text, mutations);
        const name = `${base.id}.yaml`;
        const dir = writeFiles([[name, bytes]], 'sa-fuzz-rules-');
        try {
          const t0 = performance.now();
          let set: ReturnType<typeof loadRules>;
          try {
            set = loadRules({ builtinDir: null, userDirs: [dir], displayRoot: dir });
          } catch (e) {
            assert.fail(`loadRules threw: ${(e as Error).stack ?? String(e)}`);
          }
          assert.ok(performance.now() - t0 < SLOW_MS, 'loading one rule file took seconds');
          const valid = set.rules.length === 1 && set.problems.length === 0;
          const refused = set.rules.length === 0 && set.problems.length > 0;
          assert.ok(valid || refused, `${set.rules.length} rules and ${set.problems.length} problems from one file`);
          checkProblemPositions(set.problems, name, bytes.length > 256 * 1024 ? '' : bytes.toString('utf8'));
          if (!valid) return;
          loaded++;
          checkLoadedRule(set.rules[0]!);
          // The rule runs over a real app (alone: as a copy of a built-in it would repeat that rule's id).
          const root = writeFiles(express().files);
          try {
            const report = validateReport(analyze({ root, rules: set, costs: false }));
            checkReport(report, express().files);
          } finally {
            removeDir(root);
          }
        } finally {
          removeDir(dir);
        }
      }),
      fuzzParams(150),
    );
    // Not a property of the loader: a sign that the mutations leave enough rules whole to exercise the engine.
    assert.ok(loaded > 10, `only ${loaded} mutated rules loaded`);
  });

  describe('regressions', () => {
    const profileProblems = (text: string) => {
      const dir = writeFiles([['serverless-advisor.yaml', text]], 'sa-fuzz-profile-');
      try {
        const r = loadUsageProfile(dir, ['http:GET:/api/v1/users']);
        checkProblemPositions(r.problems, path.join(dir, 'serverless-advisor.yaml'), text);
        return r;
      } finally {
        removeDir(dir);
      }
    };

    it('an alias bomb in the profile is a problem at its first alias, not a ReferenceError out of the analysis', () => {
      const aliases = Array.from(
        { length: 6 },
        (_, l) => `a${l + 1}: &a${l + 1} [${Array(10).fill(`*a${l}`).join(', ')}]`,
      );
      const r = profileProblems(['a0: &a0 [lol, lol]', ...aliases, ''].join('\n'));
      assert.deepEqual(
        r.problems.map((p) => [p.line, p.column, p.message]),
        [[2, 10, 'YAML: Excessive alias count indicates a resource exhaustion attack']],
      );
      assert.equal(r.usedDefaults, true);
    });

    it('a !!binary value in the profile is refused and dropped, not a TypeError out of the analysis', () => {
      const r = profileProblems(
        'components:\n  "http:*": !!binary aGVsbG8=\n  "http:GET:/api/v1/users": { durationMs: 80 }\n',
      );
      assert.deepEqual(
        r.problems.map((p) => [p.line, p.column, p.message]),
        [[2, 3, 'components.http:* must be object']],
      );
      assert.deepEqual(
        r.profile.components.map((c) => [c.pattern, c.usage]),
        [['http:GET:/api/v1/users', { durationMs: 80 }]],
      );
    });

    it('a rule the schema refuses inside `when` is refused, not loaded', () => {
      // The loader left `when` to its own checker, which looked at attribute tests only when they had `matches`, and
      // at nothing inside `component`: an attribute test of the wrong shape, or an unknown kind, loaded as a rule.
      const body = 'description: d\nhazard: module-state\nseverity: info\neffect: {}\nmessage: m\nfix: f\n';
      const dir = writeFiles([
        [
          'odd-attr.yaml',
          `id: odd-attr\n${body}when:\n  fact: module-state-written-in-handler\n  attrs: { name: { matchez: ".*" } }\n`,
        ],
        ['odd-kind.yaml', `id: odd-kind\n${body}when:\n  component: { kind: mainframe }\n`],
      ]);
      try {
        const set = loadRules({ builtinDir: null, userDirs: [dir], displayRoot: dir });
        assert.deepEqual(set.rules, []);
        assert.deepEqual(
          set.problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.message}`),
          [
            "odd-attr.yaml:10:18 attribute 'name' takes a value (string, number, true or false) or { matches: <regex> }",
            "odd-kind.yaml:9:22 'when.component.kind' must be one of: http-route, route-group, queue-consumer, scheduled-job, websocket, worker, graphql, function, cli",
          ],
        );
      } finally {
        removeDir(dir);
      }
    });

    it('problems after a token the parser rejects name their own line', () => {
      // yaml's own line count skipped the line break inside the rejected "2500000\n    cpuMs" and put the ':' after
      // cpuMs at 11:39, past the end of line 11.
      const text = mutateYaml(BASE_PROFILE, [
        { kind: 'swapLines', a: 9, b: 0 },
        { kind: 'indent', nth: 10, by: -1 },
      ]).toString('utf8');
      const r = profileProblems(text);
      assert.ok(r.problems.some((p) => p.line === 12 && p.column === 10 && /map-value-ind/.test(p.message)));
    });
  });

  it('regression: a rule nested 5,000 deep (not: not: ...) is refused with a position, not a stack overflow', () => {
    const dir = writeFiles([
      [
        'deep.yaml',
        `id: deep\ndescription: d\nhazard: module-state\nseverity: info\neffect: {}\nmessage: m\nfix: f\n${'when: '}${'{ not: '.repeat(5000)}{ fact: local-fs-write }${' }'.repeat(5000)}\n`,
      ],
    ]);
    try {
      const set = loadRules({ builtinDir: null, userDirs: [dir], displayRoot: dir });
      assert.equal(set.rules.length + (set.problems.length ? 1 : 0), 1);
      checkProblemPositions(set.problems, 'deep.yaml', fs.readFileSync(path.join(dir, 'deep.yaml'), 'utf8'));
    } finally {
      removeDir(dir);
    }
  });

  /** Random profiles: every field, values of every type and range, ids and globs as keys. */
  const usageValue = fc.oneof(
    fc.double({ noNaN: false }),
    fc.integer({ min: -10, max: 1e7 }),
    fc.constantFrom(0, 1, 3600000, 1e12, 1e13, -0, 0.5),
    fc.string({ maxLength: 8 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.nat(), { maxLength: 2 }),
  );
  const usage = fc.dictionary(fc.constantFrom(...USAGE_FIELDS, 'durationMS', 'extra'), usageValue, { maxKeys: 6 });
  const key = fc.oneof(
    fc.constantFrom(
      'http:GET:/api/v1/users',
      'http:*',
      'queue:*',
      '*',
      '**',
      'http:GET:/api/v1/users/:id',
      '{http,queue}:*',
      'http:?ET:*',
      '!http:*',
      '[h]ttp:*',
      '*a*a*a*a*b',
      'http:?*a*a*b',
      '__proto__',
      '',
    ),
    fc.string({ maxLength: 30 }),
  );
  const randomProfile = fc
    .record(
      {
        defaults: usage,
        scenarios: fc.record({ low: usageValue, likely: usageValue, high: usageValue }, { requiredKeys: [] }),
        freeTier: fc.oneof(fc.boolean(), usageValue),
        components: fc.dictionary(key, fc.oneof(usage, usageValue), { maxKeys: 5 }),
        extra: usageValue,
      },
      { requiredKeys: [] },
    )
    .map((p) => stringify(p));

  it('random and mutated usage profiles: problems at file:line:column, and what applies is within the schema', () => {
    const ids = [
      'http:GET:/api/v1/users',
      'http:GET:/api/v1/users/:id',
      'queue:bullmq:emails',
      `http:GET:/${'a'.repeat(5000)}`,
    ];
    fc.assert(
      fc.property(
        fc.oneof(fc.constant(BASE_PROFILE), randomProfile),
        fc.array(yamlMutationArb, { maxLength: 3 }),
        (base, mutations) => {
          const bytes = mutateYaml(base, mutations);
          const dir = writeFiles([['serverless-advisor.yaml', bytes]], 'sa-fuzz-profile-');
          const file = path.join(dir, 'serverless-advisor.yaml');
          try {
            const t0 = performance.now();
            let loaded: ReturnType<typeof loadUsageProfile>;
            try {
              loaded = loadUsageProfile(dir, ids);
            } catch (e) {
              assert.fail(`loadUsageProfile threw: ${(e as Error).stack ?? String(e)}`);
            }
            assert.ok(performance.now() - t0 < SLOW_MS, 'loading the profile took seconds');
            const { profile, problems } = loaded;
            checkProblemPositions(problems, file, bytes.toString('utf8'));
            for (const p of problems) {
              assert.ok(p.severity === 'error' || p.severity === 'warning', p.message);
              assert.ok(p.fix && p.fix.length > 0, `no fix for: ${p.message}`);
            }
            // A bad value is dropped, the rest applies: what applies is valid.
            assert.ok(
              usageValid(profile.defaults),
              `defaults applied out of the schema: ${JSON.stringify(profile.defaults)}`,
            );
            for (const c of profile.components)
              assert.ok(usageValid(c.usage), `${c.pattern} applied out of the schema: ${JSON.stringify(c.usage)}`);
            assert.ok(scenariosValid(profile.scenarios), JSON.stringify(profile.scenarios));
            assert.ok(
              profile.scenarios.low <= profile.scenarios.likely && profile.scenarios.likely <= profile.scenarios.high,
            );
            assert.equal(typeof profile.freeTier, 'boolean');
            for (const id of ids) {
              const u = resolveUsage(
                { id, kind: 'http-route', trigger: { type: 'http', method: 'GET', path: '/' } },
                profile,
              );
              for (const f of USAGE_FIELDS)
                assert.ok(Number.isFinite(u.usage[f]) && u.usage[f] >= 0, `${id} ${f}: ${u.usage[f]}`);
            }
          } finally {
            removeDir(dir);
          }
        },
      ),
      fuzzParams(200),
    );
  });

  it('a mutated profile in a real analysis: a valid report with costs', () => {
    fc.assert(
      fc.property(fc.array(yamlMutationArb, { maxLength: 3 }), (mutations) => {
        const files = new Map(express().files);
        files.set('serverless-advisor.yaml', mutateYaml(BASE_PROFILE, mutations));
        const root = writeFiles(files);
        try {
          const report = validateReport(analyze({ root }));
          checkReport(report, files);
          assert.ok(report.totals, 'the costs are there');
        } finally {
          removeDir(root);
        }
      }),
      fuzzParams(15),
    );
  });

  it('every listed odd value, in each place of a rule and of the profile', () => {
    // The mutations pick among these at random; here each is tried once, so none is left to chance.
    const rule = realRuleFiles().find((r) => r.id === 'module-state-written-in-handler') ?? realRuleFiles()[0]!;
    const lineCount = rule.text.split('\n').length;
    for (const value of YAML_VALUES)
      for (let nth = 0; nth < lineCount; nth++) {
        const bytes = mutateYaml(rule.text, [{ kind: 'replaceValue', nth, value }]);
        const dir = writeFiles([[`${rule.id}.yaml`, bytes]], 'sa-fuzz-rules-');
        try {
          const set = loadRules({ builtinDir: null, userDirs: [dir], displayRoot: dir });
          checkProblemPositions(set.problems, `${rule.id}.yaml`, bytes.toString('utf8'));
          if (set.rules.length) checkLoadedRule(set.rules[0]!);
        } finally {
          removeDir(dir);
        }
      }
    for (const value of YAML_VALUES)
      for (let nth = 0; nth < BASE_PROFILE.split('\n').length; nth++) {
        const bytes = mutateYaml(BASE_PROFILE, [{ kind: 'replaceValue', nth, value }]);
        const dir = writeFiles([['serverless-advisor.yaml', bytes]], 'sa-fuzz-profile-');
        try {
          const { problems } = loadUsageProfile(dir, ['http:GET:/api/v1/users']);
          checkProblemPositions(problems, path.join(dir, 'serverless-advisor.yaml'), bytes.toString('utf8'));
        } finally {
          removeDir(dir);
        }
      }
  });
});
