import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyze } from '../../src/core/analyze';
import type { Report } from '../../src/core/model';
import { component, hazardsOf } from './helpers';
import { validateReport } from './schemaValidate';

// The example is the README's first command: every component and finding here was read against the code of
// examples/shop-api by hand (see its README for what each file deliberately contains).
describe('the example app (examples/shop-api)', () => {
  let r: Report;
  before(() => {
    r = validateReport(analyze({ root: path.resolve(__dirname, '../../examples/shop-api') }));
  });

  it('finds every component: 24 routes under their mount prefixes, the queue worker, the jobs and the websocket', () => {
    assert.deepEqual(
      r.components.map((c) => c.id),
      [
        'queue:bullmq:emails',
        'schedule:setInterval:src/jobs/nightly.ts:every 60000 ms',
        'schedule:node-cron:src/jobs/nightly.ts:0 3 * * *',
        'websocket:/ws',
        'schedule:setInterval:src/realtime/notifications.ts:every config.wsHeartbeatMs ms',
        'http:GET:/api/admin/stats',
        'http:POST:/api/admin/emails/retry-failed',
        'http:GET:/api/admin/users',
        'http:GET:/api/admin/users/:id',
        'http:PATCH:/api/admin/users/:id/role',
        'http:DELETE:/api/admin/users/:id',
        'http:GET:/api/articles',
        'http:POST:/api/articles',
        'http:DELETE:/api/articles/:id',
        'http:PUT:/api/articles/:id',
        'http:GET:/api/articles/:id',
        'http:POST:/api/auth/register',
        'http:POST:/api/auth/login',
        'http:POST:/api/auth/logout',
        'http:GET:/api/auth/me',
        'http:GET:/health',
        'http:GET:/metrics',
        'http:POST:/api/orders',
        'http:GET:/api/orders/:id',
        'http:GET:/api/orders/:id/invoice',
        'http:GET:/api/reports/export',
        'http:GET:/api/reports/sales-summary',
        'http:POST:/api/uploads/images',
        'http:POST:/api/uploads/documents',
      ],
    );
    assert.equal(r.stats.files, 27);
    assert.deepEqual(r.stats.skipped, []);
  });

  it('finds exactly the deliberate hazards, at their lines', () => {
    assert.deepEqual(
      r.findings.map((f) => `${f.location.file}:${f.location.line} ${f.ruleId}`),
      [
        'src/db/pool.ts:4 connection-pool-per-instance',
        'src/db/redis.ts:6 connection-pool-per-instance',
        'src/jobs/nightly.ts:2 node-only-builtin',
        'src/jobs/nightly.ts:12 module-state-written-in-handler',
        'src/jobs/nightly.ts:13 module-state-written-in-handler',
        'src/jobs/nightly.ts:34 module-level-interval',
        'src/jobs/nightly.ts:58 local-fs-write',
        'src/middleware/auth.ts:11 latency-critical-annotation',
        'src/middleware/requestCounter.ts:3 module-state-written-in-handler',
        'src/middleware/requestCounter.ts:4 module-state-written-in-handler',
        'src/middleware/requestCounter.ts:5 module-state-written-in-handler',
        'src/realtime/notifications.ts:15 module-state-written-in-handler',
        'src/realtime/notifications.ts:28 websocket-connection-limits',
        'src/realtime/notifications.ts:28 websocket-latency',
        'src/realtime/notifications.ts:28 websocket-server',
        'src/realtime/notifications.ts:50 module-level-interval',
        'src/routes/articles.ts:15 in-memory-cache-in-handler',
        'src/routes/auth.ts:2 native-module-import',
        'src/routes/auth.ts:40 home-grown-password-auth',
        'src/routes/auth.ts:56 home-grown-password-auth',
        'src/routes/orders.ts:73 streamed-response',
        'src/routes/reports.ts:2 node-only-builtin',
        'src/routes/reports.ts:25 child-process-spawn',
        'src/routes/reports.ts:34 streamed-response',
        'src/routes/uploads.ts:3 heavy-dependency-import',
        'src/routes/uploads.ts:3 native-module-import',
        'src/routes/uploads.ts:4 node-only-builtin',
        'src/routes/uploads.ts:6 node-only-builtin',
        'src/routes/uploads.ts:17 multer-disk-storage',
        'src/routes/uploads.ts:43 local-fs-write',
        'src/routes/uploads.ts:44 local-fs-write',
        'src/routes/uploads.ts:62 local-fs-write',
        'src/routes/uploads.ts:73 local-fs-read',
        'src/routes/uploads.ts:80 local-fs-write',
        'src/server.ts:31 in-memory-session-store',
        'src/server.ts:48 static-files-from-disk',
        'src/server.ts:62 node-only-builtin',
        'src/services/imageService.ts:1 heavy-dependency-import',
        'src/services/imageService.ts:1 native-module-import',
        'src/services/pdfService.ts:1 heavy-dependency-import',
        'src/services/userService.ts:19 in-memory-cache-in-handler',
      ],
    );
  });

  it('attributes hazards to the routes that reach them, across files', () => {
    // The article cache is written by the article routes only; the session and the request counter apply to all.
    assert.deepEqual(hazardsOf(r, 'http:GET:/health', ['in-memory-cache', 'local-fs-write', 'child-process']), [
      'in-memory-cache',
    ]);
    assert.deepEqual(hazardsOf(r, 'http:GET:/api/reports/export', ['child-process', 'long-running']), [
      'child-process',
      'long-running',
    ]);
    assert.deepEqual(hazardsOf(r, 'http:POST:/api/uploads/images', ['local-fs-write', 'native-module']), [
      'local-fs-write',
      'native-module',
    ]);
    assert.deepEqual(hazardsOf(r, 'websocket:/ws', ['websocket', 'module-state']), ['module-state', 'websocket']);
    const cache = r.findings.find(
      (f) => f.location.file === 'src/routes/articles.ts' && f.hazard === 'in-memory-cache',
    )!;
    assert.deepEqual(cache.components, [
      'http:DELETE:/api/articles/:id',
      'http:GET:/api/articles',
      'http:POST:/api/articles',
      'http:PUT:/api/articles/:id',
    ]);
  });

  it('does not flag the look-alikes', () => {
    const files = new Set(r.findings.map((f) => f.location.file));
    for (const f of [
      'src/config.ts',
      'src/utils/retry.ts',
      'src/services/storage.ts',
      'src/services/mailer.ts',
      'src/services/orderService.ts',
    ]) {
      assert.ok(!files.has(f), `${f} has findings`);
    }
    assert.equal(component(r, 'http:GET:/api/articles/:id').handler?.line, 62);
  });
});
