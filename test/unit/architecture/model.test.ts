import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { SAFE_ID } from '../../../src/core/architecture/ids';
import { buildArchitecture, DEFAULT_MAX_NODES } from '../../../src/core/architecture/model';
import { analyze } from '../../../src/core/analyze';
import { usd } from '../../../src/core/labels';
import type { ArchitectureGraph, ArchitectureNode, Report } from '../../../src/core/model';
import { analyzeFixture } from '../helpers';
import { validateReport } from '../schemaValidate';
import { fakeReport, route } from './fakes';

const EXAMPLE = path.resolve(__dirname, '../../../examples/shop-api');

function byLabel(g: ArchitectureGraph, label: string): ArchitectureNode {
  const n = g.nodes.find((x) => x.label === label);
  assert.ok(n, `no node "${label}"; have: ${g.nodes.map((x) => x.label).join(' | ')}`);
  return n;
}

/** `from label -> to label: edge label`, for comparing edges by what they connect. */
function edges(g: ArchitectureGraph): string[] {
  const label = new Map(g.nodes.map((n) => [n.id, n.label]));
  return g.edges.map((e) => `${label.get(e.from)} -> ${label.get(e.to)}${e.label ? `: ${e.label}` : ''}`);
}

function assertWellFormed(g: ArchitectureGraph): void {
  const ids = g.nodes.map((n) => n.id);
  assert.equal(new Set(ids).size, ids.length, 'node ids are unique');
  for (const id of ids) assert.match(id, SAFE_ID);
  const clusters = new Set((g.clusters ?? []).map((c) => c.id));
  for (const n of g.nodes) if (n.parent) assert.ok(clusters.has(n.parent), `${n.id} in an unknown cluster`);
  for (const e of g.edges) {
    assert.ok(ids.includes(e.from) && ids.includes(e.to), `edge ${e.from} -> ${e.to} between declared nodes`);
  }
}

