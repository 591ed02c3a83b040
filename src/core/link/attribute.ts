import { ts } from '../ts';
import type { ProjectIndex } from '../scan/project';
import type { Resolver } from '../scan/resolve';

/** How much of a unit a component reaches: only its facts, its own code, or its own code and the functions inside it. */
const FACTS = 1;
const OWN = 2;
const FULL = 3;

export interface Reach {
  /** Unit id -> depth of reach. */
  units: Map<number, number>;
  /** Facts that apply to the component. */
  facts: Set<number>;
  files: Set<string>;
}

/**
 * The units a component's handlers reach, across files, through calls and references: a route that calls a
 * service that writes a module-level Map reaches that write. Top-level statements are reached only for what
 * they declare (`const pool = new Pool()` when the pool is used), never wholesale, so a route registered in a
 * server file is not charged with every other thing that file starts; the imports of every file it reaches
 * are, since they load with it (cold start, native modules).
 */
export function reachFrom(project: ProjectIndex, resolver: Resolver, start: number[]): Reach {
  const depth = new Map<number, number>();
  // A stack of (unit, wanted depth) pairs, flattened: every component walks it, so no tuple per step.
  const queue: number[] = [];
  for (const u of start) queue.push(u, FULL);
  const files = new Set<string>();
  const units = project.units;
  const edges = edgeCache(resolver);
  while (queue.length) {
    const want = queue.pop()!;
    const u = queue.pop()!;
    const have = depth.get(u) ?? 0;
    if (have >= want) continue;
    depth.set(u, want);
    const unit = units[u]!;
    if (want === FACTS) continue;
    files.add(unit.file);
    const level = unit.kind === 'function' ? FULL : want;
    if (level === FULL) for (const c of unit.children) queue.push(c, FULL);
    if (have >= OWN) continue; // refs were already followed
    let out = edges.get(u);
    if (!out) edges.set(u, (out = refEdges(project, resolver, u)));
    for (let i = 0; i < out.length; i++) queue.push(out[i]!);
  }
  // What loads with every reached file: its imports.
  for (const f of files) {
    const fi = project.files.get(f);
    if (!fi) continue;
    for (const m of fi.modules) {
      const u = units[m.unit]!;
      if (u.kind === 'statement' && (depth.get(m.unit) ?? 0) < FACTS) depth.set(m.unit, FACTS);
    }
  }
  const facts = new Set<number>();
  for (const [u, d] of depth) {
    if (d < FACTS) continue;
    for (const f of units[u]!.facts) facts.add(f);
  }
  return { units: depth, facts, files };
}

/**
 * Per resolver (one per analysis), the (unit, depth) pairs each unit's references lead to: the same service is
 * reached from many routes, and its references resolve the same way every time.
 */
const edgeCaches = new WeakMap<Resolver, Map<number, number[]>>();

function edgeCache(resolver: Resolver): Map<number, number[]> {
  let c = edgeCaches.get(resolver);
  if (!c) edgeCaches.set(resolver, (c = new Map<number, number[]>()));
  return c;
}

/** What the references of unit `u` reach, as flattened (unit, depth) pairs in the order they are followed. */
function refEdges(project: ProjectIndex, resolver: Resolver, u: number): number[] {
  const unit = project.units[u]!;
  const out: number[] = [];
  for (const name of unit.refs) {
    const t = resolver.resolveName(unit.file, name);
    if (t?.kind === 'unit') out.push(t.unit, refDepth(project, t.unit));
  }
  for (const m of unit.memberRefs) {
    const t = resolver.resolveMember(unit.file, m.obj, m.prop, u);
    if (t?.kind === 'unit') {
      out.push(t.unit, refDepth(project, t.unit));
      // The object itself is initialised too (`new Pool()` behind `pool.query`).
      if (!m.obj.startsWith('this')) {
        const o = resolver.resolveName(unit.file, m.obj);
        if (o?.kind === 'unit' && o.unit !== t.unit) out.push(o.unit, OWN);
      }
    } else if (!m.obj.startsWith('this')) {
      const o = resolver.resolveName(unit.file, m.obj);
      if (o?.kind === 'unit') out.push(o.unit, refDepth(project, o.unit));
    }
  }
  return out;
}

/**
 * A referenced top-level statement is reached in full when it is a function or class (calling it runs it), and only
 * for its own code when it is a variable (`const svc = { a() {}, b() {} }`: `svc.a` reaches `a`, not `b`).
 */
function refDepth(project: ProjectIndex, unit: number): number {
  const u = project.units[unit]!;
  if (u.kind === 'function') return FULL;
  if (ts.isClassDeclaration(u.node)) return OWN;
  if (ts.isVariableStatement(u.node)) {
    // An exported arrow function `export const handler = async () => {}` is a function: reach its body.
    const init = u.node.declarationList.declarations[0]?.initializer;
    if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) return FULL;
    return OWN;
  }
  return FULL;
}
