import { CLASS_DEFS, renderMermaid } from './mermaid';
import { offeringLabel, usd, usdRange } from '../labels';
import type { ArchitectureGraph, Location, Report } from '../model';
import {
  breakEvenSentence,
  byHazard,
  buildPlan,
  CodeLinks,
  componentNames,
  count,
  effortText,
  listed,
  monthlyText,
  multiple,
  percent,
  phaseHeading,
  plural,
  rich,
  SEVERITY_ORDER,
  type Inline,
  type Phase,
  type Plan,
  type ReportOptions,
  type Text,
} from './plan';

// The migration report as one self-contained HTML file, to share: the plan of plan.ts with its diagrams drawn as
// inline SVG when the report is written (beautiful-mermaid lays Mermaid flowcharts out without a browser or a DOM),
// styles inline, no script at all. Nothing the page shows is fetched: a Content-Security-Policy of `default-src
// 'none'` says so to the browser too. Every string from the report is HTML-escaped; links to the code are relative.

export interface HtmlOptions extends ReportOptions {
  /**
   * Mermaid text -> SVG. By default beautiful-mermaid, loaded on first use (it is an ES module, and only this format
   * needs it). Tests pass their own to see what happens when it fails.
   */
  renderSvg?: (mermaid: string) => string | Promise<string>;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an element or a quoted attribute. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const SEVERITY_TITLES = { error: 'Errors', warning: 'Warnings', info: 'Information' } as const;

export async function renderHtml(report: Report, options: HtmlOptions = {}): Promise<string> {
  const plan = buildPlan(report, options);
  const links = new CodeLinks(report.root, options.outFile);
  const h = new HtmlWriter(links);
  const renderSvg = options.renderSvg ?? (await defaultSvgRenderer());
  const title = `Serverless Advisor report: migration plan for ${plan.name}`;
  const body: string[] = [];

  body.push(`<header><h1>${escapeHtml(title)}</h1><p class="meta">${headerLine(plan, links)}</p></header>`);
  body.push(nav(plan));

  body.push(section('summary', 'Summary', ul(plan.summary.map((t) => h.text(t))), 'summary'));

  const today = [ul(plan.today.text.map((t) => h.text(t)))];
  if (plan.today.graph.nodes.length)
    today.push(await diagram(plan.today.graph, 'Architecture today', 'today', renderSvg));
  body.push(section('today', 'Today', today.join('\n')));

  const proposed = [ul(plan.proposed.text.map((t) => h.text(t)))];
  if (plan.proposed.graph.nodes.length) {
    proposed.push(legend());
    proposed.push(
      await diagram(
        plan.proposed.graph,
        `Proposed architecture on ${plan.proposed.providerName}`,
        'proposed',
        renderSvg,
      ),
    );
  }
  body.push(section('proposed', `Proposed on ${plan.proposed.providerName}`, proposed.join('\n')));

  body.push(section('cost', 'Cost', costSection(plan)));
  body.push(section('plan', 'Migration plan', plan.phases.map((p) => phaseSection(p, h)).join('\n')));
  body.push(section('risks', 'Risks', risksSection(plan, h)));
  body.push(section('evidence', 'Evidence per component', evidenceSection(plan, h)));
  body.push(section('findings', 'Findings', findingsSection(plan, report, h)));
  body.push(
    section(
      'assumptions',
      'Assumptions',
      plan.assumptions.length
        ? ul(plan.assumptions.map((a) => h.text(a)))
        : '<p>Costs were not computed for this report, so it rests on no pricing assumptions.</p>',
    ),
  );
  body.push(section('about', 'About this analysis', aboutSection(report, h)));

  // The opening lines are what fsWrite.isOwnReport recognises: keep the generator meta within the first 512 bytes.
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta name="generator" content="${escapeHtml(`${plan.tool.name} ${plan.tool.version}`)}">`,
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    ...body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Writes the plan's sentences as HTML: text escaped, code in <code>, places as relative links or plain text. */
class HtmlWriter {
  constructor(readonly links: CodeLinks) {}

  inline(x: Inline): string {
    if (typeof x === 'string') return escapeHtml(x);
    if ('code' in x) return `<code>${escapeHtml(x.code)}</code>`;
    if ('strong' in x) return `<strong>${escapeHtml(x.strong)}</strong>`;
    return this.place(x.at);
  }

  text(t: Text): string {
    return t.map((x) => this.inline(x)).join('');
  }

  place(l: Location, label = `${l.file}:${l.line}`): string {
    const href = this.links.href(l);
    return href
      ? `<a class="loc" href="${escapeHtml(href)}">${escapeHtml(label)}</a>`
      : `<code class="loc">${escapeHtml(label)}</code>`;
  }
}

function section(id: string, title: string, content: string, cls = ''): string {
  return `<section id="${id}"${cls ? ` class="${cls}"` : ''}>\n<h2>${escapeHtml(title)}</h2>\n${content}\n</section>`;
}

function ul(items: readonly string[]): string {
  return items.length ? `<ul>\n${items.map((i) => `<li>${i}</li>`).join('\n')}\n</ul>` : '';
}

function nav(plan: Plan): string {
  const entries: [string, string][] = [
    ['summary', 'Summary'],
    ['today', 'Today'],
    ['proposed', 'Proposed'],
    ['cost', 'Cost'],
    ['plan', 'Migration plan'],
    ['risks', 'Risks'],
    ['evidence', 'Evidence'],
    ['findings', `Findings (${plan.findings.length})`],
    ['assumptions', 'Assumptions'],
  ];
  return `<nav>${entries.map(([id, t]) => `<a href="#${id}">${escapeHtml(t)}</a>`).join(' ')}</nav>`;
}

function headerLine(plan: Plan, links: CodeLinks): string {
  const parts = [escapeHtml(`${plan.tool.name} ${plan.tool.version}`)];
  parts.push(`analysed folder <code>${escapeHtml(links.rootName(plan.name))}</code>`);
  if (plan.source?.commit) {
    parts.push(
      `commit <code>${escapeHtml(plan.source.commit)}</code>${plan.source.branch ? ` on <code>${escapeHtml(plan.source.branch)}</code>` : ''}`,
    );
  } else if (plan.source?.branch) parts.push(`branch <code>${escapeHtml(plan.source.branch)}</code> (no commit yet)`);
  parts.push(plan.pricingDate ? `pricing snapshot of ${escapeHtml(plan.pricingDate)}` : 'no costs computed');
  return parts.join(' · ');
}

function legend(): string {
  const names: [keyof typeof CLASS_DEFS, string][] = [
    ['faas', 'function'],
    ['edge', 'edge function'],
    ['baas', 'managed service'],
    ['container', 'container'],
    ['external', 'outside the code'],
  ];
  const swatch = (cls: keyof typeof CLASS_DEFS): string => {
    const def = CLASS_DEFS[cls];
    const fill = /fill:(#[0-9a-f]{6})/.exec(def)?.[1] ?? '#ffffff';
    const stroke = /stroke:(#[0-9a-f]{6})/.exec(def)?.[1] ?? '#000000';
    return `<span class="swatch" style="background:${fill};border-color:${stroke}${cls === 'external' ? ';border-style:dashed' : ''}"></span>`;
  };
  return `<p class="legend">${names.map(([cls, label]) => `${swatch(cls)}${escapeHtml(label)}`).join(' ')}</p>`;
}

// --- Diagrams -------------------------------------------------------------------------------------------------------

let svgRenderer: Promise<(mermaid: string) => string> | undefined;

/** beautiful-mermaid, loaded once, on first use; a failure to load is the diagram's failure, reported in the page. */
function defaultSvgRenderer(): Promise<(mermaid: string) => string> {
  svgRenderer ??= import('beautiful-mermaid').then(
    (m) => (text: string) =>
      // The page's colours, so the diagram follows light and dark; the boxes carry their own pale fills and dark text.
      m.renderMermaidSVG(forBeautifulMermaid(text), { bg: 'var(--sa-bg)', fg: 'var(--sa-fg)', transparent: true }),
    (e: unknown) => () => {
      throw e instanceof Error ? e : new Error(String(e));
    },
  );
  return svgRenderer;
}

/**
 * beautiful-mermaid reads a node's label up to the first `)` of a `(...)` shape, inside quotes or not, so a route
 * like `/api/(shop)/cart` would end its box early. Parentheses inside the quoted labels go to it as entity codes,
 * which Mermaid reads as the same characters (and inlineSvg turns back into them).
 */
export function forBeautifulMermaid(text: string): string {
  return text.replace(/"[^"\n]*"/g, (q) => q.replace(/\(/g, '#40;').replace(/\)/g, '#41;'));
}

/** Elements that run, embed or fetch something, or link out of the page. */
const UNSAFE_ELEMENTS = new Set([
  'script',
  'foreignobject',
  'image',
  'use',
  'a',
  'iframe',
  'embed',
  'object',
  'animate',
  'set',
]);

/**
 * Why an SVG may not sit inline in the report, or undefined when it may. The renderer writes none of these (it
 * escapes every label); the check reads the markup, tag by tag, so a label's text (`onerror=` in a route path,
 * escaped) is not mistaken for an attribute.
 */
export function unsafeSvg(svg: string): string | undefined {
  const tag = /<([a-zA-Z][\w:-]*)((?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>'"]+))?)*)\s*\/?>/g;
  for (const m of svg.matchAll(tag)) {
    const name = m[1]!.toLowerCase();
    if (UNSAFE_ELEMENTS.has(name)) return `a <${name}> element`;
    for (const a of m[2]!.matchAll(/([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>'"]+)))?/g)) {
      const attr = a[1]!.toLowerCase();
      const value = a[2] ?? a[3] ?? a[4] ?? '';
      if (attr.startsWith('on')) return `an event handler (${attr})`;
      if ((attr === 'href' || attr.endsWith(':href') || attr === 'src') && !value.startsWith('#'))
        return `a link out (${attr})`;
      if (attr === 'style' && cssLoads(value)) return 'a style that loads something';
    }
  }
  for (const m of svg.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)) {
    if (cssLoads(m[1]!)) return 'a style sheet that loads something';
  }
  return undefined;
}

function cssLoads(css: string): boolean {
  return /@import/i.test(css) || /url\(\s*["']?\s*(?!#)/i.test(css) || /&#|\\[0-9a-f]/i.test(css);
}

/**
 * Makes beautiful-mermaid's SVG fit to sit inline in the report: drops its web-font @import (the page loads
 * nothing), gives its ids a per-diagram prefix (both diagrams define `arrowhead`), and turns Mermaid's entity codes
 * (`#34;`, written by mermaidText so that a label cannot break out of its quotes) back into the characters they
 * stand for, as numeric character references in the text, so `"`, `<` or `&` show as themselves and never as markup.
 */
export function inlineSvg(svg: string, prefix: string, label: string): string {
  let out = svg.replace(/@import\s+url\([^)]*\)\s*;?/gi, '');
  const ids = new Set([...out.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!));
  out = out.replace(/(\sid=")([^"]+)"/g, (m, a: string, id: string) => (ids.has(id) ? `${a}${prefix}-${id}"` : m));
  out = out.replace(/url\(#([^)]+)\)/g, (m, id: string) => (ids.has(id) ? `url(#${prefix}-${id})` : m));
  out = out.replace(/(href=")#([^"]+)"/g, (m, a: string, id: string) => (ids.has(id) ? `${a}#${prefix}-${id}"` : m));
  out = out.replace(/<text\b[^>]*>[\s\S]*?<\/text>/g, (el) =>
    el.replace(/>([^<]+)</g, (_m, t: string) => `>${t.replace(/#(\d{1,7});/g, '&#$1;')}<`),
  );
  // Scaled to the page's width, never above its own size: the layout's width becomes a maximum.
  const width = /^\s*<svg\b[^>]*?\swidth="([\d.]+)"/.exec(out)?.[1];
  out = out.replace(/^\s*<svg\b/, `<svg role="img" aria-label="${escapeHtml(label)}"`);
  if (width) out = out.replace(/(^\s*<svg\b[^>]*?\sstyle=")/, `$1max-width:${Math.ceil(Number(width))}px;`);
  const unsafe = unsafeSvg(out);
  if (unsafe) throw new Error(`the drawn SVG holds ${unsafe}, which the page must not carry`);
  return out.trim();
}

async function diagram(
  graph: ArchitectureGraph,
  title: string,
  prefix: string,
  renderSvg: (mermaid: string) => string | Promise<string>,
): Promise<string> {
  const text = renderMermaid(graph, title);
  const notes = graph.notes?.length ? ul(graph.notes.map(escapeHtml)) : '';
  try {
    const svg = inlineSvg(await renderSvg(text), prefix, title);
    return `<figure class="diagram">${svg}<figcaption>${escapeHtml(title)}</figcaption></figure>${notes}`;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return (
      `<figure class="diagram fallback"><p>The diagram could not be drawn here (${escapeHtml(why)}). ` +
      `Its Mermaid text follows: paste it into any Mermaid viewer.</p><pre>${escapeHtml(text)}</pre>` +
      `<figcaption>${escapeHtml(title)}</figcaption></figure>${notes}`
    );
  }
}

// --- Sections -------------------------------------------------------------------------------------------------------

function money(n: number): string {
  return escapeHtml(usd(n));
}

function table(head: readonly string[], rows: readonly string[][], cls = ''): string {
  return (
    `<table${cls ? ` class="${cls}"` : ''}>\n<thead><tr>${head.map((x) => `<th>${x}</th>`).join('')}</tr></thead>\n<tbody>\n` +
    rows.map((r) => `<tr>${r.map((x) => `<td>${x}</td>`).join('')}</tr>`).join('\n') +
    '\n</tbody>\n</table>'
  );
}

function costSection(plan: Plan): string {
  const cost = plan.cost;
  if (!cost) return '<p>Costs were not computed for this report (<code>--no-costs</code>).</p>';
  const out: string[] = [];
  out.push(
    `<p>${escapeHtml(
      `Monthly USD, low / likely / high: the volume of each component x${cost.scenarios.low} / x${cost.scenarios.likely} / x${cost.scenarios.high}. ` +
        `Pricing snapshot of ${cost.snapshotDate}; free tiers ${cost.freeTier ? 'applied once per account' : 'not applied'}.`,
    )}${
      cost.usedDefaults
        ? ' Usage comes from defaults by component kind: put the real volumes in <code>serverless-advisor.yaml</code> for figures that mean something for this system.'
        : ''
    }</p>`,
  );
  const rows: string[][] = [];
  const row = (label: string, offering: string, r: { low: number; likely: number; high: number }): string[] => [
    escapeHtml(label),
    escapeHtml(offering),
    money(r.low),
    `<strong>${money(r.likely)}</strong>`,
    money(r.high),
  ];
  if (cost.today) rows.push(row(cost.today.label, offeringLabel(cost.today.offering), cost.today.monthlyUsd));
  if (cost.proposal) {
    const offerings = [...new Set(cost.proposal.parts.flatMap((p) => p.offerings))].map(offeringLabel);
    rows.push(row('The proposal', offerings.join(' + '), cost.proposal.monthlyUsd));
  }
  if (cost.allFunctions)
    rows.push(row(cost.allFunctions.label, offeringLabel(cost.allFunctions.offering), cost.allFunctions.monthlyUsd));
  if (rows.length)
    out.push(
      table(
        [`On ${escapeHtml(cost.providerName)}, before free tiers`, 'Offering', 'Low', 'Likely', 'High'],
        rows,
        'money headline',
      ),
    );
  if (cost.proposal) {
    out.push('<p>The proposal, part by part:</p>');
    const parts = cost.proposal.parts.map(
      (p) =>
        `${escapeHtml(p.label)}${p.components ? escapeHtml(`, ${plural(p.components, 'component')}`) : ''}` +
        `${p.offerings.length ? ` on ${escapeHtml(p.offerings.map(offeringLabel).join(', '))}` : ''}: ` +
        escapeHtml(usdRange(p.monthlyUsd)),
    );
    if (cost.proposal.unpriced)
      parts.push(
        escapeHtml(`${plural(cost.proposal.unpriced, 'component')} without a price on these offerings, left out.`),
      );
    out.push(ul(parts));
  }
  if (cost.freeTierNote) out.push(`<p>${escapeHtml(cost.freeTierNote)}</p>`);
  if (cost.breakEven) out.push(`<p>${escapeHtml(breakEvenSentence(cost.breakEven))}</p>`);
  if (cost.unverified.length) {
    out.push(
      `<p>${escapeHtml(`${plural(cost.unverified.length, 'price')} in these figures could not be verified at the source (listed under Assumptions).`)}</p>`,
    );
  }
  out.push('<details><summary>Every offering priced</summary>');
  out.push(
    table(
      ['Offering', 'Provider', 'Role', 'Low', 'Likely', 'High'],
      cost.offerings.map((o) => [
        escapeHtml(offeringLabel(o.offering)),
        escapeHtml(o.provider),
        escapeHtml(o.role),
        money(o.monthlyUsd.low),
        money(o.monthlyUsd.likely),
        money(o.monthlyUsd.high),
      ]),
      'money',
    ),
  );
  out.push('</details>');
  if (cost.breakEvens.length) {
    out.push('<details><summary>Break-even, whole system</summary>');
    out.push(
      "<p>The monthly volume at which the always-on container becomes cheaper than the functions: every component scaled together at today's mix, the free tier once, one shared fleet.</p>",
    );
    out.push(
      table(
        ['Functions', 'Container', 'Requests / month', 'x likely volume', 'Container busy'],
        cost.breakEvens.map((b) => [
          escapeHtml(offeringLabel(b.serverless)),
          escapeHtml(offeringLabel(b.container)),
          escapeHtml(
            b.requestsPerMonth === null
              ? `never, up to ${b.searchedUpTo.toExponential()}`
              : b.requestsPerMonth === 0
                ? 'any volume'
                : count(b.requestsPerMonth),
          ),
          b.multipleOfLikely === null ? '' : escapeHtml(multiple(b.multipleOfLikely)),
          b.containerUtilisation === null ? '' : escapeHtml(percent(b.containerUtilisation)),
        ]),
        'money',
      ),
    );
    out.push('</details>');
  }
  return out.join('\n');
}

function phaseSection(p: Phase, h: HtmlWriter): string {
  const out = [`<article class="phase phase-${p.id}">`, `<h3>${escapeHtml(phaseHeading(p))}</h3>`];
  if (!p.items.length) {
    out.push(`<p>${p.id === 'containers' ? 'Nothing stays in containers.' : 'None.'}</p>`, '</article>');
    return out.join('\n');
  }
  out.push(`<p>${escapeHtml(p.intro)}</p>`);
  out.push(
    `<p class="effort"><strong>${escapeHtml(plural(p.items.length, 'component'))}</strong> · Effort: ${escapeHtml(effortText(p))}</p>`,
  );
  if (p.id === 'containers') {
    out.push(
      ul((p.groups ?? []).map((g) => `<strong>${escapeHtml(componentNames(g.items))}</strong>: ${h.text(g.why)}.`)),
    );
    if (p.unlocks?.length) {
      out.push('<p>What would open functions to them:</p>');
      out.push(
        ul(
          p.unlocks.map(
            (u) =>
              `Fixing <code>${escapeHtml(u.finding.ruleId)}</code> at ${h.place(u.finding.location)} removes the only block for ${escapeHtml(plural(u.components.length, 'component'))}. Its fix: ${h.text(rich(u.finding.fix))}`,
          ),
        ),
      );
    }
    out.push('</article>');
    return out.join('\n');
  }
  if (p.id === 'keep') {
    out.push(`<p>${escapeHtml(componentNames(p.items))}</p>`, '</article>');
    return out.join('\n');
  }
  out.push(
    table(
      ['Component', 'Code', 'Runs on', 'With', 'Effort', 'Cold start'],
      p.items.map((it) => {
        const c = it.component;
        return [
          escapeHtml(c.name),
          h.place(c.location),
          escapeHtml(it.runsOn ?? it.target ?? ''),
          escapeHtml(it.services.join(', ')),
          c.effort ? String(c.effort.points) : '',
          c.coldStart ? `~${c.coldStart.estimateMs} ms` : '',
        ];
      }),
    ),
  );
  if (p.services.length)
    out.push(
      '<p>Managed services this phase relies on:</p>',
      ul(p.services.map((s) => escapeHtml(s.what ? `${s.name}: ${s.what}` : s.name))),
    );
  if (p.fixes.length) {
    out.push('<p>Fixes before the move:</p>');
    out.push(
      ul(
        p.fixes.map(
          ({ finding: f, components }) =>
            `<code>${escapeHtml(f.ruleId)}</code> <span class="sev sev-${f.severity}">${f.severity}</span> at ${h.place(f.location)}${components > 1 ? escapeHtml(`, ${components} of these components`) : ''}: ${h.text(rich(f.fix))}`,
        ),
      ),
    );
  }
  out.push('</article>');
  return out.join('\n');
}

function risksSection(plan: Plan, h: HtmlWriter): string {
  if (!plan.risks.length)
    return '<p>None of the risks this report looks for applies: nothing moves and nothing reaches a cloud service.</p>';
  return plan.risks
    .map((r) =>
      [
        `<article class="risk risk-${r.id}">`,
        `<h3>${escapeHtml(r.title)}</h3>`,
        ul(r.points.map((p) => h.text(p))),
        r.mitigations.length ? `<p>What limits it:</p>\n${ul(r.mitigations.map((m) => h.text(m)))}` : '',
        '</article>',
      ].join('\n'),
    )
    .join('\n');
}

function evidenceSection(plan: Plan, h: HtmlWriter): string {
  if (!plan.items.length) return '<p>No deployable components were found.</p>';
  const out: string[] = [];
  for (const p of plan.phases) {
    if (!p.items.length) continue;
    out.push(
      `<details${p.step ? ' open' : ''}><summary>${escapeHtml(`${phaseHeading(p)} (${p.items.length})`)}</summary>`,
    );
    out.push(
      table(
        ['Component', 'Code', 'Target', 'Effort', 'Cold start', 'Cost', 'Findings'],
        p.items.map((it) => {
          const c = it.component;
          const k = c.classification;
          const alternatives = (k?.alternatives ?? []).map((a) => `${a.target}: ${a.why}`);
          const groups = byHazard(it.findings);
          return [
            `${escapeHtml(c.name)}<div class="sub">${escapeHtml(c.framework)}</div>`,
            h.place(c.location),
            k
              ? `${escapeHtml(k.target)} <span class="sub">${Math.round(k.confidence * 100)}%</span>${alternatives.length ? `<div class="sub">${escapeHtml(`or ${alternatives.join('; ')}`)}</div>` : ''}`
              : 'not classified',
            c.effort ? String(c.effort.points) : '',
            c.coldStart ? `~${c.coldStart.estimateMs} ms` : '',
            it.cost ? escapeHtml(monthlyText(it.cost)) : '',
            groups.length
              ? groups
                  .map(
                    (g) =>
                      `<div><span class="sev sev-${g.severity}" title="${g.severity}"></span>${escapeHtml(g.hazard)}: ${g.findings.map((f) => h.place(f.location)).join(', ')}</div>`,
                  )
                  .join('')
              : 'none',
          ];
        }),
        'evidence',
      ),
    );
    out.push('</details>');
  }
  return out.join('\n');
}

function findingsSection(plan: Plan, report: Report, h: HtmlWriter): string {
  if (!plan.findings.length)
    return '<p>Nothing in the code stands in the way of serverless, as far as the rules can tell.</p>';
  const names = new Map(report.components.map((c) => [c.id, c.name]));
  const out: string[] = [];
  for (const sev of SEVERITY_ORDER) {
    const list = plan.findings.filter((f) => f.severity === sev);
    if (!list.length) continue;
    out.push(`<details${sev === 'info' ? '' : ' open'}><summary>${SEVERITY_TITLES[sev]} (${list.length})</summary>`);
    out.push('<ul class="findings">');
    for (const f of list) {
      const lines = [
        `<span class="sev sev-${f.severity}"></span><strong>${escapeHtml(f.hazard)}</strong> at ${h.place(f.location)} (<code>${escapeHtml(f.ruleId)}</code>): ${h.text(rich(f.message))}`,
      ];
      if (f.evidence) lines.push(`<div>Code: <code>${escapeHtml(f.evidence)}</code></div>`);
      lines.push(`<div>Fix: ${h.text(rich(f.fix))}</div>`);
      if (f.basis) lines.push(`<div class="sub">Basis: ${escapeHtml(f.basis)}</div>`);
      if (f.components.length) {
        lines.push(
          `<div class="sub">Affects ${escapeHtml(plural(f.components.length, 'component'))}: ${escapeHtml(
            listed(
              f.components.map((id) => names.get(id) ?? id),
              6,
            ),
          )}</div>`,
        );
      }
      out.push(`<li>${lines.join('\n')}</li>`);
    }
    out.push('</ul>', '</details>');
  }
  return out.join('\n');
}

function aboutSection(report: Report, h: HtmlWriter): string {
  const out = [
    `<p>${escapeHtml(
      `${plural(report.stats.files, 'source file')} analysed${report.stats.skipped.length ? `, ${report.stats.skipped.length} skipped` : ''}, ` +
        `${plural(report.components.length, 'component')}, ${plural(report.findings.length, 'finding')}, in ${count(report.stats.durationMs)} ms.`,
    )}</p>`,
  ];
  if (report.suppressed?.length) {
    out.push(`<h3>Suppressed in the code (${report.suppressed.length})</h3>`);
    out.push(
      ul(
        report.suppressed.map(
          (f) =>
            `<code>${escapeHtml(f.ruleId)}</code> at ${h.place(f.location)}: ${escapeHtml(f.suppression.reason || '(no reason given)')}`,
        ),
      ),
    );
  }
  if (report.problems?.length) {
    out.push(`<h3>Problems (${report.problems.length})</h3>`);
    // A problem's file may be a rule file outside the analysed folder: named, not linked.
    out.push(
      ul(
        report.problems.map(
          (p) => `<code>${escapeHtml(`${p.file}:${p.line}:${p.column}`)}</code>: ${escapeHtml(p.message)}`,
        ),
      ),
    );
  }
  if (report.stats.skipped.length) {
    out.push(`<h3>Skipped files (${report.stats.skipped.length})</h3>`);
    out.push(
      table(
        ['File', 'Reason'],
        report.stats.skipped.map((s) => [h.place({ file: s.file, line: 0, column: 0 }, s.file), escapeHtml(s.reason)]),
      ),
    );
  }
  return out.join('\n');
}

const STYLE = `
:root {
  color-scheme: light dark;
  --sa-bg: #ffffff; --sa-fg: #1f2328; --muted: #59636e; --border: #d1d9e0; --panel: #f6f8fa; --link: #0969da;
  --accent: #1d4ed8; --error: #cf222e; --warning: #9a6700; --info: #0969da;
}
@media (prefers-color-scheme: dark) {
  :root {
    --sa-bg: #0d1117; --sa-fg: #e6edf3; --muted: #9198a1; --border: #3d444d; --panel: #151b23; --link: #4493f8;
    --accent: #4493f8; --error: #f85149; --warning: #d29922; --info: #4493f8;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--sa-bg); color: var(--sa-fg);
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 1.7em; margin: 0 0 4px; line-height: 1.25; }
h2 { font-size: 1.35em; margin: 40px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--border); }
h3 { font-size: 1.1em; margin: 24px 0 8px; }
a { color: var(--link); text-decoration: none; }
a:hover { text-decoration: underline; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.88em; }
code { background: var(--panel); border: 1px solid var(--border); border-radius: 4px; padding: 0 4px; overflow-wrap: anywhere; }
pre { background: var(--panel); border: 1px solid var(--border); border-radius: 6px; padding: 12px; overflow: auto; }
.meta { color: var(--muted); margin: 0; }
nav { position: sticky; top: 0; z-index: 1; background: var(--sa-bg); border-bottom: 1px solid var(--border);
  padding: 8px 0; margin: 16px 0 0; display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 0.92em; }
.summary ul { background: var(--panel); border: 1px solid var(--border); border-left: 4px solid var(--accent);
  border-radius: 6px; padding: 12px 16px 12px 36px; }
.summary li { margin: 4px 0; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 0.93em; }
th, td { border: 1px solid var(--border); padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: var(--panel); font-weight: 600; }
table.money td:nth-child(n+3), table.money th:nth-child(n+3) { text-align: right; white-space: nowrap; }
table.money td:nth-child(n+4) { font-variant-numeric: tabular-nums; }
table.evidence td:nth-child(2) { white-space: nowrap; }
.sub { color: var(--muted); font-size: 0.88em; }
.phase, .risk { border: 1px solid var(--border); border-radius: 8px; padding: 4px 16px 8px; margin: 16px 0; }
.phase-quick-wins { border-left: 4px solid #1d4ed8; }
.phase-small-fixes { border-left: 4px solid #6d28d9; }
.phase-managed { border-left: 4px solid #15803d; }
.phase-containers { border-left: 4px solid #c2410c; }
.phase-keep { border-left: 4px solid #6b7280; }
.effort { color: var(--muted); }
.sev { display: inline-block; width: 0.7em; height: 0.7em; border-radius: 50%; margin-right: 4px; vertical-align: baseline; }
.sev-error { background: var(--error); }
.sev-warning { background: var(--warning); }
.sev-info { background: var(--info); }
span.sev:not(:empty) { width: auto; height: auto; border-radius: 4px; padding: 0 6px; color: #ffffff; font-size: 0.8em; }
/* Diagrams are wider than the text: they take the window's width, centred, and shrink to fit it. */
figure.diagram { position: relative; left: 50%; transform: translateX(-50%); width: calc(100vw - 48px);
  margin: 12px 0; border: 1px solid var(--border); border-radius: 8px; padding: 8px; overflow: auto; }
figure.diagram svg { display: block; width: 100%; height: auto; margin: 0 auto; }
figcaption { color: var(--muted); font-size: 0.88em; margin-top: 4px; }
.fallback p { color: var(--warning); }
.legend { font-size: 0.9em; color: var(--muted); }
.swatch { display: inline-block; width: 14px; height: 14px; border: 1.5px solid; border-radius: 3px; margin: 0 4px 0 10px; vertical-align: -2px; }
details { margin: 8px 0; }
summary { cursor: pointer; font-weight: 600; margin: 8px 0; }
ul.findings > li { margin: 10px 0; }
@media print { nav { position: static; } details { display: block; } }
`;
