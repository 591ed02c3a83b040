// What the architecture panel shows, computed from a report in the host (the page has no analysis logic): both
// graphs from the core's model for the chosen provider and expanded groups, their Mermaid text from the core's
// renderer, and the table rows. Plain data, no `vscode`, so the unit tests build it too.
import * as path from 'node:path';
import { buildArchitecture } from '../core/architecture/model';
import type {
  ArchitectureGraph,
  Component,
  CostRange,
  CostTotals,
  OfferingCost,
  Provider,
  Report,
  Target,
} from '../core/model';
import { offeringLabel, quotedCost } from '../core/labels';
import { CURVE_LIKELY_INDEX } from '../core/cost/curveVolumes';
import { renderMermaid } from '../core/present/mermaid';
import {
  PROVIDER_IDS,
  type PanelDiagram,
  type PanelCurve,
  type PanelLocation,
  type PanelModel,
  type WhatIf,
  type WhatIfOverride,
} from '../protocol';

export interface PanelModelOptions {
  root: string;
  roots: string[];
  provider?: Provider;
  expanded?: readonly string[];
  /** The offering the editor quotes (serverlessAdvisor.cost.preferredOffering). */
  offering: string;
  /** The page's what-if overrides by component id (ids the report does not have are ignored). */
  whatIf?: WhatIf;
  seq: number;
}

export const WHAT_IF_NOTE =
  'What-if: costs scaled linearly with the requests you set (exact per-request pricing); free tiers, minimums, ' +
  'the shared container fleet and break-even figures are not recomputed.';

const scale = (r: CostRange, k: number): CostRange => ({ low: r.low * k, likely: r.likely * k, high: r.high * k });
const add = (a: CostRange, b: CostRange): CostRange => ({
  low: a.low + b.low,
  likely: a.likely + b.likely,
  high: a.high + b.high,
});
const floor0 = (r: CostRange): CostRange => ({
  low: Math.max(0, r.low),
  likely: Math.max(0, r.likely),
  high: Math.max(0, r.high),
});

/** The report with the what-if applied, and the overrides that applied (ids of the report, with an effect). */
export function applyWhatIf(report: Report, whatIf: WhatIf = {}): { report: Report; applied: WhatIf } {
  // A Map, so an id such as `constructor` never reads the prototype of the overrides object.
  const overrides = new Map<string, WhatIfOverride>(Object.entries(whatIf));
  if (!overrides.size) return { report, applied: {} };
  const applied: [string, WhatIfOverride][] = [];
  // Per offering, what the scaled components add to (or take from) the account's total.
  const delta = new Map<string, CostRange>();
  const components = report.components.map((c): Component => {
    const o = overrides.get(c.id);
    if (!o) return c;
    const used: WhatIfOverride = {};
    let next: Component = c;
    const analysed = c.classification?.target;
    if (o.target !== undefined && o.target !== analysed) {
      used.target = o.target;
      // The copy's classification moves the component: buildArchitecture places it by target.
      next = {
        ...next,
        classification: c.classification
          ? { ...c.classification, target: o.target }
          : { target: o.target, confidence: 1, reasons: ['what-if override'], blockers: [], alternatives: [] },
      };
    }
    const base = c.usage?.values.requestsPerMonth;
    if (o.requestsPerMonth !== undefined && base !== undefined && base > 0 && o.requestsPerMonth !== base) {
      used.requestsPerMonth = o.requestsPerMonth;
      // A linear approximation of the what-if: each offering's per-component cost (before free tiers, as the report
      // prices it) times requests / analysed requests. Exact for per-request pricing; free tiers, minimums,
      // always-on fleets and volume tiers are not re-applied, so treat it as a first look, not a quote.
      const k = o.requestsPerMonth / base;
      const cost = (c.cost ?? []).map((x): OfferingCost => {
        const scaled = scale(x.monthlyUsd, k);
        const d = add(scaled, scale(x.monthlyUsd, -1));
        delta.set(x.offering, add(delta.get(x.offering) ?? { low: 0, likely: 0, high: 0 }, d));
        return {
          ...x,
          monthlyUsd: scaled,
          breakdown: Object.fromEntries(Object.entries(x.breakdown).map(([line, v]) => [line, v * k])),
        };
      });
      next = {
        ...next,
        cost,
        usage: {
          values: { ...c.usage!.values, requestsPerMonth: o.requestsPerMonth },
          origin: { ...c.usage!.origin, requestsPerMonth: 'what-if' },
          usedDefaults: c.usage!.usedDefaults,
        },
      };
    }
    if (used.target !== undefined || used.requestsPerMonth !== undefined) applied.push([c.id, used]);
    return next;
  });
  if (!applied.length) return { report, applied: {} };
  const totals = report.totals && {
    ...report.totals,
    offerings: report.totals.offerings.map((t) => {
      const d = delta.get(t.offering);
      return d ? { ...t, monthlyUsd: floor0(add(t.monthlyUsd, d)), components: floor0(add(t.components, d)) } : t;
    }),
  };
  if (totals) totals.monthlyUsd = Object.fromEntries(totals.offerings.map((t) => [t.offering, t.monthlyUsd]));
  return {
    report: { ...report, components, ...(totals ? { totals } : {}) },
    applied: Object.fromEntries(applied),
  };
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

export function panelModel(analysed: Report, o: PanelModelOptions): PanelModel {
  const { report, applied } = applyWhatIf(analysed, o.whatIf);
  const analysedTarget = new Map(analysed.components.map((c) => [c.id, c.classification?.target ?? 'container']));
  const analysedRequests = new Map(
    analysed.components.flatMap((c) => {
      const r = c.usage?.values.requestsPerMonth;
      return r !== undefined ? [[c.id, r] as const] : [];
    }),
  );
  const whatIf = Object.keys(applied).length ? applied : undefined;
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
        analysedTarget: analysedTarget.get(c.id) ?? target,
        ...(analysedRequests.has(c.id) ? { requestsPerMonth: analysedRequests.get(c.id)! } : {}),
        ...(whatIf && Object.hasOwn(whatIf, c.id) ? { whatIf: true } : {}),
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
            ...panelCurve(report.totals, provider, o.offering),
            // The pairs of the panel's provider, as the chart above them (the reports list every provider's).
            breakEven: onProvider(report.totals, provider, report.totals.breakEven, (b) => b.serverless).map((b) => ({
              serverless: offeringLabel(b.serverless),
              container: offeringLabel(b.container),
              requestsPerMonth: b.requestsPerMonth,
              multipleOfLikely: b.multipleOfLikely,
              note: b.note,
            })),
          },
        }
      : {}),
    ...(whatIf ? { whatIf: { overrides: whatIf, note: WHAT_IF_NOTE } } : {}),
    seq: o.seq,
  };
}

