// The architecture panel, end to end in code-server (called by e2e.mjs after the analysis ran): Show Architecture
// from the palette, the diagram drawn inside the webview's frames checked against the CLI's report, a click on a
// node opening its file at its line, SVG export through the save dialog, screenshots in the dark and the light
// theme, and every request the webview frames make checked to stay on 127.0.0.1.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { log, poll, sleep, step } from '../editor/lib.mjs';

export const PANEL_CHECKS = [
  'Show Architecture opens the panel and draws the proposed diagram',
  'the diagram has the nodes of the CLI report',
  'clicking a node opens its file at its line',
  'Export SVG writes the diagram where the save dialog says',
  'the panel follows the editor theme (dark and light screenshots)',
  'the webview frames make requests to 127.0.0.1 only',
];

/** The webview's inner frame, where the page lives. */
export function panelFrame(page) {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

/**
 * Records what the webview frames request. VS Code webviews name their resources on a virtual host
 * (`*.vscode-resource.vscode-cdn.net`) that the webview's service worker answers from the server on 127.0.0.1; such
 * a request is local only when a service worker answered it.
 */
export function recordWebviewRequests(context) {
  const seen = [];
  context.on('requestfinished', async (req) => {
    const frameUrl = frameUrlOf(req);
    if (!/\/webview\/|vscode-webview/.test(frameUrl)) return;
    const url = new URL(req.url());
    const response = await req.response().catch(() => null);
    seen.push({
      url: req.url(),
      host: url.hostname,
      protocol: url.protocol,
      sw: response?.fromServiceWorker() ?? false,
    });
  });
  context.on('requestfailed', (req) => {
    const frameUrl = frameUrlOf(req);
    if (/\/webview\/|vscode-webview/.test(frameUrl))
      seen.push({
        url: req.url(),
        host: new URL(req.url()).hostname,
        protocol: new URL(req.url()).protocol,
        failed: true,
      });
  });
  return seen;
}

function frameUrlOf(req) {
  try {
    return req.frame()?.url() ?? '';
  } catch {
    // Service-worker requests have no frame.
    return '';
  }
}

function offHost(requests) {
  return requests.filter((r) => {
    if (['data:', 'blob:', 'about:'].includes(r.protocol)) return false;
    if (['127.0.0.1', 'localhost'].includes(r.host)) return false;
    if (r.host.endsWith('.vscode-cdn.net') && r.sw) return false;
    return true;
  });
}

/** Where a click on a node goes (what src/extension/panelModel.ts computes). */
function nodeTarget(report, node) {
  if (node.location) return node.location;
  const c = (node.components ?? []).map((id) => report.components.find((x) => x.id === id)).find(Boolean);
  return c ? (c.handler ?? c.location) : undefined;
}

export async function runPanel({ page, cli, ws, runFromPalette, shot, pass, fail, requests, timings }) {
  const frame = panelFrame(page);
  const nodes = frame.locator('sa-diagram svg g.node[data-sa-id]');
  const expected = cli?.architecture?.proposed?.nodes ?? [];

  // 1. Open it.
  try {
    await runFromPalette(page, 'View: Close Primary Side Bar', undefined, 20000).catch(() => {});
    const t0 = Date.now();
    await runFromPalette(page, 'Serverless Advisor: Show Architecture', undefined, 30000);
    await step('e2e: panel draws the diagram', 90000, async () => {
      await nodes.first().waitFor({ state: 'visible', timeout: 85000 });
      await poll(async () => (await nodes.count()) >= expected.length, 20000, 250);
    });
    timings.panelFirstDraw = Date.now() - t0;
    log(`e2e: panel: diagram drawn ${timings.panelFirstDraw} ms after the command`);
    await sleep(800);
    await shot('panel-dark');
    await page
      .locator('iframe.webview.ready')
      .screenshot({ path: shot.path('panel-dark-webview') })
      .catch(() => {});
    pass(`${PANEL_CHECKS[0]} (${timings.panelFirstDraw} ms)`);
  } catch (e) {
    await shot('panel-failed');
    fail(PANEL_CHECKS[0], e instanceof Error ? e.message : String(e));
    return;
  }

  // 2. The nodes against the report.
  try {
    const ids = await nodes.evaluateAll((els) => els.map((e) => e.getAttribute('data-sa-id')));
    const want = expected.map((n) => n.id).sort();
    const got = [...new Set(ids)].sort();
    const missing = want.filter((id) => !got.includes(id));
    const extra = got.filter((id) => !want.includes(id));
    const labelMisses = [];
    for (const n of expected.filter((x) => /^[\w /:.-]+$/.test(x.label)).slice(0, 12)) {
      const text = await frame.locator(`g.node[data-sa-id="${n.id}"]`).first().textContent();
      if (!text?.replace(/\s+/g, ' ').includes(n.label.slice(0, 40)))
        labelMisses.push(`${n.id}: ${JSON.stringify(text)}`);
    }
    const details = await frame.locator('g.node[data-sa-id]').allTextContents();
    const withCost = details.filter((t) => /\$\d/.test(t)).length;
    const withCold = details.filter((t) => /cold/i.test(t)).length;
    log(`e2e: panel: ${got.length} nodes (report ${want.length}); ${withCost} show a cost, ${withCold} a cold start`);
    if (!missing.length && !extra.length && !labelMisses.length && withCost > 0)
      pass(`${PANEL_CHECKS[1]} (${got.length} nodes, ${withCost} with a cost, ${withCold} with a cold start)`);
    else
      fail(
        PANEL_CHECKS[1],
        `missing ${JSON.stringify(missing)}; extra ${JSON.stringify(extra)}; labels ${labelMisses.join(' | ')}; with cost ${withCost}`,
      );
  } catch (e) {
    fail(PANEL_CHECKS[1], e instanceof Error ? e.message : String(e));
  }

  // 3. A click on a component node opens its code.
  try {
    const node = expected.find((n) => n.kind === 'component' && nodeTarget(cli, n)?.file.startsWith('src/'));
    if (!node) throw new Error('the report has no component node with a location');
    const at = nodeTarget(cli, node);
    // The first view keeps text readable and may crop a large diagram: Fit shows every box.
    await frame.locator('vscode-button', { hasText: 'Fit' }).first().click();
    await sleep(300);
    await shot('panel-fit');
    await frame.locator(`g.node[data-sa-id="${node.id}"]`).first().click();
    const base = path.basename(at.file);
    const editorAt = async () => ({
      label: await page
        .locator('.tabs-container .tab.active')
        .first()
        .getAttribute('aria-label')
        .catch(() => null),
      cursor: await page
        .locator('[id="status.editor.selection"]')
        .first()
        .textContent()
        .catch(() => null),
    });
    const opened = await poll(async () => {
      const { label, cursor } = await editorAt();
      return label?.startsWith(base) && cursor?.includes(`Ln ${at.line},`) ? { label, cursor } : undefined;
    }, 20000);
    await shot('panel-click-opened');
    if (opened) pass(`${PANEL_CHECKS[2]} (${node.label} -> ${at.file}:${at.line}, status "${opened.cursor.trim()}")`);
    else {
      const { label, cursor } = await editorAt();
      fail(PANEL_CHECKS[2], `expected ${at.file}:${at.line}; active tab ${label}; cursor ${cursor}`);
    }
  } catch (e) {
    await shot('panel-click-failed');
    fail(PANEL_CHECKS[2], e instanceof Error ? e.message : String(e));
  }

  // Back to the panel (the click opened the file in the first group).
  await page
    .locator('.tab', { hasText: 'Architecture' })
    .first()
    .click()
    .catch(() => {});
  await nodes
    .first()
    .waitFor({ state: 'visible', timeout: 20000 })
    .catch(() => {});

  // 4. Export SVG: the save dialog is code-server's path box.
  // The dialog offers <root>/architecture-proposed.svg; accepting it is what most users do.
  const out = path.join(ws, 'architecture-proposed.svg');
  try {
    await frame.locator('vscode-button', { hasText: 'SVG' }).first().click();
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 20000 });
    const offered = await poll(async () => {
      const v = await input.inputValue().catch(() => '');
      return v.endsWith('architecture-proposed.svg') ? v : undefined;
    }, 10000);
    if (!offered) throw new Error(`the save dialog offered ${JSON.stringify(await input.inputValue())}`);
    await shot('panel-save-dialog');
    await page.keyboard.press('Enter');
    const text = await poll(() => (fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : undefined), 20000);
    await shot('panel-exported');
    const boxes = (text?.match(/class="node /g) ?? []).length;
    if (text?.startsWith('<svg') && boxes >= expected.length && !/<script/i.test(text))
      pass(`${PANEL_CHECKS[3]} (${text.length} bytes, ${boxes} nodes)`);
    else fail(PANEL_CHECKS[3], `file ${out}: ${text ? `${text.length} bytes, ${boxes} nodes` : 'not written'}`);
  } catch (e) {
    await shot('panel-export-failed');
    fail(PANEL_CHECKS[3], e instanceof Error ? e.message : String(e));
  }

  // 5. Light theme: the page follows the editor's theme and draws again.
  try {
    // Toggles to workbench.preferredLightColorTheme (Default Light Modern).
    await runFromPalette(page, 'Preferences: Toggle between Light/Dark Themes', undefined, 20000);
    const light = await poll(
      () =>
        frame
          .locator('body.vscode-light')
          .count()
          .catch(() => 0),
      20000,
    );
    await sleep(1500);
    await shot('panel-light');
    await page
      .locator('iframe.webview.ready')
      .screenshot({ path: shot.path('panel-light-webview') })
      .catch(() => {});
    const drawn = await nodes.count();
    if (light && drawn >= expected.length) pass(`${PANEL_CHECKS[4]} (${drawn} nodes in the light theme)`);
    else fail(PANEL_CHECKS[4], `light body class: ${Boolean(light)}; nodes after the switch: ${drawn}`);
  } catch (e) {
    fail(PANEL_CHECKS[4], e instanceof Error ? e.message : String(e));
  }

  // 6. Requests.
  const off = offHost(requests);
  log(`e2e: panel: the webview frames made ${requests.length} requests, ${off.length} off 127.0.0.1`);
  if (requests.length > 0 && off.length === 0) pass(`${PANEL_CHECKS[5]} (${requests.length} requests)`);
  else
    fail(
      PANEL_CHECKS[5],
      requests.length
        ? off.map((r) => `${r.url}${r.failed ? ' (failed)' : ''}`).join('\n')
        : 'no webview request recorded',
    );
}
