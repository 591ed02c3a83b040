// The analysis worker and its host, in plain Node: the real dist/worker.js bundle in a real worker thread (the
// host imports only types from vscode). Analyse, update after an edit, render, cancel, and survive a crash.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { AnalyzeProgress } from '../../src/core/analyze';
import { AnalysisFailure, WorkerHost } from '../../src/extension/workerHost';
import type { FolderOptions } from '../../src/workerProtocol';
import { validateReport } from './schemaValidate';

const SCRIPT = path.resolve(__dirname, '../../dist/worker.js');
const EXAMPLE = path.resolve(__dirname, '../../examples/shop-api');

function fakeLog(): vscode.LogOutputChannel & { lines: string[] } {
  const lines: string[] = [];
  const rec = (level: string) => (m: string) => lines.push(`${level} ${m}`);
  return { lines, info: rec('info'), warn: rec('warn'), error: rec('error') } as unknown as vscode.LogOutputChannel & {
    lines: string[];
  };
}

function token(): vscode.CancellationToken & { cancel(): void } {
  const listeners: (() => void)[] = [];
  const t = {
    isCancellationRequested: false,
    onCancellationRequested: (f: () => void) => {
      listeners.push(f);
      return { dispose: () => undefined };
    },
    cancel() {
      t.isCancellationRequested = true;
      for (const f of listeners) f();
    },
  };
  return t as unknown as vscode.CancellationToken & { cancel(): void };
}

function options(root: string): FolderOptions {
  return { root, include: [], exclude: [], maxFiles: 20000, rulesDirs: [], builtinRulesOnly: false, arch: 'arm64' };
}

