import type { CostRange } from '../model';
import { OFFERINGS } from './catalog';
import { fleetInstances } from './fleet';
import { sumLines, type ChargeMode, type Meters, type OfferingCalculator } from './offering';
import { figure, figureRef, unverifiedLine, type PricingSnapshot } from './pricing';
import type {
  Arch,
  BreakEven,
  ComponentCost,
  ComponentUsage,
  CostComponentInput,
  CostCurve,
  CostResult,
  FigureRef,
  OfferingCost,
  OfferingTotal,
  Provider,
  Scenario,
} from './types';
import { KIND_DEFAULTS_BASIS, resolveUsage, type UsageProfile } from './usage';

export interface EstimateOptions {
  /** Serverless and managed-service offerings of these providers only (default: all). */
  providers?: Provider[];
  /** Lambda and Fargate on this architecture only (default: both). */
  arch?: Arch;
}

const COMPONENT_MODE: ChargeMode = { account: false, freeTier: false };
/** Break-even search range, requests per month. */
const SEARCH_FROM = 100;
const SEARCH_TO = 1e12;
const STEPS_PER_DECADE = 8;
/** Curve points: the likely volume times 10^(k/4), k = -8..12 (1/100 to 1000 times). */
const CURVE_EXPONENTS = Array.from({ length: 21 }, (_, i) => (i - 8) / 4);

/** Money in the result: rounded to a millionth of a dollar, so that sums stay exact to the cent. */
const r6 = (n: number): number => Math.round(n * 1e6) / 1e6;
const range = (f: (s: Scenario) => number): CostRange => ({
  low: r6(f('low')),
  likely: r6(f('likely')),
  high: r6(f('high')),
});
const roundLines = (lines: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(lines).map(([k, v]) => [k, r6(v)]));

interface Priced {
  c: CostComponentInput;
  usage: ComponentUsage;
  calcs: OfferingCalculator[];
}

function select(opts: EstimateOptions): OfferingCalculator[] {
  const providerOk = (o: OfferingCalculator): boolean => !opts.providers || opts.providers.includes(o.provider);
  const archOk = (o: OfferingCalculator): boolean => {
    if (!opts.arch) return true;
    const other = opts.arch === 'x86' ? 'arm64' : 'x86';
    return !o.id.startsWith(`aws-lambda-${other}`) && o.id !== `aws-fargate-${other}`;
  };
  const chosen = OFFERINGS.filter((o) => archOk(o) && (o.role === 'container' || providerOk(o)));
  // Containers are the baseline: those of the chosen providers, or all of them when the providers have none.
  const containers = chosen.filter((o) => o.role === 'container');
  const own = containers.filter(providerOk);
  const keep = new Set(own.length ? own : containers);
  return chosen.filter((o) => o.role !== 'container' || keep.has(o));
}

function scaled(u: ComponentUsage, requestsPerMonth: number): ComponentUsage {
  return { ...u, requestsPerMonth };
}

function unverifiedOf(calc: OfferingCalculator, s: PricingSnapshot): string[] {
  return calc.figures
    .map((id) => figure(s, id))
    .filter((f) => !f.verified && f.applies)
    .map(unverifiedLine);
}

/** Account-level charge of a set of components at the given volumes. */
function accountCharge(
  calc: OfferingCalculator,
  items: { u: ComponentUsage; c: CostComponentInput }[],
  s: PricingSnapshot,
  mode: ChargeMode,
) {
  const sum: Meters = {};
  for (const { u, c } of items) for (const [k, v] of Object.entries(calc.meter(u, c, s))) sum[k] = (sum[k] ?? 0) + v;
  return { sum, charges: calc.charge(sum, s, mode) };
}

/**
 * Prices every component on every selected offering for the low / likely / high scenarios, totals each offering for
 * the account (free tier applied once), and finds where always-on containers become cheaper.
 */
