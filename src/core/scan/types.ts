import type { ts } from '../ts';
import type { ComponentKind, Hazard, Location, Severity, Trigger } from '../model';

/** What an imported local name stands for. `imported` is 'default', '*' (namespace / whole CommonJS module) or a name. */
export interface ImportBinding {
  local: string;
  module: string;
  imported: string;
  node: ts.Node;
}

/**
 * A unit is the grain of attribution: a function-like body, or a top-level statement. Facts live in the
 * innermost unit around them; references between units make the reach graph.
 */
export interface Unit {
  id: number;
  file: string;
  kind: 'function' | 'statement';
  node: ts.Node;
  name?: string;
  parent?: number;
  children: number[];
  /** Names this unit reads that are declared at the top level of its file or imported into it. */
  refs: Set<string>;
  /** `obj.prop` where obj is such a name, `this`, or `this.field`. */
  memberRefs: { obj: string; prop: string }[];
  facts: number[];
}

export interface FactInput {
  /** The rule that produced it; becomes the finding's ruleId. */
  ruleId: string;
  hazard: Hazard;
  severity: Severity;
  message: string;
  fix: string;
  /** Where the finding points (the declaration for module state, the call for the rest). */
  node: ts.Node;
  /** The unit whose reach makes the finding apply; defaults to the unit around `node`. */
  owner?: number;
  /** Only report it when some component's handler reaches it. */
  requiresReach?: boolean;
  basis?: string;
  /** Free-form attributes that rules may match on later. */
  attrs?: Record<string, string | number | boolean>;
}

export interface Fact extends Omit<FactInput, 'node' | 'owner'> {
  id: number;
  owner: number;
  /** Source range of the node, for contextNodes lookups. */
  pos: number;
  end: number;
  location: Location;
  evidence: string;
}

/** A component as a detector sees it, before its handlers are resolved to units. */
export interface ComponentDraft {
  kind: ComponentKind;
  name: string;
  framework: string;
  trigger: Trigger;
  /** The registration (route call, decorator, `new Worker(...)`). */
  node: ts.Node;
  file: string;
  /** Expressions or function nodes that handle it: resolved to units for attribution. */
  handlers: ts.Node[];
  /** Extra units whose code runs for it (middleware on the path, the owning class): reached like handlers. */
  extraUnits?: number[];
  /** Code whose facts apply to it without being reached through it: `app.use(session())` on the way to a route. */
  contextNodes?: { file: string; node: ts.Node }[];
  /** Overrides the id computed from the trigger (kept stable: no absolute paths, no counters). */
  id?: string;
}

export interface FileIndex {
  file: string;
  sf: ts.SourceFile;
  imports: Map<string, ImportBinding>;
  /** Every module imported or required, with the unit of the import (side-effect imports included). */
  modules: { module: string; node: ts.Node; unit: number }[];
  /** Exported name -> local name in this file. */
  exports: Map<string, string>;
  /** Exported name -> re-export from another module. */
  reExports: Map<string, { module: string; imported: string }>;
  exportStars: string[];
  /** Top-level declared name -> the unit (statement) that declares it. */
  topLevel: Map<string, number>;
  /** Top-level variable declarations by name (for state and object-literal lookups). */
  topDecls: Map<string, ts.VariableDeclaration | ts.FunctionDeclaration | ts.ClassDeclaration>;
  /** Units of the top-level statements, in order. */
  statementUnits: number[];
  /** Writes to names declared elsewhere (top-level or imported), resolved at link time. */
  mutations: { unit: number; name: string; node: ts.Node; how: string }[];
}
