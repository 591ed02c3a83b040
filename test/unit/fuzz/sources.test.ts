// Property: whatever the sources hold (truncated files, unbalanced brackets, deep nesting, huge literals, odd
// encodings), the analysis returns a report that matches the schema, lists every file it skipped with the reason,
// and points only inside the files and lines it analysed. Never a throw out of the core.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import fc from 'fast-check';
import { analyze } from '../../../src/core/analyze';
import { DETECTORS } from '../../../src/core/detect/registry';
import type { Report } from '../../../src/core/model';
import type { Detector } from '../../../src/core/scan/detector';
import { validateReport } from '../schemaValidate';
import {
  checkReport,
  deepCode,
  DEEP_SHAPES,
  filesOf,
  fuzzParams,
  fuzzTimeout,
  fuzzTitle,
  mutate,
  realProjects,
  removeDir,
  SNIPPETS,
  sourceCaseArb,
  writeFiles,
  type Mutation,
} from './arbitraries';

/** Analyses the files in a temp folder: the report, checked against the schema and checkReport. */
function analyzeChecked(files: Map<string, Buffer>): Report {
  const root = writeFiles(files);
  try {
    let report: Report;
    try {
      report = analyze({ root });
    } catch (e) {
      assert.fail(`analyze threw: ${(e as Error).stack ?? String(e)}`);
    }
    validateReport(report);
    checkReport(report, files);
    return report;
  } finally {
    removeDir(root);
  }
}

const EXPRESS = 'test/fixtures/express';

/** One mutation applied to each source file of the express fixture. */
function expressWith(m: Mutation): Map<string, Buffer> {
  const project = realProjects().find((p) => p.name === EXPRESS)!;
  const files = new Map(project.files);
  for (const f of project.sources) files.set(f, mutate(files.get(f)!, [m]));
  return files;
}

