// The torture tree (src/benchTorture.ts), 2,000 small files here (the benchmark runs 20,000): the analysis completes,
// lists every odd file with its reason, reads odd-but-valid files with the editor's line numbers, and reads nothing
// outside the analysed folder but the tool's own rules and prices.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
// The module object itself (a namespace import's bindings cannot be replaced), which the core's fs calls go through.
import fsModule from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze } from '../../src/core/analyze';
import type { Report } from '../../src/core/model';
import { packageRoot } from '../../src/core/packageRoot';
import { generateTortureTree, type TortureTree } from '../../src/benchTorture';
import { validateReport } from './schemaValidate';

type FsName = 'readFileSync' | 'openSync' | 'readdirSync' | 'statSync' | 'lstatSync' | 'existsSync' | 'opendirSync';
const WATCHED: FsName[] = [
  'readFileSync',
  'openSync',
  'readdirSync',
  'statSync',
  'lstatSync',
  'existsSync',
  'opendirSync',
];

/** Runs fn with every fs call above recorded (the path and the call), then puts fs back as it was. */
function recordingFs<T>(fn: () => T): { value: T; touched: { call: FsName; file: string }[] } {
  const touched: { call: FsName; file: string }[] = [];
  const saved = new Map<FsName, unknown>();
  const target = fsModule as unknown as Record<FsName, (...a: unknown[]) => unknown>;
  for (const name of WATCHED) {
    const original = target[name];
    saved.set(name, original);
    target[name] = function (this: unknown, ...args: unknown[]) {
      const p = args[0];
      if (typeof p === 'string') touched.push({ call: name, file: path.resolve(p) });
      else if (p instanceof URL) touched.push({ call: name, file: p.pathname });
      return original.apply(this, args);
    };
  }
  try {
    return { value: fn(), touched };
  } finally {
    for (const [name, original] of saved) target[name] = original as (...a: unknown[]) => unknown;
  }
}

describe('the torture tree', function () {
  this.timeout(180000);
  let dir: string;
  let tree: TortureTree;
  let report: Report;
  let touched: { call: FsName; file: string }[];

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-torture-'));
    tree = generateTortureTree(dir, { smallFiles: 2000 });
    const run = recordingFs(() => analyze({ root: tree.root }));
    report = run.value;
    touched = run.touched;
  });

  after(() => {
    fs.chmodSync(path.join(tree.root, 'packages/api/src/locked.ts'), 0o644);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('completes with a valid report of every small file and the routes in them', () => {
    validateReport(report);
    assert.ok(report.stats.files >= tree.smallFiles, `${report.stats.files} files analysed`);
    const routes = report.components.filter((c) => c.kind === 'http-route').map((c) => c.name);
    // Every 50th small module declares one route.
    const fromSmall = routes.filter((r) => /\/items-\d+$/.test(r));
    assert.equal(fromSmall.length, Math.ceil(tree.smallFiles / 50), routes.slice(0, 5).join(', '));
  });

  it('lists every odd file with its reason', () => {
    const skipped = new Map(report.stats.skipped.map((s) => [s.file, s.reason]));
    for (const e of tree.expectSkipped) {
      const reason = skipped.get(e.file);
      assert.ok(
        reason !== undefined,
        `${e.file} is not listed as skipped (skipped: ${[...skipped.keys()].join(', ')})`,
      );
      assert.match(reason, e.reason, e.file);
    }
    assert.ok(tree.fifo, 'mkfifo is there on this machine, so the FIFO case ran');
    if (process.getuid?.() !== 0) assert.ok(tree.unreadable, 'a non-root user cannot read a mode 000 file');
  });

  it('reads a BOM file and a CRLF file with the line numbers the editor shows', () => {
    for (const e of tree.expectRoutes) {
      const c = report.components.find((x) => x.name === e.route);
      assert.ok(c, `${e.route} from ${e.file}`);
      assert.equal(c.location.file, e.file);
      assert.equal(c.location.line, e.line, `${e.route} line`);
    }
  });

  it('reports the file with a syntax error as a problem or analyses what parses, never failing the run', () => {
    const broken = 'packages/api/src/broken.ts';
    const listed =
      report.stats.skipped.some((s) => s.file === broken) || (report.problems ?? []).some((p) => p.file === broken);
    const analysed = !report.stats.skipped.some((s) => s.file === broken);
    assert.ok(listed || analysed);
  });

  it('reads nothing outside the folder but its own rules and prices, and nothing at all beside it', () => {
    const root = fs.realpathSync(tree.root);
    const own = packageRoot();
    const outside = fs.realpathSync(tree.outside);
    // The one look above the folder: the `.git` of the checkout it belongs to (the report names the commit).
    const ancestors = new Set<string>();
    for (let d = path.dirname(root); ; d = path.dirname(d)) {
      ancestors.add(path.join(d, '.git'));
      if (d === path.dirname(d)) break;
    }
    const gitOfAncestor = (f: string): boolean => [...ancestors].some((g) => f === g || f.startsWith(g + path.sep));
    const strays = touched.filter(
      (t) =>
        !t.file.startsWith(root + path.sep) &&
        t.file !== root &&
        !t.file.startsWith(own + path.sep) &&
        !gitOfAncestor(t.file),
    );
    assert.deepEqual(
      [...new Set(strays.map((t) => `${t.call} ${t.file}`))].slice(0, 20),
      [],
      'paths touched outside the analysed folder and the tool',
    );
    assert.deepEqual(
      touched.filter((t) => t.file.startsWith(outside) || t.file.startsWith(tree.outside)),
      [],
    );
    assert.ok(!report.components.some((c) => c.name.includes('/outside')));
  });
});
