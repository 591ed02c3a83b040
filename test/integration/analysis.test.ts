// @workspace examples/shop-api
// Analyze Workspace on the example app through the real editor: diagnostics, the tree, CodeLens, hovers, quick
// fixes, then re-analysis on save (a new hazard appears, a suppression hides it, the edit is undone).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Report } from '../../src/core/model';
import { api, waitFor, workspaceFolder } from './helpers';

const SOURCE = 'serverless-advisor';

function ours(uri?: vscode.Uri): vscode.Diagnostic[] {
  const all = uri ? [[uri, vscode.languages.getDiagnostics(uri)] as const] : vscode.languages.getDiagnostics();
  return all.flatMap(([, list]) => list.filter((d) => d.source === SOURCE));
}

function fileUri(rel: string): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceFolder().uri.fsPath, ...rel.split('/')));
}

async function report(): Promise<Report> {
  const a = await api();
  await a.whenIdle();
  const r = a.results().get(workspaceFolder().uri.fsPath);
  assert.ok(r, 'no report for the workspace folder');
  return r;
}

/** Replaces the whole text of a file through the editor and saves it (what a user's edit and Ctrl+S do). */
async function editAndSave(rel: string, change: (text: string) => string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(fileUri(rel));
  const edit = new vscode.WorkspaceEdit();
  edit.replace(
    doc.uri,
    new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)),
    change(doc.getText()),
  );
  assert.ok(await vscode.workspace.applyEdit(edit), `could not edit ${rel}`);
  assert.ok(await doc.save(), `could not save ${rel}`);
}

