// Findings as diagnostics (squiggles and the Problems panel), and the report's problems (broken rules, ignore
// comments without a reason, usage profile errors) at their file and line.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Component, Finding, Location, Problem, Severity } from '../core/model';
import { Config, type SeverityOverride } from './config';
import type { Results } from './results';
import { uriOf, type FolderResult } from './results';
import type { RuleDocs } from './ruleDocs';

export const SOURCE = 'serverless-advisor';
/** Related locations per diagnostic: enough to see who is affected, not a wall of links. */
const MAX_RELATED = 8;

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** What a diagnostic came from, for code actions (diagnostics carry no payload of their own). */
export interface DiagnosticOrigin {
  root: string;
  finding: Finding;
}

export class Diagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(SOURCE);
  private readonly origins = new WeakMap<vscode.Diagnostic, DiagnosticOrigin>();

  constructor(
    private readonly results: Results,
    private readonly docs: RuleDocs,
  ) {}

  originOf(d: vscode.Diagnostic): DiagnosticOrigin | undefined {
    return this.origins.get(d);
  }

  /** Rebuilds every file's diagnostics from the current results. */
  refresh(): void {
    const byFile = new Map<string, { uri: vscode.Uri; list: vscode.Diagnostic[] }>();
    const add = (uri: vscode.Uri, d: vscode.Diagnostic): void => {
      const key = uri.toString();
      let e = byFile.get(key);
      if (!e) byFile.set(key, (e = { uri, list: [] }));
      e.list.push(d);
    };
    this.docs.reset();
    for (const r of this.results.all()) {
      const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(r.root));
      const config = new Config(folder);
      const overrides = config.severityOverrides;
      const customDirs = [path.join(r.root, '.serverless-advisor', 'rules'), ...config.ruleFolders];
      const components = new Map(r.report.components.map((c) => [c.id, c]));
      for (const f of r.report.findings) {
        const d = this.findingDiagnostic(r, f, components, overrides, customDirs);
        if (d) add(uriOf(r.root, f.location.file), d);
      }
      for (const p of r.report.problems ?? []) add(uriOf(r.root, p.file), problemDiagnostic(p));
    }
    this.collection.clear();
    for (const { uri, list } of byFile.values()) this.collection.set(uri, list);
  }

  private findingDiagnostic(
    r: FolderResult,
    f: Finding,
    byId: ReadonlyMap<string, Component>,
    overrides: Map<string, SeverityOverride>,
    customDirs: string[],
  ): vscode.Diagnostic | undefined {
    const sev = overrides.get(f.ruleId) ?? f.severity;
    if (sev === 'off') return undefined;
    const d = new vscode.Diagnostic(rangeOf(f.location, f.evidence), `${f.message}\nFix: ${f.fix}`, SEVERITY[sev]);
    d.source = SOURCE;
    const doc = this.docs.find(f.ruleId, customDirs);
    d.code = doc ? { value: f.ruleId, target: vscode.Uri.file(doc) } : f.ruleId;
    const related: vscode.DiagnosticRelatedInformation[] = [];
    for (const id of f.components.slice(0, MAX_RELATED)) {
      const c = byId.get(id);
      if (!c) continue;
      const at = c.handler ?? c.location;
      const target = c.classification ? `, classified ${c.classification.target}` : '';
      related.push(
        new vscode.DiagnosticRelatedInformation(
          new vscode.Location(uriOf(r.root, at.file), new vscode.Position(at.line - 1, at.column - 1)),
          `reached by ${c.name}${target}`,
        ),
      );
    }
    if (f.components.length > MAX_RELATED) {
      const c = byId.get(f.components[MAX_RELATED]!);
      if (c)
        related.push(
          new vscode.DiagnosticRelatedInformation(
            new vscode.Location(uriOf(r.root, c.location.file), new vscode.Position(c.location.line - 1, 0)),
            `and ${f.components.length - MAX_RELATED} more components (see the Serverless Advisor view)`,
          ),
        );
    }
    if (related.length) d.relatedInformation = related;
    this.origins.set(d, { root: r.root, finding: f });
    return d;
  }

  clear(): void {
    this.collection.clear();
  }

  dispose(): void {
    this.collection.dispose();
  }
}

/** The finding's range: its node when known, else its first line of evidence. */
export function rangeOf(loc: Location, evidence?: string): vscode.Range {
  const line = Math.max(0, loc.line - 1);
  const col = Math.max(0, loc.column - 1);
  if (loc.endLine !== undefined && loc.endColumn !== undefined) {
    // A finding on a whole class or function would underline pages: keep it to the first line.
    const endLine = Math.max(line, loc.endLine - 1);
    if (endLine === line) return new vscode.Range(line, col, line, Math.max(col, loc.endColumn - 1));
  }
  const first = (evidence ?? '').replace(/ \.\.\.$/, '');
  return new vscode.Range(line, col, line, col + Math.max(1, first.length));
}

function problemDiagnostic(p: Problem): vscode.Diagnostic {
  const line = Math.max(0, p.line - 1);
  const col = Math.max(0, p.column - 1);
  const d = new vscode.Diagnostic(
    new vscode.Range(line, col, line, col + 1),
    p.fix ? `${p.message}\nFix: ${p.fix}` : p.message,
    p.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Error,
  );
  d.source = SOURCE;
  return d;
}
