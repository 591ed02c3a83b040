import * as assert from 'node:assert/strict';
import { analyzeFiles, analyzeFixture, component, hazardsOf, names } from '../helpers';

describe('express detector', () => {
  it('finds routes across CommonJS and TS files with mount prefixes, route chains, factories and untyped registrars', () => {
    const r = analyzeFixture('express');
    assert.deepEqual(names(r), [
      'DELETE /api/v1/users/:id',
      'GET /',
      'GET /api/v1/items',
      'GET /api/v1/items/all',
      'GET /api/v1/users',
      'GET /api/v1/users/:id',
      'POST /admin/reindex',
      'PUT /api/v1/items/:id',
    ]);
    const del = component(r, 'http:DELETE:/api/v1/users/:id');
    assert.equal(del.framework, 'express');
    assert.deepEqual(del.trigger, { type: 'http', method: 'DELETE', path: '/api/v1/users/:id' });
    assert.deepEqual(del.location, { file: 'routes/users.js', line: 10, column: 1 });
    assert.deepEqual(del.handler, { file: 'routes/users.js', line: 13, column: 11 });
    // The pool is reached through db.deleteUser (exports.deleteUser in lib/db.js).
    assert.deepEqual(hazardsOf(r, 'http:DELETE:/api/v1/users/:id'), ['connection-pool']);
    assert.deepEqual(hazardsOf(r, 'http:GET:/'), []);
    // A reader of module state written elsewhere is affected too.
    assert.deepEqual(hazardsOf(r, 'http:GET:/api/v1/items'), ['module-state']);
  });

  it('ignores look-alikes: settings reads, non-express objects with get/use', () => {
    const r = analyzeFiles({
      'package.json': '{"dependencies":{"express":"4"}}',
      'a.ts': `
        import express from 'express';
        const app = express();
        app.get('trust proxy');
        const client = { get: (_p: string, _f: () => void) => {} };
        client.get('/x', () => {});
        // app.get('/commented', h)
        const s = "app.get('/in-a-string', h)";
        export { app, s };
      `,
      'b.ts': `
        import { Hono } from 'hono';
        const app = new Hono();
        app.get('/hono', (c) => c.text('hi'));
      `,
    });
    assert.deepEqual(
      names(r).filter((n) => !n.includes('hono')),
      [],
    );
  });

  it('joins nested prefixes and applies middleware registered before a mount only', () => {
    const r = analyzeFiles({
      'server.ts': `
        import express from 'express';
        import session from 'express-session';
        import admin from './admin';
        const app = express();
        app.use(session({ secret: 's' }));
        app.use('/api/admin/', admin);
        app.use(express.static('public'));
        app.listen(3000);
      `,
      'admin.ts': `
        import { Router } from 'express';
        import users from './users';
        const r = Router();
        r.use('/users', users);
        export default r;
      `,
      'users.ts': `
        import express from 'express';
        const router = express.Router();
        router.get('/:id', (req, res) => res.json({ id: req.params.id }));
        export default router;
      `,
    });
    assert.deepEqual(names(r), ['GET /api/admin/users/:id']);
    assert.deepEqual(hazardsOf(r, 'http:GET:/api/admin/users/:id'), ['in-memory-session']);
  });

  it('resolves typed registrar functions, template paths and path arrays', () => {
    const r = analyzeFiles({
      'app.ts': `
        import express from 'express';
        import { registerRoutes } from './routes';
        const app = express();
        registerRoutes(app);
      `,
      'routes.ts': `
        import type { Express } from 'express';
        const V = 'v2';
        export function registerRoutes(server: Express): void {
          server.get(\`/\${V}/ping\`, (_req, res) => res.send('pong'));
          server.post(['/a', '/b'], (_req, res) => res.end());
        }
      `,
    });
    assert.deepEqual(names(r), ['GET /v2/ping', 'POST /a', 'POST /b']);
  });

  it('does not loop on routers mounted into each other', () => {
    const r = analyzeFiles({
      'a.ts': `
        import { Router } from 'express';
        export const a = Router();
        export const b = Router();
        a.use('/b', b);
        b.use('/a', a);
        b.get('/x', (_q, s) => s.end());
      `,
    });
    assert.deepEqual(names(r), ['GET /x']);
  });
});
