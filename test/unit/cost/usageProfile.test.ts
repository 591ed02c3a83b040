import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { estimate } from '../../../src/core/cost/estimate';
import { loadUsageProfile, resolveUsage } from '../../../src/core/cost/usage';
import { comp, shipped } from './costHelpers';

const IDS = ['http:GET:/a', 'http:GET:/b', 'queue:bullmq:emails', 'schedule:node-cron:src/jobs.ts:0 3 * * *'];

function write(text: string, name = 'serverless-advisor.yaml'): { dir: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-profile-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return { dir, file };
}

describe('usage profile (serverless-advisor.yaml)', () => {
  it('reads a valid profile from the analysed folder; exact ids win over globs', () => {
    const { dir } = write(
      [
        'defaults: { requestsPerMonth: 1000000, durationMs: 120, memoryMb: 512 }',
        'scenarios: { low: 0.5, likely: 1, high: 2 }',
        'freeTier: false',
        'components:',
        '  "http:GET:/a": { durationMs: 50 }',
        '  "http:*": { durationMs: 80, payloadKb: 2 }',
        '',
      ].join('\n'),
    );
    const { profile, problems, usedDefaults } = loadUsageProfile(dir, IDS);
    assert.deepEqual(problems, []);
    assert.equal(usedDefaults, false);
    assert.deepEqual(profile.scenarios, { low: 0.5, likely: 1, high: 2 });
    assert.equal(profile.freeTier, false);
    const a = resolveUsage(comp('http:GET:/a'), profile);
    assert.equal(a.usage.durationMs, 50);
    assert.equal(a.origin.durationMs, 'profile:http:GET:/a');
    assert.equal(a.usage.payloadKb, 2);
    const b = resolveUsage(comp('http:GET:/b'), profile);
    assert.equal(b.usage.durationMs, 80);
    assert.equal(b.usage.requestsPerMonth, 1_000_000);
    assert.equal(b.origin.cpuMs, 'default:http-route');
  });

  it('no profile: defaults by kind, and the result says so', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-none-'));
    const { profile, problems, usedDefaults } = loadUsageProfile(dir, IDS);
    assert.deepEqual(problems, []);
    assert.equal(usedDefaults, true);
    const http = resolveUsage(comp('http:GET:/a'), profile);
    // 43,800 x 36/55 = 28,669; 680 ms; 256 MB (Serverless in the Wild, see usage.ts).
    assert.deepEqual(
      [http.usage.requestsPerMonth, http.usage.durationMs, http.usage.memoryMb, http.usage.cpuMs],
      [28669, 680, 256, 7],
    );
    assert.equal(resolveUsage(comp('queue:bullmq:emails', 'queue-consumer'), profile).usage.requestsPerMonth, 96533);
    // A schedule the trigger states beats the kind's default: "0 3 * * *" runs 730/24 = 30.4 times a month.
    const job = resolveUsage(
      { id: 'j', kind: 'scheduled-job', trigger: { type: 'schedule', system: 'node-cron', schedule: '0 3 * * *' } },
      profile,
    );
    assert.ok(Math.abs(job.usage.requestsPerMonth - 730 / 24) < 1e-9);
    assert.equal(job.origin.requestsPerMonth, 'schedule:0 3 * * *');
    const r = estimate([comp('http:GET:/a')], profile, shipped());
    assert.equal(r.usedDefaults, true);
    assert.equal(r.components[0]!.usedDefaults, true);
    assert.ok(
      r.assumptions.some((a) => a.startsWith('Usage defaults were used') && a.includes('Serverless in the Wild')),
    );
  });

  it('a malformed profile: each problem with file, line, column and what to change; the rest still applies', () => {
    const { file } = write(
      [
        'defaults:', // 1
        '  requestsPerMonth: -5', // 2
        '  durationMs: 200', // 3
        '  memroyMb: 512', // 4
        'scenarios: { low: 2, likely: 1, high: 4 }', // 5
        'freeTier: yes', // 6
        'components:', // 7
        '  "http:GET:/a":', // 8
        '    cpuMs: 500', // 9
        '    durationMs: 100', // 10
        '  "queue:*":', // 11
        '    peakToAverage: 1000000', // 12
        '  "http:GET:/nope": { requestsPerMonth: 10 }', // 13
        '  "cron:*": { requestsPerMonth: 10 }', // 14
        '',
      ].join('\n'),
      'custom.yaml',
    );
    const { profile, problems } = loadUsageProfile(file, IDS);
    const brief = problems.map(
      (p) => `${path.basename(p.file)}:${p.line}:${p.column} ${p.severity} ${p.message} | ${p.fix}`,
    );
    assert.deepEqual(brief, [
      'custom.yaml:2:3 error defaults.requestsPerMonth must be >= 0 | Set requestsPerMonth to a valid value: Invocations (requests, messages, runs) per month in the likely scenario, 0 to 1e12.',
      'custom.yaml:4:3 error unknown field "memroyMb" in defaults | Did you mean "memoryMb"? Remove "memroyMb" or use one of: requestsPerMonth, durationMs, cpuMs, memoryMb, payloadKb, peakToAverage, concurrency, provisionedConcurrency, dbReadsPerRequest, dbWritesPerRequest, objectGetsPerRequest, objectPutsPerRequest, storageGb, monthlyActiveUsers, stateTransitionsPerRequest.',
      'custom.yaml:5:1 error scenarios must satisfy low <= likely <= high (got 2, 1, 4) | Order the multipliers, e.g. { low: 0.25, likely: 1, high: 4 }; the default multipliers apply until then.',
      'custom.yaml:6:1 error freeTier must be boolean | Set freeTier to true or false.',
      'custom.yaml:9:5 error components.http:GET:/a.cpuMs (500) exceeds durationMs (100) | CPU time per request cannot exceed its wall-clock duration: lower cpuMs or raise durationMs.',
      'custom.yaml:12:5 error components.queue:*.peakToAverage must be <= 1000 | Set peakToAverage to a valid value: Peak request rate divided by the average rate, 1 to 1,000 (sizes the always-on containers).',
      'custom.yaml:13:3 warning components: unknown component id "http:GET:/nope" | Use a component id from the report, or a glob such as "queue:*".',
      'custom.yaml:14:3 warning components: the glob "cron:*" matches no component | Use a component id from the report, or a glob such as "queue:*".',
    ]);
    // What was valid still applies.
    assert.deepEqual(profile.defaults, { durationMs: 200 });
    assert.deepEqual(profile.scenarios, { low: 0.25, likely: 1, high: 4 });
    assert.equal(profile.components.find((c) => c.pattern === 'http:GET:/a')!.usage.durationMs, 100);
    assert.equal(profile.components.find((c) => c.pattern === 'http:GET:/a')!.usage.cpuMs, undefined);
  });

  it('a near-miss id gets a suggestion', () => {
    const { file } = write('components:\n  "http:GET:/aa": { durationMs: 10 }\n');
    const { problems } = loadUsageProfile(file, IDS);
    assert.deepEqual(
      problems.map((p) => [p.line, p.column, p.severity, p.message, p.fix]),
      [
        [
          2,
          3,
          'warning',
          'components: unknown component id "http:GET:/aa"',
          'Did you mean "http:GET:/a"? Component ids are listed in the report.',
        ],
      ],
    );
  });

  it('bad YAML: the problem at its line and column; defaults apply', () => {
    const { file } = write('defaults:\n  requestsPerMonth: [1,\n');
    const { profile, problems, usedDefaults } = loadUsageProfile(file, IDS);
    assert.equal(usedDefaults, true);
    assert.deepEqual(profile.defaults, {});
    assert.deepEqual(
      problems.map((p) => [path.basename(p.file), p.line, p.column, p.severity, p.message]),
      [
        [
          'serverless-advisor.yaml',
          3,
          1,
          'error',
          'YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
        ],
      ],
    );
  });

  it('absurd values and wrong types name the setting', () => {
    const { file } = write(
      'defaults:\n  memoryMb: 64\n  durationMs: "fast"\n  concurrency: 2.5\ncomponents:\n  "queue:*": { requestsPerMonth: 1e15 }\nextra: 1\n',
    );
    const { problems } = loadUsageProfile(file, IDS);
    assert.deepEqual(
      problems.map((p) => `${p.line}:${p.column} ${p.message}`),
      [
        '2:3 defaults.memoryMb must be >= 128',
        '3:3 defaults.durationMs must be number',
        '4:3 defaults.concurrency must be integer',
        '6:16 components.queue:*.requestsPerMonth must be <= 1000000000000',
        '7:1 unknown field "extra" in the file',
      ],
    );
  });

  it('a named profile that does not exist is an error', () => {
    const missing = path.join(os.tmpdir(), 'no-such-dir-sa', 'profile.yaml');
    const { problems, usedDefaults } = loadUsageProfile(missing, IDS);
    assert.equal(usedDefaults, true);
    assert.deepEqual(
      problems.map((p) => [p.line, p.column, p.message]),
      [[1, 1, `usage profile ${missing} does not exist`]],
    );
  });
});
