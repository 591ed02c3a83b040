// Property: totals equal the sum of their parts and never count a free tier twice, over random profiles.
import * as assert from 'node:assert/strict';
import { amount, unitPrice, unitTiers } from '../../../src/core/cost/pricing';
import type { CostComponentInput, Scenario } from '../../../src/core/cost/types';
import type { ComponentKind } from '../../../src/core/model';
import { comp, profile, run, shipped } from './costHelpers';

/** mulberry32: a small seeded generator, so a failure replays exactly. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KINDS: ComponentKind[] = [
  'http-route',
  'queue-consumer',
  'scheduled-job',
  'worker',
  'graphql',
  'websocket',
  'function',
];
const SCENARIOS: Scenario[] = ['low', 'likely', 'high'];

/** The most a free tier can be worth, once, per offering (its allowance at its first-tier price). */
function freeTierWorth(offering: string): number {
  const s = shipped();
  switch (offering) {
    case 'aws-lambda-x86':
    case 'aws-lambda-x86-http-api':
      return (
        amount(s, 'aws-lambda.free-requests') * unitPrice(s, 'aws-lambda.requests') +
        amount(s, 'aws-lambda.free-gb-s') * unitTiers(s, 'aws-lambda.duration-x86')[0]!.price
      );
    case 'aws-lambda-arm64':
    case 'aws-lambda-arm64-http-api':
      return (
        amount(s, 'aws-lambda.free-requests') * unitPrice(s, 'aws-lambda.requests') +
        amount(s, 'aws-lambda.free-gb-s') * unitTiers(s, 'aws-lambda.duration-arm64')[0]!.price
      );
    case 'azure-functions-flex':
      return (
        amount(s, 'azure-functions-flex.free-executions') * unitPrice(s, 'azure-functions-flex.executions') +
        amount(s, 'azure-functions-flex.free-gb-s') * unitPrice(s, 'azure-functions-flex.gb-s')
      );
    case 'gcp-cloud-run-functions':
      return (
        amount(s, 'gcp-cloud-run-functions.free-requests') * unitPrice(s, 'gcp-cloud-run-functions.requests') +
        amount(s, 'gcp-cloud-run-functions.free-vcpu-s') * unitPrice(s, 'gcp-cloud-run-functions.vcpu-s') +
        amount(s, 'gcp-cloud-run-functions.free-gib-s') * unitPrice(s, 'gcp-cloud-run-functions.gib-s')
      );
    case 'gcp-cloud-run-instance':
      return (
        amount(s, 'gcp-cloud-run-instance.free-vcpu-s') * unitPrice(s, 'gcp-cloud-run-instance.vcpu-s') +
        amount(s, 'gcp-cloud-run-instance.free-gib-s') * unitPrice(s, 'gcp-cloud-run-instance.gib-s')
      );
    case 'aws-sqs':
      return amount(s, 'aws-sqs.free-requests') * unitTiers(s, 'aws-sqs.requests')[0]!.price;
    case 'aws-eventbridge-scheduler':
      return (
        amount(s, 'aws-eventbridge-scheduler.free-invocations') * unitPrice(s, 'aws-eventbridge-scheduler.invocations')
      );
    case 'aws-dynamodb':
      return amount(s, 'aws-dynamodb.free-storage') * unitPrice(s, 'aws-dynamodb.storage');
    case 'aws-cognito':
      return amount(s, 'aws-cognito.free-mau') * unitPrice(s, 'aws-cognito.essentials-mau');
    case 'aws-step-functions':
      return amount(s, 'aws-step-functions.free-transitions') * unitPrice(s, 'aws-step-functions.state-transitions');
    default:
      return 0;
  }
}

function randomCase(next: () => number): { components: CostComponentInput[]; p: ReturnType<typeof profile> } {
  const n = 1 + Math.floor(next() * 6);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const components = Array.from({ length: n }, (_, i) =>
    comp(`c${i}`, pick(KINDS), {
      hazards: next() < 0.3 ? [pick(['in-memory-session', 'local-fs-write', 'module-state'] as const)] : [],
      latencyCritical: next() < 0.2,
    }),
  );
  const durationMs = 1 + next() * 3000;
  const p = profile(
    {
      requestsPerMonth: Math.floor(10 ** (next() * 10)),
      durationMs,
      cpuMs: next() * durationMs,
      memoryMb: 128 + Math.floor(next() * 4000),
      payloadKb: next() * 300,
      peakToAverage: 1 + next() * 10,
      storageGb: next() < 0.5 ? next() * 100 : 0,
      monthlyActiveUsers: next() < 0.3 ? Math.floor(next() * 50000) : 0,
    },
    next() < 0.7,
    components.map((c) => ({
      pattern: c.id,
      glob: false,
      usage: { requestsPerMonth: Math.floor(10 ** (next() * 9)), memoryMb: 128 + Math.floor(next() * 2000) },
    })),
  );
  return { components, p };
}

