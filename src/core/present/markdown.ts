import type { Component, ComponentKind, Finding, Report, Severity } from '../model';
import { proposedMermaidBlock } from './mermaid';

const KIND_TITLES: Record<ComponentKind, string> = {
  'http-route': 'HTTP routes',
  'route-group': 'Route groups',
  'queue-consumer': 'Queue consumers',
  'scheduled-job': 'Scheduled jobs',
  websocket: 'Websockets',
  worker: 'Workers and processes',
  graphql: 'GraphQL servers',
  function: 'Existing serverless functions',
  cli: 'Command-line tools',
};

const SEVERITY_ORDER: Severity[] = ['error', 'warning', 'info'];
const TARGET_TITLES: Record<string, string> = {
  faas: '`faas`: serverless function',
  edge: '`edge`: edge function',
  baas: '`baas`: managed service',
  container: '`container`: long-lived process',
  keep: '`keep`: not deployed',
};
const SEVERITY_ICON: Record<Severity, string> = { error: 'Error', warning: 'Warning', info: 'Info' };

/** Pipes and newlines would break a table cell. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function code(s: string): string {
  const ticks = s.includes('`') ? '``' : '`';
  return `${ticks}${s}${ticks}`;
}

function where(l: { file: string; line: number }): string {
  return `${l.file}:${l.line}`;
}

function triggerText(c: Component): string {
  const t = c.trigger;
  switch (t.type) {
    case 'http':
      return `${t.method} ${t.path}`;
    case 'graphql':
      return `GraphQL ${t.path ?? ''}`.trim();
    case 'queue':
      return `${t.system} queue "${t.queue}"`;
    case 'schedule':
      return `${t.system} ${t.schedule}`;
    case 'websocket':
      return `websocket${t.path ? ` ${t.path}` : ''}${t.event ? ` "${t.event}"` : ''}`;
    case 'process':
      return t.system;
    case 'function':
      return `${t.platform}${t.event ? ` (${t.event})` : ''}`;
    case 'cli':
      return `cli${t.command ? ` ${t.command}` : ''}`;
  }
}

/** A readable summary of the analysis for a terminal, a pull request or a wiki page. */
export function renderMarkdown(report: Report): string {
  const out: string[] = [];
  const byId = new Map(report.findings.map((f) => [f.id, f]));
  const counts = SEVERITY_ORDER.map((s) => `${report.findings.filter((f) => f.severity === s).length} ${s}`);
  out.push('# Serverless Advisor report', '');
  out.push(
    `${report.components.length} components and ${report.findings.length} findings (${counts.join(', ')}) in ${report.stats.files} files` +
      (report.stats.skipped.length ? `, ${report.stats.skipped.length} skipped` : '') +
      `. Analysed in ${report.stats.durationMs} ms by ${report.tool.name} ${report.tool.version}.`,
    '',
  );

  const targets = new Map<string, number>();
  for (const c of report.components)
    if (c.classification) targets.set(c.classification.target, (targets.get(c.classification.target) ?? 0) + 1);
  if (targets.size) {
    out.push('## Where each component should run', '');
    out.push('| Target | Components | Effort (points) |', '|---|---|---|');
    for (const t of ['faas', 'edge', 'baas', 'container', 'keep']) {
      const n = targets.get(t);
      if (!n) continue;
      const effort = report.components
        .filter((c) => c.classification?.target === t)
        .reduce((a, c) => a + (c.effort?.points ?? 0), 0);
      out.push(`| ${TARGET_TITLES[t]} | ${n} | ${Math.round(effort * 10) / 10} |`);
    }
    out.push('');
  }

  if (report.components.some((c) => c.kind !== 'cli')) {
    out.push('## Proposed architecture', '');
    out.push(
      'Each box is a component (or a group of them) where it should run, with its likely monthly cost and cold start; `--format mermaid` also draws the architecture of today.',
      '',
    );
    out.push(...proposedMermaidBlock(report));
  }

  out.push('## Components', '');
  if (!report.components.length) out.push('No deployable components were found.', '');
  const kinds = [...new Set(report.components.map((c) => c.kind))];
  for (const kind of Object.keys(KIND_TITLES) as ComponentKind[]) {
    if (!kinds.includes(kind)) continue;
    const list = report.components.filter((c) => c.kind === kind);
    out.push(`### ${KIND_TITLES[kind]} (${list.length})`, '');
    const showTrigger = list.some((c) => triggerText(c) !== c.name);
    out.push(
      `| Component |${showTrigger ? ' Trigger |' : ''} Framework | Where | Target | Effort | Cold start | Hazards |`,
      `|---|${showTrigger ? '---|' : ''}---|---|---|---|---|---|`,
    );
    for (const c of list) {
      const hazards = [
        ...new Set(c.findings.map((id) => byId.get(id)?.hazard).filter((h): h is Finding['hazard'] => !!h)),
      ];
      const target = c.classification
        ? `${c.classification.target} (${Math.round(c.classification.confidence * 100)}%)`
        : '';
      out.push(
        `| ${cell(c.name)} |${showTrigger ? ` ${cell(triggerText(c))} |` : ''} ${c.framework} | ${where(c.location)} | ${target} | ${c.effort?.points ?? ''} | ${c.coldStart ? `~${c.coldStart.estimateMs} ms` : ''} | ${hazards.length ? hazards.join(', ') : 'none found'} |`,
      );
    }
    out.push('');
  }

  out.push('## Findings', '');
  if (!report.findings.length)
    out.push('Nothing in the code stands in the way of serverless, as far as the rules can tell.', '');
  for (const sev of SEVERITY_ORDER) {
    const list = report.findings.filter((f) => f.severity === sev);
    if (!list.length) continue;
    out.push(`### ${SEVERITY_ICON[sev]} (${list.length})`, '');
    for (const f of list) {
      out.push(`- **${f.hazard}** at ${code(where(f.location))} (${f.ruleId}): ${f.message}`);
      out.push(`  - Code: ${code(f.evidence)}`);
      out.push(`  - Fix: ${f.fix}`);
      if (f.basis) out.push(`  - Basis: ${f.basis}`);
      if (f.components.length) {
        const shown = f.components.slice(0, 8).join(', ');
        const more = f.components.length > 8 ? ` and ${f.components.length - 8} more` : '';
        out.push(`  - Affects: ${shown}${more}`);
      }
    }
    out.push('');
  }

  const totals = report.totals;
  if (totals) {
    const usd = (n: number): string => `$${n < 10 ? n.toFixed(2) : Math.round(n).toLocaleString('en-US')}`;
    out.push('## Costs', '');
    out.push(
      `Monthly USD for the whole system, low / likely / high (volume x${totals.scenarios.low} / x${totals.scenarios.likely} / x${totals.scenarios.high}), ` +
        `pricing snapshot of ${totals.snapshotDate}, free tiers ${totals.freeTier ? 'applied once per account' : 'not applied'}` +
        `${totals.usedDefaults ? '; usage from defaults by component kind (no serverless-advisor.yaml, or figures it leaves out)' : ''}.`,
      '',
    );
    out.push('| Offering | Kind | Low | Likely | High |', '|---|---|---|---|---|');
    for (const o of [...totals.offerings].sort((a, b) => a.monthlyUsd.likely - b.monthlyUsd.likely)) {
      out.push(
        `| ${o.offering} | ${o.role} | ${usd(o.monthlyUsd.low)} | ${usd(o.monthlyUsd.likely)} | ${usd(o.monthlyUsd.high)} |`,
      );
    }
    out.push('');
    if (totals.breakEven.length) {
      out.push(
        "Break-even for the whole system: the monthly volume at which the always-on container becomes cheaper (every component scaled together at today's mix, free tier once, one shared fleet of at least 2 instances).",
        '',
        '| Serverless | Container | Requests / month | x likely volume | Container utilisation |',
        '|---|---|---|---|---|',
      );
      for (const b of totals.breakEven) {
        const at =
          b.requestsPerMonth === null
            ? `never below ${b.searchedUpTo.toExponential()}`
            : b.requestsPerMonth === 0
              ? 'any volume'
              : Math.round(b.requestsPerMonth).toLocaleString('en-US');
        const mult =
          b.multipleOfLikely === null
            ? ''
            : `x${b.multipleOfLikely < 10 ? b.multipleOfLikely.toFixed(1) : Math.round(b.multipleOfLikely).toLocaleString('en-US')}`;
        const util =
          b.containerUtilisation === null
            ? ''
            : b.containerUtilisation < 0.01
              ? '<1%'
              : `${Math.round(b.containerUtilisation * 100)}%`;
        out.push(`| ${b.serverless} | ${b.container} | ${at} | ${mult} | ${util} |`);
      }
      out.push('');
    }
    if (totals.unverified.length) {
      out.push(
        `Unverified prices used (${totals.unverified.length}): ${totals.unverified.map((u) => u.id).join(', ')}. See the assumptions in the JSON report.`,
        '',
      );
    }
    out.push('Assumptions:', '');
    for (const a of totals.assumptions) out.push(`- ${a}`);
    out.push('');
  }

  const classified = report.components.filter((c) => c.classification);
  if (classified.length) {
    out.push('## Why', '');
    for (const c of classified) {
      const k = c.classification!;
      out.push(`### ${cell(c.name)}: ${k.target}`, '');
      for (const r of k.reasons) out.push(`- ${r}`);
      for (const b of k.blockers) out.push(`- Blocked: ${b}`);
      for (const a of k.alternatives) out.push(`- Alternative: ${a.target} (${a.why})`);
      out.push('');
    }
  }

  if (report.suppressed?.length) {
    out.push(`## Suppressed (${report.suppressed.length})`, '');
    for (const f of report.suppressed) {
      out.push(`- ${f.ruleId} at ${code(where(f.location))}: ${f.suppression.reason || '(no reason given)'}`);
    }
    out.push('');
  }

  if (report.problems?.length) {
    out.push(`## Problems (${report.problems.length})`, '');
    for (const p of report.problems) out.push(`- ${code(`${p.file}:${p.line}:${p.column}`)} ${p.message}`);
    out.push('');
  }

  if (report.stats.skipped.length) {
    out.push('## Skipped files', '', '| File | Reason |', '|---|---|');
    for (const s of report.stats.skipped) out.push(`| ${cell(s.file)} | ${cell(s.reason)} |`);
    out.push('');
  }
  return out.join('\n');
}
