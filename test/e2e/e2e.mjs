// (c) End to end: the packaged extension (.vsix) installed into code-server, driven in headless Chromium the way a
// user would: run "Serverless Advisor: Analyze Workspace" from the command palette on a temp copy of
// examples/shop-api, then check the Problems count against the CLI's findings, the activity-bar tree and the
// CodeLens above a route handler; then the architecture panel (panel.mjs). Screenshots of every step go to
// test-results/e2e/.
//
//   node test/e2e/e2e.mjs                    packages with `npm run package` first
//   node test/e2e/e2e.mjs --vsix FILE.vsix   tests that .vsix instead
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CODE_SERVER_ENTRY,
  DEFAULT_WORKSPACE,
  NODE24,
  REPO,
  RESULTS_DIR,
  cleanupAll,
  copyWorkspace,
  editorMissing,
  freePort,
  installSignalHandlers,
  launchBrowser,
  log,
  poll,
  recordOffHostRequests,
  runAsync,
  serverEnv,
  sleep,
  startServer,
  step,
  tail,
} from '../editor/lib.mjs';
import { PANEL_CHECKS, recordWebviewRequests, runPanel } from './panel.mjs';

const SHOTS = path.join(RESULTS_DIR, 'e2e');
const VSIX = path.join(REPO, 'serverless-advisor.vsix');
const EXTENSION_ID = 'serverless-advisor.serverless-advisor';
const ANALYZE = 'Serverless Advisor: Analyze Workspace';
const TARGETS = ['faas', 'edge', 'baas', 'container', 'keep'];

/** User settings for the throwaway profile: quiet, offline, nothing opened at start. */
const SETTINGS = {
  'workbench.startupEditor': 'none',
  // The panel's screenshots are taken in this theme, then in Default Light Modern (panel.mjs).
  'workbench.colorTheme': 'Default Dark Modern',
  // Toggle between Light/Dark Themes goes to the preferred light theme, then back to the preferred dark one: the
  // second toggle is how the test reaches high contrast (the theme picker does not stay open in a headless page).
  'workbench.preferredLightColorTheme': 'Default Light Modern',
  'workbench.preferredDarkColorTheme': 'Default High Contrast',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'typescript.disableAutomaticTypeAcquisition': true,
  'npm.fetchOnlinePackageInfo': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
};

