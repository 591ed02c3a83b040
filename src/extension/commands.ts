// Every command in one table, registered in one loop (extension.ts). Handlers get the wired services.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PROFILE_FILE } from '../core/cost/profileFile';
import { HAZARDS, type Hazard } from '../core/model';
import type { Analyzer } from './analysis';
import { ignoreComment } from './codeActions';
import { Config } from './config';
import type { Diagnostics } from './diagnostics';
import type { ArchitecturePanel } from './panel';
import type { Results } from './results';
import type { RuleDocs } from './ruleDocs';
import type { ComponentTree } from './treeView';
import type { WorkerHost } from './workerHost';
import type { ExportFormat } from '../workerProtocol';
import { writeFileAtomic } from './files';

export interface Services {
  context: vscode.ExtensionContext;
  analyzer: Analyzer;
  results: Results;
  host: WorkerHost;
  diagnostics: Diagnostics;
  tree: ComponentTree;
  treeView: vscode.TreeView<unknown>;
  docs: RuleDocs;
  panel: ArchitecturePanel;
  log: vscode.LogOutputChannel;
  /** Redraw everything that shows results (after Clear Results). */
  refresh(): void;
}

type Handler = (s: Services, ...args: never[]) => unknown;

export const COMMANDS: Record<string, Handler> = {
  'serverlessAdvisor.analyzeWorkspace': analyzeWorkspace,
  'serverlessAdvisor.analyzeFolder': (s, uri?: vscode.Uri) => analyzeFolder(s, uri),
  'serverlessAdvisor.reanalyzeFile': reanalyzeFile,
  'serverlessAdvisor.showArchitecture': (s, root?: string) => showArchitecture(s, root),
  'serverlessAdvisor.exportReport': exportReport,
  'serverlessAdvisor.openUsageProfile': (s) => openUsageProfile(s),
  'serverlessAdvisor.newRule': newRule,
  'serverlessAdvisor.clearResults': clearResults,
  'serverlessAdvisor.cancel': (s) => s.analyzer.cancel(),
  'serverlessAdvisor.showRule': (s, id: string, root?: string) => showRule(s, id, root),
  'serverlessAdvisor.suppressFinding': (s, uri: vscode.Uri, line: number, ruleId: string) =>
    suppressFinding(uri, line, ruleId),
  'serverlessAdvisor.setComponentUsage': (s, root: string, ids: string[]) => setComponentUsage(s, root, ids),
  'serverlessAdvisor.openLocation': (s, uri: vscode.Uri, line: number, column: number) =>
    openLocation(uri, line, column),
  'serverlessAdvisor.showOutput': (s) => s.log.show(true),
  'serverlessAdvisor.revealComponent': (s, root: string, id: string) => revealComponent(s, root, id),
};

async function analyzeWorkspace(s: Services): Promise<void> {
  const folders = (await workspaceFolders()).filter((f) => f.uri.scheme === 'file');
  if (!folders.length) {
    // Not awaited: the command ends here whether or not anyone answers the message.
    void vscode.window
      .showInformationMessage(
        'Serverless Advisor analyses the folders of your workspace: open a folder with a Node.js or TypeScript project first.',
        'Open Folder',
      )
      .then((open) => open && vscode.commands.executeCommand('workbench.action.files.openFolder'));
    return;
  }
  await s.analyzer.analyze(folders.map((f) => ({ root: f.uri.fsPath, folder: f })));
}

/**
 * The workspace's folders. A `.code-workspace` can be open before its folders reach the extension host (seen in
 * the browser editor right after the window opens): then wait for them a little rather than say there are none.
 */
async function workspaceFolders(): Promise<readonly vscode.WorkspaceFolder[]> {
  const now = vscode.workspace.workspaceFolders ?? [];
  if (now.length || !vscode.workspace.workspaceFile) return now;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, 10000);
    const sub = vscode.workspace.onDidChangeWorkspaceFolders(done);
    function done(): void {
      clearTimeout(timer);
      sub.dispose();
      resolve();
    }
  });
  return vscode.workspace.workspaceFolders ?? [];
}

