import type {
  ArchitectureCluster,
  ArchitectureEdge,
  ArchitectureGraph,
  ArchitectureNode,
  ArchitectureTier,
  Component,
  CostRange,
  Finding,
  OfferingCost,
  Provider,
  Report,
  ServiceUse,
  Target,
} from '../model';
import { offeringLabel, usd } from '../labels';
import { serviceInfo, type ServiceInfo } from './catalog';
import { groupComponents, routePath, type DisplayUnit } from './grouping';
import { nodeId as makeNodeId } from './ids';
import { PROVIDERS, type ProviderNames } from './providers';

// The architecture model: from a report (components with their targets, costs, cold starts and the services their
// code uses; the processes deployed today) to two graphs of nodes and edges, today's and the proposed one, for one
// provider. Pure: the same report and options give the same graphs, ids included.
//
// Today: the clients, each process with its components (grouped, see grouping.ts), the existing functions, and the
// databases, caches, queues, object stores and external APIs the code talks to.
// Proposed: the clients and the edge functions; the provider's API gateway in front of the HTTP functions; the
// functions (faas, and the bodies of baas components that a managed trigger calls); the containers that stay,
// per process; managed services: a scheduler for scheduled jobs, a managed queue for Redis-backed queues whose
// consumers become functions, a websocket gateway, the identity service that replaces home-grown login, a database
// proxy where functions open connection pools, and stores for the state, sessions, caches and files that functions
// cannot keep in memory or on disk.

export const DEFAULT_MAX_NODES = 40;

export interface ArchitectureOptions {
  /** Whose service names and prices to use (default aws). */
  provider?: Provider;
  /** Group ids (`routes:/api/orders`, `kind:scheduled-job`) to show member by member. */
  expanded?: Iterable<string>;
  /** The node budget per diagram that grouping keeps to (default 40); expanded groups may exceed it. */
  maxNodes?: number;
  /** An offering to quote first when a component is priced on it (e.g. `aws-lambda-x86`). */
  offering?: string;
}

export interface Architecture {
  current: ArchitectureGraph;
  proposed: ArchitectureGraph;
}

/** More external hosts than this fold into one node. */
const MAX_HOSTS = 6;
/** More queues of one system than this fold into one node. */
const MAX_QUEUES = 8;

/** Findings whose rule proposes a managed identity service for the component. */
const IDENTITY_RULES = new Set(['home-grown-password-auth']);

const TARGET_ORDER: Target[] = ['faas', 'edge', 'baas', 'container', 'keep'];

const BASE_TARGET: Record<Component['kind'], Target> = {
  'http-route': 'faas',
  'route-group': 'faas',
  graphql: 'faas',
  'queue-consumer': 'faas',
  'scheduled-job': 'baas',
  websocket: 'container',
  worker: 'container',
  function: 'faas',
  cli: 'keep',
};

const QUEUE_SYSTEMS: Record<string, string> = { 'sqs-poll': 'sqs' };
/** Queues kept in Redis by a library: the proposal replaces them with the provider's queue. */
const REDIS_QUEUES = new Set(['bullmq', 'bull', 'bee-queue']);

export function targetOf(c: Component): Target {
  return c.classification?.target ?? BASE_TARGET[c.kind];
}

function sumRanges(rs: CostRange[]): CostRange {
  return rs.reduce((a, r) => ({ low: a.low + r.low, likely: a.likely + r.likely, high: a.high + r.high }), {
    low: 0,
    likely: 0,
    high: 0,
  });
}

function maxRanges(rs: CostRange[]): CostRange {
  return rs.reduce(
    (a, r) => ({ low: Math.max(a.low, r.low), likely: Math.max(a.likely, r.likely), high: Math.max(a.high, r.high) }),
    {
      low: 0,
      likely: 0,
      high: 0,
    },
  );
}

function round(r: CostRange): CostRange {
  const f = (n: number): number => Math.round(n * 100) / 100;
  return { low: f(r.low), likely: f(r.likely), high: f(r.high) };
}

/** Who calls the HTTP and websocket components, today and in the proposal (a fresh node: graphs are mutable data). */
function clientsNode(): ArchitectureNode {
  return {
    id: 'clients',
    label: 'Clients',
    kind: 'client',
    tier: 'clients',
    style: 'external',
    details: ['browsers, apps, other services'],
  };
}