describe('analysis worker (dist/worker.js) and WorkerHost', function () {
  this.timeout(60000);
  let tmp: string;
  let host: WorkerHost;

  before(() => {
    assert.ok(fs.existsSync(SCRIPT), `${SCRIPT} is missing: run \`npm run build\` first`);
  });
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-worker-'));
    fs.cpSync(EXAMPLE, tmp, { recursive: true });
    host = new WorkerHost({ script: SCRIPT, log: fakeLog() });
  });
  afterEach(() => {
    host.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('analyses a folder off the main thread, with progress, into a valid report', async () => {
    const seen: AnalyzeProgress[] = [];
    const report = await host.analyze(options(tmp), (p) => seen.push(p));
    validateReport(report);
    assert.equal(report.root, tmp);
    assert.ok(report.components.length >= 20);
    assert.ok(seen.some((p) => p.phase === 'discover'));
    assert.ok(seen.some((p) => p.phase === 'report'));
  });

  it('updates after a saved edit, and renders the latest report', async () => {
    const first = await host.analyze(options(tmp), () => undefined);
    const file = path.join(tmp, 'src/routes/health.ts');
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(
      file,
      text
        .replace('const router = express.Router();', 'const router = express.Router();\nconst seen = new Map();')
        .replace("router.get('/health', async (_req: Request, res: Response) => {", "$&\n  seen.set('x', 1);"),
    );
    const second = await host.update(tmp, [file]);
    assert.equal(second.findings.length, first.findings.length + 1);
    const md = await host.render(tmp, 'md');
    assert.match(md, /^# /);
    const json = JSON.parse(await host.render(tmp, 'json')) as { findings: unknown[] };
    assert.equal(json.findings.length, second.findings.length);
  });

  it('says a folder that was never analysed cannot be updated (the editor then runs a full analysis)', async () => {
    await assert.rejects(host.update(tmp, [path.join(tmp, 'src/server.ts')]), (e: unknown) => {
      assert.ok(e instanceof AnalysisFailure);
      assert.equal(e.kind, 'input');
      return true;
    });
  });

  it('reports a missing folder as bad input, and keeps working', async () => {
    await assert.rejects(
      host.analyze(options(path.join(tmp, 'nope')), () => undefined),
      (e: unknown) => {
        assert.ok(e instanceof AnalysisFailure);
        assert.equal(e.kind, 'input');
        assert.match(e.message, /no such folder/);
        return true;
      },
    );
    const report = await host.analyze(options(tmp), () => undefined);
    assert.ok(report.components.length > 0);
  });

  it('cancels a running analysis through shared memory, between files', async () => {
    // Enough files that the scan is still running when the first progress message arrives.
    for (let i = 0; i < 400; i++)
      fs.writeFileSync(path.join(tmp, 'src', `gen${i}.ts`), `export const v${i} = ${i};\n`.repeat(50));
    const t = token();
    const run = host.analyze(
      options(tmp),
      (p) => {
        if (p.phase === 'scan') t.cancel();
      },
      t,
    );
    await assert.rejects(run, (e: unknown) => {
      assert.ok(e instanceof AnalysisFailure);
      assert.equal(e.kind, 'cancelled');
      return true;
    });
    // The worker is still there and serves the next request.
    const report = await host.analyze(options(tmp), () => undefined);
    assert.ok(report.stats.files >= 400);
  });

  it('fails pending requests when the worker dies, and starts a new one for the next request', async () => {
    const log = fakeLog();
    // A script that exits at once stands for a worker that crashed (out of memory, a native fault).
    const crashing = path.join(tmp, 'crash.js');
    fs.writeFileSync(crashing, 'process.exit(3);\n');
    const h = new WorkerHost({ script: crashing, log });
    try {
      await assert.rejects(
        h.analyze(options(tmp), () => undefined),
        (e: unknown) => {
          assert.ok(e instanceof AnalysisFailure);
          assert.equal(e.kind, 'crash');
          assert.match(e.message, /exit code 3/);
          return true;
        },
      );
      assert.ok(log.lines.some((l) => l.includes('exited (code 3)')));
      await assert.rejects(
        h.analyze(options(tmp), () => undefined),
        /exit code 3/,
      );
      assert.equal(log.lines.filter((l) => l.includes('starting the analysis worker')).length, 2);
    } finally {
      h.dispose();
    }
  });

  it('stops an analysis past its time limit, names the folder, and serves the next request', async () => {
    for (let i = 0; i < 1500; i++)
      fs.writeFileSync(path.join(tmp, 'src', `gen${i}.ts`), `export function f${i}() { return ${i}; }\n`.repeat(40));
    const log = fakeLog();
    let limit = 1000;
    const h = new WorkerHost({ script: SCRIPT, log, timeoutMs: () => limit });
    try {
      const started = Date.now();
      await assert.rejects(
        h.analyze(options(tmp), () => undefined),
        (e: unknown) => {
          assert.ok(e instanceof AnalysisFailure);
          assert.equal(e.kind, 'timeout');
          assert.ok(e.message.includes(tmp), e.message);
          assert.match(e.message, /took longer than 1 s and was stopped/);
          return true;
        },
      );
      assert.ok(Date.now() - started < 5000, 'the failure came late');
      limit = 0;
      const report = await h.analyze(options(tmp), () => undefined);
      assert.ok(report.stats.files >= 1500);
    } finally {
      h.dispose();
    }
  });

  it('reports a worker that runs out of memory with the setting to change, and recovers', async () => {
    // Large enough to load the worker (an out-of-memory while V8 compiles the bundle aborts the whole process, so
    // the setting's minimum is 256 MB), too small for this project's syntax trees.
    for (let i = 0; i < 1200; i++)
      fs.writeFileSync(
        path.join(tmp, 'src', `gen${i}.ts`),
        `export function f${i}() { return [${i}, 'x']; }\n`.repeat(150),
      );
    const log = fakeLog();
    let heap = 256;
    const h = new WorkerHost({ script: SCRIPT, log, maxHeapMb: () => heap });
    try {
      await assert.rejects(
        h.analyze(options(tmp), () => undefined),
        (e: unknown) => {
          assert.ok(e instanceof AnalysisFailure);
          assert.equal(e.kind, 'crash');
          assert.match(e.message, /memory/i);
          assert.match(e.message, /serverlessAdvisor\.analysis\.maxMemoryMb/);
          return true;
        },
      );
      heap = 2048;
      const report = await h.analyze(options(tmp), () => undefined);
      assert.ok(report.components.length > 0);
    } finally {
      h.dispose();
    }
  });
});