describe('Analyze Workspace on the example app', function () {
  this.timeout(120000);
  let first: Report;

  before(async () => {
    await vscode.commands.executeCommand('serverlessAdvisor.analyzeWorkspace');
    first = await report();
  });

  it('produces a report with components and findings', () => {
    assert.ok(first.components.length >= 20, `only ${first.components.length} components`);
    assert.ok(first.findings.length >= 20, `only ${first.findings.length} findings`);
  });

  it('shows one diagnostic per finding, at its location, with its rule and a link to the rule file', async () => {
    await waitFor('diagnostics', () => ours().length > 0);
    const problems = first.problems?.length ?? 0;
    assert.equal(ours().length, first.findings.length + problems);
    const pool = first.findings.find((f) => f.ruleId === 'connection-pool-per-instance');
    assert.ok(pool, 'the example has a per-instance pool finding');
    const d = ours(fileUri(pool.location.file)).find(
      (x) => typeof x.code === 'object' && x.code.value === 'connection-pool-per-instance',
    );
    assert.ok(d, `no diagnostic for ${pool.ruleId} in ${pool.location.file}`);
    assert.equal(d.range.start.line, pool.location.line - 1);
    assert.equal(d.range.start.character, pool.location.column - 1);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    const target = (d.code as { target: vscode.Uri }).target;
    assert.match(target.fsPath, /rules[\\/]connections[\\/]connection-pool-per-instance\.yaml$/);
    assert.ok((d.relatedInformation?.length ?? 0) > 0, 'no related locations for the components it affects');
    assert.match(d.relatedInformation![0]!.message, /^reached by /);
  });

  it('lists components by target in the view, each with its findings, reasons and cost', async () => {
    const a = await api();
    const top = a.treeSnapshot(3);
    const targets = new Set(first.components.map((c) => c.classification?.target));
    for (const t of targets) {
      const n = top.find((x) => x.label.startsWith(`${t} (`));
      assert.ok(n, `no "${t}" group in the view: ${top.map((x) => x.label).join(', ')}`);
      const count = first.components.filter((c) => c.classification?.target === t).length;
      assert.equal(n.label, `${t} (${count})`);
      assert.equal(n.children.length, count);
    }
    const health = top.flatMap((t) => t.children).find((c) => c.label === 'GET /health');
    assert.ok(health, 'GET /health is not in the view');
    assert.ok(
      health.children.some((c) => /^Findings \(\d+\)$/.test(c.label)),
      `GET /health has no findings node: ${health.children.map((c) => c.label).join(', ')}`,
    );
    assert.ok(health.children.some((c) => c.label.startsWith('Why ')));
    assert.ok(health.children.some((c) => c.label.startsWith('Cold start ~')));
  });

  it('puts a CodeLens with target, cost and cold start above each route of a file', async () => {
    const uri = fileUri('src/routes/health.ts');
    // The workbench computes CodeLens and code actions on open models only, as for a user.
    await vscode.window.showTextDocument(uri);
    const lenses = await waitFor('CodeLens on src/routes/health.ts', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      return l?.filter((x) => x.command?.command === 'serverlessAdvisor.revealComponent').length ? l : undefined;
    });
    const titles = lenses.map((l) => l.command?.title ?? '');
    const routes = first.components.filter((c) => c.location.file === 'src/routes/health.ts');
    assert.equal(titles.length, routes.length, titles.join(' | '));
    for (const c of routes) {
      const lens = lenses.find((l) => l.range.start.line === c.location.line - 1);
      assert.ok(lens, `no CodeLens on line ${c.location.line} for ${c.name}`);
      assert.match(
        lens.command!.title,
        new RegExp(`^${c.classification!.target} · ~\\$[\\d.,<]+/mo on .+ · cold start ~\\d+ ms$`),
      );
      assert.ok(lens.command!.title.includes(`cold start ~${c.coldStart!.estimateMs} ms`));
    }
  });

  it('explains a component in a hover on its line', async () => {
    const c = first.components.find((x) => x.name === 'GET /health')!;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      fileUri(c.location.file),
      new vscode.Position(c.location.line - 1, c.location.column),
    );
    const text = hovers
      .flatMap((h) => h.contents.map((m) => (typeof m === 'string' ? m : 'value' in m ? m.value : '')))
      .join('\n');
    assert.ok(text.includes(`**${c.classification!.target}**`), text);
    assert.ok(text.includes('Cold start'), text);
  });

  it('offers quick fixes on a finding: suppress with a reason, show the rule, set usage', async () => {
    const pool = first.findings.find((f) => f.ruleId === 'connection-pool-per-instance')!;
    const uri = fileUri(pool.location.file);
    await vscode.window.showTextDocument(uri);
    const d = ours(uri).find((x) => typeof x.code === 'object' && x.code.value === pool.ruleId)!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      d.range,
    );
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes(`Suppress ${pool.ruleId} here…`), titles.join(' | '));
    assert.ok(titles.includes(`Show rule ${pool.ruleId}`), titles.join(' | '));
    assert.ok(
      titles.some((t) => t.startsWith('Set usage of ')),
      titles.join(' | '),
    );
  });

  it('re-analyses a saved file: a new hazard appears, a suppression hides it, undoing removes it', async () => {
    const rel = 'src/routes/health.ts';
    const before = await report();
    await editAndSave(rel, (t) =>
      t
        .replace(
          'const router = express.Router();',
          'const router = express.Router();\nconst lastSeen = new Map<string, number>();',
        )
        .replace(
          "router.get('/health', async (_req: Request, res: Response) => {",
          "router.get('/health', async (_req: Request, res: Response) => {\n  lastSeen.set(String(_req.ip), Date.now());",
        ),
    );
    const added = await waitFor('the new finding after save', async () => {
      const r = await report();
      return r.findings.find((f) => f.location.file === rel && f.ruleId === 'module-state-written-in-handler');
    });
    assert.deepEqual(added.components, ['http:GET:/health']);
    assert.ok(
      ours(fileUri(rel)).some((d) => typeof d.code === 'object' && d.code.value === 'module-state-written-in-handler'),
      'the new finding is not a diagnostic',
    );
    assert.equal((await report()).findings.length, before.findings.length + 1);

    // The quick fix's comment, as the rules engine reads it.
    await editAndSave(rel, (t) =>
      t.replace(
        'const lastSeen = new Map',
        '// serverless-advisor-ignore module-state-written-in-handler -- test: liveness probe bookkeeping\nconst lastSeen = new Map',
      ),
    );
    const suppressed = await waitFor('the suppression after save', async () => {
      const r = await report();
      return r.suppressed?.find((f) => f.location.file === rel);
    });
    assert.equal(suppressed.suppression.reason, 'test: liveness probe bookkeeping');
    assert.equal((await report()).findings.length, before.findings.length);

    await editAndSave(rel, (t) =>
      t
        .replace(/\/\/ serverless-advisor-ignore[^\n]*\n/, '')
        .replace('const lastSeen = new Map<string, number>();\n', '')
        .replace('  lastSeen.set(String(_req.ip), Date.now());\n', ''),
    );
    await waitFor('the finding gone after undoing the edit', async () => {
      const r = await report();
      return !r.findings.some((f) => f.location.file === rel && f.ruleId === 'module-state-written-in-handler') &&
        !(r.suppressed ?? []).length
        ? r
        : undefined;
    });
    assert.equal((await report()).findings.length, before.findings.length);
  });

  it('creates the usage profile from the template, never replacing it, and takes a component override', async () => {
    const uri = fileUri('serverless-advisor.yaml');
    await vscode.commands.executeCommand('serverlessAdvisor.openUsageProfile');
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.match(doc.getText(), /^# Serverless Advisor usage profile/);

    // Set usage through the command the quick fix runs, then change the figure and save.
    const root = workspaceFolder().uri.fsPath;
    await vscode.commands.executeCommand('serverlessAdvisor.setComponentUsage', root, ['http:GET:/health']);
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.fsPath, uri.fsPath);
    assert.match(editor.document.getText(), /\n {2}http:GET:\/health:\n {4}requestsPerMonth: \d+/);
    await editAndSave('serverless-advisor.yaml', (t) =>
      t.replace(/(http:GET:\/health:\n {4}requestsPerMonth: )\d+/, '$1987654'),
    );
    const c = await waitFor('the profile figure in the report', async () => {
      const r = await report();
      const h = r.components.find((x) => x.id === 'http:GET:/health');
      return h?.usage?.values.requestsPerMonth === 987654 ? h : undefined;
    });
    assert.ok(c.cost?.length);

    // Opening it again keeps the user's text.
    const text = (await vscode.workspace.openTextDocument(uri)).getText();
    await vscode.commands.executeCommand('serverlessAdvisor.openUsageProfile');
    assert.equal((await vscode.workspace.openTextDocument(uri)).getText(), text);
  });

  it('exports the plan, the page and a skeleton: the format the user picks, where the save dialog says', async () => {
    // The quick pick and the save dialog answered as a user would (the window's own functions, put back after).
    const win = vscode.window as unknown as Record<string, unknown>;
    const saved = ['showQuickPick', 'showSaveDialog', 'showInformationMessage'].map((k) => [k, win[k]] as const);
    const dir = path.join(workspaceFolder().uri.fsPath, 'docs');
    let format = '';
    let offered: string[] = [];
    win.showQuickPick = (items: readonly { label: string; format?: string }[]) => {
      offered = items.map((i) => i.format ?? i.label);
      return Promise.resolve(items.find((i) => i.format === format));
    };
    win.showSaveDialog = (o: vscode.SaveDialogOptions) =>
      Promise.resolve(vscode.Uri.file(path.join(dir, path.basename(o.defaultUri!.fsPath))));
    win.showInformationMessage = () => Promise.resolve(undefined);
    try {
      format = 'md';
      await vscode.commands.executeCommand('serverlessAdvisor.exportReport');
      assert.deepEqual(offered, ['md', 'html', 'sarif', 'json', 'serverless', 'sam']);
      const md = vscode.window.activeTextEditor!.document;
      assert.equal(md.uri.fsPath, path.join(dir, 'serverless-advisor-report.md'));
      assert.match(md.getText(), /^# Serverless Advisor report: migration plan/);
      // The plan sits in docs/: its links climb back to the code.
      assert.match(md.getText(), /\]\(\.\.\/src\/[^)]+#L\d+\)/);
      format = 'html';
      await vscode.commands.executeCommand('serverlessAdvisor.exportReport');
      const html = new TextDecoder().decode(
        await vscode.workspace.fs.readFile(vscode.Uri.file(path.join(dir, 'serverless-advisor-report.html'))),
      );
      assert.match(html, /^<!doctype html>/i);
      assert.ok((html.match(/<svg/g) ?? []).length >= 2);
      format = 'sam';
      await vscode.commands.executeCommand('serverlessAdvisor.exportReport');
      assert.match(
        vscode.window.activeTextEditor!.document.getText(),
        /^# template\.yaml generated by serverless-advisor/,
      );
      // Nothing half-written is left beside them.
      const left = (await vscode.workspace.fs.readDirectory(vscode.Uri.file(dir))).map(([n]) => n).sort();
      assert.deepEqual(left, ['serverless-advisor-report.html', 'serverless-advisor-report.md', 'template.yaml']);
    } finally {
      for (const [k, v] of saved) win[k] = v;
    }
  });

  it('clears results: no diagnostics, an empty view', async () => {
    await vscode.commands.executeCommand('serverlessAdvisor.clearResults');
    const a = await api();
    assert.equal(a.results().size, 0);
    assert.equal(ours().length, 0);
    assert.equal(a.treeSnapshot(1).length, 0);
  });
});