describe(fuzzTitle('fuzz: sources the analysis meets'), function () {
  this.timeout(fuzzTimeout(60_000));

  it('mutated real sources: a valid report, every file analysed or skipped with a reason, places inside the files', () => {
    fc.assert(
      fc.property(sourceCaseArb, (c) => {
        analyzeChecked(filesOf(c).files);
      }),
      fuzzParams(60),
    );
  });

  it('random text in place of a source file', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc.string({ unit: 'grapheme', maxLength: 400 }),
      fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a)),
    );
    fc.assert(
      fc.property(text, fc.constantFrom('src/a.ts', 'src/a.js', 'src/a.tsx', 'src/a.mjs', 'src/a.cjs'), (t, name) => {
        analyzeChecked(
          new Map([
            ['package.json', Buffer.from('{"dependencies":{"express":"4.19.2"}}')],
            [name, Buffer.isBuffer(t) ? t : Buffer.from(t)],
            [
              'src/ok.ts',
              Buffer.from(
                "import express from 'express';\nexport const app = express();\napp.get('/ok', (_q, s) => s.send('ok'));\n",
              ),
            ],
          ]),
        );
      }),
      fuzzParams(40),
    );
  });

  describe('each kind of damage, on every source of the express fixture', () => {
    const cases: [string, Mutation][] = [
      ['a BOM', { kind: 'bom' }],
      ['CRLF line endings', { kind: 'lineEndings', eol: '\r\n' }],
      ['CR line endings', { kind: 'lineEndings', eol: '\r' }],
      ['U+2028 line endings', { kind: 'lineEndings', eol: '\u2028' }],
      ['a lone surrogate', { kind: 'loneSurrogate', at: 40, unit: 0xd800 }],
      ['invalid UTF-8 bytes', { kind: 'bytes', at: 40, which: 0 }],
      ['a surrogate written as UTF-8 bytes', { kind: 'bytes', at: 10, which: 3 }],
      ['a NUL byte at the start', { kind: 'bytes', at: 0, which: 7 }],
      ['a NUL byte past the binary probe', { kind: 'nulAfterProbe' }],
      ['UTF-16 encoding', { kind: 'encoding', as: 'utf16le' }],
      ['a 1 MB string literal on one line', { kind: 'hugeLiteral', at: 0, quote: '"', kb: 1024, lines: false }],
      ['a 1 MB template literal of many lines', { kind: 'hugeLiteral', at: 0, quote: '`', kb: 1024, lines: true }],
      ['more than 2 MB', { kind: 'tooLarge' }],
      ['truncation in the middle', { kind: 'truncate', at: 57 }],
      ['5,000 unbalanced parentheses', { kind: 'nest', at: 30, open: '(', close: ')', depth: 5000, balanced: false }],
      ['an empty file', { kind: 'empty' }],
    ];
    for (const [what, m] of cases)
      it(what, () => {
        analyzeChecked(expressWith(m));
      });
  });

  describe('each odd snippet, at the end of every source of the express fixture', () => {
    SNIPPETS.forEach((code, which) =>
      it(code.split('\n')[0]!.slice(0, 70), () => {
        const project = realProjects().find((p) => p.name === EXPRESS)!;
        const files = new Map(project.files);
        for (const f of project.sources)
          files.set(
            f,
            mutate(
              files.get(f)!,
              [{ kind: 'snippet', which, at: 'end' }],
              `./${path.basename(f).replace(/\.[^.]+$/, '')}`,
            ),
          );
        analyzeChecked(files);
      }),
    );
  });

  describe('valid code nested 5,000 deep', () => {
    for (const shape of DEEP_SHAPES)
      it(shape, () => {
        const project = realProjects().find((p) => p.name === EXPRESS)!;
        const files = new Map(project.files);
        const deep = shape === 'jsx' ? 'src/deep.tsx' : 'src/deep.ts';
        files.set(deep, Buffer.from(deepCode(shape, 5000)));
        const report = analyzeChecked(files);
        // The rest of the project is still analysed.
        assert.ok(
          report.components.some((c) => c.id === 'http:GET:/api/v1/users'),
          'the fixture routes are still found',
        );
      });
  });

  it('regression: a 5,000-term sum inside a handler is walked, not lost to the call stack', () => {
    // The scanner recursed four frames a level and ran out of stack near 2,000; it keeps its own stack now.
    const project = realProjects().find((p) => p.name === EXPRESS)!;
    const files = new Map(project.files);
    files.set('src/deep.ts', Buffer.from(deepCode('handler-binary', 5000)));
    const report = analyzeChecked(files);
    assert.ok(!report.stats.skipped.some((s) => s.file === 'src/deep.ts'), JSON.stringify(report.stats.skipped));
    assert.ok(report.components.some((c) => c.location.file === 'src/deep.ts'));
  });

  it('regression: a detector that fails half-way through a file leaves nothing of it behind', () => {
    // A route was recorded, then a detector threw on the same file: the route's draft outlived its file and the
    // component step threw on the missing file (TypeError out of analyze). A detector that throws after the
    // registry's have recorded the file's components stands in for any detector bug.
    const project = realProjects().find((p) => p.name === EXPRESS)!;
    const files = new Map(project.files);
    files.set('src/deep.ts', Buffer.from(deepCode('handler-binary', 50)));
    const root = writeFiles(files);
    try {
      const boom: Detector = {
        id: 'boom',
        endFile(ctx) {
          if (ctx.file === 'src/deep.ts') throw new Error('boom');
        },
      };
      const report = analyze({ root, detectors: [...DETECTORS, boom] });
      validateReport(report);
      const skipped = report.stats.skipped.find((s) => s.file === 'src/deep.ts');
      assert.ok(skipped && /boom/.test(skipped.reason), JSON.stringify(report.stats.skipped));
      assert.ok(!report.components.some((c) => c.location.file === 'src/deep.ts'));
      assert.ok(
        report.components.some((c) => c.id === 'http:GET:/api/v1/users'),
        'the other files still count',
      );
    } finally {
      removeDir(root);
    }
  });
});
