// The extension-tests entry (the contract of @vscode/test-electron and of VS Code's browser test mode): run() runs
// the mocha suites bundled next to this file inside the extension host, with the real `vscode` API.
//
// The runner and the host share no environment in the browser setup, so they meet in the file system: the runner
// writes `sa-integration.json` next to the workspace folder it opens (its temp copy, never the repo's folder):
//   { "results": "<where to write the results JSON>", "suites": ["extension.test.js", ...] (optional, default all),
//     "grep": "<mocha grep>" (optional) }
// Without that file (someone opened the tests by hand) every suite runs and the results go next to this bundle.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export const OPTIONS_FILE = 'sa-integration.json';
/** Every line of mocha's output carries this prefix, so the runner can pick it out of the browser console. */
const LINE_PREFIX = '[sa-mocha] ';

interface Options {
  results?: string;
  suites?: string[];
  grep?: string;
}

export interface TestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export interface Results {
  passed: number;
  failed: number;
  pending: number;
  tests: TestResult[];
  /** Errors outside any test: a suite that failed to load, a hook, mocha itself. */
  errors: string[];
  vscodeVersion: string;
  workspace?: string;
  durationMs: number;
}

/**
 * The runner's options: beside the first workspace folder, or beside the .code-workspace file of a multi-root
 * workspace. The folders can arrive after the tests start, so this waits for them a little.
 */
async function readOptions(): Promise<{ options: Options; from?: string }> {
  const end = Date.now() + 15000;
  for (;;) {
    const dirs = new Set<string>();
    const file = vscode.workspace.workspaceFile;
    if (file?.scheme === 'file') dirs.add(path.dirname(file.fsPath));
    for (const f of vscode.workspace.workspaceFolders ?? []) {
      if (f.uri.scheme === 'file') dirs.add(path.dirname(f.uri.fsPath));
    }
    for (const dir of dirs) {
      const candidate = path.join(dir, OPTIONS_FILE);
      if (fs.existsSync(candidate)) {
        return { options: JSON.parse(fs.readFileSync(candidate, 'utf8')) as Options, from: candidate };
      }
    }
    if (dirs.size > 0 || Date.now() > end) return { options: {} };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return String(err);
}

export async function run(): Promise<void> {
  const start = Date.now();
  const { options, from } = await readOptions();
  const resultsFile = options.results ?? path.join(__dirname, 'results.json');
  const results: Results = {
    passed: 0,
    failed: 0,
    pending: 0,
    tests: [],
    errors: [],
    vscodeVersion: vscode.version,
    workspace: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    durationMs: 0,
  };
  const write = () => {
    results.durationMs = Date.now() - start;
    fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
    fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2));
  };

  // Mocha's reporter output gets the prefix (the extension host does not let console.log itself be replaced).
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...data: unknown[]) => void; useColors: boolean };
  const reporterLog = base.consoleLog;
  const prefixed = (...data: unknown[]) => {
    for (const line of format(...data).split('\n')) console.log(LINE_PREFIX + line);
  };
  base.useColors = false;
  base.consoleLog = prefixed;

  try {
    const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60000, reporter: 'spec' });
    if (options.grep) mocha.grep(options.grep);
    const wanted = options.suites ? new Set(options.suites) : undefined;
    const files = fs
      .readdirSync(__dirname)
      .filter((f) => f.endsWith('.test.js') && (!wanted || wanted.has(f)))
      .sort();
    if (wanted) {
      for (const f of wanted) if (!files.includes(f)) results.errors.push(`suite ${f} not found in ${__dirname}`);
    }
    if (files.length === 0) results.errors.push(`no suites (*.test.js) in ${__dirname}`);
    for (const f of files) mocha.addFile(path.join(__dirname, f));
    const where = `folders: ${(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString()).join(', ') || 'none'}`;
    prefixed(`vscode ${vscode.version}, suites: ${files.join(', ')}; options: ${from ?? `none found (${where})`}`);

    await new Promise<void>((resolve) => {
      let runner: Mocha.Runner;
      try {
        runner = mocha.run(() => resolve());
      } catch (e) {
        results.errors.push(`mocha could not load the suites: ${errorText(e)}`);
        resolve();
        return;
      }
      runner.on('pass', (t) => {
        results.passed++;
        results.tests.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration });
      });
      runner.on('fail', (t, err) => {
        if (t.type === 'test') {
          results.failed++;
          results.tests.push({ title: t.fullTitle(), state: 'failed', durationMs: t.duration, error: errorText(err) });
        } else {
          // A hook: its tests do not run, so count it as a failure of its own.
          results.failed++;
          results.tests.push({ title: t.fullTitle(), state: 'failed', error: errorText(err) });
        }
      });
      runner.on('pending', (t) => {
        results.pending++;
        results.tests.push({ title: t.fullTitle(), state: 'pending' });
      });
    });
  } catch (e) {
    results.errors.push(errorText(e));
  } finally {
    base.consoleLog = reporterLog;
    write();
  }
  const failed = results.failed + results.errors.length;
  if (failed > 0) throw new Error(`${failed} failed (details in ${resultsFile})`);
}
