import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { hostOf, ormEngine, serviceOfModule } from '../../../src/core/architecture/catalog';
import { analyze } from '../../../src/core/analyze';
import type { Report } from '../../../src/core/model';
import { analyzeFiles, analyzeFixture, component } from '../helpers';
import { validateReport } from '../schemaValidate';

/** `service[:resource][/operation] via package @file:line`, the way these tests compare uses. */
function usesOf(r: Report, id: string): string[] {
  return (component(r, id).uses ?? []).map(
    (u) =>
      `${u.service}${u.resource !== undefined ? `:${u.resource}` : ''}${u.operation ? `/${u.operation}` : ''} via ${u.via} @${u.location.file}:${u.location.line}`,
  );
}

describe('architecture: the services the code talks to', () => {
  describe('the example app (examples/shop-api), against what its code does', () => {
    let r: Report;
    before(() => {
      r = validateReport(analyze({ root: path.resolve(__dirname, '../../../examples/shop-api'), costs: false }));
    });

    it('the e-mail worker sends through SMTP (nodemailer), and nothing else', () => {
      assert.deepEqual(usesOf(r, 'queue:bullmq:emails'), ['smtp via nodemailer @src/services/mailer.ts:6']);
    });

    it('the exchange-rate refresh calls the host of config.exchangeRateUrl (env ?? literal, in a frozen config)', () => {
      assert.deepEqual(usesOf(r, 'schedule:setInterval:src/jobs/nightly.ts:every 60000 ms'), [
        'http:api.exchangerate.host via fetch @src/jobs/nightly.ts:25',
      ]);
    });

    it('the nightly cron queries PostgreSQL through the pool of src/db/pool.ts', () => {
      assert.deepEqual(usesOf(r, 'schedule:node-cron:src/jobs/nightly.ts:0 3 * * *'), [
        'postgres via pg @src/db/pool.ts:4',
      ]);
    });

    it('the websocket server and its heartbeat talk to no service', () => {
      assert.deepEqual(usesOf(r, 'websocket:/ws'), []);
      assert.deepEqual(
        usesOf(r, 'schedule:setInterval:src/realtime/notifications.ts:every config.wsHeartbeatMs ms'),
        [],
      );
    });

    it('sign-up and checkout enqueue to the BullMQ queue "emails"; the admin routes manage it', () => {
      for (const id of ['http:POST:/api/auth/register', 'http:POST:/api/orders'])
        assert.ok(usesOf(r, id).includes('bullmq:emails/enqueue via bullmq @src/jobs/queues.ts:19'), id);
      for (const id of ['http:GET:/api/admin/stats', 'http:POST:/api/admin/emails/retry-failed'])
        assert.ok(usesOf(r, id).includes('bullmq:emails/manage via bullmq @src/jobs/queues.ts:19'), id);
      assert.ok(!usesOf(r, 'http:GET:/api/articles').some((u) => u.startsWith('bullmq')));
    });

    it('every route reaches PostgreSQL and Redis through the global authenticate middleware', () => {
      // authenticate: redis.exists (token revocation) and userService.findById (pool.query).
      for (const c of r.components.filter((x) => x.kind === 'http-route')) {
        const uses = usesOf(r, c.id);
        assert.ok(uses.includes('postgres via pg @src/db/pool.ts:4'), c.id);
        assert.ok(uses.includes('redis via ioredis @src/db/redis.ts:6'), c.id);
      }
    });

    it('only the upload routes put objects in S3', () => {
      const s3 = r.components.filter((c) => (c.uses ?? []).some((u) => u.service === 's3')).map((c) => c.id);
      assert.deepEqual(s3, ['http:POST:/api/uploads/images', 'http:POST:/api/uploads/documents']);
      assert.ok(
        usesOf(r, 'http:POST:/api/uploads/images').includes('s3 via @aws-sdk/client-s3 @src/services/storage.ts:11'),
      );
    });

    it('runs everything in one process, started by package.json main (dist/server.js -> src/server.ts)', () => {
      assert.equal(r.processes?.length, 1);
      const p = r.processes[0]!;
      assert.deepEqual(
        { id: p.id, name: p.name, entry: p.entry, basis: p.basis },
        { id: 'process:src/server.ts', name: 'acme-shop-api', entry: 'src/server.ts', basis: 'package.json main' },
      );
      assert.deepEqual([...p.components].sort(), r.components.map((c) => c.id).sort());
    });
  });

  describe('client libraries, hosts and queues (test/fixtures/architecture-services)', () => {
    let r: Report;
    before(() => {
      r = analyzeFixture('architecture-services', { costs: false });
    });

    it('resolves an ORM to the engine of the SQL driver installed (Prisma + pg: PostgreSQL)', () => {
      assert.deepEqual(usesOf(r, 'http:GET:/api/users'), ['postgres via @prisma/client @src/clients/db.ts:3']);
    });

    it('adding to a queue whose connection is the Redis client is a use of the queue, not of Redis', () => {
      assert.deepEqual(usesOf(r, 'http:POST:/api/signup'), ['bullmq:jobs/enqueue via bullmq @src/clients/queue.ts:5']);
      assert.deepEqual(usesOf(r, 'http:GET:/api/cache/:k'), ['redis via ioredis @src/clients/redis.ts:3']);
    });

    it('names the Kafka topic sent to through a producer made in another module', () => {
      assert.deepEqual(usesOf(r, 'http:POST:/api/events'), ['kafka:events/enqueue via kafkajs @src/routes/api.ts:31']);
    });

    it('names the SQS queue of a SendMessageCommand (through a constant)', () => {
      assert.deepEqual(usesOf(r, 'http:POST:/api/orders'), [
        'sqs:https://sqs.eu-west-1.amazonaws.com/123456789012/orders/enqueue via @aws-sdk/client-sqs @src/routes/api.ts:57',
      ]);
    });

    it('finds HTTP hosts in literals, constants and an axios instance baseURL from a frozen config with an env default', () => {
      assert.deepEqual(usesOf(r, 'http:GET:/api/rates'), ['http:api.rates.example via axios @src/routes/api.ts:36']);
      assert.deepEqual(usesOf(r, 'http:GET:/api/where'), ['http:geo.example.com via axios @src/clients/http.ts:5']);
    });

    it('leaves out loopback URLs and URLs without a literal host', () => {
      assert.deepEqual(usesOf(r, 'http:GET:/api/local'), []);
    });

    it('recognises SDK clients made at the top (Stripe, Mongoose models) and used in functions (SendGrid, aws-sdk v2 S3)', () => {
      assert.deepEqual(usesOf(r, 'http:POST:/api/pay'), ['stripe via stripe @src/routes/api.ts:16']);
      assert.deepEqual(usesOf(r, 'http:POST:/api/audit'), ['mongodb via mongoose @src/clients/models.ts:3']);
      assert.deepEqual(usesOf(r, 'http:POST:/api/welcome'), ['sendgrid via @sendgrid/mail @src/routes/mail.ts:4']);
      assert.deepEqual(usesOf(r, 'http:GET:/api/files/:key'), ['s3 via aws-sdk @src/routes/api.ts:62']);
    });

    it('a type-only import is not a use; a require inside a handler is', () => {
      assert.deepEqual(usesOf(r, 'http:GET:/api/typed'), []);
      assert.deepEqual(usesOf(r, 'http:GET:/api/legacy'), ['postgres via pg @src/routes/api.ts:86']);
    });

    it('the worker started by `npm run worker` is its own process', () => {
      assert.deepEqual(
        r.processes?.map((p) => [p.id, p.name, p.basis, p.components.length]),
        [
          ['process:src/server.ts', 'services-app', 'package.json main', 14],
          ['process:src/worker.ts', 'worker', 'package.json scripts.worker', 1],
        ],
      );
      assert.deepEqual(usesOf(r, 'queue:bullmq:jobs'), ['sendgrid via @sendgrid/mail @src/routes/mail.ts:4']);
    });
  });

  describe('processes when package.json names no entry', () => {
    it('takes files no other file imports as entries; existing functions are in no process', () => {
      const r = analyzeFiles(
        {
          'package.json': '{"dependencies":{"express":"4","node-cron":"3"}}',
          'api/server.ts':
            "import express from 'express';\nimport { list } from '../lib/items';\nconst app = express();\napp.get('/items', (_q, s) => s.json(list()));\napp.listen(3000);\n",
          'jobs/cron.ts':
            "import cron from 'node-cron';\nimport { list } from '../lib/items';\ncron.schedule('*/5 * * * *', () => list());\n",
          'lib/items.ts': 'export function list(): string[] {\n  return [];\n}\n',
          'lambda/handler.ts': 'export const handler = async () => ({ statusCode: 200, body: "ok" });\n',
          'serverless.yml':
            'service: x\nprovider:\n  name: aws\nfunctions:\n  hello:\n    handler: lambda/handler.handler\n    events:\n      - httpApi: GET /hello\n',
          'test/server.test.ts': "import '../api/server';\n",
        },
        { costs: false },
      );
      assert.deepEqual(
        r.processes?.map((p) => [p.id, p.name, p.basis, p.components]),
        [
          ['process:api/server.ts', 'server', 'not imported by other files', ['http:GET:/items']],
          [
            'process:jobs/cron.ts',
            'cron',
            'not imported by other files',
            ['schedule:node-cron:jobs/cron.ts:*/5 * * * *'],
          ],
        ],
      );
      const fn = r.components.find((c) => c.kind === 'function');
      assert.ok(fn, 'the serverless.yml function is a component');
      assert.ok(!r.processes.some((p) => p.components.includes(fn.id)));
    });
  });

  describe('the catalogue', () => {
    it('maps client packages to services, cloud SDKs to their cloud, and leaves SDK plumbing out', () => {
      assert.equal(serviceOfModule('mysql2/promise')?.key, 'mysql');
      assert.equal(serviceOfModule('@aws-sdk/client-kinesis')?.label, 'AWS Kinesis');
      assert.equal(serviceOfModule('@google-cloud/tasks')?.key, 'gcp-tasks');
      assert.equal(serviceOfModule('@azure/identity'), undefined);
      assert.equal(serviceOfModule('aws-sdk', 'S3')?.key, 's3');
      assert.equal(serviceOfModule('lodash'), undefined);
    });

    it('an ORM is its driver`s engine only when exactly one SQL driver is installed', () => {
      assert.equal(
        ormEngine(
          new Map([
            ['mysql2', '3'],
            ['mongoose', '8'],
          ]),
        ).key,
        'mysql',
      );
      assert.equal(
        ormEngine(
          new Map([
            ['mysql2', '3'],
            ['pg', '8'],
          ]),
        ).key,
        'sql',
      );
      assert.equal(ormEngine(new Map()).key, 'sql');
    });

    it('takes the host of a URL, never a placeholder or loopback', () => {
      assert.equal(hostOf('https://API.Example.com:8443/v1?x=1'), 'api.example.com');
      assert.equal(hostOf('wss://user:pw@stream.example.org/ws'), 'stream.example.org');
      assert.equal(hostOf('https://{?}/v1'), undefined);
      assert.equal(hostOf('http://localhost:3000'), undefined);
      assert.equal(hostOf('/relative/path'), undefined);
    });
  });
});
