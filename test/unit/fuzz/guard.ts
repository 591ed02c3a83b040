// A hang guard. JavaScript cannot interrupt a regular expression (or any synchronous loop), and mocha's timeout only
// fires when the event loop is free, so a test of something that might hang runs it in a worker thread and stops the
// worker when it takes too long: the test then fails with "a hang" instead of never ending.
import { Worker } from 'node:worker_threads';

const PROBES = require.resolve('./probes');
const TSX = require.resolve('tsx/cjs/api');

interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
  /** What the probe is trying now (id -2). */
  note?: string;
}

/** A worker that runs the functions of probes.ts, one call at a time, each within a time limit. */
export class GuardedWorker {
  private worker?: Worker;
  private ready?: Promise<void>;
  private next = 0;

  private start(): Promise<void> {
    const code = `
      require(${JSON.stringify(TSX)}).register();
      const { parentPort } = require('node:worker_threads');
      globalThis.__saNote = (note) => parentPort.postMessage({ id: -2, ok: true, note });
      const probes = require(${JSON.stringify(PROBES)});
      parentPort.on('message', async ({ id, probe, args }) => {
        try {
          parentPort.postMessage({ id, ok: true, value: await probes[probe](args) });
        } catch (e) {
          parentPort.postMessage({ id, ok: false, error: String((e && e.stack) || e) });
        }
      });
      parentPort.postMessage({ id: -1, ok: true });
    `;
    const worker = new Worker(code, { eval: true });
    this.worker = worker;
    worker.unref();
    return new Promise((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
  }

  /** Calls `probe(args)` in the worker; rejects when it throws or takes longer than `limitMs` (then stops the worker). */
  async run<T>(probe: string, args: unknown, limitMs: number): Promise<T> {
    this.ready ??= this.start();
    await this.ready; // loading the core is not part of the limit
    const worker = this.worker!;
    const id = this.next++;
    let trying = '';
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        worker.off('message', onMessage);
        this.close();
        reject(
          new Error(
            `${probe} did not finish within ${limitMs} ms: a hang (the worker was stopped)${trying ? ` while trying ${trying}` : ''}`,
          ),
        );
      }, limitMs);
      const onMessage = (r: Reply): void => {
        if (r.id === -2) trying = r.note ?? '';
        if (r.id !== id) return;
        clearTimeout(timer);
        worker.off('message', onMessage);
        if (r.ok) resolve(r.value as T);
        else reject(new Error(`${probe} failed in the worker: ${r.error}`));
      };
      worker.on('message', onMessage);
      worker.postMessage({ id, probe, args });
    });
  }

  close(): void {
    void this.worker?.terminate();
    this.worker = undefined;
    this.ready = undefined;
  }
}
