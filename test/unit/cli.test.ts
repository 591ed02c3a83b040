import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeTree } from './helpers';

const CLI = path.resolve(__dirname, '../../src/cli.ts');
// By URL, so the CLI also runs with a working folder outside the repository (rules list / test show paths from it).
const TSX = pathToFileURL(path.join(path.dirname(require.resolve('tsx/package.json')), 'dist/loader.mjs')).href;

function run(args: string[], cwd?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', TSX, CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('command line', function () {
  this.timeout(60_000);
  let root: string;
  before(() => {
    root = writeTree({
      'package.json': '{"dependencies":{"express":"4"}}',
      'app.ts':
        "import express from 'express';\nconst app = express();\nlet n = 0;\napp.get('/n', (_q, s) => { n++; s.json(n); });\n",
    });
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('prints the JSON report on stdout by default, exit 0', () => {
    const r = run(['analyze', root]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { components: { id: string }[]; findings: { ruleId: string }[] };
    assert.deepEqual(
      report.components.map((c) => c.id),
      ['http:GET:/n'],
    );
    assert.deepEqual(
      report.findings.map((f) => f.ruleId),
      ['module-state-written-in-handler'],
    );
  });

  it('writes Markdown to --out, replaces its own earlier report, and refuses a foreign file without --force', () => {
    const out = path.join(root, 'report.md');
    let r = run(['analyze', root, '--format', 'md', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(fs.readFileSync(out, 'utf8'), /^# Serverless Advisor report/);
    assert.match(r.stderr, /1 components, 1 findings/);
    r = run(['analyze', root, '--format', 'md', '--out', out, '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    const notes = path.join(root, 'notes.md');
    // Notes that mention the tool are still the user's.
    fs.writeFileSync(notes, 'my notes about serverless-advisor\n');
    r = run(['analyze', root, '--format', 'md', '--out', notes]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /notes\.md exists and is not an earlier report of this tool; add --force/);
    assert.equal(fs.readFileSync(notes, 'utf8'), 'my notes about serverless-advisor\n');
    r = run(['analyze', root, '--format', 'md', '--out', notes, '--force', '-q']);
    assert.equal(r.code, 0);
    assert.match(fs.readFileSync(notes, 'utf8'), /^# Serverless Advisor report/);
    // A folder the user names that does not exist yet is made.
    const nested = path.join(root, 'reports', 'q4', 'plan.md');
    r = run(['analyze', root, '--format', 'md', '--out', nested, '-q']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(fs.readFileSync(nested, 'utf8'), /^# Serverless Advisor report/);
    assert.deepEqual(fs.readdirSync(path.dirname(nested)), ['plan.md']);
  });

  it('exits 2 with a message on bad usage and unusable roots', () => {
    const cases: [string[], RegExp][] = [
      [[], /missing command/],
      [['scan', root], /unknown command 'scan'/],
      [['analyze'], /missing DIR/],
      [['analyze', root, '--format', 'xml'], /unknown format 'xml'\. Use one of: json, md/],
      [['analyze', root, '--bogus'], /Unknown option '--bogus'/],
      [['analyze', path.join(root, 'nope')], /nope: no such folder/],
      [['analyze', path.join(root, 'app.ts')], /not a folder/],
      [['analyze', root, '--max-files', 'x'], /--max-files wants a positive whole number/],
    ];
    for (const [args, message] of cases) {
      const r = run(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    }
  });

  it('writes SARIF, and gates a pipeline with --fail-on and --max-monthly-usd (exit 1, report still written)', () => {
    const sarif = run(['analyze', root, '--format', 'sarif', '-q']);
    assert.equal(sarif.code, 0, sarif.stderr);
    const log = JSON.parse(sarif.stdout) as { version: string; runs: { results: { ruleId: string }[] }[] };
    assert.equal(log.version, '2.1.0');
    assert.ok(log.runs[0]!.results.some((r) => r.ruleId === 'module-state-written-in-handler'));

    // The module-level counter is a warning: --fail-on error passes, --fail-on warning fails.
    assert.equal(run(['analyze', root, '-q', '--fail-on', 'error']).code, 0);
    const warn = run(['analyze', root, '-q', '--fail-on', 'warning', '--format', 'md']);
    assert.equal(warn.code, 1);
    assert.match(
      warn.stderr,
      /--fail-on warning: 1 finding at error or warning level \(first: module-state-written-in-handler at app\.ts:3\)/,
    );
    assert.match(warn.stdout, /^# Serverless Advisor report/);

    const report = JSON.parse(run(['analyze', root, '-q']).stdout) as {
      totals: { offerings: { offering: string; monthlyUsd: { likely: number } }[] };
    };
    const lambda = report.totals.offerings.find((o) => o.offering === 'aws-lambda-arm64')!.monthlyUsd.likely;
    assert.equal(run(['analyze', root, '-q', '--max-monthly-usd', String(lambda + 1)]).code, 0);
    const workers = run(['analyze', root, '-q', '--max-monthly-usd', '0', '--offering', 'cloudflare-workers']);
    assert.equal(workers.code, 1, 'Workers has a $5 monthly minimum');

    assert.equal(run(['analyze', root, '--fail-on', 'sometimes']).code, 2);
    assert.equal(run(['analyze', root, '--max-monthly-usd', 'lots']).code, 2);
    assert.equal(run(['analyze', root, '--max-monthly-usd', '5', '--no-costs']).code, 2);
    assert.equal(run(['analyze', root, '--offering', 'aws-s3']).code, 2);
    const unknown = run(['analyze', root, '-q', '--max-monthly-usd', '5', '--offering', 'nope']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /--offering nope was not priced; priced: aws-lambda-x86/);
  });

  it('documents every option in --help', () => {
    const r = run(['--help']);
    assert.equal(r.code, 0);
    for (const opt of [
      '--format',
      '--out',
      '--force',
      '--exclude',
      '--max-files',
      '--timings',
      '--fail-on',
      '--max-monthly-usd',
      '--offering',
      'sarif',
      '--quiet',
      '--rules DIR',
      'rules list',
      'rules test RULES_DIR',
      '--fixtures',
      'rules facts',
      '// ruleid: <id>',
      '// ok: <id>',
      'Exit codes',
    ]) {
      assert.ok(r.stdout.includes(opt), opt);
    }
  });

  describe('rules', () => {
    const BODY =
      'description: d\nhazard: local-fs-write\nseverity: warning\neffect: {}\nmessage: "wrote {{evidence}}"\nfix: f\n';
    let rules: string;
    before(() => {
      rules = writeTree({
        'disk/disk-writes.yaml': `id: disk-writes\n${BODY}when: { calls: "fs.writeFileSync" }\n`,
        'disk/broken.yaml': `id: broken\n${BODY}when: { fact: no-such-fact }\n`,
        'fixtures/disk-writes/app.ts':
          "import express from 'express';\nimport { writeFileSync } from 'node:fs';\nconst app = express();\napp.post('/a', (_q, s) => {\n  // ruleid: disk-writes\n  writeFileSync('./a', 'x');\n  // ok: disk-writes\n  s.end();\n});\n",
      });
    });
    after(() => fs.rmSync(rules, { recursive: true, force: true }));

    it('analyze --rules DIR runs custom rules and prints broken ones on stderr as file:line:column: message', () => {
      const r = run(['analyze', root, '--rules', path.join(rules, 'disk')]);
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout) as {
        findings: { ruleId: string }[];
        problems: { file: string; line: number; column: number; message: string }[];
      };
      assert.deepEqual(
        report.problems.map((p) => `${path.basename(p.file)}:${p.line}:${p.column}`),
        ['broken.yaml:8:15'],
      );
      assert.ok(!report.findings.some((f) => f.ruleId === 'disk-writes'));
      assert.equal(
        r.stderr,
        `${report.problems[0]!.file}:8:15: unknown fact 'no-such-fact'; run 'serverless-advisor rules facts' for the list\n`,
      );
      const quiet = run(['analyze', root, '--rules', path.join(rules, 'disk'), '--quiet']);
      assert.equal(quiet.code, 0);
      assert.equal(quiet.stderr, '');
      assert.equal(run(['analyze', root, '--rules', path.join(rules, 'nope')]).code, 2);
    });

    it('rules list shows id, hazard, severity and source of the built-ins and of --rules folders', () => {
      const r = run(['rules', 'list', '--rules', path.join(rules, 'disk')], rules);
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.trimEnd().split('\n');
      assert.match(lines[0]!, /^id +hazard +severity +source$/);
      assert.ok(
        lines.some((l) =>
          /^connection-pool-per-instance +connection-pool +warning +rules\/connections\/connection-pool-per-instance\.yaml$/.test(
            l,
          ),
        ),
      );
      assert.ok(lines.some((l) => /^disk-writes +local-fs-write +warning +disk\/disk-writes\.yaml$/.test(l)));
      assert.equal(
        r.stderr,
        "disk/broken.yaml:8:15: unknown fact 'no-such-fact'; run 'serverless-advisor rules facts' for the list\n",
      );
    });

    it('rules test runs the fixtures: exit 0 when they pass, 1 when one fails, 2 on bad usage', () => {
      const disk = path.join(rules, 'disk');
      fs.rmSync(path.join(disk, 'broken.yaml'));
      let r = run(['rules', 'test', disk, '--fixtures', path.join(rules, 'fixtures')], rules);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(r.stdout, '1 passed, 0 failed, 0 without fixtures\n');
      const app = path.join(rules, 'fixtures/disk-writes/app.ts');
      fs.writeFileSync(
        app,
        fs
          .readFileSync(app, 'utf8')
          .replace('// ok: disk-writes\n  s.end();', "// ok: disk-writes\n  writeFileSync('./b', 'y');"),
      );
      r = run(['rules', 'test', disk, '--fixtures', path.join(rules, 'fixtures')], rules);
      assert.equal(r.code, 1);
      assert.equal(
        r.stdout,
        "FAIL disk-writes (fixtures/disk-writes)\n  fixtures/disk-writes/app.ts:8: unexpected finding of disk-writes on a line marked ok: wrote writeFileSync('./b', 'y')\n0 passed, 1 failed, 0 without fixtures\n",
      );
      for (const [args, message] of [
        [['rules'], /missing rules command/],
        [['rules', 'lint'], /unknown rules command 'lint'/],
        [['rules', 'test'], /missing RULES_DIR/],
        [['rules', 'test', path.join(rules, 'nope')], /nope: no such folder/],
        [['rules', 'test', disk], /no such folder \(give the fixtures with --fixtures DIR\)/],
      ] as [string[], RegExp][]) {
        const bad = run(args, rules);
        assert.equal(bad.code, 2, args.join(' '));
        assert.match(bad.stderr, message);
      }
    });

    it('rules test passes on the built-in catalogue and its fixtures', () => {
      const repo = path.resolve(__dirname, '../..');
      const r = run(['rules', 'test', 'rules', '--fixtures', 'test/fixtures/rules'], repo);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /^\d+ passed, 0 failed, 0 without fixtures\n$/);
    });
  });
});