function isHttpish(c: Component): boolean {
  if (routePath(c) !== undefined) return true;
  const t = c.trigger;
  return (
    t.type === 'function' &&
    (/http|api|url|fetch|request/i.test(t.event ?? '') ||
      ['vercel', 'netlify', 'cloudflare-workers'].includes(t.platform))
  );
}

function triggerText(c: Component): string | undefined {
  const t = c.trigger;
  if (t.type === 'schedule') return `${t.system} ${t.schedule}`;
  return undefined;
}

/** Ids are hashed once per key: the same services and processes come up for every component. */
const idCache = new Map<string, string>();
function nodeId(prefix: string, key: string): string {
  const k = `${prefix}\0${key}`;
  let id = idCache.get(k);
  if (id === undefined) {
    // Bounded: a long-lived worker analyses many projects.
    if (idCache.size > 50_000) idCache.clear();
    idCache.set(k, (id = makeNodeId(prefix, key)));
  }
  return id;
}

/** Shared state of one build: the report's lookups and the graph being made. */
class Builder {
  readonly nodes = new Map<string, ArchitectureNode>();
  private readonly edges = new Map<string, { from: string; to: string; labels: Set<string> }>();
  readonly clusters = new Map<string, ArchitectureCluster>();

  /**
   * Counting only: how many nodes are not components (clients, gateway, services), which the grouping's budget
   * needs before the graph is drawn. Then unit nodes and edges are not made.
   */
  constructor(readonly counting = false) {}

  node(n: ArchitectureNode): ArchitectureNode {
    const had = this.nodes.get(n.id);
    if (had) return had;
    if (this.counting && (n.kind === 'component' || n.kind === 'group')) return n;
    this.nodes.set(n.id, n);
    return n;
  }

  edge(from: string, to: string, label?: string): void {
    if (from === to || this.counting) return;
    const key = `${from}\0${to}`;
    const e = this.edges.get(key) ?? { from, to, labels: new Set<string>() };
    if (label) e.labels.add(label);
    this.edges.set(key, e);
  }

  graph(provider: Provider | undefined, notes: string[]): ArchitectureGraph {
    const ids = new Set(this.nodes.keys());
    const edges: ArchitectureEdge[] = [...this.edges.values()]
      .filter((e) => ids.has(e.from) && ids.has(e.to))
      .map((e) =>
        e.labels.size ? { from: e.from, to: e.to, label: [...e.labels].sort().join(', ') } : { from: e.from, to: e.to },
      );
    return {
      nodes: [...this.nodes.values()],
      edges,
      ...(this.clusters.size ? { clusters: [...this.clusters.values()] } : {}),
      ...(provider ? { provider } : {}),
      ...(notes.length ? { notes } : {}),
    };
  }
}

interface Context {
  report: Report;
  provider: Provider;
  names: ProviderNames;
  offering?: string;
  components: Component[];
  byId: Map<string, Component>;
  processOf: Map<string, string | undefined>;
  processName: Map<string, { name: string; entry?: string }>;
  findings: Map<string, Finding>;
  collapseHosts: boolean;
  collapseQueues: Set<string>;
}

/** One node of the proposed graph per target of a unit's members (a route group half in functions, half staying). */
interface Part {
  unit: DisplayUnit;
  target: Target;
  members: Component[];
  id: string;
}

function unitId(u: DisplayUnit): string {
  return u.kind === 'group' ? nodeId('grp', u.key) : nodeId('cmp', u.key);
}

function targetsOf(members: readonly Component[]): Partial<Record<Target, number>> {
  const out: Partial<Record<Target, number>> = {};
  for (const t of TARGET_ORDER) {
    const n = members.filter((c) => targetOf(c) === t).length;
    if (n) out[t] = n;
  }
  return out;
}

function majority(members: readonly Component[]): Target {
  const t = targetsOf(members);
  return TARGET_ORDER.reduce((best, x) => ((t[x] ?? 0) > (t[best] ?? 0) ? x : best), TARGET_ORDER[0]!);
}

function mixText(members: readonly Component[]): string {
  const t = targetsOf(members);
  const keys = Object.keys(t) as Target[];
  return keys.length === 1 ? keys[0]! : keys.map((k) => `${k} ${t[k]}`).join(' · ');
}

