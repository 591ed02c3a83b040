import * as assert from 'node:assert/strict';
import { EDGE_RUNTIME_AS_OF } from '../../../src/core/detect/data/edgeRuntime';
import { edgeBuiltin } from '../../../src/core/detect/nodeOnly';
import type { Finding, Report } from '../../../src/core/model';
import { analyzeFiles } from '../helpers';
import { validateReport } from '../schemaValidate';

function run(files: Record<string, string>): Report {
  const r = analyzeFiles(files);
  validateReport(r);
  return r;
}

/** `file:line ruleId` of the node-only findings, in the report's own order (file, line, column, rule). */
function keys(r: Report): string[] {
  return r.findings
    .filter((f) => f.hazard === 'node-only-api')
    .map((f) => `${f.location.file}:${f.location.line} ${f.ruleId}`);
}

function at(r: Report, file: string, line: number): Finding {
  const f = r.findings.filter(
    (x) => x.hazard === 'node-only-api' && x.location.file === file && x.location.line === line,
  );
  assert.equal(f.length, 1, `one node-only finding at ${file}:${line}; have ${keys(r).join(', ')}`);
  return f[0]!;
}

describe('node-only detector', () => {
  it('knows both forms of a built-in and nothing else', () => {
    assert.equal(edgeBuiltin('fs')?.entry.workers, 'partial');
    assert.equal(edgeBuiltin('node:fs')?.entry.workers, 'partial');
    assert.equal(edgeBuiltin('node:fs/promises')?.name, 'fs/promises');
    assert.equal(edgeBuiltin('node:child_process')?.entry.workers, 'missing');
    assert.equal(edgeBuiltin('node:path')?.entry.workers, 'supported');
    assert.equal(edgeBuiltin('fs-extra'), undefined);
    assert.equal(edgeBuiltin('./fs'), undefined);
    assert.equal(edgeBuiltin('toString'), undefined);
  });

  describe('built-in modules', () => {
    it('flags imports of built-ins edge runtimes lack or only partly give, in every import form', () => {
      const r = run({
        'src/jobs.ts': [
          "import * as fs from 'fs';", // 1
          "import { readFile } from 'node:fs/promises';", // 2
          "import { spawn } from 'node:child_process';", // 3
          "import { Worker } from 'worker_threads';", // 4
          "import cluster from 'cluster';", // 5
          "import vm from 'node:vm';", // 6
          "import os = require('os');", // 7
          "import 'node:http2';", // 8
          "export { createRequire } from 'node:module';", // 9
          "import { monitorEventLoopDelay } from 'perf_hooks';", // 10
          'export async function run() {',
          "  const dgram = require('dgram');", // 12
          "  const { createInterface } = await import('node:readline');", // 13
          '  return [fs, readFile, spawn, Worker, cluster, vm, os, monitorEventLoopDelay, dgram, createInterface];',
          '}',
          '',
        ].join('\n'),
      });
      assert.deepEqual(keys(r), [
        'src/jobs.ts:1 node-only-builtin',
        'src/jobs.ts:2 node-only-builtin',
        'src/jobs.ts:3 node-only-builtin',
        'src/jobs.ts:4 node-only-builtin',
        'src/jobs.ts:5 node-only-builtin',
        'src/jobs.ts:6 node-only-builtin',
        'src/jobs.ts:7 node-only-builtin',
        'src/jobs.ts:8 node-only-builtin',
        'src/jobs.ts:9 node-only-builtin',
        'src/jobs.ts:10 node-only-builtin',
        'src/jobs.ts:12 node-only-builtin',
        'src/jobs.ts:13 node-only-builtin',
      ]);
      for (const f of r.findings.filter((x) => x.hazard === 'node-only-api')) assert.equal(f.severity, 'info');
      const fsf = at(r, 'src/jobs.ts', 1);
      assert.match(
        fsf.message,
        /^`fs` is a Node\.js built-in that edge runtimes \(Cloudflare Workers even with nodejs_compat, Vercel Edge\) provide only in part, which rules out the edge/,
      );
      assert.match(fsf.fix, /KV, R2 or S3/);
      assert.equal(
        fsf.basis,
        `edge runtime table of ${EDGE_RUNTIME_AS_OF} (Cloudflare Workers Node.js compatibility docs; Vercel Edge runtime docs)`,
      );
      const cp = at(r, 'src/jobs.ts', 3);
      assert.match(
        cp.message,
        /^`node:child_process` .* do not provide, which rules out the edge: edge isolates cannot start processes/,
      );
      assert.match(cp.fix, /fetch/);
      assert.match(at(r, 'src/jobs.ts', 10).fix, /performance\.now\(\)/);
    });

    it('ignores type-only imports, supported built-ins, local modules, packages, strings and comments', () => {
      const r = run({
        'src/edge.ts': [
          "import type { Stats } from 'fs';",
          "import { type ReadStream } from 'node:fs';",
          "export type { Dirent } from 'fs';",
          "import path from 'node:path';",
          "import { createHash } from 'node:crypto';",
          "import { Buffer } from 'node:buffer';",
          "import { EventEmitter } from 'events';",
          "import { Readable } from 'node:stream';",
          "import { AsyncLocalStorage } from 'node:async_hooks';",
          "import { URL } from 'url';",
          "import { promisify } from 'util';",
          "import { gzipSync } from 'node:zlib';",
          "import fsLocal from './fs';",
          "import fse from 'fs-extra';",
          "// import { exec } from 'child_process';",
          'const hint = "require(\'child_process\')";',
          'export const all = [path, createHash, Buffer, EventEmitter, Readable, AsyncLocalStorage, URL, promisify, gzipSync, fsLocal, fse, hint];',
          'export function stat(s: Stats, r: ReadStream) { return [s, r]; }',
          '',
        ].join('\n'),
        'src/fs.ts': 'export default { read: () => "" };\n',
      });
      assert.deepEqual(keys(r), []);
    });
  });

  describe('servers', () => {
    it('flags the creation of HTTP, HTTPS, TCP and TLS servers, not their clients', () => {
      const r = run({
        'src/server.ts': [
          "import http from 'node:http';",
          "import * as https from 'https';",
          "import { createServer, connect } from 'net';",
          "import tls from 'node:tls';",
          "import * as net from 'node:net';",
          'http.createServer((req, res) => res.end());', // 6
          'https.createServer({}, () => undefined);', // 7
          'createServer(() => undefined);', // 8
          'new net.Server();', // 9
          'tls.createServer({});', // 10
          "http.get('http://example.com', () => undefined);",
          "https.request('https://example.com').end();",
          'connect(5432);',
          "tls.connect(443, 'example.com');",
          '',
        ].join('\n'),
        'src/legacy.js': "require('http').createServer(function () {}).listen(3000);\n",
        'src/lookalike.ts': [
          "import { createServer } from './local-server';",
          "import { createServer as viteServer } from 'vite';",
          'const factory = { createServer: () => 1 };',
          'createServer();',
          'viteServer();',
          'factory.createServer();',
          '',
        ].join('\n'),
        'src/local-server.ts': 'export function createServer() { return 1; }\n',
      });
      assert.deepEqual(keys(r), [
        'src/legacy.js:1 node-only-builtin',
        'src/server.ts:6 node-only-builtin',
        'src/server.ts:7 node-only-builtin',
        'src/server.ts:8 node-only-builtin',
        'src/server.ts:9 node-only-builtin',
        'src/server.ts:10 node-only-builtin',
      ]);
      const f = at(r, 'src/server.ts', 6);
      assert.match(f.message, /^`node:http` createServer starts a server, which rules out the edge/);
      assert.match(f.fix, /fetch\(request\)/);
      assert.match(at(r, 'src/server.ts', 9).message, /^`node:net` Server starts a server/);
    });
  });

  describe('globals', () => {
    it('flags __dirname, __filename, process.binding and require.resolve', () => {
      const r = run({
        'src/paths.js': [
          "const path = require('path');",
          "const views = path.join(__dirname, 'views');", // 2
          'module.exports.self = __filename;', // 3
          "const natives = process.binding('natives');", // 4
          "const entry = require.resolve('lodash');", // 5
          'module.exports.more = { __dirname };', // 6
          'module.exports.all = [views, natives, entry];',
          '',
        ].join('\n'),
      });
      assert.deepEqual(keys(r), [
        'src/paths.js:2 node-only-global',
        'src/paths.js:3 node-only-global',
        'src/paths.js:4 node-only-global',
        'src/paths.js:5 node-only-global',
        'src/paths.js:6 node-only-global',
      ]);
      const d = at(r, 'src/paths.js', 2);
      assert.equal(d.severity, 'info');
      assert.equal(d.location.column, 25);
      assert.match(d.message, /^`__dirname` is Node-only, which rules out the edge: .*no folder on disk/);
      assert.match(d.fix, /import the file into the bundle/);
      assert.match(at(r, 'src/paths.js', 4).message, /^`process\.binding` is Node-only/);
    });

    it('ignores feature checks, shadowing declarations, property names, Buffer, process.env and strings', () => {
      const r = run({
        'src/iso.ts': [
          "import { fileURLToPath } from 'node:url';",
          "import { dirname } from 'node:path';",
          'const __filename = fileURLToPath(import.meta.url);',
          'const __dirname = dirname(__filename);',
          'export const where = [__dirname, __filename];',
          '',
        ].join('\n'),
        'src/checks.js': [
          "const inNode = typeof __dirname !== 'undefined';",
          'const obj = { __dirname: 1, __filename: 2 };',
          'const other = obj.__dirname + obj.__filename;',
          "const key = '__dirname';",
          'const token = process.env.API_TOKEN;',
          "const bytes = Buffer.from('x');",
          "const mod = require('./local');",
          'function resolve(require) { return require.resolve(); }',
          'module.exports = { inNode, other, key, token, bytes, mod, resolve };',
          '',
        ].join('\n'),
        'src/local.js': 'module.exports = 1;\n',
      });
      assert.deepEqual(keys(r), []);
    });
  });

  it('charges the finding to the components that reach the file', () => {
    const r = run({
      'src/app.ts': [
        "import express from 'express';",
        "import { report } from './report';",
        'const app = express();',
        "app.get('/report', report);",
        "app.get('/ping', (req, res) => res.send('pong'));",
        'export default app;',
        '',
      ].join('\n'),
      'src/report.ts': [
        "import { execFile } from 'node:child_process';",
        'export function report(req: any, res: any) {',
        "  execFile('wkhtmltopdf', [], () => res.end());",
        '}',
        '',
      ].join('\n'),
    });
    assert.deepEqual(at(r, 'src/report.ts', 1).components, ['http:GET:/report']);
  });
});

describe('node-only detector on names shared with Object.prototype', () => {
  it('analyses a file whose identifiers are named like Object.prototype members', () => {
    const r = analyzeFiles({
      'src/own.ts':
        'const hasOwnProperty = Object.prototype.hasOwnProperty;\nexport const has = (o: object, k: string) => hasOwnProperty.call(o, k);\nexport const s = toString.call(1);\nexport const d = __dirname + require.resolve("x");\n',
    });
    assert.deepEqual(r.stats.skipped, []);
    assert.equal(r.stats.files, 1);
  });
});
