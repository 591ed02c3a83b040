import { buildArchitecture } from '../architecture/model';
import { PROVIDERS } from '../architecture/providers';
import { SAFE_ID } from '../architecture/ids';
import type { ArchitectureGraph, ArchitectureNode, ArchitectureTier, Report, Target } from '../model';

// Mermaid flowchart text for an architecture graph. The text must stay safe whatever the analysed code names its
// routes, queues and files: a label is written inside double quotes with every character that could end the
// quotes, open a tag, a directive (`%%{init}%%` is recognised anywhere in the text), a comment, a Markdown string
// or a code fence turned into a Mermaid entity code (`#60;` for `<`), and line breaks turned into spaces. Ids are
// the model's (checked against SAFE_ID). Only `<br/>` between the lines of a box is ours.

/** Letters and digits of any script, and punctuation that means nothing inside a quoted Mermaid label. */
const PLAIN = /^[\p{L}\p{N} .,:/_+\-()*?!@'=~·…]$/u;
const MAX_LABEL = 60;
const MAX_DETAIL = 80;
const MAX_CLUSTER_HEAD = 40;
/** From this many arrows with one label into one box, the label is left off. */
const REPEATED_LABEL = 4;
/** From this many arrows from the boxes of one process to one box (same label), one arrow leaves the process. */
const BUNDLE_FROM = 3;

/** Control characters and line or paragraph separators: a label is one line. */
function isBreak(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
}

/** Text made safe for a quoted Mermaid label: entity codes for anything that is not plain, no line breaks. */
export function mermaidText(text: string, max = MAX_LABEL): string {
  let s = [...text]
    .map((ch) => (isBreak(ch.codePointAt(0)!) ? ' ' : ch))
    .join('')
    .replace(/ {2,}/g, ' ')
    .trim();
  if ([...s].length > max) s = [...s].slice(0, max - 1).join('') + '…';
  const chars = [...s];
  let out = '';
  chars.forEach((ch, i) => {
    // A lone `$` is text; `$$` would start KaTeX math.
    const dollar = ch === '$' && chars[i - 1] !== '$' && chars[i + 1] !== '$';
    out += dollar || PLAIN.test(ch) ? ch : `#${ch.codePointAt(0)};`;
  });
  return out;
}

const TIER_ORDER: ArchitectureTier[] = ['clients', 'edge', 'gateway', 'functions', 'containers', 'services'];

/** Colours readable on light and dark backgrounds: pale fills, dark text, saturated borders. */
export const CLASS_DEFS: Record<Target | 'external', string> = {
  faas: 'fill:#dbeafe,stroke:#1d4ed8,stroke-width:1.5px,color:#0b1f44',
  edge: 'fill:#ede9fe,stroke:#6d28d9,stroke-width:1.5px,color:#2e1065',
  baas: 'fill:#dcfce7,stroke:#15803d,stroke-width:1.5px,color:#052e16',
  container: 'fill:#ffedd5,stroke:#c2410c,stroke-width:1.5px,color:#431407',
  keep: 'fill:#f3f4f6,stroke:#6b7280,stroke-width:1px,color:#111827',
  external: 'fill:#f8fafc,stroke:#475569,stroke-width:1px,stroke-dasharray:4 3,color:#0f172a',
};

function tierTitle(tier: ArchitectureTier, graph: ArchitectureGraph): string {
  const p = graph.provider ? PROVIDERS[graph.provider] : undefined;
  switch (tier) {
    case 'clients':
      return p ? 'Clients and edge' : 'Clients';
    case 'edge':
      return p ? `Edge functions · ${p.edge}` : 'Edge functions';
    case 'gateway':
      return p ? `API · ${p.gateway}` : 'API';
    case 'functions':
      return p ? `Functions · ${p.functions}` : 'Functions today';
    case 'containers':
      return p ? `Containers · ${p.containers}` : 'Processes today';
    case 'services':
      return p ? 'Managed services and data' : 'Data and services';
  }
}

/** The node's shape around its quoted text. */
function shape(n: ArchitectureNode): [string, string] {
  switch (n.kind) {
    case 'client':
      return ['(["', '"])'];
    case 'group':
      return ['[["', '"]]'];
    case 'component':
      return ['("', '")'];
    case 'gateway':
      return ['{{"', '"}}'];
    case 'database':
    case 'cache':
    case 'state-store':
    case 'storage':
    case 'search':
      return ['[("', '")]'];
    case 'queue':
      return ['>"', '"]'];
    default:
      return ['["', '"]'];
  }
}

function boxText(n: ArchitectureNode): string {
  return [mermaidText(n.label), ...(n.details ?? []).map((d) => mermaidText(d, MAX_DETAIL))]
    .filter(Boolean)
    .join('<br/>');
}

function checkId(id: string): string {
  if (!SAFE_ID.test(id)) throw new Error(`not a safe Mermaid id: ${JSON.stringify(id)}`);
  return id;
}

/** A Mermaid flowchart (left to right) of one graph: one subgraph per tier, one per process inside the containers. */
export function renderMermaid(graph: ArchitectureGraph, title?: string): string {
  const out: string[] = [];
  if (title) out.push(`%% ${mermaidText(title, 120)}`);
  out.push('flowchart LR');
  const clusters = new Map((graph.clusters ?? []).map((c) => [c.id, c]));
  const edges = bundleEdges(graph, clusters);
  const sources = new Set(edges.filter((e) => e.count > 1).map((e) => e.from));
  const nodeLine = (n: ArchitectureNode, indent: string): string => {
    const [open, close] = shape(n);
    return `${indent}${checkId(n.id)}${open}${boxText(n)}${close}`;
  };
  for (const tier of TIER_ORDER) {
    const loose = graph.nodes.filter((n) => (n.tier ?? 'services') === tier && !(n.parent && clusters.has(n.parent)));
    const inClusters = [...clusters.values()]
      .filter((c) => c.tier === tier)
      .map((c) => ({ c, nodes: graph.nodes.filter((n) => n.parent === c.id) }))
      .filter((x) => x.nodes.length);
    if (!loose.length && !inClusters.length) continue;
    out.push(`  subgraph tier_${tier}["${mermaidText(tierTitle(tier, graph))}"]`);
    for (const { c, nodes } of inClusters) {
      // A process that arrows leave (bundled arrows below) gets a short one-line title: Mermaid then lays the
      // process out as one box and does not make room for more, so a longer title would lie over its first box or
      // run past its edges. Its details (entry file, fleet cost) stay in the model, the table and the reports.
      const head = sources.has(c.id)
        ? mermaidText(c.label, MAX_CLUSTER_HEAD)
        : [mermaidText(c.label), ...(c.details ?? []).map((d) => mermaidText(d, MAX_DETAIL))].join('<br/>');
      out.push(`    subgraph ${checkId(c.id)}["${head}"]`);
      for (const n of nodes) out.push(nodeLine(n, '      '));
      out.push('    end');
    }
    for (const n of loose) out.push(nodeLine(n, '    '));
    out.push('  end');
  }
  // Many arrows with the same label into one box (nine routes to PostgreSQL, all `SQL`) say it once too often: the
  // box names what they carry, so those arrows go unlabelled; the model keeps every label.
  const fanIn = new Map<string, number>();
  for (const e of edges) if (e.label) fanIn.set(`${e.to}\0${e.label}`, (fanIn.get(`${e.to}\0${e.label}`) ?? 0) + 1);
  for (const e of edges) {
    const label =
      e.count > 1
        ? `${e.label ? `${e.label} ` : ''}(${e.count})`
        : e.label && (fanIn.get(`${e.to}\0${e.label}`) ?? 0) < REPEATED_LABEL
          ? e.label
          : undefined;
    out.push(`  ${checkId(e.from)} -->${label ? `|"${mermaidText(label)}"|` : ''} ${checkId(e.to)}`);
  }
  const byClass = new Map<string, string[]>();
  for (const n of graph.nodes) {
    if (!n.style) continue;
    const list = byClass.get(n.style) ?? [];
    list.push(n.id);
    byClass.set(n.style, list);
  }
  for (const [cls, def] of Object.entries(CLASS_DEFS)) {
    const ids = byClass.get(cls);
    if (!ids?.length) continue;
    out.push(`  classDef ${cls} ${def}`);
    out.push(`  class ${ids.join(',')} ${cls}`);
  }
  return `${out.join('\n')}\n`;
}

/**
 * The arrows to draw. Where several boxes of one process (a cluster) call the same box with the same label (nine
 * route groups of the monolith all querying PostgreSQL), one arrow leaves the process with the count: the same
 * fact, without a sheaf of arrows crossing every box between them. The model keeps every edge; the panel's table
 * and the reports name the components.
 */
function bundleEdges(
  graph: ArchitectureGraph,
  clusters: ReadonlyMap<string, unknown>,
): { from: string; to: string; label?: string; count: number }[] {
  const parent = new Map(graph.nodes.map((n) => [n.id, n.parent && clusters.has(n.parent) ? n.parent : undefined]));
  const bundles = new Map<string, number>();
  const key = (cluster: string, to: string, label: string | undefined): string => `${cluster}\0${to}\0${label ?? ''}`;
  for (const e of graph.edges) {
    const p = parent.get(e.from);
    // An arrow inside its own process stays as it is.
    if (p && parent.get(e.to) !== p) bundles.set(key(p, e.to, e.label), (bundles.get(key(p, e.to, e.label)) ?? 0) + 1);
  }
  const out: { from: string; to: string; label?: string; count: number }[] = [];
  const drawn = new Set<string>();
  for (const e of graph.edges) {
    const p = parent.get(e.from);
    const k = p ? key(p, e.to, e.label) : '';
    const n = p ? (bundles.get(k) ?? 0) : 0;
    if (p && n >= BUNDLE_FROM) {
      if (drawn.has(k)) continue;
      drawn.add(k);
      out.push({ from: p, to: e.to, ...(e.label ? { label: e.label } : {}), count: n });
    } else out.push({ from: e.from, to: e.to, ...(e.label ? { label: e.label } : {}), count: 1 });
  }
  return out;
}

/** The report's architecture, or one built from it when the report has none (an older report, a test's). */
export function architectureOf(report: Report): NonNullable<Report['architecture']> {
  return report.architecture ?? buildArchitecture(report);
}

function fenced(graph: ArchitectureGraph, title: string): string[] {
  const out = ['```mermaid', renderMermaid(graph, title).trimEnd(), '```', ''];
  for (const note of graph.notes ?? []) out.push(`- ${note}`);
  if (graph.notes?.length) out.push('');
  return out;
}

/** The proposed architecture as a Markdown section body (for the Markdown report). */
export function proposedMermaidBlock(report: Report): string[] {
  const { proposed } = architectureOf(report);
  const name = proposed.provider ? PROVIDERS[proposed.provider].name : 'the cloud';
  return fenced(proposed, `Proposed architecture on ${name}`);
}

/** `--format mermaid`: today's and the proposed architecture, each a Mermaid block under its heading. */
export function renderMermaidMarkdown(report: Report): string {
  const { current, proposed } = architectureOf(report);
  const name = proposed.provider ? PROVIDERS[proposed.provider].name : 'the cloud';
  // The heading starts like every report of ours, so that `--out` may replace an earlier one (fsWrite.isOwnReport).
  const out = ['# Serverless Advisor report: architecture', ''];
  out.push(
    'Boxes are coloured by where each component should run: blue a function (faas), violet an edge function, green a managed service (baas), orange a container, dashed what is outside the code.',
    '',
  );
  out.push('## Today', '', ...fenced(current, 'Architecture today'));
  out.push(`## Proposed (${name})`, '', ...fenced(proposed, `Proposed architecture on ${name}`));
  return out.join('\n');
}
