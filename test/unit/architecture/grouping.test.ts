import * as assert from 'node:assert/strict';
import { buildArchitecture, DEFAULT_MAX_NODES } from '../../../src/core/architecture/model';
import { renderMermaid } from '../../../src/core/present/mermaid';
import type { ArchitectureGraph, Report } from '../../../src/core/model';
import { analyzeFiles } from '../helpers';
import { fakeReport, job, route } from './fakes';
import { checkMermaid } from './mermaidCheck';

const RESOURCES = [
  'users',
  'orders',
  'invoices',
  'products',
  'carts',
  'payments',
  'shipments',
  'reviews',
  'coupons',
  'addresses',
  'wishlists',
  'returns',
  'stores',
  'suppliers',
  'warehouses',
  'categories',
  'brands',
  'tags',
  'banners',
  'pages',
  'comments',
  'tickets',
  'refunds',
  'subscriptions',
  'webhooks',
];

/** An Express app with 25 routers of 8 routes each under /api/v1, backed by pg, plus two jobs: 200 routes. */
function generatedApp(): Record<string, string> {
  const files: Record<string, string> = {
    'package.json': JSON.stringify({
      name: 'big-shop',
      main: 'dist/server.js',
      dependencies: { express: '^4.21.0', pg: '^8.12.0', 'node-cron': '^3.0.3' },
    }),
    'src/db.ts': "import { Pool } from 'pg';\nexport const pool = new Pool({ max: 5 });\n",
    'src/jobs.ts': [
      "import cron from 'node-cron';",
      "import { pool } from './db';",
      "cron.schedule('0 * * * *', async () => { await pool.query('delete from carts where old'); });",
      "cron.schedule('30 2 * * *', async () => { await pool.query('vacuum'); });",
      '',
    ].join('\n'),
  };
  const server = ["import express from 'express';", "import './jobs';"];
  const mounts: string[] = [];
  for (const res of RESOURCES) {
    server.push(`import ${res} from './routes/${res}';`);
    mounts.push(`app.use('/api/v1/${res}', ${res});`);
    files[`src/routes/${res}.ts`] = [
      "import { Router } from 'express';",
      "import { pool } from '../db';",
      'const r = Router();',
      "r.get('/', async (_q, s) => s.json((await pool.query('select 1')).rows));",
      "r.post('/', async (q, s) => s.json((await pool.query('insert', [q.body])).rows));",
      "r.get('/:id', async (q, s) => s.json((await pool.query('select', [q.params.id])).rows));",
      "r.put('/:id', async (q, s) => s.json((await pool.query('update', [q.params.id])).rows));",
      "r.delete('/:id', async (q, s) => s.json((await pool.query('delete', [q.params.id])).rows));",
      "r.get('/:id/history', async (q, s) => s.json((await pool.query('history', [q.params.id])).rows));",
      "r.post('/search', async (q, s) => s.json((await pool.query('search', [q.body])).rows));",
      "r.get('/export/csv', async (_q, s) => s.json((await pool.query('export')).rows));",
      'export default r;',
      '',
    ].join('\n');
  }
  files['src/server.ts'] = [...server, 'const app = express();', ...mounts, 'app.listen(3000);', ''].join('\n');
  return files;
}

function unitNodes(g: ArchitectureGraph): ArchitectureGraph['nodes'] {
  return g.nodes.filter((n) => n.kind === 'component' || n.kind === 'group');
}

/** Every component is drawn exactly once (a group stands for its members; proposal parts split them). */
function assertCovers(g: ArchitectureGraph, report: Report): void {
  const drawn = g.nodes.flatMap((n) => n.components ?? []);
  const shown = report.components.filter((c) => c.classification?.target !== 'keep').map((c) => c.id);
  assert.deepEqual([...drawn].sort(), [...shown].sort());
}

