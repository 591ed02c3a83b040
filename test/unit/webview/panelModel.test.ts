// The model the host sends the panel, built from the example's report.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyze } from '../../../src/core/analyze';
import { buildArchitecture } from '../../../src/core/architecture/model';
import type { Report } from '../../../src/core/model';
import { applyWhatIf, panelMarkdown, panelModel } from '../../../src/extension/panelModel';

describe('panel model (host side)', function () {
  this.timeout(60000);
  const root = path.resolve(__dirname, '../../../examples/shop-api');
  let report: Report;
  before(() => {
    report = analyze({ root });
  });

  it('carries both diagrams with their nodes, the components, findings and costs', () => {
    const m = panelModel(report, { root, roots: [root], offering: 'aws-lambda-arm64', seq: 1 });
    assert.equal(m.provider, 'aws');
    assert.ok(m.proposed.mermaid.startsWith('%% Proposed'), m.proposed.mermaid.slice(0, 40));
    assert.equal(m.proposed.nodes.length, report.architecture!.proposed.nodes.length);
    for (const n of m.proposed.nodes) assert.ok(m.proposed.mermaid.includes(n.id), n.id);
    assert.equal(m.components.length, report.components.length);
    assert.equal(m.findings.length, report.findings.length);
    assert.ok(m.costs && m.costs.offerings.length > 0);
    const withCode = m.proposed.nodes.filter((n) => n.kind === 'component');
    assert.ok(withCode.length > 0 && withCode.every((n) => n.location && !path.isAbsolute(n.location.file)));
    assert.ok(panelMarkdown(m).includes('```mermaid'));
  });

  it('expands a group the page asks for, and redraws for another provider', () => {
    const m = panelModel(report, { root, roots: [root], offering: 'aws-lambda-arm64', seq: 1 });
    const group = m.current.nodes.find((n) => n.group)!;
    assert.ok(group, 'the example has a group');
    const open = panelModel(report, {
      root,
      roots: [root],
      offering: 'aws-lambda-arm64',
      expanded: [group.group!.id],
      provider: 'gcp',
      seq: 2,
    });
    assert.deepEqual(open.expanded, [group.group!.id]);
    assert.ok(!open.current.nodes.some((n) => n.group?.id === group.group!.id));
    assert.equal(open.provider, 'gcp');
    assert.ok(open.proposed.mermaid.includes('Cloud Run'), 'GCP names');
  });

  describe('what-if', () => {
    const base = { root, roots: [root], offering: 'aws-lambda-arm64', seq: 1 };

    it('a container route overridden to faas moves to the functions tier of the proposed graph', () => {
      const id = 'http:GET:/health';
      assert.equal(report.components.find((c) => c.id === id)?.classification?.target, 'container');
      const before = buildArchitecture(report, { provider: 'aws', offering: 'aws-lambda-arm64' });
      const tierOf = (g: typeof before.proposed) => g.nodes.find((n) => n.components?.includes(id))?.tier;
      assert.equal(tierOf(before.proposed), 'containers');

      const { report: moved, applied } = applyWhatIf(report, { [id]: { target: 'faas' } });
      assert.deepEqual(applied, { [id]: { target: 'faas' } });
      const after = buildArchitecture(moved, { provider: 'aws', offering: 'aws-lambda-arm64' });
      assert.equal(tierOf(after.proposed), 'functions');
      assert.equal(report.components.find((c) => c.id === id)?.classification?.target, 'container', 'report copied');

      const m = panelModel(report, { ...base, whatIf: { [id]: { target: 'faas' } } });
      const node = m.proposed.nodes.find((n) => n.components.includes(id))!;
      assert.equal(node.target, 'faas');
      assert.ok(m.proposed.mermaid.includes(node.id));
      const row = m.components.find((c) => c.id === id)!;
      assert.equal(row.target, 'faas');
      assert.equal(row.analysedTarget, 'container');
      assert.equal(row.whatIf, true);
      assert.deepEqual(m.whatIf?.overrides, { [id]: { target: 'faas' } });
    });

    it("doubling a component's requests doubles its cost and adds that cost to each offering's total", () => {
      const c = report.components.find((x) => x.id === 'queue:bullmq:emails')!;
      const requests = c.usage!.values.requestsPerMonth!;
      const plain = panelModel(report, base);
      const m = panelModel(report, { ...base, whatIf: { [c.id]: { requestsPerMonth: requests * 2 } } });
      const row = (x: typeof m) => x.components.find((r) => r.id === c.id)!;
      assert.ok(row(plain).monthlyUsd! > 0);
      assert.ok(Math.abs(row(m).monthlyUsd! - 2 * row(plain).monthlyUsd!) < 1e-9);
      assert.equal(row(m).requestsPerMonth, requests, 'the analysed volume stays as the placeholder');
      let changed = 0;
      for (const t of plain.costs!.offerings) {
        const own = c.cost!.find((x) => x.offering === t.offering);
        const after = m.costs!.offerings.find((x) => x.offering === t.offering)!;
        const expected = t.monthlyUsd.likely + (own?.monthlyUsd.likely ?? 0);
        assert.ok(Math.abs(after.monthlyUsd.likely - expected) < 1e-9, `${t.offering}: ${after.monthlyUsd.likely}`);
        assert.ok(Math.abs(after.monthlyUsd.high - (t.monthlyUsd.high + (own?.monthlyUsd.high ?? 0))) < 1e-9);
        if (own && own.monthlyUsd.likely > 0) changed++;
      }
      assert.ok(changed > 0, 'some total changed');
      assert.ok(m.whatIf?.note.includes('linearly'));
      // Nothing changes when the override repeats the analysed volume, or names a component that does not exist.
      const same = panelModel(report, {
        ...base,
        whatIf: { [c.id]: { requestsPerMonth: requests }, nope: { target: 'faas' } },
      });
      assert.equal(same.whatIf, undefined);
      assert.deepEqual(same.costs, plain.costs);
    });
  });
});