describe('architecture model', () => {
  let r: Report;
  before(() => {
    r = validateReport(analyze({ root: EXAMPLE }));
  });

  describe('today, for the example app', () => {
    it('draws the one process with its components grouped by route prefix', () => {
      const g = r.architecture!.current;
      assertWellFormed(g);
      assert.deepEqual(
        g.clusters?.map((c) => c.label),
        ['acme-shop-api (src/server.ts)'],
      );
      const groups = g.nodes.filter((n) => n.kind === 'group').map((n) => `${n.label} ${n.group!.count}`);
      assert.deepEqual(groups.sort(), [
        '/api/admin 6',
        '/api/articles 5',
        '/api/auth 4',
        '/api/orders 3',
        '/api/reports 2',
        '/api/uploads 2',
      ]);
      // Routes, the worker, the jobs and the websocket all run in the process today.
      for (const n of g.nodes.filter((x) => x.kind === 'component' || x.kind === 'group'))
        assert.equal(n.parent, g.clusters[0]!.id, n.label);
      const covered = g.nodes.flatMap((n) => n.components ?? []);
      assert.deepEqual([...covered].sort(), r.components.map((c) => c.id).sort());
    });

    it('shows the services the code talks to, and who talks to them', () => {
      const g = r.architecture!.current;
      const services = g.nodes.filter((n) => n.tier === 'services').map((n) => n.label);
      assert.deepEqual(services.sort(), [
        'Amazon S3',
        'PostgreSQL',
        'Redis',
        'SMTP server',
        'api.exchangerate.host',
        'emails',
      ]);
      const e = edges(g);
      for (const expected of [
        'emails -> bullmq worker "emails": consume',
        'bullmq worker "emails" -> SMTP server: SMTP',
        '/api/auth -> emails: enqueue',
        '/api/orders -> emails: enqueue',
        '/api/admin -> emails: manage',
        '/api/uploads -> Amazon S3: objects',
        'setInterval every 60000 ms -> api.exchangerate.host: HTTPS',
        'cron "0 3 * * *" -> PostgreSQL: SQL',
        'Clients -> ws /ws: WebSocket',
        'Clients -> /api/articles: HTTP',
        'GET /health -> Redis: commands',
      ])
        assert.ok(e.includes(expected), `missing edge ${expected}`);
      assert.ok(!e.some((x) => x.startsWith('/api/articles -> emails')), 'articles never touch the queue');
      assert.ok(!e.some((x) => x.startsWith('/api/articles -> Amazon S3')));
      assert.equal(byLabel(g, 'emails').details?.[0], 'BullMQ (on Redis)');
    });

    it('labels groups with their target mix and count', () => {
      const admin = byLabel(r.architecture!.current, '/api/admin');
      assert.deepEqual(admin.details, ['container', '6 routes']);
      assert.deepEqual(admin.group, { id: 'routes:/api/admin', count: 6, targets: { container: 6 } });
      assert.equal(admin.style, 'container');
    });
  });

  describe('proposed, for the example app on AWS', () => {
    it('moves the queue worker to a function triggered by SQS, which replaces BullMQ', () => {
      const g = r.architecture!.proposed;
      assertWellFormed(g);
      assert.equal(g.provider, 'aws');
      const worker = byLabel(g, 'bullmq worker "emails"');
      assert.equal(worker.tier, 'functions');
      assert.equal(worker.style, 'faas');
      assert.equal(worker.cost?.offering, 'aws-lambda-arm64');
      assert.ok(worker.cost.monthlyUsd.likely > 0);
      assert.equal(typeof worker.coldStartMs, 'number');
      // In the wording of labels.usd, which CodeLens and the tree use.
      assert.ok(
        worker.details?.includes(`~${usd(worker.cost.monthlyUsd.likely)}/mo on Lambda arm64`),
        String(worker.details),
      );
      assert.ok(worker.details?.some((d) => /^cold start ~\d+ ms$/.test(d)));
      const queue = byLabel(g, 'emails');
      assert.equal(queue.style, 'baas');
      assert.match(queue.details![0]!, /^SQS · replaces BullMQ/);
      const e = edges(g);
      assert.ok(e.includes('emails -> bullmq worker "emails": trigger'));
      assert.ok(e.includes('/api/orders -> emails: enqueue'), 'producers now send to SQS');
    });

    it('schedules the jobs with EventBridge Scheduler, keeps their state and files in DynamoDB and S3, pools SQL', () => {
      const g = r.architecture!.proposed;
      const e = edges(g);
      for (const job of [
        'cron "0 3 * * *"',
        'setInterval every 60000 ms',
        'setInterval every config.wsHeartbeatMs ms',
      ]) {
        assert.equal(byLabel(g, job).tier, 'functions', job);
        assert.ok(e.includes(`EventBridge Scheduler -> ${job}: schedule`), job);
      }
      // The cron writes the sitemap to local disk, and runs SQL: S3 (already used) and RDS Proxy.
      assert.ok(e.includes('cron "0 3 * * *" -> Amazon S3: files'));
      assert.ok(e.includes('cron "0 3 * * *" -> RDS Proxy: SQL'));
      assert.ok(e.includes('RDS Proxy -> PostgreSQL: pooled'));
      // The exchange rates live in module state: shared state in DynamoDB.
      assert.ok(e.includes('setInterval every 60000 ms -> DynamoDB: state'));
      // Containers keep their direct connections.
      assert.ok(e.includes('/api/articles -> PostgreSQL: SQL'));
      assert.deepEqual(byLabel(g, 'Redis').details, ['managed: ElastiCache']);
    });

    it('keeps what the classification keeps in containers, in their process, with the fleet cost once', () => {
      const g = r.architecture!.proposed;
      const cluster = g.clusters?.find((c) => c.label.startsWith('acme-shop-api'));
      assert.ok(cluster);
      assert.ok(
        cluster.details?.some((d) => /on Fargate arm64 \(shared fleet\)$/.test(d)),
        String(cluster.details),
      );
      for (const label of ['/api/articles', 'ws /ws', 'GET /health']) {
        const n = byLabel(g, label);
        assert.equal(n.tier, 'containers', label);
        assert.equal(n.parent, cluster.id, label);
        assert.equal(n.cost?.offering, 'aws-fargate-arm64', label);
        assert.ok(!n.details?.some((d) => d.includes('/mo')), `${label}: the fleet cost is on the process`);
      }
      // Every HTTP route stays (the in-memory session store blocks functions): no gateway in front of them.
      assert.ok(!g.nodes.some((n) => n.kind === 'gateway'));
    });

    it('is the same graph, ids included, run after run', () => {
      const again = analyze({ root: EXAMPLE });
      assert.deepEqual(again.architecture, r.architecture);
      assert.deepEqual(buildArchitecture(r), r.architecture);
    });
  });

  describe('queues (test/fixtures/queues)', () => {
    it('draws each consumer triggered by its own queue, and no second arrow for its receive calls', () => {
      const q = analyzeFixture('queues');
      const g = q.architecture!.proposed;
      assertWellFormed(g);
      const e = edges(g);
      for (const expected of [
        'invoices -> amqp consumer "invoices": trigger',
        'payments-sub -> pubsub subscription "payments-sub": trigger',
        'thumbnails -> bullmq worker "thumbnails": trigger',
        'legacy -> sqs poll "https://sqs.eu-west-1.amazonaws.com/123/legacy": trigger',
      ])
        assert.ok(e.includes(expected), `missing ${expected}`);
      // Kafka, RabbitMQ, Pub/Sub and SQS queues stay what they are; Redis-backed queues move to the provider's.
      assert.equal(byLabel(g, 'invoices').details?.[0], 'RabbitMQ (AMQP)');
      assert.match(byLabel(g, 'thumbnails').details![0]!, /^SQS · replaces BullMQ/);
      assert.ok(!g.nodes.some((n) => n.label === 'Amazon SQS'), 'no generic SQS node for the pollers');
    });
  });

  describe('providers', () => {
    const names = (g: ArchitectureGraph): string[] => g.nodes.map((n) => [n.label, ...(n.details ?? [])].join(' | '));

    it('names the managed services of Azure, Google Cloud and Cloudflare', () => {
      const cases: [provider: 'azure' | 'gcp' | 'cloudflare', expected: RegExp[], absent: RegExp[]][] = [
        [
          'azure',
          [
            /^emails \| Service Bus · replaces/,
            /^Timer trigger/,
            /^Cosmos DB/,
            /^PgBouncer/,
            /^Redis \| managed: Azure Cache for Redis/,
          ],
          [/SQS|Lambda|EventBridge/],
        ],
        [
          'gcp',
          [/^emails \| Pub\/Sub · replaces/, /^Cloud Scheduler/, /^Firestore/, /^Redis \| managed: Memorystore/],
          [/SQS|Lambda|EventBridge|Proxy|PgBouncer/],
        ],
        [
          'cloudflare',
          [/^emails \| Queues · replaces/, /^Cron Triggers/, /^D1 \/ KV/, /^Hyperdrive/, /^Redis \| managed: KV/],
          [/SQS|Lambda|EventBridge/],
        ],
      ];
      for (const [provider, expected, absent] of cases) {
        const { proposed } = buildArchitecture(r, { provider });
        assertWellFormed(proposed);
        assert.equal(proposed.provider, provider);
        const all = names(proposed);
        for (const re of expected)
          assert.ok(
            all.some((x) => re.test(x)),
            `${provider}: ${re} in ${all.join('\n')}`,
          );
        for (const re of absent) assert.ok(!all.some((x) => re.test(x)), `${provider}: ${re} should not appear`);
      }
    });

    it('quotes the provider`s function offering, and the cheapest priced container where it has none', () => {
      const azure = buildArchitecture(r, { provider: 'azure' }).proposed;
      assert.equal(byLabel(azure, 'bullmq worker "emails"').cost?.offering, 'azure-functions-flex');
      const gcp = buildArchitecture(r, { provider: 'gcp' }).proposed;
      assert.equal(byLabel(gcp, 'bullmq worker "emails"').cost?.offering, 'gcp-cloud-run-functions');
      assert.equal(byLabel(gcp, '/api/articles').cost?.offering, 'gcp-cloud-run-instance');
      assert.equal(byLabel(azure, '/api/articles').cost?.offering, 'aws-fargate-arm64');
    });

    it('puts the gateway in front of HTTP functions and edge functions before it', () => {
      const report = fakeReport([
        route('GET', '/api/items'),
        route('POST', '/api/items'),
        route('GET', '/api/prices', 'edge'),
        route('GET', '/api/export', 'container'),
      ]);
      const { current, proposed } = buildArchitecture(report);
      const e = edges(proposed);
      assert.ok(e.includes('Clients -> API Gateway: HTTPS'));
      assert.ok(e.includes('API Gateway -> /api/items: route'));
      assert.ok(e.includes('API Gateway -> GET /api/export: route'));
      assert.ok(e.includes('Clients -> GET /api/prices: HTTP'));
      assert.equal(byLabel(proposed, 'GET /api/prices').tier, 'edge');
      assert.equal(byLabel(proposed, '/api/items').cost?.offering, 'aws-lambda-arm64-http-api');
      assert.equal(byLabel(proposed, '/api/items').cost?.monthlyUsd.likely, 2);
      assert.ok(!current.nodes.some((n) => n.kind === 'gateway'));
    });
  });

  describe('groups', () => {
    it('splits a group of mixed targets in the proposal, one node per target, under one group id', () => {
      const report = fakeReport([
        route('GET', '/api/orders'),
        route('POST', '/api/orders'),
        route('GET', '/api/orders/:id/invoice', 'container'),
        route('GET', '/health'),
      ]);
      const { current, proposed } = buildArchitecture(report);
      const today = byLabel(current, '/api/orders');
      assert.deepEqual(today.details, ['faas 2 · container 1', '3 routes']);
      assert.equal(today.style, 'faas');
      const parts = proposed.nodes.filter((n) => n.group?.id === 'routes:/api/orders');
      assert.deepEqual(
        parts.map((n) => [n.id === `${today.id}_${n.style}`, n.style, n.tier, n.details?.[1]]),
        [
          [true, 'faas', 'functions', '2 of 3 routes'],
          [true, 'container', 'containers', '1 of 3 routes'],
        ],
      );
    });

    it('opens a group one level of its path tree when its id is expanded, and only then', () => {
      const closed = buildArchitecture(r).current;
      const once = buildArchitecture(r, { expanded: ['routes:/api/admin'] }).current;
      assert.ok(closed.nodes.some((n) => n.group?.id === 'routes:/api/admin'));
      assert.ok(!once.nodes.some((n) => n.group?.id === 'routes:/api/admin'));
      const adminOf = (g: ArchitectureGraph): string[] =>
        g.nodes
          .filter((n) => n.components?.some((c) => c.includes('/api/admin')))
          .map((n) => (n.kind === 'group' ? `${n.label} (${n.group!.count})` : n.label));
      assert.deepEqual(adminOf(once).sort(), [
        '/api/admin/users (4)',
        'GET /api/admin/stats',
        'POST /api/admin/emails/retry-failed',
      ]);
      const open = buildArchitecture(r, { expanded: ['routes:/api/admin', 'routes:/api/admin/users'] }).current;
      assert.equal(adminOf(open).length, 6);
      assert.ok(
        open.nodes
          .filter((n) => n.components?.some((c) => c.includes('/api/admin')))
          .every((n) => n.kind === 'component' && n.components!.length === 1),
      );
      // The other groups and every id outside the expanded group stay as they were.
      const same = (g: ArchitectureGraph): string[] =>
        g.nodes.filter((n) => !n.components?.some((c) => c.includes('/api/admin'))).map((n) => n.id);
      assert.deepEqual(same(open), same(closed));
      assert.ok(open.nodes.length <= DEFAULT_MAX_NODES);
    });

    it('leaves out what is not deployed (keep), and says so', () => {
      const report = fakeReport([route('GET', '/a'), route('GET', '/b', 'keep')]);
      const { current } = buildArchitecture(report);
      assert.ok(!current.nodes.some((n) => n.label === 'GET /b'));
      assert.ok(current.notes?.some((n) => /^1 component not deployed/.test(n)));
    });
  });
});