/** The offering quoted for components on a target, and their cost on it (a sum for functions, one fleet for containers). */
function quote(ctx: Context, members: readonly Component[], target: Target): ArchitectureNode['cost'] | undefined {
  if (target === 'keep') return undefined;
  const o = ctx.names.offerings;
  const list =
    target === 'container' ? o.container : target === 'edge' ? o.edge : members.every(isHttpish) ? o.http : o.function;
  const role = target === 'container' ? 'container' : 'function';
  const pick = (off: string): OfferingCost[] | undefined => {
    const costs = members.map((c) => c.cost?.find((x) => x.offering === off && x.role === role));
    return costs.every((x): x is OfferingCost => x !== undefined) ? costs : undefined;
  };
  let chosen: { offering: string; costs: OfferingCost[] } | undefined;
  for (const off of [...(ctx.offering ? [ctx.offering] : []), ...list]) {
    const costs = pick(off);
    if (costs) {
      chosen = { offering: off, costs };
      break;
    }
  }
  if (!chosen && role === 'container') {
    // This provider has no container baseline priced: quote the cheapest one that is.
    const offerings = [
      ...new Set(members.flatMap((c) => (c.cost ?? []).filter((x) => x.role === 'container').map((x) => x.offering))),
    ];
    const priced = offerings
      .map((off) => ({ offering: off, costs: pick(off) }))
      .filter((x): x is { offering: string; costs: OfferingCost[] } => x.costs !== undefined)
      .sort(
        (a, b) =>
          maxRanges(a.costs.map((c) => c.monthlyUsd)).likely - maxRanges(b.costs.map((c) => c.monthlyUsd)).likely,
      );
    chosen = priced[0];
  }
  if (!chosen) return undefined;
  const ranges = chosen.costs.map((c) => c.monthlyUsd);
  if (role === 'container') {
    return {
      offering: chosen.offering,
      monthlyUsd: round(maxRanges(ranges)),
      basis:
        members.length > 1
          ? `one always-on fleet shared by ${members.length} components (the largest of their estimates), before free tiers`
          : 'an always-on fleet, before free tiers',
    };
  }
  return {
    offering: chosen.offering,
    monthlyUsd: round(sumRanges(ranges)),
    basis: members.length > 1 ? `the sum of ${members.length} components, before free tiers` : 'before free tiers',
  };
}

function coldStartOf(members: readonly Component[]): number | undefined {
  const ms = members.map((c) => c.coldStart?.estimateMs).filter((x): x is number => x !== undefined);
  return ms.length ? Math.max(...ms) : undefined;
}

function costLine(cost: NonNullable<ArchitectureNode['cost']>, container: boolean): string {
  return `~${usd(cost.monthlyUsd.likely)}/mo on ${offeringLabel(cost.offering)}${container ? ' (shared fleet)' : ''}`;
}

/** Where a unit's parts go in the proposal. */
function tierOf(target: Target): ArchitectureTier {
  return target === 'edge' ? 'edge' : target === 'container' ? 'containers' : 'functions';
}

/** The graph node a service use points at: one per service, per host for HTTP APIs, per queue for named queues. */
function serviceKey(ctx: Context, use: { service: string; resource?: string }): string {
  const info = serviceInfo(use.service);
  if (use.service === 'http') return ctx.collapseHosts ? 'http' : `http:${use.resource ?? ''}`;
  if (info.kind === 'queue' && use.resource !== undefined && !ctx.collapseQueues.has(use.service))
    return `queue:${use.service}:${use.resource}`;
  return use.service;
}

function serviceNodeId(key: string): string {
  if (key.startsWith('http:')) return nodeId('api', key);
  if (key.startsWith('queue:')) return nodeId('que', key);
  return `svc_${key.replace(/[^a-zA-Z0-9]+/g, '_')}`;
}

/** A queue's name as a box shows it: the last segment of an SQS queue URL. */
function queueLabel(name: string): string {
  return /^https?:\/\//.test(name) ? (name.replace(/\/+$/, '').split('/').pop() ?? name) : name;
}

