import type { ts } from '../ts';
import type { ProjectIndex } from './project';
import type { Resolver } from './resolve';
import type { ComponentDraft, FactInput, FileIndex } from './types';

export interface FileContext {
  readonly file: string;
  readonly sf: ts.SourceFile;
  readonly index: FileIndex;
  readonly project: ProjectIndex;
  /** The unit around the node being visited. */
  unit(): number;
  fact(input: FactInput): void;
  component(draft: Omit<ComponentDraft, 'file'>): void;
  /**
   * What an expression names among this file's imports: `express.Router` and a destructured `Router` both give
   * `{ module: 'express', name: 'Router' }`; the default or namespace import itself gives name 'default' / '*'.
   */
  importOf(expr: ts.Node): { module: string; name: string } | undefined;
  /** This detector's own data for this file, kept for its link step. */
  data<T>(init: () => T): T;
}

export interface LinkContext {
  readonly project: ProjectIndex;
  readonly resolver: Resolver;
  component(draft: ComponentDraft): void;
  fact(file: string, input: FactInput, unit: number): void;
  /** Every file's data that this detector kept during the scan. */
  data<T>(): Map<string, T>;
  /** What an expression of `file` names among that file's imports (as FileContext.importOf). */
  importOf(file: string, expr: ts.Node): { module: string; name: string } | undefined;
  /** A file the detector could not use (a manifest that does not parse), listed in stats.skipped. */
  skip(file: string, reason: string): void;
}

/**
 * A detector looks at every node of the files it is interested in, during the single pass over each file, and
 * may link what it saw across files afterwards (router mounts, dependency injection).
 */
export interface Detector {
  id: string;
  /**
   * The detector only visits files whose text mentions one of these strings (module names, usually): a cheap
   * filter that keeps the pass fast. Omit to visit every file.
   */
  mentions?: string[];
  /**
   * The node kinds `visit` looks at. The scanner calls `visit` only for these (one table lookup per node instead of
   * one call per detector per node); omit to see every node.
   */
  kinds?: readonly ts.SyntaxKind[];
  visit?(node: ts.Node, ctx: FileContext): void;
  /** Called once per visited file after its walk. */
  endFile?(ctx: FileContext): void;
  link?(ctx: LinkContext): void;
}
