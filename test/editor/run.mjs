// `npm run test:editor`: the tests that need a real editor, after the unit tests.
//   (a) integration  test/integration/*.test.ts in the extension host of VS Code's server (from code-server),
//                    opened by headless Chromium in VS Code's extension-test mode
//   (b) electron     the same suites through @vscode/test-electron (skipped, with the reason, without internet)
//   (c) e2e          the packaged .vsix in code-server, driven from the command palette (test/e2e/e2e.mjs)
// Needs `npm run editor:setup` once; without it the run is reported as SKIPPED (exit 0), or fails when
// SA_REQUIRE_EDITOR=1 (CI). Run a part alone with `node test/editor/run.mjs integration|electron|e2e`; `--no-build`
// skips rebuilding bundles older than their sources.
// Env: SA_KEEP_TMP=1 keeps the temp dirs; SA_INTEGRATION_GREP filters tests; SA_EDITOR_TIMEOUT_MS (default 9 min).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runE2E } from '../e2e/e2e.mjs';
import { runElectron } from '../integration/runElectron.mjs';
import { runIntegration } from './integration.mjs';
import {
  REPO,
  RESULTS_DIR,
  cleanupAll,
  editorMissing,
  elapsed,
  installSignalHandlers,
  leftoverGroups,
  log,
  runAsync,
  tempDir,
} from './lib.mjs';

const PARTS = [
  { id: 'integration', title: 'integration (extension host of VS Code server)', run: runIntegration },
  { id: 'electron', title: '@vscode/test-electron', run: runElectron },
  { id: 'e2e', title: 'end-to-end (.vsix in code-server, Chromium)', run: runE2E },
];
const SETUP_HINT = 'run `npm run editor:setup` (apt-get as root: chromium, libkrb5-dev; npm: Node 24 and code-server)';

const args = process.argv.slice(2);
const wanted = PARTS.filter((p) => args.includes(p.id));
const parts = wanted.length ? wanted : PARTS;

installSignalHandlers();

const missing = editorMissing();
if (missing) {
  if (process.env.SA_REQUIRE_EDITOR === '1') {
    console.error(`\nFAILED: in-editor tests: the editor is not installed (${missing}); ${SETUP_HINT}.\n`);
    process.exit(1);
  }
  const line = '*'.repeat(100);
  console.log(`\n${line}\n*  SKIPPED: in-editor tests (${missing}; ${SETUP_HINT})\n${line}\n`);
  process.exit(0);
}

const overallMs = Number(process.env.SA_EDITOR_TIMEOUT_MS ?? 9 * 60000);
const watchdog = setTimeout(() => {
  console.error(
    `\nFAILED: test:editor did not finish within ${overallMs / 1000}s; stopping the servers and the browser`,
  );
  void cleanupAll().finally(() => process.exit(1));
}, overallMs);
watchdog.unref();

const outcomes = [];
let code;
try {
  if (!args.includes('--no-build')) await buildIfStale();
  const tmp = tempDir('sa-editor-');
  for (const part of parts) {
    console.log(`\n=== ${part.title} ===`);
    const start = Date.now();
    let outcome;
    try {
      outcome = await part.run({ tmp });
    } catch (e) {
      outcome = { passed: 0, failed: 1, skipped: 0, skips: [], failures: [{ title: part.id, error: errText(e) }] };
    }
    outcome.ms = Date.now() - start;
    if (outcome.offHost) {
      // The workbench runs with the extension gallery off (lib.mjs serverEnv): nothing on the page, ours or the
      // editor's, has a reason to leave the machine.
      const title = `the ${part.id} page makes no request off 127.0.0.1`;
      if (outcome.offHost.length) {
        outcome.failed++;
        outcome.failures.push({ title, error: outcome.offHost.join('\n') });
      } else {
        outcome.passed++;
        log(`${part.id} ✔ ${title}`);
      }
    }
    outcomes.push({ part, outcome });
  }
} catch (e) {
  outcomes.push({
    part: { id: 'harness', title: 'harness' },
    outcome: { passed: 0, failed: 1, skipped: 0, skips: [], failures: [{ title: 'harness', error: errText(e) }] },
  });
} finally {
  await cleanupAll();
  const leaks = leftoverGroups();
  if (leaks.length) {
    outcomes.push({
      part: { id: 'cleanup', title: 'cleanup' },
      outcome: {
        passed: 0,
        failed: 1,
        skipped: 0,
        skips: [],
        failures: [{ title: 'process groups left running', error: leaks.join(', ') }],
      },
    });
  }
  code = summary(outcomes);
}
process.exit(code);

