import * as assert from 'node:assert/strict';
import { httpServerDetector } from '../../../src/core/detect/httpServer';
import { DETECTORS } from '../../../src/core/detect/registry';
import { analyzeFixture, component } from '../helpers';
import { analyzer, reached, summaryWith, touchProbe } from '../probes';

const detectors = [httpServerDetector, touchProbe];
const run = analyzer(detectors);
const summary = summaryWith('name', 'framework');

describe('node http server detector', () => {
  it('gives a server whose listener does not dispatch one ALL /* component, for every module and import form', () => {
    const r = run({
      'a.js': `const http = require('http');\nhttp.createServer((req, res) => res.end('a')).listen(1);\n`,
      'b.ts': `import { createServer } from 'node:http';\nconst server = createServer(function (req, res) { res.end('b'); });\n`,
      'c.ts': `import * as https from 'https';\nhttps.createServer({ key: '', cert: '' }, (req, res) => res.end()).listen(2);\n`,
      'd.ts': `import http2 from 'node:http2';\nhttp2.createSecureServer({}, (req, res) => res.end());\n`,
      'e.ts': `import http from 'http';\nnew http.Server(handler);\nfunction handler(req: unknown, res: { end(): void }) { res.end(); }\n`,
    });
    assert.deepEqual(summary(r), [
      'http:ALL:/* | ALL /* | node-http | a.js:2:1',
      'http:ALL:/*#2 | ALL /* | node-http | b.ts:2:16',
      'http:ALL:/*#3 | ALL /* | node-http | c.ts:2:1',
      'http:ALL:/*#4 | ALL /* | node-http | d.ts:2:1',
      'http:ALL:/*#5 | ALL /* | node-http | e.ts:2:1',
    ]);
    assert.deepEqual(component(r, 'http:ALL:/*').trigger, { type: 'http', method: 'ALL', path: '/*' });
  });

  it('emits one component per literal path the listener dispatches on, with the methods checked around it', () => {
    const r = run({
      'server.ts': `import http from 'node:http';
http.createServer((req, res) => {
  if (req.url === '/plain') return res.end();
  if (req.method === 'POST' && req.url === '/same-condition') return res.end();
  if (req.method === 'PUT') {
    if ('/enclosing' == req.url) return res.end();
  }
  const url = new URL(req.url!, 'http://x');
  if (url.pathname === '/inside') {
    if (req.method === 'GET') return res.end();
    if (req.method === 'HEAD') return res.end();
  }
  switch (req.url) {
    case '/switch':
      return res.end();
    case '/switch-post':
      if (req.method !== 'POST') return res.end();
      return res.end();
  }
  if (req.url.startsWith('/prefix')) return res.end();
  res.statusCode = 404;
  res.end();
});
`,
    });
    assert.deepEqual(summary(r), [
      'http:ALL:/plain | ALL /plain | node-http | server.ts:3:7',
      'http:POST:/same-condition | POST /same-condition | node-http | server.ts:4:32',
      'http:PUT:/enclosing | PUT /enclosing | node-http | server.ts:6:9',
      'http:GET:/inside | GET /inside | node-http | server.ts:9:7',
      'http:HEAD:/inside | HEAD /inside | node-http | server.ts:9:7',
      'http:ALL:/switch | ALL /switch | node-http | server.ts:14:5',
      'http:POST:/switch-post | POST /switch-post | node-http | server.ts:16:5',
    ]);
  });

  it('follows a listener from another file and a request listener added with on(), and attributes its code', () => {
    const r = run({
      'server.js': `const http = require('http');
const { handle } = require('./handler');
const server = http.createServer();
server.on('request', handle);
server.on('close', () => touch());
`,
      'handler.js': `function handle(req, res) {
  const { url, method } = req;
  if (url === '/a' && method === 'GET') { touch(); return res.end(); }
  res.end();
}
module.exports = { handle };
`,
    });
    assert.deepEqual(summary(r), ['http:GET:/a | GET /a | node-http | handler.js:3:7']);
    assert.deepEqual(component(r, 'http:GET:/a').handler, { file: 'handler.js', line: 1, column: 1 });
    assert.deepEqual(reached(r), ['handler.js:3 -> http:GET:/a']);
  });

  it('is no component when the listener is a framework app, made in the same file or another, or a wrapper around one', () => {
    const r = run({
      'src/express.ts': `import http from 'node:http';
import express from 'express';
const app = express();
http.createServer(app).listen(3000);
http.createServer((req, res) => app(req, res));
`,
      'src/koa.js': `const http = require('http');
const app = require('./koaApp');
http.createServer(app.callback()).listen(3001);
`,
      'src/koaApp.js': `const Koa = require('koa');\nmodule.exports = new Koa();\n`,
      'src/fastify.ts': `import { createServer } from 'http';
import { app } from './fastifyApp';
createServer((req, res) => { app.routing(req, res); });
`,
      'src/fastifyApp.ts': `import Fastify from 'fastify';\nexport const app = Fastify();\n`,
    });
    assert.deepEqual(r.components, []);
  });

  it('ignores look-alikes: TCP and Vite servers, local createServer functions, clients, comments and strings', () => {
    const r = run({
      'src/x.ts': `import net from 'node:net';
import http from 'node:http';
import { createServer as vite } from 'vite';
// http.createServer((req, res) => res.end());
net.createServer((socket) => socket.end()).listen(1);
vite({ server: { middlewareMode: true } });
function createServer(fn: () => void) { return fn; }
createServer(() => undefined);
http.get('http://example.com', (res) => res.resume());
http.createServer({ keepAlive: true });
const s = "http.createServer((req, res) => res.end())";
`,
    });
    assert.deepEqual(r.components, []);
  });

  describe('fixture app', () => {
    const r = analyzeFixture('node-http', { detectors: [httpServerDetector] });

    it('finds the dispatched paths, the catch-all metrics server and the secure login, not the Express app nor clients', () => {
      assert.deepEqual(summary(r), [
        'http:GET:/health | GET /health | node-http | lib/router.js:6:31',
        'http:POST:/upload | POST /upload | node-http | lib/router.js:8:14',
        'http:DELETE:/upload | DELETE /upload | node-http | lib/router.js:8:14',
        'http:ALL:/version | ALL /version | node-http | lib/router.js:18:7',
        'http:ALL:/* | ALL /* | node-http | src/metrics.ts:6:1',
        'http:POST:/login | POST /login | node-http | src/secure.ts:11:7',
      ]);
      assert.deepEqual(component(r, 'http:POST:/login').handler, { file: 'src/secure.ts', line: 9, column: 1 });
    });

    it('is registered: the default analysis finds the same components and charges the handler hazards to them', () => {
      const full = analyzeFixture('node-http', { detectors: DETECTORS });
      assert.deepEqual(
        full.components.filter((c) => c.framework === 'node-http').map((c) => c.id),
        r.components.map((c) => c.id),
      );
      assert.deepEqual(
        full.components.filter((c) => c.framework !== 'node-http').map((c) => `${c.framework} ${c.id}`),
        ['express http:GET:/api/items'],
      );
      const state = full.findings.find((f) => f.location.file === 'src/metrics.ts' && f.hazard === 'module-state')!;
      assert.deepEqual(state.components, ['http:ALL:/*']);
      const writes = full.findings.filter((f) => f.ruleId === 'local-fs-write').map((f) => f.location.line);
      assert.deepEqual(writes, [10, 13]);
    });
  });
});
