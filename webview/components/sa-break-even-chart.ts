// <sa-break-even-chart>: the whole system's monthly cost against monthly requests on the chosen provider, one line
// per offering (functions solid, containers dashed), the likely volume, and where each container becomes cheaper
// than the quoted function. Colours are the editor's chart colours, so the light, dark and high-contrast themes
// all apply. The geometry is in ../chart.ts.
import type { PanelCurve } from '../../src/protocol';
import { chartGeometry, compactCount } from '../chart';
import { h } from '../dom';

const SVG = 'http://www.w3.org/2000/svg';
const PALETTE = ['blue', 'orange', 'green', 'purple', 'red', 'yellow'];
let clipIds = 0;

function svg(tag: string, attrs: Record<string, string | number>, ...children: (Node | string)[]): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c);
  return el;
}

export class SaBreakEvenChart extends HTMLElement {
  show(curve: PanelCurve | undefined, whatIf: boolean): void {
    const g = curve && chartGeometry(curve);
    if (!curve || !g) {
      this.replaceChildren();
      return;
    }
    const { box } = g;
    const clipId = `sa-chart-clip-${++clipIds}`;
    const plotRight = box.width - box.right;
    const plotBottom = box.height - box.bottom;
    const colour = new Map<string, string>();
    let fn = 0;
    let ct = 0;
    for (const l of g.lines) {
      // Functions and containers each walk the palette from opposite ends, so a pair rarely shares a colour.
      const name =
        l.role === 'container' ? PALETTE[PALETTE.length - 1 - (ct++ % PALETTE.length)] : PALETTE[fn++ % PALETTE.length];
      colour.set(l.offering, `var(--vscode-charts-${name})`);
    }
    const summary =
      `Monthly cost of the whole system against requests per month, ${compactCount(curve.requestsPerMonth[0]!)} to ` +
      `${compactCount(curve.requestsPerMonth[curve.requestsPerMonth.length - 1]!)}; the likely volume is ` +
      `${compactCount(curve.likelyRequestsPerMonth)}.`;
    const chart = svg(
      'svg',
      { viewBox: `0 0 ${box.width} ${box.height}`, role: 'img', 'aria-label': summary, class: 'chart' },
      svg(
        'defs',
        {},
        svg(
          'clipPath',
          { id: clipId },
          svg('rect', { x: box.left, y: box.top - 1, width: plotRight - box.left, height: plotBottom - box.top + 1 }),
        ),
      ),
      ...g.yTicks.flatMap((t) => [
        svg('line', { class: 'grid', x1: box.left, x2: plotRight, y1: t.at, y2: t.at }),
        svg('text', { class: 'tick', x: box.left - 6, y: t.at + 4, 'text-anchor': 'end' }, t.label),
      ]),
      ...g.xTicks.flatMap((t) => [
        svg('line', { class: 'grid', x1: t.at, x2: t.at, y1: box.top, y2: plotBottom }),
        svg('text', { class: 'tick', x: t.at, y: plotBottom + 16, 'text-anchor': 'middle' }, t.label),
      ]),
      svg(
        'text',
        { class: 'axis-title', x: (box.left + plotRight) / 2, y: box.height - 4, 'text-anchor': 'middle' },
        'requests per month (log scale)',
      ),
      svg('line', { class: 'likely', x1: g.likelyX, x2: g.likelyX, y1: box.top, y2: plotBottom }),
      svg('text', { class: 'likely-label', x: g.likelyX + 4, y: box.top + 10 }, 'likely'),
      svg(
        'g',
        { 'clip-path': `url(#${clipId})` },
        ...g.lines.map((l) =>
          svg(
            'path',
            {
              d: l.d,
              class: `series role-${l.role}`,
              stroke: colour.get(l.offering) ?? 'currentColor',
              'data-offering': l.offering,
            },
            svg('title', {}, l.label),
          ),
        ),
      ),
      ...g.markers.map((m) => svg('circle', { class: 'marker', cx: m.x, cy: m.y, r: 4 }, svg('title', {}, m.label))),
    );
    const legend = h(
      'ul',
      { class: 'chart-legend' },
      ...g.lines.map((l) => {
        const swatch = h('span', { class: `swatch role-${l.role}` });
        swatch.style.borderColor = colour.get(l.offering) ?? 'currentColor';
        return h('li', {}, swatch, `${l.label}${l.role === 'container' ? ' (container)' : ''}`);
      }),
      ...(g.markers.length
        ? [h('li', {}, h('span', { class: 'swatch marker-swatch' }), 'break-even with the quoted function')]
        : []),
    );
    this.replaceChildren(
      chart,
      legend,
      h(
        'p',
        { class: 'muted' },
        `Whole system on this provider, every component scaled together at today's mix; the y axis stops at twice the dearest container at the likely volume.${whatIf ? ' The chart is the analysis, without the what-if.' : ''}`,
      ),
    );
  }
}
