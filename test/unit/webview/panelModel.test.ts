// The model the host sends the panel, built from the example's report.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyze } from '../../../src/core/analyze';
import type { Report } from '../../../src/core/model';
import { panelMarkdown, panelModel } from '../../../src/extension/panelModel';

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
});