/** Rebuilds (node esbuild.mjs) when a bundle the editor loads is older than its sources; npm test builds first. */
async function buildIfStale() {
  const newest = (dir) => {
    let t = 0;
    if (!fs.existsSync(dir)) return t;
    for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (e.isFile() && /\.(ts|json|yaml)$/.test(e.name))
        t = Math.max(t, fs.statSync(path.join(e.parentPath, e.name)).mtimeMs);
    }
    return t;
  };
  const mtime = (f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0);
  const bundle = Math.min(
    mtime(path.join(REPO, 'dist/test/integration/index.js')),
    mtime(path.join(REPO, 'dist/cli.js')),
  );
  const extension = mtime(path.join(REPO, 'dist/extension.js'));
  const stale =
    bundle < newest(path.join(REPO, 'test/integration')) ||
    (extension > 0 && extension < newest(path.join(REPO, 'src'))) ||
    bundle < newest(path.join(REPO, 'src'));
  if (!stale) return;
  log('bundles are older than their sources: node esbuild.mjs');
  const res = await runAsync(process.execPath, ['esbuild.mjs'], { cwd: REPO, timeoutMs: 120000 });
  if (res.status !== 0) throw new Error(`node esbuild.mjs failed:\n${res.stdout}${res.stderr}`);
}

function summary(list) {
  const total = { passed: 0, failed: 0, skipped: 0 };
  const rows = [];
  for (const { part, outcome } of list) {
    for (const k of Object.keys(total)) total[k] += outcome[k];
    const secs = outcome.ms === undefined ? '' : `${(outcome.ms / 1000).toFixed(1)}s`;
    rows.push([part.title, outcome, secs]);
  }
  const width = Math.max(...rows.map((r) => r[0].length), 5) + 2;
  const counts = (o) =>
    `${String(o.passed).padStart(3)} passed ${String(o.failed).padStart(3)} failed ${String(o.skipped).padStart(3)} skipped`;
  console.log(`\n${'='.repeat(30)} in-editor tests: summary ${'='.repeat(30)}`);
  for (const [title, o, secs] of rows) console.log(`${title.padEnd(width)}${counts(o)}  ${secs.padStart(7)}`);
  console.log(`${'total'.padEnd(width)}${counts(total)}  ${elapsed().padStart(7)}`);
  for (const { part, outcome } of list) {
    for (const s of outcome.skips ?? []) console.log(`SKIPPED [${part.id}] ${s.title}: ${s.reason}`);
  }
  for (const { part, outcome } of list) {
    for (const f of outcome.failures ?? []) {
      const lines = String(f.error).split('\n');
      const shown = lines.length > 12 ? [...lines.slice(0, 12), `  … (${lines.length - 12} more lines)`] : lines;
      console.log(`FAILED  [${part.id}] ${f.title}\n${shown.map((l) => `    ${l}`).join('\n')}`);
    }
  }
  if (list.some((x) => x.part.id === 'e2e'))
    console.log(`screenshots: ${path.relative(REPO, path.join(RESULTS_DIR, 'e2e'))}/`);
  console.log(`logs: ${path.relative(REPO, path.join(RESULTS_DIR, 'editor'))}/`);
  const ok = total.failed === 0;
  console.log(ok ? 'in-editor tests: OK' : `in-editor tests: ${total.failed} FAILED`);
  return ok ? 0 : 1;
}

function errText(e) {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}
