import type { ColdStartEstimate, ColdStartInput } from './types';

// Calibration (research.md section 9; every source there is a measurement someone published, not ours):
// - Momento (2023-11-16), Node.js on Lambda at 768 MB: one esbuild bundle of ~260 KB started in ~100 ms; the same
//   code unbundled (~1.5 MB of node_modules) in ~1,000 ms; memory between 256 and 1,024 MB made no real difference.
// - AWS SDK for JavaScript v3 docs: the time Node spends loading dependencies tracks the NUMBER OF FILES it reads.
// So: a fixed runtime start, a cost per KB (from the bundled case: (100 - 80) ms / 260 KB = 0.075 ms/KB) and a cost
// per file (from the unbundled case: (1,000 - 80 - 0.075 x 1,536) ms / 384 files = 2.1 ms per file, with 384 files
// = 1.5 MB at 4 KB per file, the size assumed when a package's file count is unknown).
// Known to overestimate trees of few large files: speedrun.nobackspacecrew (2023-09-23) measured 1,567 ms for a
// 3.4 MB zipped require()-based bundle, below what this model gives for a tree that size at 4 KB per file.
const NODE_BASE_MS = 80;
const MS_PER_KB = 0.075;
const MS_PER_FILE = 2.1;
const KB_PER_FILE_WHEN_UNKNOWN = 4;
/** The lower end of the 15-40% arm64 advantage one author reports (Eric D Johnson, 2026-04-29). */
const ARM64_FACTOR = 0.85;

/** P50 cold starts of other runtimes on Lambda: midpoints of Eric D Johnson's ranges (2026-04-29). */
const RUNTIME_TABLE: { match: RegExp; ms: number; basis: string }[] = [
  {
    match: /^python/,
    ms: 300,
    basis: 'Python P50 200-400 ms (Eric D Johnson, "Cold Starts Are Dead", 2026-04-29), midpoint',
  },
  {
    match: /^java.*snapstart/,
    ms: 115,
    basis: 'Java 21 + SnapStart P50 90-140 ms (Eric D Johnson, 2026-04-29), midpoint',
  },
  { match: /^java/, ms: 3500, basis: 'Java 21 without SnapStart P50 2-5 s (Eric D Johnson, 2026-04-29), midpoint' },
  {
    match: /^dotnet/,
    ms: 233,
    basis: '.NET 6 managed, mean of 100 forced cold starts, hello world (Bryan Hogan, 2022-11)',
  },
  { match: /^(go|provided)/, ms: 75, basis: 'Go P50 50-100 ms (Eric D Johnson, 2026-04-29), midpoint' },
  { match: /^rust/, ms: 65, basis: 'Rust P50 50-80 ms (Eric D Johnson, 2026-04-29), midpoint' },
  {
    match: /^(workers|cloudflare)/,
    ms: 5,
    basis:
      'Cloudflare: isolates "warm up a function in under 5 milliseconds" (Cloudflare blog, 2020-07-30), a vendor claim',
  },
];

/**
 * An ESTIMATE of a function's cold start (INIT duration) from its runtime and what its handler loads. Pure: it
 * reads nothing but its input. Node.js runtimes use the calibrated model above; others a published table value.
 */
export function estimateColdStart(input: ColdStartInput): ColdStartEstimate {
  let bytes = input.ownBytes;
  let files = input.ownFiles;
  let guessedFiles = 0;
  for (const p of input.packages) {
    const b = p.bytes ?? 0;
    bytes += b;
    if (p.files !== undefined) files += p.files;
    else {
      const f = Math.max(1, Math.ceil(b / 1024 / KB_PER_FILE_WHEN_UNKNOWN));
      files += f;
      guessedFiles += f;
    }
  }
  const bundleKb = Math.round((bytes / 1024) * 10) / 10;
  const runtime = input.runtime.toLowerCase();
  const row = RUNTIME_TABLE.find((r) => r.match.test(runtime));
  if (row) return { estimateMs: row.ms, bundleKb, basis: `Estimate, not a measurement: ${row.basis}.` };
  const effectiveFiles = input.bundled ? 1 : files;
  let ms = NODE_BASE_MS + MS_PER_KB * bundleKb + MS_PER_FILE * effectiveFiles;
  const armNote = input.arch === 'arm64' ? `, x ${ARM64_FACTOR} on arm64 (one author's 15-40% claim, lower end)` : '';
  if (input.arch === 'arm64') ms *= ARM64_FACTOR;
  const fileNote = input.bundled
    ? 'bundled into one file'
    : `${effectiveFiles} file(s)${guessedFiles ? `, ${guessedFiles} of them guessed at ${KB_PER_FILE_WHEN_UNKNOWN} KB per file` : ''}`;
  return {
    estimateMs: Math.round(ms),
    bundleKb,
    basis:
      `Estimate, not a measurement: ${NODE_BASE_MS} ms + ${MS_PER_KB} ms/KB x ${bundleKb} KB + ${MS_PER_FILE} ms/file x ${fileNote}${armNote}. ` +
      'Calibrated on Momento (2023-11-16: ~260 KB bundle ~100 ms, ~1.5 MB unbundled ~1,000 ms at 768 MB) and the AWS SDK v3 finding that load time tracks file count; memory size ignored (no effect measured between 256 and 1,024 MB).',
  };
}