/** { passed, failed, skipped, failures, skips, offHost: [url…], timings } */
export async function runE2E({ tmp, vsix } = {}) {
  const outcome = { passed: 0, failed: 0, skipped: 0, failures: [], skips: [], offHost: [], timings: {} };
  const pass = (title) => {
    outcome.passed++;
    log(`e2e ✔ ${title}`);
  };
  const fail = (title, error) => {
    outcome.failed++;
    outcome.failures.push({ title, error });
    log(`e2e ✘ ${title}`);
  };
  const notReached = (titles, why) => {
    for (const title of titles) {
      outcome.skipped++;
      outcome.skips.push({ title, reason: `not reached: ${why}` });
    }
  };
  const CHECKS = [
    'Analyze Workspace runs from the command palette',
    'Problems count equals the CLI findings',
    'activity-bar tree groups components by target',
    'CodeLens above a route handler shows the cold start',
    ...PANEL_CHECKS,
  ];

  const missing = editorMissing();
  if (missing) {
    notReached(['end-to-end'], `${missing}; run \`npm run editor:setup\``);
    return outcome;
  }
  fs.rmSync(SHOTS, { recursive: true, force: true });
  fs.mkdirSync(SHOTS, { recursive: true });
  const root = path.join(tmp, 'e2e');
  const dirs = Object.fromEntries(
    ['home', 'user-data', 'extensions', 'browser', 'workspace'].map((d) => [d, path.join(root, d)]),
  );
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  const env = serverEnv(dirs.home);
  const logDir = path.join(RESULTS_DIR, 'editor');

  // 1. The .vsix.
  if (!vsix) {
    try {
      const t = Date.now();
      const res = await step('e2e: npm run package', 240000, () =>
        runAsync('npm', ['run', 'package'], { cwd: REPO, timeoutMs: 230000, env: { ...process.env, CI: '1' } }),
      );
      outcome.timings.package = Date.now() - t;
      if (res.status !== 0 || !fs.existsSync(VSIX)) {
        fail(
          'npm run package builds serverless-advisor.vsix',
          `exit ${res.status}\n${lastLines(res.stdout + res.stderr, 25)}`,
        );
        notReached(['install the .vsix in code-server', ...CHECKS], 'packaging failed');
        return outcome;
      }
      const warnings = (res.stdout + res.stderr).split('\n').filter((l) => /\bWARNING\b|\bwarn\b/i.test(l));
      for (const w of warnings) log(`e2e: package: ${w.trim()}`);
      pass('npm run package builds serverless-advisor.vsix');
    } catch (e) {
      fail('npm run package builds serverless-advisor.vsix', errText(e));
      notReached(['install the .vsix in code-server', ...CHECKS], 'packaging failed');
      return outcome;
    }
    vsix = VSIX;
  }

  // 2. Install it into a throwaway extensions dir.
  const port = await freePort();
  const config = path.join(root, 'config.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  fs.mkdirSync(path.join(dirs['user-data'], 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs['user-data'], 'User/settings.json'), JSON.stringify(SETTINGS, null, 2));
  const common = ['--config', config, '--user-data-dir', dirs['user-data'], '--extensions-dir', dirs.extensions];
  try {
    const res = await step('e2e: install the .vsix', 120000, () =>
      runAsync(NODE24, [CODE_SERVER_ENTRY, ...common, '--install-extension', path.resolve(vsix)], {
        cwd: root,
        env,
        timeoutMs: 110000,
      }),
    );
    const listed = fs.readdirSync(dirs.extensions).filter((d) => d.startsWith(`${EXTENSION_ID}-`));
    if (res.status !== 0 || listed.length === 0)
      throw new Error(
        `exit ${res.status}, installed: ${listed.join(', ') || 'nothing'}\n${lastLines(res.stdout + res.stderr, 15)}`,
      );
    pass(`install the .vsix in code-server (${listed.join(', ')})`);
  } catch (e) {
    fail('install the .vsix in code-server', errText(e));
    notReached(CHECKS, 'the .vsix did not install');
    return outcome;
  }

  // 3. The workspace copy and what the CLI finds in it (the same bundle the extension ships).
  const ws = copyWorkspace(DEFAULT_WORKSPACE, path.join(dirs.workspace, path.basename(DEFAULT_WORKSPACE)));
  let cli;
  try {
    const res = await step('e2e: CLI analysis of the copy', 120000, () =>
      runAsync(process.execPath, [path.join(REPO, 'dist/cli.js'), 'analyze', ws, '--format', 'json'], {
        cwd: root,
        timeoutMs: 110000,
      }),
    );
    if (res.status !== 0) throw new Error(`exit ${res.status}\n${lastLines(res.stderr, 15)}`);
    cli = JSON.parse(res.stdout);
    log(`e2e: the CLI reports ${cli.findings.length} findings, ${cli.components.length} components`);
  } catch (e) {
    fail('CLI analysis of the workspace copy', errText(e));
  }

  // 4. code-server on the copy, and the browser.
  const server = await startServer({
    name: 'code-server',
    command: NODE24,
    args: [
      CODE_SERVER_ENTRY,
      ...common,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
    ],
    env,
    cwd: root,
    logFile: path.join(logDir, 'e2e-code-server.log'),
    readyUrl: `http://127.0.0.1:${port}/healthz`,
  });
  const serverTail = () => tail(server.logFile, 15);
  const context = await step('e2e: browser launch', 60000, () => launchBrowser(dirs.browser));
  const offHost = recordOffHostRequests(context);
  const webviewRequests = recordWebviewRequests(context);
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${String(e)}`));
  let shotNo = 0;
  const shot = async (name) => {
    const file = path.join(SHOTS, `${String(++shotNo).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file }).catch((e) => log(`screenshot ${name} failed: ${errText(e)}`));
    return file;
  };
  shot.path = (name) => path.join(SHOTS, `${String(++shotNo).padStart(2, '0')}-${name}.png`);

  try {
    await step(
      'e2e: workbench',
      90000,
      async () => {
        await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`, {
          waitUntil: 'domcontentloaded',
        });
        await page.waitForSelector('.monaco-workbench', { timeout: 85000 });
        await page.waitForSelector('.statusbar', { timeout: 85000 });
      },
      serverTail,
    );
    await shot('workbench');

    // 5. Analyze Workspace from the palette: retry while the extension host starts.
    try {
      await step(
        'e2e: run Analyze Workspace from the palette',
        90000,
        () => runFromPalette(page, ANALYZE, shot),
        serverTail,
      );
      pass(CHECKS[0]);
    } catch (e) {
      await shot('palette-failed');
      fail(CHECKS[0], errText(e));
      notReached(CHECKS.slice(1), 'the command did not run');
      return outcome;
    }

    // 6. Wait for the analysis: the Problems count settles above zero.
    let problems;
    try {
      problems = await step(
        'e2e: analysis finishes (Problems count settles)',
        150000,
        () => settledProblems(page),
        serverTail,
      );
      const statusText = await extensionStatusText(page);
      log(`e2e: status bar: ${statusText ?? '(no Serverless Advisor item found)'}`);
      log(`e2e: Problems: ${JSON.stringify(problems)}`);
      await shot('analysis-done');
    } catch (e) {
      await shot('analysis-timeout');
      fail(CHECKS[1], errText(e));
    }

    // (i) Problems count = CLI findings.
    if (problems) {
      await runFromPalette(page, 'View: Toggle Problems', undefined, 30000).catch(() => {});
      await sleep(1000);
      await shot('problems-panel');
      const expected = cli?.findings.length;
      if (expected === undefined) fail(CHECKS[1], 'no CLI count to compare with (the CLI analysis failed above)');
      else if (problems.total > 0 && problems.total === expected) pass(`${CHECKS[1]} (${expected})`);
      else {
        const bySeverity = countBy(cli.findings, (f) => f.severity);
        fail(
          CHECKS[1],
          `editor: ${problems.total} (${problems.label}); CLI: ${expected} findings (${JSON.stringify(bySeverity)})`,
        );
      }
      await runFromPalette(page, 'View: Hide Panel', undefined, 30000).catch(() => {});
    }

    // (ii) The tree in the activity bar.
    try {
      const labels = await step('e2e: activity-bar tree', 60000, () => treeTopLevel(page));
      await shot('tree');
      log(`e2e: tree top level: ${labels.join(' | ')}`);
      const wrong = labels.filter((l) => !TARGETS.some((t) => l.toLowerCase().startsWith(t)));
      if (labels.length > 0 && wrong.length === 0) pass(`${CHECKS[2]} (${labels.length} groups)`);
      else fail(CHECKS[2], `top-level labels: ${JSON.stringify(labels)}; not a target: ${JSON.stringify(wrong)}`);
    } catch (e) {
      await shot('tree-failed');
      fail(CHECKS[2], errText(e));
    }

    // (iii) CodeLens on a route file, at a handler the CLI knows.
    try {
      const target = routeHandler(cli);
      const lenses = await step('e2e: CodeLens', 60000, () => codeLenses(page, target));
      await shot('codelens');
      log(`e2e: CodeLens in ${target.file}: ${lenses.slice(0, 6).join(' | ')}`);
      if (lenses.some((l) => /cold start/i.test(l))) pass(`${CHECKS[3]} (${target.file})`);
      else fail(CHECKS[3], `no CodeLens with "cold start" in ${target.file}: ${JSON.stringify(lenses)}`);
    } catch (e) {
      await shot('codelens-failed');
      fail(CHECKS[3], errText(e));
    }

    // (iv) The architecture panel.
    await runPanel({
      page,
      cli,
      ws,
      runFromPalette,
      shot,
      pass,
      fail,
      requests: webviewRequests,
      timings: outcome.timings,
    });
  } catch (e) {
    await shot('failure');
    fail('end-to-end run', `${errText(e)}\n${serverTail()}`);
  } finally {
    fs.writeFileSync(path.join(logDir, 'e2e-console.log'), consoleLines.join('\n') + '\n');
    outcome.offHost = [...offHost].map(([url, n]) => (n > 1 ? `${url} (×${n})` : url));
    await context.close().catch(() => {});
    await step('e2e: code-server stop', 15000, () => server.stop());
  }
  return outcome;
}

// ---------------------------------------------------------------------------------------------------------------
// Driving the workbench

/** F1, type the command, pick it. Retries until the command shows (the extension host starts late). */
async function runFromPalette(page, label, shot, timeoutMs = 85000) {
  const input = page.locator('.quick-input-widget input');
  const end = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape').catch(() => {});
    await page
      .locator('.monaco-workbench')
      .click({ position: { x: 700, y: 300 } })
      .catch(() => {});
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 15000 });
    await input.fill(`>${label}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: 3000 });
      if (shot) await shot('palette');
      await page.keyboard.press('Enter');
      log(`e2e: palette "${label}": attempt ${attempt}`);
      return;
    } catch {
      if (Date.now() > end) throw new Error(`"${label}" never showed in the command palette (${attempt} attempts)`);
      await page.keyboard.press('Escape');
      await sleep(1500);
    }
  }
}

