// One build script, every bundle: the CLI, the benchmark, the extension and its worker (node/cjs, `vscode` external);
// the architecture panel's page (browser/iife: webview/main.ts with Mermaid and @vscode-elements bundled in, no
// module loading at run time, so the page's CSP allows exactly one nonce'd script) and its CSS.
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

// The in-editor integration tests (test/integration): index.ts (the extension-tests entry) and one bundle per suite,
// which index.js finds next to itself. mocha stays external: the extension host loads it from node_modules.
const integrationSuites = fs.existsSync('test/integration')
  ? fs
      .readdirSync('test/integration')
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => `test/integration/${f}`)
  : [];

const builds = [
  { ...node, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js' },
  { ...node, entryPoints: ['src/bench.ts'], outfile: 'dist/bench.js' },
  // The extension host loads extension.js at activation: it must stay small and free of the analysis code, which
  // lives in worker.js (ts-morph and the core), loaded in a worker thread on the first analysis.
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js' },
  { ...node, entryPoints: ['src/worker.ts'], outfile: 'dist/worker.js' },
  {
    entryPoints: ['webview/main.ts', 'webview/main.css'],
    outdir: 'dist/webview',
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    // Mermaid alone is ~3 MB minified: a source map would triple what the page loads, so production has none.
    sourcemap: !production,
    minify: true,
    logLevel: 'warning',
    legalComments: 'none',
  },
  ...(production
    ? []
    : [
        {
          ...node,
          entryPoints: ['test/integration/index.ts', ...integrationSuites],
          outdir: 'dist/test/integration',
          external: ['vscode', 'mocha'],
        },
      ]),
].filter((b) => fs.existsSync(b.entryPoints[0]));

// Suites deleted from test/integration must not keep running from stale bundles.
if (!production) fs.rmSync('dist/test/integration', { recursive: true, force: true });

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
