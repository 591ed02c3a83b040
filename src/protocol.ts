// The one protocol between the extension host and the architecture panel (webview/), both directions, declared once
// and imported by both sides. Pure: no `vscode`, no DOM, no Node, so the page bundle and the unit tests load it too.
//
// The page is untrusted input: whatever it posts goes through parsePageMessage() before the host looks at it.
// Unknown types, missing or wrongly typed fields, oversized payloads and paths that are not plain root-relative
// paths are rejected (with the reason, for the log). The host still resolves a file against the analysed root and
// refuses what lands outside it.
import { TARGETS, type CostRange, type Provider, type Severity, type Target } from './core/model';

export const PROVIDER_IDS = ['aws', 'azure', 'gcp', 'cloudflare'] as const satisfies readonly Provider[];
export const DIAGRAM_VIEWS = ['proposed', 'current'] as const;
export type DiagramView = (typeof DIAGRAM_VIEWS)[number];
export const EXPORT_FORMATS = ['svg', 'png', 'mermaid'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Root-relative, '/'-separated; 1-based line and column (the report's convention). */
export interface PanelLocation {
  file: string;
  line: number;
  column: number;
}

/** What the page needs of an architecture node: to find it in the SVG, describe it and act on a click. */
export interface PanelNode {
  id: string;
  label: string;
  kind: string;
  target?: Target | 'external';
  /** Where a click goes: the node's own location, else its first component's handler. */
  location?: PanelLocation;
  /** For a group node: the id to expand, and how many components it stands for. */
  group?: { id: string; count: number };
  components: string[];
  monthlyUsd?: number;
  coldStartMs?: number;
}

export interface PanelDiagram {
  /** Mermaid flowchart text from the core renderer (labels already escaped there). */
  mermaid: string;
  nodes: PanelNode[];
  notes: string[];
}

export interface PanelComponent {
  id: string;
  name: string;
  kind: string;
  /** The target shown (the what-if's when it overrides one, else the analysis's). */
  target: Target;
  /** The target the analysis chose. */
  analysedTarget: Target;
  /** The monthly requests the analysis priced (usage profile or default by kind). */
  requestsPerMonth?: number;
  /** True when a what-if override applies to this component. */
  whatIf?: boolean;
  confidence?: number;
  /** The likely monthly cost on the quoted offering, and that offering's label. */
  monthlyUsd?: number;
  offering?: string;
  coldStartMs?: number;
  hazards: string[];
  findings: number;
  location: PanelLocation;
}

export interface PanelFinding {
  id: string;
  ruleId: string;
  hazard: string;
  severity: Severity;
  message: string;
  location: PanelLocation;
  components: number;
}

export interface PanelOfferingTotal {
  offering: string;
  label: string;
  provider: Provider;
  role: string;
  monthlyUsd: CostRange;
}

export interface PanelBreakEven {
  serverless: string;
  container: string;
  requestsPerMonth: number | null;
  multipleOfLikely: number | null;
  note: string;
}

/** The whole system's monthly cost against monthly requests on the panel's provider (the break-even chart). */
export interface PanelCurve {
  provider: Provider;
  requestsPerMonth: number[];
  likelyRequestsPerMonth: number;
  series: { offering: string; label: string; role: string; monthlyUsd: number[] }[];
  /** Where each container becomes cheaper than the quoted function (offering ids of `series`). */
  breakEven: { serverless: string; container: string; requestsPerMonth: number | null; label: string }[];
}

export interface PanelCosts {
  snapshotDate?: string;
  usedDefaults: boolean;
  freeTier: boolean;
  offerings: PanelOfferingTotal[];
  breakEven: PanelBreakEven[];
  curve?: PanelCurve;
}

/** Everything the panel shows for one analysed folder, for one provider and set of expanded groups. */
export interface PanelModel {
  root: string;
  /** The analysed folders the user can switch between (absolute paths), with a short name each. */
  roots: { root: string; name: string }[];
  provider: Provider;
  providers: Provider[];
  expanded: string[];
  current: PanelDiagram;
  proposed: PanelDiagram;
  components: PanelComponent[];
  findings: PanelFinding[];
  costs?: PanelCosts;
  /** The what-if the host applied to this model (absent when none). */
  whatIf?: { overrides: WhatIf; note: string };
  /** Increases with every model the host posts; the page echoes it in `rendered`. */
  seq: number;
}

/** A what-if for one component: another target, another monthly volume, or both. */
export interface WhatIfOverride {
  target?: Target;
  requestsPerMonth?: number;
}
/** Overrides by component id. */
export type WhatIf = Record<string, WhatIfOverride>;

// ---------------------------------------------------------------------------------------------------------------
// Host -> page

export type HostMessage =
  | { type: 'model'; model: PanelModel }
  | { type: 'empty'; reason: string }
  | { type: 'busy'; busy: boolean }
  | { type: 'exported'; format: ExportFormat; file?: string; error?: string };

// ---------------------------------------------------------------------------------------------------------------
// Page -> host

/** What the page keeps across reloads and tells the host on `ready`, so the host draws the same view again. */
export interface ViewRequest {
  root?: string;
  provider?: Provider;
  expanded: string[];
}

export type PageMessage =
  | ({ type: 'ready' } & ViewRequest)
  | ({ type: 'setView' } & ViewRequest)
  | { type: 'rendered'; seq: number; view: DiagramView; nodes: number }
  | { type: 'openLocation'; file: string; line: number; column: number }
  | { type: 'export'; format: ExportFormat; view: DiagramView; data?: string }
  | { type: 'whatIf'; overrides: WhatIf }
  | { type: 'error'; message: string };

export const MAX_EXPORT_BYTES = 32 * 1024 * 1024;
const MAX_TEXT = 2000;
const MAX_EXPANDED = 500;
const MAX_ID = 300;
export const MAX_WHAT_IF = 5000;
export const MAX_WHAT_IF_REQUESTS = 1e12;

/** What the host knows when it checks a message: the ids of the components of the report the page shows. */
export interface ParseContext {
  componentIds?: ReadonlySet<string>;
}

export type Parsed = { ok: true; message: PageMessage } | { ok: false; reason: string };

/**
 * A plain root-relative path: '/'-separated, no empty, `.` or `..` segment, not absolute, no drive letter or
 * scheme, no backslash, no control characters. (The host also checks where it resolves.)
 */
export function isPlainRelativePath(file: string): boolean {
  if (!file || file.length > 1024) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f:]/.test(file)) return false;
  if (file.startsWith('/') || file.startsWith('~')) return false;
  return file.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

/**
 * A value for a refusal's reason (it goes to the log): at most `max` characters, and never a throw. What a page posts
 * crosses as a structured clone, which carries BigInts and cyclic objects, and JSON.stringify throws on both.
 */
function show(x: unknown, max = 100): string {
  let s: string | undefined;
  try {
    s = JSON.stringify(x);
  } catch {
    // below
  }
  return (s ?? (typeof x === 'bigint' ? `${x}n` : `a ${typeof x}`)).slice(0, max);
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isPosInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 1 && x <= 1e7;
const isId = (x: unknown): x is string => typeof x === 'string' && x.length > 0 && x.length <= MAX_ID;
const oneOf = <T extends string>(list: readonly T[], x: unknown): x is T =>
  typeof x === 'string' && (list as readonly string[]).includes(x);

function viewRequest(m: Record<string, unknown>): ViewRequest | string {
  const out: ViewRequest = { expanded: [] };
  if (m.root !== undefined) {
    if (typeof m.root !== 'string' || m.root.length > 4096) return 'root is not a string';
    out.root = m.root;
  }
  if (m.provider !== undefined) {
    if (!oneOf(PROVIDER_IDS, m.provider)) return `unknown provider ${show(m.provider)}`;
    out.provider = m.provider;
  }
  if (m.expanded !== undefined) {
    if (!Array.isArray(m.expanded) || m.expanded.length > MAX_EXPANDED) return 'expanded is not a list of group ids';
    // Spread first: every() skips the holes of a sparse array, which a structured clone keeps.
    const list: unknown[] = [...(m.expanded as unknown[])];
    if (!list.every(isId)) return 'expanded is not a list of group ids';
    out.expanded = [...new Set(list)];
  }
  return out;
}

function whatIf(x: unknown, ctx: ParseContext): WhatIf | string {
  if (!isRecord(x)) return 'overrides is not an object';
  const entries = Object.entries(x);
  if (entries.length > MAX_WHAT_IF) return `more than ${MAX_WHAT_IF} overrides`;
  const out: [string, WhatIfOverride][] = [];
  for (const [id, o] of entries) {
    if (!isId(id)) return 'bad component id';
    if (ctx.componentIds && !ctx.componentIds.has(id)) return `unknown component ${show(id, 200)}`;
    if (!isRecord(o)) return `override of ${id} is not an object`;
    const v: WhatIfOverride = {};
    if (o.target !== undefined) {
      if (!oneOf(TARGETS, o.target)) return `unknown target ${show(o.target)}`;
      v.target = o.target;
    }
    if (o.requestsPerMonth !== undefined) {
      const n = o.requestsPerMonth;
      if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || n > MAX_WHAT_IF_REQUESTS)
        return `requestsPerMonth of ${id} must be a finite number from 0 to ${MAX_WHAT_IF_REQUESTS}`;
      v.requestsPerMonth = n;
    }
    if (v.target !== undefined || v.requestsPerMonth !== undefined) out.push([id, v]);
  }
  // fromEntries defines own properties: an id such as `__proto__` cannot reach the prototype.
  return Object.fromEntries(out);
}

/**
 * Checks a message from the page; returns it typed (only the known fields) or why it was refused. With a context,
 * component ids must belong to the report the page shows.
 */
export function parsePageMessage(x: unknown, ctx: ParseContext = {}): Parsed {
  const no = (reason: string): Parsed => ({ ok: false, reason });
  if (!isRecord(x)) return no('not an object');
  switch (x.type) {
    case 'ready':
    case 'setView': {
      const v = viewRequest(x);
      return typeof v === 'string' ? no(`${x.type}: ${v}`) : { ok: true, message: { type: x.type, ...v } };
    }
    case 'rendered':
      if (!(typeof x.seq === 'number' && Number.isInteger(x.seq) && x.seq >= 0)) return no('rendered: bad seq');
      if (!oneOf(DIAGRAM_VIEWS, x.view)) return no('rendered: bad view');
      if (!(typeof x.nodes === 'number' && Number.isInteger(x.nodes) && x.nodes >= 0)) return no('rendered: bad nodes');
      return { ok: true, message: { type: 'rendered', seq: x.seq, view: x.view, nodes: x.nodes } };
    case 'openLocation':
      if (typeof x.file !== 'string' || !isPlainRelativePath(x.file))
        return no(`openLocation: not a root-relative path: ${show(x.file, 200)}`);
      if (!isPosInt(x.line) || !isPosInt(x.column)) return no('openLocation: line and column must be integers >= 1');
      return { ok: true, message: { type: 'openLocation', file: x.file, line: x.line, column: x.column } };
    case 'export': {
      if (!oneOf(EXPORT_FORMATS, x.format)) return no('export: unknown format');
      if (!oneOf(DIAGRAM_VIEWS, x.view)) return no('export: bad view');
      if (x.format === 'mermaid') {
        if (x.data !== undefined) return no('export: mermaid takes no data (the host writes its own text)');
        return { ok: true, message: { type: 'export', format: 'mermaid', view: x.view } };
      }
      if (typeof x.data !== 'string' || x.data.length > MAX_EXPORT_BYTES) return no('export: data missing or too big');
      if (x.format === 'svg' && !/^<svg[\s>]/.test(x.data)) return no('export: svg data does not start with <svg');
      if (x.format === 'png' && !/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/.test(x.data))
        return no('export: png data is not a base64 PNG data URL');
      return { ok: true, message: { type: 'export', format: x.format, view: x.view, data: x.data } };
    }
    case 'whatIf': {
      const w = whatIf(x.overrides, ctx);
      return typeof w === 'string' ? no(`whatIf: ${w}`) : { ok: true, message: { type: 'whatIf', overrides: w } };
    }
    case 'error':
      if (typeof x.message !== 'string') return no('error: message is not a string');
      return { ok: true, message: { type: 'error', message: x.message.slice(0, MAX_TEXT) } };
    default:
      return no(`unknown message type ${show(x.type)}`);
  }
}