describe('architecture grouping and its bound', () => {
  describe(`a generated app with 200 routes (bound: ${DEFAULT_MAX_NODES} nodes per diagram)`, function () {
    this.timeout(60_000);
    let r: Report;
    before(() => {
      r = analyzeFiles(generatedApp());
    });

    it('finds the 200 routes and the 2 jobs', () => {
      assert.equal(r.components.filter((c) => c.kind === 'http-route').length, 200);
      assert.equal(r.components.filter((c) => c.kind === 'scheduled-job').length, 2);
    });

    it('draws each diagram within the bound, one node per resource', () => {
      for (const g of [r.architecture!.current, r.architecture!.proposed]) {
        assert.ok(g.nodes.length <= DEFAULT_MAX_NODES, `${g.nodes.length} nodes`);
        assertCovers(g, r);
      }
      const groups = r.architecture!.current.nodes.filter((n) => n.kind === 'group');
      assert.deepEqual(groups.map((n) => n.label).sort(), RESOURCES.map((x) => `/api/v1/${x}`).sort());
      assert.ok(groups.every((n) => n.group!.count === 8 && n.details!.includes('8 routes')));
      assert.equal(r.architecture!.current.nodes.length, 25 + 2 + 2); // groups, jobs, clients, PostgreSQL
    });

    it('keeps the Mermaid text well formed at that size', () => {
      checkMermaid(renderMermaid(r.architecture!.current));
      checkMermaid(renderMermaid(r.architecture!.proposed));
    });

    it('keeps a smaller bound by folding resources together, and opens them on request', () => {
      const small = buildArchitecture(r, { maxNodes: 15 });
      for (const g of [small.current, small.proposed]) {
        assert.ok(g.nodes.length <= 15, `${g.nodes.length} nodes`);
        assertCovers(g, r);
      }
      const more = small.current.nodes.find((n) => n.group?.id === 'routes:/api/v1~more');
      assert.ok(more, small.current.nodes.map((n) => n.group?.id ?? n.label).join(', '));
      assert.equal(more.label, '/api/v1/… (other routes)');
      const opened = buildArchitecture(r, { maxNodes: 15, expanded: ['routes:/api/v1~more'] }).current;
      assert.ok(!opened.nodes.some((n) => n.group?.id === 'routes:/api/v1~more'));
      assert.equal(unitNodes(opened).filter((n) => n.kind === 'group').length, 25);
      assertCovers(opened, r);
    });
  });

  describe('at sizes no fixture reaches', () => {
    it('folds 120 resources (480 routes) into the largest ones and one "more" group, within the bound', () => {
      const comps = [];
      for (let i = 0; i < 120; i++) {
        const n = 2 + (i % 5);
        for (let k = 0; k < n; k++)
          comps.push(route(k % 2 ? 'POST' : 'GET', `/api/res${i}/${k}`, k % 3 ? 'faas' : 'container'));
      }
      const report = fakeReport(comps);
      const { current, proposed } = buildArchitecture(report);
      for (const g of [current, proposed]) {
        assert.ok(g.nodes.length <= DEFAULT_MAX_NODES, `${g.nodes.length} nodes`);
        assertCovers(g, report);
        checkMermaid(renderMermaid(g));
      }
      assert.ok(current.nodes.some((n) => n.group?.id === 'routes:/api~more'));
    });

    it('folds many scheduled jobs into one node per kind when they would take over half the budget', () => {
      const report = fakeReport([
        ...Array.from({ length: 60 }, (_, i) => job(i)),
        ...Array.from({ length: 10 }, (_, i) => route('GET', `/r${i}`)),
      ]);
      const { current, proposed } = buildArchitecture(report);
      for (const g of [current, proposed]) {
        assert.ok(g.nodes.length <= DEFAULT_MAX_NODES, `${g.nodes.length} nodes`);
        assertCovers(g, report);
      }
      const jobs = current.nodes.find((n) => n.group?.id === 'kind:scheduled-job');
      assert.ok(jobs);
      assert.deepEqual([jobs.label, jobs.details], ['Scheduled jobs', ['baas', '60 scheduled jobs']]);
      const open = buildArchitecture(report, { expanded: ['kind:scheduled-job'] }).current;
      assert.equal(open.nodes.filter((n) => n.components?.[0]?.startsWith('schedule:')).length, 60);
    });

    it('names route groups by process when several processes serve routes', () => {
      const a = route('GET', '/api/a/1');
      const b = route('GET', '/api/a/2');
      const c = route('GET', '/api/b/1');
      const d = route('GET', '/api/b/2');
      const report = fakeReport([a, b, c, d]);
      report.processes = [
        { id: 'process:api.ts', name: 'api', entry: 'api.ts', basis: 'test', components: [a.id, b.id] },
        { id: 'process:admin.ts', name: 'admin', entry: 'admin.ts', basis: 'test', components: [c.id, d.id] },
      ];
      const { current } = buildArchitecture(report);
      assert.deepEqual(
        current.nodes
          .filter((n) => n.group)
          .map((n) => n.group!.id)
          .sort(),
        ['routes:/api/a@process:api.ts', 'routes:/api/b@process:admin.ts'],
      );
      assert.equal(current.clusters?.length, 2);
    });
  });
});
