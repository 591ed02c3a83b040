// `npm run fuzz`: the property and fuzz tests of test/unit/fuzz, run longer than in `npm test` and with a fresh seed
// each time. The seed is printed before and after, so a failure can be replayed:
//   SA_FUZZ_SEED=<seed> SA_FUZZ_RUNS=<n> npm run fuzz
// SA_FUZZ_RUNS multiplies every property's number of runs (default 20 here; `npm test` runs them once, seed 20261127).
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const seed = process.env.SA_FUZZ_SEED || String(randomInt(1, 2 ** 31 - 1));
const runs = process.env.SA_FUZZ_RUNS || '20';
const replay = `SA_FUZZ_SEED=${seed} SA_FUZZ_RUNS=${runs} npm run fuzz`;

console.log(`fuzz: seed ${seed}, runs x${runs} (to replay: ${replay})`);
// No shell: the glob is mocha's own, so this runs the same on Windows.
const result = spawnSync(
  process.execPath,
  [
    require.resolve('mocha/bin/mocha.js'),
    '--no-config',
    '--node-option',
    'import=tsx',
    '--reporter',
    'spec',
    'test/unit/fuzz/*.test.ts',
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, SA_FUZZ_SEED: seed, SA_FUZZ_RUNS: runs } },
);
const status = result.status ?? 1;
if (status !== 0) console.log(`fuzz: failed with seed ${seed}; to replay: ${replay}`);
else console.log(`fuzz: passed with seed ${seed}, runs x${runs}`);
process.exit(status);
