// (a) The in-host integration suites (test/integration/*.test.ts, bundled to dist/test/integration/) in a real
// VS Code: the VS Code server inside code-server, opened by headless Chromium in VS Code's extension-test mode
// (the `payload` URL with extensionDevelopmentPath and extensionTestsPath: the browser counterpart of what
// @vscode/test-electron does with a desktop build). The extension under test is the repo itself (package.json `main`).
//
// A suite picks its workspace with a first-lines comment `// @workspace <folder of the repo>` (default
// examples/shop-api), or `// @workspace <dir>/<name>.code-workspace` for a multi-root workspace; suites that share
// a workspace run in one window, on a fresh temp copy of it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DEFAULT_WORKSPACE,
  NODE24,
  REPO,
  RESULTS_DIR,
  VSCODE_SERVER_MAIN,
  copyWorkspace,
  freePort,
  launchBrowser,
  log,
  poll,
  recordOffHostRequests,
  serverEnv,
  startServer,
  step,
  tail,
} from './lib.mjs';

const SUITES_SRC = path.join(REPO, 'test/integration');
const BUNDLE_DIR = path.join(REPO, 'dist/test/integration');
const LINE_PREFIX = '[sa-mocha] ';
const OPTIONS_FILE = 'sa-integration.json';
/** What a suite's error says when the editor opened its window without the workspace (test/integration/helpers.ts). */
const WORKSPACE_NOT_OPENED = 'the editor opened the window without its workspace';
/** The extension under test: the repo (package.json `main`); another folder only to debug the harness itself. */
const EXTENSION_DEV_PATH = path.resolve(process.env.SA_EXTENSION_DEV_PATH ?? REPO);
/** Per window: workbench start + extension host + the suites. */
const WINDOW_TIMEOUT_MS = Number(process.env.SA_INTEGRATION_TIMEOUT_MS ?? 180000);

/** [{ workspace, suites: ['x.test.js'] }] from the `// @workspace` comments; `only` filters suite names. */
export function suiteGroups(only) {
  const groups = new Map();
  const files = fs.readdirSync(SUITES_SRC).filter((f) => f.endsWith('.test.ts'));
  for (const f of files.sort()) {
    const name = f.replace(/\.ts$/, '.js');
    if (only?.length && !only.some((o) => f.includes(o))) continue;
    const head = fs.readFileSync(path.join(SUITES_SRC, f), 'utf8').split('\n').slice(0, 10).join('\n');
    const workspace = /^\/\/\s*@workspace\s+(\S+)/m.exec(head)?.[1] ?? DEFAULT_WORKSPACE;
    if (!groups.has(workspace)) groups.set(workspace, []);
    groups.get(workspace).push(name);
  }
  return [...groups].map(([workspace, suites]) => ({ workspace, suites }));
}

/**
 * Copies the group's workspace into runDir (a fresh dir) and writes the options for index.ts beside the first
 * workspace folder. A multi-root workspace is a `.code-workspace` file whose folders are its sub-folders: its
 * folder is copied, and the options go next to the folders. Returns { ws: folder or .code-workspace, multiRoot }.
 */
export function prepareWorkspace(group, runDir, resultsFile) {
  fs.mkdirSync(runDir, { recursive: true });
  const multiRoot = group.workspace.endsWith('.code-workspace');
  const wsDir = multiRoot ? path.dirname(group.workspace) : group.workspace;
  const copied = copyWorkspace(wsDir, path.join(runDir, path.basename(wsDir)));
  const ws = multiRoot ? path.join(copied, path.basename(group.workspace)) : copied;
  fs.writeFileSync(
    path.join(multiRoot ? copied : runDir, OPTIONS_FILE),
    JSON.stringify({ results: resultsFile, suites: group.suites, grep: process.env.SA_INTEGRATION_GREP }),
  );
  return { ws, multiRoot };
}

