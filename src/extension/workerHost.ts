// The host side of the analysis worker: starts it on first use, sends requests, routes progress, and survives its
// crash (pending requests fail with the reason; the next request starts a fresh worker).
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type * as vscode from 'vscode';
import type { AnalyzeProgress } from '../core/analyze';
import type { Report } from '../core/model';
import {
  CANCEL_FLAG,
  type ExportFormat,
  type FolderOptions,
  type HostToWorker,
  type WorkerToHost,
} from '../workerProtocol';

/** Why a request did not produce a result. */
export class AnalysisFailure extends Error {
  constructor(
    message: string,
    readonly kind: 'cancelled' | 'input' | 'error' | 'crash',
    readonly detail?: string,
  ) {
    super(message);
  }
}

interface Pending {
  resolve: (m: WorkerToHost) => void;
  reject: (e: AnalysisFailure) => void;
  onProgress?: (p: AnalyzeProgress) => void;
}

export interface WorkerHostOptions {
  /** dist/worker.js */
  script: string;
  log: vscode.LogOutputChannel;
  /** The worker's V8 heap limit in MB (old generation). */
  maxHeapMb?: number;
}

export class WorkerHost implements vscode.Disposable {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly options: WorkerHostOptions) {}

  analyze(
    options: FolderOptions,
    onProgress: (p: AnalyzeProgress) => void,
    token?: vscode.CancellationToken,
  ): Promise<Report> {
    return this.request((id, cancel) => ({ type: 'analyze', id, options, cancel }), onProgress, token).then(reportOf);
  }

  update(root: string, files: string[], token?: vscode.CancellationToken): Promise<Report> {
    return this.request((id, cancel) => ({ type: 'update', id, root, files, cancel }), undefined, token).then(reportOf);
  }

  async render(root: string, format: ExportFormat): Promise<string> {
    const m = await this.request((id) => ({ type: 'render', id, root, format }));
    if (m.type !== 'rendered') throw new AnalysisFailure(`unexpected answer '${m.type}' from the worker`, 'error');
    return m.text;
  }

  forget(root: string): void {
    this.worker?.postMessage({ type: 'forget', root } satisfies HostToWorker);
  }

  dispose(): void {
    const w = this.worker;
    this.worker = undefined;
    this.failAll(new AnalysisFailure('the extension is shutting down', 'cancelled'));
    void w?.terminate();
  }

  private request(
    make: (id: number, cancel: SharedArrayBuffer) => HostToWorker,
    onProgress?: (p: AnalyzeProgress) => void,
    token?: vscode.CancellationToken,
  ): Promise<WorkerToHost> {
    const id = this.nextId++;
    const cancel = new SharedArrayBuffer(4);
    const flag = new Int32Array(cancel);
    return new Promise<WorkerToHost>((resolve, reject) => {
      if (token?.isCancellationRequested) {
        reject(new AnalysisFailure('cancelled', 'cancelled'));
        return;
      }
      const sub = token?.onCancellationRequested(() => Atomics.store(flag, CANCEL_FLAG, 1));
      const done =
        <T>(f: (v: T) => void) =>
        (v: T) => {
          sub?.dispose();
          this.pending.delete(id);
          f(v);
        };
      this.pending.set(id, { resolve: done(resolve), reject: done(reject), onProgress });
      try {
        this.ensureWorker().postMessage(make(id, cancel));
      } catch (e) {
        this.pending.get(id)?.reject(new AnalysisFailure(`cannot start the analysis worker: ${String(e)}`, 'crash'));
      }
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const { script, log } = this.options;
    log.info(`starting the analysis worker (${path.basename(script)})`);
    const w = new Worker(script, {
      // The same young-generation size as the benchmark: less GC churn on large projects.
      resourceLimits: { maxYoungGenerationSizeMb: 64, maxOldGenerationSizeMb: this.options.maxHeapMb ?? 4096 },
    });
    w.on('message', (m: WorkerToHost) => this.onMessage(m));
    w.on('error', (e) => {
      log.error(`the analysis worker failed: ${e.stack ?? e.message}`);
      this.lost(w, `the analysis worker failed: ${e.message}`);
    });
    w.on('exit', (code) => {
      if (this.worker === w) log.warn(`the analysis worker exited (code ${code})`);
      this.lost(w, `the analysis worker stopped (exit code ${code})`);
    });
    this.worker = w;
    return w;
  }

  private lost(w: Worker, why: string): void {
    if (this.worker !== w) return;
    this.worker = undefined;
    this.failAll(
      new AnalysisFailure(
        why.includes('memory') ? `${why}: the folder may be too large; exclude generated or vendored code` : why,
        'crash',
      ),
    );
  }

  private failAll(e: AnalysisFailure): void {
    for (const p of [...this.pending.values()]) p.reject(e);
    this.pending.clear();
  }

  private onMessage(m: WorkerToHost): void {
    if (m.type === 'ready') return;
    const p = this.pending.get(m.id);
    if (!p) return;
    switch (m.type) {
      case 'progress':
        p.onProgress?.(m.progress);
        return;
      case 'failed':
        p.reject(new AnalysisFailure(m.message, m.kind, m.stack));
        return;
      default:
        p.resolve(m);
    }
  }
}

function reportOf(m: WorkerToHost): Report {
  if (m.type !== 'report') throw new AnalysisFailure(`unexpected answer '${m.type}' from the worker`, 'error');
  return m.report;
}
