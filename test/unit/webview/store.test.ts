// The page's store in plain Node, with a fake transport: what it keeps, shows and posts.
import * as assert from 'node:assert/strict';
import type { PageMessage, PanelModel } from '../../../src/protocol';
import { Store, restoreState, type PageState, type Transport } from '../../../webview/store';

function fake(saved?: unknown): Transport & { sent: PageMessage[]; saved: PageState | undefined } {
  const t = {
    sent: [] as PageMessage[],
    saved: undefined as PageState | undefined,
    post: (m: PageMessage) => void t.sent.push(m),
    getState: () => saved,
    setState: (s: PageState) => void (t.saved = JSON.parse(JSON.stringify(s)) as PageState),
  };
  return t;
}

function model(seq = 1, over: Partial<PanelModel> = {}): PanelModel {
  const at = (file: string, line: number) => ({ file, line, column: 1 });
  return {
    root: '/w/shop',
    roots: [{ root: '/w/shop', name: 'shop' }],
    provider: 'aws',
    providers: ['aws', 'gcp'],
    expanded: [],
    current: { mermaid: 'flowchart LR\n  a["A"]\n', nodes: [], notes: [] },
    proposed: {
      mermaid: 'flowchart LR\n',
      nodes: [
        {
          id: 'cmp_a',
          label: 'GET /a',
          kind: 'component',
          target: 'faas',
          location: at('src/a.ts', 4),
          components: ['a'],
        },
        { id: 'grp_api', label: '/api', kind: 'group', group: { id: 'routes:/api', count: 5 }, components: [] },
        { id: 'svc_pg', label: 'PostgreSQL', kind: 'database', components: [] },
      ],
      notes: [],
    },
    components: [
      {
        id: 'a',
        name: 'GET /a',
        kind: 'http-route',
        target: 'faas',
        analysedTarget: 'faas',
        monthlyUsd: 2,
        coldStartMs: 90,
        hazards: ['module-state'],
        findings: 1,
        location: at('src/a.ts', 4),
      },
      {
        id: 'b',
        name: 'ws /ws',
        kind: 'websocket',
        target: 'container',
        analysedTarget: 'container',
        monthlyUsd: 30,
        hazards: ['websocket'],
        findings: 2,
        location: at('src/ws.ts', 9),
      },
      {
        id: 'c',
        name: 'cron nightly',
        kind: 'scheduled-job',
        target: 'baas',
        analysedTarget: 'baas',
        hazards: [],
        findings: 0,
        location: at('src/jobs.ts', 2),
      },
    ],
    findings: [
      {
        id: 'f1',
        ruleId: 'r',
        hazard: 'module-state',
        severity: 'warning',
        message: 'state',
        location: at('src/a.ts', 2),
        components: 1,
      },
      {
        id: 'f2',
        ruleId: 'r',
        hazard: 'websocket',
        severity: 'error',
        message: 'socket',
        location: at('src/ws.ts', 1),
        components: 1,
      },
    ],
    seq,
    ...over,
  };
}

