// The incremental session's contract: after any edit on disk, update() returns the report a fresh analyze() of the
// same tree gives (the clock aside). Fixture apps and the example are copied to temp folders and edited there.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze, AnalysisCancelled, type AnalyzeOptions } from '../../src/core/analyze';
import type { Report } from '../../src/core/model';
import { AnalysisSession, type SessionOptions } from '../../src/core/session';
import { FIXTURES } from './helpers';
import { validateReport } from './schemaValidate';

const EXAMPLE = path.resolve(__dirname, '../../examples/shop-api');

/** The report as JSON sees it, without what a clock decides. */
function comparable(r: Report): unknown {
  const copy = JSON.parse(JSON.stringify(r)) as Report;
  delete (copy.stats as Partial<Report['stats']>).durationMs;
  delete copy.stats.timings;
  return copy;
}

/** A copy of a project in a temp folder, a session over it, and edits checked against fresh analyses. */
class Bench {
  readonly root: string;
  readonly session: AnalysisSession;
  last: Report;

  constructor(
    source: string,
    private readonly options: Partial<SessionOptions> = {},
  ) {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-session-'));
    fs.cpSync(source, this.root, { recursive: true });
    this.session = new AnalysisSession({ ...options, root: this.root });
    this.last = validateReport(this.session.run());
    assert.deepStrictEqual(comparable(this.last), comparable(this.fresh()), 'run() differs from analyze()');
  }

  fresh(): Report {
    return validateReport(analyze({ ...(this.options as Partial<AnalyzeOptions>), root: this.root }));
  }

  read(rel: string): string {
    return fs.readFileSync(path.join(this.root, rel), 'utf8');
  }

  write(rel: string, text: string): string {
    fs.mkdirSync(path.dirname(path.join(this.root, rel)), { recursive: true });
    fs.writeFileSync(path.join(this.root, rel), text);
    return rel;
  }

  edit(rel: string, change: (text: string) => string): string {
    const before = this.read(rel);
    const after = change(before);
    assert.notEqual(after, before, `the edit of ${rel} changed nothing`);
    return this.write(rel, after);
  }

  remove(rel: string): string {
    fs.rmSync(path.join(this.root, rel), { recursive: true, force: true });
    return rel;
  }

  /** update() with the changed paths, held to a fresh analysis of the tree as it now is. */
  check(changed: string[], what: string, expect: 'incremental' | 'full' | 'either' = 'incremental'): Report {
    const report = validateReport(this.session.update(changed));
    assert.deepStrictEqual(comparable(report), comparable(this.fresh()), `after: ${what}`);
    if (expect !== 'either') assert.equal(this.session.lastRun, expect, `how the update ran after: ${what}`);
    this.last = report;
    return report;
  }

