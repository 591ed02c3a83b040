// Above each component's registration (and its handler, when elsewhere): its target, cost and cold start; and a
// hover there with the reasons.
import * as vscode from 'vscode';
import type { Component } from '../core/model';
import { componentSummary, offeringLabel, quotedCost, TARGET_LABELS, usdRange } from '../core/labels';
import { Config } from './config';
import type { Results } from './results';

export class ComponentLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly results: Results) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (document.uri.scheme !== 'file') return [];
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    const config = new Config(folder);
    if (!config.codeLens) return [];
    const lenses: vscode.CodeLens[] = [];
    // Several components on one line (app.route('/x').get().post()) share one lens per component, in order.
    for (const { result, component: c, at } of this.results.componentsIn(document.uri.fsPath)) {
      const loc = at === 'location' ? c.location : c.handler!;
      const line = Math.min(Math.max(0, loc.line - 1), document.lineCount - 1);
      const range = new vscode.Range(line, 0, line, 0);
      const title = (at === 'handler' ? `${c.name}: ` : '') + componentSummary(c, config.preferredOffering);
      lenses.push(
        new vscode.CodeLens(range, {
          title,
          tooltip: `${c.name}: ${c.classification ? TARGET_LABELS[c.classification.target] : 'not classified'}. Click to show it in the Serverless Advisor view.`,
          command: 'serverlessAdvisor.revealComponent',
          arguments: [result.root, c.id],
        }),
      );
    }
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export class ComponentHover implements vscode.HoverProvider {
  constructor(private readonly results: Results) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const config = new Config(vscode.workspace.getWorkspaceFolder(document.uri));
    const here = this.results
      .componentsIn(document.uri.fsPath)
      .filter(({ component: c, at }) => (at === 'location' ? c.location : c.handler!).line - 1 === position.line);
    if (!here.length) return undefined;
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = false;
    for (const { component } of here.slice(0, 4)) md.appendMarkdown(describe(component, config.preferredOffering));
    return new vscode.Hover(md);
  }
}

/** Markdown of a component's classification, reasons, blockers, cost and cold start (hover, tree tooltip). */
export function describe(c: Component, preferred: string): string {
  const esc = (s: string): string => s.replace(/[\\`*_{}[\]<>()#+!|]/g, (m) => `\\${m}`);
  const lines: string[] = [];
  const cls = c.classification;
  lines.push(`**${esc(c.name)}** · ${esc(c.framework)} ${esc(c.kind)}\n`);
  if (cls) {
    lines.push(
      `**${cls.target}** (${TARGET_LABELS[cls.target]}), confidence ${Math.round(cls.confidence * 100)}%` +
        (c.effort ? ` · effort ${c.effort.points} points` : '') +
        '\n',
    );
    for (const r of cls.reasons.slice(0, 5)) lines.push(`- ${esc(r)}`);
    if (cls.blockers.length) {
      lines.push('\n**Blockers**\n');
      for (const b of cls.blockers.slice(0, 5)) lines.push(`- ${esc(b)}`);
    }
    if (cls.alternatives.length) {
      lines.push('\n**Alternatives**\n');
      for (const a of cls.alternatives.slice(0, 3)) lines.push(`- ${a.target}: ${esc(a.why)}`);
    }
  }
  const cost = quotedCost(c, preferred);
  if (cost) lines.push(`\n**Cost** on ${offeringLabel(cost.offering)}: ${usdRange(cost.monthlyUsd)} a month`);
  if (c.coldStart)
    lines.push(`\n**Cold start** ~${c.coldStart.estimateMs} ms (estimate; ${c.coldStart.bundleKb} KB bundled)`);
  if (c.findings.length) lines.push(`\n${c.findings.length} finding${c.findings.length === 1 ? '' : 's'}`);
  return lines.join('\n') + '\n\n---\n\n';
}
