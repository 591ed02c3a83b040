import * as assert from 'node:assert/strict';

// A strict reader of the Mermaid flowchart subset src/core/present/mermaid.ts writes. Every line must be one of the
// forms below, so a label that escaped its quotes, a directive, a `click` line or a stray fence fails the test. (No
// Mermaid parser runs in plain Node; the text was also rendered with Mermaid 11 in Chromium by hand, see ARCHITECTURE.md.)

/** Label text: no raw quote, angle bracket, percent, backtick or hash except entity codes and our `<br/>`. */
const LABEL = String.raw`(?:[^"<>%\x60#\n\r]|#\d+;|<br/>)*`;
const ID = '[A-Za-z][A-Za-z0-9_]*';
const SHAPES: [open: string, close: string][] = [
  ['(["', '"])'],
  ['[["', '"]]'],
  ['[("', '")]'],
  ['{{"', '"}}'],
  ['("', '")'],
  ['>"', '"]'],
  ['["', '"]'],
];
const KEYWORDS = new Set([
  'end',
  'subgraph',
  'graph',
  'flowchart',
  'click',
  'style',
  'classDef',
  'class',
  'linkStyle',
  'direction',
  'call',
  'href',
  'default',
]);

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const NODE = new RegExp(
  `^\\s*(${ID})(${SHAPES.map(([o]) => esc(o)).join('|')})(${LABEL})(${SHAPES.map(([, c]) => esc(c)).join('|')})$`,
);
const SUBGRAPH = new RegExp(`^\\s*subgraph (${ID})\\["(${LABEL})"\\]$`);
const EDGE = new RegExp(`^\\s*(${ID}) -->(?:\\|"(${LABEL})"\\|)? (${ID})$`);
const CLASSDEF = /^\s*classDef ([a-z]+) ([a-z-]+:[#\w.% -]+(?:,[a-z-]+:[#\w.% -]+)*)$/;
const CLASS = new RegExp(`^\\s*class (${ID}(?:,${ID})*) ([a-z]+)$`);

export interface ParsedFlowchart {
  nodes: Map<string, { label: string; subgraphs: string[] }>;
  edges: { from: string; to: string; label?: string }[];
  subgraphs: Map<string, { label: string; parent?: string }>;
  classDefs: Map<string, string>;
  classOf: Map<string, string>;
}

/** Reads the text line by line; throws (an assertion) on anything outside the subset or inconsistent. */
export function checkMermaid(text: string): ParsedFlowchart {
  const lines = text.replace(/\n$/, '').split('\n');
  const out: ParsedFlowchart = {
    nodes: new Map(),
    edges: [],
    subgraphs: new Map(),
    classDefs: new Map(),
    classOf: new Map(),
  };
  let i = 0;
  while (lines[i]?.startsWith('%% ')) {
    assert.ok(!lines[i]!.includes('%%{') && !lines[i]!.slice(3).includes('%%'), `directive in a comment: ${lines[i]}`);
    i++;
  }
  assert.equal(lines[i], 'flowchart LR', 'the diagram starts with flowchart LR');
  const stack: string[] = [];
  const id = (x: string): string => {
    assert.ok(!KEYWORDS.has(x), `id is a keyword: ${x}`);
    assert.ok(!/^[ox]/.test(x), `id starts with o or x: ${x}`);
    return x;
  };
  for (i++; i < lines.length; i++) {
    const line = lines[i]!;
    let m: RegExpExecArray | null;
    if ((m = SUBGRAPH.exec(line))) {
      assert.ok(!out.subgraphs.has(m[1]!) && !out.nodes.has(m[1]!), `subgraph id declared twice: ${m[1]}`);
      out.subgraphs.set(id(m[1]!), { label: m[2]!, ...(stack.length ? { parent: stack[stack.length - 1] } : {}) });
      stack.push(m[1]!);
    } else if (/^\s*end$/.test(line)) {
      assert.ok(stack.pop(), `'end' without a subgraph at line ${i + 1}`);
    } else if ((m = NODE.exec(line))) {
      const [, nid, open, label, close] = m;
      const shape = SHAPES.find(([o]) => o === open)!;
      assert.equal(close, shape[1], `shape ${open} closed by ${close}: ${line}`);
      assert.ok(!out.nodes.has(nid!) && !out.subgraphs.has(nid!), `node declared twice: ${nid}`);
      out.nodes.set(id(nid!), { label: label!, subgraphs: [...stack] });
    } else if ((m = EDGE.exec(line))) {
      out.edges.push({ from: m[1]!, to: m[3]!, ...(m[2] !== undefined ? { label: m[2] } : {}) });
    } else if ((m = CLASSDEF.exec(line))) {
      out.classDefs.set(m[1]!, m[2]!);
    } else if ((m = CLASS.exec(line))) {
      assert.ok(out.classDefs.has(m[2]!), `class ${m[2]} used before its classDef`);
      for (const n of m[1]!.split(',')) {
        assert.ok(!out.classOf.has(n), `${n} given two classes`);
        out.classOf.set(n, m[2]!);
      }
    } else {
      assert.fail(`line ${i + 1} is not part of the flowchart subset: ${JSON.stringify(line)}`);
    }
  }
  assert.equal(stack.length, 0, `unclosed subgraphs: ${stack.join(', ')}`);
  for (const e of out.edges) {
    // An arrow may leave a subgraph (a process's arrows bundled into one), never an undeclared id.
    assert.ok(out.nodes.has(e.from) || out.subgraphs.has(e.from), `edge from an undeclared node: ${e.from}`);
    assert.ok(out.nodes.has(e.to), `edge to an undeclared node: ${e.to}`);
  }
  for (const n of out.classOf.keys()) assert.ok(out.nodes.has(n), `class for an undeclared node: ${n}`);
  return out;
}

/** The text a label shows once Mermaid decodes its entity codes and line breaks. */
export function shown(label: string): string {
  return label.replace(/<br\/>/g, '\n').replace(/#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));
}
