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
  files: Set<string>;
}

/**
 * What an incremental session keeps of attribution between runs: each unit's reference edges and each handler set's
 * reach, with the files whose content they were computed from. An edit to a file drops exactly what read it; a file
 * created or deleted can change how any import resolves, so it drops everything (`clear`).
 */
export class ReachMemory {
  /** Unit -> flattened (unit, depth) pairs its references lead to (see refEdges). */
  readonly edges = new Map<number, number[]>();
  /** File -> units whose edges were resolved by reading it. */
  private readonly edgesReading = new Map<string, number[]>();
  /** Unit -> the files its edges read (the unit's own file first). */
  private readonly edgeFiles = new Map<number, string[]>();
  /** Start units (joined) -> their reach and every file it was computed from. */
  private readonly reaches = new Map<string, { reach: Reach; files: Set<string> }>();
  /** Per run: the reaches asked for, so that `prune` drops the ones no component needs any more. */
  private asked = new Set<string>();
  /** Handler expression -> the units it hands control to (Resolver.unitsOf), with the file it was resolved in. */
  private handlers = new WeakMap<ts.Node, { file: string; units: number[] }>();
  /** File -> handler expressions whose resolution read it. */
  private readonly handlersReading = new Map<string, ts.Node[]>();

  /** Resolver.unitsOf, kept until a file the resolution read changes. */
  unitsOf(resolver: Resolver, file: string, node: ts.Node): number[] {
    const kept = this.handlers.get(node);
    if (kept && kept.file === file) return kept.units;
    const outer = resolver.reads;
    const read = new Set<string>([file]);
    resolver.reads = read;
    let units: number[];
    try {
      units = resolver.unitsOf(file, node);
    } finally {
      resolver.reads = outer;
    }
    this.handlers.set(node, { file, units });
    for (const f of read) {
      const list = this.handlersReading.get(f);
      if (list) list.push(node);
      else this.handlersReading.set(f, [node]);
    }
    return units;
  }

  recordEdges(unit: number, out: number[], files: string[]): void {
    this.edges.set(unit, out);
    this.edgeFiles.set(unit, files);
    for (const f of files) {
      const list = this.edgesReading.get(f);
      if (list) list.push(unit);
      else this.edgesReading.set(f, [unit]);
    }
  }

  filesOfEdges(unit: number): string[] | undefined {
    return this.edgeFiles.get(unit);
  }

  reach(key: string): Reach | undefined {
    this.asked.add(key);
    return this.reaches.get(key)?.reach;
  }

  recordReach(key: string, reach: Reach, files: Set<string>): void {
    this.reaches.set(key, { reach, files });
  }

  /**
   * Forgets what read the changed files, and the edges of the units those files had (their ids may be given to the
   * new content's units).
   */
  forget(changed: ReadonlySet<string>, units: Iterable<number>): void {
    for (const f of changed) {
      for (const u of this.edgesReading.get(f) ?? []) this.dropEdges(u);
      this.edgesReading.delete(f);
      for (const node of this.handlersReading.get(f) ?? []) this.handlers.delete(node);
      this.handlersReading.delete(f);
    }
    for (const u of units) this.dropEdges(u);
    for (const [key, r] of this.reaches) {
      for (const f of changed) {
        if (r.files.has(f)) {
          this.reaches.delete(key);
          break;
        }
      }
    }
  }

  /** Drops the reaches of handler sets no component asked for since the last prune. */
  prune(): void {
    for (const key of this.reaches.keys()) if (!this.asked.has(key)) this.reaches.delete(key);
    this.asked = new Set();
  }

  clear(): void {
    this.handlers = new WeakMap();
    this.handlersReading.clear();
    this.edges.clear();
    this.edgesReading.clear();
    this.edgeFiles.clear();
    this.reaches.clear();
    this.asked = new Set();
  }

  private dropEdges(u: number): void {
    // The stale entries of edgesReading that still name u are harmless: they only drop u again later.
    this.edges.delete(u);
    this.edgeFiles.delete(u);
  }
}

/**
 * The units a component's handlers reach, across files, through calls and references: a route that calls a
 * service that writes a module-level Map reaches that write. Top-level statements are reached only for what
 * they declare (`const pool = new Pool()` when the pool is used), never wholesale, so a route registered in a
 * server file is not charged with every other thing that file starts; the imports of every file it reaches
 * are, since they load with it (cold start, native modules).
 *
 * With a memory (an incremental session), edges are kept across runs and the reach of a handler set is reused
 * while none of the files it was computed from changed.
 */
export function reachFrom(project: ProjectIndex, resolver: Resolver, start: number[], memory?: ReachMemory): Reach {
  if (!memory) return walkReach(project, resolver, start, edgeCache(resolver));
  const key = start.join(',');
  const kept = memory.reach(key);
  if (kept) return kept;
  const used: number[] = [];
  const reach = walkReach(project, resolver, start, memory.edges, memory, used);
  const files = new Set(reach.files);
  for (const u of used) for (const f of memory.filesOfEdges(u) ?? []) files.add(f);
  memory.recordReach(key, reach, files);
  return reach;
}

function walkReach(
  project: ProjectIndex,
  resolver: Resolver,
  start: number[],
  edges: Map<number, number[]>,
  memory?: ReachMemory,
  used?: number[],
): Reach {
  const depth = new Map<number, number>();
  // A stack of (unit, wanted depth) pairs, flattened: every component walks it, so no tuple per step.
  const queue: number[] = [];
  for (const u of start) queue.push(u, FULL);
  const files = new Set<string>();
  const units = project.units;
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
    if (!out) {
      if (memory) {
        const read = new Set<string>([unit.file]);
        resolver.reads = read;
        try {
          out = refEdges(project, resolver, u);
        } finally {
          resolver.reads = undefined;
        }
        memory.recordEdges(u, out, [...read]);
      } else edges.set(u, (out = refEdges(project, resolver, u)));
    }
    used?.push(u);
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
  return { units: depth, files };
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