describe('cost totals (property, seeded)', function () {
  this.timeout(120_000);

  it('total = components + account adjustment + free tier, each part as listed, for 40 random profiles', () => {
    const next = rng(20261127);
    for (let i = 0; i < 40; i++) {
      const { components, p } = randomCase(next);
      const r = run(components, p);
      for (const t of r.totals) {
        for (const s of SCENARIOS) {
          const sum = r.components.reduce(
            (a, c) => a + (c.costs.find((x) => x.offering === t.offering)?.monthlyUsd[s] ?? 0),
            0,
          );
          const where = `case ${i} ${t.offering} ${s}`;
          assert.ok(Math.abs(t.components[s] - sum) < 1e-5, `${where}: components ${t.components[s]} != sum ${sum}`);
          assert.ok(
            Math.abs(t.monthlyUsd[s] - (t.components[s] + t.accountAdjustment[s] + t.freeTier[s])) < 1e-5,
            `${where}: parts do not add up`,
          );
          // The free tier is a credit, worth at most one allowance, and none when it is off.
          assert.ok(t.freeTier[s] <= 1e-9, `${where}: free tier is a charge`);
          assert.ok(
            -t.freeTier[s] <= freeTierWorth(t.offering) + 1e-6,
            `${where}: free tier ${t.freeTier[s]} exceeds one allowance`,
          );
          if (!p.freeTier) assert.equal(t.freeTier[s], 0, where);
        }
        const lines = Object.values(t.breakdown).reduce((a, b) => a + b, 0);
        assert.ok(
          Math.abs(lines - t.monthlyUsd.likely) < 1e-4,
          `case ${i} ${t.offering}: breakdown ${lines} != ${t.monthlyUsd.likely}`,
        );
      }
      for (const c of r.components) {
        for (const o of c.costs) {
          const lines = Object.values(o.breakdown).reduce((a, b) => a + b, 0);
          assert.ok(
            Math.abs(lines - o.monthlyUsd.likely) < 1e-4,
            `case ${i} ${c.id} ${o.offering}: breakdown does not add up`,
          );
          assert.ok(
            o.monthlyUsd.low <= o.monthlyUsd.likely + 1e-9 && o.monthlyUsd.likely <= o.monthlyUsd.high + 1e-9,
            `case ${i} ${o.offering}: range out of order`,
          );
        }
      }
    }
  });

  it('splitting one workload into N equal components never multiplies the free tier', () => {
    const next = rng(7);
    for (let i = 0; i < 15; i++) {
      const n = 2 + Math.floor(next() * 5);
      const usage = {
        requestsPerMonth: Math.floor(10 ** (3 + next() * 5)),
        durationMs: 1 + Math.floor(next() * 2000),
        memoryMb: 128 * (1 + Math.floor(next() * 8)),
        cpuMs: 1,
      };
      const one = run([comp('all')], profile({ ...usage, requestsPerMonth: usage.requestsPerMonth * n }, true), {
        providers: ['aws', 'gcp', 'azure'],
      });
      const split = run(
        Array.from({ length: n }, (_, k) => comp(`part${k}`)),
        profile(usage, true),
        { providers: ['aws', 'gcp', 'azure'] },
      );
      // Azure Flex is left out on purpose: its billed time depends on each function's own arrival rate (activity
      // periods merge), so splitting really changes its bill; its free tier is still applied once (first test).
      for (const id of ['aws-lambda-x86', 'aws-lambda-arm64-http-api', 'gcp-cloud-run-functions']) {
        const a = one.totals.find((t) => t.offering === id)!;
        const b = split.totals.find((t) => t.offering === id)!;
        // Same account bill and the same single free tier, however the work is split.
        assert.ok(
          Math.abs(a.monthlyUsd.likely - b.monthlyUsd.likely) < 1e-4 * Math.max(1, a.monthlyUsd.likely),
          `case ${i} ${id}: ${a.monthlyUsd.likely} vs ${b.monthlyUsd.likely}`,
        );
        assert.ok(
          Math.abs(a.freeTier.likely - b.freeTier.likely) < 1e-4,
          `case ${i} ${id}: free tier ${a.freeTier.likely} vs ${b.freeTier.likely}`,
        );
      }
    }
  });
});