/** The Problems entry of the status bar: { errors, warnings, infos, total, label }. */
async function problemCounts(page) {
  const label = await page
    .locator('[id="status.problems"]')
    .first()
    .evaluate((el) => el.getAttribute('aria-label') || el.textContent || '')
    .catch(() => undefined);
  if (label === undefined) return undefined;
  const num = (re) => Number(re.exec(label)?.[1] ?? 0);
  const errors = num(/(\d+)\s+error/i) || num(/errors?:\s*(\d+)/i);
  const warnings = num(/(\d+)\s+warning/i) || num(/warnings?:\s*(\d+)/i);
  const infos = num(/(\d+)\s+info/i) || num(/infos?:\s*(\d+)/i);
  return { errors, warnings, infos, total: errors + warnings + infos, label };
}

/** Waits until the Problems count is above zero and the same for 4 s, and the extension's status item is not busy. */
async function settledProblems(page) {
  let last;
  let since = 0;
  for (;;) {
    const now = await problemCounts(page);
    const busy = await page
      .locator('.statusbar-item[id^="serverless-advisor."] .codicon-modifier-spin')
      .count()
      .catch(() => 0);
    if (now && now.total > 0 && !busy && last && now.total === last.total) {
      if (Date.now() - since >= 4000) return now;
    } else since = Date.now();
    last = now;
    await sleep(500);
  }
}