export function estimate(
  components: readonly CostComponentInput[],
  profile: UsageProfile,
  snapshot: PricingSnapshot,
  opts: EstimateOptions = {},
): CostResult {
  const calcs = select(opts);
  const sc = profile.scenarios;
  const accountMode: ChargeMode = { account: true, freeTier: profile.freeTier };
  const noFree: ChargeMode = { account: true, freeTier: false };
  const used = new Set<OfferingCalculator>();
  let anyDefaults = false;

  const priced: Priced[] = [];
  const componentCosts: ComponentCost[] = components.map((c) => {
    const { usage, origin, usedDefaults } = resolveUsage(c, profile);
    anyDefaults ||= usedDefaults;
    const applicable = calcs.filter((o) => o.applies(c, usage));
    priced.push({ c, usage, calcs: applicable });
    const costs: OfferingCost[] = applicable.map((o) => {
      used.add(o);
      const at = (s: Scenario) =>
        o.charge(o.meter(scaled(usage, usage.requestsPerMonth * sc[s]), c, snapshot), snapshot, COMPONENT_MODE);
      const likely = at('likely');
      return {
        offering: o.id,
        provider: o.provider,
        role: o.role,
        monthlyUsd: range((s) => sumLines(at(s))),
        breakdown: roundLines(likely.lines),
        assumptions: [
          ...o.assumptions(usage, c, snapshot),
          'Before free tiers, included usage and account minimums: those apply once, to the total.',
          ...unverifiedOf(o, snapshot),
        ],
      };
    });
    return {
      id: c.id,
      kind: c.kind,
      usage,
      usageOrigin: origin,
      usedDefaults,
      costs,
      breakEven: componentBreakEven(c, usage, applicable, snapshot),
    };
  });

  const totals: OfferingTotal[] = [];
  for (const o of calcs) {
    const items = priced.filter((p) => p.calcs.includes(o));
    if (!items.length) continue;
    const at = (s: Scenario, mode: ChargeMode) =>
      accountCharge(
        o,
        items.map((p) => ({ u: scaled(p.usage, p.usage.requestsPerMonth * sc[s]), c: p.c })),
        snapshot,
        mode,
      ).charges;
    const compSum = (s: Scenario): number =>
      componentCosts.reduce((a, cc) => a + (cc.costs.find((x) => x.offering === o.id)?.monthlyUsd[s] ?? 0), 0);
    const gross = (s: Scenario): number => sumLines(at(s, noFree));
    const net = (s: Scenario): number => sumLines(at(s, accountMode));
    const likelyGross = at('likely', noFree);
    const breakdown = roundLines(likelyGross.lines);
    const credit = r6(net('likely')) - r6(gross('likely'));
    if (credit !== 0) breakdown.freeTier = r6(credit);
    const components = range(compSum);
    const bill = range(net);
    const grossR = range(gross);
    totals.push({
      offering: o.id,
      provider: o.provider,
      role: o.role,
      monthlyUsd: bill,
      components,
      accountAdjustment: range((s) => grossR[s] - components[s]),
      freeTier: range((s) => bill[s] - grossR[s]),
      breakdown,
      assumptions: [...o.accountAssumptions(snapshot, accountMode), ...unverifiedOf(o, snapshot)],
    });
  }

  const systemBreakEven = totalBreakEven(priced, calcs, snapshot, accountMode);
  const curves = [
    ...priced.map((p) => componentCurve(p, snapshot)),
    ...(priced.length ? [totalCurve(priced, calcs, snapshot, accountMode)] : []),
  ];

  const unverified: FigureRef[] = [];
  const seen = new Set<string>();
  for (const o of used) {
    for (const id of o.figures) {
      const f = figure(snapshot, id);
      if (!f.verified && f.applies && !seen.has(id)) {
        seen.add(id);
        unverified.push(figureRef(f));
      }
    }
  }

  return {
    snapshotDate: snapshot.snapshotDate,
    currency: 'USD',
    scenarios: { ...sc },
    freeTier: profile.freeTier,
    usedDefaults: anyDefaults,
    components: componentCosts,
    totals,
    breakEven: systemBreakEven,
    curves,
    unverified,
    assumptions: [
      `Prices from the pricing snapshot of ${snapshot.snapshotDate} (each figure's own date is in rules/pricing); list prices, no savings plans or reservations.`,
      'A month is 730 hours. Regions: AWS us-east-1, Azure East US, Google Tier 1, Cloudflare global.',
      `Scenarios scale every component's monthly volume: low x${sc.low}, likely x${sc.likely}, high x${sc.high}.`,
      profile.freeTier
        ? "Free tiers are per account: applied once, to each offering's total, never per component."
        : 'Free tiers not applied (freeTier: false).',
      'Not priced: data transfer and egress, NAT gateways, load balancers, logs and monitoring (not in the research), which often matter for small functions.',
      ...(anyDefaults
        ? [`Usage defaults were used (no profile, or figures it leaves out). ${KIND_DEFAULTS_BASIS}`]
        : []),
    ],
  };
}

