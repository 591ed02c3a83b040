// <sa-findings-list>: the findings, most severe first, filtered by the same hazard and text as the components;
// a row opens the code (click or Enter).
import type { PanelFinding } from '../../src/protocol';
import { h } from '../dom';
import type { Store } from '../store';

export class SaFindingsList extends HTMLElement {
  private store!: Store;
  private readonly count = h('div', { class: 'count' });
  private readonly list = h('div', { class: 'findings', role: 'list' });

  connect(store: Store): void {
    this.store = store;
    this.append(this.count, this.list);
    this.list.addEventListener('click', (e) => this.activate(e.target));
    this.list.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        this.activate(e.target);
      } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const item = (e.target as Element).closest('.finding');
        const next = e.key === 'ArrowDown' ? item?.nextElementSibling : item?.previousElementSibling;
        (next as HTMLElement | null)?.focus();
      }
    });
    store.subscribe((c) => {
      if (c === 'model' || c === 'table' || c === 'empty') this.draw();
    });
    this.draw();
  }

  private activate(target: EventTarget | null): void {
    const el = target instanceof Element ? target.closest<HTMLElement>('.finding') : null;
    const f = this.store.model?.findings.find((x) => x.id === el?.dataset.id);
    if (f) this.store.open(f.location);
  }

  private draw(): void {
    const rows = this.store.visibleFindings();
    const all = this.store.model?.findings.length ?? 0;
    const { hazard, text } = this.store.state.filter;
    this.count.textContent =
      rows.length === all
        ? `${all} findings`
        : `${rows.length} of ${all} findings (filtered by ${hazard || `"${text}"`})`;
    this.list.replaceChildren(...rows.map((f) => this.item(f)));
  }

  private item(f: PanelFinding): HTMLElement {
    const at = `${f.location.file}:${f.location.line}`;
    return h(
      'div',
      {
        class: `finding severity-${f.severity}`,
        role: 'listitem',
        tabindex: '0',
        'data-id': f.id,
        'aria-label': `${f.severity} ${f.hazard}: ${f.message} (${at})`,
      },
      h('span', { class: 'severity' }, f.severity),
      h('span', { class: 'hazard' }, f.hazard),
      h('span', { class: 'message' }, f.message),
      h('span', { class: 'where' }, at, f.components ? ` · ${f.components} components` : ''),
    );
  }
}
