// <sa-costs>: the monthly total per offering for each provider (free tier applied once, as the report does), and
// where always-on containers become cheaper (the report's break-even figures).
import { usd } from '../../src/core/labels';
import type { PanelOfferingTotal } from '../../src/protocol';
import { h, requests } from '../dom';
import type { Store } from '../store';
import type { SaBreakEvenChart } from './sa-break-even-chart';

const PROVIDER_NAMES: Record<string, string> = {
  aws: 'AWS',
  azure: 'Azure',
  gcp: 'Google Cloud',
  cloudflare: 'Cloudflare',
};

export class SaCosts extends HTMLElement {
  private store!: Store;

  connect(store: Store): void {
    this.store = store;
    store.subscribe((c) => {
      if (c === 'model' || c === 'empty') this.draw();
    });
    this.draw();
  }

  private draw(): void {
    const costs = this.store.model?.costs;
    if (!costs) {
      this.replaceChildren(h('p', { class: 'muted' }, 'No costs in this report.'));
      return;
    }
    const byProvider = new Map<string, PanelOfferingTotal[]>();
    for (const o of costs.offerings) byProvider.set(o.provider, [...(byProvider.get(o.provider) ?? []), o]);
    const max = Math.max(...costs.offerings.map((o) => o.monthlyUsd.likely), 0.01);
    const sections = [...byProvider].map(([p, list]) =>
      h(
        'section',
        { class: 'provider' },
        h('h3', {}, PROVIDER_NAMES[p] ?? p),
        h(
          'table',
          { class: 'totals' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, 'Offering'),
              h('th', {}, 'Role'),
              h('th', {}, 'Likely / month'),
              h('th', {}, 'Range'),
            ),
          ),
          h(
            'tbody',
            {},
            ...[...list]
              .sort((a, b) => a.monthlyUsd.likely - b.monthlyUsd.likely)
              .map((o) => {
                const bar = h('span', { class: `bar role-${o.role}` });
                bar.style.width = `${Math.max(2, (o.monthlyUsd.likely / max) * 100)}%`;
                return h(
                  'tr',
                  {},
                  h('td', {}, o.label),
                  h('td', {}, o.role),
                  h('td', { class: 'num' }, h('span', { class: 'bar-wrap' }, bar), usd(o.monthlyUsd.likely)),
                  h('td', { class: 'num muted' }, `${usd(o.monthlyUsd.low)} – ${usd(o.monthlyUsd.high)}`),
                );
              }),
          ),
        ),
      ),
    );
    const chart = h('sa-break-even-chart') as SaBreakEvenChart;
    chart.show(costs.curve, !!this.store.model?.whatIf);
    // The chart first: where the lines cross is what a reader of this tab wants to know; the tables and every
    // break-even pair follow.
    const curve = costs.curve
      ? h(
          'section',
          {},
          h('h3', {}, `Cost against volume on ${PROVIDER_NAMES[costs.curve.provider] ?? costs.curve.provider}`),
          chart,
        )
      : undefined;
    const breakEven = costs.breakEven.length
      ? h(
          'section',
          {},
          h(
            'h3',
            {},
            `Break-even on ${PROVIDER_NAMES[this.store.model?.provider ?? ''] ?? this.store.model?.provider}: where containers become cheaper`,
          ),
          h(
            'ul',
            { class: 'break-even' },
            ...costs.breakEven.map((b) =>
              h(
                'li',
                {},
                h('strong', {}, `${b.serverless} vs ${b.container}: `),
                b.requestsPerMonth === null
                  ? 'the function stays cheaper over the range searched'
                  : b.requestsPerMonth === 0
                    ? 'the container is cheaper at any volume'
                    : `${requests(b.requestsPerMonth)} requests/month${b.multipleOfLikely !== null ? ` (${b.multipleOfLikely.toFixed(1)}× the likely volume)` : ''}`,
                h('div', { class: 'muted' }, b.note),
              ),
            ),
          ),
        )
      : undefined;
    const whatIf = this.store.model?.whatIf;
    this.replaceChildren(
      ...(whatIf
        ? [
            h(
              'p',
              { class: 'what-if-note' },
              h('span', { class: 'badge what-if-badge' }, 'what-if'),
              ` ${whatIf.note} `,
              h('button', { class: 'link-button', type: 'button' }, 'Reset what-if'),
            ),
          ]
        : []),
      h(
        'p',
        { class: 'muted' },
        `Prices as of ${costs.snapshotDate ?? 'the snapshot'}; free tier ${costs.freeTier ? 'applied once per account' : 'not applied'}${costs.usedDefaults ? '; usage from defaults by kind (edit serverless-advisor.yaml)' : ''}.`,
      ),
      ...(curve ? [curve] : []),
      ...sections,
      ...(breakEven ? [breakEven] : []),
    );
    this.querySelector('.what-if-note .link-button')?.addEventListener('click', () => this.store.resetWhatIf());
  }
}
