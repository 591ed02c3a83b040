import * as assert from 'node:assert/strict';
import { analyzeFiles } from './helpers';

describe('analyze', () => {
  it('returns an empty report for an empty folder', () => {
    const r = analyzeFiles({});
    assert.equal(r.schemaVersion, 1);
    assert.equal(r.stats.files, 0);
    assert.deepEqual(r.components, []);
  });
  it('lists a file with a syntax error as skipped, with its line', () => {
    const r = analyzeFiles({ 'src/bad.ts': 'const x = ;\n', 'src/ok.ts': 'export const a = 1;\n' });
    assert.equal(r.stats.files, 1);
    assert.equal(r.stats.skipped.length, 1);
    assert.match(r.stats.skipped[0]!.reason, /syntax error at 1:11/);
  });
});
