// Runs analyses through the worker: full runs with a cancellable progress notification, and incremental updates
// when files of an analysed folder are saved, created or deleted.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AnalyzeProgress } from '../core/analyze';
import type { Report } from '../core/model';
import { Config } from './config';
import { isInside, type Results } from './results';
import { AnalysisFailure, type WorkerHost } from './workerHost';

export interface Target {
  /** Absolute folder to analyse. */
  root: string;
  /** The workspace folder whose settings apply. */
  folder: vscode.WorkspaceFolder | undefined;
}

const PHASES: Record<AnalyzeProgress['phase'], string> = {
  discover: 'Finding source files',
  scan: 'Reading',
  link: 'Linking routes and calls',
  report: 'Classifying and pricing',
};

/** How long saves are gathered before one update runs (a "save all" is one update). */
const SAVE_DEBOUNCE_MS = 250;

export class Analyzer implements vscode.Disposable {
  private running: vscode.CancellationTokenSource | undefined;
  private readonly pendingSaves = new Map<string, { files: Set<string>; timer: NodeJS.Timeout }>();
  private readonly busy = new vscode.EventEmitter<boolean>();
  /** Fires true when an analysis or update starts, false when none is left. */
  readonly onDidChangeBusy = this.busy.event;
  private active = 0;
  private idleWaiters: (() => void)[] = [];
  private lastError: string | undefined;

