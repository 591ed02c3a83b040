// SARIF 2.1.0 output: valid against the OASIS schema, one descriptor per rule with help and link, one result per
// finding (suppressed ones marked), root-relative locations, and fingerprints that survive code moving.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import type * as Sarif from 'sarif';
import { analyze } from '../../src/core/analyze';
import { toSarif } from '../../src/core/present/sarif';
import { loadRules } from '../../src/core/rules/load';

const EXAMPLE = path.resolve(__dirname, '../../examples/shop-api');
const SCHEMA = path.resolve(__dirname, '../fixtures/sarif/sarif-2.1.0-rtm.5.json');

function validator(): (log: unknown) => void {
  const raw = JSON.parse(fs.readFileSync(SCHEMA, 'utf8')) as Record<string, unknown>;
  // A draft-04 schema: Ajv 8 reads it once `id` is `$id` (no draft-04-only keyword is used in it).
  const { $schema: _s, id, ...rest } = raw;
  // unicodeRegExp off: one of the schema's patterns has a stray ']' that only non-unicode regexes accept.
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true, unicodeRegExp: false });
  ajv.addFormat('uri', (s: string) => /^[a-z][a-z0-9+.-]*:/i.test(s));
  ajv.addFormat('uri-reference', () => true);
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  const validate = ajv.compile({ ...rest, $id: id as string });
  return (log) => {
    if (!validate(log)) assert.fail(`not valid SARIF 2.1.0:\n${JSON.stringify(validate.errors, null, 1)}`);
  };
}

function copyExample(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-sarif-'));
  fs.cpSync(EXAMPLE, dir, { recursive: true });
  return dir;
}

describe('SARIF output', function () {
  this.timeout(60000);
  const check = validator();

  it('is valid SARIF 2.1.0 with a descriptor per rule and a result per finding', () => {
    const report = analyze({ root: EXAMPLE, costs: false });
    const rules = loadRules({}).rules;
    const log = toSarif(report, rules);
    check(log);
    const run = log.runs[0]!;
    const descriptors = run.tool.driver.rules ?? [];
    assert.equal(run.results?.length, report.findings.length + (report.suppressed?.length ?? 0));
    assert.deepEqual(
      descriptors.map((d) => d.id),
      [...new Set(report.findings.map((f) => f.ruleId))].sort(),
    );
    const pool = descriptors.find((d) => d.id === 'connection-pool-per-instance')!;
    assert.ok(pool.help?.text && pool.helpUri?.startsWith('https://'));
    assert.equal(pool.defaultConfiguration?.level, 'warning');
    for (const r of run.results ?? []) {
      assert.equal(descriptors[r.ruleIndex!]!.id, r.ruleId);
      const loc = r.locations![0]!.physicalLocation!;
      assert.equal(loc.artifactLocation!.uriBaseId, 'SRCROOT');
      assert.ok(!loc.artifactLocation!.uri!.startsWith('/'), 'locations are relative to the analysed root');
      assert.ok(fs.existsSync(path.join(EXAMPLE, decodeURIComponent(loc.artifactLocation!.uri!))));
    }
    const levels = new Set(run.results.map((r) => r.level));
    assert.ok(levels.has('error') && levels.has('warning') && levels.has('note'), [...levels].join());
  });

  it('keeps fingerprints when code moves, and marks suppressed findings as in-source suppressions', () => {
    const dir = copyExample();
    try {
      const first = toSarif(analyze({ root: dir, costs: false }), loadRules({}).rules);
      // Lines added at the top of server.ts move its findings down; a suppression hides the pool finding.
      const server = path.join(dir, 'src/server.ts');
      fs.writeFileSync(server, '// a header comment\n// another line\n' + fs.readFileSync(server, 'utf8'));
      const file = path.join(dir, 'src/db/pool.ts');
      fs.writeFileSync(
        file,
        fs
          .readFileSync(file, 'utf8')
          .replace(
            'export const pool = new Pool(',
            '// serverless-advisor-ignore connection-pool-per-instance -- RDS Proxy in front (test)\nexport const pool = new Pool(',
          ),
      );
      const second = toSarif(analyze({ root: dir, costs: false }), loadRules({}).rules);
      check(second);
      const prints = (log: Sarif.Log, suppressed: boolean): Map<string, Sarif.Result> =>
        new Map(
          (log.runs[0]!.results ?? [])
            .filter((r) => !!r.suppressions?.length === suppressed)
            .map((r) => [r.partialFingerprints!['serverlessAdvisorFinding/v1']!, r]),
        );
      const before = prints(first, false);
      const after = prints(second, false);
      const sup = [...prints(second, true).values()];
      assert.equal(sup.length, 1);
      assert.equal(sup[0]!.ruleId, 'connection-pool-per-instance');
      assert.equal(sup[0]!.suppressions![0]!.justification, 'RDS Proxy in front (test)');
      assert.equal(sup[0]!.suppressions![0]!.kind, 'inSource');
      // Every finding but the suppressed one keeps its fingerprint, including the moved ones in pool.ts.
      const moved = [...after.values()].filter(
        (r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri === 'src/server.ts',
      );
      assert.ok(moved.length > 0);
      for (const [fp] of after) assert.ok(before.has(fp), `new fingerprint ${fp}`);
      assert.equal(after.size, before.size - 1);
      const fp = sup[0]!.partialFingerprints!['serverlessAdvisorFinding/v1']!;
      assert.ok(before.has(fp), 'the suppressed finding keeps its fingerprint');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists skipped files and rule problems as tool notifications', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-sarif-'));
    try {
      fs.mkdirSync(path.join(dir, 'src'));
      fs.writeFileSync(path.join(dir, 'src', 'bad file.ts'), 'export const = ;\n');
      fs.mkdirSync(path.join(dir, '.serverless-advisor', 'rules'), { recursive: true });
      fs.writeFileSync(path.join(dir, '.serverless-advisor', 'rules', 'broken.yaml'), 'id: broken\nseverity: loud\n');
      const log = toSarif(analyze({ root: dir, costs: false }));
      check(log);
      const notes = log.runs[0]!.invocations![0]!.toolExecutionNotifications!;
      const skipped = notes.find((n) => n.message.text?.startsWith('not analysed'));
      assert.equal(skipped?.locations?.[0]?.physicalLocation?.artifactLocation?.uri, 'src/bad%20file.ts');
      const broken = notes.find((n) => n.level === 'error');
      assert.equal(
        broken?.locations?.[0]?.physicalLocation?.artifactLocation?.uri,
        '.serverless-advisor/rules/broken.yaml',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
