import type { Component, ComponentKind, Target } from '../model';

// Grouping, so that a system with hundreds of routes still reads as a diagram.
//
// HTTP routes (and GraphQL endpoints) form a tree by the static segments of their paths, per process. The diagram
// starts from the whole tree and splits groups, largest first, down to the first segment that names a resource
// (`/api/v1/orders`: `api` and `v1` do not), as long as the diagram stays within its node budget. A group that cannot
// be split within the budget keeps its largest children and folds the rest into one "more" group. A group of one is
// shown as its component. Other components are shown one by one unless they alone would take more than half of the
// budget; then the largest kinds fold into one node per kind. Every group has an id; passing it in `expanded` shows
// its members (a route group opens one level of its tree), whatever the budget.

export interface DisplayUnit {
  /** The component id, or the group id (`routes:/api/orders`, `routes:/api~more`, `kind:scheduled-job`). */
  key: string;
  kind: 'component' | 'group';
  members: Component[];
  label: string;
  /** "5 routes", "3 scheduled jobs". */
  countText?: string;
  processId?: string;
  http: boolean;
}

export interface GroupingInput {
  components: readonly Component[];
  processOf: ReadonlyMap<string, string | undefined>;
  /** Nodes the component units may take (a group costs one node per distinct target of its members). */
  budget: number;
  expanded: ReadonlySet<string>;
  targetOf: (c: Component) => Target;
}

/** Path segments that group routes without naming what they serve. */
const GENERIC = /^(api|apis|rest|rpc|public|private|internal|external|v\d+(\.\d+)*)$/i;

const KIND_WORDS: Record<ComponentKind, [string, string]> = {
  'http-route': ['route', 'routes'],
  'route-group': ['route group', 'route groups'],
  'queue-consumer': ['queue consumer', 'queue consumers'],
  'scheduled-job': ['scheduled job', 'scheduled jobs'],
  websocket: ['websocket server', 'websocket servers'],
  worker: ['worker', 'workers'],
  graphql: ['GraphQL endpoint', 'GraphQL endpoints'],
  function: ['function', 'functions'],
  cli: ['command', 'commands'],
};

export function countWords(kind: ComponentKind, n: number): string {
  const [one, many] = KIND_WORDS[kind];
  return `${n} ${n === 1 ? one : many}`;
}

export function routePath(c: Component): string | undefined {
  const t = c.trigger;
  if (t.type === 'http') return t.path;
  if (t.type === 'graphql') return t.path ?? '/graphql';
  return undefined;
}

