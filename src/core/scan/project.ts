import { ts } from '../ts';

/** Read once: the compiler API's exports are getters, too slow for a per-node switch. */
const SK = ts.SyntaxKind;
import type { Location, SkippedFile } from '../model';
import type { ComponentDraft, Fact, FactInput, FileIndex, Unit } from './types';

/** Everything the single pass learned, shared by the link step, attribution and the report. */
export class ProjectIndex {
  readonly files = new Map<string, FileIndex>();
  readonly facts: Fact[] = [];
  readonly drafts: ComponentDraft[] = [];
  /** Per detector, per file: what the detector kept for its link step. */
  readonly detectorData = new Map<string, Map<string, unknown>>();
  /** package.json dependencies of the analysed folder and its nested packages (name -> version range). */
  readonly dependencies = new Map<string, string>();
  /** devDependencies of the same package.json files (tooling such as wrangler or @vercel/node lives there). */
  readonly devDependencies = new Map<string, string>();
  /** Every package.json of the tree, parsed once, by root-relative folder ('' for the root). */
  packageJsons = new Map<string, Record<string, unknown>>();
  /** Root-relative manifests found by discovery (package.json, tsconfig.json, serverless.yml, ...). */
  manifests: string[] = [];
  /** What detectors could not read (a broken serverless.yml): merged into stats.skipped. */
  readonly skipped: SkippedFile[] = [];

  /**
   * @param units Every unit by id. An incremental session hands each run's index the same array, so that the units
   * of unchanged files keep their ids (session.ts).
   */
  constructor(
    readonly root: string,
    readonly units: Unit[] = [],
  ) {}

  unitOfNode(file: string, node: ts.Node): number | undefined {
    const fi = this.files.get(file);
    if (!fi) return undefined;
    return nodeUnit.get(node);
  }

  addFact(file: string, input: FactInput, currentUnit: number): Fact {
    const fi = this.files.get(file)!;
    const fact: Fact = {
      id: this.facts.length,
      ruleId: input.ruleId,
      hazard: input.hazard,
      severity: input.severity,
      message: input.message,
      fix: input.fix,
      requiresReach: input.requiresReach,
      basis: input.basis,
      attrs: input.attrs,
      owner: input.owner ?? currentUnit,
      pos: input.node.pos,
      end: input.node.end,
      location: locationOf(fi.sf, input.node, file),
      evidence: evidenceOf(fi.sf, input.node),
    };
    this.facts.push(fact);
    this.units[fact.owner]?.facts.push(fact.id);
    return fact;
  }

  data<T>(detector: string, file: string, init: () => T): T {
    let byFile = this.detectorData.get(detector);
    if (!byFile) this.detectorData.set(detector, (byFile = new Map<string, unknown>()));
    let d = byFile.get(file) as T | undefined;
    if (d === undefined) byFile.set(file, (d = init()));
    return d;
  }

  dataOf<T>(detector: string): Map<string, T> {
    return (this.detectorData.get(detector) as Map<string, T> | undefined) ?? new Map<string, T>();
  }
}

/** Node -> unit id for function-like nodes and top-level statements (filled by the scanner). */
export const nodeUnit = new WeakMap<ts.Node, number>();

export function locationOf(sf: ts.SourceFile, node: ts.Node, file: string): Location {
  const start = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  const end = sf.getLineAndCharacterOfPosition(node.getEnd());
  return {
    file,
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
  };
}

/** The first line of the node's code (or up to three when it starts with a short line), trimmed for a report. */
export function evidenceOf(sf: ts.SourceFile, node: ts.Node): string {
  // Only the first lines are shown: find them in the file's text rather than splitting all of a large node.
  // (Trimming drops the `\r` of CRLF line ends, as splitting on /\r?\n/ would.)
  const text = sf.text;
  const end = node.getEnd();
  const lineEnd = (from: number): number => {
    const nl = text.indexOf('\n', from);
    return nl === -1 || nl >= end ? end : nl;
  };
  let from = node.getStart(sf);
  let to = lineEnd(from);
  const multiline = to < end;
  let out = text.slice(from, to).trim();
  for (let i = 1; to < end && out.length < 40 && i < 3; i++) {
    from = to + 1;
    to = lineEnd(from);
    out += ' ' + text.slice(from, to).trim();
  }
  if (multiline || out.length > 160) out = out.length > 160 ? out.slice(0, 157) + '...' : out + ' ...';
  return out;
}

export function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  switch (node.kind) {
    case SK.FunctionDeclaration:
    case SK.FunctionExpression:
    case SK.ArrowFunction:
    case SK.MethodDeclaration:
    case SK.Constructor:
    case SK.GetAccessor:
    case SK.SetAccessor:
      return true;
    default:
      return false;
  }
}
