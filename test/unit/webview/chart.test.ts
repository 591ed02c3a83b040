// The break-even chart: the host's curve for one provider (panelModel) and the chart's geometry (webview/chart.ts).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyze } from '../../../src/core/analyze';
import type { Report } from '../../../src/core/model';
import { offeringLabel } from '../../../src/core/labels';
import { panelModel } from '../../../src/extension/panelModel';
import type { PanelCurve } from '../../../src/protocol';
import { chartGeometry } from '../../../webview/chart';

/** The points of an SVG path made of M/L commands. */
function points(d: string): [number, number][] {
  return [...d.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

describe('break-even chart', function () {
  this.timeout(60000);
  const root = path.resolve(__dirname, '../../../examples/shop-api');
  let report: Report;
  before(() => {
    report = analyze({ root });
  });

  it("the host sends the system's curve for the panel's provider only, with the quoted function's break-evens", () => {
    for (const provider of ['aws', 'gcp'] as const) {
      const m = panelModel(report, { root, roots: [root], offering: 'aws-lambda-arm64', provider, seq: 1 });
      const curve = m.costs?.curve;
      assert.ok(curve, provider);
      const total = report.totals!.curves.find((c) => c.scope === 'total')!;
      const onProvider = report.totals!.offerings.filter((o) => o.provider === provider).map((o) => o.offering);
      assert.deepEqual(
        curve.series.map((s) => s.offering),
        total.series.filter((s) => onProvider.includes(s.offering)).map((s) => s.offering),
      );
      assert.ok(curve.series.length > 0);
      assert.ok(curve.requestsPerMonth.includes(curve.likelyRequestsPerMonth));
      // The likely volume is the sum of the priced components' volumes (the curve's middle), within rounding.
      const sum = report.components.reduce(
        (a, c) => a + (c.cost?.length ? (c.usage?.values.requestsPerMonth ?? 0) : 0),
        0,
      );
      assert.ok(Math.abs(curve.likelyRequestsPerMonth - sum) <= 1, `${curve.likelyRequestsPerMonth} vs ${sum}`);
      const serverless = new Set(curve.breakEven.map((b) => b.serverless));
      assert.ok(serverless.size <= 1, [...serverless].join());
      if (provider === 'aws') assert.deepEqual([...serverless], ['aws-lambda-arm64']);
      for (const b of curve.breakEven)
        assert.ok(
          curve.series.some((s) => s.offering === b.container),
          b.container,
        );
      // The list under the tables has the panel's provider's pairs only, all of them.
      assert.deepEqual(
        m.costs!.breakEven.map((b) => `${b.serverless} / ${b.container}`),
        report
          .totals!.breakEven.filter((b) => onProvider.includes(b.serverless))
          .map((b) => `${offeringLabel(b.serverless)} / ${offeringLabel(b.container)}`),
      );
    }
  });

  it('draws each series through its points on a log x axis, with the break-evens on the container lines', () => {
    const curve = panelModel(report, { root, roots: [root], offering: 'aws-lambda-arm64', seq: 1 }).costs!.curve!;
    const g = chartGeometry(curve)!;
    assert.equal(g.lines.length, curve.series.length);
    const xs = points(g.lines[0]!.d).map((p) => p[0]);
    assert.equal(xs.length, curve.requestsPerMonth.length);
    // Equal ratios of volume are equal steps on the x axis (the curve's volumes grow by 10^(1/4)).
    const steps = xs.slice(1).map((x, i) => x - xs[i]!);
    for (const s of steps) assert.ok(Math.abs(s - steps[0]!) < 0.2, steps.join());
    // Decades are ticks, inside the plot.
    assert.ok(g.xTicks.length >= 4);
    for (const t of g.xTicks) assert.ok(t.at >= g.box.left && t.at <= g.box.width - g.box.right);
    assert.ok(g.likelyX > g.box.left && g.likelyX < g.box.width - g.box.right);
    // The y axis starts at $0 and ends at a round figure at least twice the dearest container at the likely volume.
    assert.equal(g.yTicks[0]!.label, '$0');
    const i = curve.requestsPerMonth.indexOf(curve.likelyRequestsPerMonth);
    const dearest = Math.max(...curve.series.filter((s) => s.role === 'container').map((s) => s.monthlyUsd[i]!));
    assert.ok(g.yMax >= 2 * dearest && g.yMax < 4 * dearest, `${g.yMax} vs ${dearest}`);
    // The example's quoted function meets each AWS container inside the range: one marker per break-even found.
    const inRange = curve.breakEven.filter(
      (b) =>
        b.requestsPerMonth !== null &&
        b.requestsPerMonth >= curve.requestsPerMonth[0]! &&
        b.requestsPerMonth <= curve.requestsPerMonth.at(-1)!,
    );
    assert.ok(inRange.length > 0, 'the example crosses at least one container');
    assert.ok(g.markers.length > 0 && g.markers.length <= inRange.length);
    for (const m of g.markers) {
      assert.ok(m.y >= g.box.top - 0.5 && m.y <= g.box.height - g.box.bottom + 0.5, `${m.y}`);
    }
  });

  it('places a value on the y axis in proportion and clips nothing away from the data', () => {
    const curve: PanelCurve = {
      provider: 'aws',
      requestsPerMonth: [1000, 10000, 100000],
      likelyRequestsPerMonth: 10000,
      series: [
        { offering: 'f', label: 'F', role: 'function', monthlyUsd: [0, 10, 100] },
        { offering: 'c', label: 'C', role: 'container', monthlyUsd: [50, 50, 50] },
      ],
      breakEven: [{ serverless: 'f', container: 'c', requestsPerMonth: 50000, label: 'C cheaper' }],
    };
    const g = chartGeometry(curve, { width: 200, height: 120, left: 0, right: 0, top: 0, bottom: 0 })!;
    assert.equal(g.yMax, 100);
    assert.deepEqual(points(g.lines[1]!.d), [
      [0, 60],
      [100, 60],
      [200, 60],
    ]);
    assert.deepEqual(points(g.lines[0]!.d)[2], [200, 0]);
    assert.equal(g.markers.length, 1);
    assert.equal(g.markers[0]!.y, 60);
    // log10(50000) is 0.85 of the way from 1000 to 100000 on a log axis.
    assert.ok(Math.abs(g.markers[0]!.x - 200 * ((Math.log10(50000) - 3) / 2)) < 1e-9);
  });

  it('draws nothing for a curve it cannot place (no series, a zero volume)', () => {
    const base: PanelCurve = {
      provider: 'aws',
      requestsPerMonth: [0, 10],
      likelyRequestsPerMonth: 5,
      series: [],
      breakEven: [],
    };
    assert.equal(chartGeometry(base), undefined);
    assert.equal(
      chartGeometry({ ...base, series: [{ offering: 'f', label: 'F', role: 'function', monthlyUsd: [1, 2] }] }),
      undefined,
    );
  });
});
