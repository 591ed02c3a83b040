// Golden figures, computed by hand from the shipped snapshot (rules/pricing). Each expected value shows its arithmetic.
import * as assert from 'node:assert/strict';
import { close, comp, costOf, profile, run, totalOf, usdEqual } from './costHelpers';

const HTTP = comp('http:GET:/x');

describe('cost golden figures: AWS Lambda', () => {
  // 100M requests/month x 0.125 GB (128 MB) x 0.2 s = 2,500,000 GB-s.
  const base = { requestsPerMonth: 100e6, durationMs: 200, memoryMb: 128 };

  it('100M x 128 MB x 200 ms without the free tier: $61.67 on x86, $53.33 on arm64', () => {
    const r = run([HTTP], profile(base, false));
    const x86 = costOf(r, HTTP.id, 'aws-lambda-x86');
    // duration 2,500,000 x $0.0000166667 = $41.666750; requests 100 x $0.20 = $20.
    close(x86.breakdown.duration!, 41.66675, 'x86 duration');
    close(x86.breakdown.requests!, 20, 'requests');
    usdEqual(x86.breakdown.duration!, 41.67);
    usdEqual(x86.monthlyUsd.likely, 61.67, 'x86 total');
    const arm = costOf(r, HTTP.id, 'aws-lambda-arm64');
    // duration 2,500,000 x $0.0000133334 = $33.3335; + $20 = $53.3335.
    close(arm.breakdown.duration!, 33.3335, 'arm64 duration');
    usdEqual(arm.breakdown.duration!, 33.33);
    usdEqual(arm.monthlyUsd.likely, 53.33, 'arm64 total');
    // Scenarios scale volume: low x0.25 = $15.416688, high x4 = $246.667.
    close(x86.monthlyUsd.low, 61.66675 / 4);
    close(x86.monthlyUsd.high, 61.66675 * 4);
  });

  it('with the free tier: $54.80 on x86 (total only; the component stays before free tier)', () => {
    const r = run([HTTP], profile(base, true));
    // (2,500,000 - 400,000) x $0.0000166667 = $35.00007; (100M - 1M) x $0.0000002 = $19.80.
    const t = totalOf(r, 'aws-lambda-x86');
    close(t.monthlyUsd.likely, 54.80007);
    usdEqual(t.monthlyUsd.likely, 54.8);
    // The free tier's worth: 400,000 x $0.0000166667 + 1M x $0.0000002 = $6.86668.
    close(t.freeTier.likely, -6.86668);
    close(costOf(r, HTTP.id, 'aws-lambda-x86').monthlyUsd.likely, 61.66675);
    // arm64: (2.1M x $0.0000133334 = $28.00014) + $19.80 = $47.80014.
    close(totalOf(r, 'aws-lambda-arm64').monthlyUsd.likely, 47.80014);
  });

  it('rounds each invocation up to 1 ms', () => {
    const r = run([HTTP], profile({ requestsPerMonth: 1e6, durationMs: 200.4, memoryMb: 1024 }));
    // 1M x 201 ms x 1 GB = 201,000 GB-s x $0.0000166667 = $3.350007.
    close(costOf(r, HTTP.id, 'aws-lambda-x86').breakdown.duration!, 3.350007);
  });

  it('x86 duration tiers at 6B and 15B GB-s', () => {
    // 700M x 10 GB x 1 s = 7e9 GB-s: 6e9 x $0.0000166667 = $100,000.20 + 1e9 x $0.000015 = $15,000 -> $115,000.20.
    let r = run([HTTP], profile({ requestsPerMonth: 700e6, durationMs: 1000, memoryMb: 10240 }));
    close(costOf(r, HTTP.id, 'aws-lambda-x86').breakdown.duration!, 115000.2);
    // 1.6B x 10 GB x 1 s = 16e9: $100,000.20 + 9e9 x $0.000015 = $135,000 + 1e9 x $0.0000133334 = $13,333.40 -> $248,333.60.
    r = run([HTTP], profile({ requestsPerMonth: 1.6e9, durationMs: 1000, memoryMb: 10240 }));
    close(costOf(r, HTTP.id, 'aws-lambda-x86').breakdown.duration!, 248333.6);
  });

  it('arm64 duration tiers at 7.5B and 18.75B GB-s', () => {
    // 8e9 GB-s: 7.5e9 x $0.0000133334 = $100,000.50 + 0.5e9 x $0.0000120001 = $6,000.05 -> $106,000.55.
    let r = run([HTTP], profile({ requestsPerMonth: 800e6, durationMs: 1000, memoryMb: 10240 }));
    close(costOf(r, HTTP.id, 'aws-lambda-arm64').breakdown.duration!, 106000.55);
    // 2e10 GB-s: $100,000.50 + 11.25e9 x $0.0000120001 = $135,001.125 + 1.25e9 x $0.0000106667 = $13,333.375 -> $248,335.00.
    r = run([HTTP], profile({ requestsPerMonth: 2e9, durationMs: 1000, memoryMb: 10240 }));
    close(costOf(r, HTTP.id, 'aws-lambda-arm64').breakdown.duration!, 248335);
  });

  it('API Gateway HTTP API: $1.00/M to 300M, $0.90/M above; 512 KB metering; function URL adds nothing', () => {
    let r = run([HTTP], profile({ requestsPerMonth: 400e6, durationMs: 1, memoryMb: 128, payloadKb: 4 }));
    // 300 x $1.00 + 100 x $0.90 = $390.
    close(costOf(r, HTTP.id, 'aws-lambda-x86-http-api').breakdown.gateway!, 390);
    assert.equal(costOf(r, HTTP.id, 'aws-lambda-x86').breakdown.gateway, undefined);
    r = run([HTTP], profile({ requestsPerMonth: 10e6, durationMs: 1, memoryMb: 128, payloadKb: 600 }));
    // 600 KB = two 512 KB increments: 20M metered x $1.00/M = $20.
    close(costOf(r, HTTP.id, 'aws-lambda-arm64-http-api').breakdown.gateway!, 20);
    // Not an HTTP component: no gateway charge on the -http-api offering either.
    r = run(
      [comp('queue:bullmq:q', 'queue-consumer')],
      profile({ requestsPerMonth: 10e6, durationMs: 1, memoryMb: 128 }),
    );
    close(costOf(r, 'queue:bullmq:q', 'aws-lambda-x86-http-api').breakdown.gateway!, 0);
  });

  it('provisioned concurrency for a latency-critical path, sized for its peak', () => {
    const c = comp('http:GET:/fast', 'http-route', { latencyCritical: true });
    // 2,628,000 requests = 1/s at 1 s = 1 busy environment on average; peak x3 -> 3 provisioned.
    const r = run([c], profile({ requestsPerMonth: 2_628_000, durationMs: 1000, memoryMb: 1024, peakToAverage: 3 }));
    const b = costOf(r, c.id, 'aws-lambda-x86').breakdown;
    // 3 x 1 GB x 2,628,000 s = 7,884,000 GB-s x $0.0000041667 = $32.8502628.
    close(b.provisionedConcurrency!, 32.8502628);
    // All 2,628,000 GB-s of work fits: x $0.0000097222 = $25.5499416; nothing on demand.
    close(b.provisionedDuration!, 25.5499416);
    close(b.duration!, 0);
    close(b.requests!, 0.5256);
  });

  it('prices INIT (billed since 2025-08-01) from the cold-start estimate', () => {
    const c = comp('http:GET:/init', 'http-route', { coldStart: { estimateMs: 500, bundleKb: 100, basis: 'test' } });
    const r = run([c], profile({ requestsPerMonth: 1e6, durationMs: 100, memoryMb: 1024 }));
    const b = costOf(r, c.id, 'aws-lambda-x86').breakdown;
    // cold starts = min(1M, 4,380 + 1% x 1M) = 14,380 x 0.5 s x 1 GB = 7,190 GB-s x $0.0000166667 = $0.11983357.
    close(b.init!, 0.119834);
    // 1M x 0.1 s x 1 GB = 100,000 GB-s x $0.0000166667 = $1.66667.
    close(b.duration!, 1.66667);
  });
});