/** Today's node for a service key. */
function serviceNode(ctx: Context, key: string, use: ServiceUse | undefined): ArchitectureNode {
  const id = serviceNodeId(key);
  if (key.startsWith('http:')) {
    return {
      id,
      label: key.slice(5),
      kind: 'api',
      tier: 'services',
      style: 'external',
      service: 'http',
      details: ['HTTP API'],
      ...(use ? { location: use.location } : {}),
    };
  }
  if (key === 'http') {
    return { id, label: 'External HTTP APIs', kind: 'api', tier: 'services', style: 'external', service: 'http' };
  }
  if (key.startsWith('queue:')) {
    const [, service, ...rest] = key.split(':');
    const info = serviceInfo(service!);
    return {
      id,
      label: queueLabel(rest.join(':')),
      kind: 'queue',
      tier: 'services',
      style: 'external',
      service: info.key,
      details: [info.label],
      ...(use ? { location: use.location } : {}),
    };
  }
  const info = serviceInfo(key);
  return {
    id,
    label: info.label,
    kind: info.kind,
    tier: 'services',
    style: 'external',
    service: info.key,
    ...(use ? { location: use.location } : {}),
  };
}

/** Queue nodes and uses of one component: what it sends to and what triggers it. */
function consumedQueue(ctx: Context, c: Component): string | undefined {
  const t = c.trigger;
  if (t.type !== 'queue') return undefined;
  const system = QUEUE_SYSTEMS[t.system] ?? t.system;
  return serviceKey(ctx, { service: system, resource: t.queue });
}

function countOf(ctx: Context, processId: string): string {
  const n = ctx.components.filter((c) => ctx.processOf.get(c.id) === processId).length;
  return `${n} component${n === 1 ? '' : 's'}`;
}

function unitDetailsToday(u: DisplayUnit): string[] {
  const out = [mixText(u.members)];
  if (u.countText) out.push(u.countText);
  else {
    const tt = triggerText(u.members[0]!);
    if (tt && tt !== u.label) out.push(tt);
  }
  return out;
}

function buildCurrent(ctx: Context, units: DisplayUnit[], counting = false): Builder {
  const b = new Builder(counting);
  const unitNode = new Map<string, string>();
  let clients = false;
  for (const u of units) {
    const id = counting ? '' : unitId(u);
    const single = u.members.length === 1;
    const c0 = u.members[0]!;
    const style = majority(u.members);
    const parent = u.processId ? nodeId('prc', u.processId) : undefined;
    if (u.processId && parent && !b.clusters.has(parent)) {
      const p = ctx.processName.get(u.processId);
      b.clusters.set(parent, {
        id: parent,
        label: p?.entry ? `${p.name} (${p.entry})` : (p?.name ?? u.processId),
        tier: 'containers',
        details: [`a process deployed today: ${countOf(ctx, u.processId)}`],
      });
    }
    const cost = single && !counting ? quote(ctx, u.members, targetOf(c0)) : undefined;
    const cold = coldStartOf(u.members);
    b.node({
      id,
      label: u.label,
      kind: u.kind,
      tier: parent ? 'containers' : 'functions',
      style,
      ...(parent ? { parent } : {}),
      details: unitDetailsToday(u),
      components: u.members.map((c) => c.id),
      ...(u.kind === 'group' ? { group: { id: u.key, count: u.members.length, targets: targetsOf(u.members) } } : {}),
      ...(cost ? { cost } : {}),
      ...(cold !== undefined ? { coldStartMs: cold } : {}),
      location: c0.location,
    });
    unitNode.set(u.key, id);
    for (const c of u.members) {
      if (isHttpish(c)) {
        clients = true;
        b.edge('clients', id, 'HTTP');
      } else if (c.kind === 'websocket') {
        clients = true;
        b.edge('clients', id, 'WebSocket');
      }
      const q = consumedQueue(ctx, c);
      if (q) {
        b.node(serviceNode(ctx, q, undefined));
        b.edge(serviceNodeId(q), id, 'consume');
      }
      for (const use of drawnUses(c)) {
        const key = serviceKey(ctx, use);
        b.node(serviceNode(ctx, key, use));
        b.edge(id, serviceNodeId(key), useLabel(use));
      }
    }
  }
  if (clients) b.node(clientsNode());
  return b;
}

/** The uses to draw: a consumer's own receiving from its queue is its trigger arrow already. */
function drawnUses(c: Component): ServiceUse[] {
  const t = c.trigger;
  if (t.type !== 'queue') return c.uses ?? [];
  const system = QUEUE_SYSTEMS[t.system] ?? t.system;
  return (c.uses ?? []).filter((u) => u.service !== system || (u.resource !== undefined && u.resource !== t.queue));
}

