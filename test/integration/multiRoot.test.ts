// @workspace test/fixtures/multi-root/multi.code-workspace
// A multi-root workspace: each folder analysed on its own with its own settings, results kept apart and shown
// together (one folder node each in the view).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, traced, waitFor } from './helpers';

describe('a multi-root workspace', function () {
  this.timeout(120000);

  function folder(name: string): vscode.WorkspaceFolder {
    const f = vscode.workspace.workspaceFolders?.find((x) => x.name === name);
    assert.ok(f, `no workspace folder ${name}`);
    return f;
  }

  before(async () => {
    // The browser editor can start the extension host before a .code-workspace's folders reach it.
    await waitFor('the two workspace folders', () => (vscode.workspace.workspaceFolders?.length ?? 0) === 2).catch(
      () => {
        // The runner (test/editor/integration.mjs) opens the window once more on this message.
        throw new Error(
          `the editor opened the window without its workspace: ${vscode.workspace.workspaceFolders?.length ?? 0} ` +
            `folders after 30 s (workspace file ${vscode.workspace.workspaceFile?.toString() ?? 'none'})`,
        );
      },
    );
    await traced('Analyze Workspace', () => vscode.commands.executeCommand('serverlessAdvisor.analyzeWorkspace'));
    await traced('whenIdle', async () => (await api()).whenIdle());
  });

  it('analyses each folder on its own: ids and paths relative to that folder', async () => {
    const results = (await api()).results();
    const apiReport = results.get(folder('api').uri.fsPath);
    const jobsReport = results.get(folder('jobs').uri.fsPath);
    assert.ok(apiReport && jobsReport, `reports for ${[...results.keys()].join(', ')}`);
    assert.deepEqual(apiReport.components.map((c) => c.id).sort(), ['http:GET:/api/ping', 'http:POST:/api/hit/:id']);
    assert.deepEqual(
      jobsReport.components.map((c) => c.id),
      ['schedule:node-cron:src/nightly.ts:0 2 * * *'],
    );
    assert.equal(apiReport.findings[0]?.location.file, 'src/server.ts');
  });

  it('shows one folder node per folder in the view', async () => {
    const top = (await api()).treeSnapshot(2);
    assert.equal(top.length, 2, top.map((t) => t.label).join(', '));
    const apiNode = top.find((t) => t.label.endsWith(`${path.sep}api`));
    assert.ok(apiNode, top.map((t) => t.label).join(', '));
    assert.equal(apiNode.description, '2 components · 1 findings');
    assert.deepEqual(
      apiNode.children.map((c) => c.label),
      ['faas (2)'],
    );
  });

  it("applies each folder's settings: a rule turned off in jobs/.vscode/settings.json stays on in api", async () => {
    const jobs = folder('jobs');
    const report = (await api()).results().get(jobs.uri.fsPath)!;
    assert.ok(
      report.findings.some((f) => f.ruleId === 'connection-pool-per-instance'),
      'the finding is in the report (the setting only hides it in the editor)',
    );
    const nightly = vscode.Uri.joinPath(jobs.uri, 'src', 'nightly.ts');
    const ours = vscode.languages.getDiagnostics(nightly).filter((d) => d.source === 'serverless-advisor');
    assert.deepEqual(ours, []);
    const server = vscode.Uri.joinPath(folder('api').uri, 'src', 'server.ts');
    await waitFor('diagnostics in api', () =>
      vscode.languages.getDiagnostics(server).some((d) => d.source === 'serverless-advisor'),
    );
  });

  it("turns CodeLens off where the folder's settings say so, and keeps it elsewhere", async () => {
    const nightly = vscode.Uri.joinPath(folder('jobs').uri, 'src', 'nightly.ts');
    await vscode.window.showTextDocument(nightly);
    const none = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', nightly);
    assert.equal(none.filter((l) => l.command?.command === 'serverlessAdvisor.revealComponent').length, 0);
    const server = vscode.Uri.joinPath(folder('api').uri, 'src', 'server.ts');
    await vscode.window.showTextDocument(server);
    const some = await waitFor('CodeLens in api', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', server);
      return l.filter((x) => x.command?.command === 'serverlessAdvisor.revealComponent').length ? l : undefined;
    });
    assert.equal(some.filter((l) => l.command?.command === 'serverlessAdvisor.revealComponent').length, 2);
  });
});
