// Result types of the cost model. Everything here is plain, JSON-serialisable data: it goes into the report as is.
import type { ComponentKind, CostRange, Hazard, Trigger } from '../model';

export type Provider = 'aws' | 'azure' | 'gcp' | 'cloudflare';
export type Arch = 'x86' | 'arm64';
export type Scenario = 'low' | 'likely' | 'high';

/** What an offering is to the component: where it runs (`function`, `container`) or what replaces part of it (`baas`). */
export type OfferingRole = 'function' | 'container' | 'baas';

/** A problem in a pricing file or a usage profile, at a 1-based line and column. */
export interface CostProblem {
  file: string;
  line: number;
  column: number;
  severity: 'error' | 'warning';
  message: string;
  /** What to change. */
  fix?: string;
}

/** One figure of the pricing snapshot, as used by an estimate. */
export interface FigureRef {
  /** `<offering>.<figure>`, e.g. `azure-functions-flex.gb-s`. */
  id: string;
  /** The price, amount or (for tiers) the first tier's price. */
  value: number | null;
  unit: string;
  source: string;
  asOf: string;
  verify: string;
  note?: string;
}

/** The usage one component is estimated with (the `likely` scenario; other scenarios scale `requestsPerMonth`). */
export interface ComponentUsage {
  requestsPerMonth: number;
  durationMs: number;
  /** CPU time per request: what CPU-billed platforms (Cloudflare Workers) charge. */
  cpuMs: number;
  memoryMb: number;
  payloadKb: number;
  peakToAverage: number;
  /** Concurrent requests one container instance serves (the container baselines' sizing). */
  concurrency: number;
  /** Lambda provisioned concurrency; 0 = none. */
  provisionedConcurrency: number;
  dbReadsPerRequest: number;
  dbWritesPerRequest: number;
  objectGetsPerRequest: number;
  objectPutsPerRequest: number;
  storageGb: number;
  monthlyActiveUsers: number;
  stateTransitionsPerRequest: number;
}

/** Where each usage figure came from: `profile` (serverless-advisor.yaml), `schedule` (the cron) or `default:<kind>`. */
export type UsageOrigin = Record<keyof ComponentUsage, string>;

/** A component as the cost model needs it. Optional fields refine the estimate when the caller knows them. */
export interface CostComponentInput {
  id: string;
  kind: ComponentKind;
  trigger: Trigger;
  /** Hazards found in its code: decide which managed services (baas) could replace parts of it. */
  hazards?: Hazard[];
  /** Latency-critical paths get Lambda provisioned concurrency sized for their peak unless the profile sets it. */
  latencyCritical?: boolean;
  /** From `estimateColdStart`: prices Lambda's billed INIT time. */
  coldStart?: ColdStartEstimate;
}

/** The cost of one component on one offering. */
export interface OfferingCost {
  offering: string;
  provider: Provider;
  role: OfferingRole;
  /**
   * Monthly USD for this component alone, BEFORE free tiers, included usage and account-level minimums (those are
   * per account and are applied once, in the totals). Volume tiers are priced as if this component were alone.
   */
  monthlyUsd: CostRange;
  /** The `likely` scenario's charges by line (e.g. `requests`, `duration`, `gateway`), summing to `monthlyUsd.likely`. */
  breakdown: Record<string, number>;
  /** Everything the figure rests on, including every unverified price it used. */
  assumptions: string[];
}

/** Where the function and the always-on container cost the same. */
export interface BreakEven {
  serverless: string;
  container: string;
  /**
   * Monthly requests at which the container first becomes cheaper; 0 when it is cheaper at any volume, null when
   * the function stays cheaper over the whole range searched (up to `searchedUpTo`).
   */
  requestsPerMonth: number | null;
  /** `requestsPerMonth` divided by the likely volume (null when either is unknown or zero). */
  multipleOfLikely: number | null;
  /** Average busy share of the container fleet's capacity (instances x concurrency) at the break-even volume. */
  containerUtilisation: number | null;
  /** Container instances at the break-even volume. */
  containerInstances: number | null;
  searchedUpTo: number;
  note: string;
}

/** Cost against monthly volume for plotting: one shared x axis, one series per offering. */
export interface CostCurve {
  /** A component id, or `total`. */
  scope: string;
  requestsPerMonth: number[];
  series: { offering: string; role: OfferingRole; monthlyUsd: number[] }[];
}

export interface ComponentCost {
  id: string;
  kind: ComponentKind;
  usage: ComponentUsage;
  usageOrigin: UsageOrigin;
  /** True when at least one usage figure is a per-kind default rather than the team's profile. */
  usedDefaults: boolean;
  costs: OfferingCost[];
  breakEven: BreakEven[];
}

/** An offering's total for the whole system: the per-account free tier and minimums applied exactly once. */
export interface OfferingTotal {
  offering: string;
  provider: Provider;
  role: OfferingRole;
  /** The bill: components + accountAdjustment + freeTier. */
  monthlyUsd: CostRange;
  /** Sum of the components' `monthlyUsd`. */
  components: CostRange;
  /**
   * What pooling the components in one account changes before free tiers: volume tiers on the summed usage, one
   * shared container fleet instead of one per component, subscriptions and included usage. Usually <= 0.
   */
  accountAdjustment: CostRange;
  /** The free tier, applied once to the account's total (<= 0; 0 when `freeTier: false`). */
  freeTier: CostRange;
  /** The likely scenario's charges by line for the account as a whole, summing to `monthlyUsd.likely`. */
  breakdown: Record<string, number>;
  assumptions: string[];
}

export interface CostResult {
  /** Date of the pricing snapshot (the latest `snapshot` of its files). */
  snapshotDate: string;
  currency: 'USD';
  scenarios: Record<Scenario, number>;
  freeTier: boolean;
  /** True when any component's usage rests on per-kind defaults (no profile, or figures the profile leaves out). */
  usedDefaults: boolean;
  components: ComponentCost[];
  totals: OfferingTotal[];
  breakEven: BreakEven[];
  curves: CostCurve[];
  /** Every unverified pricing figure that any estimate above used. */
  unverified: FigureRef[];
  /** Assumptions common to the whole estimate (month length, region, ...). */
  assumptions: string[];
}

/** What the cold-start estimate needs: the runtime and what the handler loads. */
export interface ColdStartInput {
  /** e.g. `nodejs20.x`, `nodejs22.x`, `python3.13`, `java21`, `java21-snapstart`, `dotnet8`, `go`, `rust`, `workers`. */
  runtime: string;
  memoryMb: number;
  arch?: Arch;
  /** Packages the handler imports, with installed bytes and file count when known. */
  packages: { name: string; bytes?: number; files?: number }[];
  /** The handler's own source reachable from it. */
  ownBytes: number;
  ownFiles: number;
  /** Bundled into one file (esbuild / webpack): file count no longer matters. */
  bundled?: boolean;
}

export interface ColdStartEstimate {
  /** An estimate of the INIT duration (code loading), not a measurement. */
  estimateMs: number;
  /** Code loaded at start, KB (1 KB = 1024 bytes). */
  bundleKb: number;
  /** What the number rests on. */
  basis: string;
}