/** The text of the extension's own status bar entry, if there is one. */
async function extensionStatusText(page) {
  return page
    .locator('.statusbar-item[id^="serverless-advisor."]')
    .allInnerTexts()
    .then((t) => (t.length ? t.join(' | ').replace(/\s+/g, ' ') : undefined))
    .catch(() => undefined);
}

/** Opens the Serverless Advisor view container and returns the labels of the tree's top-level rows. */
async function treeTopLevel(page) {
  const icon = page.locator(
    '.activitybar .action-item a[aria-label^="Serverless Advisor"], .activitybar .action-item[aria-label^="Serverless Advisor"]',
  );
  if (await icon.count()) await icon.first().click();
  else await runFromPalette(page, 'View: Show Serverless Advisor', undefined, 30000);
  const rows = page.locator('.sidebar .pane-body .monaco-list-row[aria-level="1"]');
  const labels = await poll(async () => {
    const l = await rows.evaluateAll((els) =>
      els.map((e) =>
        (e.querySelector('.label-name, .monaco-highlighted-label')?.textContent ?? e.textContent ?? '').trim(),
      ),
    );
    return l.length ? l : undefined;
  }, 50000);
  if (!labels) throw new Error('the Serverless Advisor tree shows no rows');
  return labels;
}

/** The first HTTP route handler under src/routes/ that the CLI reports (with a cold-start estimate). */
function routeHandler(cli) {
  const comps = (cli?.components ?? []).filter((c) => (c.handler ?? c.location)?.file.startsWith('src/routes/'));
  const c = comps.find((x) => x.coldStart) ?? comps[0];
  if (!c) return { file: 'src/routes/orders.ts', line: 1 };
  const at = c.handler ?? c.location;
  return { file: at.file, line: at.line };
}

/** Opens file:line with Quick Open and returns the CodeLens texts the editor shows. */
async function codeLenses(page, { file, line }) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15000 });
  await input.fill(`${file}:${line}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: path.basename(file) }).first();
  await row.waitFor({ state: 'visible', timeout: 20000 });
  await page.keyboard.press('Enter');
  await page.waitForSelector(
    `.tab[aria-label^="${path.basename(file)}"], .tab[data-resource-name="${path.basename(file)}"]`,
    {
      timeout: 20000,
    },
  );
  const lenses = await poll(async () => {
    const t = await page
      .locator('.monaco-editor .codelens-decoration')
      .allInnerTexts()
      .catch(() => []);
    const texts = t.map((s) => s.trim()).filter(Boolean);
    return texts.some((s) => /cold start/i.test(s)) ? texts : undefined;
  }, 45000);
  if (lenses) return lenses;
  return (
    await page
      .locator('.monaco-editor .codelens-decoration')
      .allInnerTexts()
      .catch(() => [])
  ).map((s) => s.trim());
}

// ---------------------------------------------------------------------------------------------------------------

function errText(e) {
  return e instanceof Error ? e.message : String(e);
}

function lastLines(text, n) {
  return text.trimEnd().split('\n').slice(-n).join('\n');
}

function countBy(items, key) {
  const out = {};
  for (const i of items) out[key(i)] = (out[key(i)] ?? 0) + 1;
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  installSignalHandlers();
  const at = process.argv.indexOf('--vsix');
  const vsix = at > 0 ? process.argv[at + 1] : undefined;
  const { tempDir } = await import('../editor/lib.mjs');
  let code;
  try {
    const o = await runE2E({ tmp: tempDir('sa-e2e-'), vsix });
    for (const s of o.skips) console.log(`SKIPPED: ${s.title}: ${s.reason}`);
    for (const f of o.failures) console.log(`FAILED: ${f.title}\n${f.error}`);
    console.log(`requests off 127.0.0.1: ${o.offHost.length ? `\n  ${o.offHost.join('\n  ')}` : 'none'}`);
    console.log(`e2e: ${o.passed} passed, ${o.failed} failed, ${o.skipped} skipped; screenshots in ${SHOTS}`);
    code = o.failed > 0 ? 1 : 0;
  } catch (e) {
    console.error(`e2e: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    code = 1;
  } finally {
    await cleanupAll();
  }
  process.exit(code);
}