/** Serverless offerings paired with the containers they are compared against: same provider (and arch), else all. */
function pairs(calcs: readonly OfferingCalculator[]): [OfferingCalculator, OfferingCalculator][] {
  const containers = calcs.filter((o) => o.role === 'container');
  const out: [OfferingCalculator, OfferingCalculator][] = [];
  for (const f of calcs.filter((o) => o.role === 'function')) {
    const arch = /-(x86|arm64)/.exec(f.id)?.[1];
    let mine = containers.filter(
      (k) => k.provider === f.provider && (!arch || !k.id.startsWith('aws-fargate') || k.id.endsWith(arch)),
    );
    if (!mine.length) mine = containers;
    for (const k of mine) out.push([f, k]);
  }
  return out;
}

/**
 * First volume at which the container costs no more than the function, searched on a log grid (8 steps a decade)
 * and refined by bisection. Container cost is a staircase, so a crossing narrower than a grid step can be missed.
 */
function crossing(diff: (v: number) => number): { at: number | null } {
  if (diff(SEARCH_FROM) >= 0) return { at: 0 };
  let prev = SEARCH_FROM;
  const steps = Math.round(Math.log10(SEARCH_TO / SEARCH_FROM) * STEPS_PER_DECADE);
  for (let i = 1; i <= steps; i++) {
    const v = SEARCH_FROM * 10 ** (i / STEPS_PER_DECADE);
    if (diff(v) >= 0) {
      let lo = prev;
      let hi = v;
      for (let k = 0; k < 200 && hi - lo > 0.5; k++) {
        const mid = (lo + hi) / 2;
        if (diff(mid) >= 0) hi = mid;
        else lo = mid;
      }
      return { at: hi };
    }
    prev = v;
  }
  return { at: null };
}

function breakEvenEntry(
  f: OfferingCalculator,
  k: OfferingCalculator,
  at: number | null,
  likely: number,
  container: (v: number) => { instances: number; avgInstances: number },
  note: string,
): BreakEven {
  const fleet = at !== null && at > 0 ? container(at) : undefined;
  return {
    serverless: f.id,
    container: k.id,
    requestsPerMonth: at === null ? null : Math.round(at),
    multipleOfLikely: at !== null && likely > 0 ? r6(at / likely) : null,
    containerUtilisation: fleet ? r6(fleet.avgInstances / fleet.instances) : null,
    containerInstances: fleet ? fleet.instances : null,
    searchedUpTo: SEARCH_TO,
    note:
      at === null
        ? `${f.id} stays cheaper than ${k.id} up to ${SEARCH_TO.toExponential()} requests a month. ${note}`
        : at === 0
          ? `${k.id} is cheaper at any volume. ${note}`
          : `${k.id} becomes cheaper at ${Math.round(at).toLocaleString('en-US')} requests a month. ${note}`,
  };
}