function useLabel(use: ServiceUse): string {
  if (use.operation) return use.operation;
  return serviceInfo(use.service).edge;
}

function hazardsOf(ctx: Context, members: readonly Component[]): Set<string> {
  const out = new Set<string>();
  for (const c of members)
    for (const f of c.findings) {
      const finding = ctx.findings.get(f);
      if (finding) out.add(finding.hazard);
    }
  return out;
}

function identityReplaced(ctx: Context, c: Component): boolean {
  if (targetOf(c) !== 'baas' || !isHttpish(c)) return false;
  return c.findings.some((f) => IDENTITY_RULES.has(ctx.findings.get(f)?.ruleId ?? ''));
}

/** A managed service's cost: the provider's priced offering, summed over the components it serves. */
function managedCost(
  ctx: Context,
  role: keyof ProviderNames['managed'],
  members: readonly Component[],
): ArchitectureNode['cost'] | undefined {
  const off = ctx.names.managed[role];
  if (!off) return undefined;
  const ranges = members
    .map((c) => c.cost?.find((x) => x.offering === off)?.monthlyUsd)
    .filter((r): r is CostRange => !!r);
  if (!ranges.length) return undefined;
  return {
    offering: off,
    monthlyUsd: round(sumRanges(ranges)),
    basis: `the sum over the ${ranges.length} components it serves, before free tiers`,
  };
}