describe('panel page store', () => {
  it('asks for the view it showed before on ready', () => {
    const t = fake({ root: '/w/shop', provider: 'gcp', expanded: ['routes:/api'], view: 'current', tab: 'findings' });
    const s = new Store(t);
    s.ready();
    assert.deepEqual(t.sent, [{ type: 'ready', root: '/w/shop', provider: 'gcp', expanded: ['routes:/api'] }]);
    assert.equal(s.state.view, 'current');
    assert.equal(s.state.tab, 'findings');
  });

  it('restores only a well-formed saved state', () => {
    const s = restoreState({
      view: 'sideways',
      tab: 7,
      provider: 'oracle',
      zoom: { proposed: { scale: -1, x: 0, y: 0 } },
    });
    assert.equal(s.view, 'proposed');
    assert.equal(s.tab, 'components');
    assert.equal(s.provider, undefined);
    assert.deepEqual(s.zoom, {});
  });

  it('a new model keeps zoom, filters, tab and sort', () => {
    const t = fake();
    const s = new Store(t);
    const changes: string[] = [];
    s.subscribe((c) => changes.push(c));
    s.receive({ type: 'model', model: model(1) });
    s.setZoom('proposed', { scale: 2, x: 10, y: 20 });
    s.setFilter({ target: 'faas' });
    s.setTab('costs');
    s.sortBy('monthlyUsd');
    s.receive({ type: 'model', model: model(2) });
    assert.deepEqual(s.state.zoom.proposed, { scale: 2, x: 10, y: 20 });
    assert.equal(s.state.filter.target, 'faas');
    assert.equal(s.state.tab, 'costs');
    assert.equal(s.state.sort.key, 'monthlyUsd');
    assert.equal(s.model?.seq, 2);
    assert.equal(t.saved?.tab, 'costs');
    assert.deepEqual(
      changes.filter((c) => c === 'model'),
      ['model', 'model'],
    );
  });

  it('filters components by target, hazard and text; sorts both ways, unknown costs last', () => {
    const s = new Store(fake());
    s.receive({ type: 'model', model: model() });
    assert.deepEqual(
      s.visibleComponents().map((c) => c.id),
      ['c', 'a', 'b'],
      'by name',
    );
    s.sortBy('monthlyUsd');
    assert.deepEqual(
      s.visibleComponents().map((c) => c.id),
      ['a', 'b', 'c'],
    );
    s.sortBy('monthlyUsd');
    assert.deepEqual(
      s.visibleComponents().map((c) => c.id),
      ['b', 'a', 'c'],
    );
    s.setFilter({ target: 'container' });
    assert.deepEqual(
      s.visibleComponents().map((c) => c.id),
      ['b'],
    );
    s.setFilter({ target: '', hazard: 'module-state' });
    assert.deepEqual(
      s.visibleComponents().map((c) => c.id),
      ['a'],
    );
    assert.deepEqual(
      s.visibleFindings().map((f) => f.id),
      ['f1'],
    );
    s.setFilter({ hazard: '', text: 'ws.ts' });
    assert.deepEqual(
      s.visibleComponents().map((c) => c.id),
      ['b'],
    );
    s.setFilter({ text: '' });
    assert.deepEqual(
      s.visibleFindings().map((f) => f.id),
      ['f2', 'f1'],
      'errors first',
    );
    assert.deepEqual(s.hazards(), ['module-state', 'websocket']);
  });

  it('a node click opens its code; a group click asks the host to expand it; a service does nothing', () => {
    const t = fake();
    const s = new Store(t);
    s.receive({ type: 'model', model: model() });
    assert.equal(s.activateNode('proposed', 'cmp_a'), 'opened');
    assert.deepEqual(t.sent.pop(), { type: 'openLocation', file: 'src/a.ts', line: 4, column: 1 });
    assert.equal(s.activateNode('proposed', 'grp_api'), 'expanded');
    assert.deepEqual(t.sent.pop(), { type: 'setView', root: '/w/shop', provider: 'aws', expanded: ['routes:/api'] });
    assert.equal(s.activateNode('proposed', 'svc_pg'), 'nothing');
    assert.equal(s.activateNode('proposed', 'nope'), 'nothing');
    assert.equal(t.sent.length, 0);
  });

  it('switching provider asks the host to redraw; rendered echoes the model seq', () => {
    const t = fake();
    const s = new Store(t);
    s.receive({ type: 'model', model: model(7) });
    s.selectProvider('gcp');
    assert.deepEqual(t.sent.pop(), { type: 'setView', root: '/w/shop', provider: 'gcp', expanded: [] });
    s.rendered('proposed', 3);
    assert.deepEqual(t.sent.pop(), { type: 'rendered', seq: 7, view: 'proposed', nodes: 3 });
    s.exportDiagram('mermaid');
    assert.deepEqual(t.sent.pop(), { type: 'export', format: 'mermaid', view: 'proposed' });
  });

  it('what-if: an override is page state, posted to the host, kept across a new model, and reset', () => {
    const t = fake();
    const s = new Store(t);
    s.receive({ type: 'model', model: model(1) });
    s.setOverride('b', { target: 'faas' });
    assert.deepEqual(t.sent.pop(), { type: 'whatIf', overrides: { b: { target: 'faas' } } });
    s.setOverride('b', { requestsPerMonth: 2000 });
    assert.deepEqual(t.sent.pop(), { type: 'whatIf', overrides: { b: { target: 'faas', requestsPerMonth: 2000 } } });
    s.setOverride('a', { requestsPerMonth: NaN });
    assert.deepEqual(t.sent.pop(), { type: 'whatIf', overrides: { b: { target: 'faas', requestsPerMonth: 2000 } } });
    assert.deepEqual(t.saved?.whatIf, { b: { target: 'faas', requestsPerMonth: 2000 } });

    // A re-analysis (same folder) keeps it; a component that is gone loses its override.
    s.setOverride('c', { target: 'keep' });
    const withoutC = model(2);
    withoutC.components = withoutC.components.filter((c) => c.id !== 'c');
    s.receive({ type: 'model', model: withoutC });
    assert.deepEqual(s.state.whatIf, { b: { target: 'faas', requestsPerMonth: 2000 } });
    assert.deepEqual(s.override('b'), { target: 'faas', requestsPerMonth: 2000 });
    assert.equal(s.override('constructor'), undefined);

    // A reloaded page restores it and sends it after ready.
    const t2 = fake(t.saved);
    const s2 = new Store(t2);
    s2.ready();
    assert.deepEqual(t2.sent[1], { type: 'whatIf', overrides: { b: { target: 'faas', requestsPerMonth: 2000 } } });

    // Clearing both fields drops the entry; reset drops everything.
    s.setOverride('b', { target: null, requestsPerMonth: null });
    assert.deepEqual(t.sent.pop(), { type: 'whatIf', overrides: {} });
    s.setOverride('a', { target: 'edge' });
    s.resetWhatIf();
    assert.deepEqual(t.sent.pop(), { type: 'whatIf', overrides: {} });
    assert.deepEqual(s.state.whatIf, {});
    assert.deepEqual(t.saved?.whatIf, {});
  });

  it('what-if: another folder clears it; a saved what-if is restored only when well-formed', () => {
    const s = new Store(fake());
    s.receive({ type: 'model', model: model(1) });
    s.setOverride('a', { target: 'container' });
    s.receive({ type: 'model', model: model(2, { root: '/w/other' }) });
    assert.deepEqual(s.state.whatIf, {});
    const r = restoreState({
      whatIf: {
        a: { target: 'faas', requestsPerMonth: -5 },
        b: { target: 'mainframe' },
        c: { requestsPerMonth: 10 },
        d: 'x',
      },
    });
    assert.deepEqual(r.whatIf, { a: { target: 'faas' }, c: { requestsPerMonth: 10 } });
  });

  it('empty clears the model', () => {
    const s = new Store(fake());
    s.receive({ type: 'model', model: model() });
    s.receive({ type: 'empty', reason: 'No analysis yet' });
    assert.equal(s.model, undefined);
    assert.equal(s.empty, 'No analysis yet');
    assert.deepEqual(s.visibleComponents(), []);
  });
});