function componentBreakEven(
  c: CostComponentInput,
  usage: ComponentUsage,
  applicable: OfferingCalculator[],
  s: PricingSnapshot,
): BreakEven[] {
  // The grid is the same for every pair: each offering's cost at a volume is computed once.
  const memo = new Map<string, number>();
  const cost = (o: OfferingCalculator, v: number): number => {
    const key = `${o.id}|${v}`;
    let x = memo.get(key);
    if (x === undefined) memo.set(key, (x = sumLines(o.charge(o.meter(scaled(usage, v), c, s), s, COMPONENT_MODE))));
    return x;
  };
  return pairs(applicable).map(([f, k]) => {
    const { at } = crossing((v) => cost(f, v) - cost(k, v));
    const fleet = (v: number) => {
      const m = k.meter(scaled(usage, v), c, s);
      return { instances: fleetInstances(m), avgInstances: m.avgInstances! };
    };
    return breakEvenEntry(
      f,
      k,
      at,
      usage.requestsPerMonth,
      fleet,
      'This component alone, before free tiers; its own fleet of at least 2 instances.',
    );
  });
}

/** Each component's share of the system's volume (equal shares when the likely volume is zero). */
function shares(priced: readonly Priced[]): number[] {
  const total = priced.reduce((a, p) => a + p.usage.requestsPerMonth, 0);
  return priced.map((p) => (total > 0 ? p.usage.requestsPerMonth / total : 1 / priced.length));
}

function systemCost(
  o: OfferingCalculator,
  priced: readonly Priced[],
  sh: number[],
  v: number,
  s: PricingSnapshot,
  mode: ChargeMode,
) {
  const items = priced.flatMap((p, i) => (p.calcs.includes(o) ? [{ u: scaled(p.usage, v * sh[i]!), c: p.c }] : []));
  return accountCharge(o, items, s, mode);
}

function totalBreakEven(
  priced: readonly Priced[],
  calcs: readonly OfferingCalculator[],
  s: PricingSnapshot,
  mode: ChargeMode,
): BreakEven[] {
  if (!priced.length) return [];
  const sh = shares(priced);
  const likely = priced.reduce((a, p) => a + p.usage.requestsPerMonth, 0);
  const memo = new Map<string, number>();
  const cost = (o: OfferingCalculator, v: number): number => {
    const key = `${o.id}|${v}`;
    let x = memo.get(key);
    if (x === undefined) memo.set(key, (x = sumLines(systemCost(o, priced, sh, v, s, mode).charges)));
    return x;
  };
  return pairs(calcs).map(([f, k]) => {
    const { at } = crossing((v) => cost(f, v) - cost(k, v));
    const fleet = (v: number) => {
      const { sum, charges } = systemCost(k, priced, sh, v, s, mode);
      return { instances: charges.instances ?? fleetInstances(sum), avgInstances: sum.avgInstances ?? 0 };
    };
    return breakEvenEntry(
      f,
      k,
      at,
      likely,
      fleet,
      "Whole system: every component scaled together at today's mix, free tier once, one shared fleet of at least 2 instances.",
    );
  });
}

function curveVolumes(likely: number): number[] {
  const base = likely > 0 ? likely : 1e6;
  return CURVE_EXPONENTS.map((e) => Math.round(base * 10 ** e));
}

function componentCurve(p: Priced, s: PricingSnapshot): CostCurve {
  const volumes = curveVolumes(p.usage.requestsPerMonth);
  return {
    scope: p.c.id,
    requestsPerMonth: volumes,
    series: p.calcs
      .filter((o) => o.role !== 'baas')
      .map((o) => ({
        offering: o.id,
        role: o.role,
        monthlyUsd: volumes.map((v) => r6(sumLines(o.charge(o.meter(scaled(p.usage, v), p.c, s), s, COMPONENT_MODE)))),
      })),
  };
}

function totalCurve(
  priced: readonly Priced[],
  calcs: readonly OfferingCalculator[],
  s: PricingSnapshot,
  mode: ChargeMode,
): CostCurve {
  const sh = shares(priced);
  const volumes = curveVolumes(priced.reduce((a, p) => a + p.usage.requestsPerMonth, 0));
  return {
    scope: 'total',
    requestsPerMonth: volumes,
    series: calcs
      .filter((o) => o.role !== 'baas' && priced.some((p) => p.calcs.includes(o)))
      .map((o) => ({
        offering: o.id,
        role: o.role,
        monthlyUsd: volumes.map((v) => r6(sumLines(systemCost(o, priced, sh, v, s, mode).charges))),
      })),
  };
}
