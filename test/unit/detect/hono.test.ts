import * as assert from 'node:assert/strict';
import { honoDetector } from '../../../src/core/detect/hono';
import { DETECTORS } from '../../../src/core/detect/registry';
import { analyzeFixture, component, names } from '../helpers';
import { analyzer, reached, summaryWith, touchProbe } from '../probes';

const detectors = [honoDetector, touchProbe];
const run = analyzer(detectors);
const summary = summaryWith('name', 'framework');

describe('hono detector', () => {
  it('reads verbs, all(), on() with one or several methods and paths, and chains', () => {
    const r = run({
      'src/index.ts': `import { Hono } from 'hono';
const app = new Hono();
app.get('/', (c) => c.text('hi'));
app.all('/proxy/*', (c) => c.text('p'));
app.on('purge', '/cache', (c) => c.text('ok'));
app.on(['GET', 'POST'], ['/form', '/form/:step'], (c) => c.text('f'));
app.post('/a', (c) => c.text('a')).delete('/a/:id', (c) => c.text('d'));
app.get((c) => c.text('no path: continues the previous route'));
export default app;
`,
    });
    assert.deepEqual(summary(r), [
      'http:GET:/ | GET / | hono | src/index.ts:3:1',
      'http:ALL:/proxy/* | ALL /proxy/* | hono | src/index.ts:4:1',
      'http:PURGE:/cache | PURGE /cache | hono | src/index.ts:5:1',
      'http:GET:/form | GET /form | hono | src/index.ts:6:1',
      'http:POST:/form | POST /form | hono | src/index.ts:6:1',
      'http:GET:/form/:step | GET /form/:step | hono | src/index.ts:6:1',
      'http:POST:/form/:step | POST /form/:step | hono | src/index.ts:6:1',
      'http:POST:/a | POST /a | hono | src/index.ts:7:1',
      'http:DELETE:/a/:id | DELETE /a/:id | hono | src/index.ts:7:36',
    ]);
    assert.deepEqual(component(r, 'http:PURGE:/cache').trigger, { type: 'http', method: 'PURGE', path: '/cache' });
  });

  it('joins basePath() and sub-apps mounted with route() across ES and CommonJS files', () => {
    const r = run({
      'src/index.ts': `import { Hono } from 'hono';
import v1 from './v1';
const app = new Hono().basePath('/api');
const admin = app.basePath('/admin');
admin.get('/stats', (c) => c.json({}));
app.route('/v1', v1);
`,
      'src/v1.ts': `import { Hono } from 'hono';
import { users } from './users.js';
const v1 = new Hono();
v1.get('/ping', (c) => c.text('pong'));
v1.route('/users', users);
export default v1;
`,
      'src/users.js': `const { Hono } = require('hono');
const users = new Hono().basePath('/u');
users.get('/:id', (c) => c.json({}));
exports.users = users;
`,
    });
    assert.deepEqual(names(r), ['GET /api/admin/stats', 'GET /api/v1/ping', 'GET /api/v1/users/u/:id']);
  });

  it('charges app-wide middleware to the routes after it, not path-scoped or later middleware', () => {
    const r = run({
      'app.ts': `import { Hono } from 'hono';
import sub from './sub';
const app = new Hono();
app.use(async (c, next) => { touch(); await next(); });
app.use('/admin/*', async (c, next) => { touch(); await next(); });
app.get('/a', (c) => c.text('a'));
app.use('*', async (c, next) => { touch(); await next(); });
app.route('/sub', sub);
`,
      'sub.ts': `import { Hono } from 'hono';
const sub = new Hono();
sub.get('/b', (c) => { touch(); return c.text('b'); });
export default sub;
`,
    });
    assert.deepEqual(reached(r), [
      'app.ts:4 -> http:GET:/a, http:GET:/sub/b',
      'app.ts:7 -> http:GET:/sub/b',
      'sub.ts:3 -> http:GET:/sub/b',
    ]);
  });

  it('ignores look-alikes: Hono of other packages, objects with get/on/route, comments and strings', () => {
    const r = run({
      'src/x.ts': `import { Hono } from './fake-hono';
import express from 'express';
// const app = new (require('hono').Hono)(); app.get('/commented', h);
const fake = new Hono();
fake.get('/fake', () => 1);
const e = express();
e.get('/express', (req, res) => res.end());
const bus = { on(ev: string, p: string, f: () => void) { return f; }, route(p: string, x: unknown) { return x; } };
bus.on('GET', '/bus', () => undefined);
const s = "app.get('/in-string', h) hono";
export function mount(app: any) { app.get('/never-mounted', () => 1); }
`,
      'src/fake-hono.ts': `export class Hono { get(p: string, f: unknown) { return this; } }\n`,
    });
    assert.deepEqual(r.components, []);
  });

  describe('fixture app', () => {
    const r = analyzeFixture('hono', { detectors: [honoDetector] });

    it('finds every route under the base path and the mounted sub-apps, TS and CommonJS', () => {
      assert.deepEqual(summary(r), [
        'http:GET:/api | GET /api | hono | src/index.ts:11:1',
        'http:GET:/api/authors | GET /api/authors | hono | src/routes/authors.js:5:1',
        'http:ALL:/api/authors/legacy/* | ALL /api/authors/legacy/* | hono | src/routes/authors.js:6:1',
        'http:GET:/api/books | GET /api/books | hono | src/routes/books.ts:7:1',
        'http:GET:/api/books/:id | GET /api/books/:id | hono | src/routes/books.ts:8:1',
        'http:POST:/api/books | POST /api/books | hono | src/routes/books.ts:9:1',
        'http:PUT:/api/books/:id | PUT /api/books/:id | hono | src/routes/books.ts:14:1',
        'http:PATCH:/api/books/:id | PATCH /api/books/:id | hono | src/routes/books.ts:14:1',
        'http:GET:/api/health | GET /api/health | hono | src/routes/health.ts:5:4',
        'http:GET:/api/ready | GET /api/ready | hono | src/routes/health.ts:6:4',
      ]);
    });

    it('is registered: the default analysis finds the same routes and charges the file export to POST only', () => {
      const full = analyzeFixture('hono', { detectors: DETECTORS });
      assert.deepEqual(
        full.components.filter((c) => c.framework === 'hono').map((c) => c.id),
        r.components.map((c) => c.id),
      );
      const write = full.findings.find((f) => f.ruleId === 'local-fs-write')!;
      assert.deepEqual(
        [write.location.file, write.location.line, write.components],
        ['src/routes/books.ts', 11, ['http:POST:/api/books']],
      );
    });
  });
});
