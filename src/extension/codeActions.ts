// Quick fixes on our diagnostics: suppress here with a reason, show the rule, set the affected component's usage.
import * as vscode from 'vscode';
import { IGNORE_MARKER } from '../core/rules/suppress';
import type { Diagnostics } from './diagnostics';
import { SOURCE } from './diagnostics';

export class FindingActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly diagnostics: Diagnostics) {}

  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      if (d.source !== SOURCE) continue;
      const origin = this.diagnostics.originOf(d);
      if (!origin) continue;
      const { finding, root } = origin;
      const suppress = new vscode.CodeAction(`Suppress ${finding.ruleId} here…`, vscode.CodeActionKind.QuickFix);
      suppress.diagnostics = [d];
      suppress.command = {
        command: 'serverlessAdvisor.suppressFinding',
        title: suppress.title,
        arguments: [document.uri, d.range.start.line, finding.ruleId],
      };
      out.push(suppress);
      const show = new vscode.CodeAction(`Show rule ${finding.ruleId}`, vscode.CodeActionKind.QuickFix);
      show.diagnostics = [d];
      show.command = { command: 'serverlessAdvisor.showRule', title: show.title, arguments: [finding.ruleId, root] };
      out.push(show);
      const first = finding.components[0];
      if (first) {
        const usage = new vscode.CodeAction(
          finding.components.length === 1
            ? `Set usage of ${first} in serverless-advisor.yaml`
            : `Set usage of a component this affects (${finding.components.length})…`,
          vscode.CodeActionKind.QuickFix,
        );
        usage.diagnostics = [d];
        usage.command = {
          command: 'serverlessAdvisor.setComponentUsage',
          title: usage.title,
          arguments: [root, finding.components],
        };
        out.push(usage);
      }
    }
    return out;
  }
}

/** The comment the rules engine understands, indented like the line it speaks for. */
export function ignoreComment(lineText: string, ruleId: string, reason: string): string {
  const indent = /^\s*/.exec(lineText)?.[0] ?? '';
  return `${indent}// ${IGNORE_MARKER} ${ruleId} -- ${reason.replace(/\r?\n/g, ' ').trim()}\n`;
}
