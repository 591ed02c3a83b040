// <sa-app>: the panel's layout. A toolbar (folder, provider, today / proposed, zoom, export), the diagram, and
// beside it the tabs: components, costs, findings.
import type { Provider } from '../../src/core/model';
import type { DiagramView, ExportFormat } from '../../src/protocol';
import { h } from '../dom';
import { SIDE_TABS, type Store } from '../store';
import type { SaComponentsTable } from './sa-components-table';
import type { SaCosts } from './sa-costs';
import type { SaDiagram } from './sa-diagram';
import type { SaFindingsList } from './sa-findings-list';

const PROVIDER_NAMES: Record<Provider, string> = {
  aws: 'AWS',
  azure: 'Azure',
  gcp: 'Google Cloud',
  cloudflare: 'Cloudflare',
};
const VIEWS: { view: DiagramView; title: string }[] = [
  { view: 'proposed', title: 'Proposed' },
  { view: 'current', title: 'Today' },
];

type Valued = HTMLElement & { value: string };

function button(label: string, title: string, onClick: () => void, secondary = true): HTMLElement {
  const b = h('vscode-button', { secondary, title, 'aria-label': title }, label);
  b.addEventListener('click', onClick);
  return b;
}

export class SaApp extends HTMLElement {
  private store!: Store;
  private readonly rootSelect = h('vscode-single-select', { 'aria-label': 'Analysed folder', class: 'root-select' });
  private readonly providerSelect = h('vscode-single-select', { 'aria-label': 'Provider' });
  private readonly viewButtons = new Map<DiagramView, HTMLElement>();
  private readonly collapse = h('span', { class: 'collapse' });
  private readonly whatIf = h('span', { class: 'what-if-bar' });
  private readonly notes = h('div', { class: 'notes' });
  private readonly message = h('div', { class: 'message', role: 'status' });
  private readonly tabs = h('vscode-tabs', { panel: true, class: 'side-tabs' });
  private diagram!: SaDiagram;

  connect(store: Store): void {
    this.store = store;
    this.diagram = h('sa-diagram') as SaDiagram;
    const table = h('sa-components-table') as SaComponentsTable;
    const costs = h('sa-costs') as SaCosts;
    const findings = h('sa-findings-list') as SaFindingsList;

    for (const { view, title } of VIEWS) {
      const b = button(title, `Show the ${title.toLowerCase()} architecture`, () => store.setView(view));
      b.classList.add('view-button');
      this.viewButtons.set(view, b);
    }
    const toolbar = h(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': 'Diagram' },
      this.rootSelect,
      h('span', { class: 'group' }, ...this.viewButtons.values()),
      this.providerSelect,
      h(
        'span',
        { class: 'group' },
        button('−', 'Zoom out (-)', () => this.diagram.zoomBy(1 / 1.25)),
        button('+', 'Zoom in (+)', () => this.diagram.zoomBy(1.25)),
        button('Fit', 'Fit the diagram to the panel (0)', () => this.diagram.fit()),
        button('1:1', 'Actual size', () => this.diagram.actualSize()),
      ),
      this.collapse,
      this.whatIf,
      h('span', { class: 'spacer' }),
      h(
        'span',
        { class: 'group' },
        button('SVG', 'Export the diagram as SVG', () => void this.export('svg')),
        button('PNG', 'Export the diagram as PNG', () => void this.export('png')),
        button('Mermaid', 'Export both diagrams as Mermaid Markdown', () => void this.export('mermaid')),
      ),
    );
    this.rootSelect.addEventListener('change', () => store.selectRoot((this.rootSelect as Valued).value));
    this.providerSelect.addEventListener('change', () =>
      store.selectProvider((this.providerSelect as Valued).value as Provider),
    );

    const titles: Record<(typeof SIDE_TABS)[number], string> = {
      components: 'Components',
      costs: 'Costs',
      findings: 'Findings',
    };
    for (const t of SIDE_TABS) this.tabs.append(h('vscode-tab-header', { slot: 'header' }, titles[t]));
    this.tabs.append(
      h('vscode-tab-panel', {}, table),
      h('vscode-tab-panel', {}, costs),
      h('vscode-tab-panel', {}, findings),
    );
    this.tabs.addEventListener('vsc-tabs-select', (e) => {
      const t = SIDE_TABS[e.detail.selectedIndex];
      if (t) store.setTab(t);
    });

    this.append(
      toolbar,
      this.message,
      h(
        'div',
        { class: 'main' },
        h('div', { class: 'diagram-pane' }, this.diagram, this.notes),
        h('div', { class: 'side' }, this.tabs),
      ),
    );
    this.diagram.connect(store);
    table.connect(store);
    costs.connect(store);
    findings.connect(store);
    store.subscribe((c) => this.onChange(c));
    this.onChange('model');
  }

