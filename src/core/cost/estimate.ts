import type { CostRange } from '../model';
import { OFFERINGS } from './catalog';
import { curveVolumes } from './curveVolumes';
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
  CostSubject,
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
  /** What the calculators see of it. */
  subject: CostSubject;
  /** Its shape: components of one shape have the same usage and subject, hence the same meters at a volume. */
  shape: string;
}

/** The prices of one shape (usage and subject): the same for every component of that shape. */
interface ShapePrices {
  applicable: OfferingCalculator[];
  costs: OfferingCost[];
  /** `costs` by offering. */
  costOf: Map<string, OfferingCost>;
  breakEven: BreakEven[];
  curve: Pick<CostCurve, 'requestsPerMonth' | 'series'>;
}

/** What estimate() computes from every component at once. */
interface SystemPrices {
  totals: OfferingTotal[];
  breakEven: BreakEven[];
  curve: CostCurve | undefined;
}

/**
 * What an incremental session keeps between estimates: prices per shape, and the system's figures for the last
 * sequence of shapes. Both are valid for one pricing snapshot, offering selection and set of scenarios (`context`).
 */
export interface EstimateMemory {
  context: string;
  snapshot: PricingSnapshot | undefined;
  shapes: Map<string, ShapePrices>;
  system: { key: string; prices: SystemPrices } | undefined;
  /** The meters the system's figures summed, per shape, offering and volume (see MeterMemo). */
  meters: Map<string, ShapeMeters>;
}

export function newEstimateMemory(): EstimateMemory {
  return { context: '', snapshot: undefined, shapes: new Map(), system: undefined, meters: new Map() };
}

/** One component's meters: quantities in the calculator's order, and each meter's slot in its offering's table. */
interface Entries {
  values: Float64Array;
  slots: Int32Array;
}

/** Per offering, its meters' names by slot: the system's sums run over slots, not object properties. */
const meterTables = new WeakMap<OfferingCalculator, { slot: Map<string, number>; names: string[] }>();

function meterTable(calc: OfferingCalculator): { slot: Map<string, number>; names: string[] } {
  let t = meterTables.get(calc);
  if (!t) meterTables.set(calc, (t = { slot: new Map(), names: [] }));
  return t;
}

function entriesOf(calc: OfferingCalculator, m: Meters): Entries {
  const t = meterTable(calc);
  const names = Object.keys(m);
  const values = new Float64Array(names.length);
  const slots = new Int32Array(names.length);
  names.forEach((name, k) => {
    values[k] = m[name]!;
    let slot = t.slot.get(name);
    if (slot === undefined) {
      t.slot.set(name, (slot = t.names.length));
      t.names.push(name);
    }
    slots[k] = slot;
  });
  return { values, slots };
}

/** One shape's meters by offering and volume. */
type ShapeMeters = Map<OfferingCalculator, Map<number, Entries>>;

/**
 * The meters of each shape at each volume the system's figures need: a shape's meters at a volume are the same for
 * every component of that shape, and (with a memory) from one estimate to the next while the volume is the same,
 * which it is as long as the mix of volumes is. Only what this estimate used is handed on.
 */
class MeterMemo {
  readonly used = new Map<string, ShapeMeters>();
  /** By shape index (see System): what this estimate used, and what the last one did. */
  private readonly mine: ShapeMeters[] = [];
  private readonly before: (ShapeMeters | undefined)[] = [];

  constructor(
    private readonly snapshot: PricingSnapshot,
    private readonly previous?: Map<string, ShapeMeters>,
  ) {}

  /** Registers the shape of index `index` (in order: 0, 1, ...). */
  addShape(shape: string): void {
    const m: ShapeMeters = new Map();
    this.used.set(shape, m);
    this.mine.push(m);
    this.before.push(this.previous?.get(shape));
  }