async function analyzeFolder(s: Services, uri: vscode.Uri | undefined): Promise<void> {
  const target =
    uri ??
    (
      await vscode.window.showOpenDialog({
        canSelectFolders: true,
        canSelectFiles: false,
        openLabel: 'Analyze',
        defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      })
    )?.[0];
  if (!target) return;
  if (target.scheme !== 'file') {
    void vscode.window.showErrorMessage('Serverless Advisor can only analyse folders on disk.');
    return;
  }
  await s.analyzer.analyze([{ root: target.fsPath, folder: vscode.workspace.getWorkspaceFolder(target) }]);
}

async function reanalyzeFile(s: Services): Promise<void> {
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc || doc.uri.scheme !== 'file') {
    void vscode.window.showInformationMessage('Open a file of the workspace to re-analyse it.');
    return;
  }
  if (doc.isDirty) await doc.save();
  const result = s.results.rootOf(doc.uri.fsPath);
  if (result) {
    s.analyzer.fileChanged(doc.uri.fsPath, true);
    await s.analyzer.whenIdle();
    return;
  }
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
  if (!folder) {
    void vscode.window.showInformationMessage('This file is not in a workspace folder: open its project folder first.');
    return;
  }
  await s.analyzer.analyze([{ root: folder.uri.fsPath, folder }]);
}

async function showArchitecture(s: Services, root?: string): Promise<void> {
  // The panel says what to do when nothing is analysed yet; offering to analyse here saves the user a step.
  s.panel.show(typeof root === 'string' ? root : undefined);
  if (!s.results.size) {
    const run = await vscode.window.showInformationMessage(
      'Analyse the workspace first to see its architecture.',
      'Analyze Workspace',
    );
    if (run) await vscode.commands.executeCommand('serverlessAdvisor.analyzeWorkspace');
  }
}

/** One analysed folder: the only one, or the user's pick. */
async function pickResult(s: Services, what: string): Promise<string | undefined> {
  const all = s.results.all();
  if (!all.length) {
    // Not awaited: the command ends here whether or not anyone answers the message.
    void vscode.window
      .showInformationMessage(`Nothing to ${what} yet: analyse the workspace first.`, 'Analyze Workspace')
      .then((run) => run && vscode.commands.executeCommand('serverlessAdvisor.analyzeWorkspace'));
    return undefined;
  }
  if (all.length === 1) return all[0]!.root;
  const pick = await vscode.window.showQuickPick(
    all.map((r) => ({ label: path.basename(r.root), description: r.root, root: r.root })),
    { placeHolder: `Which folder's report to ${what}?` },
  );
  return pick?.root;
}

/** A workspace folder: the only one, or the user's pick. */
async function pickFolder(placeHolder: string): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  if (!folders.length) {
    void vscode.window.showInformationMessage('Open a folder first.');
    return undefined;
  }
  return folders.length === 1 ? folders[0] : vscode.window.showWorkspaceFolderPick({ placeHolder });
}

const FORMATS: readonly {
  label: string;
  description: string;
  format: ExportFormat;
  file: string;
  filter: string;
  ext: string;
}[] = [
  {
    label: 'Migration report (Markdown)',
    description: 'the plan, for the repository or a pull request; diagrams as Mermaid blocks',
    format: 'md',
    file: 'serverless-advisor-report.md',
    filter: 'Markdown',
    ext: 'md',
  },
  {
    label: 'Migration report (HTML)',
    description: 'one self-contained file to share; diagrams drawn in, opens offline',
    format: 'html',
    file: 'serverless-advisor-report.html',
    filter: 'HTML',
    ext: 'html',
  },
  {
    label: 'SARIF',
    description: 'the findings for code scanning',
    format: 'sarif',
    file: 'serverless-advisor.sarif',
    filter: 'SARIF',
    ext: 'sarif',
  },
  {
    label: 'JSON',
    description: 'the report contract (report.schema.json), for tools and CI',
    format: 'json',
    file: 'serverless-advisor-report.json',
    filter: 'JSON',
    ext: 'json',
  },
  {
    label: 'Serverless Framework skeleton',
    description: 'serverless.yml for the components classified faas',
    format: 'serverless',
    file: 'serverless.yml',
    filter: 'YAML',
    ext: 'yml',
  },
  {
    label: 'AWS SAM skeleton',
    description: 'template.yaml for the components classified faas',
    format: 'sam',
    file: 'template.yaml',
    filter: 'YAML',
    ext: 'yaml',
  },
];