  private onChange(change: string): void {
    const { model, state } = this.store;
    if (change === 'exported') {
      const x = this.store.lastExport;
      this.message.textContent = x?.error ? `Export failed: ${x.error}` : x?.file ? `Exported to ${x.file}` : '';
      return;
    }
    for (const [view, b] of this.viewButtons) {
      b.toggleAttribute('secondary', view !== state.view);
      b.setAttribute('aria-pressed', String(view === state.view));
    }
    (this.tabs as HTMLElement & { selectedIndex: number }).selectedIndex = SIDE_TABS.indexOf(state.tab);
    if (change !== 'model' && change !== 'empty') {
      if (change === 'view') this.drawNotes();
      return;
    }
    this.message.textContent = model ? '' : (this.store.empty ?? 'Waiting for the analysis…');
    this.rootSelect.hidden = !model || model.roots.length < 2;
    if (model) {
      this.rootSelect.replaceChildren(
        ...model.roots.map((r) => h('vscode-option', { value: r.root, title: r.root }, r.name)),
      );
      (this.rootSelect as Valued).value = model.root;
      this.providerSelect.replaceChildren(
        ...model.providers.map((p) => h('vscode-option', { value: p }, PROVIDER_NAMES[p])),
      );
      (this.providerSelect as Valued).value = model.provider;
    }
    this.collapse.replaceChildren(
      ...(model?.expanded.length
        ? [
            button(`Collapse groups (${model.expanded.length})`, 'Fold the expanded groups again', () =>
              this.store.collapseAll(),
            ),
          ]
        : []),
    );
    const w = model?.whatIf;
    const n = w ? Object.keys(w.overrides).length : 0;
    this.whatIf.replaceChildren(
      ...(w
        ? [
            h('span', { class: 'badge what-if-badge', title: w.note }, `what-if: ${n} component${n === 1 ? '' : 's'}`),
            button('Reset what-if', 'Back to the analysed targets and volumes', () => this.store.resetWhatIf()),
          ]
        : []),
    );
    this.drawNotes();
  }

  private drawNotes(): void {
    const d = this.store.model?.[this.store.state.view];
    const legend = h(
      'span',
      { class: 'legend' },
      ...(['faas', 'edge', 'baas', 'container'] as const).map((t) => h('span', { class: `target target-${t}` }, t)),
      h('span', { class: 'target target-external' }, 'outside the code'),
    );
    this.notes.replaceChildren(
      legend,
      ...(d?.notes ?? []).map((n) => h('span', { class: 'note' }, n)),
      h('span', { class: 'hint' }, 'Click a box to open its code, a group to expand it; wheel zooms, drag pans.'),
    );
  }

  private async export(format: ExportFormat): Promise<void> {
    if (!this.store.model) return;
    this.message.textContent = `Exporting ${format.toUpperCase()}…`;
    try {
      if (format === 'mermaid') this.store.exportDiagram('mermaid');
      else
        this.store.exportDiagram(
          format,
          format === 'svg' ? await this.diagram.exportSvg() : await this.diagram.exportPng(),
        );
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.message.textContent = `Export failed: ${msg}`;
      this.store.reportError(`export ${format}: ${msg}`);
    }
  }
}
