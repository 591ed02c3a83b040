// The messages between the extension host and the analysis worker (src/worker.ts), declared once for both sides.
// Plain data only: everything here crosses a structured-clone boundary.
import type { AnalyzeProgress } from './core/analyze';
import type { Arch } from './core/cost/types';
import type { Provider, Report } from './core/model';

/** What the host's settings hand the core for one workspace folder (see src/extension/config.ts). */
export interface FolderOptions {
  /** Absolute path of the folder to analyse. */
  root: string;
  include: string[];
  exclude: string[];
  maxFiles: number;
  /** Absolute folders of extra custom rules. */
  rulesDirs: string[];
  /** Restricted Mode: only the built-in rules (a workspace's own rule files are not loaded). */
  builtinRulesOnly: boolean;
  providers?: Provider[];
  arch: Arch;
}

/** What Export Report writes: the reports, the contract, SARIF for code scanning, infrastructure skeletons. */
export const REPORT_FORMATS = ['md', 'html', 'json', 'sarif', 'serverless', 'sam'] as const;
export type ExportFormat = (typeof REPORT_FORMATS)[number];

export type HostToWorker =
  /** A full analysis of a folder (a new session for it, replacing any earlier one). */
  | { type: 'analyze'; id: number; options: FolderOptions; cancel: SharedArrayBuffer }
  /** Files of an analysed folder changed on disk: re-analyse what they affect. */
  | { type: 'update'; id: number; root: string; files: string[]; cancel: SharedArrayBuffer }
  /** Render the last report of a folder in an export format. */
  | { type: 'render'; id: number; root: string; format: ExportFormat; outFile?: string }
  /** Forget a folder's session (results cleared, folder removed from the workspace). */
  | { type: 'forget'; root: string };

export type WorkerToHost =
  | { type: 'ready' }
  | { type: 'progress'; id: number; progress: AnalyzeProgress }
  | { type: 'report'; id: number; report: Report; incremental: boolean }
  | { type: 'rendered'; id: number; text: string }
  /** `cancelled`: the user asked; `input`: the folder cannot be analysed (missing, unreadable); else a bug. */
  | { type: 'failed'; id: number; message: string; kind: 'cancelled' | 'input' | 'error'; stack?: string };

/** Index of the cancellation flag in the request's shared Int32Array: the host sets it to 1 to cancel. */
export const CANCEL_FLAG = 0;
