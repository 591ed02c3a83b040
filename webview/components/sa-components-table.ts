// <sa-components-table>: every component with its target, cost, cold start and hazards; sortable by any column,
// filterable by target, hazard and text; a row opens its code (click or Enter). A native <table>, styled with the
// editor's colours: vscode-table sizes its columns once, from the first row, and sorting or filtering redraws the
// rows; the filters are @vscode-elements controls.
import { TARGETS } from '../../src/core/model';
import { usd } from '../../src/core/labels';
import type { PanelComponent } from '../../src/protocol';
import { h } from '../dom';
import type { SortKey, Store } from '../store';

const COLUMNS: { key: SortKey; title: string; width: string }[] = [
  { key: 'name', title: 'Component', width: '37%' },
  { key: 'target', title: 'Target', width: '17%' },
  { key: 'monthlyUsd', title: '$/mo', width: '12%' },
  { key: 'coldStartMs', title: 'Cold', width: '11%' },
  { key: 'findings', title: 'Hazards', width: '23%' },
];

export class SaComponentsTable extends HTMLElement {
  private store!: Store;
  private readonly target = h('vscode-single-select', { 'aria-label': 'Filter by target', class: 'filter' });
  private readonly hazard = h('vscode-single-select', { 'aria-label': 'Filter by hazard', class: 'filter' });
  private readonly text = h('vscode-textfield', { placeholder: 'Filter by name or file', 'aria-label': 'Filter' });
  private readonly count = h('span', { class: 'count' });
  private readonly table = h('table', { class: 'grid', 'aria-label': 'Components' });
  private readonly body = h('tbody');
  private readonly header = h('tr');
  private hazardsKey = '';

  connect(store: Store): void {
    this.store = store;
    const cols = h('colgroup', {}, ...COLUMNS.map(() => h('col', {})));
    COLUMNS.forEach((c, i) => ((cols.children[i] as HTMLElement).style.width = c.width));
    this.table.append(cols, h('thead', {}, this.header), this.body);
    this.target.append(
      h('vscode-option', { value: '' }, 'All targets'),
      ...TARGETS.map((t) => h('vscode-option', { value: t }, t)),
    );
    this.append(h('div', { class: 'filters' }, this.target, this.hazard, this.text, this.count), this.table);
    this.target.addEventListener('change', () =>
      store.setFilter({ target: (this.target as HTMLElement & { value: string }).value as never }),
    );
    this.hazard.addEventListener('change', () =>
      store.setFilter({ hazard: (this.hazard as HTMLElement & { value: string }).value }),
    );
    this.text.addEventListener('input', () =>
      store.setFilter({ text: (this.text as HTMLElement & { value: string }).value }),
    );
    this.body.addEventListener('click', (e) => this.activate(e.target));
    this.body.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        this.activate(e.target);
      } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const row = (e.target as Element).closest('tr');
        const next = e.key === 'ArrowDown' ? row?.nextElementSibling : row?.previousElementSibling;
        (next as HTMLElement | null)?.focus();
      }
    });
    store.subscribe((c) => {
      if (c === 'model' || c === 'table' || c === 'empty') this.draw();
    });
    this.draw();
  }

  private activate(target: EventTarget | null): void {
    const row = target instanceof Element ? target.closest<HTMLElement>('tr[data-id]') : null;
    const c = this.store.model?.components.find((x) => x.id === row?.dataset.id);
    if (c) this.store.open(c.location);
  }

  private draw(): void {
    const { filter, sort } = this.store.state;
    const hazards = this.store.hazards();
    if (hazards.join() !== this.hazardsKey) {
      this.hazardsKey = hazards.join();
      this.hazard.replaceChildren(
        h('vscode-option', { value: '' }, 'All hazards'),
        ...hazards.map((x) => h('vscode-option', { value: x }, x)),
      );
    }
    (this.target as HTMLElement & { value: string }).value = filter.target;
    (this.hazard as HTMLElement & { value: string }).value = filter.hazard;
    const tf = this.text as HTMLElement & { value: string };
    if (tf.value !== filter.text) tf.value = filter.text;

    this.header.replaceChildren(
      ...COLUMNS.map((col) => {
        const active = sort.key === col.key;
        const cell = h(
          'th',
          {
            class: 'sortable',
            tabindex: '0',
            scope: 'col',
            'aria-sort': active ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none',
          },
          `${col.title}${active ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}`,
        );
        cell.addEventListener('click', () => this.store.sortBy(col.key));
        cell.addEventListener('keydown', (e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            this.store.sortBy(col.key);
          }
        });
        return cell;
      }),
    );
    const rows = this.store.visibleComponents();
    const all = this.store.model?.components.length ?? 0;
    this.count.textContent = rows.length === all ? `${all} components` : `${rows.length} of ${all}`;
    this.body.replaceChildren(...rows.map((c) => this.row(c)));
  }

  private row(c: PanelComponent): HTMLElement {
    const row = h(
      'tr',
      { tabindex: '0', 'data-id': c.id, title: `${c.location.file}:${c.location.line}`, class: 'link-row' },
      h('td', {}, h('span', { class: 'name', title: c.name }, c.name), h('span', { class: 'kind' }, c.kind)),
      h('td', {}, h('span', { class: `target target-${c.target}` }, c.target)),
      h('td', { class: 'num', title: c.offering }, c.monthlyUsd !== undefined ? usd(c.monthlyUsd) : '—'),
      h(
        'td',
        { class: 'num', title: 'estimated cold start' },
        c.coldStartMs !== undefined ? `${c.coldStartMs} ms` : '—',
      ),
      h(
        'td',
        { class: 'hazards', title: c.hazards.join('\n') },
        c.hazards.length ? `${c.hazards.length}: ${c.hazards.join(', ')}` : '—',
      ),
    );
    row.setAttribute('aria-label', `${c.name}, ${c.target}: open ${c.location.file} line ${c.location.line}`);
    return row;
  }
}