describe('cost golden figures: other serverless offerings', () => {
  it('Azure Flex: instance memory, 100 ms rounding, free grant once', () => {
    // 100M/month is 38 per second, so activity periods merge (e^-38 ~ 0): 200 ms billed on the 2,048 MB instance.
    // 100M x 0.2 s x 2 GB = 40M GB-s x $0.000026 = $1,040; executions 100 x $0.40 = $40.
    let r = run([HTTP], profile({ requestsPerMonth: 100e6, durationMs: 200, memoryMb: 128 }, true));
    close(costOf(r, HTTP.id, 'azure-functions-flex').monthlyUsd.likely, 1080);
    // Free grant: (40M - 100,000) x $0.000026 = $1,037.40; (100M - 250,000) x $0.0000004 = $39.90.
    close(totalOf(r, 'azure-functions-flex').monthlyUsd.likely, 1077.3);
    // 3,000 MB needs the 4,096 MB instance; 150 ms -> 200 ms: 100M x 0.2 x 4 = 80M GB-s x $0.000026 = $2,080.
    r = run([HTTP], profile({ requestsPerMonth: 100e6, durationMs: 150, memoryMb: 3000 }));
    close(costOf(r, HTTP.id, 'azure-functions-flex').breakdown.duration!, 2080);
  });

  it('Azure Flex: the 1,000 ms minimum for sparse executions', () => {
    // 2,628 a month = 0.001/s: a period merges with probability 1 - e^-0.001, so billed = 100 + 900 x e^-0.001 ms.
    const r = run([HTTP], profile({ requestsPerMonth: 2628, durationMs: 100, memoryMb: 2048 }));
    const ms = 100 + 900 * Math.exp(-0.001);
    // 2,628 x 0.9991004 s x 2 GB x $0.000026 = $0.136534.
    close(costOf(r, HTTP.id, 'azure-functions-flex').breakdown.duration!, 2628 * (ms / 1000) * 2 * 0.000026);
    usdEqual(costOf(r, HTTP.id, 'azure-functions-flex').breakdown.duration!, 0.14);
  });

  it('Cloud Run functions: vCPU by memory, 100 ms rounding, free tier once', () => {
    // 300 MB -> the 512 MiB setting with 0.333 vCPU; 150 ms -> 200 ms; 10M x 0.2 s = 2,000,000 instance-s.
    const r = run([HTTP], profile({ requestsPerMonth: 10e6, durationMs: 150, memoryMb: 300 }, true));
    const c = costOf(r, HTTP.id, 'gcp-cloud-run-functions');
    // cpu 666,000 vCPU-s x $0.000024 = $15.984; memory 1,000,000 GiB-s x $0.0000025 = $2.50; requests 10 x $0.40 = $4.
    close(c.breakdown.cpu!, 15.984);
    close(c.breakdown.memory!, 2.5);
    close(c.breakdown.requests!, 4);
    // Free: (666,000 - 180,000) x $0.000024 = $11.664; (1M - 360,000) x $0.0000025 = $1.60; (10M - 2M) x $0.0000004 = $3.20.
    close(totalOf(r, 'gcp-cloud-run-functions').monthlyUsd.likely, 16.464);
  });

  it("Cloudflare Workers: Cloudflare's own example, 15M requests at 7 ms CPU = $8.00", () => {
    const r = run([HTTP], profile({ requestsPerMonth: 15e6, durationMs: 50, cpuMs: 7 }, true));
    // Account: $5 + (15M - 10M) x $0.30/M = $1.50 + (105M - 30M CPU-ms) x $0.02/M = $1.50 -> $8.00.
    const t = totalOf(r, 'cloudflare-workers');
    close(t.monthlyUsd.likely, 8);
    assert.deepEqual(t.breakdown, { subscription: 5, requests: 1.5, cpu: 1.5 });
    // The component alone, before the subscription and its included usage: 15 x $0.30 + 105 x $0.02 = $6.60.
    close(costOf(r, HTTP.id, 'cloudflare-workers').monthlyUsd.likely, 6.6);
    close(t.accountAdjustment.likely, 1.4);
    // Included usage is part of the subscription: the same with freeTier: false.
    close(
      totalOf(run([HTTP], profile({ requestsPerMonth: 15e6, durationMs: 50, cpuMs: 7 }, false)), 'cloudflare-workers')
        .monthlyUsd.likely,
      8,
    );
  });
});

