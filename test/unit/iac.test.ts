// Infrastructure skeletons (`scaffold`): the generated serverless.yml and template.yaml are parsed back with the
// yaml package and held to the report they came from; the schedule and path conversions are checked against
// tables written by hand; the CLI writes atomically and never replaces a file without --force.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMap, isScalar, parseDocument, type Document } from 'yaml';
import { analyze } from '../../src/core/analyze';
import type { Component, Report } from '../../src/core/model';
import {
  HTTP_TIMEOUT_CAP_S,
  LAMBDA_RUNTIME,
  LAMBDA_TIMEOUT_CAP_S,
  scaffold,
  toApiGatewayPaths,
  toAwsSchedule,
  type IacFormat,
} from '../../src/core/present/iac';
import { analyzeFiles, analyzeFixture, writeTree } from './helpers';
import { validateReport } from './schemaValidate';

/** One function of a generated document, read back. */
interface Fn {
  component: Component;
  key: string;
  handler: string;
  arch: string;
  memory?: number;
  timeout?: number;
  /** `GET /a/{id}`, `* /x` (any method) or `$default`. */
  routes: string[];
  /** Serverless: the ARN; SAM: the parameter it refers to. */
  queues: string[];
  schedules: string[];
  comment: string;
}

function parse(text: string): Document {
  const doc = parseDocument(text);
  assert.deepEqual(doc.errors, [], 'the document does not parse');
  assert.deepEqual(doc.warnings, []);
  return doc;
}

/** The component a function's comment names on its first line (wrapped lines joined back). */
function componentOf(report: Report, comment: string): Component {
  const lines = comment.split('\n');
  let first = lines[0]!.trim();
  for (const l of lines.slice(1)) {
    if (!l.startsWith('   ')) break;
    first += ` ${l.trim()}`;
  }
  const c = report.components.find((x) => first.startsWith(`${x.id}: ${x.kind} at `));
  assert.ok(c, `no component for the comment '${first}'`);
  return c;
}

function readFunctions(report: Report, format: IacFormat, text: string): { doc: Document; fns: Fn[] } {
  const doc = parse(text);
  const fns: Fn[] = [];
  const holder = doc.get(format === 'serverless' ? 'functions' : 'Resources');
  assert.ok(isMap(holder));
  for (const [i, pair] of holder.items.entries()) {
    assert.ok(isScalar(pair.key));
    const key = String(pair.key.value);
    const body = (pair.value as { toJSON(): unknown }).toJSON() as Record<string, unknown>;
    if (format === 'sam' && body.Type !== 'AWS::Serverless::Function') continue;
    // The parser gives the comment above a map's first entry to the map itself.
    const comment = pair.key.commentBefore ?? (i === 0 ? holder.commentBefore : undefined) ?? '';
    const fn: Fn = {
      component: componentOf(report, comment),
      key,
      handler: '',
      arch: '',
      routes: [],
      queues: [],
      schedules: [],
      comment,
    };
    if (format === 'serverless') {
      const f = body as {
        handler: string;
        architecture?: string;
        memorySize?: number;
        timeout?: number;
        events?: Record<string, unknown>[];
      };
      Object.assign(fn, {
        handler: f.handler,
        arch: f.architecture ?? 'arm64',
        memory: f.memorySize,
        timeout: f.timeout,
      });
      for (const e of f.events ?? []) {
        const http = e.httpApi as string | { method: string; path: string } | undefined;
        if (typeof http === 'string') fn.routes.push(http === '*' ? '$default' : `unexpected ${http}`);
        else if (http) fn.routes.push(`${http.method} ${http.path}`);
        if (e.sqs) fn.queues.push((e.sqs as { arn: string }).arn);
        if (e.schedule) fn.schedules.push(e.schedule as string);
      }
    } else {
      const p = body.Properties as {
        Handler: string;
        Architectures?: string[];
        MemorySize?: number;
        Timeout?: number;
        Events?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
      };
      Object.assign(fn, {
        handler: p.Handler,
        arch: p.Architectures?.[0] ?? 'arm64',
        memory: p.MemorySize,
        timeout: p.Timeout,
      });
      for (const e of Object.values(p.Events ?? {})) {
        if (e.Type === 'HttpApi')
          fn.routes.push(e.Properties ? `${e.Properties.Method as string} ${e.Properties.Path as string}` : '$default');
        else if (e.Type === 'SQS') fn.queues.push((e.Properties!.Queue as { Ref: string }).Ref);
        else if (e.Type === 'ScheduleV2') fn.schedules.push(e.Properties!.ScheduleExpression as string);
        else assert.fail(`unexpected event type ${e.Type}`);
      }
    }
    fns.push(fn);
  }
  return { doc, fns };
}

