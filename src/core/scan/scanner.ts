import { ts } from '../ts';
import type { Detector, FileContext } from './detector';
import { isFunctionLike, nodeUnit, type ProjectIndex } from './project';
import type { ComponentDraft, FactInput, FileIndex, ImportBinding, Unit } from './types';

/** Read once: the compiler API's exports are getters, too slow for a per-node switch. */
const SK = ts.SyntaxKind;
const forEachChild = ts.forEachChild;
const canHaveModifiers = ts.canHaveModifiers;

const MUTATING_METHODS = new Set([
  'set',
  'add',
  'delete',
  'clear',
  'push',
  'pop',
  'shift',
  'unshift',
  'splice',
  'sort',
  'reverse',
  'fill',
  'copyWithin',
]);

export function scriptKindOf(file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (file.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.(c|m)?js$/.test(file)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

export function parseSource(file: string, text: string): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindOf(file));
}

/** The first syntax error of a parsed file, as "line:column message", or undefined when it parsed cleanly. */
export function syntaxError(sf: ts.SourceFile): string | undefined {
  const diags = (sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics;
  const d = diags?.[0];
  if (!d) return undefined;
  const pos = sf.getLineAndCharacterOfPosition(d.start);
  return `syntax error at ${pos.line + 1}:${pos.character + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
}

function requireModule(node: ts.Node | undefined): string | undefined {
  if (!node || node.kind !== SK.CallExpression) return undefined;
  const call = node as ts.CallExpression;
  const callee = call.expression;
  if (callee.kind !== SK.Identifier || (callee as ts.Identifier).text !== 'require' || call.arguments.length !== 1) {
    return undefined;
  }
  const arg = call.arguments[0]!;
  return arg.kind === SK.StringLiteral || arg.kind === SK.NoSubstitutionTemplateLiteral
    ? (arg as ts.StringLiteralLike).text
    : undefined;
}

function bindingNames(name: ts.BindingName, out: string[]): void {
  if (ts.isIdentifier(name)) out.push(name.text);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bindingNames(el.name, out);
}

/** As `ts.getModifiers(node)?.some(...)`, without the filtered copy (decorators never have a modifier's kind). */
function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  if (!canHaveModifiers(node)) return false;
  const mods = (node as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  if (!mods) return false;
  for (let i = 0; i < mods.length; i++) if (mods[i]!.kind === kind) return true;
  return false;
}

/** `module.exports` / `exports` member chains: returns the exported name ('default' for module.exports itself). */
function commonJsExportName(target: ts.Expression): string | undefined {
  if (ts.isPropertyAccessExpression(target)) {
    const obj = target.expression;
    if (
      ts.isIdentifier(target.name) &&
      ts.isIdentifier(obj) &&
      obj.text === 'module' &&
      target.name.text === 'exports'
    ) {
      return 'default';
    }
    if (ts.isIdentifier(obj) && obj.text === 'exports') return target.name.text;
    if (
      ts.isPropertyAccessExpression(obj) &&
      ts.isIdentifier(obj.expression) &&
      obj.expression.text === 'module' &&
      obj.name.text === 'exports'
    ) {
      return target.name.text;
    }
  }
  return undefined;
}

function isDeclarationName(id: ts.Identifier): boolean {
  const p = id.parent;
  switch (p.kind) {
    case SK.PropertyAccessExpression:
      return (p as ts.PropertyAccessExpression).name === id;
    case SK.PropertyAssignment:
    case SK.PropertyDeclaration:
    case SK.PropertySignature:
    case SK.MethodDeclaration:
    case SK.MethodSignature:
    case SK.GetAccessor:
    case SK.SetAccessor:
    case SK.EnumMember:
      return (p as ts.NamedDeclaration).name === id;
    case SK.VariableDeclaration:
    case SK.Parameter:
    case SK.FunctionDeclaration:
    case SK.FunctionExpression:
    case SK.ClassDeclaration:
    case SK.ClassExpression:
    case SK.InterfaceDeclaration:
    case SK.TypeAliasDeclaration:
    case SK.EnumDeclaration:
    case SK.ModuleDeclaration:
      return (p as ts.NamedDeclaration).name === id;
    case SK.BindingElement:
      return (p as ts.BindingElement).name === id || (p as ts.BindingElement).propertyName === id;
    case SK.ImportSpecifier:
    case SK.ImportClause:
    case SK.NamespaceImport:
    case SK.ExportSpecifier:
    case SK.ImportEqualsDeclaration:
    case SK.LabeledStatement:
    case SK.BreakStatement:
    case SK.ContinueStatement:
    case SK.TypeReference:
    case SK.QualifiedName:
    case SK.ExpressionWithTypeArguments:
      return true;
    default:
      return false;
  }
}

/** The identifier at the root of `a`, `a.b.c`, `a[k].b`, or undefined. */
export function rootIdentifier(expr: ts.Expression): ts.Identifier | undefined {
  let e: ts.Expression = expr;
  for (;;) {
    switch (e.kind) {
      case SK.Identifier:
        return e as ts.Identifier;
      case SK.PropertyAccessExpression:
      case SK.ElementAccessExpression:
      case SK.ParenthesizedExpression:
      case SK.NonNullExpression:
        e = (
          e as
            ts.PropertyAccessExpression | ts.ElementAccessExpression | ts.ParenthesizedExpression | ts.NonNullExpression
        ).expression;
        break;
      default:
        return undefined;
    }
  }
}

/** Pre-pass over the top-level statements: imports, requires, exports and the names declared at the top. */
function indexTopLevel(fi: FileIndex, sf: ts.SourceFile, newUnit: (node: ts.Node, kind: Unit['kind']) => number): void {
  const addImport = (b: ImportBinding): void => {
    fi.imports.set(b.local, b);
  };
  for (const st of sf.statements) {
    const unit = newUnit(st, st.kind === SK.FunctionDeclaration ? 'function' : 'statement');
    fi.statementUnits.push(unit);
    const exported = hasModifier(st, SK.ExportKeyword);
    const isDefault = hasModifier(st, SK.DefaultKeyword);
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const module = st.moduleSpecifier.text;
      fi.modules.push({ module, node: st, unit });
      const clause = st.importClause;
      if (clause?.name) addImport({ local: clause.name.text, module, imported: 'default', node: st });
      const nb = clause?.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) addImport({ local: nb.name.text, module, imported: '*', node: st });
      if (nb && ts.isNamedImports(nb)) {
        for (const el of nb.elements) {
          addImport({ local: el.name.text, module, imported: (el.propertyName ?? el.name).text, node: st });
        }
      }
    } else if (ts.isImportEqualsDeclaration(st)) {
      const ref = st.moduleReference;
      if (ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression)) {
        fi.modules.push({ module: ref.expression.text, node: st, unit });
        addImport({ local: st.name.text, module: ref.expression.text, imported: '*', node: st });
      }
    } else if (ts.isVariableStatement(st)) {
      for (const decl of st.declarationList.declarations) {
        // const x = require('m'), const { a, b: c } = require('m'), const X = require('m').X
        let init = decl.initializer;
        let member: string | undefined;
        if (init && ts.isPropertyAccessExpression(init) && requireModule(init.expression)) {
          member = init.name.text;
          init = init.expression;
        }
        const mod = requireModule(init);
        if (!mod) {
          const names: string[] = [];
          bindingNames(decl.name, names);
          for (const n of names) {
            fi.topLevel.set(n, unit);
            if (exported) fi.exports.set(n, n);
          }
          if (ts.isIdentifier(decl.name)) fi.topDecls.set(decl.name.text, decl);
        } else {
          fi.modules.push({ module: mod, node: st, unit });
          if (ts.isIdentifier(decl.name)) {
            addImport({ local: decl.name.text, module: mod, imported: member ?? '*', node: st });
          } else if (ts.isObjectBindingPattern(decl.name)) {
            for (const el of decl.name.elements) {
              if (!ts.isIdentifier(el.name)) continue;
              const prop = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text;
              addImport({ local: el.name.text, module: mod, imported: prop, node: st });
            }
          }
        }
      }
    } else if (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) {
      const name = st.name?.text ?? '__default__';
      fi.topLevel.set(name, unit);
      fi.topDecls.set(name, st);
      if (exported) fi.exports.set(isDefault ? 'default' : name, name);
    } else if (ts.isEnumDeclaration(st)) {
      fi.topLevel.set(st.name.text, unit);
      if (exported) fi.exports.set(st.name.text, st.name.text);
    } else if (ts.isExportAssignment(st)) {
      if (ts.isIdentifier(st.expression)) fi.exports.set('default', st.expression.text);
      else {
        fi.topLevel.set('__default__', unit);
        fi.exports.set('default', '__default__');
      }
    } else if (ts.isExportDeclaration(st)) {
      const mod = st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
      if (mod) fi.modules.push({ module: mod, node: st, unit });
      if (!st.exportClause) {
        if (mod) fi.exportStars.push(mod);
      } else if (ts.isNamedExports(st.exportClause)) {
        for (const el of st.exportClause.elements) {
          const local = (el.propertyName ?? el.name).text;
          if (mod) fi.reExports.set(el.name.text, { module: mod, imported: local });
          else fi.exports.set(el.name.text, local);
        }
      } else if (mod) {
        // export * as ns from 'm'
        fi.reExports.set(st.exportClause.name.text, { module: mod, imported: '*' });
      }
    } else if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression)) {
      const bin = st.expression;
      if (bin.operatorToken.kind !== SK.EqualsToken) continue;
      const name = commonJsExportName(bin.left);
      if (!name) continue;
      const right = bin.right;
      if (ts.isIdentifier(right)) fi.exports.set(name, right.text);
      else if (name === 'default' && ts.isObjectLiteralExpression(right)) {
        for (const p of right.properties) {
          if (ts.isShorthandPropertyAssignment(p)) fi.exports.set(p.name.text, p.name.text);
          else if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && ts.isIdentifier(p.initializer)) {
            fi.exports.set(p.name.text, p.initializer.text);
          } else if (p.name && ts.isIdentifier(p.name)) {
            const synthetic = `module.exports.${p.name.text}`;
            fi.topLevel.set(synthetic, unit);
            fi.exports.set(p.name.text, synthetic);
          }
        }
      } else {
        const mod = requireModule(right);
        if (mod) {
          fi.modules.push({ module: mod, node: st, unit });
          fi.reExports.set(name, { module: mod, imported: name === 'default' ? '*' : 'default' });
        } else {
          const synthetic = name === 'default' ? '__default__' : `module.exports.${name}`;
          fi.topLevel.set(synthetic, unit);
          fi.exports.set(name, synthetic);
        }
      }
    }
  }
}

const filters = new WeakMap<readonly Detector[], (text: string) => Detector[]>();

/**
 * Which detectors a file's text concerns, by their `mentions`: one pass over the text finds every mention string
 * it contains (overlapping ones included) instead of one `includes` per string per detector.
 */
export function mentionFilter(detectors: readonly Detector[]): (text: string) => Detector[] {
  const cached = filters.get(detectors);
  if (cached) return cached;
  const mentions = [...new Set(detectors.flatMap((d) => d.mentions ?? []))].filter((m) => m.length > 0);
  const findAll = mentionAutomaton(mentions) ?? mentionRegExp(mentions);
  const fn = (text: string): Detector[] => {
    const found = findAll(text);
    return detectors.filter((d) => !d.mentions || d.mentions.some((x) => found.has(x)));
  };
  filters.set(detectors, fn);
  return fn;
}

/**
 * The mentions a text contains, by a regular expression of all of them tried at every start position. Only for
 * mentions the automaton below does not take (non-ASCII ones).
 */
function mentionRegExp(mentions: string[]): (text: string) => Set<string> {
  const sorted = [...mentions].sort((a, b) => b.length - a.length);
  const re = new RegExp(sorted.map((m) => m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|') || '(?!)', 'g');
  const contained = new Map(mentions.map((m) => [m, mentions.filter((x) => m.includes(x))]));
  return (text) => {
    const found = new Set<string>();
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      for (const x of contained.get(m[0])!) found.add(x);
      re.lastIndex = m.index + 1;
    }
    return found;
  };
}

/**
 * The mentions a text contains, by an Aho-Corasick automaton over ASCII: one table lookup per character, where a
 * regular expression of a hundred alternatives tries them at every position (several times slower on a large
 * project). Undefined when a mention is not ASCII.
 */
function mentionAutomaton(mentions: string[]): ((text: string) => Set<string>) | undefined {
  for (const m of mentions) for (let i = 0; i < m.length; i++) if (m.charCodeAt(i) > 127) return undefined;
  // Characters no mention uses share class 0: reading one always leads back to the root.
  const classOf = new Uint8Array(128);
  let classes = 1;
  for (const m of mentions)
    for (let i = 0; i < m.length; i++) if (!classOf[m.charCodeAt(i)]) classOf[m.charCodeAt(i)] = classes++;
  // The trie, then its failure links, completed into a transition table (state * classes + class -> state).
  const next: number[][] = [new Array<number>(classes).fill(-1)];
  const outputs: number[][] = [[]];
  mentions.forEach((m, mi) => {
    let st = 0;
    for (let i = 0; i < m.length; i++) {
      const c = classOf[m.charCodeAt(i)]!;
      if (next[st]![c] === -1) {
        next[st]![c] = next.length;
        next.push(new Array<number>(classes).fill(-1));
        outputs.push([]);
      }
      st = next[st]![c]!;
    }
    outputs[st]!.push(mi);
  });
  const fail = new Array<number>(next.length).fill(0);
  const queue: number[] = [];
  for (let c = 0; c < classes; c++) {
    const to = next[0]![c]!;
    if (to === -1) next[0]![c] = 0;
    else queue.push(to);
  }
  for (let qi = 0; qi < queue.length; qi++) {
    const st = queue[qi]!;
    outputs[st] = [...outputs[st]!, ...outputs[fail[st]!]!];
    for (let c = 0; c < classes; c++) {
      const to = next[st]![c]!;
      if (to === -1) next[st]![c] = next[fail[st]!]![c]!;
      else {
        fail[to] = next[fail[st]!]![c]!;
        queue.push(to);
      }
    }
  }
  const table = new Int32Array(next.length * classes);
  next.forEach((row, st) => table.set(row, st * classes));
  const out = outputs.map((o) => (o.length ? o : undefined));
  return (text) => {
    const hit = new Uint8Array(mentions.length);
    let st = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      st = code < 128 ? table[st * classes + classOf[code]!]! : 0;
      const o = out[st];
      if (o) for (let k = 0; k < o.length; k++) hit[o[k]!] = 1;
    }
    const found = new Set<string>();
    for (let k = 0; k < mentions.length; k++) if (hit[k]) found.add(mentions[k]!);
    return found;
  };
}

/**
 * Most units reference nothing and contain no function: they share these empty values, and get their own on the
 * first write (below). The shared ones refuse writes, so that a write elsewhere that forgets this fails loudly.
 */
class SharedEmptySet<T> extends Set<T> {
  override add(): this {
    throw new Error('a shared empty Set of a unit: give the unit its own before adding to it');
  }
}
const NO_REFS: Set<string> = new SharedEmptySet<string>();
const NO_MEMBER_REFS = Object.freeze([]) as unknown as Unit['memberRefs'];
const NO_CHILDREN = Object.freeze([]) as unknown as number[];

/**
 * Records a require the top-level pre-pass did not see, once per unit. Out of line on purpose: a closure over the
 * walk's locals would make every call of the walk allocate a context for them.
 */
function addRequire(fi: FileIndex, module: string, node: ts.Node, unit: number): void {
  const modules = fi.modules;
  for (let i = 0; i < modules.length; i++) if (modules[i]!.unit === unit && modules[i]!.module === module) return;
  modules.push({ module, node, unit });
}

/** Detector indices by node kind, for one set of active detectors. */
type DispatchTable = number[][];

/** Per detector list, the dispatch tables of the detector sets that files activate (a handful in practice). */
const dispatchTables = new WeakMap<readonly Detector[], Map<string, { table: DispatchTable; everyNode: number[] }>>();

function dispatchTableFor(
  detectors: readonly Detector[],
  active: readonly Detector[],
): { table: DispatchTable; everyNode: number[] } {
  let byDetectors = dispatchTables.get(detectors);
  if (!byDetectors) {
    byDetectors = new Map<string, { table: DispatchTable; everyNode: number[] }>();
    dispatchTables.set(detectors, byDetectors);
  }
  const key = active.map((d) => detectors.indexOf(d)).join(',');
  let t = byDetectors.get(key);
  if (!t) {
    const table: DispatchTable = [];
    const everyNode: number[] = [];
    active.forEach((d, i) => {
      if (!d.kinds) everyNode.push(i);
      else for (const k of d.kinds) (table[k] ??= []).push(i);
    });
    byDetectors.set(key, (t = { table, everyNode }));
  }
  return t;
}

/** Unit ids for a re-scan (see scanFile). */
export interface UnitIds {
  reuse?: readonly number[];
  given?: number[];
}

export interface ScanStats {
  detectorVisits: number;
}

/** Where the walk of a file stands, shared by the contexts of its detectors. */
interface ScanState {
  /** The unit around the node being visited. */
  current: number;
}

/**
 * One detector's view of one file. A class rather than an object of closures: it is made per detector per file,
 * and its methods live once on the prototype.
 */
class DetectorFileContext implements FileContext {
  private kept: unknown;
  private hasKept = false;

  constructor(
    readonly file: string,
    readonly sf: ts.SourceFile,
    readonly index: FileIndex,
    readonly project: ProjectIndex,
    private readonly state: ScanState,
    private readonly detectorId: string,
  ) {}

  unit(): number {
    return this.state.current;
  }

  fact(input: FactInput): void {
    this.project.addFact(this.file, input, this.state.current);
  }

  component(draft: Omit<ComponentDraft, 'file'>): void {
    this.project.drafts.push({ ...draft, file: this.file });
  }

  importOf(expr: ts.Node): { module: string; name: string } | undefined {
    return importOf(this.index, expr);
  }

  data<T>(init: () => T): T {
    // The project keeps one value per detector and file: look it up once per file, not once per call.
    if (!this.hasKept) {
      this.kept = this.project.data<T>(this.detectorId, this.file, init);
      this.hasKept = true;
    }
    return this.kept as T;
  }
}

/**
 * Indexes one parsed file and walks it once, calling every interested detector on every node, collecting the
 * references and writes that attribution needs.
 *
 * `ids` is for an incremental session (session.ts): `reuse` are unit ids to give this file's units first, in order
 * (the ids of the file's previous units, so that an edit that keeps the number of functions keeps every id; more
 * units than that are appended), and `given` receives the id of every unit made, even when a detector throws.
 */
export function scanFile(
  project: ProjectIndex,
  file: string,
  sf: ts.SourceFile,
  detectors: readonly Detector[],
  ids?: UnitIds,
): void {
  const fi: FileIndex = {
    file,
    sf,
    imports: new Map(),
    modules: [],
    exports: new Map(),
    reExports: new Map(),
    exportStars: [],
    topLevel: new Map(),
    topDecls: new Map(),
    statementUnits: [],
    mutations: [],
  };
  project.files.set(file, fi);
  const units = project.units;
  const reuse = ids?.reuse;
  const given = ids?.given;
  let reused = 0;
  const newUnit = (node: ts.Node, kind: Unit['kind'], parent?: number): number => {
    const id = reuse && reused < reuse.length ? reuse[reused++]! : units.length;
    given?.push(id);
    let name: string | undefined;
    const nn = (node as ts.NamedDeclaration).name;
    if (nn && (nn.kind === SK.Identifier || nn.kind === SK.StringLiteral)) name = nn.text;
    else if (node.kind === SK.VariableStatement) {
      const d = (node as ts.VariableStatement).declarationList.declarations[0];
      if (d && d.name.kind === SK.Identifier) name = d.name.text;
    } else {
      const p = node.parent;
      if (p && p.kind === SK.VariableDeclaration && (p as ts.VariableDeclaration).name.kind === SK.Identifier) {
        name = ((p as ts.VariableDeclaration).name as ts.Identifier).text;
      } else if (p && p.kind === SK.PropertyAssignment && (p as ts.PropertyAssignment).name.kind === SK.Identifier) {
        name = ((p as ts.PropertyAssignment).name as ts.Identifier).text;
      }
    }
    units[id] = {
      id,
      file,
      kind,
      node,
      name,
      parent,
      children: NO_CHILDREN,
      refs: NO_REFS,
      memberRefs: NO_MEMBER_REFS,
      facts: [],
    };
    if (parent !== undefined) {
      const p = units[parent]!;
      if (p.children === NO_CHILDREN) p.children = [];
      p.children.push(id);
    }
    nodeUnit.set(node, id);
    return id;
  };
  indexTopLevel(fi, sf, (node, kind) => newUnit(node, kind));

  const all = mentionFilter(detectors)(sf.text);
  const active = all.filter((d) => d.visit !== undefined);
  const state: ScanState = { current: 0 };
  const ctxFor = (d: Detector): FileContext => new DetectorFileContext(file, sf, fi, project, state, d.id);
  const ctxs = active.map(ctxFor);
  // Dispatch by node kind: detectors that declare their kinds are called only for those.
  const { table: byKind, everyNode } = dispatchTableFor(detectors, active);
  const dispatch = (node: ts.Node): void => {
    const list = byKind[node.kind];
    if (list) for (let i = 0; i < list.length; i++) active[list[i]!]!.visit!(node, ctxs[list[i]!]!);
    for (let i = 0; i < everyNode.length; i++) active[everyNode[i]!]!.visit!(node, ctxs[everyNode[i]!]!);
  };

  const imports = fi.imports;
  const topLevel = fi.topLevel;
  const known = (name: string): boolean => topLevel.has(name) || imports.has(name);
  const addRef = (unit: number, name: string): void => {
    const u = units[unit]!;
    if (u.refs === NO_REFS) u.refs = new Set();
    u.refs.add(name);
  };
  const addMemberRef = (unit: number, obj: string, prop: string): void => {
    const u = units[unit]!;
    if (u.memberRefs === NO_MEMBER_REFS) u.memberRefs = [];
    u.memberRefs.push({ obj, prop });
  };

  // The walk recurses (the fastest way through ordinary code) down to MAX_RECURSION levels, and below that keeps its
  // own stack: a generated file with a 5,000-term string concatenation nests that deep, and recursing all the way
  // (four frames a level through forEachChild) overflowed the call stack near 2,000, which cost the user the whole
  // file. On that stack a number is the unit to go back to once a node's children are done; nodes are pushed in
  // reverse so that they are met in source order, as forEachChild would.
  let depth = 0;
  const work: (ts.Node | number)[] = [];
  const pushChild = (child: ts.Node): void => {
    work.push(child);
  };
  const pushChildren = (node: ts.Node): void => {
    const base = work.length;
    forEachChild(node, pushChild);
    reverseFrom(work, base);
  };
  const visit = (node: ts.Node): void => {
    const saved = enter(node);
    if (depth < MAX_RECURSION) {
      depth++;
      forEachChild(node, visit);
      depth--;
    } else {
      const base = work.length;
      pushChildren(node);
      while (work.length > base) {
        const next = work.pop()!;
        if (typeof next === 'number') state.current = next;
        else {
          work.push(enter(next));
          pushChildren(next);
        }
      }
    }
    state.current = saved;
  };

  /** The node itself (its unit, the detectors, references and mutations); returns the unit to go back to after it. */
  const enter = (node: ts.Node): number => {
    const saved = state.current;
    // Every function met here is new to this scan: the walk starts below the top-level statements (whose units
    // indexTopLevel made), and a tree scanned again (an incremental session re-scanning a file) gets fresh units.
    if (isFunctionLike(node)) state.current = newUnit(node, 'function', saved);
    dispatch(node);
    const current = state.current;
    switch (node.kind) {
      case SK.Identifier: {
        const id = node as ts.Identifier;
        // `obj.prop` is recorded as a member reference below, so that `svc.a` can reach `a` and not all of `svc`.
        const p = id.parent;
        const isObjOfMember =
          p.kind === SK.PropertyAccessExpression && (p as ts.PropertyAccessExpression).expression === id;
        if (!isObjOfMember && known(id.text) && !isDeclarationName(id)) addRef(current, id.text);
        break;
      }
      case SK.PropertyAccessExpression: {
        const pa = node as ts.PropertyAccessExpression;
        const obj = pa.expression;
        if (obj.kind === SK.Identifier) {
          const objName = (obj as ts.Identifier).text;
          if (known(objName)) addMemberRef(current, objName, pa.name.text);
        } else if (obj.kind === SK.ThisKeyword) addMemberRef(current, 'this', pa.name.text);
        else if (
          obj.kind === SK.PropertyAccessExpression &&
          (obj as ts.PropertyAccessExpression).expression.kind === SK.ThisKeyword
        ) {
          addMemberRef(current, `this.${(obj as ts.PropertyAccessExpression).name.text}`, pa.name.text);
        }
        break;
      }
      case SK.BinaryExpression: {
        const bin = node as ts.BinaryExpression;
        const op = bin.operatorToken.kind;
        if (op >= SK.FirstAssignment && op <= SK.LastAssignment) {
          const root = rootIdentifier(bin.left);
          if (root && known(root.text)) {
            fi.mutations.push({
              unit: current,
              name: root.text,
              node: bin,
              how: bin.left.kind === SK.Identifier ? 'assigns' : 'writes a property of',
            });
          }
        }
        break;
      }
      case SK.PrefixUnaryExpression:
      case SK.PostfixUnaryExpression: {
        const u = node as ts.PrefixUnaryExpression | ts.PostfixUnaryExpression;
        if (u.operator === SK.PlusPlusToken || u.operator === SK.MinusMinusToken) {
          const root = rootIdentifier(u.operand);
          if (root && known(root.text)) fi.mutations.push({ unit: current, name: root.text, node: u, how: 'updates' });
        }
        break;
      }
      case SK.DeleteExpression: {
        const root = rootIdentifier((node as ts.DeleteExpression).expression);
        if (root && known(root.text)) fi.mutations.push({ unit: current, name: root.text, node, how: 'deletes from' });
        break;
      }
      case SK.CallExpression: {
        const call = node as ts.CallExpression;
        const callee = call.expression;
        if (
          callee.kind === SK.PropertyAccessExpression &&
          MUTATING_METHODS.has((callee as ts.PropertyAccessExpression).name.text)
        ) {
          const method = (callee as ts.PropertyAccessExpression).name.text;
          const root = rootIdentifier((callee as ts.PropertyAccessExpression).expression);
          if (root && known(root.text)) {
            fi.mutations.push({ unit: current, name: root.text, node: call, how: `calls .${method}() on` });
          }
        } else {
          // Requires that the top-level pre-pass did not see: lazy ones in functions, `app.use(require('./x'))`.
          const mod = requireModule(call);
          if (mod) addRequire(fi, mod, call, current);
        }
        break;
      }
    }
    return saved;
  };

  for (let i = 0; i < sf.statements.length; i++) {
    state.current = fi.statementUnits[i]!;
    const st = sf.statements[i]!;
    // The statement's own node is already a unit; detectors still see it, then its children.
    dispatch(st);
    forEachChild(st, visit);
  }
  for (const d of all) {
    if (d.endFile) d.endFile(ctxs[active.indexOf(d)] ?? ctxFor(d));
  }
}

/** How deep the scan's walk recurses before it keeps its own stack (ordinary code stays well above it). */
const MAX_RECURSION = 400;

/** Reverses a[from..] in place. */
function reverseFrom<T>(a: T[], from: number): void {
  for (let i = from, j = a.length - 1; i < j; i++, j--) {
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}

export function importOf(fi: FileIndex, expr: ts.Node): { module: string; name: string } | undefined {
  switch (expr.kind) {
    case SK.Identifier: {
      const b = fi.imports.get((expr as ts.Identifier).text);
      return b ? { module: b.module, name: b.imported } : undefined;
    }
    case SK.PropertyAccessExpression: {
      const pa = expr as ts.PropertyAccessExpression;
      const inner = importOf(fi, pa.expression);
      if (!inner) return undefined;
      if (inner.name === 'default' || inner.name === '*') return { module: inner.module, name: pa.name.text };
      return { module: inner.module, name: `${inner.name}.${pa.name.text}` };
    }
    case SK.CallExpression: {
      const mod = requireModule(expr);
      return mod ? { module: mod, name: '*' } : undefined;
    }
    case SK.ParenthesizedExpression:
    case SK.AsExpression:
    case SK.NonNullExpression:
      return importOf(fi, (expr as ts.ParenthesizedExpression | ts.AsExpression | ts.NonNullExpression).expression);
    default:
      return undefined;
  }
}