/** The items whose offering (as `offeringOf` names it) is one of the provider's, in their order. */
function onProvider<T>(totals: CostTotals, provider: Provider, items: readonly T[], offeringOf: (t: T) => string): T[] {
  const mine = new Set(totals.offerings.filter((t) => t.provider === provider).map((t) => t.offering));
  return items.filter((t) => mine.has(offeringOf(t)));
}

/**
 * The system's total curve on one provider, for the break-even chart: its functions and containers, and where each
 * container becomes cheaper than the function the editor quotes (or, on another provider, its cheapest function at
 * the likely volume).
 */
function panelCurve(totals: CostTotals, provider: Provider, quoted: string): { curve?: PanelCurve } {
  const total = totals.curves.find((c) => c.scope === 'total');
  if (!total) return {};
  const series = onProvider(totals, provider, total.series, (s) => s.offering);
  if (!series.length) return {};
  const likelyIndex = Math.min(CURVE_LIKELY_INDEX, total.requestsPerMonth.length - 1);
  const functions = series.filter((s) => s.role === 'function');
  const cheapest = [...functions].sort(
    (a, b) => (a.monthlyUsd[likelyIndex] ?? 0) - (b.monthlyUsd[likelyIndex] ?? 0),
  )[0];
  const serverless = functions.some((s) => s.offering === quoted) ? quoted : cheapest?.offering;
  return {
    curve: {
      provider,
      requestsPerMonth: total.requestsPerMonth,
      likelyRequestsPerMonth: total.requestsPerMonth[likelyIndex] ?? 0,
      series: series.map((s) => ({
        offering: s.offering,
        label: offeringLabel(s.offering),
        role: s.role,
        monthlyUsd: s.monthlyUsd,
      })),
      breakEven: totals.breakEven
        .filter((b) => b.serverless === serverless && series.some((s) => s.offering === b.container))
        .map((b) => ({
          serverless: b.serverless,
          container: b.container,
          requestsPerMonth: b.requestsPerMonth,
          label: `${offeringLabel(b.container)} cheaper from here`,
        })),
    },
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
