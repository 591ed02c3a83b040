import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyze } from '../../../src/core/analyze';
import { isOwnReport } from '../../../src/core/fsWrite';
import { usd } from '../../../src/core/labels';
import type { ArchitectureGraph, Report } from '../../../src/core/model';
import { escapeHtml, renderHtml } from '../../../src/core/present/html';
import { loadRules } from '../../../src/core/rules/load';
import { analyzeFiles, analyzeFixture } from '../helpers';
import { validateReport } from '../schemaValidate';
import { expectedPhase, mdLinks, PHASES, SECTIONS } from './reportText';

const EXAMPLE = path.resolve(__dirname, '../../../examples/shop-api');

interface Tag {
  name: string;
  attrs: Map<string, string>;
  at: number;
}

/**
 * The start tags of an HTML text, with their attributes. A small reader, strict where it matters here: it refuses a
 * `<` that opens no tag, comment or end tag, so text that would be read as markup cannot hide from the checks.
 */
function tags(html: string): Tag[] {
  const out: Tag[] = [];
  const re = /<(!DOCTYPE html|\/[a-zA-Z][\w:-]*\s*|[a-zA-Z][\w:-]*)((?:\s+[^\s=/>]+(?:="[^"]*")?)*)\s*(\/?)>/gy;
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) break;
    re.lastIndex = lt;
    const m = re.exec(html);
    assert.ok(m, `a < that is not a tag at ${lt}: ${JSON.stringify(html.slice(lt, lt + 60))}`);
    const name = m[1]!;
    if (!name.startsWith('/') && !name.startsWith('!')) {
      const attrs = new Map<string, string>();
      for (const a of m[2]!.matchAll(/([^\s=/>]+)(?:="([^"]*)")?/g)) attrs.set(a[1]!.toLowerCase(), a[2] ?? '');
      out.push({ name: name.toLowerCase(), attrs, at: lt });
    }
    i = re.lastIndex;
    // The content of <style> is CSS, not markup.
    if (name.toLowerCase() === 'style') {
      const end = html.indexOf('</style>', i);
      assert.ok(end > 0);
      i = end;
    }
  }
  return out;
}

/** The text between tags, with the character references decoded (what a reader sees), in one pass. */
function textOf(html: string): string {
  const named: Record<string, string> = { lt: '<', gt: '>', quot: '"', amp: '&' };
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(?:#(\d+)|([a-z]+));/g, (m, n: string | undefined, name: string | undefined) =>
      n ? String.fromCodePoint(Number(n)) : (named[name!] ?? m),
    );
}

/** Anything the page would fetch: every URL-bearing attribute and every CSS url() / @import. */
function remoteLoads(html: string): string[] {
  const out: string[] = [];
  const remote = /^\s*(?:[a-z][a-z0-9+.-]*:)?\/\//i;
  for (const t of tags(html)) {
    for (const a of ['src', 'href', 'xlink:href', 'srcset', 'poster', 'data', 'action', 'formaction', 'background']) {
      const v = t.attrs.get(a);
      if (v !== undefined && remote.test(v)) out.push(`<${t.name} ${a}="${v}">`);
    }
    if (t.name === 'link' || t.name === 'script' || t.name === 'iframe' || t.name === 'object' || t.name === 'embed')
      out.push(`<${t.name}>`);
    if (t.name === 'img' && !(t.attrs.get('src') ?? '').startsWith('data:')) out.push('<img>');
  }
  const styles = [
    ...[...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!),
    ...tags(html).flatMap((t) => (t.attrs.has('style') ? [t.attrs.get('style')!] : [])),
  ];
  for (const css of styles) {
    for (const m of css.matchAll(/url\(\s*["']?([^"')]*)/gi)) if (!m[1]!.startsWith('#')) out.push(`url(${m[1]})`);
    if (/@import/i.test(css)) out.push('@import');
  }
  return out;
}

/** The SVG elements of the page, each as its text. */
function svgs(html: string): string[] {
  return [...html.matchAll(/<svg\b[\s\S]*?<\/svg>/g)].map((m) => m[0]);
}

/** What a label looks like in the drawing: one line, cut as mermaidText cuts it. */
function shownLabel(label: string): string {
  const one = [...label]
    .map((ch) => {
      const c = ch.codePointAt(0)!;
      return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 ? ' ' : ch;
    })
    .join('')
    .replace(/ {2,}/g, ' ')
    .trim();
  return [...one].slice(0, 40).join('');
}

function assertDrawn(svg: string, graph: ArchitectureGraph): void {
  const text = textOf(svg);
  for (const n of graph.nodes) assert.ok(text.includes(shownLabel(n.label)), `node ${n.id} (${n.label}) drawn`);
}

describe('the HTML migration report', function () {
  // beautiful-mermaid lays two diagrams out per report: a second or two each.
  this.timeout(60_000);
  let report: Report;
  let html: string;

  before(async () => {
    report = validateReport(analyze({ root: EXAMPLE }));
    html = await renderHtml(report, { rules: loadRules({}).rules, outFile: path.join(EXAMPLE, 'migration.html') });
  });

  describe('the example app (examples/shop-api)', () => {
    it('is one HTML document that this tool recognises as its own when asked to replace it', () => {
      assert.match(html, /^<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n/);
      assert.ok(html.trimEnd().endsWith('</html>'));
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sa-html-')), 'report.html');
      try {
        fs.writeFileSync(file, html);
        assert.ok(isOwnReport(file));
        fs.writeFileSync(file, '<!DOCTYPE html>\n<html><head><title>my page about serverless-advisor</title>');
        assert.ok(!isOwnReport(file), "a user's page is not ours to replace");
      } finally {
        fs.rmSync(path.dirname(file), { recursive: true, force: true });
      }
    });

    it('loads nothing from anywhere: no script, no stylesheet link, no remote URL, and a CSP that says so', () => {
      assert.deepEqual(remoteLoads(html), []);
      const names = new Set(tags(html).map((t) => t.name));
      for (const n of ['script', 'link', 'img', 'iframe', 'object', 'embed', 'image', 'use', 'foreignobject'])
        assert.ok(!names.has(n), `<${n}>`);
      assert.ok(!tags(html).some((t) => [...t.attrs.keys()].some((a) => a.startsWith('on'))), 'no event handler');
      const csp = tags(html).find((t) => t.name === 'meta' && t.attrs.get('http-equiv') === 'Content-Security-Policy');
      assert.match(csp!.attrs.get('content')!, /default-src 'none'/);
      assert.ok(!html.includes('fonts.googleapis'), 'the renderer`s web font import is dropped');
    });

    it('draws both diagrams as inline SVG carrying the labels of their nodes, with ids unique in the page', () => {
      const drawn = svgs(html);
      assert.equal(drawn.length, 2);
      assertDrawn(drawn[0]!, report.architecture!.current);
      assertDrawn(drawn[1]!, report.architecture!.proposed);
      assert.ok(!html.includes('could not be drawn'));
      // Entity codes of the Mermaid text become the characters they stand for.
      assert.ok(textOf(drawn[1]!).includes('bullmq worker "emails"'));
      assert.ok(!textOf(drawn[1]!).includes('#34;'));
      const ids = tags(html).flatMap((t) => (t.attrs.has('id') ? [t.attrs.get('id')!] : []));
      assert.equal(new Set(ids).size, ids.length, 'duplicate ids');
      for (const m of html.matchAll(/url\(#([^)]+)\)/g)) assert.ok(ids.includes(m[1]!), `url(#${m[1]}) resolves`);
    });

    it('has the sections of a plan, in order, and each component in its phase', () => {
      const h2 = [...html.matchAll(/<h2>([^<]*)<\/h2>/g)].map((m) => m[1]);
      assert.deepEqual(h2, SECTIONS);
      const h3 = [...html.matchAll(/<h3>([^<]*)<\/h3>/g)].map((m) => m[1]);
      assert.deepEqual(h3.slice(0, 4), PHASES);
      // The evidence tables, one per phase: its first column names the components.
      for (const m of html.matchAll(
        /<details[^>]*><summary>([^<]*) \((\d+)\)<\/summary>\s*<table class="evidence">([\s\S]*?)<\/table>/g,
      )) {
        const phase = m[1]!;
        const names = [...m[3]!.matchAll(/<tr><td>([^<]*)<div class="sub">/g)].map((x) => textOf(x[1]!));
        const expected = report.components.filter((c) => expectedPhase(report, c) === phase).map((c) => c.name);
        assert.deepEqual(names.sort(), expected.sort(), phase);
        assert.equal(Number(m[2]), expected.length);
      }
    });

    it('quotes the totals of the report and its pricing date, version and commit', () => {
      const text = textOf(html);
      const t = report.totals!;
      for (const o of t.offerings) assert.ok(text.includes(usd(o.monthlyUsd.likely)), o.offering);
      assert.ok(text.includes(`pricing snapshot of ${t.snapshotDate}`));
      assert.ok(text.includes(`serverless-advisor ${report.tool.version}`));
      if (report.source?.commit) assert.ok(text.includes(report.source.commit));
    });

    it('links every place to a real file and line of the example, relative to the report', () => {
      const hrefs = tags(html)
        .filter((t) => t.name === 'a')
        .map((t) => t.attrs.get('href')!)
        .filter((h) => !h.startsWith('#'));
      assert.ok(hrefs.length > 50);
      for (const href of hrefs) {
        const m = /^([^#]+)#L(\d+)$/.exec(href);
        assert.ok(m, href);
        const file = path.join(EXAMPLE, decodeURIComponent(m[1]!));
        assert.ok(fs.existsSync(file), href);
        assert.ok(Number(m[2]) <= fs.readFileSync(file, 'utf8').split('\n').length, href);
      }
      // In-page links go to sections that exist.
      const ids = new Set(tags(html).map((t) => t.attrs.get('id')));
      for (const t of tags(html).filter((x) => x.name === 'a' && x.attrs.get('href')!.startsWith('#')))
        assert.ok(ids.has(t.attrs.get('href')!.slice(1)), t.attrs.get('href'));
    });
  });

  describe('when a diagram cannot be drawn', () => {
    it('shows the Mermaid text in a <pre> and says so, and the rest of the report is there', async () => {
      const page = await renderHtml(report, {
        renderSvg: () => {
          throw new Error('layout failed');
        },
      });
      assert.equal(svgs(page).length, 0);
      assert.equal((page.match(/could not be drawn here \(layout failed\)/g) ?? []).length, 2);
      const pre = [...page.matchAll(/<pre>([\s\S]*?)<\/pre>/g)].map((m) => textOf(m[1]!));
      assert.equal(pre.length, 2);
      assert.match(pre[0]!, /^%% Architecture today\nflowchart LR\n/);
      assert.ok(page.includes('<h2>Evidence per component</h2>'));
      assert.deepEqual(remoteLoads(page), []);
    });

    it('refuses an SVG that would run or load something, and falls back to the text', async () => {
      for (const bad of [
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://example.com/x.png"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><style>rect { fill: url(https://example.com/x) }</style></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><g onload="alert(1)"></g></svg>',
      ]) {
        const page = await renderHtml(report, { renderSvg: () => bad });
        assert.equal(svgs(page).length, 0, bad);
        assert.ok(page.includes('could not be drawn here'), bad);
        assert.deepEqual(remoteLoads(page), [], bad);
      }
    });
  });

  describe('edge cases', () => {
    it('an empty folder: every section, nothing to migrate, no diagram', async () => {
      const page = await renderHtml(analyzeFiles({}));
      assert.match(textOf(page), /no deployable components were found in 0 files, so there is nothing to migrate/);
      assert.equal(svgs(page).length, 0);
      assert.deepEqual(remoteLoads(page), []);
    });

    it('everything in containers: the phases say None, the containers list all components', async () => {
      const all = structuredClone(report);
      for (const c of all.components) c.classification!.target = 'container';
      delete all.architecture;
      const page = await renderHtml(all, { renderSvg: () => '<svg xmlns="http://www.w3.org/2000/svg"></svg>' });
      assert.equal((page.match(/<p>None\.<\/p>/g) ?? []).length, 3);
      assert.match(textOf(page), /Nothing moves yet: all 29 components stay in containers/);
      assert.match(page, /<summary>Stays in containers \(29\)<\/summary>/);
    });

    it('hostile names (test/fixtures/architecture-hostile) are escaped everywhere, the diagrams included', async () => {
      const h = analyzeFixture('architecture-hostile');
      const page = await renderHtml(h, { outFile: path.join(os.tmpdir(), 'hostile.html') });
      const allowed = new Set([
        'html',
        'head',
        'meta',
        'title',
        'style',
        'body',
        'main',
        'header',
        'nav',
        'section',
        'article',
        'figure',
        'figcaption',
        'h1',
        'h2',
        'h3',
        'p',
        'ul',
        'li',
        'a',
        'code',
        'strong',
        'span',
        'div',
        'pre',
        'table',
        'thead',
        'tbody',
        'tr',
        'th',
        'td',
        'details',
        'summary',
        'svg',
        'defs',
        'marker',
        'g',
        'rect',
        'polygon',
        'polyline',
        'path',
        'line',
        'circle',
        'ellipse',
        'text',
        'tspan',
      ]);
      const found = new Set(tags(page).map((t) => t.name));
      assert.deepEqual(
        [...found].filter((n) => !allowed.has(n)),
        [],
      );
      assert.ok(!tags(page).some((t) => [...t.attrs.keys()].some((a) => a.startsWith('on'))), 'no event handler');
      assert.deepEqual(remoteLoads(page), []);
      const drawn = svgs(page);
      assert.equal(drawn.length, 2);
      assertDrawn(drawn[0]!, h.architecture!.current);
      assertDrawn(drawn[1]!, h.architecture!.proposed);
      // The names read as they are written in the code.
      const text = textOf(page);
      assert.ok(text.includes('<img src=x onerror=alert(1)>'));
      assert.ok(text.includes('/`md`/#quot;/&lt;b&gt;/|pipe|/{curly}'));
      assert.ok(page.includes(escapeHtml('x"]; click clients call alert(1);')));
    });
  });

  describe('from the command line', () => {
    const CLI = path.resolve(__dirname, '../../../src/cli.ts');
    const TSX = pathToFileURL(path.join(path.dirname(require.resolve('tsx/package.json')), 'dist/loader.mjs')).href;
    const run = (...args: string[]): { code: number | null; stderr: string } => {
      const r = spawnSync(process.execPath, ['--import', TSX, CLI, 'analyze', EXAMPLE, '-q', ...args], {
        encoding: 'utf8',
        env: { ...process.env, CI: 'true' },
      });
      return { code: r.status, stderr: r.stderr };
    };
    let dir: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-cli-report-'));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('--format html --out writes the page, replaces its own earlier one, and refuses a foreign file', () => {
      const out = path.join(dir, 'report.html');
      assert.equal(run('--format', 'html', '--out', out).code, 0);
      const page = fs.readFileSync(out, 'utf8');
      assert.equal(svgs(page).length, 2);
      assert.deepEqual(remoteLoads(page), []);
      assert.equal(run('--format', 'html', '--out', out).code, 0, 'replaces its own report');
      fs.writeFileSync(out, '<!DOCTYPE html>\n<html><head><title>notes</title></head></html>\n');
      const refused = run('--format', 'html', '--out', out);
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /is not an earlier report of this tool/);
    });

    it('--format md --out links the code relative to where the report is written', () => {
      const out = path.join(dir, 'docs', 'MIGRATION.md');
      fs.mkdirSync(path.dirname(out), { recursive: true });
      assert.equal(run('--format', 'md', '--out', out).code, 0);
      const links = mdLinks(fs.readFileSync(out, 'utf8'));
      assert.ok(links.length > 50);
      for (const { href } of links) {
        const file = path.resolve(path.dirname(out), decodeURIComponent(href.replace(/#L\d+$/, '')));
        assert.ok(fs.existsSync(file), href);
        assert.ok(file.startsWith(EXAMPLE + path.sep), href);
      }
    });
  });
});
