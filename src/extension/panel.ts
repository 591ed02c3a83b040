// The architecture panel's host side: one webview panel, reused; it follows Results (a re-analysis posts the new
// model; the page keeps its zoom, filters, tab and expanded groups), and acts on the page's messages only after
// parsePageMessage() accepted them. Links open here, never in the page: a root-relative file that must resolve
// inside the analysed folder.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Provider } from '../core/model';
import {
  parsePageMessage,
  type DiagramView,
  type ExportFormat,
  type HostMessage,
  type PageMessage,
  type PanelModel,
  type WhatIf,
} from '../protocol';
import { Config } from './config';
import { panelMarkdown, panelModel } from './panelModel';
import { isInside, type Results } from './results';
import { writeFileAtomic } from './files';

export const PANEL_VIEW_TYPE = 'serverlessAdvisor.architecture';

/** What the host last posted and what the page last said it drew (the integration tests wait on it). */
export interface PanelState {
  open: boolean;
  visible: boolean;
  posted?: {
    seq: number;
    root: string;
    provider: Provider;
    nodes: Record<DiagramView, number>;
    expanded: string[];
    /** How many components the what-if changes, and each offering's likely monthly total as posted. */
    whatIf: number;
    totals: Record<string, number>;
  };
  rendered?: { seq: number; view: DiagramView; nodes: number };
  rejected: number;
  lastRejection?: string;
  exported?: { format: ExportFormat; file: string };
}

