// The status bar summary: components and findings of every analysed folder; busy while an analysis runs.
import * as vscode from 'vscode';
import { TARGETS } from '../core/model';
import { usd } from '../core/labels';
import type { Results } from './results';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'serverlessAdvisor.status',
    vscode.StatusBarAlignment.Left,
    10,
  );
  private busy = false;

  constructor(private readonly results: Results) {
    this.item.name = 'Serverless Advisor';
    this.item.command = 'serverlessAdvisor.showArchitecture';
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    this.refresh();
  }

  refresh(): void {
    const all = this.results.all();
    if (!all.length && !this.busy) {
      this.item.hide();
      return;
    }
    let components = 0;
    let findings = 0;
    let errors = 0;
    const byTarget = new Map<string, number>();
    let lambda = 0;
    let priced = false;
    for (const r of all) {
      components += r.report.components.length;
      findings += r.report.findings.length;
      errors += r.report.findings.filter((f) => f.severity === 'error').length;
      for (const c of r.report.components) {
        const t = c.classification?.target ?? 'container';
        byTarget.set(t, (byTarget.get(t) ?? 0) + 1);
      }
      const total = r.report.totals?.monthlyUsd['aws-lambda-arm64'];
      if (total) {
        lambda += total.likely;
        priced = true;
      }
    }
    const icon = this.busy ? '$(loading~spin)' : '$(cloud)';
    this.item.text = all.length ? `${icon} ${components} components · ${findings} findings` : `${icon} Analysing…`;
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**Serverless Advisor**${this.busy ? ' (analysing…)' : ''}\n\n`);
    for (const t of TARGETS) if (byTarget.get(t)) md.appendMarkdown(`- ${t}: ${byTarget.get(t)}\n`);
    md.appendMarkdown(`\n${findings} findings${errors ? `, ${errors} blocking` : ''}`);
    if (priced) md.appendMarkdown(`\n\nAll on Lambda arm64: ~${usd(lambda)} a month (likely)`);
    md.appendMarkdown('\n\nClick to show the architecture.');
    this.item.tooltip = md;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
