// The migration plan that the Markdown and HTML reports present: what runs today, what moves where and in which order,
// what it takes, what it costs and what could go wrong. Pure: a function of the report (and, optionally, the rules'
// effort figures). Every sentence is made of the report's own data; where a part of the plan has nothing in it, the
// plan says so in a few words or leaves it out. The wording lives here once, so both formats read the same; a
// sentence is a list of inlines (text, code, a location) that each renderer escapes and links in its own way.
import * as path from 'node:path';
import { PROVIDERS, type ProviderNames } from '../architecture/providers';
import { offeringLabel, quotedCost, usd } from '../labels';
import type {
  ArchitectureGraph,
  ArchitectureNode,
  BreakEven,
  OfferingCost,
  Component,
  ComponentKind,
  CostRange,
  DeployedProcess,
  FigureRef,
  Finding,
  Location,
  OfferingTotal,
  Provider,
  Report,
  Severity,
  Target,
} from '../model';
import { architectureOf } from './mermaid';

/** A piece of a sentence: plain text, code (a rule id, an identifier), a place in the code, or emphasis. */
export type Inline = string | { code: string } | { at: Location } | { strong: string };
export type Text = Inline[];

export type PhaseId = 'quick-wins' | 'small-fixes' | 'managed' | 'containers' | 'keep';

export interface PlanOptions {
  /**
   * The rules the analysis ran with. A component's effort counts every finding that reaches it, so a fix shared by
   * many components (one session store, one pool) is in each of their figures; with the rules' effort per finding a
   * phase counts each such fix once. Without them a phase adds the components' figures up and says so.
   */
  rules?: readonly { id: string; effect: { effort?: number } }[];
}

export interface ReportOptions extends PlanOptions {
  /**
   * Where the report will be written. Links to the code are then relative to it (`../src/db.ts#L4`), so they open
   * on a code host and in an editor; without it, places are plain `file:line` text.
   */
  outFile?: string;
}

/** A component in the plan. */
export interface PlanItem {
  component: Component;
  target: Target | undefined;
  /** Where it runs in the proposal: `Lambda`, `Fargate`, ... (the provider's name for the target). */
  runsOn?: string;
  /** The managed services the proposal connects it to, with what they do for it: `SQS (trigger)`. */
  services: string[];
  /** Every finding that reaches it, errors first. */
  findings: Finding[];
  /** Findings at warning or error level that reach it: what to change before it moves. */
  fixes: Finding[];
  /** For a component that moves: its monthly cost on the function offering the proposal quotes for it. */
  cost?: OfferingCost;
}

export interface PhaseEffort {
  points: number;
  /** True when each shared fix was counted once (the rules were given); false: the components' figures added up. */
  deduplicated: boolean;
  /** Findings with an effort that reach more than one component of the phase. */
  sharedFixes: number;
}

/** Components that stay in containers for one reason. */
export interface StayGroup {
  why: Text;
  items: PlanItem[];
}

/** A finding whose fix would remove the only block on functions for some components that stay. */
export interface Unlock {
  finding: Finding;
  components: Component[];
}

export interface Phase {
  id: PhaseId;
  /** 1, 2, 3 for the steps of the migration; undefined for what stays and what is not deployed. */
  step?: number;
  title: string;
  intro: string;
  items: PlanItem[];
  effort: PhaseEffort;
  /** Distinct findings to fix in this phase, with the number of its components each one reaches (most first). */
  fixes: { finding: Finding; components: number }[];
  /** The managed services this phase's components move onto, with what each does for them. */
  services: { name: string; what?: string }[];
  /** For `containers`: the components grouped by why they stay. */
  groups?: StayGroup[];
  /** For `containers`: single fixes that would open functions to some of them. */
  unlocks?: Unlock[];
}

export interface Risk {
  id: 'cold-start' | 'connection-storm' | 'lock-in';
  title: string;
  points: Text[];
  mitigations: Text[];
}

/**
 * A whole-system figure from the totals. `monthlyUsd` is before free tiers (the components and what pooling them in
 * one account changes), like the proposal's, so the three compare like for like; `bill` is after the free tier.
 */
export interface CostFigure {
  label: string;
  offering: string;
  monthlyUsd: CostRange;
  bill: CostRange;
}

export interface CostPart {
  label: string;
  offerings: string[];
  components: number;
  monthlyUsd: CostRange;
}

export interface CostPlan {
  providerName: string;
  snapshotDate: string;
  scenarios: { low: number; likely: number; high: number };
  freeTier: boolean;
  usedDefaults: boolean;
  /** Today's shape: every component in one always-on container fleet. */
  today?: CostFigure;
  /** The proposal as drawn: functions, managed services and the container fleets, before free tiers. */
  proposal?: { monthlyUsd: CostRange; parts: CostPart[]; unpriced: number };
  /** Every component on functions. */
  allFunctions?: CostFigure;
  /** What the free tiers change, in a sentence, when they change the figures above. */
  freeTierNote?: string;
  /** Where the container fleet becomes cheaper than the functions for the whole system (the two figures above). */
  breakEven?: BreakEven;
  offerings: OfferingTotal[];
  breakEvens: BreakEven[];
  unverified: FigureRef[];
  assumptions: string[];
}

export interface Plan {
  /** The analysed folder's name (its last path segment): reports travel, absolute paths do not. */
  name: string;
  tool: { name: string; version: string };
  source?: { commit?: string; branch?: string };
  pricingDate?: string;
  summary: Text[];
  today: { processes: DeployedProcess[]; text: Text[]; graph: ArchitectureGraph };
  proposed: { providerName: string; text: Text[]; graph: ArchitectureGraph };
  cost?: CostPlan;
  phases: Phase[];
  risks: Risk[];
  /** Every component, in the order of the phases. */
  items: PlanItem[];
  /** Every finding, errors first. */
  findings: Finding[];
  assumptions: Text[];
}

