// What the editor writes for the user: the usage profile (template and per-component overrides), a new custom
// rule with its fixture, and the labels CodeLens and the tree show.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { profileTemplate, withComponentOverride } from '../../src/core/cost/profileEdit';
import { loadUsageProfile } from '../../src/core/cost/usage';
import { discover } from '../../src/core/load/discover';
import type { Component } from '../../src/core/model';
import { componentSummary, firstSentence, quotedCost, usd } from '../../src/core/labels';
import { loadRules } from '../../src/core/rules/load';
import { ruleFixture, ruleTemplate } from '../../src/core/rules/template';
import { testRules } from '../../src/core/ruleTests';
import { writeTree } from './helpers';

describe('usage profile: template and overrides', () => {
  it('the template loads without problems and changes nothing (every figure is commented out)', () => {
    const dir = writeTree({ 'serverless-advisor.yaml': profileTemplate() });
    const r = loadUsageProfile(dir, ['http:GET:/x']);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.profile.defaults, {});
    assert.deepEqual(r.profile.components, []);
    assert.deepEqual(r.profile.scenarios, { low: 0.25, likely: 1, high: 4 });
  });

  it('adds an override for a component, keeping comments and the rest, and the loader applies it', () => {
    const r = withComponentOverride(profileTemplate(), 'http:GET:/api/orders/:id', {
      requestsPerMonth: 250000,
      durationMs: 90,
    });
    assert.ok('text' in r);
    assert.equal(r.changed, true);
    assert.ok(r.text.startsWith('# Serverless Advisor usage profile'), 'the header comment was lost');
    assert.ok(r.text.includes('# Apply the providers'), 'a comment in the middle was lost');
    assert.ok(r.text.includes('  #   requestsPerMonth: 2000000'), 'the commented example under components was lost');
    assert.equal(r.text.split('\n')[r.line - 1]!.trim(), 'http:GET:/api/orders/:id:');
    const dir = writeTree({ 'serverless-advisor.yaml': r.text });
    const loaded = loadUsageProfile(dir, ['http:GET:/api/orders/:id']);
    assert.deepEqual(loaded.problems, []);
    assert.deepEqual(loaded.profile.components, [
      { pattern: 'http:GET:/api/orders/:id', glob: false, usage: { requestsPerMonth: 250000, durationMs: 90 } },
    ]);
  });

  it('leaves an existing override as it is and says where it is', () => {
    const text = 'components:\n  # ours\n  "queue:bullmq:emails":\n    requestsPerMonth: 5\n';
    const r = withComponentOverride(text, 'queue:bullmq:emails', { requestsPerMonth: 99 });
    assert.deepEqual(r, { text, line: 3, changed: false });
  });

  it('creates the components map in a profile without one', () => {
    const r = withComponentOverride('freeTier: false\n', 'worker:cluster:src/a.ts', { memoryMb: 512 });
    assert.ok('text' in r);
    assert.deepEqual(parse(r.text), { freeTier: false, components: { 'worker:cluster:src/a.ts': { memoryMb: 512 } } });
  });

  it('refuses to touch a profile that does not parse, naming the line', () => {
    const r = withComponentOverride('defaults:\n  durationMs: [1,\n', 'x', { durationMs: 1 });
    assert.ok('error' in r);
    assert.match(r.error, /^serverless-advisor\.yaml:\d+:\d+: .*fix it first$/);
    const notMap = withComponentOverride('components: 3\n', 'x', { durationMs: 1 });
    assert.ok('error' in notMap && /'components' must be a mapping/.test(notMap.error));
  });
});

describe('new custom rule scaffold', () => {
  it('loads against the schema and passes its own fixture', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-rule-'));
    const rulesDir = path.join(dir, '.serverless-advisor', 'rules');
    fs.mkdirSync(rulesDir, { recursive: true });
    fs.writeFileSync(path.join(rulesDir, 'no-legacy-store.yaml'), ruleTemplate('no-legacy-store', 'in-memory-session'));
    for (const f of ruleFixture('no-legacy-store')) {
      const p = path.join(rulesDir, 'fixtures', 'no-legacy-store', f.file);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, f.text);
    }
    const set = loadRules({ builtinDir: null, userDirs: [rulesDir], displayRoot: dir });
    assert.deepEqual(set.problems, []);
    assert.equal(set.rules.length, 1);
    assert.equal(set.rules[0]!.hazard, 'in-memory-session');
    const result = testRules({ rules: set.rules, fixturesDir: path.join(rulesDir, 'fixtures') });
    assert.equal(result.passed, true, JSON.stringify(result.fixtures, null, 1));
    assert.equal(result.fixtures.length, 1);
  });
});

describe('files.include', () => {
  it('keeps only matching source files, and still reads manifests', () => {
    const dir = writeTree({
      'package.json': '{"name":"x"}',
      'src/api/a.ts': 'export {}',
      'src/jobs/b.ts': 'export {}',
      'scripts/c.ts': 'export {}',
    });
    const d = discover(dir, { include: ['src/api/**'] });
    assert.deepEqual(d.files, ['src/api/a.ts']);
    assert.deepEqual(d.manifests, ['package.json']);
    assert.deepEqual(discover(dir, { include: [] }).files, ['scripts/c.ts', 'src/api/a.ts', 'src/jobs/b.ts']);
  });
});

describe('labels', () => {
  const base: Component = {
    id: 'http:GET:/x',
    kind: 'http-route',
    name: 'GET /x',
    framework: 'express',
    location: { file: 'a.ts', line: 1, column: 1 },
    trigger: { type: 'http', method: 'GET', path: '/x' },
    findings: [],
    classification: { target: 'faas', confidence: 0.8, reasons: [], blockers: [], alternatives: [] },
    coldStart: { estimateMs: 240, bundleKb: 100, basis: '' },
    cost: [
      {
        offering: 'aws-lambda-arm64',
        provider: 'aws',
        role: 'function',
        monthlyUsd: { low: 0.5, likely: 2.1, high: 9 },
        breakdown: {},
        assumptions: [],
      },
      {
        offering: 'cloudflare-workers',
        provider: 'cloudflare',
        role: 'function',
        monthlyUsd: { low: 0.1, likely: 0.3, high: 1 },
        breakdown: {},
        assumptions: [],
      },
      {
        offering: 'aws-fargate-arm64',
        provider: 'aws',
        role: 'container',
        monthlyUsd: { low: 50, likely: 57.67, high: 80 },
        breakdown: {},
        assumptions: [],
      },
    ],
  };

  it('summarises a component as target, cost on the preferred offering and cold start', () => {
    assert.equal(componentSummary(base, 'aws-lambda-arm64'), 'faas · ~$2.10/mo on Lambda arm64 · cold start ~240 ms');
  });

  it('falls back to the cheapest offering of the role the target runs on', () => {
    assert.equal(quotedCost(base, 'gcp-cloud-run-functions')?.offering, 'cloudflare-workers');
    const container = { ...base, classification: { ...base.classification!, target: 'container' as const } };
    assert.equal(quotedCost(container, 'nope')?.offering, 'aws-fargate-arm64');
    assert.equal(componentSummary({ ...base, cost: undefined, coldStart: undefined }, 'x'), 'faas');
  });

  it('formats money and first sentences', () => {
    assert.equal(usd(0.004), '<$0.01');
    assert.equal(usd(0), '$0.00');
    assert.equal(usd(1234.5), '$1,235');
    assert.equal(firstSentence('`pg` opens a pool. More text.'), '`pg` opens a pool');
    assert.equal(firstSentence('x'.repeat(200)).length, 120);
  });
});
