// The host's check of what the page posts (src/protocol.ts parsePageMessage): a page is untrusted input.
import * as assert from 'node:assert/strict';
import { isPlainRelativePath, parsePageMessage } from '../../../src/protocol';

describe('panel protocol: messages from the page', () => {
  const valid: unknown[] = [
    { type: 'ready', expanded: [] },
    { type: 'ready', root: '/w/shop', provider: 'gcp', expanded: ['routes:/api/orders'] },
    { type: 'setView', provider: 'aws', expanded: ['kind:scheduled-job'] },
    { type: 'rendered', seq: 3, view: 'proposed', nodes: 17 },
    { type: 'openLocation', file: 'src/routes/orders.ts', line: 12, column: 3 },
    { type: 'export', format: 'mermaid', view: 'current' },
    { type: 'export', format: 'svg', view: 'proposed', data: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' },
    { type: 'export', format: 'png', view: 'proposed', data: 'data:image/png;base64,iVBORw0KGgo=' },
    { type: 'error', message: 'mermaid: parse error' },
    { type: 'whatIf', overrides: {} },
    { type: 'whatIf', overrides: { 'http:GET:/health': { target: 'faas', requestsPerMonth: 2e6 } } },
  ];
  for (const m of valid)
    it(`accepts ${JSON.stringify(m).slice(0, 90)}`, () => {
      const r = parsePageMessage(m);
      assert.ok(r.ok, r.ok ? '' : r.reason);
    });

  const invalid: [string, unknown][] = [
    ['null', null],
    ['a string', 'openLocation'],
    ['an array', [{ type: 'ready' }]],
    ['no type', { file: 'a.ts' }],
    ['an unknown type', { type: 'runCommand', command: 'workbench.action.terminal.new' }],
    ['an absolute path', { type: 'openLocation', file: '/etc/passwd', line: 1, column: 1 }],
    ['a parent path', { type: 'openLocation', file: '../../etc/passwd', line: 1, column: 1 }],
    ['a parent segment inside', { type: 'openLocation', file: 'src/../../x.ts', line: 1, column: 1 }],
    ['a Windows path', { type: 'openLocation', file: 'C:\\Windows\\win.ini', line: 1, column: 1 }],
    ['a URI', { type: 'openLocation', file: 'file:///etc/passwd', line: 1, column: 1 }],
    ['a NUL byte', { type: 'openLocation', file: 'src/a.ts\u0000.png', line: 1, column: 1 }],
    ['a line as a string', { type: 'openLocation', file: 'src/a.ts', line: '1', column: 1 }],
    ['line 0', { type: 'openLocation', file: 'src/a.ts', line: 0, column: 1 }],
    ['a fractional column', { type: 'openLocation', file: 'src/a.ts', line: 1, column: 1.5 }],
    ['an unknown provider', { type: 'setView', provider: 'oracle', expanded: [] }],
    ['expanded not a list', { type: 'setView', expanded: 'routes:/api' }],
    ['expanded with a number', { type: 'setView', expanded: [1] }],
    ['a negative seq', { type: 'rendered', seq: -1, view: 'proposed', nodes: 1 }],
    ['an unknown view', { type: 'rendered', seq: 1, view: 'future', nodes: 1 }],
    ['an unknown export format', { type: 'export', format: 'pdf', view: 'proposed', data: 'x' }],
    [
      'svg data that is not SVG',
      { type: 'export', format: 'svg', view: 'proposed', data: '<script>alert(1)</script>' },
    ],
    [
      'png data that is not a PNG data URL',
      { type: 'export', format: 'png', view: 'proposed', data: 'data:text/html,<b>' },
    ],
    ['mermaid export with page data', { type: 'export', format: 'mermaid', view: 'proposed', data: '%%{init}%%' }],
    ['an error without text', { type: 'error', message: { toString: 1 } }],
  ];
  for (const [what, m] of invalid)
    it(`refuses ${what}`, () => {
      const r = parsePageMessage(m);
      assert.equal(r.ok, false, `accepted ${JSON.stringify(m)}`);
      assert.ok(!r.ok && r.reason.length > 0);
    });

  describe('whatIf', () => {
    const ids = new Set(['http:GET:/health', 'queue:bullmq:emails']);
    const whatIf = (overrides: unknown) => parsePageMessage({ type: 'whatIf', overrides }, { componentIds: ids });

    it("accepts overrides of the report's components, keeping only the known fields", () => {
      const r = whatIf({
        'http:GET:/health': { target: 'faas', evil: 1 },
        'queue:bullmq:emails': { requestsPerMonth: 0 },
      });
      assert.ok(r.ok, r.ok ? '' : r.reason);
      assert.deepEqual(r.message, {
        type: 'whatIf',
        overrides: { 'http:GET:/health': { target: 'faas' }, 'queue:bullmq:emails': { requestsPerMonth: 0 } },
      });
    });

    const bad: [string, unknown][] = [
      ['an id the report does not have', { 'http:GET:/nope': { target: 'faas' } }],
      ['a __proto__ id', JSON.parse('{"__proto__": {"target": "faas"}}')],
      ['an empty id', { '': { target: 'faas' } }],
      ['an unknown target', { 'http:GET:/health': { target: 'mainframe' } }],
      ['"external" as a target', { 'http:GET:/health': { target: 'external' } }],
      ['NaN requests', { 'http:GET:/health': { requestsPerMonth: NaN } }],
      ['Infinity requests', { 'http:GET:/health': { requestsPerMonth: Infinity } }],
      ['negative requests', { 'http:GET:/health': { requestsPerMonth: -1 } }],
      ['requests over 1e12', { 'http:GET:/health': { requestsPerMonth: 1e12 + 1 } }],
      ['requests as a string', { 'http:GET:/health': { requestsPerMonth: '100' } }],
      ['an override that is not an object', { 'http:GET:/health': 'faas' }],
      ['overrides as a list', [{ target: 'faas' }]],
      ['no overrides', undefined],
    ];
    for (const [what, overrides] of bad)
      it(`refuses ${what}`, () => {
        const r = whatIf(overrides);
        assert.equal(r.ok, false, `accepted ${JSON.stringify(overrides)}`);
      });

    it('refuses more than 5,000 overrides', () => {
      const many = Object.fromEntries(Array.from({ length: 5001 }, (_, i) => [`c${i}`, { target: 'faas' }]));
      const r = parsePageMessage({ type: 'whatIf', overrides: many });
      assert.ok(!r.ok && /5000/.test(r.reason), r.ok ? 'accepted' : r.reason);
      const enough = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`c${i}`, { target: 'faas' }]));
      assert.ok(parsePageMessage({ type: 'whatIf', overrides: enough }).ok);
    });
  });

  it('keeps only the known fields of an accepted message', () => {
    const r = parsePageMessage({ type: 'openLocation', file: 'a.ts', line: 1, column: 1, command: 'evil' });
    assert.ok(r.ok);
    assert.deepEqual(r.message, { type: 'openLocation', file: 'a.ts', line: 1, column: 1 });
  });

  it('refuses random values without throwing (seeded)', () => {
    let seed = 42;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const types = ['ready', 'setView', 'rendered', 'openLocation', 'export', 'error', 'x', undefined];
    const values = (): unknown => {
      const pick = Math.floor(rnd() * 9);
      return [null, undefined, -1, 1.5, 'a', '../x', [], {}, 1e12][pick];
    };
    let accepted = 0;
    for (let i = 0; i < 5000; i++) {
      const m: Record<string, unknown> = { type: types[Math.floor(rnd() * types.length)] };
      for (const k of ['file', 'line', 'column', 'seq', 'view', 'nodes', 'format', 'data', 'expanded', 'provider'])
        if (rnd() < 0.5) m[k] = values();
      const r = parsePageMessage(m);
      if (r.ok) {
        accepted++;
        // Whatever got through is well-formed.
        if (r.message.type === 'openLocation') assert.ok(isPlainRelativePath(r.message.file));
      }
    }
    assert.ok(accepted < 5000);
  });

  it('isPlainRelativePath', () => {
    assert.ok(isPlainRelativePath('src/routes/orders.ts'));
    for (const bad of ['', '/a', 'a//b', './a', 'a/./b', 'a/..', '~/a', 'a\\b', 'c:/x'])
      assert.equal(isPlainRelativePath(bad), false, bad);
  });
});