  entries(calc: OfferingCalculator, index: number, p: Priced, volume: number): Entries {
    const mine = this.mine[index]!;
    let byVolume = mine.get(calc);
    if (!byVolume) mine.set(calc, (byVolume = new Map<number, Entries>()));
    let e = byVolume.get(volume);
    if (!e) {
      e =
        this.before[index]?.get(calc)?.get(volume) ??
        entriesOf(calc, calc.meter(scaled(p.usage, volume), p.subject, this.snapshot));
      byVolume.set(volume, e);
    }
    return e;
  }
}

/** The priced components as the system's figures see them. */
interface System {
  priced: readonly Priced[];
  /** Per offering, the priced components it applies to, as runs of one shape: [first index, count, shape index]*. */
  runs: Map<OfferingCalculator, Int32Array>;
  shapes: number;
  meters: MeterMemo;
}

/** What the calculators may read of a component (see CostSubject), with absent fields left absent. */
function subjectOf(c: CostComponentInput): CostSubject {
  const subject: CostSubject = { kind: c.kind };
  if (c.hazards !== undefined) subject.hazards = c.hazards;
  if (c.latencyCritical !== undefined) subject.latencyCritical = c.latencyCritical;
  if (c.coldStart !== undefined) subject.coldStart = { estimateMs: c.coldStart.estimateMs };
  return subject;
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

/**
 * Account-level charge of the priced components the offering applies to, each at its volume. The meters are summed
 * component by component in order, as one would by hand (floating-point sums depend on the order); a shape's meters
 * at a volume are computed once. `volumeOf` must give components of one shape one volume (it does: a volume is a
 * function of the usage, which is part of the shape).
 */
function accountCharge(
  calc: OfferingCalculator,
  sys: System,
  volumeOf: (i: number) => number,
  s: PricingSnapshot,
  mode: ChargeMode,
) {
  const local: (Entries | undefined)[] = new Array<Entries | undefined>(sys.shapes);
  // By slot: the running sum, and the order in which meters first appear (the sum's property order by hand).
  const acc: number[] = [];
  const order: number[] = [];
  const runs = sys.runs.get(calc)!;
  for (let r = 0; r < runs.length; r += 3) {
    const first = runs[r]!;
    const count = runs[r + 1]!;
    const shape = runs[r + 2]!;
    let e = local[shape];
    if (!e) local[shape] = e = sys.meters.entries(calc, shape, sys.priced[first]!, volumeOf(first));
    const { values, slots } = e;
    for (let k = 0; k < values.length; k++) {
      const slot = slots[k]!;
      let sum = acc[slot];
      let c = 0;
      if (sum === undefined) {
        order.push(slot);
        sum = 0 + values[k]!;
        c = 1;
      }
      // The same quantity added once per component of the run, one at a time: what the sum by hand does.
      const q = values[k]!;
      for (; c < count; c++) sum += q;
      acc[slot] = sum;
    }
  }
  const names = meterTable(calc).names;
  const sum: Meters = {};
  for (const slot of order) sum[names[slot]!] = acc[slot]!;
  return { sum, charges: calc.charge(sum, s, mode) };
}

/**
 * Prices every component on every selected offering for the low / likely / high scenarios, totals each offering for
 * the account (free tier applied once), and finds where always-on containers become cheaper. With a memory (an
 * incremental session), prices of shapes and the system's figures computed before are reused: the result is the one
 * an estimate without memory gives.
 */
export function estimate(
  components: readonly CostComponentInput[],
  profile: UsageProfile,
  snapshot: PricingSnapshot,
  opts: EstimateOptions = {},
  memory?: EstimateMemory,
): CostResult {
  const calcs = select(opts);
  const sc = profile.scenarios;
  const accountMode: ChargeMode = { account: true, freeTier: profile.freeTier };
  const context = JSON.stringify([calcs.map((o) => o.id), sc]);
  if (memory && (memory.context !== context || memory.snapshot !== snapshot)) {
    memory.context = context;
    memory.snapshot = snapshot;
    memory.shapes.clear();
    memory.system = undefined;
    memory.meters.clear();
  }
  const shapes = new Map<string, ShapePrices>();
  const used = new Set<OfferingCalculator>();
  let anyDefaults = false;

  const priced: Priced[] = [];
  const componentCosts: ComponentCost[] = components.map((c) => {
    const { usage, origin, usedDefaults } = resolveUsage(c, profile);
    anyDefaults ||= usedDefaults;
    const subject = subjectOf(c);
    const shape = JSON.stringify([usage, subject]);
    let prices = shapes.get(shape) ?? memory?.shapes.get(shape);
    if (!prices) prices = priceShape(usage, subject, calcs, sc, snapshot);
    shapes.set(shape, prices);
    priced.push({ c, usage, calcs: prices.applicable, subject, shape });
    for (const o of prices.applicable) used.add(o);
    return {
      id: c.id,
      kind: c.kind,
      usage,
      usageOrigin: origin,
      usedDefaults,
      costs: prices.costs,
      breakEven: prices.breakEven,
    };
  });

  // The system's figures depend on the sequence of shapes only (the ids do not enter them).
  const systemKey = `${profile.freeTier}\n${priced.map((p) => p.shape).join('\n')}`;
  let system = memory?.system?.key === systemKey ? memory.system.prices : undefined;
  if (!system) {
    const meters = new MeterMemo(snapshot, memory?.meters);
    system = priceSystem(systemOf(priced, calcs, meters), shapes, calcs, sc, snapshot, accountMode);
    if (memory) memory.meters = meters.used;
  }
  if (memory) {
    // Only the shapes of this estimate are kept: a shape no component has any more is not worth its memory.
    memory.shapes = shapes;
    memory.system = { key: systemKey, prices: system };
  }
  const curves: CostCurve[] = [
    ...priced.map((p) => ({ scope: p.c.id, ...shapes.get(p.shape)!.curve })),
    ...(system.curve ? [system.curve] : []),
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
    totals: system.totals,
    breakEven: system.breakEven,
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

/** One shape on every applicable offering: its costs per scenario, its break-even points and its cost curves. */
function priceShape(
  usage: ComponentUsage,
  subject: CostSubject,
  calcs: readonly OfferingCalculator[],
  sc: Record<Scenario, number>,
  snapshot: PricingSnapshot,
): ShapePrices {
  const applicable = calcs.filter((o) => o.applies(subject, usage));
  const costs: OfferingCost[] = applicable.map((o) => {
    const at = (s: Scenario) =>
      o.charge(o.meter(scaled(usage, usage.requestsPerMonth * sc[s]), subject, snapshot), snapshot, COMPONENT_MODE);
    const likely = at('likely');
    return {
      offering: o.id,
      provider: o.provider,
      role: o.role,
      monthlyUsd: range((s) => sumLines(at(s))),
      breakdown: roundLines(likely.lines),
      assumptions: [
        ...o.assumptions(usage, subject, snapshot),
        'Before free tiers, included usage and account minimums: those apply once, to the total.',
        ...unverifiedOf(o, snapshot),
      ],
    };
  });
  return {
    applicable,
    costs,
    costOf: new Map(costs.map((c) => [c.offering, c])),
    breakEven: componentBreakEven(subject, usage, applicable, snapshot),
    curve: componentCurve(usage, subject, applicable, snapshot),
  };
}

/** The account totals per offering, the system's break-even points and its cost curve. */
function priceSystem(
  sys: System,
  shapes: ReadonlyMap<string, ShapePrices>,
  calcs: readonly OfferingCalculator[],
  sc: Record<Scenario, number>,
  snapshot: PricingSnapshot,
  accountMode: ChargeMode,
): SystemPrices {
  const noFree: ChargeMode = { account: true, freeTier: false };
  const { priced } = sys;
  const totals: OfferingTotal[] = [];
  for (const o of calcs) {
    if (!sys.runs.get(o)!.length) continue;
    const at = (s: Scenario, mode: ChargeMode) =>
      accountCharge(o, sys, (i) => priced[i]!.usage.requestsPerMonth * sc[s], snapshot, mode).charges;
    // Every component's figure, in component order (what a sum by hand over the report's components gives).
    const compSum = (s: Scenario): number =>
      priced.reduce((a, p) => a + (shapes.get(p.shape)!.costOf.get(o.id)?.monthlyUsd[s] ?? 0), 0);
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
  return {
    totals,
    breakEven: totalBreakEven(sys, calcs, snapshot, accountMode),
    curve: priced.length ? totalCurve(sys, calcs, snapshot, accountMode) : undefined,
  };
}

function systemOf(priced: readonly Priced[], calcs: readonly OfferingCalculator[], meters: MeterMemo): System {
  const shapeIds = new Map<string, number>();
  const runs = new Map<OfferingCalculator, number[]>(calcs.map((o) => [o, []]));
  priced.forEach((p, i) => {
    let shape = shapeIds.get(p.shape);
    if (shape === undefined) {
      shapeIds.set(p.shape, (shape = shapeIds.size));
      meters.addShape(p.shape);
    }
    for (const o of p.calcs) {
      const list = runs.get(o);
      if (!list) continue;
      const n = list.length;
      // Components the offering applies to that follow each other (the others are skipped) with one shape: one run.
      if (n && list[n - 1] === shape) list[n - 2]!++;
      else list.push(i, 1, shape);
    }
  });
  return {
    priced,
    runs: new Map([...runs].map(([o, list]) => [o, Int32Array.from(list)])),
    shapes: shapeIds.size,
    meters,
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
  c: CostSubject,
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

function systemCost(o: OfferingCalculator, sys: System, sh: number[], v: number, s: PricingSnapshot, mode: ChargeMode) {
  return accountCharge(o, sys, (i) => v * sh[i]!, s, mode);
}

function totalBreakEven(
  sys: System,
  calcs: readonly OfferingCalculator[],
  s: PricingSnapshot,
  mode: ChargeMode,
): BreakEven[] {
  const { priced } = sys;
  if (!priced.length) return [];
  const sh = shares(priced);
  const likely = priced.reduce((a, p) => a + p.usage.requestsPerMonth, 0);
  const memo = new Map<string, number>();
  const cost = (o: OfferingCalculator, v: number): number => {
    const key = `${o.id}|${v}`;
    let x = memo.get(key);
    if (x === undefined) memo.set(key, (x = sumLines(systemCost(o, sys, sh, v, s, mode).charges)));
    return x;
  };
  return pairs(calcs).map(([f, k]) => {
    const { at } = crossing((v) => cost(f, v) - cost(k, v));
    const fleet = (v: number) => {
      const { sum, charges } = systemCost(k, sys, sh, v, s, mode);
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

function componentCurve(
  usage: ComponentUsage,
  subject: CostSubject,
  applicable: readonly OfferingCalculator[],
  s: PricingSnapshot,
): Pick<CostCurve, 'requestsPerMonth' | 'series'> {
  const volumes = curveVolumes(usage.requestsPerMonth);
  return {
    requestsPerMonth: volumes,
    series: applicable
      .filter((o) => o.role !== 'baas')
      .map((o) => ({
        offering: o.id,
        role: o.role,
        monthlyUsd: volumes.map((v) =>
          r6(sumLines(o.charge(o.meter(scaled(usage, v), subject, s), s, COMPONENT_MODE))),
        ),
      })),
  };
}

function totalCurve(
  sys: System,
  calcs: readonly OfferingCalculator[],
  s: PricingSnapshot,
  mode: ChargeMode,
): CostCurve {
  const { priced } = sys;
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
        monthlyUsd: volumes.map((v) => r6(sumLines(systemCost(o, sys, sh, v, s, mode).charges))),
      })),
  };
}
