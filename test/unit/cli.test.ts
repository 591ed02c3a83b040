import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeTree } from './helpers';

const CLI = path.resolve(__dirname, '../../src/cli.ts');

function run(args: string[], cwd?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('command line', function () {
  this.timeout(60_000);
  let root: string;
  before(() => {
    root = writeTree({
      'package.json': '{"dependencies":{"express":"4"}}',
      'app.ts': "import express from 'express';\nconst app = express();\nlet n = 0;\napp.get('/n', (_q, s) => { n++; s.json(n); });\n",
    });
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('prints the JSON report on stdout by default, exit 0', () => {
    const r = run(['analyze', root]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { components: { id: string }[]; findings: { ruleId: string }[] };
    assert.deepEqual(report.components.map((c) => c.id), ['http:GET:/n']);
    assert.deepEqual(report.findings.map((f) => f.ruleId), ['module-state-written-in-handler']);
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
    fs.writeFileSync(notes, 'my notes\n');
    r = run(['analyze', root, '--format', 'md', '--out', notes]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /notes\.md exists and is not an earlier report of this tool; add --force/);
    assert.equal(fs.readFileSync(notes, 'utf8'), 'my notes\n');
    r = run(['analyze', root, '--format', 'md', '--out', notes, '--force', '-q']);
    assert.equal(r.code, 0);
    assert.match(fs.readFileSync(notes, 'utf8'), /^# Serverless Advisor report/);
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

  it('documents every option in --help', () => {
    const r = run(['--help']);
    assert.equal(r.code, 0);
    for (const opt of ['--format', '--out', '--force', '--exclude', '--max-files', '--timings', '--quiet', 'Exit codes']) {
      assert.ok(r.stdout.includes(opt), opt);
    }
  });
});
