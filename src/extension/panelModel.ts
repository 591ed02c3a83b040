// What the architecture panel shows, computed from a report in the host (the page has no analysis logic): both
// graphs from the core's model for the chosen provider and expanded groups, their Mermaid text from the core's
// renderer, and the table rows. Plain data, no `vscode`, so the unit tests build it too.
import * as path from 'node:path';
import { buildArchitecture } from '../core/architecture/model';
import type { ArchitectureGraph, Component, Provider, Report, Target } from '../core/model';
import { offeringLabel, quotedCost } from '../core/labels';
import { renderMermaid } from '../core/present/mermaid';
import { PROVIDER_IDS, type PanelDiagram, type PanelLocation, type PanelModel } from '../protocol';

export interface PanelModelOptions {
  root: string;
  roots: string[];
  provider?: Provider;
  expanded?: readonly string[];
  /** The offering the editor quotes (serverlessAdvisor.cost.preferredOffering). */
  offering: string;
  seq: number;
}

function loc(l: { file: string; line: number; column: number }): PanelLocation {
  return { file: l.file, line: l.line, column: l.column };
}

/** The providers the report priced, in the usual order; all of them when it priced none. */
export function pricedProviders(report: Report): Provider[] {
  const seen = new Set(report.totals?.offerings.map((o) => o.provider) ?? []);
  const list = PROVIDER_IDS.filter((p) => seen.has(p));
  return list.length ? list : [...PROVIDER_IDS];
}

function diagram(graph: ArchitectureGraph, byId: Map<string, Component>, title: string): PanelDiagram {
  return {
    mermaid: renderMermaid(graph, title),
    nodes: graph.nodes.map((n) => {
      const first = n.components?.map((id) => byId.get(id)).find(Boolean);
      const at = n.location ?? first?.handler ?? first?.location;
      return {
        id: n.id,
        label: n.label,
        kind: n.kind,
        ...(n.style ? { target: n.style } : {}),
        ...(at ? { location: loc(at) } : {}),
        ...(n.group ? { group: { id: n.group.id, count: n.group.count } } : {}),
        components: n.components ?? [],
        ...(n.cost ? { monthlyUsd: n.cost.monthlyUsd.likely } : {}),
        ...(n.coldStartMs !== undefined ? { coldStartMs: n.coldStartMs } : {}),
      };
    }),
    notes: graph.notes ?? [],
  };
}

export function panelModel(report: Report, o: PanelModelOptions): PanelModel {
  const providers = pricedProviders(report);
  const provider = o.provider && PROVIDER_IDS.includes(o.provider) ? o.provider : (providers[0] ?? 'aws');
  const arch = buildArchitecture(report, { provider, expanded: o.expanded ?? [], offering: o.offering });
  const existing = new Set(
    [...arch.current.nodes, ...arch.proposed.nodes].flatMap((n) => (n.group ? [n.group.id] : [])),
  );
  // A group id stays expanded while the report still has it open (an expanded group no longer shows as a node).
  const expanded = [...new Set(o.expanded ?? [])].filter((g) => !existing.has(g));
  const byId = new Map(report.components.map((c) => [c.id, c]));
  const findingsById = new Map(report.findings.map((f) => [f.id, f]));
  const name = (r: string): string => path.basename(r) || r;
  return {
    root: o.root,
    roots: o.roots.map((r) => ({ root: r, name: name(r) })),
    provider,
    providers,
    expanded,
    current: diagram(arch.current, byId, 'Architecture today'),
    proposed: diagram(arch.proposed, byId, `Proposed architecture (${provider})`),
    components: report.components.map((c) => {
      const cost = quotedCost(c, o.offering);
      const target: Target = c.classification?.target ?? 'container';
      return {
        id: c.id,
        name: c.name,
        kind: c.kind,
        target,
        ...(c.classification ? { confidence: c.classification.confidence } : {}),
        ...(cost ? { monthlyUsd: cost.monthlyUsd.likely, offering: offeringLabel(cost.offering) } : {}),
        ...(c.coldStart ? { coldStartMs: c.coldStart.estimateMs } : {}),
        hazards: [...new Set(c.findings.map((id) => findingsById.get(id)?.hazard).filter((h) => h !== undefined))],
        findings: c.findings.length,
        location: loc(c.handler ?? c.location),
      };
    }),
    findings: report.findings.map((f) => ({
      id: f.id,
      ruleId: f.ruleId,
      hazard: f.hazard,
      severity: f.severity,
      message: f.message,
      location: loc(f.location),
      components: f.components.length,
    })),
    ...(report.totals
      ? {
          costs: {
            snapshotDate: report.totals.snapshotDate,
            usedDefaults: report.totals.usedDefaults,
            freeTier: report.totals.freeTier,
            offerings: report.totals.offerings.map((t) => ({
              offering: t.offering,
              label: offeringLabel(t.offering),
              provider: t.provider,
              role: t.role,
              monthlyUsd: t.monthlyUsd,
            })),
            breakEven: report.totals.breakEven.map((b) => ({
              serverless: offeringLabel(b.serverless),
              container: offeringLabel(b.container),
              requestsPerMonth: b.requestsPerMonth,
              multipleOfLikely: b.multipleOfLikely,
              note: b.note,
            })),
          },
        }
      : {}),
    seq: o.seq,
  };
}

/** Mermaid Markdown of the two diagrams the panel shows (what Export > Mermaid writes). */
export function panelMarkdown(model: PanelModel): string {
  const block = (title: string, d: PanelDiagram): string[] => [
    `## ${title}`,
    '',
    '```mermaid',
    d.mermaid.trimEnd(),
    '```',
    '',
    ...d.notes.map((n) => `- ${n}`),
    ...(d.notes.length ? [''] : []),
  ];
  return [
    '# Serverless Advisor report: architecture',
    '',
    ...block('Today', model.current),
    ...block(`Proposed (${model.provider})`, model.proposed),
  ].join('\n');
}
