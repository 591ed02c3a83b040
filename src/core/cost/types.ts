// Result types of the cost model. Everything here is plain, JSON-serialisable data: it goes into the report as is.
import type { ComponentKind, Hazard, Trigger } from '../model';
import type { BreakEven, CostCurve, FigureRef, OfferingCost, OfferingRole, OfferingTotal, Provider } from '../model';

// The report carries these as they are: defined once, in the model.
export type { BreakEven, CostCurve, FigureRef, OfferingCost, OfferingRole, OfferingTotal, Provider };

export type Arch = 'x86' | 'arm64';
export type Scenario = 'low' | 'likely' | 'high';

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

/**
 * What the offering calculators see of a component: its usage aside, everything its prices depend on. Not its id or
 * trigger (the usage already says what they mean for the price), and of the cold start only its duration. Components
 * of the same usage and subject cost the same, so estimate() prices each such shape once, and an incremental session
 * keeps the prices of a shape until it changes.
 */
export interface CostSubject {
  kind: ComponentKind;
  hazards?: Hazard[];
  latencyCritical?: boolean;
  coldStart?: Pick<ColdStartEstimate, 'estimateMs'>;
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