/** The components the template is for: classified faas (Durable Objects aside), and scheduled jobs classified baas. */
function deployable(report: Report): Component[] {
  return report.components.filter((c) => {
    const t = c.classification?.target;
    if (t === 'baas') return c.kind === 'scheduled-job';
    return t === 'faas' && !(c.trigger.type === 'function' && c.trigger.event === 'durable-object');
  });
}

function expectedRoutes(c: Component, format: IacFormat): string[] {
  const any = format === 'serverless' ? '*' : 'ANY';
  const routes = (method: string, p: string): string[] => {
    const m = ['ALL', 'ANY', 'USE'].includes(method.toUpperCase()) ? any : method.toUpperCase();
    if (m === any && (p === '/*' || p === '*')) return ['$default'];
    const conv = toApiGatewayPaths(p);
    return 'values' in conv ? conv.values.map((x) => `${m} ${x}`) : [];
  };
  const t = c.trigger;
  if (t.type === 'http') return routes(t.method, t.path);
  if (t.type === 'graphql') return [...routes('GET', t.path ?? '/graphql'), ...routes('POST', t.path ?? '/graphql')];
  if (t.type === 'function') {
    const m = /^http (\S+) (\S+)$/.exec(t.event ?? '');
    if (m) return routes(m[1]!, m[2]!);
    return t.event === 'fetch' ? ['$default'] : [];
  }
  return [];
}

