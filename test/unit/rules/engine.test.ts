import * as assert from 'node:assert/strict';
import { analyzeFiles } from '../helpers';
import type { Condition, Rule } from '../../../src/core/rules/types';
import type { Report } from '../../../src/core/model';

function rule(id: string, when: Condition, message = '{{evidence}}'): Rule {
  return {
    id,
    description: id,
    hazard: 'module-state',
    severity: 'info',
    when,
    effect: {},
    message,
    fix: 'fix {{file}}:{{line}}',
    source: `${id}.yaml`,
    builtin: false,
  };
}

function run(files: Record<string, string>, rules: Rule[]): Report {
  return analyzeFiles(
    { 'package.json': '{"dependencies":{"express":"4"}}', ...files },
    { rules: { rules, problems: [] } },
  );
}

/** `file:line rule [components]`, for the rules under test only (uncovered facts are reported too). */
function keys(r: Report, ids: string[]): string[] {
  return r.findings
    .filter((f) => ids.includes(f.ruleId))
    .map((f) => `${f.location.file}:${f.location.line} ${f.ruleId} [${f.components.join(' ')}]`);
}

const APP = [
  "import express from 'express';", // 1
  "import { writeFileSync, readFileSync } from 'node:fs';", // 2
  "import { writeFileSync as fake } from './fake';", // 3
  'const app = express();', // 4
  "app.post('/admin/notes', (req, res) => {", // 5
  "  writeFileSync('./notes.txt', String(req.body));", // 6
  "  fake('./x');", // 7
  '  res.end();', // 8
  '});', // 9
  "app.get('/notes', (_req, res) => {", // 10
  "  writeFileSync('./seen.txt', 'x');", // 11
  "  res.send(readFileSync('/data/notes.txt', 'utf8'));", // 12
  '});', // 13
  '',
].join('\n');
const FAKE = 'export function writeFileSync(_p: string): void {}\n';

