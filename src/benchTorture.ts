// The torture tree: everything a real repository can throw at the analysis at once. Tens of thousands of small
// files in several package roots, a 5 MB minified bundle, binary files and invalid UTF-8 with source extensions, a
// BOM, CRLF line ends, a symlink loop, symlinks out of the root, a FIFO named like a source file, an unreadable
// file, and a folder outside the root that nothing may read. Used by `npm run bench` (time and peak memory) and,
// smaller, by test/unit/torture.test.ts (every odd file listed with its reason; nothing outside the root read).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface TortureOptions {
  /** How many small source files (spread over the package roots). */
  smallFiles: number;
}

export interface TortureTree {
  /** The folder to analyse. */
  root: string;
  /** A folder beside the root that symlinks point into; the analysis must read nothing in it. */
  outside: string;
  /** Root-relative files or folders that must be listed as skipped, with a word the reason must contain. */
  expectSkipped: { file: string; reason: RegExp }[];
  /** Root-relative files that must be analysed (odd but valid), with the route each declares and its line. */
  expectRoutes: { file: string; route: string; line: number }[];
  /** Whether the unreadable file really is unreadable (not when running as root, which reads anything). */
  unreadable: boolean;
  /** Whether a FIFO could be made (mkfifo). */
  fifo: boolean;
  smallFiles: number;
}

const PACKAGES = ['api', 'worker', 'shared', 'web'];

function write(file: string, data: string | Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
}

/** One small module: an import, a function, a constant; every 50th an Express router with one route. */
function smallModule(pkg: string, i: number): string {
  if (i % 50 === 0) {
    return [
      "import { Router } from 'express';",
      'export const router = Router();',
      `router.get('/${pkg}/items-${i}', (req, res) => {`,
      `  res.json({ id: ${i} });`,
      '});',
      '',
    ].join('\n');
  }
  return [
    `import { helper${i % 7} } from '../lib/helpers';`,
    `export const value${i} = ${i};`,
    `export function compute${i}(x: number): number {`,
    `  return helper${i % 7}(x) + value${i};`,
    '}',
    '',
  ].join('\n');
}