/** Holds every function of the document to its component in the report. */
function checkAgainstReport(report: Report, format: IacFormat, text: string, functions: number): Fn[] {
  const { doc, fns } = readFunctions(report, format, text);
  const want = deployable(report);
  assert.equal(fns.length, functions);
  assert.deepEqual(
    fns.map((f) => f.component.id),
    want.map((c) => c.id),
    'one function per faas component (and per baas scheduled job), in report order, and nothing else',
  );
  assert.equal(new Set(fns.map((f) => f.key)).size, fns.length, 'function names are unique');
  for (const f of fns) assert.match(f.key, /^[A-Za-z][A-Za-z0-9]*$/, 'names are valid logical ids');
  const data = doc.toJS() as Record<string, unknown>;
  if (format === 'serverless') {
    assert.deepEqual(data.provider, { name: 'aws', runtime: LAMBDA_RUNTIME, architecture: 'arm64' });
  } else {
    assert.equal(data.AWSTemplateFormatVersion, '2010-09-09');
    assert.equal(data.Transform, 'AWS::Serverless-2016-10-31');
    assert.deepEqual(data.Globals, { Function: { Runtime: LAMBDA_RUNTIME, Architectures: ['arm64'] } });
  }
  const routeOwners = new Map<string, string>();
  for (const f of fns) {
    const c = f.component;
    const where = `${c.id} (${f.key})`;
    // The handler names the component's source file.
    const file = /^function:[^:]+:(.+)#/.exec(c.id)?.[1] ?? (c.handler ?? c.location).file;
    assert.ok(f.handler.startsWith(`${file.replace(/\.[cm]?[jt]sx?$/, '')}.`), `${where}: handler ${f.handler}`);
    // Memory and timeout from the usage profile.
    const u = c.usage!.values;
    const http = c.trigger.type === 'http' || c.trigger.type === 'graphql' || f.routes.length > 0;
    assert.equal(f.memory, u.memoryMb, `${where}: memory`);
    assert.equal(
      f.timeout,
      Math.min(Math.max(3, Math.ceil((3 * u.durationMs!) / 1000)), http ? HTTP_TIMEOUT_CAP_S : LAMBDA_TIMEOUT_CAP_S),
      `${where}: timeout`,
    );
    // Findings: every open one on the component is named, except those about edge runtimes only.
    const open = report.findings.filter((x) => x.components.includes(c.id));
    const flat = f.comment.replace(/\n#?\s*/g, ' ');
    for (const x of open) {
      const edgeOnly = x.hazard === 'node-only-api' || x.ruleId.startsWith('edge-');
      assert.equal(
        flat.includes(`${x.ruleId} at ${x.location.file}:${x.location.line}: `),
        !edgeOnly,
        `${where}: ${x.ruleId}`,
      );
    }
    if (!open.length) assert.match(flat, /no open findings/);
    // arm64 unless a native module (not an optional one) reaches it.
    const native = open.some((x) => x.hazard === 'native-module' && x.severity !== 'info');
    assert.equal(f.arch, native ? 'x86_64' : 'arm64', `${where}: architecture`);
    // Events.
    const routes = expectedRoutes(c, format).filter((r) => {
      // One API, one owner per route: a later function repeating a route is told so in its comment instead.
      const owner = routeOwners.get(r);
      return !owner || owner === f.key;
    });
    for (const r of routes) routeOwners.set(r, f.key);
    assert.deepEqual(f.routes, routes, `${where}: routes`);
    const t = c.trigger;
    if (t.type === 'queue') {
      const names = t.system === 'kafka' ? t.queue.split(',') : [t.queue];
      assert.equal(f.queues.length, names.length, `${where}: one SQS event per queue`);
      if (format === 'sam') {
        const params = data.Parameters as Record<string, { Type: string }>;
        for (const q of f.queues) assert.equal(params[q]?.Type, 'String', `${where}: parameter ${q}`);
      } else for (const q of f.queues) assert.match(q, /^arn:aws:sqs:/);
    } else if (t.type === 'schedule') {
      const conv = toAwsSchedule(t.schedule);
      assert.deepEqual(f.schedules, 'values' in conv ? conv.values : [], `${where}: schedule`);
      if ('error' in conv) assert.ok(flat.includes('schedule: '), `${where}: says why there is no schedule`);
    } else assert.deepEqual(f.schedules, []);
  }
  return fns;
}

const fixtures = [
  'express',
  'queues',
  'schedules',
  'lambda',
  'nestjs',
  'koa',
  'node-http',
  'serverless-manifest',
  'vercel',
];

describe('infrastructure skeletons (scaffold)', function () {
  this.timeout(60_000);

  describe('schedules as AWS expressions', () => {
    const table: [string, string[] | RegExp][] = [
      ['*/5 * * * *', ['cron(0/5 * * * ? *)']],
      ['*/15 * * * *', ['cron(0/15 * * * ? *)']],
      ['0 2 * * 1-5', ['cron(0 2 ? * MON-FRI *)']],
      ['0 0 1 * *', ['cron(0 0 1 * ? *)']],
      ['0 3 * * *', ['cron(0 3 * * ? *)']],
      ['* * * * *', ['cron(* * * * ? *)']],
      // Unix counts days from Sunday = 0 (7 too), AWS from Sunday = 1: names say it without an offset to get wrong.
      ['0 9 * * 0', ['cron(0 9 ? * SUN *)']],
      ['0 9 * * 7', ['cron(0 9 ? * SUN *)']],
      ['0 9 * * 5-7', ['cron(0 9 ? * SUN,FRI,SAT *)']],
      ['0 0 * * */2', ['cron(0 0 ? * SUN,TUE,THU,SAT *)']],
      ['5 4 * * sun', ['cron(5 4 ? * SUN *)']],
      ['0 0 * * MON-FRI', ['cron(0 0 ? * MON-FRI *)']],
      ['0 0 * JAN,JUL *', ['cron(0 0 * 1,7 ? *)']],
      ['0 12 1-10/3 * *', ['cron(0 12 1,4,7,10 * ? *)']],
      // node-cron's six fields: seconds first.
      ['0 30 3 * * *', ['cron(30 3 * * ? *)']],
      ['@daily', ['cron(0 0 * * ? *)']],
      ['@hourly', ['cron(0 * * * ? *)']],
      ['@weekly', ['cron(0 0 ? * SUN *)']],
      ['CronExpression.EVERY_5_MINUTES', ['cron(0/5 * * * ? *)']],
      ['CronExpression.EVERY_DAY_AT_1AM', ['cron(0 1 * * ? *)']],
      // node-schedule rules: months count from 0.
      ['dayOfWeek=1 hour=9 minute=0', ['cron(0 9 ? * MON *)']],
      ['month=0 date=1 hour=0 minute=0', ['cron(0 0 1 1 ? *)']],
      ['hour=[9, 17] minute=0', ['cron(0 9,17 * * ? *)']],
      ['every 60000 ms', ['rate(1 minute)']],
      ['every 600000 ms', ['rate(10 minutes)']],
      ['every 7200000 ms', ['rate(2 hours)']],
      ['1 day', ['rate(1 day)']],
      ['rate(5 minutes)', ['rate(5 minutes)']],
      ['cron(0 12 * * ? *)', ['cron(0 12 * * ? *)']],
      // What AWS cannot express.
      ['0 0 1 * 1', /restricts both the day of the month and the day of the week/],
      ['*/10 * * * * *', /more often than once a minute/],
      ['every 30000 ms', /every 30 s: AWS schedules run at most once a minute/],
      ['every 90000 ms', /not a whole number of minutes/],
      ['every config.wsHeartbeatMs ms', /cannot read/],
      ['61 * * * *', /'61' is out of range 0-59/],
      ['0 0 L * *', /not a cron field value/],
      ['second=30 minute=0', /seconds/],
    ];
    for (const [schedule, want] of table) {
      it(`${schedule} -> ${Array.isArray(want) ? want.join(' + ') : 'error'}`, () => {
        const got = toAwsSchedule(schedule);
        if (Array.isArray(want)) assert.deepEqual('values' in got ? got.values : got, want);
        else assert.match('error' in got ? got.error : JSON.stringify(got), want);
      });
    }
  });

  describe('route paths as API Gateway paths', () => {
    const table: [string, string[] | RegExp][] = [
      ['/api/users/:id', ['/api/users/{id}']],
      ['/api/users/:userId/orders/:orderId', ['/api/users/{userId}/orders/{orderId}']],
      ['/files/*', ['/files/{proxy+}']],
      ['/*', ['/{proxy+}']],
      ['/docs/*slug', ['/docs/{slug+}']],
      ['/x/{*rest}', ['/x', '/x/{rest+}']],
      ['/dashboard/:path*', ['/dashboard', '/dashboard/{path+}']],
      ['/users/:id?', ['/users', '/users/{id}']],
      ['/api/users/[id]', ['/api/users/{id}']],
      ['/docs/[...slug]', ['/docs/{slug+}']],
      ['/docs/[[...slug]]', ['/docs', '/docs/{slug+}']],
      ['/books/:id{[0-9]+}', ['/books/{id}']],
      ['/', ['/']],
      ['', ['/']],
      ['/api/', ['/api']],
      ['/a/*/b', /only at the end of a path/],
      ['/ab?cd', /cannot route on the segment 'ab\?cd'/],
      ['/:from-:to', /cannot route on the segment/],
      ['/a/:b?/c', /optional parameter :b\? is not the last segment/],
    ];
    for (const [p, want] of table) {
      it(`${p || "''"} -> ${Array.isArray(want) ? want.join(' + ') : 'error'}`, () => {
        const got = toApiGatewayPaths(p);
        if (Array.isArray(want)) assert.deepEqual('values' in got ? got.values : got, want);
        else assert.match('error' in got ? got.error : JSON.stringify(got), want);
      });
    }
    it('says when a route pattern is not checked by API Gateway', () => {
      const got = toApiGatewayPaths('/books/:id(\\d+)');
      assert.ok('values' in got);
      assert.deepEqual(got.values, ['/books/{id}']);
      assert.match(got.note ?? '', /not checked by API Gateway/);
    });
  });

  describe('the example app', () => {
    let report: Report;
    before(() => {
      report = validateReport(analyze({ root: path.resolve(__dirname, '../../examples/shop-api') }));
    });

    it('a skeleton written into the project is not read back as a deployment (no function counted twice)', () => {
      const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-iac-'));
      try {
        fs.cpSync(path.resolve(__dirname, '../../examples/shop-api'), copy, { recursive: true });
        for (const format of ['serverless', 'sam'] as const) {
          const s = scaffold(report, format);
          fs.writeFileSync(path.join(copy, s.file), s.text);
        }
        const again = analyze({ root: copy });
        assert.deepEqual(
          again.components.map((c) => c.id),
          report.components.map((c) => c.id),
        );
        for (const file of ['serverless.yml', 'template.yaml']) {
          assert.match(
            again.stats.skipped.find((x) => x.file === file)?.reason ?? '',
            /skeleton Serverless Advisor generated/,
          );
        }
      } finally {
        fs.rmSync(copy, { recursive: true, force: true });
      }
    });

    it('serverless.yml: the queue worker and the jobs, with their triggers, findings and sizing', () => {
      const s = scaffold(report, 'serverless', { rootLabel: 'examples/shop-api' });
      assert.equal(s.file, 'serverless.yml');
      const fns = checkAgainstReport(report, 'serverless', s.text, s.functions);
      const data = parse(s.text).toJS() as { service: string };
      assert.equal(data.service, 'acme-shop-api', 'the package name, from the report');
      assert.deepEqual(
        fns.map((f) => [f.key, f.handler, f.routes, f.queues, f.schedules]),
        [
          [
            'emailsConsumer',
            'src/jobs/emailWorker.handler',
            [],
            ['arn:aws:sqs:${aws:region}:${aws:accountId}:emails'],
            [],
          ],
          ['nightlyEvery1MinuteJob', 'src/jobs/nightly.nightlyEvery1MinuteJob', [], [], ['rate(1 minute)']],
          ['nightlyDaily0300Job', 'src/jobs/nightly.nightlyDaily0300Job', [], [], ['cron(0 3 * * ? *)']],
          ['notificationsJob', 'src/realtime/notifications.handler', [], [], []],
        ],
      );
      const [, , sitemap, heartbeat] = fns;
      assert.match(sitemap!.comment, /connection-pool-per-instance at src\/db\/pool\.ts:4: /);
      assert.match(sitemap!.comment, /local-fs-write at src\/jobs\/nightly\.ts:58: /);
      assert.match(sitemap!.comment, /\(and 1 about edge runtimes only, which Lambda does not need fixed/);
      assert.match(heartbeat!.comment, /cannot read `every config\.wsHeartbeatMs ms`/);
      assert.match(
        s.text,
        /^# serverless\.yml generated by serverless-advisor \d+\.\d+\.\d+ from the analysis of examples\/shop-api — review/,
      );
      assert.match(s.text, /# Also not in this template: 25 classified container/);
      assert.equal(s.skipped.length, report.components.length - 4);
      assert.ok(s.skipped.every((x) => /^classified container/.test(x.reason)));
    });

    it('template.yaml: the same functions as SAM resources, the queue as a parameter', () => {
      const s = scaffold(report, 'sam', { serviceName: 'acme-shop-api' });
      assert.equal(s.file, 'template.yaml');
      const fns = checkAgainstReport(report, 'sam', s.text, s.functions);
      assert.deepEqual(
        fns.map((f) => f.key),
        [
          'EmailsConsumerFunction',
          'NightlyEvery1MinuteJobFunction',
          'NightlyDaily0300JobFunction',
          'NotificationsJobFunction',
        ],
      );
      const data = parse(s.text).toJS() as {
        Parameters: Record<string, unknown>;
        Resources: Record<string, { Metadata: unknown; Properties: { CodeUri: string } }>;
      };
      assert.deepEqual(data.Parameters, {
        EmailsQueueArn: { Type: 'String', Description: 'ARN of the SQS queue emails' },
      });
      assert.deepEqual(fns[0]!.queues, ['EmailsQueueArn']);
      const email = data.Resources.EmailsConsumerFunction!;
      assert.deepEqual(email.Metadata, {
        BuildMethod: 'esbuild',
        BuildProperties: { EntryPoints: ['src/jobs/emailWorker.ts'], Target: 'es2022' },
      });
      assert.equal(email.Properties.CodeUri, './');
      // Quoted, so that YAML 1.1 readers (the SAM CLI, cfn-lint) do not take it for a date.
      assert.match(s.text, /^AWSTemplateFormatVersion: "2010-09-09"$/m);
      assert.ok(!/!(Ref|GetAtt|Sub)\b/.test(s.text), 'no short-form intrinsics');
    });
  });

  describe('fixtures, both formats, against their reports', () => {
    for (const name of fixtures) {
      it(name, () => {
        const report = analyzeFixture(name);
        for (const format of ['serverless', 'sam'] as const) {
          const s = scaffold(report, format);
          checkAgainstReport(report, format, s.text, s.functions);
          assert.equal(s.functions + s.skipped.length, report.components.length);
        }
      });
    }
  });

  it('HTTP routes: methods, converted paths, one owner per route', () => {
    const report = analyzeFixture('express');
    const fns = readFunctions(report, 'serverless', scaffold(report, 'serverless').text).fns;
    assert.deepEqual(
      fns.map((f) => [f.key, f.routes]),
      [
        ['getRoot', ['GET /']],
        ['postAdminReindex', ['POST /admin/reindex']],
        ['getApiV1Items', ['GET /api/v1/items']],
        ['getApiV1ItemsAll', ['GET /api/v1/items/all']],
        ['putApiV1ItemsId', ['PUT /api/v1/items/{id}']],
        ['getApiV1Users', ['GET /api/v1/users']],
        ['deleteApiV1UsersId', ['DELETE /api/v1/users/{id}']],
        ['getApiV1UsersId', ['GET /api/v1/users/{id}']],
      ],
    );
    // Two routes of one file cannot both export `handler`: each gets its function's name.
    assert.equal(fns.find((f) => f.key === 'getApiV1Users')!.handler, 'routes/users.getApiV1Users');
    assert.equal(fns.find((f) => f.key === 'getRoot')!.handler, 'app.handler');
  });

  it('a catch-all route becomes the API default route; a second one is refused with a comment', () => {
    const report = analyzeFiles({
      'package.json': '{"dependencies":{"express":"4"}}',
      'a.ts': "import express from 'express';\nconst a = express();\na.all('*', (_q, s) => s.end());\na.listen(1);\n",
      'b.ts':
        "import express from 'express';\nconst b = express();\nb.all('/*', (_q, s) => s.end());\n" +
        "b.get('/files/*', (_q, s) => s.end());\nb.listen(2);\n",
    });
    for (const format of ['serverless', 'sam'] as const) {
      const s = scaffold(report, format);
      const fns = checkAgainstReport(report, format, s.text, s.functions);
      assert.deepEqual(
        fns.map((f) => [f.component.id, f.routes]),
        [
          ['http:ALL:/*', ['$default']],
          ['http:ALL:/*#2', []],
          ['http:GET:/files/*', ['GET /files/{proxy+}']],
        ],
      );
      assert.match(fns[1]!.comment.replace(/\n\s*/g, ' '), /route \$default already goes to http:ALL:\/\* \(one API/);
    }
  });

  it('queues: SQS URLs give the ARN, other brokers a placeholder; consumers of one queue share it and are warned', () => {
    const report = analyzeFixture('queues');
    const sam = scaffold(report, 'sam');
    const data = parse(sam.text).toJS() as { Parameters: Record<string, { Default?: string }> };
    assert.equal(data.Parameters.SignupsQueueArn!.Default, 'arn:aws:sqs:eu-west-1:123:signups');
    assert.equal(
      data.Parameters.OrdersQueueArn!.Default,
      undefined,
      'the user fills in the queues that are not SQS yet',
    );
    const fns = readFunctions(report, 'sam', sam.text).fns;
    const kafka = fns.find((f) => f.component.id === 'queue:kafka:orders,refunds')!;
    assert.deepEqual(kafka.queues, ['OrdersQueueArn', 'RefundsQueueArn']);
    const sls = readFunctions(report, 'serverless', scaffold(report, 'serverless').text).fns;
    const signups = sls.find(
      (f) => f.component.trigger.type === 'queue' && f.component.trigger.queue.endsWith('/signups'),
    )!;
    assert.deepEqual(signups.queues, ['arn:aws:sqs:eu-west-1:123:signups']);
    const flat = sam.text.replace(/\n\s*#\s*/g, ' ');
    assert.match(flat, /queue:bull:email:welcome also consumes it: SQS hands each message to one of them/);
    assert.match(flat, /today a Kafka queue "orders": send its messages to SQS instead/);
    assert.ok(fns.some((f) => f.key === 'EmailWelcomeConsumerFunction'));
  });

  it('x86_64 with the reason when a native module reaches the function, arm64 elsewhere', () => {
    const report = analyzeFixture('lambda');
    for (const format of ['serverless', 'sam'] as const) {
      const fns = readFunctions(report, format, scaffold(report, format).text).fns;
      const x86 = fns.filter((f) => f.arch === 'x86_64');
      assert.deepEqual(
        x86.map((f) => f.component.id),
        ['function:aws-lambda:src/legacy/thumbnail.js#handler'],
      );
      assert.match(x86[0]!.comment, /x86_64, not arm64: native-module-import at src\/legacy\/thumbnail\.js:1/);
    }
  });

  describe('a project with colliding names and a usage profile', () => {
    let report: Report;
    before(() => {
      report = analyzeFiles({
        'package.json': '{"name":"@acme/orders","dependencies":{"express":"4","bullmq":"5"}}',
        'src/app.ts':
          "import express from 'express';\nconst app = express();\nconst h = (_q: unknown, s: { json(x: unknown): void }) => s.json(1);\n" +
          "app.get('/a-b', h);\napp.get('/a/b', h);\napp.get('/a_b', h);\napp.get('/slow', h);\napp.listen(3000);\n",
        'src/worker.ts':
          "import { Worker } from 'bullmq';\nexport const w = new Worker('reports', async (job) => job.data);\n",
        'serverless-advisor.yaml':
          'components:\n  "http:GET:/slow": { durationMs: 20000, memoryMb: 1024 }\n' +
          '  "queue:bullmq:reports": { durationMs: 400000, memoryMb: 2048 }\n',
      });
    });

    it('gives unique, valid and stable names to routes whose names collide', () => {
      for (const format of ['serverless', 'sam'] as const) {
        const s = scaffold(report, format);
        const fns = checkAgainstReport(report, format, s.text, s.functions);
        const colliding = fns.filter((f) =>
          ['/a-b', '/a/b', '/a_b'].includes((f.component.trigger as { path: string }).path),
        );
        assert.equal(colliding.length, 3);
        const pattern = format === 'serverless' ? /^getAB[0-9a-z]{7}$/ : /^GetAB[0-9a-z]{7}Function$/;
        for (const f of colliding) assert.match(f.key, pattern);
        assert.equal(new Set(colliding.map((f) => f.key)).size, 3);
        // Stable: the same report gives the same names, and so does one without an unrelated component.
        assert.equal(scaffold(report, format).text, s.text);
        const fewer = { ...report, components: report.components.filter((c) => c.id !== 'http:GET:/slow') };
        const again = readFunctions(fewer, format, scaffold(fewer, format).text).fns;
        for (const f of colliding) assert.ok(again.some((g) => g.key === f.key && g.component.id === f.component.id));
      }
    });

    it('takes memory and timeout from the profile, capped at 29 s behind API Gateway and 900 s on Lambda', () => {
      const s = scaffold(report, 'serverless', { serviceName: '@acme/orders' });
      const fns = checkAgainstReport(report, 'serverless', s.text, s.functions);
      const slow = fns.find((f) => f.component.id === 'http:GET:/slow')!;
      assert.deepEqual([slow.memory, slow.timeout], [1024, 29]);
      assert.match(
        slow.comment,
        /the usage profile \(http:GET:\/slow\).*capped at 29 s, where API Gateway stops waiting/s,
      );
      const worker = fns.find((f) => f.component.id === 'queue:bullmq:reports')!;
      assert.deepEqual([worker.memory, worker.timeout], [2048, 900]);
      assert.match(worker.comment, /capped at 900 s, Lambda's limit/);
      const fast = fns.find((f) => f.component.id === 'http:GET:/a-b')!;
      assert.deepEqual([fast.memory, fast.timeout], [256, 3]);
      assert.equal((parse(s.text).toJS() as { service: string }).service, 'acme-orders');
    });
  });

  it('keeps hostile route paths and names inside comments', () => {
    const report = analyzeFixture('architecture-hostile');
    for (const format of ['serverless', 'sam'] as const) {
      const s = scaffold(report, format);
      const data = parse(s.text).toJS() as Record<string, unknown>;
      const fns = Object.keys(data[format === 'serverless' ? 'functions' : 'Resources'] as object);
      assert.equal(fns.length, deployable(report).length);
      for (const k of fns) assert.match(k, /^[A-Za-z][A-Za-z0-9]*$/);
      const name = String(format === 'serverless' ? data.service : data.Description);
      assert.match(name, /^[a-z][a-z0-9-]*(: functions proposed by serverless-advisor)?$/);
      const content = s.text.split('\n').filter((l) => !/^\s*#/.test(l));
      assert.deepEqual(
        content.filter((l) => /[<>`]|%%|"\]/.test(l)),
        [],
        'the hostile text stays in comments',
      );
    }
  });

  describe('nothing to deploy as a function', () => {
    it('still writes valid documents, and says so', () => {
      const report = analyzeFixture('websockets');
      assert.equal(deployable(report).length, 0);
      const sls = scaffold(report, 'serverless');
      assert.equal(sls.functions, 0);
      assert.deepEqual((parse(sls.text).toJS() as { functions: unknown }).functions, {});
      assert.match(sls.text, /No component is classified faas: there is nothing to deploy as a function/);
      const sam = scaffold(report, 'sam');
      const data = parse(sam.text).toJS() as { Resources: Record<string, { Type: string }> };
      // CloudFormation wants at least one resource.
      assert.deepEqual(data.Resources, { Placeholder: { Type: 'AWS::CloudFormation::WaitConditionHandle' } });
      assert.equal(sam.skipped.length, report.components.length);
    });

    it('lists edge candidates in the header', () => {
      const report = analyzeFixture('nextjs');
      const s = scaffold(report, 'serverless');
      assert.equal(s.functions, 0);
      assert.match(
        s.text,
        /# Edge candidates, not in this template: GET \/feed \(apps\/web\/app\/\(marketing\)\/feed\/route\.ts:3\)/,
      );
      assert.ok(s.skipped.every((x) => /^classified edge/.test(x.reason)));
    });
  });
});

describe('command line: scaffold', function () {
  this.timeout(120_000);
  const CLI = path.resolve(__dirname, '../../src/cli.ts');
  const TSX = pathToFileURL(path.join(path.dirname(require.resolve('tsx/package.json')), 'dist/loader.mjs')).href;
  const run = (args: string[]): { code: number | null; stdout: string; stderr: string } => {
    const r = spawnSync(process.execPath, ['--import', TSX, CLI, ...args], {
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  let root: string;
  before(() => {
    root = writeTree({
      'package.json': '{"name":"tiny-api","dependencies":{"express":"4"}}',
      'src/app.ts':
        "import express from 'express';\nconst app = express();\napp.get('/items/:id', (_q, s) => s.json(1));\napp.listen(3000);\n",
    });
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('writes OUTDIR/serverless.yml (creating OUTDIR), refuses to replace it without --force, replaces it with', () => {
    const out = path.join(root, 'deploy', 'aws');
    const file = path.join(out, 'serverless.yml');
    let r = run(['scaffold', root, '--format', 'serverless', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /wrote .*deploy\/aws\/serverless\.yml: 1 function\n$/);
    const data = parse(fs.readFileSync(file, 'utf8')).toJS() as {
      service: string;
      functions: Record<string, { handler: string; events: unknown[] }>;
    };
    assert.equal(data.service, 'tiny-api');
    assert.deepEqual(data.functions, {
      getItemsId: {
        handler: 'src/app.handler',
        memorySize: 256,
        timeout: 3,
        events: [{ httpApi: { method: 'GET', path: '/items/{id}' } }],
      },
    });
    // Written beside itself first and renamed: nothing else is left in OUTDIR.
    assert.deepEqual(fs.readdirSync(out), ['serverless.yml']);
    // The handler paths are the project's: the header says where the file belongs.
    assert.match(fs.readFileSync(file, 'utf8'), /Handler paths are relative to .*: move this file there/);

    fs.writeFileSync(file, 'my own serverless.yml\n');
    r = run(['scaffold', root, '--format', 'serverless', '--out', out]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /serverless\.yml exists; pass --force to replace it/);
    assert.equal(fs.readFileSync(file, 'utf8'), 'my own serverless.yml\n', 'the file is untouched');

    r = run(['scaffold', root, '--format', 'serverless', '--out', out, '--force', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(fs.readFileSync(file, 'utf8'), /^# serverless\.yml generated by serverless-advisor/);
    assert.deepEqual(fs.readdirSync(out), ['serverless.yml']);
  });

  it('writes template.yaml with --format sam, in the analysed folder itself', () => {
    const r = run(['scaffold', root, '-f', 'sam', '-o', root]);
    assert.equal(r.code, 0, r.stderr);
    const text = fs.readFileSync(path.join(root, 'template.yaml'), 'utf8');
    const data = parse(text).toJS() as {
      Resources: Record<string, { Properties: { CodeUri: string; Handler: string } }>;
    };
    assert.deepEqual(Object.keys(data.Resources), ['GetItemsIdFunction']);
    assert.equal(data.Resources.GetItemsIdFunction!.Properties.CodeUri, './');
    assert.equal(data.Resources.GetItemsIdFunction!.Properties.Handler, 'src/app.handler');
    assert.ok(!text.includes('Handler paths are relative to'));
  });

  it('refuses a symbolic link in the way, even a dangling one', () => {
    const out = path.join(root, 'linked');
    fs.mkdirSync(out);
    fs.symlinkSync(path.join(root, 'nowhere.yml'), path.join(out, 'serverless.yml'));
    const r = run(['scaffold', root, '--format', 'serverless', '--out', out]);
    assert.equal(r.code, 2);
    assert.ok(!fs.existsSync(path.join(root, 'nowhere.yml')), 'nothing written through the link');
  });

  it('exits 2 with a message on bad usage', () => {
    const cases: [string[], RegExp][] = [
      [['scaffold'], /missing DIR/],
      [
        ['scaffold', root, '--out', path.join(root, 'x')],
        /scaffold needs --format serverless \(serverless\.yml\) or --format sam/,
      ],
      [
        ['scaffold', root, '--format', 'terraform', '--out', path.join(root, 'x')],
        /or --format sam \(template\.yaml\), not 'terraform'/,
      ],
      [['scaffold', root, '--format', 'sam'], /missing --out OUTDIR/],
      [['scaffold', root, root, '--format', 'sam', '--out', root], /unexpected argument/],
      [['scaffold', root, '--format', 'sam', '--out', path.join(root, 'src', 'app.ts')], /is a file; give the folder/],
      [
        ['scaffold', root, '--format', 'sam', '--out', path.join(root, 'x'), '--fail-on', 'error'],
        /--fail-on goes with analyze/,
      ],
      [['scaffold', path.join(root, 'nope'), '--format', 'sam', '--out', path.join(root, 'x')], /no such folder/],
    ];
    for (const [args, message] of cases) {
      const r = run(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    }
    assert.ok(!fs.existsSync(path.join(root, 'x')), 'no OUTDIR made for a failed run');
  });

  it('is in --help', () => {
    const r = run(['--help']);
    assert.match(r.stdout, /serverless-advisor scaffold DIR --format serverless\|sam --out OUTDIR \[--force\]/);
  });
});
