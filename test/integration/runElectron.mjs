// (b) The same integration suites through the standard @vscode/test-electron runner: downloads a VS Code desktop
// build into .vscode-test/ and runs dist/test/integration/index.js in it. Machines without internet cannot download
// VS Code: that is reported as SKIPPED with the reason, never as passed. Linux needs an X display (`xvfb-run -a`).
//
//   node test/integration/runElectron.mjs        (after `npm run build`)
//   SA_VSCODE_VERSION=1.139.1 node test/integration/runElectron.mjs
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import testElectron from '@vscode/test-electron';
import { addResults, prepareWorkspace, suiteGroups } from '../editor/integration.mjs';
import { EDITOR_DIR, REPO, cleanupAll, installSignalHandlers, log, step, tempDir } from '../editor/lib.mjs';

const BUNDLE = path.join(REPO, 'dist/test/integration/index.js');
const NETWORK_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
]);
const NETWORK_TEXT =
  /getaddrinfo|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|socket hang up|network|Failed to get VS Code archive location|Failed to get JSON|TimeoutError|timed out|fetch failed/i;

/** The network error behind a download failure, or undefined when it was something else. */
export function networkCause(err, depth = 0) {
  if (err === undefined || err === null || depth > 5) return undefined;
  if (typeof err === 'string') return NETWORK_TEXT.test(err) ? err : undefined;
  if (typeof err === 'object') {
    if (NETWORK_CODES.has(err.code)) return `${err.code}: ${err.message ?? ''}`.trim();
    if (err.name === 'TimeoutError') return err.message;
    for (const inner of [err.cause, ...(Array.isArray(err.errors) ? err.errors : [])]) {
      const found = networkCause(inner, depth + 1);
      if (found) return found;
    }
    if (typeof err.message === 'string' && NETWORK_TEXT.test(err.message)) return err.message;
  }
  return undefined;
}

/** { passed, failed, skipped, failures: [{title, error}], skips: [{title, reason}] } */
export async function runElectron({ tmp, only } = {}) {
  const outcome = { passed: 0, failed: 0, skipped: 0, failures: [], skips: [] };
  const skip = (reason) => {
    outcome.skipped++;
    outcome.skips.push({ title: '@vscode/test-electron suites', reason });
    return outcome;
  };
  const fail = (title, error) => {
    outcome.failed++;
    outcome.failures.push({ title, error });
  };
  if (!fs.existsSync(BUNDLE)) {
    fail('integration bundle', `${BUNDLE} is missing: run \`npm run build\``);
    return outcome;
  }

  const version = process.env.SA_VSCODE_VERSION ?? 'stable';
  let executable;
  try {
    executable = await step('test-electron: download VS Code', 10 * 60000, () =>
      testElectron.downloadAndUnzipVSCode({ version, cachePath: EDITOR_DIR, timeout: 30000 }),
    );
  } catch (e) {
    const cause = networkCause(e);
    if (cause) return skip(`VS Code ${version} could not be downloaded (no network: ${cause})`);
    fail('test-electron: download VS Code', e instanceof Error ? (e.stack ?? e.message) : String(e));
    return outcome;
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return skip('no X display for the VS Code desktop build (run under `xvfb-run -a`)');

  const root = path.join(tmp, 'electron');
  for (const [i, group] of suiteGroups(only).entries()) {
    const runDir = path.join(root, `run-${i}`);
    const resultsFile = path.join(runDir, 'results.json');
    const { ws } = prepareWorkspace(group, runDir, resultsFile);
    const title = `${group.suites.join(', ')} on ${group.workspace}`;
    log(`test-electron: ${title}`);
    let runError;
    try {
      await step('test-electron: run', 5 * 60000, () =>
        testElectron.runTests({
          vscodeExecutablePath: executable,
          extensionDevelopmentPath: REPO,
          extensionTestsPath: BUNDLE,
          launchArgs: [
            ws,
            '--disable-extensions',
            '--disable-workspace-trust',
            '--skip-welcome',
            '--skip-release-notes',
            '--user-data-dir',
            path.join(runDir, 'user-data'),
            '--extensions-dir',
            path.join(runDir, 'extensions'),
          ],
        }),
      );
    } catch (e) {
      runError = e instanceof Error ? e.message : String(e);
    }
    if (!fs.existsSync(resultsFile)) {
      fail(title, runError ?? 'the suites wrote no results');
      continue;
    }
    addResults(outcome, fail, title, JSON.parse(fs.readFileSync(resultsFile, 'utf8')));
  }
  return outcome;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  installSignalHandlers();
  let code;
  try {
    const o = await runElectron({ tmp: tempDir('sa-electron-'), only: process.argv.slice(2) });
    for (const s of o.skips) console.log(`SKIPPED: ${s.title}: ${s.reason}`);
    for (const f of o.failures) console.log(`FAILED: ${f.title}\n${f.error}`);
    console.log(`test-electron: ${o.passed} passed, ${o.failed} failed, ${o.skipped} skipped`);
    code = o.failed > 0 ? 1 : 0;
  } catch (e) {
    console.error(`test-electron: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    code = 1;
  } finally {
    await cleanupAll();
  }
  process.exit(code);
}