export const SEVERITY_ORDER: readonly Severity[] = ['error', 'warning', 'info'];

const KIND_NAMES: Record<ComponentKind, [string, string]> = {
  'http-route': ['HTTP route', 'HTTP routes'],
  'route-group': ['route group', 'route groups'],
  'queue-consumer': ['queue consumer', 'queue consumers'],
  'scheduled-job': ['scheduled job', 'scheduled jobs'],
  websocket: ['websocket server', 'websocket servers'],
  worker: ['background worker', 'background workers'],
  graphql: ['GraphQL endpoint', 'GraphQL endpoints'],
  function: ['existing function', 'existing functions'],
  cli: ['command-line tool', 'command-line tools'],
};

const PHASES: Record<PhaseId, { step?: number; title: string; intro: string }> = {
  'quick-wins': {
    step: 1,
    title: 'Quick wins',
    intro:
      'These run as functions as they are: nothing at warning or error level reaches their code. Move them first, to set up the deployment, the triggers and the monitoring on code that needs no change.',
  },
  'small-fixes': {
    step: 2,
    title: 'Small fixes',
    intro:
      'These run as functions once the findings listed are fixed: warnings reach their code, nothing rules functions out.',
  },
  managed: {
    step: 3,
    title: 'Managed services',
    intro:
      'Here a managed service replaces what the code does in process (a timer, a queue, a login); the code that remains runs as a function the service triggers.',
  },
  containers: {
    title: 'Stays in containers',
    intro: 'These keep running in a long-lived process, for the reasons below.',
  },
  keep: {
    title: 'Not deployed',
    intro: 'Scripts and tooling: nothing to migrate.',
  },
};

const PHASE_ORDER: PhaseId[] = ['quick-wins', 'small-fixes', 'managed', 'containers', 'keep'];
const MOVING: ReadonlySet<PhaseId> = new Set(['quick-wins', 'small-fixes', 'managed']);

/** Client packages that tie code to one cloud. */
const CLOUD_SDK = /^(?:@aws-sdk\/|aws-sdk$|@google-cloud\/|@azure\/|firebase-admin$|@cloudflare\/)/;

/** A message with `code` spans, as inlines: the rules write identifiers between backticks. */
export function rich(message: string): Text {
  const parts = message.split('`');
  if (parts.length % 2 === 0) return [message];
  return parts.flatMap((p, i): Inline[] => (p === '' ? [] : i % 2 ? [{ code: p }] : [p]));
}

/**
 * The first clause of a rule's message, for one-line lists: up to the first `.`, `;`, `:`, `!` or `?` that ends a
 * clause, never one inside a code span, quotes or parentheses (`"latency-critical: p99 budget 50ms"` is not an end).
 */
