// Property: what the page posts is untrusted. parsePageMessage accepts exactly the messages of the protocol (and
// returns them as they were sent, known fields only), refuses everything else with a short reason for the log, and
// never throws, whatever a structured clone can carry (BigInt, cycles, typed arrays, odd prototypes).
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { TARGETS } from '../../../src/core/model';
import {
  DIAGRAM_VIEWS,
  MAX_WHAT_IF_REQUESTS,
  parsePageMessage,
  PROVIDER_IDS,
  type ParseContext,
  type Parsed,
} from '../../../src/protocol';
import { fuzzParams, fuzzTimeout, fuzzTitle } from './arbitraries';

type Msg = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------------------------
// The messages of the protocol, from its own vocabularies

const segment = fc
  .string({ unit: fc.constantFrom(...'abcXYZ019_-.é漢 @+'.split('')), minLength: 1, maxLength: 12 })
  .filter((s) => s !== '.' && s !== '..');
const plainPath = fc
  .array(segment, { minLength: 1, maxLength: 6 })
  .map((s) => s.join('/'))
  .filter((p) => !p.startsWith('~'));
const id = fc.string({ unit: 'binary', minLength: 1, maxLength: 150 });
const position = fc.integer({ min: 1, max: 1e7 });

const viewRequest = fc.record(
  {
    root: fc.string({ unit: 'binary', maxLength: 100 }),
    provider: fc.constantFrom(...PROVIDER_IDS),
    expanded: fc.uniqueArray(id, { maxLength: 20 }),
  },
  { requiredKeys: ['expanded'] },
);

const override = fc
  .record(
    {
      target: fc.constantFrom(...TARGETS),
      requestsPerMonth: fc.double({ min: 0, max: MAX_WHAT_IF_REQUESTS, noNaN: true }),
    },
    { requiredKeys: [] },
  )
  .filter((o) => o.target !== undefined || o.requestsPerMonth !== undefined)
  // -0 is 0 on the wire (JSON), and the host treats both alike.
  .map((o) => (Object.is(o.requestsPerMonth, -0) ? { ...o, requestsPerMonth: 0 } : o));

const base64 = fc
  .tuple(
    fc.string({ unit: fc.constantFrom(...'ABCXYZabcxyz0189+/'.split('')), minLength: 1, maxLength: 200 }),
    fc.constantFrom('', '=', '=='),
  )
  .map(([b, pad]) => b + pad);

export const validMessageArb: fc.Arbitrary<Msg> = fc.oneof(
  viewRequest.map((v) => ({ type: 'ready', ...v })),
  viewRequest.map((v) => ({ type: 'setView', ...v })),
  fc.record({
    type: fc.constant('rendered'),
    seq: fc.maxSafeNat(),
    view: fc.constantFrom(...DIAGRAM_VIEWS),
    nodes: fc.maxSafeNat(),
  }),
  fc.record({ type: fc.constant('openLocation'), file: plainPath, line: position, column: position }),
  fc.record({ type: fc.constant('export'), format: fc.constant('mermaid'), view: fc.constantFrom(...DIAGRAM_VIEWS) }),
  fc.record({
    type: fc.constant('export'),
    format: fc.constant('svg'),
    view: fc.constantFrom(...DIAGRAM_VIEWS),
    data: fc
      .tuple(fc.constantFrom(' ', '>', '\n'), fc.string({ maxLength: 200 }))
      .map(([s, rest]) => `<svg${s}${rest}`),
  }),
  fc.record({
    type: fc.constant('export'),
    format: fc.constant('png'),
    view: fc.constantFrom(...DIAGRAM_VIEWS),
    data: base64.map((b) => `data:image/png;base64,${b}`),
  }),
  fc.record({ type: fc.constant('whatIf'), overrides: fc.dictionary(id, override, { maxKeys: 8 }) }),
  fc.record({ type: fc.constant('error'), message: fc.string({ unit: 'binary', maxLength: 1000 }) }),
);

/** The ids a whatIf message names, as the host would know them from its report. */
function contextFor(m: Msg): ParseContext {
  return m.type === 'whatIf' ? { componentIds: new Set(Object.keys(m.overrides as object)) } : {};
}

/** As the message crosses postMessage and is compared: plain JSON. */
const wire = (x: unknown): unknown => JSON.parse(JSON.stringify(x)) as unknown;

// ---------------------------------------------------------------------------------------------------------------
// Near-valid messages: one field broken in a way the protocol rules out

const BAD_PATHS = [
  '',
  '/etc/passwd',
  '../x.ts',
  'src/../../x.ts',
  'a/./b',
  'a//b',
  './a',
  'a/',
  '~/a',
  'C:\\Windows\\win.ini',
  'C:/x',
  'file:///etc/passwd',
  'src/a.ts\u0000.png',
  'src\\a.ts',
  'a\nb',
  'a'.repeat(1025),
];
const BAD_POSITIONS: unknown[] = [0, -1, 1.5, '1', 1e7 + 1, NaN, Infinity, null, true, [1], 10n];
const BAD_IDS: unknown[] = ['', 'x'.repeat(301), 1, null, {}, []];

