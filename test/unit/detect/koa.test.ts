import * as assert from 'node:assert/strict';
import { koaDetector } from '../../../src/core/detect/koa';
import { DETECTORS } from '../../../src/core/detect/registry';
import { analyzeFixture, component, names } from '../helpers';
import { analyzer, reached, summaryWith, touchProbe } from '../probes';

const detectors = [koaDetector, touchProbe];
const run = analyzer(detectors);
const summary = summaryWith('name', 'framework');

describe('koa detector', () => {
  it('reads verbs, del, all, named routes, path arrays, the router prefix option and chains', () => {
    const r = run({
      'src/app.ts': `import Koa from 'koa';
import Router from '@koa/router';
const app = new Koa();
const router = new Router({ prefix: '/api' });
router.get('/items', async (ctx) => { ctx.body = []; });
router.post('create-item', '/items', async (ctx) => { ctx.status = 201; });
router.del('/items/:id', async (ctx) => { ctx.status = 204; }).all('/any', async () => {});
router.put(['/a', '/b'], async () => {});
app.use(router.routes()).use(router.allowedMethods());
app.listen(3000);
`,
    });
    assert.deepEqual(summary(r), [
      'http:GET:/api/items | GET /api/items | koa | src/app.ts:5:1',
      'http:POST:/api/items | POST /api/items | koa | src/app.ts:6:1',
      'http:DELETE:/api/items/:id | DELETE /api/items/:id | koa | src/app.ts:7:1',
      'http:ALL:/api/any | ALL /api/any | koa | src/app.ts:7:64',
      'http:PUT:/api/a | PUT /api/a | koa | src/app.ts:8:1',
      'http:PUT:/api/b | PUT /api/b | koa | src/app.ts:8:1',
    ]);
    assert.deepEqual(component(r, 'http:POST:/api/items').trigger, {
      type: 'http',
      method: 'POST',
      path: '/api/items',
    });
  });

  it('nests routers mounted with use(path, child.routes()) across ES and CommonJS files, and router.prefix()', () => {
    const r = run({
      'src/app.js': `const Koa = require('koa');
const api = require('./api');
const app = new Koa();
app.use(api.routes());
`,
      'src/api.js': `const Router = require('koa-router');
const { users } = require('./users');
const api = Router();
api.prefix('/api/v1');
api.use('/users', users.routes(), users.allowedMethods());
api.get('/status', (ctx) => { ctx.body = 'ok'; });
module.exports = api;
`,
      'src/users.ts': `import Router from '@koa/router';
import { posts } from './posts';
export const users = new Router();
users.get('/', async () => {});
users.get('/:id', async () => {});
users.use('/:id/posts', posts.middleware());
`,
      'src/posts.ts': `import Router from '@koa/router';
export const posts = new Router({ prefix: '/p' });
posts.get('/', async () => {});
`,
    });
    assert.deepEqual(names(r), [
      'GET /api/v1/status',
      'GET /api/v1/users',
      'GET /api/v1/users/:id',
      'GET /api/v1/users/:id/posts/p',
    ]);
  });

  it('reports routers nobody mounts with their own prefix, and one mounted twice under both paths', () => {
    const r = run({
      'a.ts': `import Router from '@koa/router';
const shared = new Router();
shared.get('/x', async () => {});
const v1 = new Router({ prefix: '/v1' });
const v2 = new Router({ prefix: '/v2' });
v1.use(shared.routes());
v2.use(shared.routes());
const lone = new Router({ prefix: '/lone' });
lone.get('/', async () => {});
`,
    });
    assert.deepEqual(names(r), ['GET /lone', 'GET /v1/x', 'GET /v2/x']);
  });

  it('gives a router-less Koa app one catch-all component with its middleware as handlers', () => {
    const r = run({
      'src/server.ts': `import Koa from 'koa';
import { log } from './log';
const server = new Koa();
server.use(log);
server.use(async (ctx) => {
  touch();
  ctx.body = 'hello';
});
server.listen(3000);
`,
      'src/log.ts': `export async function log(ctx: unknown, next: () => Promise<void>) { touch(); await next(); }\n`,
      'src/routed.ts': `import Koa from 'koa';
import Router from '@koa/router';
const app = new Koa();
const r = new Router();
r.get('/only', async () => {});
app.use(async (ctx, next) => next());
app.use(r.routes());
`,
    });
    assert.deepEqual(summary(r), [
      'http:GET:/only | GET /only | koa | src/routed.ts:5:1',
      'http:ALL:/* | ALL /* (server) | koa | src/server.ts:3:16',
    ]);
    assert.deepEqual(component(r, 'http:ALL:/*').trigger, { type: 'http', method: 'ALL', path: '/*' });
    assert.deepEqual(component(r, 'http:ALL:/*').handler, { file: 'src/server.ts', line: 5, column: 12 });
    assert.deepEqual(reached(r), ['src/log.ts:1 -> http:ALL:/*', 'src/server.ts:6 -> http:ALL:/*']);
  });

  it('charges middleware registered before a route or mount to it, not middleware registered after', () => {
    const r = run({
      'app.ts': `import Koa from 'koa';
import Router from '@koa/router';
const app = new Koa();
const router = new Router();
app.use(async (ctx, next) => { touch(); await next(); });
router.use(async (ctx, next) => { touch(); await next(); });
router.get('/a', async () => {});
router.use(async (ctx, next) => { touch(); await next(); });
router.get('/b', async () => {});
app.use(router.routes());
app.use(async () => { touch(); });
`,
    });
    assert.deepEqual(reached(r), [
      'app.ts:5 -> http:GET:/a, http:GET:/b',
      'app.ts:6 -> http:GET:/a, http:GET:/b',
      'app.ts:8 -> http:GET:/b',
    ]);
  });

  it('ignores look-alikes: Router and Koa of other packages, plain objects with get/use, comments and strings', () => {
    const r = run({
      'src/x.ts': `import { Router } from 'express';
import VueRouter from 'vue-router';
import Koa from './myKoa';
// const r = new (require('@koa/router'))(); r.get('/commented', h);
const a = Router();
a.get('/express', (req, res) => res.end());
const b = new VueRouter();
b.get('/vue', () => {});
const k = new Koa();
k.use(async () => {});
const store = { get(p: string, v: unknown) { return v; }, use(f: unknown) { return f; } };
store.get('/store', 1);
const s = "router.get('/in-string', h) koa";
export function routes(router: any) { router.get('/never-mounted', () => {}); }
`,
      'src/myKoa.ts': `export default class Koa { use(f: unknown) { return f; } }\n`,
    });
    assert.deepEqual(r.components, []);
  });

  describe('fixture app', () => {
    const r = analyzeFixture('koa', { detectors: [koaDetector] });

    it('finds every route across TS and CommonJS routers, and the router-less admin app', () => {
      assert.deepEqual(summary(r), [
        'http:ALL:/* | ALL /* (admin) | koa | src/admin.js:6:15',
        'http:GET:/api/health | GET /api/health | koa | src/routes/api.ts:9:1',
        'http:GET:/api/articles | GET /api/articles | koa | src/routes/articles.js:8:1',
        'http:DELETE:/api/articles/:id | DELETE /api/articles/:id | koa | src/routes/articles.js:11:1',
        'http:GET:/api/books | GET /api/books | koa | src/routes/books.ts:8:4',
        'http:GET:/api/books/:id | GET /api/books/:id | koa | src/routes/books.ts:11:4',
        'http:POST:/api/books | POST /api/books | koa | src/routes/books.ts:14:4',
      ]);
      assert.deepEqual(component(r, 'http:ALL:/*').handler, { file: 'src/admin.js', line: 7, column: 11 });
    });

    it('is registered: the default analysis finds the same routes, charges app middleware to them and disk writes to their route', () => {
      const full = analyzeFixture('koa', { detectors: DETECTORS });
      assert.deepEqual(
        full.components.filter((c) => c.framework === 'koa').map((c) => c.id),
        r.components.map((c) => c.id),
      );
      const writes = full.findings
        .filter((f) => f.ruleId === 'local-fs-write')
        .map((f) => `${f.location.file}:${f.location.line} -> ${f.components.join(', ')}`);
      assert.deepEqual(writes, [
        'src/admin.js:8 -> http:ALL:/*',
        'src/routes/articles.js:12 -> http:DELETE:/api/articles/:id',
      ]);
      const timing = full.findings.find((f) => f.location.file === 'src/lib/timing.ts')!;
      assert.deepEqual(timing.components, [
        'http:DELETE:/api/articles/:id',
        'http:GET:/api/articles',
        'http:GET:/api/books',
        'http:GET:/api/books/:id',
        'http:GET:/api/health',
        'http:POST:/api/books',
      ]);
    });
  });
});
