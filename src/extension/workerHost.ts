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
    readonly kind: 'cancelled' | 'input' | 'error' | 'crash' | 'timeout',
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
  /** The worker's V8 heap limit in MB (old generation), read when a worker starts. */
  maxHeapMb?: () => number;
  /** An analysis or update taking longer (ms; 0 for none) is cancelled, then the worker is stopped. */
  timeoutMs?: () => number;
}

/** After a time limit, how long a cancelled analysis gets to stop on its own before the worker is terminated. */
const CANCEL_GRACE_MS = 10_000;

export class WorkerHost implements vscode.Disposable {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Requests past their time limit: cleared when the worker answers (it honoured the cancel flag in time). */
  private readonly graceTimers = new Map<number, NodeJS.Timeout>();

  constructor(private readonly options: WorkerHostOptions) {}

  analyze(
    options: FolderOptions,
    onProgress: (p: AnalyzeProgress) => void,
    token?: vscode.CancellationToken,
  ): Promise<Report> {
    return this.request(
      (id, cancel) => ({ type: 'analyze', id, options, cancel }),
      onProgress,
      token,
      options.root,
    ).then(reportOf);
  }

  update(root: string, files: string[], token?: vscode.CancellationToken): Promise<Report> {
    return this.request((id, cancel) => ({ type: 'update', id, root, files, cancel }), undefined, token, root).then(
      reportOf,
    );
  }

  async render(root: string, format: ExportFormat, outFile?: string): Promise<string> {
    const m = await this.request((id) => ({ type: 'render', id, root, format, ...(outFile ? { outFile } : {}) }));
    if (m.type !== 'rendered') throw new AnalysisFailure(`unexpected answer '${m.type}' from the worker`, 'error');
    return m.text;
  }

  /** The worker and its pending requests, in one line (for the test API's diagnose()). */
  describe(): string {
    return `worker ${this.worker ? `thread ${this.worker.threadId}` : 'not started'}, pending requests [${[...this.pending.keys()].join(', ')}]`;
  }

  forget(root: string): void {
    this.worker?.postMessage({ type: 'forget', root } satisfies HostToWorker);
  }

  dispose(): void {
    const w = this.worker;
    this.worker = undefined;
    this.failAll(new AnalysisFailure('the extension is shutting down', 'cancelled'));
    for (const t of this.graceTimers.values()) clearTimeout(t);
    this.graceTimers.clear();
    void w?.terminate();
  }

  private request(
    make: (id: number, cancel: SharedArrayBuffer) => HostToWorker,
    onProgress?: (p: AnalyzeProgress) => void,
    token?: vscode.CancellationToken,
    /** The folder analysed, for the time limit and its message (render requests have none). */
    root?: string,
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
      const limit = root !== undefined ? (this.options.timeoutMs?.() ?? 0) : 0;
      let timer: NodeJS.Timeout | undefined;
      const settle =
        <T>(f: (v: T) => void) =>
        (v: T) => {
          sub?.dispose();
          clearTimeout(timer);
          this.pending.delete(id);
          f(v);
        };
      this.pending.set(id, { resolve: settle(resolve), reject: settle(reject), onProgress });
      if (limit > 0) timer = setTimeout(() => this.timedOut(id, flag, root!, limit), limit);
      try {
        this.ensureWorker().postMessage(make(id, cancel));
      } catch (e) {
        this.pending.get(id)?.reject(new AnalysisFailure(`cannot start the analysis worker: ${String(e)}`, 'crash'));
      }
    });
  }

  /**
   * A request ran past its time limit: it fails at once with the reason; the analysis is asked to stop between
   * files, and a worker that does not answer within the grace period (stuck inside one file) is terminated, so
   * the next request starts a fresh one.
   */
  private timedOut(id: number, flag: Int32Array, root: string, limit: number): void {
    Atomics.store(flag, CANCEL_FLAG, 1);
    const w = this.worker;
    this.graceTimers.set(
      id,
      setTimeout(() => {
        this.graceTimers.delete(id);
        if (!w || this.worker !== w) return;
        this.options.log.warn(`the analysis worker did not stop within ${CANCEL_GRACE_MS} ms of a time limit`);
        this.worker = undefined;
        void w.terminate();
        this.failAll(new AnalysisFailure('the analysis worker was stopped after a time limit', 'crash'));
      }, CANCEL_GRACE_MS),
    );
    this.pending
      .get(id)
      ?.reject(
        new AnalysisFailure(
          `the analysis of ${root} took longer than ${Math.round(limit / 1000)} s and was stopped; exclude ` +
            'generated or vendored folders (serverlessAdvisor.files.exclude) or raise ' +
            'serverlessAdvisor.analysis.timeoutSeconds',
          'timeout',
        ),
      );
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const { script, log } = this.options;
    const heap = this.options.maxHeapMb?.() ?? 4096;
    log.info(`starting the analysis worker (${path.basename(script)}, heap limit ${heap} MB)`);
    const w = new Worker(script, {
      // The same young-generation size as the benchmark: less GC churn on large projects.
      resourceLimits: { maxYoungGenerationSizeMb: 64, maxOldGenerationSizeMb: heap },
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
        /memory/i.test(why)
          ? `${why}: the folder needs more than serverlessAdvisor.analysis.maxMemoryMb; exclude generated or ` +
              'vendored code (serverlessAdvisor.files.exclude) or raise the limit'
          : why,
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
    if (m.type !== 'progress') {
      clearTimeout(this.graceTimers.get(m.id));
      this.graceTimers.delete(m.id);
    }
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