/** Writes the tree under `dir` (a fresh, empty folder) and says what the analysis must make of it. */
export function generateTortureTree(dir: string, options: TortureOptions): TortureTree {
  const root = path.join(dir, 'repo');
  const outside = path.join(dir, 'outside');
  const expectSkipped: TortureTree['expectSkipped'] = [];
  const expectRoutes: TortureTree['expectRoutes'] = [];

  write(
    path.join(root, 'package.json'),
    JSON.stringify({ name: 'torture', private: true, workspaces: PACKAGES.map((p) => `packages/${p}`) }, null, 2),
  );
  for (const pkg of PACKAGES) {
    const base = path.join(root, 'packages', pkg);
    write(
      path.join(base, 'package.json'),
      JSON.stringify({ name: `@torture/${pkg}`, version: '1.0.0', dependencies: { express: '^4.19.0' } }, null, 2),
    );
    write(
      path.join(base, 'src', 'lib', 'helpers.ts'),
      Array.from({ length: 7 }, (_, k) => `export const helper${k} = (x: number): number => x * ${k + 1};`).join('\n') +
        '\n',
    );
  }
  // Small files, 100 to a folder, spread over the packages.
  for (let i = 0; i < options.smallFiles; i++) {
    const pkg = PACKAGES[i % PACKAGES.length]!;
    const folder = `f${Math.floor(i / (100 * PACKAGES.length))}`;
    write(path.join(root, 'packages', pkg, 'src', folder, `m${i}.ts`), smallModule(pkg, i));
  }

  const api = path.join(root, 'packages', 'api', 'src');
  // A 5 MB minified bundle with a source extension (above the 2 MB limit: skipped on its size, never parsed).
  const chunk = 'var a=function(b){return b*2},c=[1,2,3].map(a);';
  write(
    path.join(root, 'packages', 'web', 'src', 'bundles', 'vendor-bundle.js'),
    chunk.repeat(Math.ceil((5 * 1048576) / chunk.length)),
  );
  expectSkipped.push({ file: 'packages/web/src/bundles/vendor-bundle.js', reason: /too large/ });
  // A minified bundle under the size limit: one very long line.
  write(
    path.join(root, 'packages', 'web', 'src', 'bundles', 'app-bundle.js'),
    chunk.repeat(Math.ceil(400_000 / chunk.length)),
  );
  expectSkipped.push({ file: 'packages/web/src/bundles/app-bundle.js', reason: /minified/ });
  // Binary content with source extensions.
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
    Buffer.alloc(4096, 7),
  ]);
  write(path.join(api, 'logo.ts'), png);
  expectSkipped.push({ file: 'packages/api/src/logo.ts', reason: /binary/ });
  write(path.join(api, 'data.js'), Buffer.from(Array.from({ length: 2048 }, (_, k) => k % 256)));
  expectSkipped.push({ file: 'packages/api/src/data.js', reason: /binary/ });
  // Latin-1 text: not UTF-8.
  write(path.join(api, 'latin1.ts'), Buffer.from("export const caf\xe9 = 'cr\xe8me br\xfbl\xe9e';\n", 'latin1'));
  expectSkipped.push({ file: 'packages/api/src/latin1.ts', reason: /UTF-8/ });
  // A BOM and CRLF line ends: analysed, with lines as the editor counts them.
  write(
    path.join(api, 'bom.ts'),
    "\ufeffimport express from 'express';\nconst app = express();\n\napp.get('/bom', (req, res) => res.send('ok'));\napp.listen(3000);\n",
  );
  expectRoutes.push({ file: 'packages/api/src/bom.ts', route: 'GET /bom', line: 4 });
  write(
    path.join(api, 'crlf.ts'),
    "import express from 'express';\r\nconst app = express();\r\n\r\n\r\napp.post('/crlf', (req, res) => res.send('ok'));\r\napp.listen(3001);\r\n",
  );
  expectRoutes.push({ file: 'packages/api/src/crlf.ts', route: 'POST /crlf', line: 5 });
  // A file with a syntax error: analysed as far as it parses, never a crash.
  write(
    path.join(api, 'broken.ts'),
    "import express from 'express';\nconst app = express(;\napp.get('/broken', (req, res) => {\n",
  );

  // Outside the root: a folder with a route that must never be read.
  write(
    path.join(outside, 'secret.ts'),
    "import express from 'express';\nconst app = express();\napp.get('/outside', (req, res) => res.send('no'));\n",
  );
  // Symlinks: a loop, one to the folder outside, one to a file outside, one dangling.
  fs.mkdirSync(path.join(root, 'packages', 'shared', 'src', 'loop'), { recursive: true });
  fs.symlinkSync('..', path.join(root, 'packages', 'shared', 'src', 'loop', 'again'));
  expectSkipped.push({ file: 'packages/shared/src/loop/again', reason: /symlink loop|already visited/ });
  fs.symlinkSync(outside, path.join(root, 'packages', 'shared', 'outside-dir'));
  expectSkipped.push({ file: 'packages/shared/outside-dir', reason: /outside/ });
  fs.symlinkSync(path.join(outside, 'secret.ts'), path.join(root, 'packages', 'shared', 'src', 'secret.ts'));
  expectSkipped.push({ file: 'packages/shared/src/secret.ts', reason: /outside/ });
  fs.symlinkSync(path.join(root, 'nowhere.ts'), path.join(root, 'packages', 'shared', 'src', 'dangling.ts'));
  expectSkipped.push({ file: 'packages/shared/src/dangling.ts', reason: /broken symlink/ });

  // A FIFO named like a source file: reading it would block for ever.
  let fifo = false;
  try {
    execFileSync('mkfifo', [path.join(api, 'pipe.ts')], { stdio: 'ignore' });
    fifo = true;
    expectSkipped.push({ file: 'packages/api/src/pipe.ts', reason: /not a regular file/ });
  } catch {
    // No mkfifo on this system: the FIFO case is not part of this tree.
  }
  // An unreadable file: root reads anything, so it only counts where the permission holds.
  const locked = path.join(api, 'locked.ts');
  write(locked, "export const locked = 'you cannot read me';\n");
  fs.chmodSync(locked, 0o000);
  let unreadable = false;
  try {
    fs.readFileSync(locked);
  } catch {
    unreadable = true;
    expectSkipped.push({ file: 'packages/api/src/locked.ts', reason: /unreadable/ });
  }
  return { root, outside, expectSkipped, expectRoutes, unreadable, fifo, smallFiles: options.smallFiles };
}