describe('cost golden figures: containers', () => {
  const small = { requestsPerMonth: 1000, durationMs: 200, cpuMs: 1 };

  it('at least two instances, billed 730 hours', () => {
    const r = run([HTTP], profile(small, true));
    // Fargate x86 task 1 vCPU / 2 GB: ($0.04048 + 2 x $0.004445) x 730 = $36.0401; two tasks = $72.0802.
    close(costOf(r, HTTP.id, 'aws-fargate-x86').monthlyUsd.likely, 72.0802);
    // ARM: ($0.03238 + 2 x $0.00356) x 730 = $28.835; x2 = $57.67.
    close(costOf(r, HTTP.id, 'aws-fargate-arm64').monthlyUsd.likely, 57.67);
    // EC2 m7g.large: $0.0816 x 730 = $59.568; x2 = $119.136.
    close(costOf(r, HTTP.id, 'aws-ec2').monthlyUsd.likely, 119.136);
    // Cloud Run instance-based, 2 x 1 vCPU / 2 GiB x 2,628,000 s: 5,256,000 x $0.000018 = $94.608 + 10,512,000 x $0.000002 = $21.024.
    close(costOf(r, HTTP.id, 'gcp-cloud-run-instance').monthlyUsd.likely, 115.632);
    // Free tier once: (5,256,000 - 240,000) x $0.000018 = $90.288 + (10,512,000 - 450,000) x $0.000002 = $20.124.
    close(totalOf(r, 'gcp-cloud-run-instance').monthlyUsd.likely, 110.412);
  });

  it('sizes the fleet for the peak: in flight over concurrency, or CPU at 70%', () => {
    // 2,628M/month = 1,000/s; peak x3 = 3,000/s x 0.2 s = 600 in flight / 80 per vCPU = 7.5 -> 8 tasks;
    // CPU 3,000/s x 1 ms = 3 vCPU / 0.7 = 4.3 tasks. 8 x $36.0401 = $288.3208.
    const r = run([HTTP], profile({ requestsPerMonth: 2_628_000_000, durationMs: 200, cpuMs: 1, peakToAverage: 3 }));
    close(costOf(r, HTTP.id, 'aws-fargate-x86').monthlyUsd.likely, 288.3208);
    // With 7 ms CPU: 3,000 x 0.007 / 0.7 = 30 tasks x $36.0401 = $1,081.203.
    const cpu = run([HTTP], profile({ requestsPerMonth: 2_628_000_000, durationMs: 200, cpuMs: 7, peakToAverage: 3 }));
    close(costOf(cpu, HTTP.id, 'aws-fargate-x86').monthlyUsd.likely, 1081.203);
    // EC2 m7g.large has 2 vCPU: 600 / 160 = 3.75 -> 4 instances x $59.568 = $238.272.
    close(costOf(r, HTTP.id, 'aws-ec2').monthlyUsd.likely, 238.272);
  });

  it('shares one fleet in the total instead of two per component', () => {
    const a = comp('http:GET:/a');
    const b = comp('http:GET:/b');
    const r = run([a, b], profile(small, false));
    const t = totalOf(r, 'aws-fargate-x86');
    // Components: 2 x $72.0802; the account runs one fleet of 2 tasks: adjustment -$72.0802.
    close(t.components.likely, 144.1604);
    close(t.monthlyUsd.likely, 72.0802);
    close(t.accountAdjustment.likely, -72.0802);
  });
});

