// <sa-components-table>: every component with its target, cost, cold start and hazards; sortable by any column,
// filterable by target, hazard and text; a row opens its code (click or Enter). A native <table>, styled with the
// editor's colours: vscode-table sizes its columns once, from the first row, and sorting or filtering redraws the
// rows; the filters are @vscode-elements controls. Each row also takes a what-if: another target and another monthly
// volume (native <select> and <input>, light enough for thousands of rows); the host redraws the diagram and costs.
import { TARGETS } from '../../src/core/model';
import { usd } from '../../src/core/labels';
import type { PanelComponent } from '../../src/protocol';
import { h, requests } from '../dom';
import type { SortKey, Store } from '../store';

const COLUMNS: { key: SortKey; title: string; width: string }[] = [
  // The figures get the width their longest value needs ("1,234 ms", "$12.34k", "container"), so a narrow panel
  // shortens the names and hazards (ellipsis, full text in the tooltip) and never cuts a number.
  { key: 'name', title: 'Component', width: 'auto' },
  { key: 'target', title: 'Target', width: '96px' },
  { key: 'requestsPerMonth', title: 'Req/mo', width: '72px' },
  { key: 'monthlyUsd', title: '$/mo', width: '64px' },
  { key: 'coldStartMs', title: 'Cold', width: '68px' },
  { key: 'findings', title: 'Hazards', width: '22%' },
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
    this.body.addEventListener('click', (e) => {
      if (!isControl(e.target)) this.activate(e.target);
    });
    this.body.addEventListener('change', (e) => this.onOverride(e.target));
    this.body.addEventListener('keydown', (e) => {
      if (isControl(e.target)) {
        if (e.key === 'Enter') this.onOverride(e.target);
        return;
      }
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

  /** A what-if control changed: the target select ('' = as analysed) or the requests field ('' = as analysed). */
  private onOverride(el: EventTarget | null): void {
    if (!isControl(el)) return;
    const id = el.closest<HTMLElement>('tr[data-id]')?.dataset.id;
    if (id === undefined) return;
    if (el.dataset.field === 'target')
      this.store.setOverride(id, { target: el.value ? (el.value as (typeof TARGETS)[number]) : null });
    else if (el.dataset.field === 'requests') {
      const current = this.store.override(id)?.requestsPerMonth;
      const n = el.value.trim() === '' ? null : Number(el.value);
      if (n === (current ?? null)) return;
      this.store.setOverride(id, { requestsPerMonth: n });
    }
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
    // Keep the focus on the what-if control being edited across the redraw the new model brings.
    const active = document.activeElement;
    const focus = isControl(active)
      ? { id: active.closest<HTMLElement>('tr[data-id]')?.dataset.id, field: active.dataset.field }
      : undefined;
    this.body.replaceChildren(...rows.map((c) => this.row(c)));
    if (focus?.id !== undefined)
      [...this.body.querySelectorAll<HTMLElement>(`[data-field="${focus.field}"]`)]
        .find((x) => x.closest<HTMLElement>('tr')?.dataset.id === focus.id)
        ?.focus();
  }

  private row(c: PanelComponent): HTMLElement {
    const row = h(
      'tr',
      {
        tabindex: '0',
        'data-id': c.id,
        title: `${c.location.file}:${c.location.line}`,
        class: c.whatIf ? 'link-row what-if' : 'link-row',
      },
      h('td', {}, h('span', { class: 'name', title: c.name }, c.name), h('span', { class: 'kind' }, c.kind)),
      h('td', {}, this.targetSelect(c)),
      h('td', { class: 'num' }, this.requestsField(c)),
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

  private targetSelect(c: PanelComponent): HTMLElement {
    const o = this.store.override(c.id);
    const select = h(
      'select',
      {
        class: `what-if-target target target-${c.target}`,
        'data-field': 'target',
        'aria-label': `Target of ${c.name}`,
      },
      // The analysed target is the empty value (no what-if); choosing it again is the same thing, so it is listed once.
      h('option', { value: '', title: 'as analysed' }, c.analysedTarget),
      ...TARGETS.filter((t) => t !== c.analysedTarget).map((t) => h('option', { value: t }, t)),
    );
    select.value = o?.target ?? '';
    return select;
  }

  private requestsField(c: PanelComponent): HTMLElement {
    const o = this.store.override(c.id);
    const input = h('input', {
      type: 'number',
      min: 0,
      max: 1e12,
      step: 'any',
      class: 'what-if-requests',
      'data-field': 'requests',
      placeholder: c.requestsPerMonth !== undefined ? requests(Math.round(c.requestsPerMonth)) : '—',
      title:
        c.requestsPerMonth !== undefined
          ? `Requests per month: ${Math.round(c.requestsPerMonth)} as analysed; type another volume for a what-if`
          : 'No volume in the analysis',
      'aria-label': `Requests per month of ${c.name}`,
    });
    if (o?.requestsPerMonth !== undefined) input.value = String(o.requestsPerMonth);
    if (c.requestsPerMonth === undefined) input.disabled = true;
    return input;
  }
}

function isControl(x: EventTarget | null): x is HTMLSelectElement | HTMLInputElement {
  return x instanceof HTMLSelectElement || x instanceof HTMLInputElement;
}