async function exportReport(s: Services): Promise<void> {
  await s.analyzer.whenIdle();
  const root = await pickResult(s, 'export');
  if (!root) return;
  const pick = await vscode.window.showQuickPick(FORMATS, { placeHolder: 'Export the analysis as' });
  if (!pick) return;
  // The save dialog asks before replacing an existing file.
  const uri = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(path.join(root, pick.file)),
    filters: { [pick.filter]: [pick.ext] },
    saveLabel: 'Export',
    title: `Export ${pick.label}`,
  });
  if (!uri) return;
  const text = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Serverless Advisor: writing the ${pick.label}…` },
    () => s.host.render(root, pick.format, uri.scheme === 'file' ? uri.fsPath : undefined),
  );
  await writeFileAtomic(uri, Buffer.from(text, 'utf8'));
  s.log.info(`exported the ${pick.label} of ${root} to ${uri.fsPath}`);
  if (pick.format === 'html') {
    // A page to look at, not text to edit: offer the browser, and the file in its folder.
    void vscode.window
      .showInformationMessage(`Serverless Advisor: the report is in ${uri.fsPath}.`, 'Open in Browser', 'Reveal File')
      .then((a) =>
        a === 'Open in Browser'
          ? vscode.env.openExternal(uri)
          : a === 'Reveal File'
            ? vscode.commands.executeCommand('revealFileInOS', uri)
            : undefined,
      );
    return;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false });
}

/** Opens serverless-advisor.yaml, creating it from the commented template when missing (never replacing one). */
async function openUsageProfile(s: Services, folder?: vscode.WorkspaceFolder): Promise<vscode.TextEditor | undefined> {
  folder ??= await pickFolder('Open the usage profile of which folder?');
  if (!folder) return undefined;
  const uri = vscode.Uri.joinPath(folder.uri, PROFILE_FILE);
  if (!(await exists(uri))) {
    const { profileTemplate } = await import('../core/cost/profileEdit');
    const edit = new vscode.WorkspaceEdit();
    edit.createFile(uri, { ignoreIfExists: true, contents: Buffer.from(profileTemplate(), 'utf8') });
    if (!(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showErrorMessage(`Could not create ${uri.fsPath}.`);
      return undefined;
    }
    s.log.info(`created ${uri.fsPath} from the template`);
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc, { preview: false });
}

async function setComponentUsage(s: Services, root: string, ids: string[]): Promise<void> {
  const result = s.results.get(root);
  let id = ids[0];
  if (ids.length > 1) {
    const names = new Map(result?.report.components.map((c) => [c.id, c.name]));
    const pick = await vscode.window.showQuickPick(
      ids.map((i) => ({ label: names.get(i) ?? i, description: i, id: i })),
      { placeHolder: 'Set the usage of which component?' },
    );
    id = pick?.id;
  }
  if (!id) return;
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(root));
  const editor = await openUsageProfile(s, folder);
  if (!editor) return;
  const c = result?.report.components.find((x) => x.id === id);
  const values: Record<string, number> = {};
  for (const k of ['requestsPerMonth', 'durationMs', 'memoryMb'])
    if (typeof c?.usage?.values[k] === 'number') values[k] = c.usage.values[k];
  const { withComponentOverride } = await import('../core/cost/profileEdit');
  const doc = editor.document;
  const r = withComponentOverride(doc.getText(), id, values);
  if ('error' in r) {
    void vscode.window.showErrorMessage(r.error);
    return;
  }
  if (r.changed) {
    // An edit in the editor, not a write: the user sees it, can undo it, and saves it.
    const all = new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
    await editor.edit((b) => b.replace(all, r.text));
  }
  const line = Math.max(0, r.line - 1);
  editor.selection = new vscode.Selection(line, 0, line, doc.lineAt(line).text.length);
  editor.revealRange(new vscode.Range(line, 0, line + 4, 0), vscode.TextEditorRevealType.InCenter);
}

const HAZARD_HELP: Partial<Record<Hazard, string>> = {
  'module-state': 'state kept in module scope between requests',
  'in-memory-session': 'sessions kept in process memory',
  'in-memory-cache': 'caches kept in process memory',
  'connection-pool': 'per-process connection pools',
  'long-running': 'work that outlasts a function timeout',
  'heavy-dependency': 'packages that slow cold starts',
};

async function newRule(s: Services): Promise<void> {
  const folder = await pickFolder('Create the rule in which folder?');
  if (!folder) return;
  const { RULE_ID, ruleTemplate, ruleFixture } = await import('../core/rules/template');
  const rulesDir = vscode.Uri.joinPath(folder.uri, '.serverless-advisor', 'rules');
  const id = await vscode.window.showInputBox({
    title: 'New Custom Rule',
    prompt: 'The rule id (kebab-case); the file is .serverless-advisor/rules/<id>.yaml',
    placeHolder: 'no-legacy-session-store',
    validateInput: async (v) => {
      if (!RULE_ID.test(v)) return 'Lower-case letters, digits and dashes, starting with a letter or digit.';
      if (await exists(vscode.Uri.joinPath(rulesDir, `${v}.yaml`))) return `${v}.yaml already exists.`;
      return undefined;
    },
  });
  if (!id) return;
  const hazard = await vscode.window.showQuickPick(
    HAZARDS.map((h) => ({ label: h, description: HAZARD_HELP[h] })),
    { placeHolder: 'What hazard does it find?' },
  );
  if (!hazard) return;
  const ruleUri = vscode.Uri.joinPath(rulesDir, `${id}.yaml`);
  const edit = new vscode.WorkspaceEdit();
  edit.createFile(ruleUri, { overwrite: false, contents: Buffer.from(ruleTemplate(id, hazard.label), 'utf8') });
  for (const f of ruleFixture(id))
    edit.createFile(vscode.Uri.joinPath(rulesDir, 'fixtures', id, ...f.file.split('/')), {
      ignoreIfExists: true,
      contents: Buffer.from(f.text, 'utf8'),
    });
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage(`Could not create ${ruleUri.fsPath}.`);
    return;
  }
  s.log.info(`created rule ${ruleUri.fsPath} and its fixture`);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(ruleUri), { preview: false });
}

function clearResults(s: Services): void {
  for (const r of s.results.all()) s.host.forget(r.root);
  s.results.clear();
  s.refresh();
}

async function showRule(s: Services, id: string, root?: string): Promise<void> {
  const folder = root ? vscode.workspace.getWorkspaceFolder(vscode.Uri.file(root)) : undefined;
  const custom = root ? [path.join(root, '.serverless-advisor', 'rules'), ...new Config(folder).ruleFolders] : [];
  s.docs.reset(); // a rule written since the last analysis is found too
  const file = s.docs.find(id, custom);
  if (!file) {
    void vscode.window.showInformationMessage(
      `${id} is reported by the analyzer itself (no rule file): see \`serverless-advisor rules facts\`.`,
    );
    return;
  }
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(file)), {
    preview: true,
  });
}

