// The architecture panel, end to end in code-server (called by e2e.mjs after the analysis ran): Show Architecture
// from the palette, the diagram drawn inside the webview's frames checked against the CLI's report, a click on a
// node opening its file at its line, SVG / PNG / Mermaid export through the save dialog, a what-if in the table,
// the break-even chart, screenshots in the dark, light and high-contrast themes, and every request the webview
// frames make checked to stay on 127.0.0.1.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { log, poll, sleep, step } from '../editor/lib.mjs';

export const PANEL_CHECKS = [
  'Show Architecture opens the panel and draws the proposed diagram',
  'the diagram has the nodes of the CLI report',
  'clicking a node opens its file at its line',
  'Export SVG writes the diagram where the save dialog says',
  'Export PNG and Mermaid write an image and a Markdown file with both diagrams',
  'a what-if in the components table redraws the diagram and the costs, and resets',
  'the Costs tab draws the break-even chart for the provider',
  'the panel follows the editor theme (dark, light and high-contrast screenshots)',
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

  // 4. Export: the save dialog is code-server's path box; it offers <root>/<name>, and accepting it is what most
  // users do.
  const exportVia = async (button, name) => {
    const out = path.join(ws, name);
    await frame.locator('vscode-button', { hasText: button }).first().click();
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 20000 });
    const offered = await poll(async () => {
      const v = await input.inputValue().catch(() => '');
      return v.endsWith(name) ? v : undefined;
    }, 10000);
    if (!offered) throw new Error(`the save dialog offered ${JSON.stringify(await input.inputValue())}`);
    if (button === 'SVG') await shot('panel-save-dialog');
    await page.keyboard.press('Enter');
    const bytes = await poll(
      () => (fs.existsSync(out) && fs.statSync(out).size ? fs.readFileSync(out) : undefined),
      20000,
    );
    if (!bytes) throw new Error(`${out} was not written`);
    return bytes;
  };
  try {
    const text = (await exportVia('SVG', 'architecture-proposed.svg')).toString('utf8');
    await shot('panel-exported');
    const boxes = (text.match(/class="node /g) ?? []).length;
    if (text.startsWith('<svg') && boxes >= expected.length && !/<script/i.test(text))
      pass(`${PANEL_CHECKS[3]} (${text.length} bytes, ${boxes} nodes)`);
    else fail(PANEL_CHECKS[3], `${text.length} bytes, ${boxes} nodes`);
  } catch (e) {
    await shot('panel-export-failed');
    fail(PANEL_CHECKS[3], e instanceof Error ? e.message : String(e));
  }
  try {
    const png = await exportVia('PNG', 'architecture-proposed.png');
    // PNG signature, then IHDR's width and height (big-endian) at bytes 16 and 20.
    const isPng = png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const width = isPng ? png.readUInt32BE(16) : 0;
    const height = isPng ? png.readUInt32BE(20) : 0;
    const md = (await exportVia('Mermaid', 'architecture.md')).toString('utf8');
    const blocks = (md.match(/^```mermaid$/gm) ?? []).length;
    const missing = expected.filter((n) => !md.includes(n.id)).map((n) => n.id);
    if (isPng && width >= 400 && height >= 200 && blocks === 2 && !missing.length)
      pass(`${PANEL_CHECKS[4]} (PNG ${width}x${height}, ${png.length} bytes; Markdown with ${blocks} mermaid blocks)`);
    else
      fail(
        PANEL_CHECKS[4],
        `png ${isPng} ${width}x${height}; mermaid blocks ${blocks}; node ids missing from the Markdown ${missing.join(', ')}`,
      );
  } catch (e) {
    await shot('panel-export-png-failed');
    fail(PANEL_CHECKS[4], e instanceof Error ? e.message : String(e));
  }

  // 5. What-if: a component in a container set to faas moves into the functions, and the costs say what-if.
  const faasNodes = () => frame.locator('sa-diagram svg g.node.faas[data-sa-id]').count();
  try {
    await frame.locator('vscode-tab-header', { hasText: 'Components' }).first().click();
    const select = frame.locator('select.what-if-target.target-container').first();
    await select.waitFor({ state: 'visible', timeout: 20000 });
    const id = await select.evaluate((el) => el.closest('tr[data-id]')?.getAttribute('data-id'));
    const before = await faasNodes();
    await select.selectOption('faas');
    const badge = frame.locator('.what-if-bar .what-if-badge');
    await badge.waitFor({ state: 'visible', timeout: 20000 });
    const after = await poll(async () => {
      const n = await faasNodes();
      return n > before ? n : undefined;
    }, 20000);
    const badgeText = (await badge.textContent())?.trim();
    await frame.locator('vscode-tab-header', { hasText: 'Costs' }).first().click();
    const note = await frame
      .locator('sa-costs .what-if-note')
      .waitFor({ state: 'visible', timeout: 10000 })
      .then(() => true)
      .catch(() => false);
    await shot('panel-what-if');
    await frame.locator('.what-if-bar vscode-button', { hasText: 'Reset what-if' }).first().click();
    const reset = await poll(
      async () => ((await faasNodes()) === before && !(await badge.count()) ? true : undefined),
      20000,
    );
    if (after && note && reset && badgeText === 'what-if: 1 component')
      pass(`${PANEL_CHECKS[5]} (${id}: faas nodes ${before} -> ${after} -> ${before})`);
    else
      fail(
        PANEL_CHECKS[5],
        `${id}: faas nodes ${before} -> ${after}; badge ${JSON.stringify(badgeText)}; costs note ${note}; reset ${reset}`,
      );
  } catch (e) {
    await shot('panel-what-if-failed');
    fail(PANEL_CHECKS[5], e instanceof Error ? e.message : String(e));
  }

  // 6. The Costs tab's chart: one line per offering of the provider, the likely volume, break-even markers.
  try {
    // The export notifications would cover the tab.
    await runFromPalette(page, 'Notifications: Clear All Notifications', undefined, 20000).catch(() => {});
    await frame.locator('vscode-tab-header', { hasText: 'Costs' }).first().click();
    const chart = frame.locator('sa-break-even-chart svg.chart');
    await chart.waitFor({ state: 'visible', timeout: 20000 });
    const lines = await chart.locator('path.series').evaluateAll((els) =>
      els.map((e) => ({
        offering: e.getAttribute('data-offering'),
        container: e.classList.contains('role-container'),
      })),
    );
    const drawn = lines.map((l) => l.offering);
    const markers = await chart.locator('circle.marker').count();
    const box = await chart.boundingBox();
    await chart.scrollIntoViewIfNeeded().catch(() => {});
    await sleep(300);
    await page
      .locator('iframe.webview.ready')
      .screenshot({ path: shot.path('panel-costs-chart') })
      .catch(() => {});
    // The editor prices for its own settings (arm64 by default), so the lines are the panel's AWS offerings: at
    // least one function and one container, nothing from another cloud.
    const family = (o) => o.replace(/-(x86|arm64).*$/, '');
    const aws = (cli?.totals?.offerings ?? []).filter((o) => o.provider === 'aws').map((o) => family(o.offering));
    const foreign = drawn.filter((o) => !aws.includes(family(o)));
    const both = lines.some((l) => l.container) && lines.some((l) => !l.container);
    if (both && !foreign.length && markers > 0 && box && box.width > 200)
      pass(`${PANEL_CHECKS[6]} (${drawn.join(', ')}; ${markers} break-even markers, ${Math.round(box.width)}px wide)`);
    else
      fail(
        PANEL_CHECKS[6],
        `lines ${drawn.join(', ')}; not AWS ${foreign.join(', ')}; functions and containers ${both}; markers ${markers}; box ${JSON.stringify(box)}`,
      );
  } catch (e) {
    fail(PANEL_CHECKS[6], e instanceof Error ? e.message : String(e));
  }
  await frame
    .locator('vscode-tab-header', { hasText: 'Components' })
    .first()
    .click()
    .catch(() => {});

  // 7. Themes: the page follows the editor's light and high-contrast themes and draws again. Each toggle goes to the
  // other preferred theme: Default Light Modern, then back to the dark one, which e2e.mjs's settings make Default
  // High Contrast. Returns whether the page's body took the theme's class, and the boxes drawn after it.
  const toggleTheme = async (bodyClass, name) => {
    await runFromPalette(page, 'Preferences: Toggle between Light/Dark Themes', undefined, 20000);
    const took = await poll(
      () =>
        frame
          .locator(`body.${bodyClass}`)
          .count()
          .catch(() => 0),
      40000,
    );
    await sleep(1500);
    await shot(`panel-${name}`);
    await page
      .locator('iframe.webview.ready')
      .screenshot({ path: shot.path(`panel-${name}-webview`) })
      .catch(() => {});
    return { took: Boolean(took), drawn: await nodes.count() };
  };
  try {
    const light = await toggleTheme('vscode-light', 'light');
    const contrast = await toggleTheme('vscode-high-contrast', 'high-contrast');
    if (light.took && contrast.took && light.drawn >= expected.length && contrast.drawn >= expected.length)
      pass(`${PANEL_CHECKS[7]} (${light.drawn} nodes in the light theme, ${contrast.drawn} in high contrast)`);
    else
      fail(
        PANEL_CHECKS[7],
        `light body class: ${light.took}, ${light.drawn} nodes; high-contrast body class: ${contrast.took}, ${contrast.drawn} nodes`,
      );
  } catch (e) {
    fail(PANEL_CHECKS[7], e instanceof Error ? e.message : String(e));
  }

  // 8. Requests.
  const off = offHost(requests);
  log(`e2e: panel: the webview frames made ${requests.length} requests, ${off.length} off 127.0.0.1`);
  if (requests.length > 0 && off.length === 0) pass(`${PANEL_CHECKS[8]} (${requests.length} requests)`);
  else
    fail(
      PANEL_CHECKS[8],
      requests.length
        ? off.map((r) => `${r.url}${r.failed ? ' (failed)' : ''}`).join('\n')
        : 'no webview request recorded',
    );
}