/** Runs every group; returns { passed, failed, skipped, failures: [{title, error}], skips: [{title, reason}] }. */
export async function runIntegration({ tmp, only }) {
  const outcome = { passed: 0, failed: 0, skipped: 0, failures: [], skips: [], vscodeVersion: undefined };
  const fail = (title, error) => {
    outcome.failed++;
    outcome.failures.push({ title, error });
  };
  if (!fs.existsSync(path.join(BUNDLE_DIR, 'index.js'))) {
    fail('integration bundle', `${BUNDLE_DIR}/index.js is missing: run \`npm run build\``);
    return outcome;
  }
  const groups = suiteGroups(only);
  if (groups.length === 0) {
    fail('integration suites', `no test/integration/*.test.ts${only?.length ? ` matching ${only.join(', ')}` : ''}`);
    return outcome;
  }

  const root = path.join(tmp, 'integration');
  const dirs = Object.fromEntries(
    ['home', 'user-data', 'server-data', 'extensions', 'browser'].map((d) => [d, path.join(root, d)]),
  );
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  const logDir = path.join(RESULTS_DIR, 'editor');
  const port = await freePort();
  const authority = `127.0.0.1:${port}`;
  const server = await startServer({
    name: 'VS Code server',
    command: NODE24,
    args: [
      VSCODE_SERVER_MAIN,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--without-connection-token',
      '--accept-server-license-terms',
      '--enable-smoke-test-driver',
      '--disable-workspace-trust',
      '--telemetry-level',
      'off',
      '--user-data-dir',
      dirs['user-data'],
      '--server-data-dir',
      dirs['server-data'],
      '--extensions-dir',
      dirs.extensions,
    ],
    env: serverEnv(dirs.home),
    cwd: root,
    logFile: path.join(logDir, 'integration-server.log'),
    readyUrl: `http://${authority}/`,
  });

  const context = await step('browser: launch', 60000, () => launchBrowser(dirs.browser));
  const offHost = recordOffHostRequests(context);
  try {
    for (const [i, group] of groups.entries()) {
      for (let attempt = 1; ; attempt++) {
        const runDir = path.join(root, `run-${i}${attempt > 1 ? `-${attempt}` : ''}`);
        const resultsFile = path.join(runDir, 'results.json');
        const { ws, multiRoot } = prepareWorkspace(group, runDir, resultsFile);
        const payload = [
          ['extensionDevelopmentPath', `vscode-remote://${authority}${EXTENSION_DEV_PATH}`],
          ['extensionTestsPath', `vscode-remote://${authority}${path.join(BUNDLE_DIR, 'index.js')}`],
          ['skipWelcome', 'true'],
        ];
        const url = `http://${authority}/?${multiRoot ? 'workspace' : 'folder'}=${encodeURIComponent(ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
        const title = `${group.suites.join(', ')} on ${group.workspace}`;
        log(`integration: ${title}`);
        const consoleLog = path.join(logDir, `integration-console-${i}.log`);
        const res = await runWindow({ context, url, resultsFile, consoleLog, server });
        if (res.error) {
          fail(title, `${res.error}\n${tail(consoleLog, 20)}\n${tail(server.logFile, 15)}`);
          continue;
        }
        // The browser editor sometimes opens a `.code-workspace` window without its folders: none reach the extension
        // host within 30 s (3 times in about 30 multi-root windows on this machine). That is the editor's start-up,
        // not the extension under test: the suite says so in its error, and the window is opened once more, fresh.
        const errors = [
          ...res.results.tests.filter((t) => t.state === 'failed').map((t) => t.error ?? ''),
          ...(res.results.errors ?? []),
        ];
        const unopened = errors.some((e) => String(e).includes(WORKSPACE_NOT_OPENED));
        if (unopened && attempt === 1) {
          log(
            `integration: the editor opened ${group.workspace} without its folders; opening a fresh window once more`,
          );
          continue;
        }
        outcome.vscodeVersion = res.results.vscodeVersion;
        const before = outcome.failed;
        addResults(outcome, fail, title, res.results);
        if (outcome.failed > before) {
          // What the extension logged in that window (its output channel): the first thing to read on a failure.
          const logs = extensionLogs(dirs['user-data']);
          for (const [j, f] of logs.entries())
            fs.copyFileSync(f, path.join(logDir, `integration-extension-${i}-${j}.log`));
          const last = outcome.failures[outcome.failures.length - 1];
          last.error += `\n${logs.map((f) => tail(f, 30)).join('\n') || '  (the extension wrote no log)'}`;
        }
        break;
      }
    }
  } finally {
    outcome.offHost = [...offHost].map(([url, n]) => (n > 1 ? `${url} (×${n})` : url));
    await context.close().catch(() => {});
    await step('VS Code server: stop', 15000, () => server.stop());
  }
  return outcome;
}

/**
 * The logs of the last window's extension host (its own log and the extension's output channel): VS Code's server
 * writes them under the user data dir, logs/<session>/exthost<N>/, one N per window, the last window highest.
 */
function extensionLogs(userData) {
  const hosts = [];
  const walk = (dir, depth) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      const p = path.join(dir, e.name);
      const n = /^exthost(\d+)$/.exec(e.name);
      if (n) hosts.push({ dir: p, n: Number(n[1]), mtime: fs.statSync(p).mtimeMs });
      else if (depth < 3) walk(p, depth + 1);
    }
  };
  walk(path.join(userData, 'logs'), 0);
  const last = hosts.sort((a, b) => a.mtime - b.mtime || a.n - b.n).at(-1);
  if (!last) return [];
  return [
    path.join(last.dir, 'remoteexthost.log'),
    path.join(last.dir, 'serverless-advisor.serverless-advisor', 'Serverless Advisor.log'),
  ].filter((f) => fs.existsSync(f));
}

async function runWindow({ context, url, resultsFile, consoleLog, server }) {
  const page = await context.newPage();
  const lines = [];
  let closed = false;
  page.on('close', () => (closed = true));
  page.on('console', (m) => {
    const text = m.text();
    lines.push(`[${m.type()}] ${text}`);
    const at = text.indexOf(LINE_PREFIX);
    if (at >= 0) {
      // The extension host's console reaches the page as '%c[Extension Host] %c<line>', plus CSS arguments.
      const line = text.slice(at + LINE_PREFIX.length).replace(/\s+color:[^%]*$/, '');
      console.log(`  | ${line}`);
    }
  });
  page.on('pageerror', (e) => lines.push(`[pageerror] ${String(e)}`));
  const flush = () => fs.writeFileSync(consoleLog, lines.join('\n') + '\n');
  try {
    await step('workbench: open', 60000, () => page.goto(url, { waitUntil: 'domcontentloaded' }));
    const done = await step(
      'integration suites: run',
      WINDOW_TIMEOUT_MS,
      () => poll(() => fs.existsSync(resultsFile) || closed || server.exited(), WINDOW_TIMEOUT_MS + 5000, 250),
      () => {
        flush();
        return `${tail(consoleLog, 20)}\n${tail(server.logFile, 15)}`;
      },
    ).catch((e) => ({ error: e.message }));
    if (done?.error) return { error: done.error };
    if (server.exited()) return { error: `the VS Code server exited (${JSON.stringify(server.exited())})` };
    // The results file is written in one go; give the workbench a moment to close itself as test-electron does.
    await poll(() => closed, 1500, 100);
    if (!fs.existsSync(resultsFile)) return { error: 'the workbench closed before the suites wrote their results' };
    return { results: JSON.parse(fs.readFileSync(resultsFile, 'utf8')) };
  } finally {
    flush();
    if (!closed) await page.close().catch(() => {});
  }
}

/** Adds one window's results (index.ts's results file) to an outcome: failures, pending tests, suite errors. */
export function addResults(outcome, fail, title, r) {
  outcome.passed += r.passed;
  for (const t of r.tests) {
    if (t.state === 'failed') fail(t.title, t.error ?? 'failed');
    if (t.state === 'pending') {
      outcome.skipped++;
      outcome.skips.push({ title: t.title, reason: 'pending (it.skip or no body)' });
    }
  }
  for (const e of r.errors) fail(`${title}: suite error`, e);
}
