// The latest report of each analysed folder: what diagnostics, the tree, CodeLens, hovers and the status bar show.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Component, Finding, Report } from '../core/model';

export interface FolderResult {
  /** Absolute path of the analysed folder (a workspace folder or a sub-folder analysed from the explorer). */
  root: string;
  report: Report;
  /** When it was produced, for the tree's tooltip. */
  at: Date;
}

export class Results implements vscode.Disposable {
  private readonly byRoot = new Map<string, FolderResult>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  set(root: string, report: Report): void {
    this.byRoot.set(root, { root, report, at: new Date() });
    this.changed.fire();
  }

  delete(root: string): void {
    if (this.byRoot.delete(root)) this.changed.fire();
  }

  clear(): void {
    this.byRoot.clear();
    this.changed.fire();
  }

  get(root: string): FolderResult | undefined {
    return this.byRoot.get(root);
  }

  all(): FolderResult[] {
    return [...this.byRoot.values()].sort((a, b) => a.root.localeCompare(b.root));
  }

  get size(): number {
    return this.byRoot.size;
  }

  /** The analysed folder a file belongs to (the deepest one, when a sub-folder was analysed on its own too). */
  rootOf(file: string): FolderResult | undefined {
    let best: FolderResult | undefined;
    for (const r of this.byRoot.values())
      if (isInside(file, r.root) && (!best || r.root.length > best.root.length)) best = r;
    return best;
  }

  /** The components registered or handled in a file, with where. */
  componentsIn(file: string): { result: FolderResult; component: Component; at: 'location' | 'handler' }[] {
    const r = this.rootOf(file);
    if (!r) return [];
    const rel = relative(r.root, file);
    const out: { result: FolderResult; component: Component; at: 'location' | 'handler' }[] = [];
    for (const c of r.report.components) {
      if (c.location.file === rel) out.push({ result: r, component: c, at: 'location' });
      else if (c.handler?.file === rel) out.push({ result: r, component: c, at: 'handler' });
    }
    return out;
  }

  finding(root: string, id: string): Finding | undefined {
    return this.byRoot.get(root)?.report.findings.find((f) => f.id === id);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function isInside(file: string, root: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (!!rel && !rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Root-relative, '/'-separated: how the report names files. */
export function relative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

/** The absolute URI of a report path. */
export function uriOf(root: string, file: string): vscode.Uri {
  return vscode.Uri.file(path.isAbsolute(file) ? file : path.join(root, ...file.split('/')));
}