  constructor(
    private readonly host: WorkerHost,
    private readonly results: Results,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get isBusy(): boolean {
    return this.active > 0 || this.pendingSaves.size > 0;
  }

  get failure(): string | undefined {
    return this.lastError;
  }

  /** Resolves when no analysis, update or gathered save is left (for tests and the export command). */
  whenIdle(): Promise<void> {
    if (!this.isBusy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** What is in flight, in one line (the test API's diagnose(), for a run that does not finish). */
  describe(): string {
    return (
      `analyses in flight ${this.active}, gathered saves [${[...this.pendingSaves.keys()].join(', ')}], ` +
      `full run ${this.running ? 'running' : 'none'}, idle waiters ${this.idleWaiters.length}` +
      (this.lastError ? `, last error: ${this.lastError}` : '')
    );
  }

  cancel(): void {
    this.running?.cancel();
  }

  /** Full analyses of the given folders, one after the other, under one cancellable notification. */
  async analyze(targets: Target[]): Promise<void> {
    if (!targets.length) return;
    this.running?.cancel();
    const cts = new vscode.CancellationTokenSource();
    this.running = cts;
    this.begin();
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Serverless Advisor', cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => cts.cancel());
          for (const [i, t] of targets.entries()) {
            if (cts.token.isCancellationRequested) break;
            const name = path.basename(t.root);
            const prefix = targets.length > 1 ? `${name} (${i + 1}/${targets.length}): ` : `${name}: `;
            let last = 0;
            progress.report({ message: `${prefix}starting…` });
            await this.runOne(t, cts.token, (p) => {
              // Progress increments are relative; report the share of this folder's scan since the last message.
              const share = p.total ? (p.done / p.total) * (100 / targets.length) : 0;
              const inc = Math.max(0, share - last);
              last = Math.max(last, share);
              const counts =
                p.phase === 'scan' && p.total ? ` ${p.done.toLocaleString()} of ${p.total.toLocaleString()} files` : '';
              progress.report({ message: `${prefix}${PHASES[p.phase]}${counts}…`, increment: inc });
            });
          }
        },
      );
    } finally {
      if (this.running === cts) this.running = undefined;
      cts.dispose();
      this.end();
    }
  }

  private async runOne(
    t: Target,
    token: vscode.CancellationToken | undefined,
    onProgress: (p: AnalyzeProgress) => void,
  ): Promise<void> {
    const started = Date.now();
    this.log.info(`analysing ${t.root}`);
    try {
      const report = await this.host.analyze(new Config(t.folder).folderOptions(t.root), onProgress, token);
      this.accept(t.root, report, `analysed ${t.root} in ${Date.now() - started} ms`);
    } catch (e) {
      this.reportFailure(t.root, e);
    }
  }

  private accept(root: string, report: Report, what: string): void {
    this.lastError = undefined;
    void vscode.commands.executeCommand('setContext', 'serverlessAdvisor.failed', false);
    this.log.info(
      `${what}: ${report.stats.files} files, ${report.components.length} components, ${report.findings.length} findings` +
        (report.stats.skipped.length ? `, ${report.stats.skipped.length} skipped` : ''),
    );
    for (const s of report.stats.skipped.slice(0, 200)) this.log.info(`  skipped ${s.file}: ${s.reason}`);
    for (const p of report.problems ?? []) this.log.warn(`  ${p.file}:${p.line}:${p.column}: ${p.message}`);
    this.results.set(root, report);
  }

  private reportFailure(root: string, e: unknown): void {
    const f = e instanceof AnalysisFailure ? e : new AnalysisFailure(String(e), 'error');
    if (f.kind === 'cancelled') {
      this.log.info(`analysis of ${root} cancelled`);
      void vscode.window.showInformationMessage(`Serverless Advisor: analysis of ${path.basename(root)} cancelled.`);
      return;
    }
    this.lastError = `${root}: ${f.message}`;
    this.log.error(`analysis of ${root} failed: ${f.message}${f.detail ? `\n${f.detail}` : ''}`);
    void vscode.commands.executeCommand('setContext', 'serverlessAdvisor.failed', true);
    const what =
      f.kind === 'input' || f.kind === 'timeout'
        ? f.message
        : f.kind === 'crash'
          ? `${f.message}. The editor is fine; run the analysis again, or exclude large generated folders.`
          : `the analysis of ${path.basename(root)} failed: ${f.message}`;
    void vscode.window.showErrorMessage(`Serverless Advisor: ${what}`, 'Show Log').then((a) => {
      if (a) this.log.show(true);
    });
  }

  /** A file of an analysed folder was saved, created or deleted: gather, then re-analyse what it affects. */
  fileChanged(file: string, force = false): void {
    const result = this.results.rootOf(file);
    if (!result) return;
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file));
    if (!force && !new Config(folder).analyzeOnSave) return;
    const root = result.root;
    let p = this.pendingSaves.get(root);
    if (p) clearTimeout(p.timer);
    else this.pendingSaves.set(root, (p = { files: new Set(), timer: undefined as unknown as NodeJS.Timeout }));
    p.files.add(file);
    p.timer = setTimeout(() => void this.flush(root, folder), SAVE_DEBOUNCE_MS);
  }

  private async flush(root: string, folder: vscode.WorkspaceFolder | undefined): Promise<void> {
    const p = this.pendingSaves.get(root);
    if (!p) return;
    this.pendingSaves.delete(root);
    const files = [...p.files].filter((f) => isInside(f, root));
    this.begin();
    const started = Date.now();
    try {
      const report = await this.host.update(root, files);
      this.accept(root, report, `re-analysed ${files.length} changed file(s) in ${Date.now() - started} ms`);
    } catch (e) {
      if (e instanceof AnalysisFailure && e.kind === 'input' && this.results.get(root)) {
        // The worker lost the folder (restarted after a crash): a full run, quietly, in the status bar.
        this.log.info(`the worker has no session for ${root}; analysing it again`);
        await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Window, title: 'Serverless Advisor' },
          (progress) => this.runOne({ root, folder }, undefined, (q) => progress.report({ message: PHASES[q.phase] })),
        );
      } else this.reportFailure(root, e);
    } finally {
      this.end();
    }
  }

  private begin(): void {
    if (this.active++ === 0) {
      this.busy.fire(true);
      void vscode.commands.executeCommand('setContext', 'serverlessAdvisor.running', true);
    }
  }

  private end(): void {
    if (--this.active > 0) return;
    void vscode.commands.executeCommand('setContext', 'serverlessAdvisor.running', false);
    this.busy.fire(false);
    if (!this.isBusy) {
      const w = this.idleWaiters;
      this.idleWaiters = [];
      for (const f of w) f();
    }
  }

  dispose(): void {
    this.running?.cancel();
    for (const p of this.pendingSaves.values()) clearTimeout(p.timer);
    this.pendingSaves.clear();
    this.busy.dispose();
    for (const f of this.idleWaiters) f();
  }
}
