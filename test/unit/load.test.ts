import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, AnalysisInputError } from '../../src/core/analyze';
import { discover } from '../../src/core/load/discover';
import { writeTree } from './helpers';

describe('loading a folder', () => {
  let root: string;
  afterEach(() => root && fs.rmSync(root, { recursive: true, force: true }));

  it('reads every source extension, honours nested .gitignore files and skips dependency and build folders', () => {
    root = writeTree({
      'a.ts': '',
      'b.tsx': '',
      'c.mts': '',
      'd.cts': '',
      'e.js': '',
      'f.jsx': '',
      'g.mjs': '',
      'h.cjs': '',
      'types.d.ts': '',
      'lib.min.js': '',
      'README.md': '',
      'package.json': '{}',
      'node_modules/x/index.js': '',
      'dist/out.js': '',
      'build/b.js': '',
      'coverage/c.js': '',
      'vendor/v.js': '',
      '.gitignore': 'generated/\n*.gen.ts\n',
      'generated/g.ts': '',
      'src/x.gen.ts': '',
      'src/keep.ts': '',
      'pkg/.gitignore': 'local.ts\n',
      'pkg/local.ts': '',
      'pkg/other.ts': '',
      'other/local.ts': '',
    });
    const d = discover(root);
    assert.deepEqual(d.files, [
      'a.ts',
      'b.tsx',
      'c.mts',
      'd.cts',
      'e.js',
      'f.jsx',
      'g.mjs',
      'h.cjs',
      'other/local.ts',
      'pkg/other.ts',
      'src/keep.ts',
    ]);
    assert.deepEqual(d.manifests, ['package.json']);
  });

  it('follows no symlink loop and reads nothing outside the root', () => {
    root = writeTree({ 'src/a.ts': 'export const a = 1;\n' });
    const outside = writeTree({ 'secret.ts': 'export const s = 1;\n' });
    fs.symlinkSync(path.join(root, 'src'), path.join(root, 'src', 'loop'));
    fs.symlinkSync(outside, path.join(root, 'escape'));
    fs.symlinkSync(path.join(root, 'missing'), path.join(root, 'dangling.ts'));
    const r = analyze({ root });
    fs.rmSync(outside, { recursive: true, force: true });
    assert.equal(r.stats.files, 1);
    assert.deepEqual(
      r.stats.skipped.map((s) => `${s.file}: ${s.reason}`),
      [
        'dangling.ts: broken symlink or symlink loop',
        'escape: symlink points outside the analysed folder',
        'src/loop: symlink loop: this folder was already visited',
      ],
    );
  });

  it('skips binary, oversized, invalid UTF-8 and minified files with the reason, and reads BOM and CRLF files', () => {
    root = writeTree({
      'ok.ts': 'export const a = 1;\n',
      'bom.ts': '\uFEFFexport const b = 2;\r\nexport const c = 3;\r\n',
      'bundle.js': `var a=1;${'x=1;'.repeat(40_000)}\n`,
    });
    fs.writeFileSync(path.join(root, 'bin.js'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]));
    fs.writeFileSync(path.join(root, 'latin1.ts'), Buffer.from([0x2f, 0x2f, 0x20, 0xe9, 0x0a]));
    fs.writeFileSync(path.join(root, 'big.ts'), `// ${'x'.repeat(3 * 1024 * 1024)}\n`);
    const r = analyze({ root });
    assert.equal(r.stats.files, 2);
    assert.deepEqual(
      r.stats.skipped.map((s) => `${s.file}: ${s.reason}`),
      [
        'big.ts: too large (3.0 MB; the limit is 2 MB)',
        'bin.js: binary file (contains NUL bytes)',
        'bundle.js: minified or generated bundle (very long lines)',
        'latin1.ts: not valid UTF-8 text',
      ],
    );
  });

  it('reports syntax errors with their position and analyses the rest', () => {
    root = writeTree({
      'bad.ts': 'export function f( {\n',
      'good.ts': "import express from 'express';\nconst app = express();\napp.get('/ok', (_q, s) => s.end());\n",
    });
    const r = analyze({ root });
    assert.deepEqual(
      r.components.map((c) => c.id),
      ['http:GET:/ok'],
    );
    assert.equal(r.stats.skipped.length, 1);
    assert.match(r.stats.skipped[0]!.reason, /^syntax error at 2:1: /);
  });

  it('lists an invalid package.json as skipped and carries on', () => {
    root = writeTree({ 'package.json': '{ "name": ', 'a.ts': 'export {};\n' });
    const r = analyze({ root });
    assert.equal(r.stats.files, 1);
    assert.match(r.stats.skipped[0]!.reason, /^invalid JSON/);
  });

  it('gives an empty report for an empty folder or a folder that is not a project', () => {
    root = writeTree({ 'notes.txt': 'hello', 'img.png': '\x89PNG' });
    const r = analyze({ root });
    assert.equal(r.stats.files, 0);
    assert.deepEqual(r.components, []);
    assert.deepEqual(r.findings, []);
  });

  it('refuses a root that is missing or a file, naming it', () => {
    root = writeTree({ 'a.ts': '' });
    assert.throws(
      () => analyze({ root: path.join(root, 'nope') }),
      (e: Error) => e instanceof AnalysisInputError && /nope: no such folder/.test(e.message),
    );
    assert.throws(
      () => analyze({ root: path.join(root, 'a.ts') }),
      (e: Error) => e instanceof AnalysisInputError && /not a folder/.test(e.message),
    );
  });

  it('stops when cancelled', () => {
    root = writeTree({ 'a.ts': '', 'b.ts': '' });
    assert.throws(() => analyze({ root, isCancelled: () => true }), /cancelled/);
  });

  it('caps the number of files and says so', () => {
    root = writeTree({ 'a.ts': '', 'b.ts': '', 'c.ts': '' });
    const r = analyze({ root, maxFiles: 2 });
    assert.equal(r.stats.files, 2);
    assert.deepEqual(r.stats.skipped, [{ file: 'c.ts', reason: 'file limit of 2 source files reached' }]);
  });
});