/** Copies of a valid message, each broken in one place. */
function breakers(m: Msg): Msg[] {
  const out: Msg[] = [];
  const set = (k: string, v: unknown): void => void out.push({ ...m, [k]: v });
  const drop = (k: string): void => {
    const { [k]: _gone, ...rest } = m;
    out.push(rest);
  };
  drop('type');
  for (const t of ['runCommand', 'READY', 'openlocation', '', 1, null, ['ready'], { type: 'ready' }, 1n])
    set('type', t);
  switch (m.type) {
    case 'ready':
    case 'setView':
      for (const p of ['oracle', 'AWS', 1, null, {}]) set('provider', p);
      for (const e of [
        'routes:/api',
        [1],
        [''],
        ['x'.repeat(301)],
        Array.from({ length: 501 }, (_, i) => `g${i}`),
        {},
        null,
      ])
        set('expanded', e);
      for (const r of [1, null, {}, 'r'.repeat(4097)]) set('root', r);
      break;
    case 'rendered':
      for (const k of ['seq', 'nodes']) {
        for (const v of [-1, 1.5, '1', NaN, Infinity, null, 1n]) set(k, v);
        drop(k);
      }
      for (const v of ['future', 'PROPOSED', 1, undefined]) set('view', v);
      break;
    case 'openLocation':
      for (const f of [...BAD_PATHS, 1, null, ['a.ts'], { toString: 'a.ts' }]) set('file', f);
      drop('file');
      for (const k of ['line', 'column']) {
        for (const v of BAD_POSITIONS) set(k, v);
        drop(k);
      }
      break;
    case 'export':
      for (const f of ['pdf', 'SVG', 1, null]) set('format', f);
      for (const v of ['future', 1]) set('view', v);
      if (m.format === 'mermaid') set('data', '%%{init: {"securityLevel": "loose"}}%%');
      else {
        drop('data');
        for (const d of [
          1,
          null,
          '',
          '<script>alert(1)</script>',
          ' <svg>',
          'data:text/html,<b>x</b>',
          'data:image/png;base64,',
          'data:image/png;base64,a b',
        ])
          set('data', d);
        set('data', m.format === 'svg' ? 'data:image/png;base64,AAAA' : '<svg></svg>');
      }
      break;
    case 'whatIf': {
      for (const o of [null, [], 'faas', 1]) set('overrides', o);
      const [first] = Object.keys(m.overrides as object);
      const ov = m.overrides as Record<string, unknown>;
      // An id the report does not have (the context knows only the message's own ids).
      set('overrides', { ...ov, 'http:GET:/not-in-the-report': { target: 'faas' } });
      for (const bad of BAD_IDS.filter((x): x is string => typeof x === 'string'))
        set('overrides', { ...ov, [bad]: { target: 'faas' } });
      if (first !== undefined) {
        for (const o of ['faas', 1, null, []]) set('overrides', { ...ov, [first]: o });
        for (const t of ['external', 'mainframe', 'FAAS', 1, null])
          set('overrides', { ...ov, [first]: { ...(ov[first] as object), target: t } });
        for (const r of [-1, NaN, Infinity, -Infinity, MAX_WHAT_IF_REQUESTS + 1, '100', null, 10n])
          set('overrides', { ...ov, [first]: { ...(ov[first] as object), requestsPerMonth: r } });
      }
      break;
    }
    case 'error':
      for (const v of [1, null, {}, ['x'], 1n]) set('message', v);
      drop('message');
      break;
  }
  return out;
}

const nearValidArb = validMessageArb.chain((m) =>
  fc.constantFrom(...breakers(m)).map((broken) => ({ valid: m, broken })),
);

function assertRefused(r: Parsed, what: unknown): void {
  assert.equal(r.ok, false, `accepted ${safeShow(what)}`);
  if (r.ok) return;
  assert.ok(typeof r.reason === 'string' && r.reason.length > 0, 'refused without a reason');
  // The reason goes to the log: short, whatever the page sent.
  assert.ok(r.reason.length <= 600, `a reason of ${r.reason.length} characters for the log`);
}

function safeShow(x: unknown): string {
  try {
    return JSON.stringify(x, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))?.slice(0, 300) ?? String(x);
  } catch {
    return Object.prototype.toString.call(x);
  }
}

/** The fields each accepted message may have: nothing else reaches the host. */
const FIELDS: Record<string, string[]> = {
  ready: ['type', 'root', 'provider', 'expanded'],
  setView: ['type', 'root', 'provider', 'expanded'],
  rendered: ['type', 'seq', 'view', 'nodes'],
  openLocation: ['type', 'file', 'line', 'column'],
  export: ['type', 'format', 'view', 'data'],
  whatIf: ['type', 'overrides'],
  error: ['type', 'message'],
};