  dispose(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

const names = (r: Report): string[] => r.components.map((c) => c.name).sort();
const ruleIds = (r: Report): string[] => r.findings.map((f) => `${f.location.file} ${f.ruleId}`).sort();

describe('AnalysisSession', function () {
  this.timeout(120_000);

  describe('on the express fixture', () => {
    let b: Bench;
    before(() => {
      b = new Bench(path.join(FIXTURES, 'express'));
    });
    after(() => b.dispose());

    it('adds and removes a hazard in a handler', () => {
      const original = b.read('routes/users.js');
      const before = ruleIds(b.last).length;
      b.edit('routes/users.js', (t) =>
        t
          .replace('const router = express.Router();', 'const seen = new Map();\nconst router = express.Router();')
          .replace(
            'res.json(await db.listUsers());',
            'seen.set(req.ip, Date.now());\n  res.json(await db.listUsers());',
          ),
      );
      const withHazard = b.check(['routes/users.js'], 'module state written in a handler');
      assert.ok(ruleIds(withHazard).length > before, 'the new module state is found');
      b.write('routes/users.js', original);
      const without = b.check(['routes/users.js'], 'the hazard removed again');
      assert.equal(ruleIds(without).length, before);
    });

    it('follows a router mounted under another path', () => {
      b.edit('app.js', (t) => t.replace("api.use('/users', users);", "api.use('/people', users);"));
      const r = b.check(['app.js'], 'mount path changed');
      assert.ok(names(r).some((n) => n.includes('/api/v1/people')));
      assert.ok(!names(r).some((n) => n.includes('/api/v1/users')));
    });

    it('picks up a new file with a route, and forgets a deleted one', () => {
      b.write(
        'routes/health.js',
        "const express = require('express');\nconst router = express.Router();\nrouter.get('/health', (req, res) => res.send('ok'));\nmodule.exports = router;\n",
      );
      b.edit('app.js', (t) =>
        t
          .replace(
            "const users = require('./routes/users');",
            "const users = require('./routes/users');\nconst health = require('./routes/health');",
          )
          .replace("app.use('/api/v1', api);", "app.use('/api/v1', api);\napp.use(health);"),
      );
      const added = b.check(['routes/health.js', path.join(b.root, 'app.js')], 'a new routes file mounted');
      assert.ok(names(added).some((n) => n === 'GET /health'));
      b.remove('routes/items.ts');
      const removed = b.check(['routes/items.ts'], 'a routes file deleted');
      assert.ok(!removed.components.some((c) => c.location.file === 'routes/items.ts'));
    });

    it('skips a file with a syntax error, and takes it back when fixed', () => {
      const original = b.read('routes/users.js');
      b.edit('routes/users.js', (t) => t.replace('router.get(', 'router.get((('));
      const broken = b.check(['routes/users.js'], 'syntax error');
      assert.ok(broken.stats.skipped.some((s) => s.file === 'routes/users.js' && /syntax error/.test(s.reason)));
      b.write('routes/users.js', original);
      const fixed = b.check(['routes/users.js'], 'syntax error fixed');
      assert.ok(!fixed.stats.skipped.some((s) => s.file === 'routes/users.js'));
    });

    it('prices again when the usage profile is created, edited and deleted', () => {
      const profile = b.write('serverless-advisor.yaml', 'defaults:\n  requestsPerMonth: 5000000\n');
      const created = b.check([profile], 'usage profile created');
      assert.equal(created.totals?.usedDefaults, true);
      b.write(
        'serverless-advisor.yaml',
        'defaults:\n  requestsPerMonth: 20000000\n  durationMs: 120\nfreeTier: false\n',
      );
      b.check([path.join(b.root, profile)], 'usage profile edited');
      b.write('serverless-advisor.yaml', 'defaults:\n  requestsPerMonth: [oops\n');
      const broken = b.check([profile], 'usage profile broken');
      assert.ok(broken.problems?.some((p) => p.file === 'serverless-advisor.yaml'));
      b.remove(profile);
      b.check([profile], 'usage profile deleted');
    });

    it('runs in full when a package.json, a .gitignore or a rule file changes', () => {
      b.edit('package.json', (t) => t.replace('"express": "^4.19.2"', '"express": "^4.19.2", "sharp": "^0.33.0"'));
      b.check(['package.json'], 'package.json edited', 'full');
      b.write('.gitignore', 'lib/\n');
      b.check(['.gitignore'], '.gitignore added', 'full');
      b.write(
        '.serverless-advisor/rules/no-db-list.yaml',
        [
          'description: Listing every user does not scale',
          'hazard: long-running',
          'severity: info',
          'when: { calls: "db.listUsers" }',
          'effect: { effort: 1 }',
          'message: Lists every user',
          'fix: Page the list',
          '',
        ].join('\n'),
      );
      b.check(['.serverless-advisor/rules/no-db-list.yaml'], 'custom rule added', 'full');
    });

    it('gives the same report for a save that changed nothing, and for paths it does not analyse', () => {
      b.check(['app.js'], 'saved unchanged');
      b.write('README.md', '# notes\n');
      b.check(['README.md', path.join(os.tmpdir(), 'elsewhere.ts')], 'a file nothing reads, a path outside');
    });
  });

  describe('on the example app', () => {
    let b: Bench;
    before(() => {
      b = new Bench(EXAMPLE);
    });
    after(() => b.dispose());

    it('follows a sequence of edits', () => {
      const service = 'src/services/userService.ts';
      const original = b.read(service);
      b.write(
        service,
        `${original}\nconst recent = new Map<string, number>();\nexport function remember(id: string): void {\n  recent.set(id, Date.now());\n}\n`,
      );
      b.check([service], 'a service gains a function and module state');
      b.edit('src/routes/orders.ts', (t) => t.replace("'/:id/invoice'", "'/:id/bill'"));
      b.check(['src/routes/orders.ts'], 'a route path changed');
      b.edit('src/server.ts', (t) =>
        t.replace("app.use('/api/articles', articlesRouter);", "app.use('/api/posts', articlesRouter);"),
      );
      const moved = b.check(['src/server.ts'], 'a router mounted elsewhere');
      assert.ok(moved.components.some((c) => c.name.startsWith('GET /api/posts')));
      b.write(
        'src/routes/status.ts',
        "import { Router } from 'express';\nimport { remember } from '../services/userService';\n\nconst router = Router();\nrouter.get('/status', (req, res) => {\n  remember(String(req.ip));\n  res.json({ ok: true });\n});\nexport default router;\n",
      );
      b.edit('src/server.ts', (t) =>
        t
          .replace(
            "import uploadsRouter from './routes/uploads';",
            "import uploadsRouter from './routes/uploads';\nimport statusRouter from './routes/status';",
          )
          .replace('app.use(authenticate);', 'app.use(authenticate);\napp.use(statusRouter);'),
      );
      const added = b.check(['src/routes/status.ts', 'src/server.ts'], 'a new route reaching the new state');
      assert.ok(added.components.some((c) => c.name === 'GET /status'));
      b.write(service, original);
      b.check([service], 'the service restored (the new route now imports a missing export)');
      b.edit('src/utils/retry.ts', (t) => `${t}\nexport const broken = (;\n`);
      b.check(['src/utils/retry.ts'], 'syntax error in a shared utility');
      b.edit('src/utils/retry.ts', (t) => t.replace('\nexport const broken = (;\n', '\n'));
      b.check(['src/utils/retry.ts'], 'syntax error fixed');
      b.remove('src/routes/status.ts');
      b.check(['src/routes/status.ts'], 'the new route deleted (its import now dangles)');
      b.write('serverless-advisor.yaml', 'components:\n  "http:GET:/health":\n    requestsPerMonth: 100\n');
      b.check(['serverless-advisor.yaml'], 'a usage profile for one route');
    });

    it('survives a cancelled update', () => {
      b.edit('src/config.ts', (t) => `${t}\n// edited\n`);
      assert.throws(() => b.session.update(['src/config.ts'], { isCancelled: () => true }), AnalysisCancelled);
      b.check(['src/config.ts'], 'the update after a cancelled one', 'full');
      b.edit('src/config.ts', (t) => `${t}\n// edited again\n`);
      b.check(['src/config.ts'], 'and the one after it');
    });

    it('runs in full when many files change at once', () => {
      const files = fs
        .readdirSync(path.join(b.root, 'src/services'))
        .map((f) => `src/services/${f}`)
        .filter((f) => f.endsWith('.ts'));
      for (const f of files) b.edit(f, (t) => `${t}\n// formatted\n`);
      const many = [...files, ...Array.from({ length: 60 }, (_, i) => `src/none/f${i}.ts`)];
      b.check(many, 'more changed paths than an update takes', 'full');
    });
  });

  describe('under seeded random edits', () => {
    // Every framework's link step runs again on each update over the kept scan results: each fixture app gets a few.
    const others = fs
      .readdirSync(FIXTURES, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !['rules', 'express', 'nestjs'].includes(e.name))
      .map((e, i) => [`the ${e.name} fixture`, path.join(FIXTURES, e.name), 6, 100 + i] as const);
    for (const [name, source, steps, seed] of [
      ['the example app', EXAMPLE, 30, 7],
      ['the express fixture', path.join(FIXTURES, 'express'), 20, 11],
      ['the nestjs fixture', path.join(FIXTURES, 'nestjs'), 15, 5],
      ...others,
    ] as const) {
      it(`matches a fresh analysis after each of ${steps} edits to ${name}`, () => {
        const b = new Bench(source);
        try {
          randomEdits(b, seed, steps);
        } finally {
          b.dispose();
        }
      });
    }
  });
});

/** mulberry32: a small seeded PRNG, the same sequence everywhere. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sourceFiles(root: string, dir = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory() && e.name !== 'node_modules' && !e.name.startsWith('.')) out.push(...sourceFiles(root, rel));
    else if (e.isFile() && /\.(ts|js)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(rel);
  }
  return out.sort();
}

/**
 * Applies `steps` rounds of one to three edits, drawn from a seeded generator, and checks the session after each:
 * comments, new functions with module state, route paths, syntax errors and their repair, new files importing old
 * ones, deleted files, usage profiles, files restored to what they were.
 */
function randomEdits(b: Bench, seed: number, steps: number): void {
  const next = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const originals = new Map<string, string>();
  let created = 0;
  const remember = (rel: string): void => {
    if (!originals.has(rel) && fs.existsSync(path.join(b.root, rel))) originals.set(rel, b.read(rel));
  };
  const edits: ((files: string[]) => string[] | undefined)[] = [
    (files) => {
      const f = pick(files);
      remember(f);
      return [b.write(f, `${b.read(f)}\n// note ${Math.floor(next() * 1000)}\n`)];
    },
    (files) => {
      const f = pick(files);
      remember(f);
      const n = Math.floor(next() * 1e6);
      const ts = f.endsWith('.ts');
      const fn = ts
        ? `export function touch${n}(key: string): void {\n  seen${n}.set(key, Date.now());\n}\n`
        : `function touch${n}(key) {\n  seen${n}.set(key, Date.now());\n}\nmodule.exports.touch${n} = touch${n};\n`;
      return [b.write(f, `${b.read(f)}\nconst seen${n} = new Map();\n${fn}`)];
    },
    (files) => {
      const f = pick(files);
      const text = b.read(f);
      const m = /(['"`])\/([A-Za-z:][\w:-]*)/.exec(text);
      if (!m) return undefined;
      remember(f);
      return [b.write(f, text.replace(m[0], `${m[1]}/${m[2]}${Math.floor(next() * 10)}`))];
    },
    (files) => {
      const f = pick(files);
      remember(f);
      return [b.write(f, `${b.read(f)}\nfunction broken(( {\n`)];
    },
    () => {
      if (!originals.size) return undefined;
      const f = pick([...originals.keys()]);
      const text = originals.get(f)!;
      originals.delete(f);
      return [b.write(f, text)];
    },
    (files) => {
      const target = pick(files);
      const dir = path.posix.dirname(target);
      const spec = `./${path.posix.basename(target).replace(/\.(ts|js)$/, '')}`;
      const ext = target.endsWith('.ts') ? 'ts' : 'js';
      const rel = `${dir === '.' ? '' : `${dir}/`}added${created++}.${ext}`;
      const text =
        ext === 'ts'
          ? `import * as target from '${spec}';\nimport { Router } from 'express';\n\nconst router = Router();\nconst hits = new Map<string, number>();\nrouter.get('/added-${created}', (req, res) => {\n  hits.set(String(req.ip), 1);\n  res.json(Object.keys(target));\n});\nexport default router;\n`
          : `const target = require('${spec}');\nconst express = require('express');\n\nconst router = express.Router();\nconst hits = new Map();\nrouter.get('/added-${created}', (req, res) => {\n  hits.set(req.ip, 1);\n  res.json(Object.keys(target));\n});\nmodule.exports = router;\n`;
      return [b.write(rel, text)];
    },
    (files) => {
      const f = pick(files);
      if (originals.has(f)) originals.delete(f);
      return [b.remove(f)];
    },
    () => {
      const n = 1000 * (1 + Math.floor(next() * 1000));
      return [b.write('serverless-advisor.yaml', `defaults:\n  requestsPerMonth: ${n}\n`)];
    },
    (files) => [pick(files)],
  ];
  let incremental = 0;
  for (let step = 0; step < steps; step++) {
    const changed: string[] = [];
    const count = 1 + Math.floor(next() * 3);
    for (let k = 0; k < count; k++) {
      const files = sourceFiles(b.root);
      if (!files.length) break;
      // Deleting is rarer than the rest, so that the project does not wither away.
      const edit = next() < 0.08 ? edits[6]! : pick(edits.filter((_, i) => i !== 6));
      const paths = edit(files);
      if (paths) changed.push(...paths.map((p) => (next() < 0.3 ? path.join(b.root, p) : p)));
    }
    // A small project soon has more dead unit ids than live ones, and then runs in full once: either is right.
    b.check(changed, `step ${step + 1} (seed ${seed}): ${changed.join(', ')}`, 'either');
    if (b.session.lastRun === 'incremental') incremental++;
  }
  assert.ok(incremental >= steps / 2, `only ${incremental} of ${steps} updates were incremental`);
}