describe('cost golden figures: managed services (baas)', () => {
  it('SQS: 3 requests per message, 64 KB chunks, 1M free once, tier at 100B', () => {
    const q = comp('queue:bullmq:q', 'queue-consumer');
    let r = run([q], profile({ requestsPerMonth: 10e6, payloadKb: 100 }, true));
    // 10M messages x 3 x 2 chunks = 60M requests x $0.40/M = $24; free: 59M -> $23.60.
    close(costOf(r, q.id, 'aws-sqs').monthlyUsd.likely, 24);
    close(totalOf(r, 'aws-sqs').monthlyUsd.likely, 23.6);
    // 40B messages x 3 = 120B requests: 100,000M x $0.40/M = $40,000 + 20,000M x $0.30/M = $6,000.
    r = run([q], profile({ requestsPerMonth: 40e9, payloadKb: 4 }));
    close(costOf(r, q.id, 'aws-sqs').monthlyUsd.likely, 46000);
    assert.equal(
      r.components[0]!.costs.some((c) => c.offering === 'aws-eventbridge-scheduler'),
      false,
    );
  });

  it('EventBridge Scheduler: $1.00/M after 14M free (the rate is unverified)', () => {
    const j = comp('schedule:node-cron:x', 'scheduled-job');
    const r = run([j], profile({ requestsPerMonth: 20e6 }, true));
    close(costOf(r, j.id, 'aws-eventbridge-scheduler').monthlyUsd.likely, 20);
    close(totalOf(r, 'aws-eventbridge-scheduler').monthlyUsd.likely, 6);
    assert.ok(
      costOf(r, j.id, 'aws-eventbridge-scheduler').assumptions.some((a) =>
        a.startsWith('Unverified: aws-eventbridge-scheduler.invocations = 1 USD per 1,000,000 invocation'),
      ),
    );
  });

  it('DynamoDB for in-memory sessions: 1 read + 1 write per request, 25 GB free', () => {
    const c = comp('http:GET:/s', 'http-route', { hazards: ['in-memory-session'] });
    const r = run([c], profile({ requestsPerMonth: 10e6, storageGb: 30 }, true));
    // 10M x $0.125/M = $1.25 reads; 10M x $0.625/M = $6.25 writes; 30 GB x $0.25 = $7.50.
    assert.deepEqual(costOf(r, c.id, 'aws-dynamodb').breakdown, { reads: 1.25, writes: 6.25, storage: 7.5 });
    // Free storage once: 5 GB x $0.25 = $1.25 -> $8.75.
    close(totalOf(r, 'aws-dynamodb').monthlyUsd.likely, 8.75);
  });

  it('S3 for local files; Cognito per MAU; Step Functions for workers', () => {
    const f = comp('http:GET:/f', 'http-route', { hazards: ['local-fs-read', 'local-fs-write'] });
    const w = comp('worker:node:w.ts', 'worker');
    const r = run([f, w], profile({ requestsPerMonth: 1e6, storageGb: 10, monthlyActiveUsers: 50000 }, true));
    // S3: 1M GET x $0.0004/1k = $0.40; 1M PUT x $0.005/1k = $5; 10 GB x $0.023 = $0.23.
    close(costOf(r, f.id, 'aws-s3').monthlyUsd.likely, 5.63);
    // Cognito: 50,000 x $0.015 = $750 per component; the total counts the users of both (100,000 - 10,000 free) x $0.015 = $1,350.
    close(costOf(r, f.id, 'aws-cognito').monthlyUsd.likely, 750);
    close(totalOf(r, 'aws-cognito').monthlyUsd.likely, 1350);
    // Step Functions: 4 transitions per run by default for a worker: 4M x $0.025/1k = $100; free 4,000 -> $99.90.
    close(costOf(r, w.id, 'aws-step-functions').monthlyUsd.likely, 100);
    close(totalOf(r, 'aws-step-functions').monthlyUsd.likely, 99.9);
  });
});

describe('cost: free tier applied once across components', () => {
  it('two 100M components on x86: $123.3335 gross, one $6.86668 free tier', () => {
    const r = run(
      [comp('http:GET:/a'), comp('http:GET:/b')],
      profile({ requestsPerMonth: 100e6, durationMs: 200, memoryMb: 128 }, true),
    );
    const t = totalOf(r, 'aws-lambda-x86');
    close(t.components.likely, 123.3335);
    close(t.freeTier.likely, -6.86668);
    close(t.monthlyUsd.likely, 116.46682);
  });
});
