// Wiring only: activation creates the services and registers them; the analysis itself loads in the worker, on
// the first command that needs it.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Report } from '../core/model';
import { Analyzer } from './analysis';
import { FindingActions } from './codeActions';
import { ComponentHover, ComponentLenses } from './codeLens';
import { COMMANDS, type Services } from './commands';
import { affectsAnalysis, Config, SECTION } from './config';
import { Diagnostics } from './diagnostics';
import { ArchitecturePanel, type PanelState } from './panel';
import { Results } from './results';
import { RuleDocs } from './ruleDocs';
import { StatusBar } from './statusBar';
import { ComponentTree, type Node } from './treeView';
import { WorkerHost } from './workerHost';

/** What activate() returns: used by the integration tests, and by other extensions that want the reports. */
export interface ServerlessAdvisorApi {
  /** Resolves when no analysis or update is running or waiting. */
  whenIdle(): Promise<void>;
  /** One line on what the analyzer and its worker are doing (tests print it when a wait runs long). */
  diagnose(): string;
  /** The latest report of each analysed folder, by absolute folder path. */
  results(): ReadonlyMap<string, Report>;
  /** The view's items as labels and descriptions, `depth` levels deep (what a user sees in the tree). */
  treeSnapshot(depth?: number): TreeSnapshot[];
  /** The architecture panel: what the host last posted and what the page last said it rendered (for tests). */
  panelState(): PanelState;
  /** Hands the panel's host a message as if its page had posted it (tests: validation and link handling). */
  panelReceive(message: unknown): Promise<void>;
}

export interface TreeSnapshot {
  label: string;
  description?: string;
  children: TreeSnapshot[];
}

const SOURCES = [
  { language: 'typescript', scheme: 'file' },
  { language: 'typescriptreact', scheme: 'file' },
  { language: 'javascript', scheme: 'file' },
  { language: 'javascriptreact', scheme: 'file' },
];
/** Files whose change may change a report (sources, manifests, the usage profile). */
const WATCHED =
  /\.(c|m)?(t|j)sx?$|(^|[\\/])(package\.json|serverless-advisor\.yaml|serverless\.ya?ml|template\.ya?ml)$/;

export function activate(context: vscode.ExtensionContext): ServerlessAdvisorApi {
  const log = vscode.window.createOutputChannel('Serverless Advisor', { log: true });
  const results = new Results();
  const host = new WorkerHost({
    script: path.join(context.extensionPath, 'dist', 'worker.js'),
    log,
    maxHeapMb: () => new Config(undefined).maxMemoryMb,
    timeoutMs: () => new Config(undefined).timeoutMs,
  });
  const analyzer = new Analyzer(host, results, log);
  const docs = new RuleDocs(path.join(context.extensionPath, 'rules'));
  const diagnostics = new Diagnostics(results, docs);
  const tree = new ComponentTree(results);
  const treeView = vscode.window.createTreeView('serverlessAdvisor.components', {
    treeDataProvider: tree,
    showCollapseAll: true,
  });
  const lenses = new ComponentLenses(results);
  const status = new StatusBar(results);
  const panel = new ArchitecturePanel(context.extensionUri, results, log);

  const refresh = (): void => {
    diagnostics.refresh();
    tree.refresh();
    lenses.refresh();
    status.refresh();
    const n = results.all().reduce((sum, r) => sum + r.report.components.length, 0);
    treeView.badge = n ? { value: n, tooltip: `${n} components` } : undefined;
    void vscode.commands.executeCommand('setContext', 'serverlessAdvisor.hasResults', results.size > 0);
  };

  const services: Services = {
    context,
    analyzer,
    results,
    host,
    diagnostics,
    tree,
    treeView: treeView,
    docs,
    panel,
    log,
    refresh,
  };

  context.subscriptions.push(
    log,
    results,
    host,
    analyzer,
    diagnostics,
    tree,
    treeView,
    lenses,
    status,
    panel,
    results.onDidChange(refresh),
    analyzer.onDidChangeBusy((busy) => status.setBusy(busy)),
    vscode.languages.registerCodeLensProvider(SOURCES, lenses),
    vscode.languages.registerHoverProvider(SOURCES, new ComponentHover(results)),
    vscode.languages.registerCodeActionsProvider(SOURCES, new FindingActions(diagnostics), {
      providedCodeActionKinds: FindingActions.kinds,
    }),
    vscode.workspace.onDidSaveTextDocument((doc) => {
      if (doc.uri.scheme === 'file' && WATCHED.test(doc.uri.fsPath)) analyzer.fileChanged(doc.uri.fsPath);
    }),
    vscode.workspace.onDidCreateFiles((e) => changed(analyzer, e.files)),
    vscode.workspace.onDidDeleteFiles((e) => changed(analyzer, e.files)),
    vscode.workspace.onDidRenameFiles((e) =>
      changed(
        analyzer,
        e.files.flatMap((f) => [f.oldUri, f.newUri]),
      ),
    ),
    vscode.workspace.onDidChangeWorkspaceFolders((e) => {
      for (const f of e.removed) {
        host.forget(f.uri.fsPath);
        results.delete(f.uri.fsPath);
      }
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      if (affectsAnalysis(e) && results.size) {
        const targets = results.all().map((r) => ({
          root: r.root,
          folder: vscode.workspace.getWorkspaceFolder(vscode.Uri.file(r.root)),
        }));
        void analyzer.analyze(targets);
      } else refresh();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      // Custom rules load now that the workspace is trusted.
      if (results.size) void vscode.commands.executeCommand('serverlessAdvisor.analyzeWorkspace');
    }),
  );
  for (const [id, handler] of Object.entries(COMMANDS)) {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await (handler as (s: Services, ...a: unknown[]) => unknown)(services, ...args);
        } catch (e) {
          const err = e instanceof Error ? e : new Error(String(e));
          log.error(`${id} failed: ${err.stack ?? err.message}`);
          void vscode.window.showErrorMessage(`Serverless Advisor: ${err.message}`, 'Show Log').then((a) => {
            if (a) log.show(true);
          });
          return undefined;
        }
      }),
    );
  }
  void vscode.commands.executeCommand('setContext', 'serverlessAdvisor.hasResults', false);
  log.info(`Serverless Advisor ${String((context.extension.packageJSON as { version?: string }).version)} activated`);

  return {
    whenIdle: () => analyzer.whenIdle(),
    diagnose: () => `${analyzer.describe()}; ${host.describe()}`,
    results: () => new Map(results.all().map((r) => [r.root, r.report])),
    treeSnapshot: (depth = 2) => snapshot(tree, undefined, depth),
    panelState: () => panel.snapshot(),
    panelReceive: (message) => panel.receive(message),
  };
}

function snapshot(tree: ComponentTree, node: Node | undefined, depth: number): TreeSnapshot[] {
  if (depth <= 0) return [];
  return tree.getChildren(node).map((n) => {
    const label = n.item.label;
    return {
      label: typeof label === 'string' ? label : (label?.label ?? n.item.resourceUri?.fsPath ?? ''),
      description: typeof n.item.description === 'string' ? n.item.description : undefined,
      children: snapshot(tree, n, depth - 1),
    };
  });
}

function changed(analyzer: Analyzer, uris: readonly vscode.Uri[]): void {
  for (const u of uris) if (u.scheme === 'file' && WATCHED.test(u.fsPath)) analyzer.fileChanged(u.fsPath);
}

export function deactivate(): void {
  // Everything is in context.subscriptions: the worker is terminated with the WorkerHost.
}
