// The page's state and the one switch over the host's messages. No DOM here: the transport (acquireVsCodeApi in the
// page, a fake in the unit tests) is injected, and the custom elements only read from the store and call its
// actions. No analysis either: the page shows what the host sent and asks the host to redraw.
import { TARGETS, type Provider, type Target } from '../src/core/model';
import {
  MAX_WHAT_IF_REQUESTS,
  type WhatIf,
  type WhatIfOverride,
  type DiagramView,
  type ExportFormat,
  type HostMessage,
  type PageMessage,
  type PanelComponent,
  type PanelFinding,
  type PanelLocation,
  type PanelModel,
  type PanelNode,
} from '../src/protocol';

export const SIDE_TABS = ['components', 'costs', 'findings'] as const;
export type SideTab = (typeof SIDE_TABS)[number];
export const SORT_KEYS = [
  'name',
  'kind',
  'target',
  'requestsPerMonth',
  'monthlyUsd',
  'coldStartMs',
  'findings',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface Zoom {
  scale: number;
  x: number;
  y: number;
}

/** What survives a reload of the page (setState) and a new model from the host. */
export interface PageState {
  root?: string;
  provider?: Provider;
  expanded: string[];
  view: DiagramView;
  tab: SideTab;
  zoom: Partial<Record<DiagramView, Zoom>>;
  filter: { target: Target | ''; hazard: string; text: string };
  sort: { key: SortKey; dir: 1 | -1 };
  /** The what-if overrides by component id (kept like the filters; cleared when the folder changes). */
  whatIf: WhatIf;
}

export interface Transport {
  post(message: PageMessage): void;
  getState(): unknown;
  setState(state: PageState): void;
}

/** What changed, so each element redraws only its part (the diagram is not re-rendered for a table filter). */
export type Change = 'model' | 'empty' | 'view' | 'tab' | 'table' | 'zoom' | 'exported' | 'busy';

export function initialState(): PageState {
  return {
    expanded: [],
    view: 'proposed',
    tab: 'components',
    zoom: {},
    filter: { target: '', hazard: '', text: '' },
    sort: { key: 'name', dir: 1 },
    whatIf: {},
  };
}

/** A saved state is data from an earlier page: taken field by field, and only when well-formed. */
export function restoreState(saved: unknown): PageState {
  const s = initialState();
  if (typeof saved !== 'object' || saved === null) return s;
  const o = saved as Record<string, unknown>;
  if (typeof o.root === 'string') s.root = o.root;
  if (typeof o.provider === 'string' && ['aws', 'azure', 'gcp', 'cloudflare'].includes(o.provider))
    s.provider = o.provider as Provider;
  if (Array.isArray(o.expanded)) s.expanded = o.expanded.filter((x): x is string => typeof x === 'string');
  if (o.view === 'current' || o.view === 'proposed') s.view = o.view;
  if (typeof o.tab === 'string' && (SIDE_TABS as readonly string[]).includes(o.tab)) s.tab = o.tab as SideTab;
  if (typeof o.zoom === 'object' && o.zoom !== null)
    for (const v of ['current', 'proposed'] as const) {
      const z = (o.zoom as Record<string, unknown>)[v] as Partial<Zoom> | undefined;
      if (z && [z.scale, z.x, z.y].every((n) => typeof n === 'number' && Number.isFinite(n)) && z.scale! > 0)
        s.zoom[v] = { scale: z.scale!, x: z.x!, y: z.y! };
    }
  const f = o.filter as Record<string, unknown> | undefined;
  if (f && typeof f === 'object') {
    if (typeof f.target === 'string') s.filter.target = f.target as Target | '';
    if (typeof f.hazard === 'string') s.filter.hazard = f.hazard;
    if (typeof f.text === 'string') s.filter.text = f.text;
  }
  const so = o.sort as Record<string, unknown> | undefined;
  if (so && (SORT_KEYS as readonly string[]).includes(so.key as string) && (so.dir === 1 || so.dir === -1))
    s.sort = { key: so.key as SortKey, dir: so.dir };
  if (typeof o.whatIf === 'object' && o.whatIf !== null && !Array.isArray(o.whatIf)) {
    const list: [string, WhatIfOverride][] = [];
    for (const [id, v] of Object.entries(o.whatIf as Record<string, unknown>)) {
      if (typeof v !== 'object' || v === null) continue;
      const x = v as Record<string, unknown>;
      const w: WhatIfOverride = {};
      if (typeof x.target === 'string' && (TARGETS as readonly string[]).includes(x.target))
        w.target = x.target as Target;
      if (validRequests(x.requestsPerMonth)) w.requestsPerMonth = x.requestsPerMonth;
      if (w.target !== undefined || w.requestsPerMonth !== undefined) list.push([id, w]);
    }
    s.whatIf = Object.fromEntries(list);
  }
  return s;
}

function validRequests(n: unknown): n is number {
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= MAX_WHAT_IF_REQUESTS;
}

const SEVERITY_RANK = { error: 0, warning: 1, info: 2 } as const;

export class Store {
  state: PageState;
  model: PanelModel | undefined;
  empty: string | undefined;
  busy = false;
  lastExport: { format: ExportFormat; file?: string; error?: string } | undefined;
  private readonly listeners = new Set<(change: Change) => void>();

  constructor(private readonly transport: Transport) {
    this.state = restoreState(transport.getState());
  }

  subscribe(fn: (change: Change) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(change: Change): void {
    for (const fn of this.listeners) fn(change);
  }

  private save(): void {
    this.transport.setState(this.state);
  }

  /** The page has loaded: ask for the view it showed before (the host draws it again). */
  ready(): void {
    this.transport.post({
      type: 'ready',
      ...(this.state.root ? { root: this.state.root } : {}),
      ...(this.state.provider ? { provider: this.state.provider } : {}),
      expanded: this.state.expanded,
    });
    if (Object.keys(this.state.whatIf).length) this.postWhatIf();
  }

  /** The one switch over what the host sends. */
  receive(message: HostMessage): void {
    switch (message.type) {
      case 'model': {
        const m = message.model;
        if (this.state.root !== undefined && this.state.root !== m.root) {
          this.state.zoom = {};
          this.state.whatIf = {};
        } else {
          // Components a re-analysis dropped lose their overrides (the host drops them too).
          const ids = new Set(m.components.map((c) => c.id));
          this.state.whatIf = Object.fromEntries(Object.entries(this.state.whatIf).filter(([id]) => ids.has(id)));
        }
        this.model = m;
        this.empty = undefined;
        this.state.root = m.root;
        this.state.provider = m.provider;
        this.state.expanded = m.expanded;
        this.save();
        this.emit('model');
        return;
      }
      case 'empty':
        this.model = undefined;
        this.empty = message.reason;
        this.emit('empty');
        return;
      case 'busy':
        this.busy = message.busy;
        this.emit('busy');
        return;
      case 'exported':
        this.lastExport = {
          format: message.format,
          ...(message.file ? { file: message.file } : {}),
          ...(message.error ? { error: message.error } : {}),
        };
        this.emit('exported');
        return;
    }
  }

  private requestView(): void {
    this.transport.post({
      type: 'setView',
      ...(this.state.root ? { root: this.state.root } : {}),
      ...(this.state.provider ? { provider: this.state.provider } : {}),
      expanded: this.state.expanded,
    });
  }

  setView(view: DiagramView): void {
    if (this.state.view === view) return;
    this.state.view = view;
    this.save();
    this.emit('view');
  }

  setTab(tab: SideTab): void {
    if (this.state.tab === tab) return;
    this.state.tab = tab;
    this.save();
    this.emit('tab');
  }

  setZoom(view: DiagramView, zoom: Zoom): void {
    this.state.zoom[view] = zoom;
    this.save();
  }

  setFilter(filter: Partial<PageState['filter']>): void {
    this.state.filter = { ...this.state.filter, ...filter };
    this.save();
    this.emit('table');
  }

  /** A click on a column header: sort by it, or reverse when it already sorts. */
  sortBy(key: SortKey): void {
    this.state.sort = this.state.sort.key === key ? { key, dir: this.state.sort.dir === 1 ? -1 : 1 } : { key, dir: 1 };
    this.save();
    this.emit('table');
  }

  selectProvider(provider: Provider): void {
    if (provider === this.state.provider) return;
    this.state.provider = provider;
    this.save();
    this.requestView();
  }

  selectRoot(root: string): void {
    if (root === this.state.root) return;
    this.state.root = root;
    this.state.expanded = [];
    this.state.zoom = {};
    this.state.whatIf = {};
    this.save();
    this.requestView();
  }

  private postWhatIf(): void {
    this.transport.post({ type: 'whatIf', overrides: this.state.whatIf });
  }

  /** The what-if override of one component (undefined when none). */
  override(id: string): WhatIfOverride | undefined {
    return Object.hasOwn(this.state.whatIf, id) ? this.state.whatIf[id] : undefined;
  }

  /**
   * Sets or clears (null) a component's target or requests override, and asks the host for the model with the
   * what-if applied. An invalid number clears the requests override.
   */
  setOverride(id: string, patch: { target?: Target | null; requestsPerMonth?: number | null }): void {
    const next: WhatIfOverride = { ...this.override(id) };
    if (patch.target === null) delete next.target;
    else if (patch.target !== undefined) next.target = patch.target;
    if (
      patch.requestsPerMonth === null ||
      (patch.requestsPerMonth !== undefined && !validRequests(patch.requestsPerMonth))
    )
      delete next.requestsPerMonth;
    else if (patch.requestsPerMonth !== undefined) next.requestsPerMonth = patch.requestsPerMonth;
    const rest = Object.entries(this.state.whatIf).filter(([k]) => k !== id);
    this.state.whatIf = Object.fromEntries(
      next.target !== undefined || next.requestsPerMonth !== undefined ? [...rest, [id, next]] : rest,
    );
    this.save();
    this.postWhatIf();
  }

  /** Drops every override: the host draws the analysis again. */
  resetWhatIf(): void {
    if (!Object.keys(this.state.whatIf).length && !this.model?.whatIf) return;
    this.state.whatIf = {};
    this.save();
    this.postWhatIf();
  }

  expandGroup(id: string): void {
    if (this.state.expanded.includes(id)) return;
    this.state.expanded = [...this.state.expanded, id];
    this.save();
    this.requestView();
  }

  collapseAll(): void {
    if (!this.state.expanded.length) return;
    this.state.expanded = [];
    this.save();
    this.requestView();
  }

  node(view: DiagramView, id: string): PanelNode | undefined {
    return this.model?.[view].nodes.find((n) => n.id === id);
  }

  /** A diagram node was clicked or Enter was pressed on it: open a group, else go to its code. */
  activateNode(view: DiagramView, id: string): 'expanded' | 'opened' | 'nothing' {
    const n = this.node(view, id);
    if (!n) return 'nothing';
    if (n.group) {
      this.expandGroup(n.group.id);
      return 'expanded';
    }
    if (!n.location) return 'nothing';
    this.open(n.location);
    return 'opened';
  }

  open(at: PanelLocation): void {
    this.transport.post({ type: 'openLocation', file: at.file, line: at.line, column: at.column });
  }

  rendered(view: DiagramView, nodes: number): void {
    if (this.model) this.transport.post({ type: 'rendered', seq: this.model.seq, view, nodes });
  }

  exportDiagram(format: ExportFormat, data?: string): void {
    this.transport.post({
      type: 'export',
      format,
      view: this.state.view,
      ...(format === 'mermaid' ? {} : { data: data ?? '' }),
    });
  }

  reportError(message: string): void {
    this.transport.post({ type: 'error', message });
  }

  /** The hazards present in the model, for the filter. */
  hazards(): string[] {
    const set = new Set<string>();
    for (const c of this.model?.components ?? []) for (const h of c.hazards) set.add(h);
    for (const f of this.model?.findings ?? []) set.add(f.hazard);
    return [...set].sort();
  }

  visibleComponents(): PanelComponent[] {
    const { target, hazard, text } = this.state.filter;
    const q = text.trim().toLowerCase();
    const rows = (this.model?.components ?? []).filter(
      (c) =>
        (!target || c.target === target) &&
        (!hazard || c.hazards.includes(hazard)) &&
        (!q || c.name.toLowerCase().includes(q) || c.location.file.toLowerCase().includes(q)),
    );
    const { key, dir } = this.state.sort;
    const value = (c: PanelComponent): string | number => {
      const v = c[key];
      if (typeof v === 'number') return v;
      if (typeof v === 'string') return v.toLowerCase();
      // Unknown costs and cold starts sort last whichever the direction.
      return dir === 1 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    };
    return [...rows].sort((a, b) => {
      const x = value(a);
      const y = value(b);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return c * dir || a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
    });
  }

  visibleFindings(): PanelFinding[] {
    const { hazard, text } = this.state.filter;
    const q = text.trim().toLowerCase();
    return (this.model?.findings ?? [])
      .filter(
        (f) =>
          (!hazard || f.hazard === hazard) &&
          (!q || f.message.toLowerCase().includes(q) || f.location.file.toLowerCase().includes(q)),
      )
      .sort(
        (a, b) =>
          SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
          a.location.file.localeCompare(b.location.file) ||
          a.location.line - b.location.line,
      );
  }
}
