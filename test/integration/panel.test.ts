// @workspace examples/shop-api
// The architecture panel in a real editor: Show Architecture opens it on the analysed folder, the page draws the
// diagram the host sent (it says how many nodes it rendered), links open only inside the folder, and a page message
// the protocol does not allow is refused.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, waitFor, workspaceFolder } from './helpers';

describe('architecture panel', function () {
  this.timeout(120000);

  before(async () => {
    await vscode.commands.executeCommand('serverlessAdvisor.analyzeWorkspace');
    await (await api()).whenIdle();
  });

  it('Show Architecture opens the panel and the page renders every node of the proposed diagram', async () => {
    const a = await api();
    const t0 = Date.now();
    await vscode.commands.executeCommand('serverlessAdvisor.showArchitecture');
    const report = a.results().get(workspaceFolder().uri.fsPath);
    assert.ok(report?.architecture, 'no architecture in the report');
    const state = await waitFor(
      'the page to render the proposed diagram',
      () => {
        const s = a.panelState();
        return s.rendered && s.posted && s.rendered.seq === s.posted.seq && s.rendered.view === 'proposed'
          ? s
          : undefined;
      },
      90000,
    );
    console.log(`    rendered ${state.rendered!.nodes} nodes in ${Date.now() - t0} ms (model ${state.posted!.seq})`);
    assert.equal(state.open, true);
    assert.equal(state.posted!.root, workspaceFolder().uri.fsPath);
    assert.equal(state.posted!.nodes.proposed, report.architecture.proposed.nodes.length);
    assert.equal(state.rendered!.nodes, state.posted!.nodes.proposed, 'nodes drawn = nodes sent');
    const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'Architecture');
    assert.ok(tab, 'no Architecture tab');
  });

  it('opens a root-relative file at its line; refuses paths outside the folder and unknown messages', async () => {
    const a = await api();
    const before = a.panelState().rejected;
    await a.panelReceive({ type: 'openLocation', file: 'src/routes/orders.ts', line: 5, column: 3 });
    const editor = await waitFor('the editor of orders.ts', () =>
      vscode.window.activeTextEditor?.document.uri.fsPath.endsWith(path.join('src', 'routes', 'orders.ts'))
        ? vscode.window.activeTextEditor
        : undefined,
    );
    assert.equal(editor.selection.active.line, 4);
    assert.equal(editor.selection.active.character, 2);

    const refused = [
      { type: 'openLocation', file: '../../../../etc/passwd', line: 1, column: 1 },
      { type: 'openLocation', file: '/etc/passwd', line: 1, column: 1 },
      { type: 'openLocation', file: 'src/does-not-exist.ts', line: 1, column: 1 },
      { type: 'runCommand', command: 'workbench.action.terminal.new' },
      { type: 'export', format: 'svg', view: 'proposed', data: '<script>alert(1)</script>' },
    ];
    for (const m of refused) await a.panelReceive(m);
    assert.equal(a.panelState().rejected - before, refused.length, a.panelState().lastRejection);
    assert.ok(!vscode.window.activeTextEditor?.document.uri.fsPath.endsWith('passwd'));
  });

  it('redraws for another provider and keeps following re-analysis', async () => {
    const a = await api();
    const seq = a.panelState().posted!.seq;
    await a.panelReceive({ type: 'setView', provider: 'gcp', expanded: [] });
    const s = await waitFor('a GCP model', () => {
      const x = a.panelState();
      return x.posted && x.posted.seq > seq && x.posted.provider === 'gcp' ? x : undefined;
    });
    assert.equal(s.posted!.provider, 'gcp');
    await vscode.commands.executeCommand('serverlessAdvisor.analyzeWorkspace');
    await a.whenIdle();
    const after = await waitFor('a model after re-analysis', () => {
      const x = a.panelState();
      return x.posted && x.posted.seq > s.posted!.seq ? x : undefined;
    });
    assert.equal(after.posted!.provider, 'gcp', 'the provider survives re-analysis');
  });

  it('a what-if message moves the totals; an unknown id is refused; an empty what-if restores them', async () => {
    const a = await api();
    const report = a.results().get(workspaceFolder().uri.fsPath)!;
    const c = report.components.find((x) => x.id === 'queue:bullmq:emails')!;
    const requests = c.usage!.values.requestsPerMonth!;
    const own = c.cost!.find((x) => x.monthlyUsd.likely > 0)!;
    const s0 = a.panelState().posted!;
    const before = s0.totals[own.offering]!;

    await a.panelReceive({ type: 'whatIf', overrides: { [c.id]: { requestsPerMonth: requests * 2 } } });
    const s1 = await waitFor('a what-if model', () => {
      const x = a.panelState().posted;
      return x && x.seq > s0.seq && x.whatIf === 1 ? x : undefined;
    });
    assert.ok(
      Math.abs(s1.totals[own.offering]! - (before + own.monthlyUsd.likely)) < 1e-6,
      `${own.offering}: ${before} -> ${s1.totals[own.offering]} (component ${own.monthlyUsd.likely})`,
    );

    const rejected = a.panelState().rejected;
    await a.panelReceive({ type: 'whatIf', overrides: { 'http:GET:/not-there': { target: 'faas' } } });
    await a.panelReceive({ type: 'whatIf', overrides: { [c.id]: { requestsPerMonth: -1 } } });
    assert.equal(a.panelState().rejected - rejected, 2, a.panelState().lastRejection);

    await a.panelReceive({ type: 'whatIf', overrides: {} });
    const s2 = await waitFor('the model without what-if', () => {
      const x = a.panelState().posted;
      return x && x.seq > s1.seq && x.whatIf === 0 ? x : undefined;
    });
    assert.ok(Math.abs(s2.totals[own.offering]! - before) < 1e-9);
  });
});
