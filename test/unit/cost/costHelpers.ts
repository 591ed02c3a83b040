import * as assert from 'node:assert/strict';
import { estimate, type EstimateOptions } from '../../../src/core/cost/estimate';
import { loadPricing, type PricingSnapshot } from '../../../src/core/cost/pricing';
import type {
  ComponentUsage,
  CostComponentInput,
  CostResult,
  OfferingCost,
  OfferingTotal,
} from '../../../src/core/cost/types';
import { emptyProfile, type UsageProfile } from '../../../src/core/cost/usage';
import type { ComponentKind, Hazard, Trigger } from '../../../src/core/model';

let cached: PricingSnapshot | undefined;
/** The shipped snapshot, loaded once; it must load without problems. */
export function shipped(): PricingSnapshot {
  if (!cached) {
    const { snapshot, problems } = loadPricing();
    assert.deepEqual(problems, []);
    cached = snapshot;
  }
  return cached;
}

const TRIGGERS: Record<ComponentKind, Trigger> = {
  'http-route': { type: 'http', method: 'GET', path: '/x' },
  'route-group': { type: 'http', method: 'ALL', path: '/x' },
  graphql: { type: 'graphql', path: '/graphql' },
  websocket: { type: 'websocket', path: '/ws' },
  function: { type: 'function', platform: 'aws-lambda' },
  'queue-consumer': { type: 'queue', system: 'bullmq', queue: 'q' },
  'scheduled-job': { type: 'schedule', system: 'node-cron', schedule: 'not a schedule' },
  worker: { type: 'process', system: 'node' },
  cli: { type: 'cli' },
};

export function comp(
  id: string,
  kind: ComponentKind = 'http-route',
  extra: { hazards?: Hazard[]; latencyCritical?: boolean; coldStart?: CostComponentInput['coldStart'] } = {},
): CostComponentInput {
  return { id, kind, trigger: TRIGGERS[kind], ...extra };
}

export function profile(
  defaults: Partial<ComponentUsage>,
  freeTier = false,
  components: UsageProfile['components'] = [],
): UsageProfile {
  return { ...emptyProfile(), defaults, freeTier, components };
}

export function run(components: CostComponentInput[], p: UsageProfile, opts: EstimateOptions = {}): CostResult {
  const r = estimate(components, p, shipped(), opts);
  // The result is plain data.
  assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
  return r;
}

export function costOf(r: CostResult, id: string, offering: string): OfferingCost {
  const c = r.components.find((x) => x.id === id)?.costs.find((x) => x.offering === offering);
  assert.ok(c, `no ${offering} cost for ${id}`);
  return c;
}

export function totalOf(r: CostResult, offering: string): OfferingTotal {
  const t = r.totals.find((x) => x.offering === offering);
  assert.ok(t, `no ${offering} total`);
  return t;
}

/** Equal to the cent, the precision a bill has (and the hand arithmetic in the tests). */
export function usdEqual(actual: number, expected: number, what = ''): void {
  assert.ok(
    Math.abs(actual - expected) < 0.005,
    `${what}: expected $${expected.toFixed(4)}, got $${actual.toFixed(6)}`,
  );
}

/** Equal to 1e-6 (what the result's rounding to a millionth of a dollar keeps). */
export function close(actual: number, expected: number, what = ''): void {
  assert.ok(
    Math.abs(actual - expected) < 2e-6 * Math.max(1, Math.abs(expected)),
    `${what}: expected ${expected}, got ${actual}`,
  );
}