describe(fuzzTitle('fuzz: messages from the panel page'), function () {
  this.timeout(fuzzTimeout(30_000));

  it('every message of the protocol is accepted, and parses to exactly what was sent', () => {
    fc.assert(
      fc.property(validMessageArb, (m) => {
        const r = parsePageMessage(m, contextFor(m));
        assert.ok(r.ok, r.ok ? '' : `${r.reason} for ${safeShow(m)}`);
        assert.deepEqual(wire(r.message), wire(m));
      }),
      fuzzParams(1000),
    );
  });

  it('the same, with fields the protocol does not know: they are dropped', () => {
    const extra = fc.dictionary(
      fc.constantFrom('command', 'href', 'script', 'constructor', 'prototype', 'then', 'toJSON', 'x'),
      fc.jsonValue(),
      { minKeys: 1, maxKeys: 3 },
    );
    fc.assert(
      fc.property(validMessageArb, extra, (m, more) => {
        const noisy = { ...more, ...m };
        const r = parsePageMessage(noisy, contextFor(m));
        assert.ok(r.ok, r.ok ? '' : r.reason);
        assert.deepEqual(wire(r.message), wire(m));
      }),
      fuzzParams(300),
    );
  });

  it('a message broken in one field is refused, with a short reason', () => {
    fc.assert(
      fc.property(nearValidArb, ({ valid, broken }) => {
        assertRefused(parsePageMessage(broken, contextFor(valid)), broken);
      }),
      fuzzParams(2000),
    );
  });

  it('every way of breaking each kind of message, tried once', () => {
    const samples = fc.sample(validMessageArb, { seed: 7, numRuns: 200 });
    const kinds = new Set<string>();
    for (const m of samples) {
      kinds.add(`${String(m.type)}${m.type === 'export' ? `:${String(m.format)}` : ''}`);
      for (const broken of breakers(m)) assertRefused(parsePageMessage(broken, contextFor(m)), broken);
    }
    assert.equal(kinds.size, 9, [...kinds].join(', '));
  });

  it('anything at all: never a throw; what is accepted has only its own fields and parses again to itself', () => {
    const anything = fc.anything({
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withTypedArray: true,
      withSparseArray: true,
      withNullPrototype: true,
      withObjectString: true,
      maxDepth: 3,
    });
    const typed = fc
      .tuple(
        fc.constantFrom(...Object.keys(FIELDS), 'unknown', '__proto__', 'constructor'),
        fc.dictionary(
          fc.constantFrom(
            'file',
            'line',
            'column',
            'seq',
            'view',
            'nodes',
            'format',
            'data',
            'expanded',
            'provider',
            'root',
            'overrides',
            'message',
            'x',
          ),
          anything,
        ),
      )
      .map(([type, rest]) => ({ ...rest, type }));
    const cyclic = fc.constantFrom(...Object.keys(FIELDS)).map((type) => {
      const m: Msg = { type };
      for (const k of ['file', 'overrides', 'expanded', 'message', 'provider', 'data', 'format', 'view']) m[k] = m;
      return m;
    });
    fc.assert(
      fc.property(fc.oneof(anything, typed, cyclic), (x) => {
        let r: Parsed;
        try {
          r = parsePageMessage(x);
        } catch (e) {
          assert.fail(`parsePageMessage threw ${String(e)} on ${safeShow(x)}`);
        }
        if (!r.ok) return assertRefused(r, x);
        const fields = FIELDS[r.message.type];
        assert.ok(fields, `accepted an unknown type ${safeShow(x)}`);
        for (const k of Object.keys(r.message)) assert.ok(fields.includes(k), `accepted field ${k}`);
        const again = parsePageMessage(wire(r.message));
        assert.ok(again.ok, again.ok ? '' : again.reason);
        assert.deepEqual(wire(again.message), wire(r.message));
      }),
      fuzzParams(3000),
    );
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype was polluted');
  });

  it('regression: a sparse list of groups is refused (every() skipped its holes, and undefined ids got through)', () => {
    // eslint-disable-next-line no-sparse-arrays
    assertRefused(parsePageMessage({ type: 'setView', expanded: [, 'routes:/api'] }), 'a sparse expanded');
    assertRefused(parsePageMessage({ type: 'ready', expanded: new Array(3) }), 'an empty sparse expanded');
  });

  it('regression: a BigInt or a cycle where a string is expected is refused, not thrown', () => {
    const cycle: Msg = { type: 'openLocation', line: 1, column: 1 };
    cycle.file = cycle;
    for (const m of [
      { type: 10n },
      { type: 'openLocation', file: 10n, line: 1, column: 1 },
      cycle,
      { type: 'whatIf', overrides: { a: { target: 10n } } },
    ])
      assertRefused(parsePageMessage(m), m);
  });
});
