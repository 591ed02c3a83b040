import * as assert from 'node:assert/strict';
import { estimateColdStart } from '../../../src/core/cost/coldStart';

describe('cold-start estimate', () => {
  it('reproduces its calibration: ~260 KB bundled ~100 ms, ~1.5 MB unbundled ~1,000 ms (Momento, 2023-11-16)', () => {
    // 80 + 0.075 x 260 + 2.1 x 1 = 101.6 -> 102 ms.
    const bundled = estimateColdStart({
      runtime: 'nodejs20.x',
      memoryMb: 768,
      packages: [],
      ownBytes: 260 * 1024,
      ownFiles: 1,
      bundled: true,
    });
    assert.deepEqual([bundled.estimateMs, bundled.bundleKb], [102, 260]);
    assert.match(
      bundled.basis,
      /^Estimate, not a measurement: 80 ms \+ 0\.075 ms\/KB x 260 KB \+ 2\.1 ms\/file x bundled into one file\. Calibrated on Momento/,
    );
    // 1,536 KB in one package of unknown file count: 384 files at 4 KB; 80 + 115.2 + 806.4 = 1,001.6 -> 1,002 ms.
    const tree = estimateColdStart({
      runtime: 'nodejs22.x',
      memoryMb: 768,
      packages: [{ name: 'sdk', bytes: 1536 * 1024 }],
      ownBytes: 0,
      ownFiles: 0,
    });
    assert.deepEqual([tree.estimateMs, tree.bundleKb], [1002, 1536]);
    assert.match(tree.basis, /384 file\(s\), 384 of them guessed at 4 KB per file/);
  });

  it('counts known files, own source, and arm64', () => {
    // 10 KB own in 5 files + 100 KB in 20 files: 80 + 0.075 x 110 + 2.1 x 25 = 140.75; x 0.85 on arm64 = 119.6 -> 120.
    const e = estimateColdStart({
      runtime: 'nodejs20.x',
      memoryMb: 256,
      arch: 'arm64',
      packages: [{ name: 'a', bytes: 100 * 1024, files: 20 }],
      ownBytes: 10 * 1024,
      ownFiles: 5,
    });
    assert.deepEqual([e.estimateMs, e.bundleKb], [120, 110]);
    assert.match(e.basis, /x 0\.85 on arm64/);
  });

  it('other runtimes come from the published table, labelled as estimates', () => {
    const py = estimateColdStart({ runtime: 'python3.13', memoryMb: 256, packages: [], ownBytes: 2048, ownFiles: 1 });
    assert.deepEqual(py, {
      estimateMs: 300,
      bundleKb: 2,
      basis:
        'Estimate, not a measurement: Python P50 200-400 ms (Eric D Johnson, "Cold Starts Are Dead", 2026-04-29), midpoint.',
    });
    assert.equal(
      estimateColdStart({ runtime: 'java21-snapstart', memoryMb: 1024, packages: [], ownBytes: 0, ownFiles: 0 })
        .estimateMs,
      115,
    );
    assert.equal(
      estimateColdStart({ runtime: 'java21', memoryMb: 1024, packages: [], ownBytes: 0, ownFiles: 0 }).estimateMs,
      3500,
    );
    assert.equal(
      estimateColdStart({ runtime: 'workers', memoryMb: 128, packages: [], ownBytes: 0, ownFiles: 0 }).estimateMs,
      5,
    );
  });

  it('is pure: same input, same output', () => {
    const input = {
      runtime: 'nodejs20.x',
      memoryMb: 512,
      packages: [{ name: 'x', bytes: 4096 }],
      ownBytes: 100,
      ownFiles: 1,
    };
    assert.deepEqual(estimateColdStart(input), estimateColdStart(structuredClone(input)));
  });
});