export class ArchitecturePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private root: string | undefined;
  private provider: Provider | undefined;
  private expanded: string[] = [];
  /** The page's what-if overrides for the current folder (cleared when the folder changes or the panel closes). */
  private whatIf: WhatIf = {};
  private seq = 0;
  private model: PanelModel | undefined;
  private readonly state: PanelState = { open: false, visible: false, rejected: 0 };

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly results: Results,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(results.onDidChange(() => this.update()));
  }

  /** Opens the panel (or brings it to the front) on a folder: the given one, the current one, or the first. */
  show(root?: string): void {
    if (root) this.root = root;
    if (this.panel) {
      this.panel.reveal(undefined, false);
      this.update();
      return;
    }
    const webviewRoot = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      'Architecture',
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      {
        enableScripts: true,
        // No retainContextWhenHidden: the page keeps its state with getState/setState and asks again on `ready`.
        localResourceRoots: [webviewRoot, vscode.Uri.joinPath(this.extensionUri, 'media')],
      },
    );
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'activity.svg');
    panel.webview.html = this.html(panel.webview);
    this.panel = panel;
    this.state.open = true;
    this.state.visible = panel.visible;
    panel.onDidDispose(
      () => {
        this.panel = undefined;
        this.whatIf = {};
        this.state.open = false;
        this.state.visible = false;
      },
      undefined,
      this.disposables,
    );
    panel.onDidChangeViewState((e) => (this.state.visible = e.webviewPanel.visible), undefined, this.disposables);
    panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m), undefined, this.disposables);
  }

  /** Test hook and page entry point: a message as if the page had posted it. */
  async receive(raw: unknown): Promise<void> {
    // What-if ids must be components of the report the page shows.
    const report = this.root ? this.results.get(this.root)?.report : undefined;
    const parsed = parsePageMessage(raw, report ? { componentIds: new Set(report.components.map((c) => c.id)) } : {});
    if (!parsed.ok) {
      this.state.rejected++;
      this.state.lastRejection = parsed.reason;
      this.log.warn(`architecture panel: message refused: ${parsed.reason}`);
      return;
    }
    try {
      await this.handle(parsed.message);
    } catch (e) {
      this.log.error(
        `architecture panel: ${parsed.message.type} failed: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  snapshot(): PanelState {
    return JSON.parse(JSON.stringify(this.state)) as PanelState;
  }

  private async handle(m: PageMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
      case 'setView':
        if (m.root !== undefined && this.results.get(m.root)) {
          if (m.root !== this.root) this.whatIf = {};
          this.root = m.root;
        }
        if (m.provider) this.provider = m.provider;
        this.expanded = m.expanded;
        this.update();
        return;
      case 'rendered':
        this.state.rendered = { seq: m.seq, view: m.view, nodes: m.nodes };
        return;
      case 'openLocation':
        await this.openLocation(m.file, m.line, m.column);
        return;
      case 'export':
        await this.export(m.format, m.view, m.data);
        return;
      case 'whatIf':
        this.whatIf = m.overrides;
        this.update();
        return;
      case 'error':
        this.log.warn(`architecture panel (page): ${m.message}`);
        return;
    }
  }

  private post(message: HostMessage): void {
    void this.panel?.webview.postMessage(message);
  }

  /** Builds the model of the current folder and posts it (or says why there is nothing to show). */
  private update(): void {
    if (!this.panel) return;
    const all = this.results.all();
    if (!this.root || !this.results.get(this.root)) {
      this.root = all[0]?.root;
      this.whatIf = {};
    }
    const result = this.root ? this.results.get(this.root) : undefined;
    if (!result) {
      this.model = undefined;
      this.post({ type: 'empty', reason: 'No analysis yet: run Serverless Advisor: Analyze Workspace.' });
      return;
    }
    // A re-analysis may drop components: their overrides go (the page drops them too when the model arrives).
    const ids = new Set(result.report.components.map((c) => c.id));
    this.whatIf = Object.fromEntries(Object.entries(this.whatIf).filter(([id]) => ids.has(id)));
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(result.root));
    const started = Date.now();
    const model = panelModel(result.report, {
      root: result.root,
      roots: all.map((r) => r.root),
      ...(this.provider ? { provider: this.provider } : {}),
      expanded: this.expanded,
      offering: new Config(folder).preferredOffering,
      whatIf: this.whatIf,
      seq: ++this.seq,
    });
    this.model = model;
    this.expanded = model.expanded;
    this.state.posted = {
      seq: model.seq,
      root: model.root,
      provider: model.provider,
      nodes: { current: model.current.nodes.length, proposed: model.proposed.nodes.length },
      expanded: model.expanded,
      whatIf: Object.keys(model.whatIf?.overrides ?? {}).length,
      totals: Object.fromEntries((model.costs?.offerings ?? []).map((t) => [t.offering, t.monthlyUsd.likely])),
    };
    this.log.debug(`architecture panel: model ${model.seq} of ${model.root} in ${Date.now() - started} ms`);
    this.post({ type: 'model', model });
  }

  private async openLocation(file: string, line: number, column: number): Promise<void> {
    const root = this.model?.root;
    if (!root) return;
    const abs = path.resolve(root, ...file.split('/'));
    // Lexically inside, and still inside once symlinks are resolved.
    let real: string;
    try {
      real = await fs.promises.realpath(abs);
    } catch {
      this.refuse(`openLocation: ${file} does not exist in ${root}`);
      return;
    }
    const realRoot = await fs.promises.realpath(root).catch(() => root);
    if (!isInside(abs, root) || !isInside(real, realRoot)) {
      this.refuse(`openLocation: ${file} resolves outside ${root}`);
      return;
    }
    const pos = new vscode.Position(line - 1, column - 1);
    await vscode.window.showTextDocument(vscode.Uri.file(abs), {
      selection: new vscode.Range(pos, pos),
      preview: true,
      viewColumn: vscode.ViewColumn.One,
    });
  }

  private refuse(reason: string): void {
    this.state.rejected++;
    this.state.lastRejection = reason;
    this.log.warn(`architecture panel: ${reason}`);
  }

  private async export(format: ExportFormat, view: DiagramView, data: string | undefined): Promise<void> {
    const model = this.model;
    if (!model) return;
    const ext = format === 'mermaid' ? 'md' : format;
    const name = format === 'mermaid' ? 'architecture' : `architecture-${view}`;
    // The save dialog asks before replacing an existing file.
    const uri = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(path.join(model.root, `${name}.${ext}`)),
      filters: { [format === 'mermaid' ? 'Mermaid Markdown' : format.toUpperCase()]: [ext] },
      saveLabel: 'Export',
      title: `Export the architecture as ${format === 'mermaid' ? 'Mermaid Markdown' : format.toUpperCase()}`,
    });
    if (!uri) return;
    let bytes: Uint8Array;
    if (format === 'mermaid') bytes = Buffer.from(panelMarkdown(model), 'utf8');
    else if (format === 'svg') bytes = Buffer.from(data ?? '', 'utf8');
    else bytes = Buffer.from((data ?? '').slice('data:image/png;base64,'.length), 'base64');
    try {
      await writeFileAtomic(uri, bytes);
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      this.post({ type: 'exported', format, error });
      void vscode.window.showErrorMessage(`Could not write ${uri.fsPath}: ${error}`);
      return;
    }
    this.state.exported = { format, file: uri.fsPath };
    this.log.info(`exported the architecture (${format}) to ${uri.fsPath}`);
    this.post({ type: 'exported', format, file: uri.fsPath });
    // The panel's toolbar says where the file went; a notification per export would pile up in the corner (and over
    // the panel) when a user exports SVG, PNG and Markdown in a row.
    vscode.window.setStatusBarMessage(`Serverless Advisor: architecture exported to ${uri.fsPath}`, 8000);
  }

  private html(webview: vscode.Webview): string {
    const nonce = crypto.randomBytes(18).toString('base64');
    const asset = (f: string): string =>
      webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', f)).toString();
    const csp = [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      // The one exception: Mermaid writes a <style> element into every SVG it renders (its theme, scoped to the
      // diagram's id) and style attributes for each classDef's fill and stroke; neither can carry a nonce (and a
      // nonce in style-src would switch 'unsafe-inline' off). Styles only: scripts stay nonce-only, and labels reach
      // Mermaid already escaped (core/present/mermaid.ts) and rendered with securityLevel 'strict'.
      `style-src ${webview.cspSource} 'unsafe-inline'`,
      `img-src ${webview.cspSource} data:`,
      `font-src ${webview.cspSource}`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('main.css')}">
<title>Architecture</title>
</head>
<body>
<sa-app></sa-app>
<script nonce="${nonce}" src="${asset('main.js')}"></script>
</body>
</html>`;
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
