// One build script, every bundle: the CLI and the benchmark (node/cjs). The extension, its worker and the
// webview join here as they land (node/cjs with `vscode` external; browser/iife).
import * as fs from 'node:fs';
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** @type {esbuild.BuildOptions} */
const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  external: ['vscode'],
  logLevel: 'warning',
  legalComments: 'none',
};

const builds = [
  { ...node, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js' },
  { ...node, entryPoints: ['src/bench.ts'], outfile: 'dist/bench.js' },
].filter((b) => fs.existsSync(b.entryPoints[0]));

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