async function suppressFinding(uri: vscode.Uri, line: number, ruleId: string): Promise<void> {
  const reason = await vscode.window.showInputBox({
    title: `Suppress ${ruleId}`,
    prompt: 'Why is this fine? The reason is kept in the comment and in the report, for reviewers.',
    placeHolder: 'e.g. read-only lookup table, rebuilt identically by every instance',
    validateInput: (v) => (v.trim() ? undefined : 'A reason is required: a suppression without one is reported.'),
  });
  if (!reason) return;
  const doc = await vscode.workspace.openTextDocument(uri);
  const edit = new vscode.WorkspaceEdit();
  edit.insert(uri, new vscode.Position(line, 0), ignoreComment(doc.lineAt(line).text, ruleId, reason));
  await vscode.workspace.applyEdit(edit);
}

async function openLocation(uri: vscode.Uri, line: number, column: number): Promise<void> {
  const pos = new vscode.Position(Math.max(0, line - 1), Math.max(0, column - 1));
  await vscode.window.showTextDocument(uri, { selection: new vscode.Range(pos, pos), preview: true });
}

async function revealComponent(s: Services, root: string, id: string): Promise<void> {
  const node = s.tree.nodeOf(root, id);
  if (node) await s.treeView.reveal(node, { select: true, focus: true, expand: true });
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
