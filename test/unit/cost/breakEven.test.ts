import * as assert from 'node:assert/strict';
import { comp, profile, run } from './costHelpers';

describe('break-even and curves', () => {
  // 200 ms, 128 MB, 1 ms CPU, peak x1, 80 in flight per vCPU: Fargate stays at its 2-task minimum ($72.0802) up to
  // 2 x 80 / 0.2 s = 800 requests/s = 2.1024e9 a month.
  const usage = { requestsPerMonth: 10e6, durationMs: 200, memoryMb: 128, cpuMs: 1, peakToAverage: 1 };

  it('Lambda x86 vs Fargate x86 crosses where the function costs the two-task minimum', () => {
    const r = run([comp('http:GET:/a')], profile(usage, false), { providers: ['aws'], arch: 'x86' });
    const be = r.components[0]!.breakEven.find(
      (b) => b.serverless === 'aws-lambda-x86' && b.container === 'aws-fargate-x86',
    )!;
    // Per request: 0.025 GB-s x $0.0000166667 = $0.0000004166675 + $0.0000002 = $0.0000006166675.
    // $72.0802 / $0.0000006166675 = 116,886,652.9 requests a month.
    assert.ok(Math.abs(be.requestsPerMonth! - 116_886_653) <= 1, String(be.requestsPerMonth));
    assert.ok(Math.abs(be.multipleOfLikely! - 11.6886653) < 1e-6);
    // 116.9M x 0.2 s / 2,628,000 s = 8.895 in flight; / (2 tasks x 80) = 5.56% of the fleet's capacity.
    assert.ok(Math.abs(be.containerUtilisation! - (116_886_653 * 0.2) / 2_628_000 / 160) < 1e-5);
    assert.equal(be.containerInstances, 2);
    // The pairs: each function against the containers of its provider and architecture.
    assert.deepEqual(
      r.components[0]!.breakEven.map((b) => `${b.serverless}/${b.container}`),
      [
        'aws-lambda-x86/aws-fargate-x86',
        'aws-lambda-x86/aws-ec2',
        'aws-lambda-x86-http-api/aws-fargate-x86',
        'aws-lambda-x86-http-api/aws-ec2',
      ],
    );
  });

  it('the whole system: scaled together, free tier once, one fleet', () => {
    const r = run([comp('http:GET:/a'), comp('http:GET:/b')], profile(usage, true), {
      providers: ['aws'],
      arch: 'x86',
    });
    const be = r.breakEven.find((b) => b.serverless === 'aws-lambda-x86' && b.container === 'aws-fargate-x86')!;
    // Free tier worth $6.86668 (1M requests, 400,000 GB-s) shifts it: ($72.0802 + $6.86668) / $0.0000006166675 = 128,021,794.6.
    assert.ok(Math.abs(be.requestsPerMonth! - 128_021_795) <= 1, String(be.requestsPerMonth));
    assert.ok(be.note.startsWith('aws-fargate-x86 becomes cheaper at 128,021,79'));
  });

  it('no crossing in range gives null, with what was searched', () => {
    // 10 s of waiting per request, 1 request in flight per vCPU: one $57.82 Cloud Run instance serves 262,800 requests
    // a month ($220 per million) while Workers charge $0.30 per million (0.01 ms CPU): containers never catch up.
    const r = run(
      [comp('http:GET:/a')],
      profile({ ...usage, durationMs: 10_000, cpuMs: 0.01, concurrency: 1 }, false),
      { providers: ['cloudflare', 'gcp'] },
    );
    const be = r.components[0]!.breakEven.find(
      (b) => b.serverless === 'cloudflare-workers' && b.container === 'gcp-cloud-run-instance',
    )!;
    assert.deepEqual(
      { ...be, note: be.note.split('.')[0] },
      {
        serverless: 'cloudflare-workers',
        container: 'gcp-cloud-run-instance',
        requestsPerMonth: null,
        multipleOfLikely: null,
        containerUtilisation: null,
        containerInstances: null,
        searchedUpTo: 1e12,
        note: 'cloudflare-workers stays cheaper than gcp-cloud-run-instance up to 1e+12 requests a month',
      },
    );
  });

  it('curves: one volume axis, a series per function and container offering', () => {
    const r = run([comp('http:GET:/a')], profile(usage, false), { providers: ['aws'], arch: 'arm64' });
    const c = r.curves.find((x) => x.scope === 'http:GET:/a')!;
    assert.equal(c.requestsPerMonth.length, 21);
    assert.equal(c.requestsPerMonth[8], 10e6);
    assert.deepEqual(
      c.series.map((s) => s.offering),
      ['aws-lambda-arm64', 'aws-lambda-arm64-http-api', 'aws-fargate-arm64', 'aws-ec2'],
    );
    // At the likely volume the curve equals the component's figure.
    assert.equal(c.series[0]!.monthlyUsd[8], r.components[0]!.costs[0]!.monthlyUsd.likely);
    assert.ok(r.curves.some((x) => x.scope === 'total'));
  });
});