function buildProposed(ctx: Context, units: DisplayUnit[], counting = false): Builder {
  const b = new Builder(counting);
  const n = ctx.names;
  const parts: Part[] = [];
  const identity: Component[] = [];
  for (const u of units) {
    const byTarget = new Map<Target, Component[]>();
    for (const c of u.members) {
      if (identityReplaced(ctx, c)) {
        identity.push(c);
        continue;
      }
      const t = targetOf(c);
      const list = byTarget.get(t);
      if (list) list.push(c);
      else byTarget.set(t, [c]);
    }
    const base = counting ? '' : unitId(u);
    for (const [target, members] of [...byTarget.entries()].sort(
      (a, z) => TARGET_ORDER.indexOf(a[0]) - TARGET_ORDER.indexOf(z[0]),
    ))
      parts.push({ unit: u, target, members, id: byTarget.size > 1 ? `${base}_${target}` : base });
  }
  const fnTier = (p: Part): boolean => p.target !== 'container' && p.target !== 'keep';
  const httpParts = parts.filter((p) => p.members.some(isHttpish));
  const gateway = httpParts.some((p) => p.target === 'faas' || p.target === 'baas');
  let clients = identity.length > 0;
  if (gateway) {
    clients = true;
    b.node({
      id: 'gateway',
      label: n.gateway,
      kind: 'gateway',
      tier: 'gateway',
      style: 'baas',
      details: ['routes requests to functions and containers'],
    });
    b.edge('clients', 'gateway', 'HTTPS');
  }
  // Managed services, made when first needed.
  const served = new Map<string, Component[]>();
  const serve = (id: string, members: readonly Component[]): void => {
    const list = served.get(id);
    if (list) list.push(...members);
    else served.set(id, [...members]);
  };
  const managed = (id: string, make: () => ArchitectureNode, members: readonly Component[]): string => {
    if (!b.nodes.has(id)) b.node(make());
    serve(id, members);
    return id;
  };

  // Queues whose consumers become functions move to the provider's queue.
  const movedQueues = new Set<string>();
  for (const p of parts) {
    if (!fnTier(p)) continue;
    for (const c of p.members) {
      const t = c.trigger;
      if (t.type === 'queue' && REDIS_QUEUES.has(t.system)) movedQueues.add(consumedQueue(ctx, c)!);
    }
  }
  const queueNode = (key: string, use: ServiceUse | undefined): string => {
    const today = serviceNode(ctx, key, use);
    if (movedQueues.has(key)) {
      const was = serviceInfo(today.service ?? key).label;
      b.node({ ...today, style: 'baas', details: [`${n.queue} · replaces ${was}`] });
    } else b.node(today);
    return today.id;
  };
  const serviceTarget = (use: ServiceUse): string => {
    const key = serviceKey(ctx, use);
    if (key.startsWith('queue:') || serviceInfo(use.service).kind === 'queue') return queueNode(key, use);
    const node = serviceNode(ctx, key, use);
    const info = serviceInfo(use.service);
    // A self-hosted cache becomes the provider's managed one.
    if (info.role === 'cache' && !info.provider) node.details = [`managed: ${n.cache}`];
    b.node(node);
    return node.id;
  };
  /** A service the code already uses that can take the role (S3 for files on AWS, the Redis for a cache). */
  const byRole = new Map<string, ServiceUse>();
  for (const c of ctx.components) {
    for (const u of c.uses ?? []) {
      const s = serviceInfo(u.service);
      if (s.role && !byRole.has(s.role) && (s.provider === ctx.provider || (s.role === 'cache' && !s.provider)))
        byRole.set(s.role, u);
    }
  }
  const existing = (role: NonNullable<ServiceInfo['role']>): string | undefined => {
    const use = byRole.get(role);
    return use ? serviceTarget(use) : undefined;
  };

  for (const p of parts) {
    const u = p.unit;
    const tier = tierOf(p.target);
    const parent = tier === 'containers' && u.processId ? nodeId('prc', u.processId) : undefined;
    if (parent && u.processId && !b.clusters.has(parent)) {
      const proc = ctx.processName.get(u.processId);
      b.clusters.set(parent, {
        id: parent,
        label: `${proc?.name ?? u.processId}: stays a container`,
        tier: 'containers',
        details: [proc?.entry ? `entry ${proc.entry}` : 'today’s process'],
      });
    }
    const cost = counting ? undefined : quote(ctx, p.members, p.target);
    const cold = fnTier(p) ? coldStartOf(p.members) : undefined;
    const product = p.target === 'container' ? n.containers : p.target === 'edge' ? n.edge : n.functions;
    const details = [`${p.target} · ${product}`];
    if (u.kind === 'group')
      details.push(p.members.length === u.members.length ? u.countText! : `${p.members.length} of ${u.countText}`);
    else {
      const tt = triggerText(p.members[0]!);
      if (tt && tt !== u.label) details.push(tt);
    }
    // A container's fleet is shared by everything in its process: its cost goes on the process, once.
    if (cost && p.target !== 'container') details.push(costLine(cost, false));
    if (cold !== undefined) details.push(`cold start ~${cold} ms${p.members.length > 1 ? ' (slowest)' : ''}`);
    b.node({
      id: p.id,
      label: u.label,
      kind: u.kind,
      tier,
      style: p.target,
      ...(parent ? { parent } : {}),
      details,
      components: p.members.map((c) => c.id),
      ...(u.kind === 'group' ? { group: { id: u.key, count: u.members.length, targets: targetsOf(u.members) } } : {}),
      ...(cost ? { cost } : {}),
      ...(cold !== undefined ? { coldStartMs: cold } : {}),
      location: p.members[0]!.location,
    });

    // How it is reached.
    const http = p.members.some(isHttpish);
    if (http && p.target === 'edge') {
      clients = true;
      b.edge('clients', p.id, 'HTTP');
    } else if (http && gateway) b.edge('gateway', p.id, 'route');
    else if (http) {
      clients = true;
      b.edge('clients', p.id, 'HTTP');
    }
    for (const c of p.members) {
      if (c.kind === 'websocket') {
        clients = true;
        if (fnTier(p)) {
          const id = managed(
            'mgd_websocket',
            () => ({
              id: 'mgd_websocket',
              label: n.websocket,
              kind: 'websocket-gateway',
              tier: 'services',
              style: 'baas',
              details: ['holds the connections; calls functions per message'],
            }),
            [c],
          );
          b.edge('clients', id, 'WebSocket');
          b.edge(id, p.id, 'messages');
        } else b.edge('clients', p.id, 'WebSocket');
      }
      if (c.kind === 'scheduled-job' && fnTier(p)) {
        const id = managed(
          'mgd_scheduler',
          () => ({
            id: 'mgd_scheduler',
            label: n.scheduler,
            kind: 'scheduler',
            tier: 'services',
            style: 'baas',
            details: ['replaces the in-process timers'],
          }),
          [c],
        );
        b.edge(id, p.id, 'schedule');
      }
      const q = consumedQueue(ctx, c);
      if (q) {
        const qid = queueNode(q, undefined);
        if (movedQueues.has(q)) serve(`queue:${qid}`, [c]);
        b.edge(qid, p.id, fnTier(p) ? 'trigger' : 'consume');
      }
      for (const use of drawnUses(c)) {
        const info = serviceInfo(use.service);
        const to = serviceTarget(use);
        const proxy = fnTier(p) && info.sql ? n.dbProxy(info.key) : undefined;
        if (proxy) {
          const pid = managed(
            `mgd_dbproxy_${info.key}`,
            () => ({
              id: `mgd_dbproxy_${info.key}`,
              label: proxy,
              kind: 'db-proxy',
              tier: 'services',
              style: 'baas',
              details: [`pools ${info.label} connections for functions`],
            }),
            [c],
          );
          b.edge(p.id, pid, useLabel(use));
          b.edge(pid, to, 'pooled');
        } else b.edge(p.id, to, useLabel(use));
      }
    }
    // What functions cannot keep in memory or on local disk goes to managed stores.
    if (fnTier(p)) {
      const hz = hazardsOf(ctx, p.members);
      if (hz.has('module-state') || hz.has('in-memory-session')) {
        const id = existing('kv') ?? 'mgd_kv';
        if (id === 'mgd_kv')
          managed(
            id,
            () => ({
              id,
              label: n.kv,
              kind: 'state-store',
              tier: 'services',
              style: 'baas',
              details: ['state and sessions that instances share'],
            }),
            p.members,
          );
        else serve(id, p.members);
        b.edge(p.id, id, hz.has('in-memory-session') ? 'sessions' : 'state');
      }
      if (hz.has('in-memory-cache')) {
        const id = existing('cache') ?? 'mgd_cache';
        if (id === 'mgd_cache')
          managed(
            id,
            () => ({
              id,
              label: n.cache,
              kind: 'cache',
              tier: 'services',
              style: 'baas',
              details: ['a cache instances share'],
            }),
            p.members,
          );
        b.edge(p.id, id, 'cache');
      }
      if (hz.has('local-fs-write') || hz.has('local-fs-read')) {
        const id = existing('storage') ?? 'mgd_storage';
        if (id === 'mgd_storage')
          managed(
            id,
            () => ({
              id,
              label: n.storage,
              kind: 'storage',
              tier: 'services',
              style: 'baas',
              details: ['files instead of the local disk'],
            }),
            p.members,
          );
        else serve(id, p.members);
        b.edge(p.id, id, 'files');
      }
    }
  }
  if (identity.length) {
    const shown = identity
      .slice(0, 2)
      .map((c) => c.name)
      .join(', ');
    managed(
      'mgd_identity',
      () => ({
        id: 'mgd_identity',
        label: n.identity,
        kind: 'identity',
        tier: 'services',
        style: 'baas',
        details: [`replaces ${shown}${identity.length > 2 ? ` and ${identity.length - 2} more` : ''}`],
        components: identity.map((c) => c.id),
        location: identity[0]!.location,
      }),
      identity,
    );
    b.edge('clients', 'mgd_identity', 'sign-in');
  }
  if (clients) b.node(clientsNode());
  if (counting) return b;
  // Managed services quote the provider's priced offering for what they serve.
  const roles: [string, keyof ProviderNames['managed']][] = [
    ['mgd_scheduler', 'scheduler'],
    ['mgd_identity', 'identity'],
    ['mgd_kv', 'kv'],
    ['mgd_storage', 'storage'],
  ];
  for (const [id, role] of roles) {
    const node = b.nodes.get(id);
    const cost = node ? managedCost(ctx, role, served.get(id) ?? []) : undefined;
    if (node && cost) {
      node.cost = cost;
      node.details = [...(node.details ?? []), costLine(cost, false)];
    }
  }
  for (const cluster of b.clusters.values()) {
    const inside = [...b.nodes.values()].filter((x) => x.parent === cluster.id);
    const members = inside.flatMap((x) => (x.components ?? []).map((id) => ctx.byId.get(id)!).filter(Boolean));
    const cost = quote(ctx, members, 'container');
    if (cost) cluster.details = [...(cluster.details ?? []), costLine(cost, true)];
  }
  for (const [key, members] of served) {
    if (!key.startsWith('queue:')) continue;
    const node = b.nodes.get(key.slice(6));
    const cost = node ? managedCost(ctx, 'queue', members) : undefined;
    if (node && cost) {
      node.cost = cost;
      node.details = [...(node.details ?? []), costLine(cost, false)];
    }
  }
  return b;
}

