import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyze } from '../../../src/core/analyze';
import type { ArchitectureGraph, Report } from '../../../src/core/model';
import { renderMarkdown } from '../../../src/core/present/markdown';
import { CLASS_DEFS, mermaidText, renderMermaid, renderMermaidMarkdown } from '../../../src/core/present/mermaid';
import { analyzeFixture, FIXTURES } from '../helpers';
import { validateReport } from '../schemaValidate';
import { checkMermaid, shown, type ParsedFlowchart } from './mermaidCheck';

const EXAMPLE = path.resolve(__dirname, '../../../examples/shop-api');

/** The ```mermaid blocks of a Markdown text. */
function blocks(md: string): string[] {
  const out: string[] = [];
  const re = /^```mermaid\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(md); m; m = re.exec(md)) out.push(m[1]!);
  return out;
}

function assertMatchesGraph(p: ParsedFlowchart, g: ArchitectureGraph): void {
  assert.deepEqual([...p.nodes.keys()].sort(), g.nodes.map((n) => n.id).sort(), 'every node declared once');
  // Every edge of the model is drawn: alone, or in one arrow that leaves its process with the count (`SQL (9)`).
  const parentOf = new Map(g.nodes.map((n) => [n.id, n.parent]));
  let drawn = 0;
  for (const e of p.edges) {
    const n = / ?\((\d+)\)$/.exec(shown(e.label ?? ''))?.[1];
    if (n) {
      assert.ok(p.subgraphs.has(e.from), `a bundled arrow leaves a process: ${e.from}`);
      const members = g.edges.filter(
        (x) =>
          parentOf.get(x.from) === e.from &&
          x.to === e.to &&
          (x.label ?? '') === shown(e.label!).replace(/ ?\(\d+\)$/, ''),
      );
      assert.equal(members.length, Number(n), `${e.from} -> ${e.to}: ${e.label}`);
      assert.ok(members.length >= 3, 'fewer than three arrows are drawn one by one');
    }
    drawn += n ? Number(n) : 1;
  }
  assert.equal(drawn, g.edges.length, 'every edge drawn');
  for (const n of g.nodes) {
    if (n.style) assert.equal(p.classOf.get(n.id), n.style, `${n.id} class`);
    if (n.parent) assert.ok(p.nodes.get(n.id)!.subgraphs.includes(n.parent), `${n.id} inside ${n.parent}`);
  }
  for (const c of g.clusters ?? []) assert.ok(p.subgraphs.has(c.id), `cluster ${c.id} drawn`);
}

describe('architecture: Mermaid text', () => {
  let r: Report;
  before(() => {
    r = validateReport(analyze({ root: EXAMPLE }));
  });

  describe('the example app', () => {
    it('draws today as a left-to-right flowchart: tiers, the process inside, every node once, every edge between them', () => {
      const g = r.architecture!.current;
      const p = checkMermaid(renderMermaid(g, 'Architecture today'));
      assertMatchesGraph(p, g);
      assert.deepEqual(
        [...p.subgraphs.keys()].filter((id) => id.startsWith('tier_')),
        ['tier_clients', 'tier_containers', 'tier_services'],
      );
      assert.equal(shown(p.subgraphs.get('tier_containers')!.label), 'Processes today');
      const proc = [...p.subgraphs.entries()].find(([, s]) => s.parent === 'tier_containers')!;
      assert.equal(shown(proc[1].label), 'acme-shop-api (src/server.ts)');
    });

    it('draws the proposal with the provider`s tiers, a class per target with its colours, and costs in the boxes', () => {
      const g = r.architecture!.proposed;
      const text = renderMermaid(g);
      const p = checkMermaid(text);
      assertMatchesGraph(p, g);
      assert.deepEqual(
        [...p.subgraphs.keys()].filter((id) => id.startsWith('tier_')).map((id) => shown(p.subgraphs.get(id)!.label)),
        ['Clients and edge', 'Functions · Lambda', 'Containers · Fargate', 'Managed services and data'],
      );
      assert.deepEqual([...p.classDefs.keys()].sort(), ['baas', 'container', 'external', 'faas']);
      for (const [cls, def] of p.classDefs) assert.equal(def, CLASS_DEFS[cls as keyof typeof CLASS_DEFS]);
      const worker = g.nodes.find((n) => n.label === 'bullmq worker "emails"')!;
      assert.match(
        shown(p.nodes.get(worker.id)!.label),
        /^bullmq worker "emails"\nfaas · Lambda\n~\$\d+\.\d\d\/mo on Lambda arm64\ncold start ~\d+ ms$/,
      );
    });

    it('writes the same label once, not on each of many arrows into one box', () => {
      const g = r.architecture!.current;
      const p = checkMermaid(renderMermaid(g));
      const intoPostgres = p.edges.filter((e) => e.to === 'svc_postgres');
      // Today every route group of the one process queries PostgreSQL: one arrow leaves the process, with the count.
      const process = g.clusters!.find((c) => c.tier === 'containers')!.id;
      const fromProcess = g.edges.filter(
        (e) => e.to === 'svc_postgres' && g.nodes.find((n) => n.id === e.from)?.parent === process,
      );
      assert.ok(fromProcess.length >= 4, `${fromProcess.length}`);
      assert.deepEqual(
        intoPostgres.map((e) => [e.from, shown(e.label ?? '')]),
        [[process, `SQL (${fromProcess.length})`]],
      );
      assert.ok(p.edges.some((e) => e.label === 'enqueue'));
      // The model keeps every label.
      assert.ok(r.architecture!.current.edges.filter((e) => e.to === 'svc_postgres').every((e) => e.label === 'SQL'));
    });

    it('uses colours that hold on light and dark themes: pale fills, their own dark text (WCAG AAA contrast)', () => {
      // WCAG 2 relative luminance and contrast ratio.
      const lum = (hex: string): number => {
        const [rr, gg, bb] = [1, 3, 5].map((i) => {
          const c = parseInt(hex.slice(i, i + 2), 16) / 255;
          return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * rr! + 0.7152 * gg! + 0.0722 * bb!;
      };
      for (const def of Object.values(CLASS_DEFS)) {
        const fill = lum(/fill:(#[0-9a-f]{6})/.exec(def)![1]!);
        const text = lum(/color:(#[0-9a-f]{6})/.exec(def)![1]!);
        assert.ok(fill > 0.6, `${def}: a pale fill`);
        assert.ok((fill + 0.05) / (text + 0.05) >= 7, `${def}: contrast ${(fill + 0.05) / (text + 0.05)}`);
      }
    });
  });

  describe('hostile names (test/fixtures/architecture-hostile)', () => {
    let h: Report;
    before(() => {
      h = analyzeFixture('architecture-hostile');
    });

    it('keeps markup, quotes, directives, click lines and line breaks inside the labels, as text', () => {
      for (const g of [h.architecture!.current, h.architecture!.proposed]) {
        const text = renderMermaid(g, 'hostile');
        const p = checkMermaid(text);
        assertMatchesGraph(p, g);
        assert.ok(!text.includes('%%{'), 'no directive');
        assert.ok(!/<(?!br\/>)/.test(text), 'no tag but <br/>');
        assert.ok(!text.includes('`'), 'no backtick');
        assert.ok(!/^\s*click\b/m.test(text), 'no click line');
        const labels = [...p.nodes.values()].map((n) => shown(n.label));
        assert.ok(labels.some((l) => l.startsWith('GET /x"];click A call alert(1);%%{init:{}}%%<img src=x oner')));
        assert.ok(labels.some((l) => l.startsWith('POST /`md`/#quot;/&lt;b&gt;/|pipe|/{curly}')));
        assert.ok(labels.some((l) => l.startsWith('PUT /line break"] click clients call alert(2) %%{init:')));
      }
      const cluster = [...checkMermaid(renderMermaid(h.architecture!.current)).subgraphs.values()].find(
        (s) => s.parent === 'tier_containers',
      )!;
      assert.match(shown(cluster.label), /^x"\]; click clients call alert\(1\); %%\{init: \{"securityLevel"/);
    });

    it('cannot close the Markdown fence early', () => {
      const md = renderMermaidMarkdown(h);
      assert.equal((md.match(/^```/gm) ?? []).length, 4);
      const found = blocks(md);
      assert.equal(found.length, 2);
      for (const b of found) checkMermaid(b);
      assert.equal(blocks(renderMarkdown(h)).length, 2);
    });

    it('makes ids from the hostile component ids that are still plain ids', () => {
      for (const n of h.architecture!.proposed.nodes) assert.match(n.id, /^[a-z]+(_[a-z0-9]+)*$/);
    });
  });

  describe('mermaidText', () => {
    it('passes letters of any script, digits and plain punctuation through', () => {
      assert.equal(
        mermaidText('GET /api/v1/Straße/注文 (2 routes), ~$1.20/mo'),
        'GET /api/v1/Straße/注文 (2 routes), ~$1.20/mo',
      );
    });

    it('turns what could end the quotes or start markup, math, directives or comments into entity codes', () => {
      assert.equal(mermaidText('a"b'), 'a#34;b');
      assert.equal(mermaidText('<b>'), '#60;b#62;');
      assert.equal(mermaidText('%%{init}%%'), '#37;#37;#123;init#125;#37;#37;');
      assert.equal(
        mermaidText('`x` #1; $$y$$ a|b [c];'),
        '#96;x#96; #35;1#59; #36;#36;y#36;#36; a#124;b #91;c#93;#59;',
      );
    });

    it('puts everything on one line and keeps it short', () => {
      assert.equal(mermaidText('a\nb\r\nc\u2028d\te'), 'a b c d e');
      const long = mermaidText('x'.repeat(200));
      assert.equal([...long].length, 60);
      assert.ok(long.endsWith('…'));
    });

    it('refuses an id that is not safe (the model never makes one)', () => {
      const g: ArchitectureGraph = { nodes: [{ id: 'a"];click', label: 'x', kind: 'component' }], edges: [] };
      assert.throws(() => renderMermaid(g), /not a safe Mermaid id/);
    });
  });

  describe('in the reports', () => {
    it('the Markdown report draws today and the proposal, each in its own section, before the cost', () => {
      const md = renderMarkdown(r);
      const today = md.indexOf('\n## Today\n');
      const proposed = md.indexOf('\n## Proposed on AWS\n');
      assert.ok(today > 0 && proposed > today && proposed < md.indexOf('\n## Cost\n'));
      const found = blocks(md);
      assert.equal(found.length, 2);
      assert.ok(md.indexOf(found[0]!) > today && md.indexOf(found[0]!) < proposed);
      assertMatchesGraph(checkMermaid(found[0]!), r.architecture!.current);
      assertMatchesGraph(checkMermaid(found[1]!), r.architecture!.proposed);
    });

    it('`--format mermaid` prints today and the proposal for the first --provider, each under its heading', function () {
      this.timeout(60_000);
      const cli = path.resolve(__dirname, '../../../src/cli.ts');
      const tsx = pathToFileURL(path.join(path.dirname(require.resolve('tsx/package.json')), 'dist/loader.mjs')).href;
      const run = (...args: string[]): string => {
        const out = spawnSync(process.execPath, ['--import', tsx, cli, 'analyze', ...args], {
          encoding: 'utf8',
          env: { ...process.env, CI: 'true' },
        });
        assert.equal(out.status, 0, out.stderr);
        return out.stdout;
      };
      const aws = run(EXAMPLE, '--format', 'mermaid', '--quiet');
      assert.match(aws, /^# Serverless Advisor report: architecture\n/);
      assert.deepEqual(aws.match(/^## .*$/gm), ['## Today', '## Proposed (AWS)']);
      const [today, proposed] = blocks(aws);
      assertMatchesGraph(checkMermaid(today!), r.architecture!.current);
      assertMatchesGraph(checkMermaid(proposed!), r.architecture!.proposed);
      const azure = run(
        path.join(FIXTURES, 'architecture-services'),
        '-f',
        'mermaid',
        '--provider',
        'azure',
        '--quiet',
      );
      assert.deepEqual(azure.match(/^## .*$/gm), ['## Today', '## Proposed (Azure)']);
      assert.ok(blocks(azure)[1]!.includes('subgraph tier_functions["Functions · Azure Functions"]'));
      assert.ok(blocks(azure)[1]!.includes('API Management'));
    });
  });
});
