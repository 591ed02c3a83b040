// The report model: plain, JSON-serialisable data. This is the public contract of `--format json`
// (report.schema.json mirrors it; bump REPORT_SCHEMA_VERSION on any breaking change).

export const REPORT_SCHEMA_VERSION = 1;

export const COMPONENT_KINDS = [
  'http-route',
  'route-group',
  'queue-consumer',
  'scheduled-job',
  'websocket',
  'worker',
  'graphql',
  'function',
  'cli',
] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

export const TARGETS = ['faas', 'edge', 'baas', 'container', 'keep'] as const;
export type Target = (typeof TARGETS)[number];

export const HAZARDS = [
  'module-state',
  'in-memory-session',
  'in-memory-cache',
  'background-timer',
  'long-running',
  'local-fs-write',
  'local-fs-read',
  'connection-pool',
  'child-process',
  'websocket',
  'heavy-dependency',
  'latency-critical',
  'native-module',
  'node-only-api',
] as const;
export type Hazard = (typeof HAZARDS)[number];

export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Root-relative, '/'-separated path; 1-based line and column. */
export interface Location {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export type Trigger =
  | { type: 'http'; method: string; path: string }
  | { type: 'graphql'; path?: string }
  | { type: 'queue'; system: string; queue: string }
  | { type: 'schedule'; system: string; schedule: string }
  | { type: 'websocket'; path?: string; event?: string }
  | { type: 'process'; system: string }
  | { type: 'function'; platform: string; event?: string }
  | { type: 'cli'; command?: string };

export interface Classification {
  target: Target;
  confidence: number;
  reasons: string[];
  blockers: string[];
  alternatives: { target: Target; why: string }[];
}

export interface CostRange {
  low: number;
  likely: number;
  high: number;
}

export interface Component {
  /** Stable across runs and machines: derived from the trigger, never from absolute paths or ordering. */
  id: string;
  kind: ComponentKind;
  name: string;
  framework: string;
  location: Location;
  /** Where the handler's code starts, when it is not at the registration. */
  handler?: Location;
  trigger: Trigger;
  findings: string[];
  classification?: Classification;
  effort?: { points: number };
  coldStart?: { estimateMs: number; bundleKb: number; basis: string };
  /** Monthly cost per offering, before free tiers (those apply once, to the totals). */
  cost?: OfferingCost[];
  /** The usage the costs were computed for, and where each figure came from (profile, default by kind). */
  usage?: { values: Record<string, number>; origin: Record<string, string>; usedDefaults: boolean };
  /** Where always-on containers become cheaper than the functions, per pair of offerings. */
  breakEven?: BreakEven[];
  /** The services outside the code that its reached code talks to (architecture/services.ts). */
  uses?: ServiceUse[];
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

export type Provider = 'aws' | 'azure' | 'gcp' | 'cloudflare';
/** What an offering is to the component: where it runs (`function`, `container`) or what replaces part of it (`baas`). */
export type OfferingRole = 'function' | 'container' | 'baas';

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
/** Cost against monthly volume for plotting: one shared x axis, one series per offering. */
export interface CostCurve {
  /** A component id, or `total`. */
  scope: string;
  requestsPerMonth: number[];
  series: { offering: string; role: OfferingRole; monthlyUsd: number[] }[];
}

export interface CostTotals {
  snapshotDate: string;
  currency: 'USD';
  scenarios: { low: number; likely: number; high: number };
  freeTier: boolean;
  usedDefaults: boolean;
  /** Per offering, the account's monthly total (equal to offerings[i].monthlyUsd). */
  monthlyUsd: Record<string, CostRange>;
  offerings: OfferingTotal[];
  breakEven: BreakEven[];
  curves: CostCurve[];
  unverified: FigureRef[];
  assumptions: string[];
}

export interface Finding {
  /** Stable: derived from the rule and the location. */
  id: string;
  ruleId: string;
  hazard: Hazard;
  severity: Severity;
  message: string;
  location: Location;
  /** The code at the location, trimmed to one or a few lines. */
  evidence: string;
  /** Ids of the components whose handlers reach this code. */
  components: string[];
  fix: string;
  /** For findings that rest on a heuristic or a table: what they rest on. */
  basis?: string;
}

/** A finding that a `// serverless-advisor-ignore <rule-id> -- <reason>` comment suppressed. */
export interface SuppressedFinding extends Finding {
  suppression: { reason: string; location: Location };
}

/** Something wrong in a rule file, an ignore comment or a usage profile: reported, never fatal. */
export interface Problem {
  file: string;
  line: number;
  column: number;
  message: string;
  /** Usage profile problems say whether the value was dropped (error) or only looks wrong (warning). */
  severity?: 'error' | 'warning';
  fix?: string;
}

export interface SkippedFile {
  file: string;
  reason: string;
}

/**
 * A service outside the code that a component talks to (a database, cache, queue, object store, e-mail server or
 * HTTP API), found from the packages its reached code uses and, for HTTP and queues, the literal host or name.
 */
export interface ServiceUse {
  /** The service catalogue key (src/core/architecture/catalog.ts): `postgres`, `redis`, `bullmq`, `s3`, `http`, ... */
  service: string;
  /** The package or API the code reaches it through: `pg`, `ioredis`, `@aws-sdk/client-s3`, `fetch`. */
  via: string;
  /** What in the service, when the code names it literally: a queue or topic, or the host of an HTTP API. */
  resource?: string;
  /** For queues: `enqueue` (adds messages) or `manage` (reads counts, retries, ...). */
  operation?: 'enqueue' | 'manage';
  /** Where the code makes the client or the call. */
  location: Location;
}

/** A process deployed today: an entry file that loads components (`node dist/server.js`), with what it runs. */
export interface DeployedProcess {
  /** `process:<entry file>` (or `process:app` for components no entry file loads). */
  id: string;
  name: string;
  /** Root-relative entry file, when one was found. */
  entry?: string;
  /** Why this is an entry: `package.json main`, `package.json scripts.start`, `not imported by other files`, ... */
  basis: string;
  /** Ids of the components it runs. */
  components: string[];
}

export const ARCHITECTURE_TIERS = ['clients', 'edge', 'gateway', 'functions', 'containers', 'services'] as const;
export type ArchitectureTier = (typeof ARCHITECTURE_TIERS)[number];

/** A box of an architecture diagram: a component, a group of components, a service, a gateway, the clients. */
export interface ArchitectureNode {
  /** Unique in its graph, stable across runs, and safe as a Mermaid id: `[A-Za-z][A-Za-z0-9_]*`. */
  id: string;
  /** Plain text (renderers escape it): a component name, a route prefix, a service name. */
  label: string;
  /**
   * What it stands for: `client`, `component`, `group`, `gateway`, `database`, `cache`, `queue`, `storage`, `search`,
   * `email`, `api`, `cloud`, `scheduler`, `identity`, `websocket-gateway`, `db-proxy`, `state-store`, `workflow`.
   */
  kind: string;
  tier?: ArchitectureTier;
  /** The class to draw it with: the (majority) target of its components, or `external` for what is not our code. */
  style?: Target | 'external';
  /** The cluster (a process) it is drawn in. */
  parent?: string;
  /** More lines for the box: the target, a count, the cost, the cold start. Plain text. */
  details?: string[];
  /** Ids of the components it stands for (the way back to the code). */
  components?: string[];
  /** For a group: its id (pass it in `expanded` to show its members), size and the targets of its members. */
  group?: { id: string; count: number; targets: Partial<Record<Target, number>> };
  /** The likely monthly cost on the offering the diagram quotes (sum over a group's functions; a fleet for containers). */
  cost?: { offering: string; monthlyUsd: CostRange; basis: string };
  /** The longest estimated cold start among its components. */
  coldStartMs?: number;
  /** For services: the catalogue key. */
  service?: string;
  /** Where in the code it is declared (one component's registration, a client's creation). */
  location?: Location;
}

export interface ArchitectureEdge {
  from: string;
  to: string;
  label?: string;
}

/** A box drawn around nodes: a deployed process. */
export interface ArchitectureCluster {
  id: string;
  label: string;
  tier: ArchitectureTier;
  details?: string[];
}

export interface ArchitectureGraph {
  nodes: ArchitectureNode[];
  edges: ArchitectureEdge[];
  clusters?: ArchitectureCluster[];
  /** The provider whose service names and prices the graph uses. */
  provider?: Provider;
  /** What the graph leaves out or folds together, in words. */
  notes?: string[];
}

export interface Report {
  schemaVersion: number;
  tool: { name: string; version: string };
  root: string;
  /** The git commit (and branch) of the analysed folder, when it is in a git checkout; read from .git, never by git. */
  source?: { commit?: string; branch?: string };
  stats: {
    files: number;
    skipped: SkippedFile[];
    durationMs: number;
    /** Milliseconds per phase, when asked for (`--timings`). */
    timings?: Record<string, number>;
  };
  components: Component[];
  findings: Finding[];
  /** Findings suppressed in the code, with their reasons. */
  suppressed?: SuppressedFinding[];
  /** Broken rules, ignore comments without a reason, usage profile errors. */
  problems?: Problem[];
  totals?: CostTotals;
  /** The processes deployed today and the components each runs. */
  processes?: DeployedProcess[];
  architecture?: { current: ArchitectureGraph; proposed: ArchitectureGraph };
}