function isUnitNode(n: ArchitectureNode): boolean {
  return n.kind === 'component' || n.kind === 'group';
}

/** Today's architecture and the proposed one, as graphs, for a report. */
export function buildArchitecture(report: Report, options: ArchitectureOptions = {}): Architecture {
  const provider = options.provider ?? 'aws';
  const maxNodes = Math.max(8, options.maxNodes ?? DEFAULT_MAX_NODES);
  const expanded = new Set(options.expanded ?? []);
  const components = report.components.filter((c) => c.kind !== 'cli' && targetOf(c) !== 'keep');
  const left = report.components.length - components.length;

  const processOf = new Map<string, string | undefined>();
  const processName = new Map<string, { name: string; entry?: string }>();
  const processes = report.processes ?? [
    {
      id: 'process:app',
      name: 'app',
      basis: 'no process information',
      components: components.filter((c) => c.kind !== 'function').map((c) => c.id),
    },
  ];
  for (const p of processes) {
    processName.set(p.id, { name: p.name, ...(p.entry ? { entry: p.entry } : {}) });
    for (const id of p.components) processOf.set(id, p.id);
  }
  for (const c of components) if (!processOf.has(c.id)) processOf.set(c.id, undefined);

  const uses = components.flatMap((c) => c.uses ?? []);
  const hosts = new Set(uses.filter((u) => u.service === 'http').map((u) => u.resource));
  const queueCounts = new Map<string, Set<string>>();
  const addQueue = (service: string, name: string | undefined): void => {
    if (name === undefined || serviceInfo(service).kind !== 'queue') return;
    const set = queueCounts.get(service) ?? new Set<string>();
    set.add(name);
    queueCounts.set(service, set);
  };
  for (const u of uses) addQueue(u.service, u.resource);
  for (const c of components)
    if (c.trigger.type === 'queue') addQueue(QUEUE_SYSTEMS[c.trigger.system] ?? c.trigger.system, c.trigger.queue);
  const ctx: Context = {
    report,
    provider,
    names: PROVIDERS[provider],
    ...(options.offering ? { offering: options.offering } : {}),
    components,
    byId: new Map(components.map((c) => [c.id, c])),
    processOf,
    processName,
    findings: new Map(report.findings.map((f) => [f.id, f])),
    collapseHosts: hosts.size > MAX_HOSTS,
    collapseQueues: new Set([...queueCounts].filter(([, set]) => set.size > MAX_QUEUES).map(([k]) => k)),
  };

  // The nodes that are not components (clients, gateway, services, queues, managed services) do not depend on
  // grouping: each is made for some component of a target, and the proposal splits any unit by target. So one unit
  // of everything counts them, and the components get what is left of the budget.
  const everything: DisplayUnit[] = components.length
    ? [{ key: 'all', kind: 'group', members: components, label: 'all', http: false }]
    : [];
  const fixed = Math.max(
    ...[buildCurrent(ctx, everything, true), buildProposed(ctx, everything, true)].map(
      (b) => [...b.nodes.values()].filter((n) => !isUnitNode(n)).length,
    ),
  );
  const units = groupComponents({
    components,
    processOf,
    budget: maxNodes - fixed,
    expanded,
    targetOf,
  });
  const notes: string[] = [];
  if (left) notes.push(`${left} component${left === 1 ? '' : 's'} not deployed (keep: scripts, tooling) left out`);
  const groups = units.filter((u) => u.kind === 'group');
  if (groups.length)
    notes.push(
      `${groups.length} group${groups.length === 1 ? '' : 's'} of components (routes by path prefix, others by kind) within ${maxNodes} nodes; expand one by its group id`,
    );
  if (ctx.collapseHosts) notes.push(`${hosts.size} external hosts shown as one node`);
  for (const s of ctx.collapseQueues)
    notes.push(`${queueCounts.get(s)?.size ?? 0} ${serviceInfo(s).label} queues shown as one node`);
  const current = buildCurrent(ctx, units).graph(undefined, notes);
  const proposed = buildProposed(ctx, units).graph(provider, notes);
  return { current, proposed };
}