describe('rules: the engine', function () {
  this.timeout(30_000);

  it('all: site conditions must hold at the same place; any: either; not: excludes places', () => {
    const r = run({ 'src/app.ts': APP, 'src/fake.ts': FAKE }, [
      rule('both', { all: [{ calls: 'fs.writeFileSync' }, { fact: 'local-fs-write' }] }),
      rule('either', { any: [{ calls: 'fs.writeFileSync' }, { calls: 'fs.readFileSync' }] }),
      rule('write-not-admin', {
        all: [{ fact: 'local-fs-write' }, { not: { component: { trigger: { path: '/admin/*' } } } }],
      }),
      rule('never', { all: [{ calls: 'fs.readFileSync' }, { fact: 'local-fs-write' }] }),
    ]);
    assert.deepEqual(keys(r, ['both', 'either', 'write-not-admin', 'never']), [
      'src/app.ts:6 both [http:POST:/admin/notes]',
      'src/app.ts:6 either [http:POST:/admin/notes]',
      'src/app.ts:11 both [http:GET:/notes]',
      'src/app.ts:11 either [http:GET:/notes]',
      'src/app.ts:11 write-not-admin [http:GET:/notes]',
      'src/app.ts:12 either [http:GET:/notes]',
    ]);
  });

  it('component and file filters narrow findings to components; on their own they apply to each component', () => {
    const r = run(
      { 'src/app.ts': APP, 'src/fake.ts': FAKE, 'scripts/seed.ts': "#!/usr/bin/env node\nconsole.log('seed');\n" },
      [
        rule('posts-write', {
          all: [{ fact: 'local-fs-write' }, { component: { trigger: { type: 'http', method: 'post' } } }],
        }),
        rule(
          'admin-route',
          { component: { kind: 'http-route', trigger: { path: '/admin/*' } } },
          '{{name}} ({{kind}}, {{framework}})',
        ),
        rule('script', { all: [{ component: { kind: 'cli' } }, { file: 'scripts/**' }] }, '{{name}}'),
      ],
    );
    assert.deepEqual(keys(r, ['posts-write', 'admin-route', 'script']), [
      'scripts/seed.ts:2 script [cli:scripts/seed.ts]',
      'src/app.ts:5 admin-route [http:POST:/admin/notes]',
      'src/app.ts:6 posts-write [http:POST:/admin/notes]',
    ]);
    assert.equal(
      r.findings.find((f) => f.ruleId === 'admin-route')!.message,
      'POST /admin/notes (http-route, express)',
    );
  });

  it('imports, calls, new and decorator match what is imported, not look-alike names', () => {
    const r = run(
      {
        'src/app.ts': [
          "import express from 'express';", // 1
          "import { Pool } from 'pg';", // 2
          "import { Pool as MyPool } from './pool';", // 3
          "import { Cron } from '@nestjs/schedule';", // 4
          "import { Cron as Local } from './cron';", // 5
          'const a = new Pool();', // 6
          'const b = new MyPool();', // 7
          'class Jobs {', // 8
          "  @Cron('* * * * *') tick(): void {}", // 9
          "  @Local('x') other(): void {}", // 10
          '}', // 11
          "const app = express();\napp.get('/', (_q, s) => { s.json([a, b, Jobs]); });", // 12-13
          '',
        ].join('\n'),
        'src/pool.ts': 'export class Pool {}\n',
        'src/cron.ts': 'export function Cron(_s: string) { return (_t: object, _k: string) => undefined; }\n',
      },
      [
        rule('imports-pg', { imports: 'pg' }, '{{module}} / {{package}}'),
        rule('new-pool', { new: 'pg.Pool' }, '{{callee}}'),
        rule('cron-decorator', { decorator: '@nestjs/schedule.Cron' }, '{{callee}}'),
        rule('any-listen', { calls: 'express' }, '{{callee}}'),
      ],
    );
    assert.deepEqual(
      r.findings
        .filter((f) => ['imports-pg', 'new-pool', 'cron-decorator', 'any-listen'].includes(f.ruleId))
        .map((f) => `${f.location.line} ${f.ruleId}: ${f.message}`),
      [
        '2 imports-pg: pg / pg',
        '6 new-pool: pg.Pool',
        '9 cron-decorator: @nestjs/schedule.Cron',
        '12 any-listen: express',
      ],
    );
  });

  it('reaches: keeps the components whose code also reaches another place', () => {
    const r = run(
      {
        'src/app.ts': [
          "import express from 'express';",
          "import bcrypt from 'bcryptjs';",
          "import jwt from 'jsonwebtoken';",
          'const app = express();',
          "app.post('/login', async (req, res) => { const ok = await bcrypt.compare(req.body.p, 'h'); res.json(ok && jwt.sign({}, 's')); });",
          "app.post('/signup', async (req, res) => { res.json(await bcrypt.hash(req.body.p, 10)); });",
          '',
        ].join('\n'),
      },
      [
        rule('pw', {
          all: [
            { any: [{ calls: 'bcryptjs.compare' }, { calls: 'bcryptjs.hash' }] },
            { reaches: { calls: 'jsonwebtoken.sign' } },
          ],
        }),
      ],
    );
    assert.deepEqual(keys(r, ['pw']), ['src/app.ts:5 pw [http:POST:/login]']);
  });

  it('fills placeholders from the place matched and leaves unknown ones as written', () => {
    const r = run({ 'src/app.ts': APP, 'src/fake.ts': FAKE }, [
      rule('tpl', { all: [{ calls: 'fs.readFileSync' }] }, '{{callee}} in {{file}}:{{line}}: `{{evidence}}` {{nope}}'),
    ]);
    const f = r.findings.find((x) => x.ruleId === 'tpl')!;
    assert.equal(f.message, "fs.readFileSync in src/app.ts:12: `readFileSync('/data/notes.txt', 'utf8')` {{nope}}");
    assert.equal(f.fix, 'fix src/app.ts:12');
  });
});
