// Settings, read in one place with typed getters; the core gets a plain FolderOptions object from here.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Arch } from '../core/cost/types';
import type { Provider, Severity } from '../core/model';
import type { FolderOptions } from '../workerProtocol';

export const SECTION = 'serverlessAdvisor';
const PROVIDERS: readonly Provider[] = ['aws', 'azure', 'gcp', 'cloudflare'];

export type SeverityOverride = Severity | 'off';

/** The settings of one workspace folder (all our settings are resource-scoped). */
export class Config {
  private readonly c: vscode.WorkspaceConfiguration;

  constructor(readonly folder: vscode.WorkspaceFolder | undefined) {
    this.c = vscode.workspace.getConfiguration(SECTION, folder?.uri);
  }

  get providers(): Provider[] {
    return strings(this.c.get('cost.providers')).filter((p): p is Provider => PROVIDERS.includes(p as Provider));
  }
  get arch(): Arch {
    return this.c.get('cost.architecture') === 'x86' ? 'x86' : 'arm64';
  }
  get preferredOffering(): string {
    return this.c.get<string>('cost.preferredOffering') || 'aws-lambda-arm64';
  }
  get include(): string[] {
    return strings(this.c.get('files.include'));
  }
  get exclude(): string[] {
    return strings(this.c.get('files.exclude'));
  }
  get maxFiles(): number {
    const n = this.c.get<number>('files.maxFiles');
    return typeof n === 'number' && Number.isFinite(n) && n >= 1 ? Math.floor(n) : 20000;
  }
  /** Extra rule folders, absolute (relative ones from the workspace folder). */
  get ruleFolders(): string[] {
    const base = this.folder?.uri.fsPath;
    return strings(this.c.get('rules.folders')).map((d) => (base && !path.isAbsolute(d) ? path.join(base, d) : d));
  }
  get severityOverrides(): Map<string, SeverityOverride> {
    const raw = this.c.get<Record<string, unknown>>('rules.severity') ?? {};
    const out = new Map<string, SeverityOverride>();
    for (const [id, v] of Object.entries(raw))
      if (v === 'error' || v === 'warning' || v === 'info' || v === 'off') out.set(id, v);
    return out;
  }
  get analyzeOnSave(): boolean {
    return this.c.get<boolean>('analyzeOnSave') !== false;
  }
  get codeLens(): boolean {
    return this.c.get<boolean>('codeLens.enabled') !== false;
  }
  /** Per analysis, in ms; 0 for none (a window setting: one worker serves every folder). */
  get timeoutMs(): number {
    const n = this.c.get<number>('analysis.timeoutSeconds');
    return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.round(n * 1000) : 300_000;
  }
  get maxMemoryMb(): number {
    const n = this.c.get<number>('analysis.maxMemoryMb');
    return typeof n === 'number' && Number.isFinite(n) && n >= 256 ? Math.floor(n) : 4096;
  }

  /** What the worker needs to analyse this folder. */
  folderOptions(root: string): FolderOptions {
    const providers = this.providers;
    return {
      root,
      include: this.include,
      exclude: this.exclude,
      maxFiles: this.maxFiles,
      // Restricted Mode: a workspace's own rules and rule folders are not loaded until it is trusted.
      rulesDirs: vscode.workspace.isTrusted ? this.ruleFolders : [],
      builtinRulesOnly: !vscode.workspace.isTrusted,
      providers: providers.length ? providers : undefined,
      arch: this.arch,
    };
  }
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s.trim() !== '') : [];
}

/** Settings changes that call for a new analysis (the others only redraw). */
export function affectsAnalysis(e: vscode.ConfigurationChangeEvent): boolean {
  return [
    'cost.providers',
    'cost.architecture',
    'files.include',
    'files.exclude',
    'files.maxFiles',
    'rules.folders',
  ].some((k) => e.affectsConfiguration(`${SECTION}.${k}`));
}
