import * as assert from 'node:assert/strict';
import { schedulesDetector } from '../../../src/core/detect/schedules';
import { analyzeFixture, component, findingKeys } from '../helpers';
import { analyzer, mapProbe, summaryWith } from '../probes';
import { validateReport } from '../schemaValidate';

const detectors = [schedulesDetector, mapProbe];
const analyze = analyzer(detectors, { check: validateReport });
const summary = summaryWith('kind', 'name');

describe('schedules detector', () => {
  describe('fixture app', () => {
    const r = analyzeFixture('schedules', { detectors });

    it('finds every schedule and nothing from look-alikes, one-off jobs or on-demand jobs', () => {
      validateReport(r);
      assert.deepEqual(summary(r), [
        'schedule:agenda:send digest | scheduled-job | agenda "send digest" every 1 day | src/agenda/start.ts:6:9',
        'schedule:node-cron:src/cron.ts:0 3 * * * | scheduled-job | cron "0 3 * * *" | src/cron.ts:6:1',
        'schedule:cron:src/cron.ts:*/15 * * * * | scheduled-job | cron "*/15 * * * *" | src/cron.ts:8:25',
        'schedule:setInterval:src/heartbeat.ts:every 30000 ms | scheduled-job | setInterval every 30000 ms | src/heartbeat.ts:2:3',
        'schedule:bullmq:reports:nightly-report | scheduled-job | bullmq repeatable "nightly-report" cron "0 2 * * *" | src/repeat.ts:6:9',
        'schedule:bullmq:reports:cache-warmup | scheduled-job | bullmq repeatable "cache-warmup" every 600000 ms | src/repeat.ts:7:9',
        'schedule:node-schedule:src/scheduler.js:dayOfWeek=1 hour=9 minute=0 | scheduled-job | schedule dayOfWeek=1 hour=9 minute=0 | src/scheduler.js:9:1',
        'schedule:cron:src/scheduler.js:0 0 1 * * | scheduled-job | cron "0 0 1 * *" | src/scheduler.js:13:1',
        'schedule:setInterval:src/server.ts:every 60000 ms | scheduled-job | setInterval every 60000 ms | src/server.ts:8:1',
      ]);
    });

    it('gives schedule triggers', () => {
      assert.deepEqual(component(r, 'schedule:node-cron:src/cron.ts:0 3 * * *').trigger, {
        type: 'schedule',
        system: 'node-cron',
        schedule: '0 3 * * *',
      });
      assert.deepEqual(component(r, 'schedule:agenda:send digest').trigger, {
        type: 'schedule',
        system: 'agenda',
        schedule: '1 day',
      });
      assert.deepEqual(component(r, 'schedule:bullmq:reports:cache-warmup').trigger, {
        type: 'schedule',
        system: 'bullmq',
        schedule: 'every 600000 ms',
      });
      assert.deepEqual(component(r, 'schedule:setInterval:src/server.ts:every 60000 ms').trigger, {
        type: 'schedule',
        system: 'setInterval',
        schedule: 'every 60000 ms',
      });
      assert.equal(component(r, 'schedule:bullmq:reports:nightly-report').handler, undefined);
      assert.deepEqual(component(r, 'schedule:node-cron:src/cron.ts:0 3 * * *').handler, {
        file: 'src/jobs/cleanup.ts',
        line: 3,
        column: 1,
      });
    });

    it('emits background-timer facts for startup intervals and for timers left behind, not for awaited or cleared ones', () => {
      assert.deepEqual(findingKeys(r, 'background-timer'), [
        'src/heartbeat.ts:2 module-level-interval',
        'src/jobs/cleanup.ts:6 timer-outlives-request',
        'src/server.ts:8 module-level-interval',
      ]);
      const byKey = (file: string) =>
        r.findings.find((f) => f.location.file === file && f.hazard === 'background-timer')!;
      assert.deepEqual(byKey('src/server.ts').components, ['schedule:setInterval:src/server.ts:every 60000 ms']);
      assert.deepEqual(byKey('src/heartbeat.ts').components, ['schedule:setInterval:src/heartbeat.ts:every 30000 ms']);
      assert.deepEqual(byKey('src/jobs/cleanup.ts').components, [
        'schedule:agenda:send digest',
        'schedule:node-cron:src/cron.ts:0 3 * * *',
      ]);
      assert.equal(byKey('src/jobs/cleanup.ts').severity, 'warning');
    });

    it('attributes an Agenda handler defined in another file to the job scheduled with every()', () => {
      const f = r.findings.find((x) => x.ruleId === 'test-module-map')!;
      assert.equal(`${f.location.file}:${f.location.line}`, 'src/jobs/cleanup.ts:1');
      assert.deepEqual(f.components, ['schedule:agenda:send digest', 'schedule:node-cron:src/cron.ts:0 3 * * *']);
    });
  });

  describe('cron libraries', () => {
    it('takes node-cron named imports, cron.job and the object form of CronJob, and not look-alikes', () => {
      const r = analyze({
        'src/a.ts': [
          "import { schedule } from 'node-cron';",
          "import * as cronLib from 'cron';",
          "schedule('*/5 * * * *', () => undefined);",
          "cronLib.job('0 12 * * *', () => undefined).start();",
          "new cronLib.CronJob({ cronTime: '0 6 * * *', onTick() {} });",
          'const cron = { schedule: (_e: string, f: () => void) => f() };',
          "cron.schedule('0 0 * * *', () => undefined);",
          '',
        ].join('\n'),
      });
      assert.deepEqual(summary(r), [
        'schedule:node-cron:src/a.ts:*/5 * * * * | scheduled-job | cron "*/5 * * * *" | src/a.ts:3:1',
        'schedule:cron:src/a.ts:0 12 * * * | scheduled-job | cron "0 12 * * *" | src/a.ts:4:1',
        'schedule:cron:src/a.ts:0 6 * * * | scheduled-job | cron "0 6 * * *" | src/a.ts:5:1',
      ]);
      assert.deepEqual(component(r, 'schedule:cron:src/a.ts:0 6 * * *').trigger, {
        type: 'schedule',
        system: 'cron',
        schedule: '0 6 * * *',
      });
    });

    it('reads node-schedule names, object rules and cron strings', () => {
      const r = analyze({
        'src/s.js': [
          "const { scheduleJob } = require('node-schedule');",
          "scheduleJob('nightly', '0 4 * * *', () => undefined);",
          'scheduleJob({ hour: 14, minute: 30 }, () => undefined);',
          "scheduleJob({ rule: '*/10 * * * *', tz: 'UTC' }, () => undefined);",
          '',
        ].join('\n'),
      });
      assert.deepEqual(summary(r), [
        'schedule:node-schedule:src/s.js:0 4 * * * | scheduled-job | cron "0 4 * * *" | src/s.js:2:1',
        'schedule:node-schedule:src/s.js:hour=14 minute=30 | scheduled-job | schedule hour=14 minute=30 | src/s.js:3:1',
        'schedule:node-schedule:src/s.js:*/10 * * * * | scheduled-job | cron "*/10 * * * *" | src/s.js:4:1',
      ]);
    });
  });

  describe('Agenda and repeatable jobs', () => {
    it('schedules every name of every(), and ignores define() / every() of other objects', () => {
      const r = analyze({
        'src/a.js': [
          "const Agenda = require('agenda');",
          "const Sequelize = require('sequelize');",
          'const agenda = new Agenda();',
          "agenda.define('a', async () => undefined);",
          "agenda.every('5 minutes', ['a', 'b']);",
          "new Sequelize('sqlite::memory:').define('User', {});",
          '[1, 2].every((n) => n > 0);',
          '',
        ].join('\n'),
      });
      assert.deepEqual(summary(r), [
        'schedule:agenda:a | scheduled-job | agenda "a" every 5 minutes | src/a.js:5:1',
        'schedule:agenda:b | scheduled-job | agenda "b" every 5 minutes | src/a.js:5:1',
      ]);
      assert.deepEqual(component(r, 'schedule:agenda:a').handler, { file: 'src/a.js', line: 4, column: 20 });
    });

    it('takes Bull repeat.cron and BullMQ job schedulers, not one-off adds', () => {
      const r = analyze({
        'src/q.ts': [
          "import Queue from 'bull';",
          "import { Queue as MQ } from 'bullmq';",
          "const mail = new Queue('mail');",
          "mail.add({ digest: true }, { repeat: { cron: '0 8 * * *' } });",
          'mail.add({ now: true }, { delay: 1000 });',
          "const sync = new MQ('sync');",
          "sync.upsertJobScheduler('every-minute', { every: 60000 }, { name: 'sync-all', data: {} });",
          'const fake = { add: (..._a: unknown[]) => undefined };',
          "fake.add('x', {}, { repeat: { every: 1 } });",
          '',
        ].join('\n'),
      });
      assert.deepEqual(summary(r), [
        'schedule:bull:mail:__default__ | scheduled-job | bull repeatable "__default__" cron "0 8 * * *" | src/q.ts:4:1',
        'schedule:bullmq:sync:sync-all | scheduled-job | bullmq repeatable "sync-all" every 60000 ms | src/q.ts:7:1',
      ]);
    });
  });

  describe('setInterval and timers', () => {
    it('makes a job of intervals started at module level, in IIFEs, listen callbacks and startup-only functions', () => {
      const r = analyze({
        'src/boot.ts': [
          "import { startMetrics } from './metrics';",
          'function warm() { setInterval(() => undefined, 1000); }',
          '(async () => { setInterval(() => undefined, 2000); })();',
          'const app = { listen: (_p: number, f: () => void) => f() };',
          'app.listen(3000, () => { setInterval(() => undefined, 3000); });',
          'warm();',
          'startMetrics();',
          '',
        ].join('\n'),
        'src/metrics.ts': 'export function startMetrics() {\n  setInterval(flush, 4000);\n}\nfunction flush() {}\n',
      });
      assert.deepEqual(summary(r), [
        'schedule:setInterval:src/boot.ts:every 1000 ms | scheduled-job | setInterval every 1000 ms | src/boot.ts:2:19',
        'schedule:setInterval:src/boot.ts:every 2000 ms | scheduled-job | setInterval every 2000 ms | src/boot.ts:3:16',
        'schedule:setInterval:src/boot.ts:every 3000 ms | scheduled-job | setInterval every 3000 ms | src/boot.ts:5:26',
        'schedule:setInterval:src/metrics.ts:every 4000 ms | scheduled-job | setInterval every 4000 ms | src/metrics.ts:2:3',
      ]);
      assert.deepEqual(findingKeys(r), [
        'src/boot.ts:2 module-level-interval',
        'src/boot.ts:3 module-level-interval',
        'src/boot.ts:5 module-level-interval',
        'src/metrics.ts:2 module-level-interval',
      ]);
      assert.deepEqual(component(r, 'schedule:setInterval:src/metrics.ts:every 4000 ms').handler, {
        file: 'src/metrics.ts',
        line: 4,
        column: 1,
      });
    });

    it('flags timers a job leaves behind, and not awaited delays, timers/promises, cleared timers or local functions', () => {
      const r = analyze({
        'src/job.ts': [
          "import cron from 'node-cron';",
          "import { setTimeout as sleep } from 'node:timers/promises';",
          'export async function tick() {',
          '  setTimeout(() => undefined, 10);',
          '  const iv = setInterval(() => undefined, 10);',
          '  await new Promise((r) => setTimeout(r, 10));',
          '  await sleep(10);',
          '  const t = setTimeout(() => undefined, 10);',
          '  try { await work(); } finally { clearTimeout(t); }',
          '  const poll = setInterval(() => undefined, 10);',
          '  onDone(() => clearInterval(poll));',
          '  return iv;',
          '}',
          'async function work() {}',
          'function onDone(f: () => void) { f(); }',
          "cron.schedule('* * * * *', tick);",
          'export function unreached() { setTimeout(() => undefined, 5); }',
          'export function local() { const setTimeout = (f: () => void) => f(); setTimeout(() => undefined); }',
          '',
        ].join('\n'),
      });
      assert.deepEqual(findingKeys(r), ['src/job.ts:4 timer-outlives-request', 'src/job.ts:5 timer-outlives-request']);
      assert.ok(r.findings.every((f) => f.components.join() === 'schedule:node-cron:src/job.ts:* * * * *'));
    });

    it('treats an interval in a function called per request as a timer left behind, not as a job', () => {
      const r = analyze({
        'src/h.ts': [
          "import cron from 'node-cron';",
          'function startPolling() { setInterval(() => undefined, 500); }',
          'startPolling();',
          "cron.schedule('0 * * * *', () => startPolling());",
          '',
        ].join('\n'),
      });
      assert.deepEqual(summary(r), [
        'schedule:node-cron:src/h.ts:0 * * * * | scheduled-job | cron "0 * * * *" | src/h.ts:4:1',
      ]);
      assert.deepEqual(findingKeys(r), ['src/h.ts:2 timer-outlives-request']);
    });
  });
});
