import * as assert from 'node:assert/strict';
import { websocketsDetector } from '../../../src/core/detect/websockets';
import { analyzeFixture, component, findingKeys } from '../helpers';
import { analyzer, mapProbe, summaryWith } from '../probes';
import { validateReport } from '../schemaValidate';

const detectors = [websocketsDetector, mapProbe];
const analyze = analyzer(detectors, { check: validateReport });
const summary = summaryWith('kind', 'name');

describe('websockets detector', () => {
  describe('fixture app', () => {
    const r = analyzeFixture('websockets', { detectors });

    it('finds each ws server, socket.io namespace and uWS route, and no client or TCP server', () => {
      validateReport(r);
      assert.deepEqual(summary(r), [
        'websocket:/feed/* | websocket | uWS /feed/* | src/feed.ts:5:4',
        'websocket:/live | websocket | ws /live | src/live.js:3:13',
        'websocket:socket.io/admin | websocket | socket.io /admin: kick | src/sockets/admin.ts:7:1',
        'websocket:socket.io/ | websocket | socket.io /: chat:message, typing, presence:ping | src/sockets/chat.ts:4:1',
      ]);
      assert.deepEqual(
        r.components.map((c) => c.framework),
        ['uWebSockets.js', 'ws', 'socket.io', 'socket.io'],
      );
      assert.deepEqual(component(r, 'websocket:socket.io/admin').trigger, { type: 'websocket', path: '/admin' });
      assert.deepEqual(component(r, 'websocket:/live').trigger, { type: 'websocket', path: '/live' });
      assert.deepEqual(component(r, 'websocket:socket.io/admin').handler, {
        file: 'src/sockets/admin.ts',
        line: 3,
        column: 1,
      });
      assert.deepEqual(component(r, 'websocket:/live').handler, { file: 'src/live.js', line: 5, column: 22 });
    });

    it('emits the websocket and latency facts at each server creation, attributed to its components', () => {
      assert.deepEqual(findingKeys(r, 'websocket'), [
        'src/feed.ts:3 websocket-server',
        'src/feed.ts:5 websocket-connection-limits',
        'src/live.js:3 websocket-connection-limits',
        'src/live.js:3 websocket-server',
        'src/server.ts:6 websocket-server',
        'src/sockets/admin.ts:7 websocket-connection-limits',
        'src/sockets/chat.ts:4 websocket-connection-limits',
      ]);
      assert.deepEqual(findingKeys(r, 'latency-critical'), [
        'src/feed.ts:3 websocket-latency',
        'src/live.js:3 websocket-latency',
        'src/server.ts:6 websocket-latency',
      ]);
      const io = r.findings.find((f) => f.ruleId === 'websocket-server' && f.location.file === 'src/server.ts')!;
      assert.deepEqual(io.components, ['websocket:socket.io/', 'websocket:socket.io/admin']);
      assert.equal(io.severity, 'warning');
      assert.equal(r.findings.find((f) => f.ruleId === 'websocket-latency')!.severity, 'info');
      assert.deepEqual(
        r.findings.find((f) => f.ruleId === 'websocket-server' && f.location.file === 'src/feed.ts')!.components,
        ['websocket:/feed/*'],
      );
    });

    it('attributes the state written by an event handler registered in another file', () => {
      const f = r.findings.find((x) => x.ruleId === 'test-module-map')!;
      assert.equal(`${f.location.file}:${f.location.line}`, 'src/sockets/presence.ts:1');
      assert.deepEqual(f.components, ['websocket:socket.io/']);
    });
  });

  describe('ws', () => {
    it('makes one component per server, with or without a path or a handler', () => {
      const r = analyze({
        'src/a.ts': [
          "import { WebSocketServer } from 'ws';",
          "import * as http from 'node:http';",
          'const server = http.createServer();',
          "const chat = new WebSocketServer({ server, path: '/chat' });",
          "chat.on('connection', (ws) => ws.send('hi'));",
          "chat.on('close', () => undefined);",
          'export const upgrades = new WebSocketServer({ noServer: true });',
          '',
        ].join('\n'),
      });
      assert.deepEqual(summary(r), [
        'websocket:/chat | websocket | ws /chat | src/a.ts:4:14',
        'websocket:src/a.ts | websocket | ws server | src/a.ts:7:25',
      ]);
      assert.deepEqual(findingKeys(r), [
        'src/a.ts:4 websocket-connection-limits',
        'src/a.ts:4 websocket-latency',
        'src/a.ts:4 websocket-server',
        'src/a.ts:7 websocket-connection-limits',
        'src/a.ts:7 websocket-latency',
        'src/a.ts:7 websocket-server',
      ]);
      assert.deepEqual(
        r.findings.map((f) => f.components.join()),
        [
          'websocket:/chat',
          'websocket:/chat',
          'websocket:/chat',
          'websocket:src/a.ts',
          'websocket:src/a.ts',
          'websocket:src/a.ts',
        ],
      );
    });

    it('ignores websocket clients and connection events of other emitters', () => {
      const r = analyze({
        'src/c.js': [
          "const WebSocket = require('ws');",
          "const { Server } = require('net');",
          "const ws = new WebSocket('ws://localhost:1');",
          "ws.on('open', () => ws.send('x'));",
          "new Server().on('connection', (s) => s.end());",
          '',
        ].join('\n'),
      });
      assert.deepEqual(r.components, []);
      assert.deepEqual(r.findings, []);
    });
  });

  describe('socket.io', () => {
    it("takes require('socket.io')(server) and the events of handlers across files, without lifecycle events", () => {
      const r = analyze({
        'src/io.js': [
          "const http = require('http');",
          'const server = http.createServer();',
          "const io = require('socket.io')(server);",
          "const registerOrders = require('./orders');",
          "io.on('connection', (socket) => {",
          "  socket.on('disconnect', () => undefined);",
          '  registerOrders(io, socket);',
          '});',
          '',
        ].join('\n'),
        'src/orders.js':
          "module.exports = (io, socket) => {\n  socket.on('order:create', () => undefined);\n  socket.once('order:cancel', () => undefined);\n};\n",
      });
      assert.deepEqual(summary(r), [
        'websocket:socket.io/ | websocket | socket.io /: order:create, order:cancel | src/io.js:5:1',
      ]);
      assert.deepEqual(findingKeys(r), [
        'src/io.js:3 websocket-latency',
        'src/io.js:3 websocket-server',
        'src/io.js:5 websocket-connection-limits',
      ]);
    });

    it('ignores Server of other modules', () => {
      const r = analyze({
        'src/s.ts':
          "import { Server } from 'node:http';\nconst s = new Server();\ns.on('connection', () => undefined);\n",
      });
      assert.deepEqual(r.components, []);
    });
  });

  describe('uWebSockets.js', () => {
    it('takes ws() routes of an App held in a variable, and not ws() of other objects', () => {
      const r = analyze({
        'src/u.js': [
          "const uWS = require('uWebSockets.js');",
          'const app = uWS.SSLApp({});',
          "app.ws('/rooms/:id', { message(ws, msg) { ws.send(msg); } });",
          'const other = { ws: (_p, _b) => undefined };',
          "other.ws('/nope', { message() {} });",
          '',
        ].join('\n'),
      });
      assert.deepEqual(summary(r), ['websocket:/rooms/:id | websocket | uWS /rooms/:id | src/u.js:3:5']);
      assert.deepEqual(findingKeys(r), [
        'src/u.js:2 websocket-latency',
        'src/u.js:2 websocket-server',
        'src/u.js:3 websocket-connection-limits',
      ]);
    });
  });
});