export function sentence(text: string, max = 160): string {
  let code = false;
  let quote = false;
  let depth = 0;
  let end = text.length;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '`') code = !code;
    else if (code) continue;
    else if (ch === '"') quote = !quote;
    else if (quote) continue;
    else if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && '.;:!?'.includes(ch) && (i + 1 === text.length || /\s/.test(text[i + 1]!))) {
      end = i;
      break;
    }
  }
  let s = text.slice(0, end);
  if ([...s].length > max) {
    s = [...s].slice(0, max - 1).join('');
    // A cut inside a code span closes it, so the rest still reads as text.
    if ((s.match(/`/g) ?? []).length % 2) s += '`';
    s += '…';
  }
  return s;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** 2401945 -> `2,401,945`. */
export function count(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** `a, b and c`, or `a, b, c and 4 more`. */
export function listed(names: readonly string[], max = 4): string {
  const shown = names.length > max + 1 ? names.slice(0, max) : [...names];
  const more = names.length - shown.length;
  if (more) return `${shown.join(', ')} and ${more} more`;
  if (shown.length < 2) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

function kindsText(components: readonly Component[]): string {
  const counts = new Map<ComponentKind, number>();
  for (const c of components) counts.set(c.kind, (counts.get(c.kind) ?? 0) + 1);
  return listed(
    [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => plural(n, ...KIND_NAMES[k])),
    8,
  );
}

export function sumRanges(ranges: readonly CostRange[]): CostRange {
  const r = { low: 0, likely: 0, high: 0 };
  for (const x of ranges) {
    r.low += x.low;
    r.likely += x.likely;
    r.high += x.high;
  }
  return { low: round2(r.low), likely: round2(r.likely), high: round2(r.high) };
}

function maxRange(ranges: readonly CostRange[]): CostRange {
  return {
    low: Math.max(0, ...ranges.map((r) => r.low)),
    likely: Math.max(0, ...ranges.map((r) => r.likely)),
    high: Math.max(0, ...ranges.map((r) => r.high)),
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** The last segment of the analysed path, whichever separator it uses. */
function folderName(root: string): string {
  return root.split(/[\\/]/).filter(Boolean).pop() ?? root;
}

function phaseOf(c: Component, fixes: readonly Finding[]): PhaseId {
  const t = c.classification?.target;
  if (t === 'faas' || t === 'edge') return fixes.length ? 'small-fixes' : 'quick-wins';
  if (t === 'baas') return 'managed';
  if (t === 'keep') return 'keep';
  return 'containers';
}

/**
 * The blockers of one target for a component, each with the finding it names. classify.ts writes a blocker as
 * `<target>: <rule id> (<file>:<line>): <message>` for a rule and `<target>: <sentence>` otherwise; matching that
 * against the component's own findings turns the text back into data without trusting it.
 */
function blockersOf(c: Component, target: Target, findings: readonly Finding[]): { finding?: Finding; text: string }[] {
  const prefix = `${target}: `;
  return (c.classification?.blockers ?? [])
    .filter((b) => b.startsWith(prefix))
    .map((b) => {
      const text = b.slice(prefix.length);
      const finding = findings.find((f) => text.startsWith(`${f.ruleId} (${f.location.file}:${f.location.line})`));
      return finding ? { finding, text } : { text };
    });
}

/** The reasons that voted for `container` (classify.ts writes them as `<rule> (<where>): +2 container, ...`). */
function containerVotes(c: Component): string[] {
  return (c.classification?.reasons ?? []).filter((r) => /(?:^|[:,] )\+\d+(?:\.\d+)? container\b/.test(r));
}

export function buildPlan(report: Report, options: PlanOptions = {}): Plan {
  const byId = new Map(report.findings.map((f) => [f.id, f]));
  const findingsOf = (c: Component): Finding[] =>
    c.findings
      .map((id) => byId.get(id))
      .filter((f): f is Finding => f !== undefined)
      .sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
  const arch = architectureOf(report);
  const provider: Provider | undefined = arch.proposed.provider;
  const names: ProviderNames | undefined = provider ? PROVIDERS[provider] : undefined;
  const providerName = names?.name ?? 'the cloud';
  const ruleEffort = options.rules ? new Map(options.rules.map((r) => [r.id, r.effect.effort ?? 0])) : undefined;

  // The proposed graph says which managed services each component moves onto (an arrow from the scheduler, to the
  // key-value store) and which managed service replaces a component outright (identity).
  const nodes = new Map(arch.proposed.nodes.map((n) => [n.id, n]));
  const unitNode = new Map<string, ArchitectureNode>();
  const replacedBy = new Map<string, ArchitectureNode[]>();
  for (const n of arch.proposed.nodes) {
    for (const id of n.components ?? []) {
      if (n.kind === 'component' || n.kind === 'group') unitNode.set(id, n);
      else if (isManaged(n)) replacedBy.set(id, [...(replacedBy.get(id) ?? []), n]);
    }
  }
  const servicesOf = (c: Component): string[] => {
    const out: string[] = [];
    const n = unitNode.get(c.id);
    if (n) {
      for (const e of arch.proposed.edges) {
        const other = e.from === n.id ? e.to : e.to === n.id ? e.from : undefined;
        const m = other ? nodes.get(other) : undefined;
        if (m && isManaged(m)) out.push(e.label ? `${managedName(m)} (${e.label})` : managedName(m));
      }
    }
    for (const m of replacedBy.get(c.id) ?? []) out.push(`${managedName(m)} (replaces it)`);
    return [...new Set(out)];
  };
  const runsOn = (t: Target | undefined): string | undefined => {
    if (!names || !t) return undefined;
    if (t === 'faas' || t === 'baas') return names.functions;
    if (t === 'edge') return names.edge;
    if (t === 'container') return names.containers;
    return undefined;
  };

  // The function offering a moving component is quoted on: its box's in the diagram, else the provider's first.
  const costOf = (c: Component): OfferingCost | undefined => {
    const n = unitNode.get(c.id);
    const list = names ? (isHttp(c) ? names.offerings.http : names.offerings.function) : [];
    return quotedCost(c, n?.cost?.offering ?? list[0] ?? '');
  };

  const phaseItems = new Map<PhaseId, PlanItem[]>(PHASE_ORDER.map((p) => [p, []]));
  for (const c of report.components) {
    const findings = findingsOf(c);
    const fixes = findings.filter((f) => f.severity !== 'info');
    const target = c.classification?.target;
    const on = runsOn(target);
    const moves = target === 'faas' || target === 'edge' || target === 'baas';
    const cost = moves ? costOf(c) : undefined;
    phaseItems.get(phaseOf(c, fixes))!.push({
      component: c,
      target,
      ...(on ? { runsOn: on } : {}),
      services: moves ? servicesOf(c) : [],
      findings,
      fixes,
      ...(cost ? { cost } : {}),
    });
  }

  const effortOf = (items: readonly PlanItem[]): PhaseEffort => {
    const reach = new Map<string, number>();
    for (const it of items) for (const f of findingsOf(it.component)) reach.set(f.id, (reach.get(f.id) ?? 0) + 1);
    const weight = (id: string): number => ruleEffort?.get(byId.get(id)!.ruleId) ?? 0;
    const sharedFixes = [...reach.entries()].filter(([id, n]) => n > 1 && (!ruleEffort || weight(id) > 0)).length;
    const sum = items.reduce((a, it) => a + (it.component.effort?.points ?? 0), 0);
    if (!ruleEffort) return { points: round1(sum), deduplicated: false, sharedFixes };
    // Each component's own part (wrapping its handler) once, and each finding's fix once for the whole phase.
    let points = 0;
    for (const it of items) {
      const own = findingsOf(it.component).reduce((a, f) => a + weight(f.id), 0);
      points += Math.max(0, (it.component.effort?.points ?? 0) - own);
    }
    for (const id of reach.keys()) points += weight(id);
    return { points: round1(points), deduplicated: true, sharedFixes };
  };

  const phases: Phase[] = [];
  for (const id of PHASE_ORDER) {
    const items = phaseItems.get(id)!;
    if (id === 'keep' && !items.length) continue;
    const reach = new Map<string, number>();
    for (const it of items) for (const f of it.fixes) reach.set(f.id, (reach.get(f.id) ?? 0) + 1);
    const fixes =
      id === 'containers'
        ? []
        : [...reach.entries()]
            .map(([fid, n]) => ({ finding: byId.get(fid)!, components: n }))
            .sort(
              (a, b) =>
                SEVERITY_ORDER.indexOf(a.finding.severity) - SEVERITY_ORDER.indexOf(b.finding.severity) ||
                b.components - a.components,
            );
    const services = new Map<string, { name: string; what?: string }>();
    if (MOVING.has(id)) {
      for (const it of items) {
        const n = unitNode.get(it.component.id);
        const adjacent = n
          ? arch.proposed.edges.flatMap((e) => (e.from === n.id ? [e.to] : e.to === n.id ? [e.from] : []))
          : [];
        for (const m of [...adjacent.map((x) => nodes.get(x)), ...(replacedBy.get(it.component.id) ?? [])]) {
          if (m && isManaged(m)) {
            const what = managedWhat(m);
            services.set(m.id, { name: managedName(m), ...(what ? { what } : {}) });
          }
        }
      }
    }
    const phase: Phase = {
      id,
      ...(PHASES[id].step ? { step: PHASES[id].step } : {}),
      title: PHASES[id].title,
      intro: PHASES[id].intro,
      items,
      effort: effortOf(items),
      fixes,
      services: [...services.values()],
    };
    if (id === 'containers') {
      const { groups, unlocks } = whyTheyStay(items, findingsOf);
      phase.groups = groups;
      phase.unlocks = unlocks;
    }
    phases.push(phase);
  }
  const phase = (id: PhaseId): Phase | undefined => phases.find((p) => p.id === id);
  const items = phases.flatMap((p) => p.items);
  const moving = phases.filter((p) => MOVING.has(p.id)).flatMap((p) => p.items);

  const cost = costPlan(report, arch.proposed, names, providerName);
  const risks = buildRisks(report, arch, moving, findingsOf, names, providerName);

  const name = folderName(report.root);
  const processes = report.processes ?? [];
  const deployable = report.components.filter((c) => c.kind !== 'cli');

  // Today.
  const todayText: Text[] = [];
  if (!report.components.length) {
    todayText.push([`No deployable components were found in ${plural(report.stats.files, 'file')}.`]);
  } else if (processes.length) {
    for (const p of processes) {
      todayText.push([
        { strong: p.name },
        p.entry ? ' (entry ' : '',
        ...(p.entry ? [{ code: p.entry }, ')'] : []),
        `: ${plural(p.components.length, 'component')}, deployed as one process today (found from ${p.basis}).`,
      ]);
    }
  } else if (deployable.length) {
    todayText.push([`${plural(deployable.length, 'component')}; no entry file was found that starts them.`]);
  }
  const external = arch.current.nodes.filter((n) => n.tier === 'services').map(todayName);
  if (external.length) todayText.push([`The code talks to: ${listed(external, 12)}.`]);

  // Proposed, and why.
  const proposedText: Text[] = [];
  for (const p of phases) {
    if (!p.items.length || p.id === 'keep') continue;
    const bases = [...new Set(p.items.map((it) => it.component.classification?.reasons[0]).filter(Boolean))];
    if (p.id === 'containers') {
      const top = p.groups?.[0];
      proposedText.push([
        `${plural(p.items.length, 'component')} stay in containers${names ? ` (${names.containers})` : ''}`,
        ...(top
          ? [': the most common reason, for ', plural(top.items.length, 'of them', 'of them'), ', is that ', ...top.why]
          : []),
        '.',
      ]);
      continue;
    }
    const n = p.items.length;
    const on = p.items[0]?.runsOn;
    const why = ` (${bases.join('; ')})`;
    if (p.id === 'managed') {
      proposedText.push([
        `${n === 1 ? '1 component moves' : `${n} components move`} onto managed services`,
        p.services.length ? ` (${listed(p.services.map((x) => x.name))})` : '',
        `, with the code that remains as ${n === 1 ? 'a function' : 'functions'}${on ? ` on ${on}` : ''} they trigger${why}.`,
      ]);
    } else {
      proposedText.push([
        `${n === 1 ? '1 component becomes a function' : `${n} components become functions`}${on ? ` on ${on}` : ''}`,
        p.id === 'quick-wins' ? ` as ${n === 1 ? 'it is' : 'they are'}` : ' after small fixes',
        `${why}.`,
      ]);
    }
  }

  // Summary: what a tech lead reads first.
  const summary: Text[] = [];
  if (!deployable.length) {
    summary.push([
      `${name}: no deployable components were found in ${plural(report.stats.files, 'file')}, so there is nothing to migrate.`,
    ]);
  } else {
    summary.push([
      `${name} has ${plural(deployable.length, 'deployable component')} (${kindsText(deployable)})`,
      processes.length ? `, run today by ${plural(processes.length, 'process', 'processes')}.` : '.',
    ]);
    const n = (id: PhaseId): number => phase(id)?.items.length ?? 0;
    const moves: string[] = [];
    const fns = (k: number): string => (k === 1 ? '1 to a function' : `${k} to functions`);
    if (n('quick-wins'))
      moves.push(`${fns(n('quick-wins'))} as ${n('quick-wins') === 1 ? 'it is' : 'they are'} (phase 1)`);
    if (n('small-fixes')) moves.push(`${fns(n('small-fixes'))} after small fixes (phase 2)`);
    if (n('managed')) moves.push(`${n('managed')} onto managed services (phase 3)`);
    const stays = n('containers');
    summary.push(
      moving.length
        ? [
            `The plan moves ${moving.length} of them: ${listed(moves)}`,
            stays ? `; ${stays} stay in containers.` : '; nothing stays in containers.',
          ]
        : [`Nothing moves yet: all ${plural(stays, 'component')} stay in containers, for the reasons in the plan.`],
    );
    const unlock = phase('containers')?.unlocks?.[0];
    if (unlock) {
      summary.push([
        'Fixing ',
        { code: unlock.finding.ruleId },
        ' at ',
        { at: unlock.finding.location },
        ` would remove the only block on functions for ${plural(unlock.components.length, 'component')} that stay.`,
      ]);
    }
    const steps = phases.filter((p) => MOVING.has(p.id));
    if (moving.length) {
      summary.push([
        `Effort for phases 1 to 3: about ${plural(round1(steps.reduce((a, p) => a + p.effort.points, 0)), 'point')} (${steps
          .map((p) => p.effort.points)
          .join(' + ')}).`,
      ]);
    }
    if (cost?.today && cost.proposal) {
      summary.push([
        `On ${providerName}, before free tiers, the proposal costs about ${usd(cost.proposal.monthlyUsd.likely)} a month (likely), against ${usd(cost.today.monthlyUsd.likely)} for today's shape on ${offeringLabel(cost.today.offering)}`,
        cost.allFunctions
          ? ` and ${usd(cost.allFunctions.monthlyUsd.likely)} with every component on ${offeringLabel(cost.allFunctions.offering)}`
          : '',
        ` (prices of ${cost.snapshotDate}${cost.usedDefaults ? ', usage from defaults' : ''}).`,
      ]);
    }
  }

  const assumptions: Text[] = [];
  const basis =
    moving.find((it) => it.component.coldStart)?.component ?? items.find((it) => it.component.coldStart)?.component;
  if (basis?.coldStart) assumptions.push([`Cold starts (${basis.name}): ${basis.coldStart.basis}`]);
  for (const a of report.totals?.assumptions ?? []) assumptions.push([a]);
  if (report.totals?.unverified.length) {
    assumptions.push([
      `${plural(report.totals.unverified.length, 'price')} could not be verified at the source and are marked so in the pricing snapshot: `,
      ...report.totals.unverified.flatMap((u, i): Inline[] => [...(i ? [', '] : []), { code: u.id }]),
      '.',
    ]);
  }

  return {
    name,
    tool: report.tool,
    ...(report.source ? { source: report.source } : {}),
    ...(report.totals ? { pricingDate: report.totals.snapshotDate } : {}),
    summary,
    today: { processes, text: todayText, graph: arch.current },
    proposed: { providerName, text: proposedText, graph: arch.proposed },
    ...(cost ? { cost } : {}),
    phases,
    risks,
    items,
    findings: [...report.findings].sort(
      (a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity),
    ),
    assumptions,
  };
}

function isManaged(n: ArchitectureNode): boolean {
  return n.style === 'baas' && n.kind !== 'component' && n.kind !== 'group';
}

function isHttp(c: Component): boolean {
  return c.trigger.type === 'http' || c.trigger.type === 'graphql';
}

/** A managed box's name: a queue's label is the queue's own name, so it says which service carries it. */
function managedName(n: ArchitectureNode): string {
  if (n.kind !== 'queue') return n.label;
  const service = n.details?.[0]?.split(' · ')[0];
  return service ? `${service} queue ${n.label}` : `queue ${n.label}`;
}

/** The service itself, for the list of what ties the proposal to a cloud (`SQS`, not the queue). */
function managedService(n: ArchitectureNode): string {
  return n.kind === 'queue' ? (n.details?.[0]?.split(' · ')[0] ?? n.label) : n.label;
}

/** What a managed box does, from its first detail line (the other lines are its cost). */
function managedWhat(n: ArchitectureNode): string | undefined {
  const first = n.details?.[0];
  if (!first || first.startsWith('~')) return undefined;
  return n.kind === 'queue' ? first.split(' · ').slice(1).join(' · ') || undefined : first;
}

/** A box of today's graph in words: `BullMQ (on Redis) queue emails`, `api.example.com (HTTP API)`, `PostgreSQL`. */
function todayName(n: ArchitectureNode): string {
  const detail = n.details?.[0];
  if (!detail) return n.label;
  return n.kind === 'queue' ? `${detail} queue ${n.label}` : `${n.label} (${detail})`;
}

function whyTheyStay(
  items: readonly PlanItem[],
  findingsOf: (c: Component) => Finding[],
): { groups: StayGroup[]; unlocks: Unlock[] } {
  const groups = new Map<string, StayGroup>();
  const unlocks = new Map<string, Unlock>();
  for (const it of items) {
    const c = it.component;
    const blockers = blockersOf(c, 'faas', findingsOf(c));
    let key: string;
    let why: Text;
    if (!c.classification) {
      key = 'unclassified';
      why = ['the report has no classification for them'];
    } else if (blockers.length) {
      key = `blocked:${blockers.map((b) => b.finding?.id ?? b.text).join('\0')}`;
      why = ['functions are ruled out by '];
      blockers.forEach((b, i) => {
        if (i) why.push(i === blockers.length - 1 ? ' and ' : ', ');
        if (b.finding) {
          why.push({ code: b.finding.ruleId }, ' at ', { at: b.finding.location }, ' (');
          why.push(...rich(sentence(b.finding.message)), ')');
        } else why.push(...rich(b.text));
      });
      const only = blockers.length === 1 ? blockers[0]!.finding : undefined;
      if (only) {
        const u = unlocks.get(only.id) ?? { finding: only, components: [] };
        u.components.push(c);
        unlocks.set(only.id, u);
      }
    } else {
      const votes = containerVotes(c);
      key = `votes:${votes.join('\0') || c.classification.reasons[0]}`;
      why = votes.length
        ? ['a container scores highest: ', ...rich(listed(votes, 3))]
        : ['a container scores highest: ', ...rich(c.classification.reasons[0] ?? 'by its kind')];
    }
    const g = groups.get(key) ?? { why, items: [] };
    g.items.push(it);
    groups.set(key, g);
  }
  return {
    groups: [...groups.values()].sort((a, b) => b.items.length - a.items.length),
    unlocks: [...unlocks.values()].sort((a, b) => b.components.length - a.components.length),
  };
}

function costPlan(
  report: Report,
  proposed: ArchitectureGraph,
  names: ProviderNames | undefined,
  providerName: string,
): CostPlan | undefined {
  const totals = report.totals;
  if (!totals) return undefined;
  const priced = new Map(totals.offerings.map((o) => [o.offering, o]));
  const cheapest = (role: OfferingTotal['role']): OfferingTotal | undefined =>
    totals.offerings
      .filter((o) => o.role === role)
      .sort((a, b) => a.monthlyUsd.likely - b.monthlyUsd.likely || a.offering.localeCompare(b.offering))[0];
  const http = report.components.some(isHttp);
  const fnList = names ? (http ? names.offerings.http : names.offerings.function) : [];
  const fn = fnList.map((o) => priced.get(o)).find(Boolean) ?? cheapest('function');
  const containerNode = proposed.nodes.find((n) => n.tier === 'containers' && n.cost);
  const ct =
    (containerNode?.cost ? priced.get(containerNode.cost.offering) : undefined) ??
    (names?.offerings.container ?? []).map((o) => priced.get(o)).find(Boolean) ??
    cheapest('container');

  const figure = (label: string, o: OfferingTotal): CostFigure => ({
    label,
    offering: o.offering,
    monthlyUsd: sumRanges([o.components, o.accountAdjustment]),
    bill: o.monthlyUsd,
  });
  const today = ct ? figure("Today's shape: everything in containers", ct) : undefined;
  const allFunctions = fn ? figure('Everything on functions', fn) : undefined;

  // The proposal as the diagram quotes it: each function box, each managed service, and one fleet per process
  // (a container box quotes the fleet its process shares, so a process counts once, at its largest quote).
  const parts: CostPart[] = [];
  const fnNodes = proposed.nodes.filter(
    (n) => (n.tier === 'functions' || n.tier === 'edge') && (n.kind === 'component' || n.kind === 'group'),
  );
  const moving = report.components.filter((c) => {
    const t = c.classification?.target;
    return t === 'faas' || t === 'edge' || t === 'baas';
  });
  let unpriced = 0;
  const fnRanges: CostRange[] = [];
  const fnOfferings = new Set<string>();
  const covered = new Set<string>();
  for (const n of fnNodes) {
    if (!n.cost) continue;
    fnRanges.push(n.cost.monthlyUsd);
    fnOfferings.add(n.cost.offering);
    for (const id of n.components ?? []) covered.add(id);
  }
  for (const c of moving) {
    if (covered.has(c.id)) continue;
    const q = quotedCost(c, fn?.offering ?? '');
    if (q) {
      fnRanges.push(q.monthlyUsd);
      fnOfferings.add(q.offering);
    } else unpriced++;
  }
  if (moving.length)
    parts.push({
      label: 'Functions',
      offerings: [...fnOfferings],
      components: moving.length,
      monthlyUsd: sumRanges(fnRanges),
    });
  const managed = proposed.nodes.filter((n) => n.tier === 'services' && n.cost);
  if (managed.length)
    parts.push({
      label: `Managed services (${listed(managed.map(managedName))})`,
      offerings: [...new Set(managed.map((n) => n.cost!.offering))],
      components: 0,
      monthlyUsd: sumRanges(managed.map((n) => n.cost!.monthlyUsd)),
    });
  const boxes = proposed.nodes.filter((n) => n.tier === 'containers' && (n.kind === 'component' || n.kind === 'group'));
  const fleets = new Map<string, CostRange[]>();
  const ctOfferings = new Set<string>();
  let containerComponents = 0;
  for (const n of boxes) {
    containerComponents += n.components?.length ?? 0;
    if (!n.cost) {
      unpriced += n.components?.length ?? 0;
      continue;
    }
    ctOfferings.add(n.cost.offering);
    const key = n.parent ?? n.id;
    fleets.set(key, [...(fleets.get(key) ?? []), n.cost.monthlyUsd]);
  }
  if (boxes.length)
    parts.push({
      label: fleets.size > 1 ? `Containers (${fleets.size} fleets, one per process)` : 'Containers (one fleet)',
      offerings: [...ctOfferings],
      components: containerComponents,
      monthlyUsd: sumRanges([...fleets.values()].map(maxRange)),
    });
  const proposal = parts.length
    ? { monthlyUsd: sumRanges(parts.map((p) => p.monthlyUsd)), parts, unpriced }
    : undefined;

  const off = [today, allFunctions].filter(
    (x): x is CostFigure => x !== undefined && x.bill.likely !== x.monthlyUsd.likely,
  );
  const freeTierNote =
    totals.freeTier && off.length
      ? `The free tiers come off once per account: ${listed(
          off.map(
            (x) =>
              `with every component on ${offeringLabel(x.offering)} the bill would be ${usd(x.bill.likely)} (likely)`,
          ),
        )}; the proposal's functions draw on the same allowances.`
      : undefined;
  const breakEven =
    fn && ct ? totals.breakEven.find((b) => b.serverless === fn.offering && b.container === ct.offering) : undefined;
  const provider = names?.name;
  const order = (o: OfferingTotal): number =>
    (PROVIDERS[o.provider]?.name === provider ? 0 : 1) * 10 + ['container', 'function', 'baas'].indexOf(o.role);
  return {
    providerName,
    snapshotDate: totals.snapshotDate,
    scenarios: totals.scenarios,
    freeTier: totals.freeTier,
    usedDefaults: totals.usedDefaults,
    ...(today ? { today } : {}),
    ...(proposal ? { proposal } : {}),
    ...(allFunctions ? { allFunctions } : {}),
    ...(freeTierNote ? { freeTierNote } : {}),
    ...(breakEven ? { breakEven } : {}),
    offerings: [...totals.offerings].sort(
      (a, b) =>
        order(a) - order(b) || a.monthlyUsd.likely - b.monthlyUsd.likely || a.offering.localeCompare(b.offering),
    ),
    breakEvens: totals.breakEven,
    unverified: totals.unverified,
    assumptions: totals.assumptions,
  };
}

function buildRisks(
  report: Report,
  arch: NonNullable<Report['architecture']>,
  moving: readonly PlanItem[],
  findingsOf: (c: Component) => Finding[],
  names: ProviderNames | undefined,
  providerName: string,
): Risk[] {
  const risks: Risk[] = [];
  const byComponent = new Map(report.components.map((c) => [c.id, c]));
  const movingIds = new Set(moving.map((it) => it.component.id));
  const of = (f: Finding): Component[] =>
    f.components.map((id) => byComponent.get(id)).filter((c): c is Component => c !== undefined);
  const fixesOf = (list: readonly Finding[]): Text[] => [...new Set(list.map((f) => f.fix))].map(rich);

  // Cold starts on latency-critical paths.
  const latency = report.findings.filter((f) => f.hazard === 'latency-critical');
  const latencyComponents = [...new Map(latency.flatMap(of).map((c) => [c.id, c])).values()];
  const latencyMoving = latencyComponents.filter((c) => movingIds.has(c.id));
  const movingCold = moving.map((it) => it.component).filter((c) => c.coldStart);
  if (latency.length || movingCold.length) {
    const points: Text[] = [];
    if (latency.length) {
      const marks: Inline[] = [];
      latency.forEach((f, i) => {
        if (i) marks.push('; ');
        marks.push({ at: f.location }, ': ', ...rich(sentence(f.message)));
      });
      points.push([
        `${plural(latencyComponents.length, 'component')} ${latencyComponents.length === 1 ? 'is' : 'are'} on paths the code marks latency-critical (`,
        ...marks,
        ').',
      ]);
      if (latencyMoving.length) {
        points.push([
          `${plural(latencyMoving.length, 'of them moves', 'of them move')} to functions in this plan: ${listed(
            latencyMoving.map((c) => `${c.name}${c.coldStart ? ` (cold start ~${c.coldStart.estimateMs} ms)` : ''}`),
          )}.`,
        ]);
      } else {
        const slowest = [...latencyComponents].sort(
          (a, b) => (b.coldStart?.estimateMs ?? 0) - (a.coldStart?.estimateMs ?? 0),
        )[0];
        points.push([
          'None of them moves in this plan, so cold starts do not reach them yet',
          slowest?.coldStart
            ? `; if they move later, their estimated cold starts run up to ~${slowest.coldStart.estimateMs} ms (${slowest.name}).`
            : '.',
        ]);
      }
    }
    if (movingCold.length) {
      const ms = movingCold.map((c) => c.coldStart!.estimateMs);
      const slowest = movingCold.find((c) => c.coldStart!.estimateMs === Math.max(...ms))!;
      points.push([
        `Estimated cold starts of the components that move: ${Math.min(...ms) === Math.max(...ms) ? `~${ms[0]} ms` : `~${Math.min(...ms)} to ~${Math.max(...ms)} ms (slowest: ${slowest.name})`}; estimates from what each handler loads, not measurements.`,
      ]);
    }
    risks.push({
      id: 'cold-start',
      title: 'Cold starts on latency-critical paths',
      points,
      mitigations: fixesOf(latency),
    });
  }

  // Connection storms: a pool per function instance.
  const pools = report.findings.filter((f) => f.hazard === 'connection-pool');
  if (pools.length) {
    const points: Text[] = [];
    for (const f of pools) {
      const reached = of(f);
      const moved = reached.filter((c) => movingIds.has(c.id));
      points.push([
        ...rich(sentence(f.message)),
        ' (',
        { at: f.location },
        '). ',
        moved.length
          ? moved.length === 1
            ? `1 component that moves to functions reaches it (${moved[0]!.name}): each of its instances opens its own connections.`
            : `${moved.length} components that move to functions reach it (${listed(moved.map((c) => c.name))}): each of their instances opens its own connections.`
          : reached.length
            ? `Only components that stay in containers reach it (${reached.length}), so nothing changes for the database until they move.`
            : 'No component reaches it.',
      ]);
    }
    const mitigations = fixesOf(pools);
    for (const n of arch.proposed.nodes.filter((x) => x.kind === 'db-proxy')) {
      mitigations.unshift([
        `The proposal puts ${n.label} in front of the database: ${n.details?.[0] ?? 'it pools connections'}.`,
      ]);
    }
    risks.push({ id: 'connection-storm', title: 'Connection storms on the databases', points, mitigations });
  }

  // Lock-in: what the proposal ties to one cloud, and how the code can keep that contained.
  const managed = [...new Set(arch.proposed.nodes.filter(isManaged).map(managedService))];
  const uses = report.components.flatMap((c) => c.uses ?? []);
  const sdk = [
    ...new Map(
      uses.filter((u) => CLOUD_SDK.test(u.via)).map((u) => [`${u.via}@${u.location.file}:${u.location.line}`, u]),
    ).values(),
  ];
  if (moving.length || managed.length || sdk.length) {
    const points: Text[] = [];
    const pieces = [...(moving.length && names ? [names.functions] : []), ...managed];
    if (pieces.length)
      points.push([`The proposal uses services of ${providerName}: ${listed([...new Set(pieces)], 8)}.`]);
    if (sdk.length) {
      const at: Inline[] = [];
      sdk.forEach((u, i) => at.push(...(i ? ['; '] : []), { code: u.via }, ' at ', { at: u.location }));
      points.push(['The code already calls a cloud directly: ', ...at, '.']);
    }
    // The seams: where the code makes each client. One place per service is a port to keep; several are worth
    // gathering into one before the move.
    const serviceLabel = new Map(
      arch.current.nodes.filter((n) => n.service).map((n) => [n.service!, n.label] as const),
    );
    const seams = new Map<string, { label: string; at: Location[] }>();
    for (const u of uses) {
      const key = `${u.service}\0${u.via}${u.service === 'http' ? `\0${u.resource ?? ''}` : ''}`;
      const label = `${u.service === 'http' && u.resource ? u.resource : (serviceLabel.get(u.service) ?? u.service)} (${u.via})`;
      const s = seams.get(key) ?? { label, at: [] };
      if (!s.at.some((l) => l.file === u.location.file && l.line === u.location.line)) s.at.push(u.location);
      seams.set(key, s);
    }
    const mitigations: Text[] = [];
    const seamText: Inline[] = [];
    [...seams.values()].forEach((s, i) => {
      if (i) seamText.push('; ');
      seamText.push(`${s.label} at `);
      s.at.forEach((l, j) => seamText.push(...(j ? [', '] : []), { at: l }));
    });
    mitigations.push([
      { strong: 'Ports and adapters.' },
      " Keep each function's handler a thin adapter from the trigger's event to the code that does the work, and reach every outside service through one module of your own (a port), so that moving to another cloud changes the adapters, not the logic.",
      ...(seams.size
        ? [' The code reaches its outside services here, which is where those ports go: ', ...seamText, '.']
        : []),
    ]);
    mitigations.push([
      { strong: 'Portable runtimes.' },
      ' Teams that must stay cloud-neutral can run the same functions on Knative or OpenFaaS on any Kubernetes cluster, next to the containers that stay',
      managed.length
        ? `; each managed service of the proposal (${listed(managed, 8)}) then needs a self-hosted counterpart.`
        : '.',
    ]);
    risks.push({ id: 'lock-in', title: 'Vendor lock-in', points, mitigations });
  }
  return risks;
}

// Wording and links that both renderers share.

/** How the report points at the code: a relative link when the report's place is known, else plain text. */
export class CodeLinks {
  constructor(
    private readonly root: string,
    private readonly outFile: string | undefined,
  ) {}

  href(l: { file: string; line?: number }): string | undefined {
    if (!this.outFile) return undefined;
    const rel = path
      .relative(path.dirname(path.resolve(this.outFile)), path.join(this.root, ...l.file.split('/')))
      .split(path.sep)
      .map(encodeURIComponent)
      .join('/');
    return `${rel || '.'}${l.line ? `#L${l.line}` : ''}`;
  }

  /** The analysed folder as the report names it: relative to the report when written, else by its own name. */
  rootName(fallback: string): string {
    if (!this.outFile) return fallback;
    const rel = path
      .relative(path.dirname(path.resolve(this.outFile)), this.root)
      .split(path.sep)
      .join('/');
    return rel || '.';
  }
}

export function multiple(m: number): string {
  return `x${m < 10 ? m.toFixed(1) : count(m)}`;
}

export function percent(u: number): string {
  return u < 0.01 ? '<1%' : `${Math.round(u * 100)}%`;
}

/** The break-even of the two figures the cost section compares, in one sentence. */
export function breakEvenSentence(b: BreakEven): string {
  const fn = offeringLabel(b.serverless);
  const ct = offeringLabel(b.container);
  if (b.requestsPerMonth === null)
    return `Break-even: ${fn} stays cheaper than ${ct} for the whole system at every volume searched (up to ${b.searchedUpTo.toExponential()} requests a month).`;
  if (b.requestsPerMonth === 0) return `Break-even: ${ct} is cheaper than ${fn} for the whole system at any volume.`;
  return (
    `Break-even: from about ${count(b.requestsPerMonth)} requests a month` +
    `${b.multipleOfLikely === null ? '' : ` (${multiple(b.multipleOfLikely)} the likely volume)`}, ` +
    `one ${ct} fleet becomes cheaper than ${fn} for the whole system` +
    `${b.containerUtilisation === null ? '' : `; the fleet would then be busy ${percent(b.containerUtilisation)} of the time`}.`
  );
}

export function phaseHeading(p: Phase): string {
  return p.step ? `Phase ${p.step}: ${p.title}` : p.title;
}

/** What a phase takes, in words (lower case: it follows `Effort:`). */
export function effortText(p: Phase): string {
  const e = p.effort;
  const points = `about ${plural(e.points, 'point')}`;
  const basis = e.deduplicated
    ? e.sharedFixes
      ? e.sharedFixes === 1
        ? ', counting once the fix that several components share'
        : `, counting once each of the ${e.sharedFixes} fixes that several components share`
      : ''
    : e.sharedFixes
      ? ` if the components' estimates are added up; ${plural(e.sharedFixes, 'finding')} reach several of them and count in each, so this is an upper bound`
      : " (the components' estimates added up)";
  if (p.id === 'containers')
    return `none to keep them where they run; ${points} to make them fit for functions later${basis}.`;
  return `${points}${basis}.`;
}

/** The names of a list of components, shortened: `GET /a, GET /b, ... and 19 more`. */
export function componentNames(items: readonly PlanItem[], max = 6): string {
  return listed(
    items.map((it) => it.component.name),
    max,
  );
}

/** `~$0.24/mo on Lambda arm64` (or `<$0.01/mo on ...`: an approximate sign before a bound says nothing). */
export function monthlyText(cost: OfferingCost): string {
  const amount = usd(cost.monthlyUsd.likely);
  return `${amount.startsWith('<') ? '' : '~'}${amount}/mo on ${offeringLabel(cost.offering)}`;
}

/** A component's findings by hazard, worst first: `connection-pool at src/db/pool.ts:4, src/db/redis.ts:6`. */
export function byHazard(findings: readonly Finding[]): { hazard: string; severity: Severity; findings: Finding[] }[] {
  const groups = new Map<string, { hazard: string; severity: Severity; findings: Finding[] }>();
  for (const f of findings) {
    const g = groups.get(f.hazard) ?? { hazard: f.hazard, severity: f.severity, findings: [] };
    if (SEVERITY_ORDER.indexOf(f.severity) < SEVERITY_ORDER.indexOf(g.severity)) g.severity = f.severity;
    g.findings.push(f);
    groups.set(f.hazard, g);
  }
  return [...groups.values()].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
}
