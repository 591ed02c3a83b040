// The analysis worker: runs the core off the editor's thread. It owns one AnalysisSession per workspace folder
// (parsed files and scan results kept between runs), so a saved file is re-analysed incrementally. Requests are
// served one at a time; cancellation is a flag in shared memory, read between files, because a synchronous
// analysis never yields to the message loop.
import * as path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { AnalysisCancelled, AnalysisInputError, type AnalyzeProgress } from './core/analyze';
import type { Report } from './core/model';
import { renderHtml } from './core/present/html';
import { packageName } from './core/load/manifests';
import { scaffold } from './core/present/iac';
import { renderJson } from './core/present/json';
import { renderMarkdown } from './core/present/markdown';
import { renderSarif } from './core/present/sarif';
import { loadRules } from './core/rules/load';
import type { Rule } from './core/rules/types';
import { AnalysisSession } from './core/session';
import {
  CANCEL_FLAG,
  type ExportFormat,
  type FolderOptions,
  type HostToWorker,
  type WorkerToHost,
} from './workerProtocol';

const port = parentPort;
if (!port) throw new Error('worker.js must run in a worker thread');

interface Folder {
  session: AnalysisSession;
  last?: Report;
}
const folders = new Map<string, Folder>();

const send = (m: WorkerToHost): void => port.postMessage(m);

function control(id: number, cancel: SharedArrayBuffer) {
  const flag = new Int32Array(cancel);
  let lastSent = 0;
  return {
    isCancelled: () => Atomics.load(flag, CANCEL_FLAG) === 1,
    onProgress: (progress: AnalyzeProgress) => {
      // At most ten messages a second: the host only updates a notification.
      const now = Date.now();
      if (progress.phase === 'scan' && now - lastSent < 100) return;
      lastSent = now;
      send({ type: 'progress', id, progress });
    },
  };
}

function newSession(o: FolderOptions): AnalysisSession {
  return new AnalysisSession({
    root: o.root,
    include: o.include,
    exclude: o.exclude,
    maxFiles: o.maxFiles,
    providers: o.providers,
    arch: o.arch,
    // Restricted Mode: the workspace's own rule files are not loaded (built-in rules only).
    ...(o.builtinRulesOnly ? { rules: loadRules({}) } : { rulesDirs: o.rulesDirs }),
  });
}

function fail(id: number, e: unknown): void {
  if (e instanceof AnalysisCancelled) send({ type: 'failed', id, kind: 'cancelled', message: 'cancelled' });
  else if (e instanceof AnalysisInputError) send({ type: 'failed', id, kind: 'input', message: e.message });
  else {
    const err = e instanceof Error ? e : new Error(String(e));
    send({ type: 'failed', id, kind: 'error', message: err.message, stack: err.stack });
  }
}

/** A report in an export format; `outFile` is where it goes (the reports link the code relative to it). */
async function render(report: Report, rules: readonly Rule[], format: ExportFormat, outFile?: string): Promise<string> {
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'md':
      return renderMarkdown(report, { rules, outFile });
    case 'html':
      return renderHtml(report, { rules, outFile });
    case 'sarif':
      return renderSarif(report, rules);
    case 'serverless':
    case 'sam':
      // As `serverless-advisor scaffold` writes it: named after the package, its handler paths relative to the file.
      return scaffold(report, format, {
        serviceName: packageName(report.root),
        ...(outFile
          ? { codeDir: path.relative(path.dirname(outFile), report.root).split(path.sep).join('/') || '.' }
          : {}),
      }).text;
  }
}

function handle(m: HostToWorker): void {
  switch (m.type) {
    case 'analyze': {
      const root = path.resolve(m.options.root);
      try {
        const session = newSession({ ...m.options, root });
        const folder: Folder = { session };
        folders.set(root, folder);
        folder.last = session.run(control(m.id, m.cancel));
        send({ type: 'report', id: m.id, report: folder.last, incremental: false });
      } catch (e) {
        // A cancelled or failed run leaves no half-built session behind.
        folders.delete(root);
        fail(m.id, e);
      }
      return;
    }
    case 'update': {
      const folder = folders.get(path.resolve(m.root));
      if (!folder) {
        send({ type: 'failed', id: m.id, kind: 'input', message: `${m.root} has not been analysed yet` });
        return;
      }
      try {
        folder.last = folder.session.update(m.files, control(m.id, m.cancel));
        send({ type: 'report', id: m.id, report: folder.last, incremental: true });
      } catch (e) {
        // The session may hold a partial update: drop it, the next save or run starts afresh.
        folders.delete(path.resolve(m.root));
        fail(m.id, e);
      }
      return;
    }
    case 'render': {
      const folder = folders.get(path.resolve(m.root));
      const last = folder?.last;
      if (!folder || !last) {
        send({ type: 'failed', id: m.id, kind: 'input', message: `${m.root} has no results to export` });
        return;
      }
      render(last, folder.session.rules, m.format, m.outFile).then(
        (text) => send({ type: 'rendered', id: m.id, text }),
        (e: unknown) => fail(m.id, e),
      );
      return;
    }
    case 'forget':
      folders.delete(path.resolve(m.root));
      return;
  }
}

port.on('message', (m: HostToWorker) => handle(m));
send({ type: 'ready' });
