import { offeringLabel, usd, usdRange } from '../labels';
import type { Finding, Location, Report } from '../model';
import { renderMermaid } from './mermaid';
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
  type PlanItem,
  type ReportOptions,
  type Text,
} from './plan';

// The migration report in Markdown, for a repository or a pull request: the plan of plan.ts, with the diagrams as
// Mermaid blocks (the major code hosts draw them). Everything that comes from the analysed code (names, paths,
// messages) is escaped, so a route called `<img src=x>` or `| a |` stays text and every table keeps its columns.

/** Markdown's punctuation that could start markup, a link, an HTML tag, math or a table cell, escaped. */
export function mdText(s: string): string {
  return s
    .replace(/\r?\n|\r/g, ' ')
    .replace(/[\\`*_[\]<>|~&$]/g, '\\$&')
    .replace(/^([#+-])/, '\\$1')
    .replace(/^(\d+)([.)])(?=\s|$)/, '$1\\$2');
}

/** A code span that no backtick in `s` can close early; in a table a pipe must be escaped even there. */
export function mdCode(s: string, table = false): string {
  let t = s.replace(/\r?\n|\r/g, ' ');
  if (table) t = t.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = t.startsWith('`') || t.endsWith('`') || /^ .* $/.test(t) ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

function where(l: Location): string {
  return `${l.file}:${l.line}`;
}

export function renderMarkdown(report: Report, options: ReportOptions = {}): string {
  const plan = buildPlan(report, options);
  const links = new CodeLinks(report.root, options.outFile);
  const md = new MarkdownWriter(links);
  const out: string[] = [];

  // The heading starts like every report of ours, so that `--out` may replace an earlier one (fsWrite.isOwnReport).
  out.push(`# Serverless Advisor report: migration plan for ${mdText(plan.name)}`, '');
  out.push(headerLine(plan, links), '');

  out.push('## Summary', '');
  for (const line of plan.summary) out.push(`- ${md.text(line)}`);
  out.push('');

  out.push('## Today', '');
  for (const line of plan.today.text) out.push(`- ${md.text(line)}`);
  out.push('');
  if (plan.today.graph.nodes.length) out.push(...mermaidBlock(plan.today.graph, 'Architecture today'));

  out.push(`## Proposed on ${mdText(plan.proposed.providerName)}`, '');
  if (plan.proposed.text.length) {
    for (const line of plan.proposed.text) out.push(`- ${md.text(line)}`);
    out.push('');
  }
  if (plan.proposed.graph.nodes.length) {
    out.push(
      'Boxes are coloured by where each component should run: blue a function, violet an edge function, green a managed service, orange a container, dashed what is outside the code.',
      '',
    );
    out.push(...mermaidBlock(plan.proposed.graph, `Proposed architecture on ${plan.proposed.providerName}`));
  }

  out.push('## Cost', '');
  out.push(...costSection(plan));

  out.push('## Migration plan', '');
  for (const phase of plan.phases) out.push(...phaseSection(phase, md));

  out.push('## Risks', '');
  if (!plan.risks.length)
    out.push('None of the risks this report looks for applies: nothing moves and nothing reaches a cloud service.', '');
  for (const risk of plan.risks) {
    out.push(`### ${mdText(risk.title)}`, '');
    for (const p of risk.points) out.push(`- ${md.text(p)}`);
    if (risk.mitigations.length) {
      out.push('', 'What limits it:', '');
      for (const m of risk.mitigations) out.push(`- ${md.text(m)}`);
    }
    out.push('');
  }

  out.push('## Evidence per component', '');
  if (!plan.items.length) out.push('No deployable components were found.', '');
  for (const phase of plan.phases) {
    if (!phase.items.length) continue;
    out.push(`### ${phaseHeading(phase)}`, '');
    for (const it of phase.items) out.push(...evidence(it, md));
    out.push('');
  }

  out.push('## Findings', '');
  if (!plan.findings.length)
    out.push('Nothing in the code stands in the way of serverless, as far as the rules can tell.', '');
  const names = new Map(report.components.map((c) => [c.id, c.name]));
  for (const sev of SEVERITY_ORDER) {
    const list = plan.findings.filter((f) => f.severity === sev);
    if (!list.length) continue;
    out.push(`### ${SEVERITY_TITLES[sev]} (${list.length})`, '');
    for (const f of list) out.push(...findingLines(f, names, md));
    out.push('');
  }

  out.push('## Assumptions', '');
  if (!plan.assumptions.length)
    out.push('Costs were not computed for this report, so it rests on no pricing assumptions.', '');
  for (const a of plan.assumptions) out.push(`- ${md.text(a)}`);
  if (plan.assumptions.length) out.push('');

  out.push(...aboutSection(report, links, md));
  return `${out.join('\n').trimEnd()}\n`;
}

const SEVERITY_TITLES = { error: 'Errors', warning: 'Warnings', info: 'Information' } as const;

/** Writes the plan's sentences as Markdown: text escaped, code in spans, places as links or plain `file:line`. */
export class MarkdownWriter {
  constructor(readonly links: CodeLinks) {}

  inline(x: Inline, table = false): string {
    if (typeof x === 'string') return mdText(x);
    if ('code' in x) return mdCode(x.code, table);
    if ('strong' in x) return `**${mdText(x.strong)}**`;
    return this.place(x.at, table);
  }

  text(t: Text, table = false): string {
    return t.map((x) => this.inline(x, table)).join('');
  }

  place(l: Location, table = false, label = where(l)): string {
    const href = this.links.href(l);
    return href ? `[${mdText(label)}](${href})` : mdCode(label, table);
  }
}

function headerLine(plan: Plan, links: CodeLinks): string {
  const parts = [`${mdText(plan.tool.name)} ${mdText(plan.tool.version)}`];
  parts.push(`analysed folder ${mdCode(links.rootName(plan.name))}`);
  if (plan.source?.commit)
    parts.push(`commit ${mdCode(plan.source.commit)}${plan.source.branch ? ` on ${mdCode(plan.source.branch)}` : ''}`);
  else if (plan.source?.branch) parts.push(`branch ${mdCode(plan.source.branch)} (no commit yet)`);
  parts.push(plan.pricingDate ? `pricing snapshot of ${plan.pricingDate}` : 'no costs computed');
  return parts.join(' · ');
}

function mermaidBlock(graph: Parameters<typeof renderMermaid>[0], title: string): string[] {
  const out = ['```mermaid', renderMermaid(graph, title).trimEnd(), '```', ''];
  for (const note of graph.notes ?? []) out.push(`- ${mdText(note)}`);
  if (graph.notes?.length) out.push('');
  return out;
}

/** An amount alone in a table cell: a cell is parsed on its own, so a lone `$` cannot open math there. */
function money(n: number): string {
  return usd(n).replace('<', '\\<');
}

function costSection(plan: Plan): string[] {
  const cost = plan.cost;
  if (!cost) return ['Costs were not computed for this report (`--no-costs`).', ''];
  const out: string[] = [];
  out.push(
    mdText(
      `Monthly USD, low / likely / high: the volume of each component x${cost.scenarios.low} / x${cost.scenarios.likely} / x${cost.scenarios.high}. ` +
        `Pricing snapshot of ${cost.snapshotDate}; free tiers ${cost.freeTier ? 'applied once per account' : 'not applied'}.`,
    ) +
      (cost.usedDefaults
        ? ` ${mdText('Usage comes from defaults by component kind: put the real volumes in')} ${mdCode('serverless-advisor.yaml')} ${mdText('for figures that mean something for this system.')}`
        : ''),
    '',
  );
  const rows = [cost.today, cost.allFunctions].filter((x) => x !== undefined);
  if (rows.length || cost.proposal) {
    out.push(
      `| On ${mdText(cost.providerName)}, before free tiers | Offering | Low | Likely | High |`,
      '|---|---|---|---|---|',
    );
    if (cost.today) out.push(costRow(cost.today.label, offeringLabel(cost.today.offering), cost.today.monthlyUsd));
    if (cost.proposal) {
      const offerings = [...new Set(cost.proposal.parts.flatMap((p) => p.offerings))].map(offeringLabel);
      out.push(costRow('The proposal', offerings.join(' + '), cost.proposal.monthlyUsd));
    }
    if (cost.allFunctions)
      out.push(
        costRow(cost.allFunctions.label, offeringLabel(cost.allFunctions.offering), cost.allFunctions.monthlyUsd),
      );
    out.push('');
  }
  if (cost.proposal) {
    out.push('The proposal, part by part:', '');
    for (const p of cost.proposal.parts) {
      out.push(
        `- ${mdText(p.label)}${p.components ? mdText(`, ${plural(p.components, 'component')}`) : ''}${p.offerings.length ? ` on ${mdText(p.offerings.map(offeringLabel).join(', '))}` : ''}: ${mdText(usdRange(p.monthlyUsd))}`,
      );
    }
    if (cost.proposal.unpriced)
      out.push(
        `- ${mdText(`${plural(cost.proposal.unpriced, 'component')} without a price on these offerings, left out.`)}`,
      );
    out.push('');
  }
  if (cost.freeTierNote) out.push(mdText(cost.freeTierNote), '');
  if (cost.breakEven) out.push(mdText(breakEvenSentence(cost.breakEven)), '');
  if (cost.unverified.length) {
    out.push(
      `${mdText(`${plural(cost.unverified.length, 'price')} in these figures could not be verified at the source (listed under Assumptions).`)}`,
      '',
    );
  }
  out.push('### Every offering priced', '');
  out.push('| Offering | Provider | Role | Low | Likely | High |', '|---|---|---|---|---|---|');
  for (const o of cost.offerings) {
    out.push(
      `| ${mdText(offeringLabel(o.offering))} | ${mdText(o.provider)} | ${mdText(o.role)} | ${money(o.monthlyUsd.low)} | ${money(o.monthlyUsd.likely)} | ${money(o.monthlyUsd.high)} |`,
    );
  }
  out.push('');
  if (cost.breakEvens.length) {
    out.push('### Break-even, whole system', '');
    out.push(
      "The monthly volume at which the always-on container becomes cheaper than the functions: every component scaled together at today's mix, the free tier once, one shared fleet.",
      '',
      '| Functions | Container | Requests / month | x likely volume | Container busy |',
      '|---|---|---|---|---|',
    );
    for (const b of cost.breakEvens) {
      const at =
        b.requestsPerMonth === null
          ? `never, up to ${b.searchedUpTo.toExponential()}`
          : b.requestsPerMonth === 0
            ? 'any volume'
            : count(b.requestsPerMonth);
      out.push(
        `| ${mdText(offeringLabel(b.serverless))} | ${mdText(offeringLabel(b.container))} | ${mdText(at)} | ${b.multipleOfLikely === null ? '' : mdText(multiple(b.multipleOfLikely))} | ${b.containerUtilisation === null ? '' : mdText(percent(b.containerUtilisation))} |`,
      );
    }
    out.push('');
  }
  return out;
}

function costRow(label: string, offering: string, r: { low: number; likely: number; high: number }): string {
  return `| ${mdText(label)} | ${mdText(offering)} | ${money(r.low)} | ${money(r.likely)} | ${money(r.high)} |`;
}

function phaseSection(p: Phase, md: MarkdownWriter): string[] {
  const out = [`### ${phaseHeading(p)}`, ''];
  if (!p.items.length) {
    out.push(p.id === 'containers' ? 'Nothing stays in containers.' : 'None.', '');
    return out;
  }
  out.push(`${mdText(p.intro)}`, '');
  out.push(`${mdText(plural(p.items.length, 'component'))}. Effort: ${mdText(effortText(p))}`, '');
  if (p.id === 'containers') {
    for (const g of p.groups ?? []) {
      out.push(`- ${mdText(componentNames(g.items))}: ${md.text(g.why)}.`);
    }
    out.push('');
    if (p.unlocks?.length) {
      out.push('What would open functions to them:', '');
      for (const u of p.unlocks) {
        out.push(
          `- Fixing ${mdCode(u.finding.ruleId)} at ${md.place(u.finding.location)} removes the only block for ${mdText(plural(u.components.length, 'component'))}. Its fix: ${md.text(rich(u.finding.fix))}`,
        );
      }
      out.push('');
    }
    return out;
  }
  if (p.id === 'keep') {
    out.push(`- ${mdText(componentNames(p.items))}`, '');
    return out;
  }
  out.push('| Component | Code | Runs on | With | Effort | Cold start |', '|---|---|---|---|---|---|');
  for (const it of p.items) {
    const c = it.component;
    out.push(
      `| ${mdText(c.name)} | ${md.place(c.location, true)} | ${mdText(it.runsOn ?? it.target ?? '')} | ${mdText(it.services.join(', '))} | ${c.effort?.points ?? ''} | ${c.coldStart ? `~${c.coldStart.estimateMs} ms` : ''} |`,
    );
  }
  out.push('');
  if (p.services.length) {
    out.push('Managed services this phase relies on:', '');
    for (const s of p.services) out.push(`- ${mdText(s.what ? `${s.name}: ${s.what}` : s.name)}`);
    out.push('');
  }
  if (p.fixes.length) {
    out.push('Fixes before the move:', '');
    for (const { finding: f, components } of p.fixes) {
      out.push(
        `- ${mdCode(f.ruleId)} (${f.severity}) at ${md.place(f.location)}${components > 1 ? mdText(`, ${components} of these components`) : ''}: ${md.text(rich(f.fix))}`,
      );
    }
    out.push('');
  }
  return out;
}

function evidence(it: PlanItem, md: MarkdownWriter): string[] {
  const c = it.component;
  const k = c.classification;
  const facts: string[] = [
    c.framework,
    k ? `${k.target} (${Math.round(k.confidence * 100)}% confidence)` : 'not classified',
  ];
  if (c.effort) facts.push(`effort ${plural(c.effort.points, 'point')}`);
  if (c.coldStart) facts.push(`cold start ~${c.coldStart.estimateMs} ms`);
  if (it.cost) facts.push(monthlyText(it.cost));
  const out = [`- **${mdText(c.name)}** at ${md.place(c.location)}: ${facts.map(mdText).join(' · ')}`];
  const groups = byHazard(it.findings);
  out.push(
    `  - Findings: ${
      groups.length
        ? groups
            .map(
              (g) =>
                `${mdText(g.hazard)}${g.severity === 'info' ? '' : ` (${g.severity})`} at ${g.findings.map((f) => md.place(f.location)).join(', ')}`,
            )
            .join('; ')
        : 'none'
    }`,
  );
  for (const a of k?.alternatives ?? []) out.push(`  - Alternative: ${mdText(`${a.target}, ${a.why}`)}`);
  return out;
}

function findingLines(f: Finding, names: ReadonlyMap<string, string>, md: MarkdownWriter): string[] {
  const out = [
    `- **${mdText(f.hazard)}** at ${md.place(f.location)} (${mdCode(f.ruleId)}): ${md.text(rich(f.message))}`,
  ];
  if (f.evidence) out.push(`  - Code: ${mdCode(f.evidence)}`);
  out.push(`  - Fix: ${md.text(rich(f.fix))}`);
  if (f.basis) out.push(`  - Basis: ${mdText(f.basis)}`);
  if (f.components.length) {
    out.push(
      `  - Affects ${mdText(plural(f.components.length, 'component'))}: ${mdText(
        listed(
          f.components.map((id) => names.get(id) ?? id),
          6,
        ),
      )}`,
    );
  }
  return out;
}

function aboutSection(report: Report, links: CodeLinks, md: MarkdownWriter): string[] {
  const out = ['## About this analysis', ''];
  out.push(
    mdText(
      `${plural(report.stats.files, 'source file')} analysed${report.stats.skipped.length ? `, ${report.stats.skipped.length} skipped` : ''}, ` +
        `${plural(report.components.length, 'component')}, ${plural(report.findings.length, 'finding')}, in ${count(report.stats.durationMs)} ms.`,
    ),
    '',
  );
  if (report.suppressed?.length) {
    out.push(`### Suppressed in the code (${report.suppressed.length})`, '');
    for (const f of report.suppressed)
      out.push(
        `- ${mdCode(f.ruleId)} at ${md.place(f.location)}: ${mdText(f.suppression.reason || '(no reason given)')}`,
      );
    out.push('');
  }
  if (report.problems?.length) {
    out.push(`### Problems (${report.problems.length})`, '');
    // A problem's file may be a rule file outside the analysed folder: named, not linked.
    for (const p of report.problems) out.push(`- ${mdCode(`${p.file}:${p.line}:${p.column}`)}: ${mdText(p.message)}`);
    out.push('');
  }
  if (report.stats.skipped.length) {
    out.push(`### Skipped files (${report.stats.skipped.length})`, '', '| File | Reason |', '|---|---|');
    for (const s of report.stats.skipped) {
      const href = links.href({ file: s.file });
      out.push(`| ${href ? `[${mdText(s.file)}](${href})` : mdCode(s.file, true)} | ${mdText(s.reason)} |`);
    }
    out.push('');
  }
  return out;
}
