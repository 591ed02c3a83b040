import * as assert from 'node:assert/strict';
import { queuesDetector } from '../../../src/core/detect/queues';
import { analyzeFixture, component, findingKeys } from '../helpers';
import { analyzer, mapProbe, summaryWith } from '../probes';
import { validateReport } from '../schemaValidate';

const detectors = [queuesDetector, mapProbe];
const analyze = analyzer(detectors, { check: validateReport });
const summary = summaryWith('kind', 'name');

describe('queues detector', () => {
  describe('fixture app', () => {
    const r = analyzeFixture('queues', { detectors });

    it('finds every consumer and no producer or look-alike', () => {
      validateReport(r);
      assert.deepEqual(summary(r), [
        'queue:kafka:orders,refunds | queue-consumer | kafka consumer "orders, refunds" group "billing" | src/kafka/orders.ts:10:9',
        'queue:pubsub:payments-sub | queue-consumer | pubsub subscription "payments-sub" | src/pubsub.ts:7:1',
        'queue:amqp:invoices | queue-consumer | amqp consumer "invoices" | src/rabbit/consumer.js:8:3',
        'queue:sqs:https://sqs.eu-west-1.amazonaws.com/123/signups | queue-consumer | sqs consumer "https://sqs.eu-west-1.amazonaws.com/123/signups" | src/sqs/consumer.ts:4:20',
        'queue:sqs-poll:https://sqs.eu-west-1.amazonaws.com/123/legacy | queue-consumer | sqs poll "https://sqs.eu-west-1.amazonaws.com/123/legacy" | src/sqs/legacy.js:6:1',
        'queue:sqs-poll:QUEUE_URL | queue-consumer | sqs poll "QUEUE_URL" | src/sqs/loop.ts:7:3',
        'queue:bull:email:welcome | queue-consumer | bull queue "email" job "welcome" | src/workers/email.worker.ts:4:1',
        'queue:bull:email | queue-consumer | bull queue "email" | src/workers/email.worker.ts:6:1',
        'queue:bullmq:thumbnails | queue-consumer | bullmq worker "thumbnails" | src/workers/thumbnails.ts:11:27',
        'queue:bullmq:pdf-render | queue-consumer | bullmq worker "pdf-render" | src/workers/thumbnails.ts:14:20',
      ]);
      assert.deepEqual(
        r.components.map((c) => c.framework),
        [
          'kafkajs',
          '@google-cloud/pubsub',
          'amqplib',
          'sqs-consumer',
          'aws-sdk',
          '@aws-sdk/client-sqs',
          'bull',
          'bull',
          'bullmq',
          'bullmq',
        ],
      );
    });

    it('gives queue triggers with the queue names, resolved through constants of other files', () => {
      assert.deepEqual(component(r, 'queue:bullmq:thumbnails').trigger, {
        type: 'queue',
        system: 'bullmq',
        queue: 'thumbnails',
      });
      assert.deepEqual(component(r, 'queue:bull:email:welcome').trigger, {
        type: 'queue',
        system: 'bull',
        queue: 'email',
      });
      assert.deepEqual(component(r, 'queue:kafka:orders,refunds').trigger, {
        type: 'queue',
        system: 'kafka',
        queue: 'orders,refunds',
      });
      assert.deepEqual(component(r, 'queue:sqs-poll:QUEUE_URL').trigger, {
        type: 'queue',
        system: 'sqs-poll',
        queue: 'QUEUE_URL',
      });
    });

    it('points at the handlers, across files, and at none for a sandboxed processor file', () => {
      assert.deepEqual(component(r, 'queue:bull:email:welcome').handler, {
        file: 'src/mail/send.ts',
        line: 3,
        column: 1,
      });
      assert.deepEqual(component(r, 'queue:bullmq:thumbnails').handler, {
        file: 'src/workers/thumbnails.ts',
        line: 7,
        column: 1,
      });
      assert.deepEqual(component(r, 'queue:sqs-poll:QUEUE_URL').handler, {
        file: 'src/sqs/loop.ts',
        line: 6,
        column: 1,
      });
      assert.equal(component(r, 'queue:bullmq:pdf-render').handler, undefined);
    });

    it('emits a long-running fact at each polling loop and consumer run, owned by its component', () => {
      assert.deepEqual(findingKeys(r, 'long-running'), [
        'src/kafka/orders.ts:10 kafka-consumer-run',
        'src/sqs/consumer.ts:4 sqs-consumer-polling',
        'src/sqs/legacy.js:6 unbounded-polling-loop',
        'src/sqs/loop.ts:7 unbounded-polling-loop',
      ]);
      const loop = r.findings.find((f) => f.location.file === 'src/sqs/loop.ts')!;
      assert.equal(loop.severity, 'warning');
      assert.deepEqual(loop.components, ['queue:sqs-poll:QUEUE_URL']);
      assert.match(loop.evidence, /^for \(;;\) \{ const res = await sqs\.send\(new ReceiveMessageCommand/);
      assert.deepEqual(r.findings.find((f) => f.ruleId === 'kafka-consumer-run')!.components, [
        'queue:kafka:orders,refunds',
      ]);
    });

    it('attributes what the handlers reach in other files to the consumers that reach it', () => {
      const f = r.findings.find((x) => x.ruleId === 'test-module-map')!;
      assert.equal(`${f.location.file}:${f.location.line}`, 'src/mail/send.ts:1');
      assert.deepEqual(f.components, [
        'queue:bull:email:welcome',
        'queue:sqs:https://sqs.eu-west-1.amazonaws.com/123/signups',
      ]);
    });
  });

  describe('BullMQ', () => {
    it('takes inline, imported and path processors, and ignores worker_threads and producers', () => {
      const r = analyze({
        'src/proc.ts': 'export default async function resize(job: unknown) { return job; }\n',
        'src/w.ts': [
          "import { Worker, Queue } from 'bullmq';",
          "import { Worker as Thread } from 'node:worker_threads';",
          "import resize from './proc';",
          "new Worker('inline', async (job) => job.data);",
          "new Worker('imported', resize);",
          "new Worker('sandboxed', './dist/proc.js');",
          "new Thread('./thread.js');",
          "const q = new Queue('inline');",
          "q.add('x', {});",
          '',
        ].join('\n'),
      });
      assert.deepEqual(summary(r), [
        'queue:bullmq:inline | queue-consumer | bullmq worker "inline" | src/w.ts:4:1',
        'queue:bullmq:imported | queue-consumer | bullmq worker "imported" | src/w.ts:5:1',
        'queue:bullmq:sandboxed | queue-consumer | bullmq worker "sandboxed" | src/w.ts:6:1',
      ]);
      assert.deepEqual(component(r, 'queue:bullmq:imported').handler, { file: 'src/proc.ts', line: 1, column: 1 });
      assert.equal(component(r, 'queue:bullmq:sandboxed').handler, undefined);
    });
  });

  describe('Bull', () => {
    it('reads the queue name from the constructor, in CommonJS, with every process() signature', () => {
      const r = analyze({
        'src/jobs.js': [
          "const Bull = require('bull');",
          "const video = new Bull('video', 'redis://localhost');",
          'video.process(function (job, done) { done(); });',
          'video.process(3, async (job) => job.id);',
          "video.process('transcode', 2, async (job) => job.id);",
          "video.process('*', async (job) => job.id);",
          '',
        ].join('\n'),
      });
      assert.deepEqual(summary(r), [
        'queue:bull:video | queue-consumer | bull queue "video" | src/jobs.js:3:1',
        'queue:bull:video#2 | queue-consumer | bull queue "video" | src/jobs.js:4:1',
        'queue:bull:video:transcode | queue-consumer | bull queue "video" job "transcode" | src/jobs.js:5:1',
        'queue:bull:video:* | queue-consumer | bull queue "video" job "*" | src/jobs.js:6:1',
      ]);
    });

    it('ignores process() of BullMQ queues, of other objects and of Node', () => {
      const r = analyze({
        'src/x.ts': [
          "import { Queue } from 'bullmq';",
          "const q: any = new Queue('mq');",
          'q.process(async () => undefined);',
          'const worker = { process: (fn: () => void) => fn() };',
          'worker.process(() => undefined);',
          "process.on('exit', () => undefined);",
          '',
        ].join('\n'),
      });
      assert.deepEqual(r.components, []);
    });
  });

  describe('amqplib', () => {
    it('follows channels through callbacks, promise chains and class fields', () => {
      const r = analyze({
        'src/cb.js': [
          "const amqp = require('amqplib/callback_api');",
          "amqp.connect('amqp://localhost', (err, conn) => {",
          '  conn.createChannel((err2, ch) => {',
          "    ch.consume('audit', (msg) => ch.ack(msg));",
          '  });',
          '});',
          '',
        ].join('\n'),
        'src/then.ts': [
          "import * as amqp from 'amqplib';",
          'amqp',
          "  .connect('amqp://localhost')",
          '  .then((conn) => conn.createChannel())',
          "  .then((ch) => ch.consume('emails', (m) => console.log(m)));",
          '',
        ].join('\n'),
        'src/service.ts': [
          "import amqp, { type Channel } from 'amqplib';",
          'export class Listener {',
          '  private channel?: Channel;',
          '  async start() {',
          "    const conn = await amqp.connect('amqp://localhost');",
          '    this.channel = await conn.createChannel();',
          "    await this.channel.consume('orders', (m) => this.handle(m));",
          '  }',
          '  handle(_m: unknown) {}',
          '}',
          '',
        ].join('\n'),
      });
      assert.deepEqual(summary(r), [
        'queue:amqp:audit | queue-consumer | amqp consumer "audit" | src/cb.js:4:5',
        'queue:amqp:orders | queue-consumer | amqp consumer "orders" | src/service.ts:7:11',
        'queue:amqp:emails | queue-consumer | amqp consumer "emails" | src/then.ts:5:17',
      ]);
    });

    it('ignores consume() of objects that do not come from amqplib', () => {
      const r = analyze({
        'src/x.ts': [
          "import amqp from 'amqplib';",
          "import { createReader } from './reader';",
          'const reader = createReader();',
          "reader.consume('topic', () => undefined);",
          'export const connect = () => amqp.connect("x");',
          '',
        ].join('\n'),
        'src/reader.ts':
          'export const createReader = () => ({ consume: (_a: string, _b: () => void) => undefined });\n',
      });
      assert.deepEqual(r.components, []);
    });
  });

  describe('kafkajs', () => {
    it('takes the topics subscribed in the same scope and eachBatch handlers', () => {
      const r = analyze({
        'src/k.ts': [
          "import { Kafka } from 'kafkajs';",
          'export async function main(kafka: Kafka) {',
          "  const c = kafka.consumer({ groupId: 'g1' });",
          '  await c.subscribe({ topic: /^events\\./ });',
          '  await c.run({ eachBatch: async ({ batch }) => console.log(batch.topic) });',
          '}',
          '',
        ].join('\n'),
      });
      assert.deepEqual(summary(r), [
        'queue:kafka:/^events\\./ | queue-consumer | kafka consumer "/^events\\./" group "g1" | src/k.ts:5:9',
      ]);
      assert.deepEqual(findingKeys(r), ['src/k.ts:5 kafka-consumer-run']);
    });

    it('ignores run() without a message handler and run() of other libraries', () => {
      const r = analyze({
        'src/k.ts': [
          "import { Kafka } from 'kafkajs';",
          "import { Runner } from 'some-runner';",
          "const consumer = new Kafka({ brokers: [] }).consumer({ groupId: 'g' });",
          'consumer.run({ autoCommit: false });',
          'const runner = new Runner();',
          'runner.run({ eachMessage: async () => undefined });',
          '',
        ].join('\n'),
      });
      assert.deepEqual(r.components, []);
      assert.deepEqual(r.findings, []);
    });
  });

  describe('SQS polling', () => {
    it('finds while and top-level loops around receives, and only those', () => {
      const r = analyze({
        'src/poll.ts': [
          "import { SQS } from '@aws-sdk/client-sqs';",
          'const sqs = new SQS({});',
          "const QueueUrl = 'https://sqs/q1';",
          'let running = true;',
          'while (running) {',
          '  await sqs.receiveMessage({ QueueUrl });',
          '}',
          'export async function lambdaHandler() {',
          "  return sqs.receiveMessage({ QueueUrl: 'https://sqs/once' });",
          '}',
          'export async function drainThree() {',
          "  for (let i = 0; i < 3; i++) await sqs.receiveMessage({ QueueUrl: 'https://sqs/bounded' });",
          '}',
          '',
        ].join('\n'),
        'src/fake.ts': [
          "import { ReceiveMessageCommand } from './commands';",
          'export async function loop(client: { send(c: unknown): Promise<void> }) {',
          "  while (true) await client.send(new ReceiveMessageCommand({ QueueUrl: 'x' }));",
          '}',
          '',
        ].join('\n'),
        'src/commands.ts': 'export class ReceiveMessageCommand { constructor(readonly input: unknown) {} }\n',
      });
      assert.deepEqual(summary(r), [
        'queue:sqs-poll:https://sqs/q1 | queue-consumer | sqs poll "https://sqs/q1" | src/poll.ts:5:1',
      ]);
      assert.deepEqual(findingKeys(r), ['src/poll.ts:5 unbounded-polling-loop']);
      assert.deepEqual(r.findings[0]!.components, ['queue:sqs-poll:https://sqs/q1']);
    });
  });

  describe('Google Pub/Sub', () => {
    it("takes subscription('name').on('message') through topic(), and not an EventEmitter's 'message'", () => {
      const r = analyze({
        'src/p.js': [
          "const { PubSub } = require('@google-cloud/pubsub');",
          "const sub = new PubSub().topic('t').subscription('orders');",
          "sub.on('message', onMessage);",
          'function onMessage(m) { m.ack(); }',
          "const { EventEmitter } = require('events');",
          "new EventEmitter().on('message', onMessage);",
          '',
        ].join('\n'),
      });
      assert.deepEqual(summary(r), [
        'queue:pubsub:orders | queue-consumer | pubsub subscription "orders" | src/p.js:3:1',
      ]);
      assert.deepEqual(component(r, 'queue:pubsub:orders').handler, { file: 'src/p.js', line: 4, column: 1 });
    });
  });

  it('ignores commented-out code and code in strings', () => {
    const r = analyze({
      'src/c.ts': [
        "import { Worker } from 'bullmq';",
        "// new Worker('commented', async () => undefined);",
        "/* channel.consume('q', fn) */",
        'export const s = "new Worker(\'in-string\', fn)";',
        'export { Worker };',
        '',
      ].join('\n'),
    });
    assert.deepEqual(r.components, []);
  });
});
