import type { PricingSnapshot } from './pricing';
import type { ComponentUsage, CostSubject, OfferingRole, Provider } from './types';

/** Additive metered quantities of one component (or, summed, of the account) for one scenario. */
export type Meters = Record<string, number>;

/**
 * `account: false` prices one component on its own: no free tier, no included usage, no subscription, volume tiers as
 * if alone, a container fleet of its own. `account: true` prices the summed meters of every component once, with the
 * free tier when `freeTier`.
 */
export interface ChargeMode {
  account: boolean;
  freeTier: boolean;
}

export interface Charges {
  /** USD by line; the charge is their sum. */
  lines: Record<string, number>;
  /** Containers: instances running around the clock. */
  instances?: number;
  /** Containers: requests the fleet can hold in flight. */
  capacity?: number;
}

/** One offering's calculator. All of them share the usage model (ComponentUsage) and this two-step shape. */
export interface OfferingCalculator {
  id: string;
  provider: Provider;
  role: OfferingRole;
  /** The pricing figures it reads (`<offering>.<key>`): unverified ones are listed in its assumptions. */
  figures: readonly string[];
  /** Whether it prices this component at all (a baas service only prices what it could replace). */
  applies(c: CostSubject, u: ComponentUsage): boolean;
  /** Metered quantities for one component, with `u.requestsPerMonth` already scaled to the scenario. */
  meter(u: ComponentUsage, c: CostSubject, s: PricingSnapshot): Meters;
  charge(m: Meters, s: PricingSnapshot, mode: ChargeMode): Charges;
  /** What a component's figure rests on, in words. */
  assumptions(u: ComponentUsage, c: CostSubject, s: PricingSnapshot): string[];
  /** What the account total rests on (free tier, minimums, pooling). */
  accountAssumptions(s: PricingSnapshot, mode: ChargeMode): string[];
}

export const sumLines = (c: Charges): number => Object.values(c.lines).reduce((a, b) => a + b, 0);

/** Cost of `quantity` units through ascending tiers (`upTo` in units, null = no end), USD per unit. */
export function tieredCost(quantity: number, tiers: readonly { upTo: number | null; price: number }[]): number {
  let cost = 0;
  let from = 0;
  for (const t of tiers) {
    if (quantity <= from) break;
    const to = t.upTo ?? Infinity;
    cost += (Math.min(quantity, to) - from) * t.price;
    from = to;
  }
  return cost;
}

/** Duration billed for one invocation: rounded up to `stepMs`, at least `minMs`. */
export function billedMs(durationMs: number, stepMs: number, minMs = 0): number {
  // The epsilon keeps 200 ms from becoming 201 ms through floating-point noise (200.00000000000003).
  return Math.max(minMs, Math.ceil(durationMs / stepMs - 1e-9) * stepMs);
}

export const MB_PER_GB = 1024;

/** The account's free allowance applied to a quantity. */
export const afterFree = (quantity: number, free: number, mode: ChargeMode): number =>
  mode.account && mode.freeTier ? Math.max(0, quantity - free) : quantity;

export const usd = (n: number): string => `$${n.toFixed(n !== 0 && Math.abs(n) < 0.01 ? 6 : 2)}`;
export const num = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 3 });