/** The leading segments of a path that are fixed text (up to the first parameter or wildcard). */
function staticSegments(path: string): string[] {
  const out: string[] = [];
  for (const s of path.split('/')) {
    if (!s) continue;
    if (/^[:{[*(]/.test(s) || /[*:{}()[\]]/.test(s)) break;
    out.push(s);
  }
  return out;
}

interface RouteNode {
  segments: string[];
  members: Component[];
  /** Routes whose fixed part ends here. */
  leaves: Component[];
  children: Map<string, RouteNode>;
  /** A "more" node: the children of `segments` that did not fit. */
  more?: boolean;
}

type Item = { type: 'component'; c: Component } | { type: 'group'; node: RouteNode; processId?: string };

function treeOf(components: Component[]): RouteNode {
  const root: RouteNode = { segments: [], members: [], leaves: [], children: new Map() };
  for (const c of components) {
    let n = root;
    n.members.push(c);
    for (const s of staticSegments(routePath(c) ?? '/')) {
      let child = n.children.get(s);
      if (!child)
        n.children.set(s, (child = { segments: [...n.segments, s], members: [], leaves: [], children: new Map() }));
      child.members.push(c);
      n = child;
    }
    n.leaves.push(c);
  }
  return root;
}

/** Down a chain of single children: `/api` holding only `/api/v1` is shown as `/api/v1`. */
function compress(n: RouteNode, processId: string | undefined): Item {
  while (!n.more && !n.leaves.length && n.children.size === 1) n = [...n.children.values()][0]!;
  return n.members.length === 1 ? { type: 'component', c: n.members[0]! } : { type: 'group', node: n, processId };
}

function prefixOf(n: RouteNode): string {
  return `/${n.segments.join('/')}`;
}

export function groupComponents(input: GroupingInput): DisplayUnit[] {
  const { components, processOf, expanded, targetOf } = input;
  const budget = Math.max(1, input.budget);
  const http = components.filter((c) => routePath(c) !== undefined);
  const others = components.filter((c) => routePath(c) === undefined);

  const httpProcesses = [...new Set(http.map((c) => processOf.get(c.id)))];
  const suffix = (processId: string | undefined, processes: (string | undefined)[]): string =>
    processes.length > 1 ? `@${processId ?? 'functions'}` : '';
  const groupId = (n: RouteNode, processId: string | undefined): string =>
    `routes:${prefixOf(n)}${n.more ? '~more' : ''}${suffix(processId, httpProcesses)}`;
  const cost = (members: readonly Component[]): number =>
    members.length === 1 ? 1 : new Set(members.map(targetOf)).size;
  const itemCost = (i: Item): number => (i.type === 'component' ? 1 : cost(i.node.members));
  const expand = (n: RouteNode, processId: string | undefined): Item[] => [
    ...n.leaves.map((c): Item => ({ type: 'component', c })),
    ...[...n.children.values()].map((ch) => compress(ch, processId)),
  ];

  // Other components: one node each, unless they would take more than half of the budget.
  const otherBudget = http.length ? Math.max(4, Math.floor(budget / 2)) : budget;
  const kindGroups = new Map<string, { kind: ComponentKind; processId?: string; members: Component[] }>();
  const kindProcesses = new Map<ComponentKind, Set<string | undefined>>();
  for (const c of others) {
    const set = kindProcesses.get(c.kind) ?? new Set();
    set.add(processOf.get(c.id));
    kindProcesses.set(c.kind, set);
  }
  const kindKey = (kind: ComponentKind, processId: string | undefined): string =>
    `kind:${kind}${suffix(processId, [...(kindProcesses.get(kind) ?? [])])}`;
  for (const c of others) {
    const processId = processOf.get(c.id);
    const key = kindKey(c.kind, processId);
    const g = kindGroups.get(key) ?? { kind: c.kind, processId, members: [] };
    g.members.push(c);
    kindGroups.set(key, g);
  }
  const folded = new Set<string>();
  let otherCount = others.length;
  const foldable = [...kindGroups.entries()]
    .filter(([key, g]) => g.members.length > 1 && !expanded.has(key))
    .sort((a, b) => b[1].members.length - a[1].members.length || a[0].localeCompare(b[0]));
  for (const [key, g] of foldable) {
    if (otherCount <= otherBudget) break;
    folded.add(key);
    otherCount += cost(g.members) - g.members.length;
  }
  const units: DisplayUnit[] = [];
  for (const [key, g] of kindGroups) {
    if (folded.has(key)) {
      units.push({
        key,
        kind: 'group',
        members: g.members,
        label: KIND_WORDS[g.kind][1][0]!.toUpperCase() + KIND_WORDS[g.kind][1].slice(1),
        countText: countWords(g.kind, g.members.length),
        processId: g.processId,
        http: false,
      });
    } else {
      for (const c of g.members)
        units.push({ key: c.id, kind: 'component', members: [c], label: c.name, processId: g.processId, http: false });
    }
  }

  // Routes: split from the root down to the resources while the budget allows.
  let items: Item[] = httpProcesses.map((p) => compress(treeOf(http.filter((c) => processOf.get(c.id) === p)), p));
  let total = otherCount + items.reduce((a, i) => a + itemCost(i), 0);
  const tried = new Set<RouteNode>();
  for (;;) {
    const candidates = items
      .filter((i): i is Extract<Item, { type: 'group' }> => i.type === 'group')
      .filter((i) => !tried.has(i.node) && !i.node.more && i.node.segments.every((s) => GENERIC.test(s)))
      .sort(
        (a, b) => b.node.members.length - a.node.members.length || prefixOf(a.node).localeCompare(prefixOf(b.node)),
      );
    const g = candidates[0];
    if (!g) break;
    tried.add(g.node);
    const children = expand(g.node, g.processId);
    const delta = children.reduce((a, i) => a + itemCost(i), 0) - itemCost(g);
    if (total + delta <= budget) {
      items = items.flatMap((i) => (i === g ? children : [i]));
      total += delta;
      continue;
    }
    // Keep the largest children that fit; fold the others into one "more" group.
    const sorted = [...children].sort(
      (a, b) =>
        (b.type === 'group' ? b.node.members.length : 1) - (a.type === 'group' ? a.node.members.length : 1) ||
        (a.type === 'group' ? prefixOf(a.node) : a.c.id).localeCompare(b.type === 'group' ? prefixOf(b.node) : b.c.id),
    );
    const keep: Item[] = [];
    let used = 0;
    for (const ch of sorted) {
      if (total + used + itemCost(ch) > budget) break;
      keep.push(ch);
      used += itemCost(ch);
    }
    if (!keep.length || keep.length >= children.length - 1) continue;
    const rest = sorted.slice(keep.length);
    const more: RouteNode = {
      segments: g.node.segments,
      members: rest.flatMap((i) => (i.type === 'component' ? [i.c] : i.node.members)),
      leaves: rest.flatMap((i) => (i.type === 'component' ? [i.c] : [])),
      children: new Map(
        rest.flatMap((i) => (i.type === 'group' ? [[i.node.segments.join('/'), i.node] as const] : [])),
      ),
      more: true,
    };
    const moreItem: Item = { type: 'group', node: more, processId: g.processId };
    items = items.flatMap((i) => (i === g ? [...keep, moreItem] : [i]));
    total += used + itemCost(moreItem) - itemCost(g);
  }
  // What the reader asked to see.
  for (let opened = true; opened;) {
    opened = false;
    items = items.flatMap((i) => {
      if (i.type !== 'group' || !expanded.has(groupId(i.node, i.processId))) return [i];
      opened = true;
      return expand(i.node, i.processId);
    });
  }
  for (const i of items) {
    if (i.type === 'component') {
      units.push({
        key: i.c.id,
        kind: 'component',
        members: [i.c],
        label: i.c.name,
        processId: processOf.get(i.c.id),
        http: true,
      });
      continue;
    }
    const n = i.node;
    const routes = n.members.length;
    units.push({
      key: groupId(n, i.processId),
      kind: 'group',
      members: n.members,
      label: n.more ? `${prefixOf(n) === '/' ? '' : prefixOf(n)}/… (other routes)` : prefixOf(n),
      countText: `${routes} ${routes === 1 ? 'route' : 'routes'}`,
      processId: i.processId,
      http: true,
    });
  }
  // Expanded kind groups show their members (they were never folded).
  return units;
}
