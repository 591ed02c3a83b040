import * as assert from 'node:assert/strict';
import { workersDetector } from '../../../src/core/detect/workers';
import { analyzeFixture, component, findingKeys } from '../helpers';
import { analyzer, summaryWith } from '../probes';
import { validateReport } from '../schemaValidate';

const detectors = [workersDetector];
const analyze = analyzer(detectors, { check: validateReport });
const summary = summaryWith('kind', 'name');

describe('workers detector', () => {
  describe('fixture app', () => {
    const r = analyzeFixture('workers', { detectors });

    it('finds threads, cluster, daemons, bots and CLIs, and none of the look-alikes', () => {
      validateReport(r);
      assert.deepEqual(summary(r), [
        'cli:scripts/backup.js | cli | cli scripts/backup.js | scripts/backup.js:2:1',
        'worker:telegraf:src/bot.ts | worker | telegraf bot | src/bot.ts:10:1',
        'cli:src/cli.ts#deploy | cli | cli shopctl deploy | src/cli.ts:6:1',
        'cli:src/cli.ts#reindex | cli | cli shopctl reindex | src/cli.ts:13:1',
        'worker:cluster:src/cluster.js | worker | cluster src/cluster.js | src/cluster.js:4:1',
        'worker:worker_threads:src/images/pool.ts | worker | worker_threads ./resize.worker.js | src/images/pool.ts:6:20',
        'worker:child_process:src/server.js | worker | child_process fork ./jobs/mailer.js | src/server.js:6:1',
        'worker:child_process:src/server.js#2 | worker | child_process spawn redis-server (detached) | src/server.js:8:1',
      ]);
      assert.deepEqual(component(r, 'cli:src/cli.ts#deploy').trigger, { type: 'cli', command: 'deploy' });
      assert.deepEqual(component(r, 'cli:scripts/backup.js').trigger, { type: 'cli' });
      assert.deepEqual(component(r, 'worker:cluster:src/cluster.js').trigger, { type: 'process', system: 'cluster' });
      assert.deepEqual(component(r, 'worker:telegraf:src/bot.ts').trigger, { type: 'process', system: 'telegraf' });
      assert.deepEqual(component(r, 'cli:src/cli.ts#reindex').handler, { file: 'src/cli.ts', line: 15, column: 1 });
    });

    it('emits a child-process fact at every spawn, owned by the code around it', () => {
      assert.deepEqual(findingKeys(r), [
        'scripts/backup.js:4 child-process-spawn',
        'src/cli.ts:16 child-process-spawn',
        'src/images/resize.worker.ts:4 child-process-spawn',
        'src/server.js:11 child-process-spawn',
        'src/server.js:6 child-process-spawn',
        'src/server.js:8 child-process-spawn',
      ]);
      const at = (file: string, line: number) =>
        r.findings.find((f) => f.location.file === file && f.location.line === line)!;
      assert.deepEqual(at('src/cli.ts', 16).components, ['cli:src/cli.ts#reindex']);
      // The worker script a thread runs is part of that worker.
      assert.deepEqual(at('src/images/resize.worker.ts', 4).components, ['worker:worker_threads:src/images/pool.ts']);
      assert.deepEqual(at('scripts/backup.js', 4).components, ['cli:scripts/backup.js']);
      assert.deepEqual(at('src/server.js', 11).components, []);
      assert.equal(at('src/server.js', 11).evidence, "execAsync('df -h /')");
      assert.equal(at('src/server.js', 11).severity, 'warning');
      assert.equal(at('src/server.js', 11).hazard, 'child-process');
    });
  });

  describe('worker_threads and cluster', () => {
    it("takes worker_threads' Worker, not BullMQ's nor the web Worker global", () => {
      const r = analyze({
        'src/t.js': [
          "const { Worker } = require('worker_threads');",
          "const bull = require('bullmq');",
          "new Worker('./hash.js');",
          "new bull.Worker('q', async () => undefined);",
          '',
        ].join('\n'),
        'src/web.ts': "export const w = new Worker('./sw.js');\n",
        'src/hash.js': "require('child_process').execSync('sha256sum x');\n",
      });
      assert.deepEqual(summary(r), [
        'worker:worker_threads:src/t.js | worker | worker_threads ./hash.js | src/t.js:3:1',
      ]);
      assert.deepEqual(
        r.findings.map((f) => `${f.location.file}:${f.location.line} ${f.components.join()}`),
        ['src/hash.js:1 worker:worker_threads:src/t.js'],
      );
    });

    it('makes one cluster component per file, at its first use', () => {
      const r = analyze({
        'src/c.ts': [
          "import cluster from 'node:cluster';",
          'if (cluster.isMaster) {',
          '  cluster.fork();',
          '  cluster.fork();',
          '}',
          'export const isWorker = cluster.isWorker;',
          '',
        ].join('\n'),
      });
      assert.deepEqual(summary(r), ['worker:cluster:src/c.ts | worker | cluster src/c.ts | src/c.ts:2:1']);
    });
  });

  describe('child processes', () => {
    it('flags every child_process call, execa and cross-spawn, and not exec of a RegExp or a database', () => {
      const r = analyze({
        'src/p.ts': [
          "import * as cp from 'node:child_process';",
          "import { execaCommand } from 'execa';",
          "import spawn from 'cross-spawn';",
          "import { exec as run } from './db';",
          'export async function go(db: { exec(sql: string): void }) {',
          "  cp.exec('ls');",
          "  cp.execFileSync('git', ['status']);",
          "  await execaCommand('npm run build');",
          "  spawn.sync('rm', ['-rf', 'tmp']);",
          "  db.exec('vacuum');",
          "  /a/.exec('a');",
          "  run('select 1');",
          "  cp.spawn('sleep', ['1']);",
          '}',
          '',
        ].join('\n'),
        'src/db.ts': 'export function exec(_sql: string) {}\n',
      });
      assert.deepEqual(r.components, []);
      assert.deepEqual(findingKeys(r), [
        'src/p.ts:13 child-process-spawn',
        'src/p.ts:6 child-process-spawn',
        'src/p.ts:7 child-process-spawn',
        'src/p.ts:8 child-process-spawn',
        'src/p.ts:9 child-process-spawn',
      ]);
    });

    it('makes daemons of fork() and detached spawn() only', () => {
      const r = analyze({
        'src/d.js': [
          "const { spawn, fork } = require('child_process');",
          "spawn('tail', ['-f', 'log'], { detached: false });",
          "fork(require.resolve('./child'));",
          '',
        ].join('\n'),
        'src/child.js': 'module.exports = {};\n',
      });
      assert.deepEqual(summary(r), [
        'worker:child_process:src/d.js | worker | child_process fork ./child | src/d.js:3:1',
      ]);
    });
  });

  describe('CLIs and bots', () => {
    it('takes package.json bin, yargs commands and process.argv scripts, and not plain modules', () => {
      const r = analyze({
        'package.json': JSON.stringify({ name: '@acme/tool', bin: 'bin/tool.js' }),
        'bin/tool.js': "require('../src/run');\n",
        'src/run.js': 'module.exports = {};\n',
        'src/y.ts': [
          "import yargs from 'yargs';",
          "import { hideBin } from 'yargs/helpers';",
          'yargs(hideBin(process.argv))',
          "  .command('serve [port]', 'start the server', (y) => y, (argv) => console.log(argv))",
          '  .parse();',
          '',
        ].join('\n'),
        'src/a.ts': 'const [, , input] = process.argv;\nconsole.log(input);\n',
        'src/lib.ts':
          "export const isDebug = process.argv.includes('--debug');\nexport function parse(s: string) { return JSON.parse(s); }\n",
      });
      assert.deepEqual(summary(r), [
        'cli:bin/tool.js | cli | cli tool | bin/tool.js:1:1',
        'cli:src/a.ts | cli | cli src/a.ts | src/a.ts:1:21',
        'cli:src/y.ts#serve | cli | cli src/y.ts serve | src/y.ts:3:1',
      ]);
    });

    it('takes discord.js logins with their event handlers, and not login() of other clients', () => {
      const r = analyze({
        'src/d.ts': [
          "import { Client, Events } from 'discord.js';",
          "import { login } from './auth';",
          'const client = new Client({ intents: [] });',
          'client.on(Events.MessageCreate, async (m) => m.reply("pong"));',
          'client.login(process.env.TOKEN);',
          'const api = { login };',
          "api.login('x');",
          '',
        ].join('\n'),
        'src/auth.ts': 'export function login(_t: string) {}\n',
      });
      assert.deepEqual(summary(r), ['worker:discord.js:src/d.ts | worker | discord.js client | src/d.ts:5:1']);
      assert.deepEqual(component(r, 'worker:discord.js:src/d.ts').handler, { file: 'src/d.ts', line: 4, column: 33 });
    });
  });
});
