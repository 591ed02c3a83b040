import * as assert from 'node:assert/strict';
import { DETECTORS } from '../../../src/core/detect/registry';
import { fastifyDetector } from '../../../src/core/detect/fastify';
import { analyzeFixture, component, names } from '../helpers';
import { analyzer, reached, summaryWith, touchProbe } from '../probes';

const detectors = [fastifyDetector, touchProbe];
const run = analyzer(detectors);
const summary = summaryWith('name', 'framework');

describe('fastify detector', () => {
  it('reads shorthand routes, route() with a method list, options objects and all()', () => {
    const r = run({
      'src/server.ts': `import Fastify from 'fastify';
const app = Fastify({ logger: true });
app.get('/health', async () => ({ ok: true }));
app.post('/items', { schema: { body: {} } }, async (req) => req.body);
app.get('/items/:id', { handler: async () => ({}) });
app.route({ method: ['GET', 'POST'], url: '/search', handler: async () => [] });
app.route({ method: 'delete', path: '/items/:id', handler: async () => null });
app.all('/proxy/*', async () => null);
app.listen({ port: 3000 });
`,
    });
    assert.deepEqual(summary(r), [
      'http:GET:/health | GET /health | fastify | src/server.ts:3:1',
      'http:POST:/items | POST /items | fastify | src/server.ts:4:1',
      'http:GET:/items/:id | GET /items/:id | fastify | src/server.ts:5:1',
      'http:GET:/search | GET /search | fastify | src/server.ts:6:1',
      'http:POST:/search | POST /search | fastify | src/server.ts:6:1',
      'http:DELETE:/items/:id | DELETE /items/:id | fastify | src/server.ts:7:1',
      'http:ALL:/proxy/* | ALL /proxy/* | fastify | src/server.ts:8:1',
    ]);
    assert.deepEqual(component(r, 'http:DELETE:/items/:id').trigger, {
      type: 'http',
      method: 'DELETE',
      path: '/items/:id',
    });
  });

  it('knows instances made by a named import, a required factory and an inline require, and chained calls', () => {
    const r = run({
      'a.ts': `import { fastify } from 'fastify';\nconst server = fastify();\nserver.get('/a', async () => 1).post('/a', async () => 2);\n`,
      'b.js': `const fastify = require('fastify');\nconst app = fastify({ logger: true });\napp.register(async (i) => { i.get('/b', async () => 1); }).get('/b2', async () => 2);\n`,
      'c.js': `const app = require('fastify')();\napp.put('/c', function (req, reply) { reply.send(1); });\n`,
    });
    assert.deepEqual(names(r), ['GET /a', 'GET /b', 'GET /b2', 'POST /a', 'PUT /c']);
  });

  it('nests the prefixes of plugins registered across files: ES default exports, require(), import() and fastify-plugin', () => {
    const r = run({
      'src/server.ts': `import Fastify from 'fastify';
import fp from 'fastify-plugin';
import users from './users';
const app = Fastify();
app.register(users, { prefix: '/v1/users' });
app.register(async (api) => {
  api.get('/ping', async () => 'pong');
}, { prefix: '/api' });
app.register(fp(async (f) => { f.get('/decorated', async () => 1); }), { prefix: '/ignored' });
app.register(import('./admin'), { prefix: '/admin' });
`,
      'src/users.ts': `export default async function (fastify, opts) {
  fastify.get('/', async () => []);
  fastify.register(require('./posts'), { prefix: '/:id/posts' });
}
`,
      'src/posts.js': `module.exports = async function (app) {
  app.post('/', async () => ({}));
};
`,
      'src/admin.ts': `import fp from 'fastify-plugin';
export default fp(async function admin(instance) {
  instance.delete('/cache', async () => null);
});
`,
    });
    assert.deepEqual(summary(r), [
      'http:DELETE:/cache | DELETE /cache | fastify | src/admin.ts:3:3',
      'http:POST:/v1/users/:id/posts | POST /v1/users/:id/posts | fastify | src/posts.js:2:3',
      'http:GET:/api/ping | GET /api/ping | fastify | src/server.ts:7:3',
      'http:GET:/decorated | GET /decorated | fastify | src/server.ts:9:32',
      'http:GET:/v1/users | GET /v1/users | fastify | src/users.ts:2:3',
    ]);
  });

  it('reports a plugin registered twice under both prefixes, and the same route twice with a suffix', () => {
    const r = run({
      'server.ts': `import Fastify from 'fastify';
import routes from './routes';
const app = Fastify();
app.register(routes, { prefix: '/v1' });
app.register(routes, { prefix: '/v2' });
app.get('/v1/list', async () => []);
`,
      'routes.ts': `export default async function routes(app) { app.get('/list', async () => []); }\n`,
    });
    assert.deepEqual(summary(r), [
      'http:GET:/v1/list | GET /v1/list | fastify | routes.ts:1:45',
      'http:GET:/v2/list | GET /v2/list | fastify | routes.ts:1:45',
      'http:GET:/v1/list#2 | GET /v1/list | fastify | server.ts:6:1',
    ]);
  });

  it('follows an instance handed to a function, and counts typed plugins nobody registers at the root', () => {
    const r = run({
      'src/app.ts': `import Fastify from 'fastify';
import { registerRoutes } from './routes';
const app = Fastify();
registerRoutes(app);
`,
      'src/routes.ts': `export function registerRoutes(server) {
  server.get('/from-helper', async () => 1);
}
`,
      'src/autoloaded.ts': `import type { FastifyPluginAsync, FastifyInstance } from 'fastify';
const plugin: FastifyPluginAsync = async (app) => {
  app.get('/auto', async () => 1);
};
export default plugin;
export async function more(app: FastifyInstance) {
  app.get('/typed', async () => 2);
}
`,
    });
    assert.deepEqual(summary(r), [
      'http:GET:/auto | GET /auto | fastify | src/autoloaded.ts:3:3',
      'http:GET:/typed | GET /typed | fastify | src/autoloaded.ts:7:3',
      'http:GET:/from-helper | GET /from-helper | fastify | src/routes.ts:2:3',
    ]);
  });

  it('attributes handlers, preHandler/onRequest hooks and instance hooks to their routes only', () => {
    const r = run({
      'server.ts': `import Fastify from 'fastify';
import { list, audit } from './handlers';
const app = Fastify();
app.get('/open', async () => 1);
app.register(async (secure) => {
  secure.addHook('onRequest', audit);
  secure.get('/list', { preHandler: [check] }, list);
  secure.route({ method: 'GET', url: '/one', onRequest: check, handler: async () => 1 });
}, { prefix: '/s' });
function check() { touch(); }
`,
      'handlers.ts': `export async function list() { touch(); return []; }
export async function audit() { touch(); }
export async function unused() { touch(); }
`,
    });
    assert.deepEqual(reached(r), [
      'handlers.ts:1 -> http:GET:/s/list',
      'handlers.ts:2 -> http:GET:/s/list, http:GET:/s/one',
      'server.ts:10 -> http:GET:/s/list, http:GET:/s/one',
    ]);
    assert.deepEqual(component(r, 'http:GET:/s/list').handler, { file: 'handlers.ts', line: 1, column: 1 });
  });

  it('ignores look-alikes: other objects with get/route/register, unregistered untyped functions, comments and strings', () => {
    const r = run({
      'src/lookalikes.ts': `import fastify from 'not-fastify';
import express from 'express';
// app.get('/commented', h) -- fastify()
const cache = new Map();
cache.get('/key');
const other = fastify();
other.get('/other-lib', async () => 1);
const e = express();
e.get('/express', (req, res) => res.end());
const text = "app.get('/in-a-string', h) fastify";
export function helper(router) {
  router.get('/never-registered', async () => 1);
}
const registry = { register(fn: unknown, o: unknown) {}, route(o: unknown) {} };
registry.register(async (x: any) => { x.get('/fake', async () => 1); }, { prefix: '/p' });
registry.route({ method: 'GET', url: '/fake-route', handler: () => 1 });
`,
    });
    assert.deepEqual(r.components, []);
  });

  describe('fixture app', () => {
    const r = analyzeFixture('fastify', { detectors: [fastifyDetector] });

    it('finds every route with its full prefix, in TS and CommonJS plugins, and nothing in the store look-alikes', () => {
      assert.deepEqual(summary(r), [
        'http:POST:/api/users/:id/avatar | POST /api/users/:id/avatar | fastify | src/routes/avatars.ts:5:3',
        'http:GET:/healthz | GET /healthz | fastify | src/routes/health.ts:4:3',
        'http:GET:/legacy/status | GET /legacy/status | fastify | src/routes/legacy.js:5:3',
        'http:POST:/legacy/echo | POST /legacy/echo | fastify | src/routes/legacy.js:8:3',
        'http:GET:/api/users | GET /api/users | fastify | src/routes/users.ts:7:3',
        'http:GET:/api/users/:id | GET /api/users/:id | fastify | src/routes/users.ts:9:3',
        'http:PUT:/api/users/:id | PUT /api/users/:id | fastify | src/routes/users.ts:11:3',
        'http:PATCH:/api/users/:id | PATCH /api/users/:id | fastify | src/routes/users.ts:11:3',
      ]);
      assert.deepEqual(component(r, 'http:PUT:/api/users/:id').handler, {
        file: 'src/routes/users.ts',
        line: 15,
        column: 14,
      });
    });

    it('is registered: the default analysis finds the same routes and attributes the disk write and the hook state', () => {
      const full = analyzeFixture('fastify', { detectors: DETECTORS });
      assert.deepEqual(
        full.components.filter((c) => c.framework === 'fastify').map((c) => c.id),
        r.components.map((c) => c.id),
      );
      const write = full.findings.find((f) => f.ruleId === 'local-fs-write')!;
      assert.deepEqual(
        [write.location.file, write.location.line, write.components],
        ['src/routes/avatars.ts', 6, ['http:POST:/api/users/:id/avatar']],
      );
      const hookState = full.findings.find((f) => f.location.file === 'src/hooks/auth.ts')!;
      assert.deepEqual(hookState.components, [
        'http:GET:/api/users/:id',
        'http:PATCH:/api/users/:id',
        'http:PUT:/api/users/:id',
      ]);
    });
  });
});
