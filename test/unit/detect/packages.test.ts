import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../../src/core/analyze';
import type { Finding, Report } from '../../../src/core/model';
import { NATIVE_PACKAGES_AS_OF } from '../../../src/core/detect/data/nativePackages';
import { HEAVY_PACKAGES_AS_OF } from '../../../src/core/detect/data/heavyPackages';
import { packageOf } from '../../../src/core/detect/packages';
import { analyzeFiles, writeTree } from '../helpers';
import { validateReport } from '../schemaValidate';

function run(files: Record<string, string>): Report {
  const r = analyzeFiles(files);
  validateReport(r);
  return r;
}

/** Analyses a tree after `prepare` has added what strings cannot (symlinks, large sparse files). */
function runWith(files: Record<string, string>, prepare: (root: string) => void): Report {
  const root = writeTree(files);
  try {
    prepare(root);
    const r = analyze({ root });
    validateReport(r);
    return r;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** `file:line ruleId` of the findings, in the report's own order (file, line, column, rule). */
function keys(r: Report, hazard?: Finding['hazard']): string[] {
  return r.findings
    .filter((f) => !hazard || f.hazard === hazard)
    .map((f) => `${f.location.file}:${f.location.line} ${f.ruleId}`);
}

function one(r: Report, file: string, line: number, ruleId: string): Finding {
  const f = r.findings.filter((x) => x.location.file === file && x.location.line === line && x.ruleId === ruleId);
  assert.equal(f.length, 1, `one ${ruleId} at ${file}:${line}; have ${keys(r).join(', ')}`);
  return f[0]!;
}

const TABLE = `known native package (table of ${NATIVE_PACKAGES_AS_OF})`;

describe('packages detector', () => {
  describe('packageOf', () => {
    it('reduces a specifier to its root package and skips built-ins, paths and protocols', () => {
      assert.equal(packageOf('lodash/fp'), 'lodash');
      assert.equal(packageOf('@aws-sdk/client-s3/dist-cjs/x'), '@aws-sdk/client-s3');
      assert.equal(packageOf('sharp'), 'sharp');
      for (const s of [
        'fs',
        'node:fs',
        'fs/promises',
        'node:test',
        './sharp',
        '../x',
        '/abs',
        '#internal',
        'cloudflare:sockets',
        '@scope',
      ]) {
        assert.equal(packageOf(s), undefined, s);
      }
    });
  });

  describe('native modules from the table (no node_modules)', () => {
    it('flags every import and require site of a known native package, and no pure-JS look-alike', () => {
      const r = run({
        'src/a.ts': [
          "import sharp from 'sharp';", // 1
          "import * as bcrypt from 'bcrypt';", // 2
          "import bcryptjs from 'bcryptjs';",
          "import initSqlJs from 'sql.js';",
          "import Jimp from 'jimp';", // 5
          "import * as grpc from '@grpc/grpc-js';",
          "import { hash } from '@node-rs/bcrypt';", // 7
          "import { createCanvas } from '@napi-rs/canvas';", // 8
          "import local from './sharp';",
          "import type { Sharp } from 'sharp';", // 10: erased at compile time
          "export { default as resize } from 'sharp/lib/resize';", // 11: still loads sharp
          "const name = 'sharp'; // require('argon2')",
          'export function open() {',
          "  const Database = require('better-sqlite3');", // 14
          '  return new Database(name);',
          '}',
          'export async function later() {',
          "  const { Worker } = await import('zeromq');", // 18
          '  return Worker;',
          '}',
          '',
        ].join('\n'),
        'src/sharp.ts': 'export default function sharp() { return 1; }\n',
        'src/legacy.js': "const re2 = require('re2');\nconst pg = require('pg');\nmodule.exports = { re2, pg };\n",
      });
      assert.deepEqual(keys(r, 'native-module'), [
        'src/a.ts:1 native-module-import',
        'src/a.ts:2 native-module-import',
        'src/a.ts:7 native-module-import',
        'src/a.ts:8 native-module-import',
        'src/a.ts:11 native-module-import',
        'src/a.ts:14 native-module-import',
        'src/a.ts:18 native-module-import',
        'src/legacy.js:1 native-module-import',
      ]);
      const f = one(r, 'src/a.ts', 1, 'native-module-import');
      assert.equal(f.severity, 'warning');
      assert.equal(f.basis, TABLE);
      assert.match(f.message, /`sharp` ships native code/);
      assert.match(f.message, new RegExp(`basis: known native package \\(table of ${NATIVE_PACKAGES_AS_OF}\\)`));
      assert.match(f.message, /edge runtimes \(Cloudflare Workers, Vercel Edge\) cannot load native addons/);
      assert.match(f.fix, /--os=linux --cpu=arm64/);
      assert.match(one(r, 'src/a.ts', 2, 'native-module-import').fix, /bcryptjs/);
      assert.deepEqual(f.components, []);
    });

    it('rates a package whose native part is optional as info', () => {
      const r = run({ 'src/ssh.ts': "import { Client } from 'ssh2';\nexport const c = new Client();\n" });
      const f = one(r, 'src/ssh.ts', 1, 'native-module-optional');
      assert.equal(f.severity, 'info');
      assert.match(f.message, /optional here and the package falls back to JavaScript/);
    });

    it('does not take a tsconfig path alias or a workspace package for the npm package of the same name', () => {
      const r = run({
        'tsconfig.json': JSON.stringify({
          compilerOptions: { baseUrl: '.', paths: { canvas: ['src/shims/canvas.ts'] } },
        }),
        'src/shims/canvas.ts': 'export const createCanvas = () => null;\n',
        'packages/argon2/package.json': JSON.stringify({ name: 'argon2', main: 'index.js' }),
        'packages/argon2/index.js': 'module.exports = { hash: (s) => s };\n',
        'src/use.ts':
          "import { createCanvas } from 'canvas';\nimport { hash } from 'argon2';\nimport sharp from 'sharp';\n",
      });
      assert.deepEqual(keys(r, 'native-module'), ['src/use.ts:3 native-module-import']);
    });
  });

  describe('native modules from node_modules', () => {
    it('names what it found: binding.gyp, gypfile, a .node file, napi, per-platform packages', () => {
      const r = run({
        'package.json': JSON.stringify({ name: 'app' }),
        'node_modules/gyp-addon/package.json': JSON.stringify({ name: 'gyp-addon' }),
        'node_modules/gyp-addon/binding.gyp': '{ "targets": [] }',
        'node_modules/gypfile-addon/package.json': JSON.stringify({ name: 'gypfile-addon', gypfile: true }),
        'node_modules/built-addon/package.json': JSON.stringify({ name: 'built-addon' }),
        'node_modules/built-addon/build/Release/addon.node': 'ELF',
        'node_modules/prebuilt-addon/package.json': JSON.stringify({ name: 'prebuilt-addon' }),
        'node_modules/prebuilt-addon/prebuilds/linux-x64/node.napi.node': 'ELF',
        'node_modules/@acme/rs/package.json': JSON.stringify({ name: '@acme/rs', napi: { name: 'rs' } }),
        'node_modules/multi/package.json': JSON.stringify({
          name: 'multi',
          optionalDependencies: {
            '@multi/linux-x64-gnu': '1.0.0',
            '@multi/darwin-arm64': '1.0.0',
            'left-pad': '1.0.0',
          },
        }),
        'node_modules/pure/package.json': JSON.stringify({ name: 'pure', main: 'index.js' }),
        'node_modules/pure/index.js': 'module.exports = 1;\n',
        'node_modules/pure/lib/readme.node.md': 'not an addon',
        'src/index.ts': [
          "import a from 'gyp-addon';",
          "import b from 'gypfile-addon';",
          "import c from 'built-addon';",
          "import d from 'prebuilt-addon/sub/path';",
          "import e from '@acme/rs';",
          "import f from 'multi';",
          "import g from 'pure';",
          'export default [a, b, c, d, e, f, g];',
          '',
        ].join('\n'),
      });
      assert.deepEqual(
        r.findings.filter((f) => f.hazard === 'native-module').map((f) => `${f.location.line} ${f.basis}`),
        [
          '1 node_modules/gyp-addon has binding.gyp',
          '2 node_modules/gypfile-addon/package.json has "gypfile": true',
          '3 node_modules/built-addon ships build/Release/addon.node',
          '4 node_modules/prebuilt-addon ships prebuilds/linux-x64/node.napi.node',
          '5 node_modules/@acme/rs/package.json has a "napi" section',
          '6 node_modules/multi installs per-platform binary packages (@multi/linux-x64-gnu, @multi/darwin-arm64)',
        ],
      );
      assert.match(
        one(r, 'src/index.ts', 1, 'native-module-import').message,
        /basis: node_modules\/gyp-addon has binding\.gyp/,
      );
    });

    it('falls back to the table when the installed package shows no native evidence or is not installed', () => {
      const r = run({
        'node_modules/bcrypt/package.json': JSON.stringify({ name: 'bcrypt' }),
        'node_modules/bcryptjs/package.json': JSON.stringify({ name: 'bcryptjs' }),
        'src/auth.ts':
          "import bcrypt from 'bcrypt';\nimport bcryptjs from 'bcryptjs';\nimport argon2 from 'argon2';\nexport { bcrypt, bcryptjs, argon2 };\n",
      });
      assert.deepEqual(
        r.findings.filter((f) => f.hazard === 'native-module').map((f) => `${f.location.line} ${f.basis}`),
        [`1 ${TABLE}`, `3 ${TABLE}`],
      );
    });

    it("finds the install the way Node does: the importing package's node_modules first, then the parents; pnpm links too", () => {
      const r = runWith(
        {
          'package.json': JSON.stringify({ name: 'mono', private: true }),
          'packages/api/package.json': JSON.stringify({ name: '@mono/api' }),
          'packages/api/node_modules/addon/package.json': JSON.stringify({ name: 'addon' }),
          'packages/api/node_modules/addon/binding.gyp': '{}',
          'packages/api/src/handler.ts': "import addon from 'addon';\nexport default addon;\n",
          'packages/web/src/page.ts': "import addon from 'addon';\nexport default addon;\n",
          'node_modules/addon/package.json': JSON.stringify({ name: 'addon' }),
          'node_modules/.pnpm/linked@1.0.0/node_modules/linked/package.json': JSON.stringify({
            name: 'linked',
            gypfile: true,
          }),
          'src/pn.ts': "import linked from 'linked';\nexport default linked;\n",
        },
        (root) => {
          fs.symlinkSync(
            path.join(root, 'node_modules/.pnpm/linked@1.0.0/node_modules/linked'),
            path.join(root, 'node_modules/linked'),
            'dir',
          );
        },
      );
      assert.deepEqual(
        r.findings
          .filter((f) => f.hazard === 'native-module')
          .map((f) => `${f.location.file}:${f.location.line} ${f.basis}`),
        [
          'packages/api/src/handler.ts:1 packages/api/node_modules/addon has binding.gyp',
          'src/pn.ts:1 node_modules/linked/package.json has "gypfile": true',
        ],
      );
    });
  });

  describe('heavy dependencies from the table', () => {
    it('flags known heavy packages by root name, warning above 50 MB, and never lodash or built-ins', () => {
      const r = run({
        'src/cloud.ts': [
          "import AWS from 'aws-sdk';", // 1: ~90 MB
          "import { google } from 'googleapis';", // 2: ~110 MB
          "import { getAuth } from 'firebase-admin/auth';", // 3: firebase-admin, ~60 MB
          "import { Storage } from '@google-cloud/storage';", // 4: scope entry
          "import { DataSource } from 'typeorm';", // 5
          "import fp from 'lodash/fp';",
          "import _ from 'lodash';",
          "import { S3Client } from '@aws-sdk/client-s3';",
          "import * as fs from 'node:fs';",
          "import { readFile } from 'fs/promises';", // 10
          "import { format } from 'date-fns';", // 11
          "const mt = require('moment-timezone');", // 12
          'export { AWS, google, getAuth, Storage, DataSource, fp, _, S3Client, fs, readFile, format, mt };',
          '',
        ].join('\n'),
      });
      assert.deepEqual(
        r.findings
          .filter((f) => f.hazard === 'heavy-dependency')
          .map((f) => `${f.location.line} ${f.ruleId} ${f.severity}`),
        [
          '1 heavy-dependency-large warning',
          '2 heavy-dependency-large warning',
          '3 heavy-dependency-large warning',
          '4 heavy-dependency-import info',
          '5 heavy-dependency-import info',
          '11 heavy-dependency-import info',
          '12 heavy-dependency-import info',
        ],
      );
      const aws = one(r, 'src/cloud.ts', 1, 'heavy-dependency-large');
      assert.equal(
        aws.basis,
        `known heavy package (table of ${HEAVY_PACKAGES_AS_OF}): ~90 MB, an approximate install size from public listings, not measured here`,
      );
      assert.match(aws.message, /`aws-sdk` is a heavy dependency \(about 90 MB installed/);
      assert.match(aws.message, /cold start/);
      assert.match(aws.fix, /tree-shake/);
      assert.match(aws.fix, /@aws-sdk\/client-/);
      assert.match(aws.fix, /await import\(\)/);
      assert.match(one(r, 'src/cloud.ts', 3, 'heavy-dependency-large').message, /`firebase-admin`/);
    });

    it('reports a package that is both native and heavy once for each hazard', () => {
      const r = run({ 'src/img.ts': "import sharp from 'sharp';\nexport default sharp;\n" });
      assert.deepEqual(keys(r), ['src/img.ts:1 heavy-dependency-import', 'src/img.ts:1 native-module-import']);
    });
  });

  describe('heavy dependencies measured in node_modules', () => {
    it('flags 5 MB or 1,000 files, and trusts the measure over the table', () => {
      const many: Record<string, string> = {};
      for (let i = 0; i < 1000; i++) many[`node_modules/many-files/lib/f${i}.js`] = 'x';
      for (let i = 0; i < 998; i++) many[`node_modules/almost/lib/f${i}.js`] = 'x';
      const r = run({
        ...many,
        'node_modules/many-files/package.json': '{}',
        'node_modules/almost/package.json': '{}',
        'node_modules/big/package.json': '{}',
        'node_modules/big/dist/bundle.js': 'x'.repeat(5 * 1024 * 1024),
        'node_modules/medium/package.json': '{}',
        'node_modules/medium/dist/bundle.js': 'x'.repeat(4 * 1024 * 1024),
        // A slim install of a package the table calls heavy: the measure wins.
        'node_modules/typeorm/package.json': '{}',
        'node_modules/typeorm/index.js': 'module.exports = {};\n',
        'src/deps.ts': [
          "import a from 'many-files';",
          "import b from 'almost';",
          "import c from 'big';",
          "import d from 'medium';",
          "import e from 'typeorm';",
          'export { a, b, c, d, e };',
          '',
        ].join('\n'),
      });
      assert.deepEqual(
        r.findings
          .filter((f) => f.hazard === 'heavy-dependency')
          .map((f) => `${f.location.line} ${f.severity} ${f.basis}`),
        [
          '1 info measured: node_modules/many-files: 0.0 MB in 1,001 files',
          '3 info measured: node_modules/big: 5.0 MB in 2 files',
        ],
      );
      assert.match(
        one(r, 'src/deps.ts', 3, 'heavy-dependency-import').message,
        /`big` is a heavy dependency \(5\.0 MB in 2 files installed\)/,
      );
    });

    it('counts the dependencies Node would load with it, and warns above 50 MB', () => {
      const r = runWith(
        {
          'node_modules/wrapper/package.json': JSON.stringify({
            name: 'wrapper',
            dependencies: { engine: '1', shared: '1' },
          }),
          'node_modules/wrapper/index.js': 'x',
          'node_modules/wrapper/node_modules/engine/package.json': JSON.stringify({
            name: 'engine',
            dependencies: { shared: '1' },
          }),
          'node_modules/shared/package.json': JSON.stringify({ name: 'shared' }),
          'node_modules/huge/package.json': JSON.stringify({ name: 'huge' }),
          'src/x.ts': "import w from 'wrapper';\nimport h from 'huge';\nexport { w, h };\n",
        },
        (root) => {
          // Sparse files: their apparent size is what a deployment package would carry.
          fs.writeFileSync(path.join(root, 'node_modules/wrapper/node_modules/engine/engine.bin'), '');
          fs.truncateSync(path.join(root, 'node_modules/wrapper/node_modules/engine/engine.bin'), 3 * 1024 * 1024);
          fs.writeFileSync(path.join(root, 'node_modules/shared/data.bin'), '');
          fs.truncateSync(path.join(root, 'node_modules/shared/data.bin'), 3 * 1024 * 1024);
          fs.writeFileSync(path.join(root, 'node_modules/huge/blob.bin'), '');
          fs.truncateSync(path.join(root, 'node_modules/huge/blob.bin'), 60 * 1024 * 1024);
        },
      );
      const w = one(r, 'src/x.ts', 1, 'heavy-dependency-import');
      assert.equal(w.severity, 'info');
      assert.equal(w.basis, 'measured: node_modules/wrapper with its 2 dependencies: 6.0 MB in 6 files');
      assert.match(w.message, /with its 2 dependencies/);
      const h = one(r, 'src/x.ts', 2, 'heavy-dependency-large');
      assert.equal(h.severity, 'warning');
      assert.equal(h.basis, 'measured: node_modules/huge: 60 MB in 2 files');
    });

    it('does not follow symbolic links inside a package', () => {
      const r = runWith(
        {
          'node_modules/linky/package.json': JSON.stringify({ name: 'linky' }),
          'elsewhere/big.bin': 'x'.repeat(6 * 1024 * 1024),
          'src/l.ts': "import l from 'linky';\nexport default l;\n",
        },
        (root) => {
          fs.symlinkSync(path.join(root, 'elsewhere'), path.join(root, 'node_modules/linky/assets'), 'dir');
          fs.symlinkSync(path.join(root, 'elsewhere/big.bin'), path.join(root, 'node_modules/linky/big.bin'));
        },
      );
      assert.deepEqual(keys(r, 'heavy-dependency'), []);
    });
  });

  describe('attribution', () => {
    it('charges the import to every component whose handler reaches the importing file', () => {
      const r = run({
        'src/app.ts': [
          "import express from 'express';",
          "import { resize } from './images';",
          'const app = express();',
          "app.post('/resize', resize);",
          "app.get('/health', (req, res) => res.send('ok'));",
          'export default app;',
          '',
        ].join('\n'),
        'src/images.ts': [
          "import sharp from 'sharp';",
          'export async function resize(req: any, res: any) {',
          '  res.send(await sharp(req.body).resize(100).toBuffer());',
          '}',
          '',
        ].join('\n'),
        'src/unused.ts': "import AWS from 'aws-sdk';\nexport const s3 = () => new AWS.S3();\n",
      });
      assert.deepEqual(one(r, 'src/images.ts', 1, 'native-module-import').components, ['http:POST:/resize']);
      assert.deepEqual(one(r, 'src/images.ts', 1, 'heavy-dependency-import').components, ['http:POST:/resize']);
      // Not reached by any handler, yet still reported: the project carries it.
      assert.deepEqual(one(r, 'src/unused.ts', 1, 'heavy-dependency-large').components, []);
    });
  });
});
