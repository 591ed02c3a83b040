// SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, GitLab): one reportingDescriptor per rule, one result per
// finding (suppressed ones marked as in-source suppressions), locations relative to the analysed root, and
// fingerprints that survive lines moving.
import { createHash } from 'node:crypto';
import type * as Sarif from 'sarif';
import type { Finding, Report, Severity, SuppressedFinding } from '../model';
import type { Rule } from '../rules/types';
import { firstSentence } from '../labels';

const LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};
const FINGERPRINT = 'serverlessAdvisorFinding/v1';
const SRCROOT = 'SRCROOT';

/**
 * The report as a SARIF log. `rules` are the rules the analysis ran (for their descriptions, fixes and links);
 * findings of rules not among them (facts the analyzer reports in its own words) get a descriptor from their
 * first message.
 */
export function renderSarif(report: Report, rules: readonly Rule[] = []): string {
  return JSON.stringify(toSarif(report, rules), null, 2) + '\n';
}

export function toSarif(report: Report, rules: readonly Rule[] = []): Sarif.Log {
  const all: (Finding | SuppressedFinding)[] = [...report.findings, ...(report.suppressed ?? [])];
  const byId = new Map(rules.map((r) => [r.id, r]));
  const descriptors: Sarif.ReportingDescriptor[] = [];
  const index = new Map<string, number>();
  const describe = (f: Finding): number => {
    let i = index.get(f.ruleId);
    if (i !== undefined) return i;
    const rule = byId.get(f.ruleId);
    i = descriptors.length;
    index.set(f.ruleId, i);
    descriptors.push(rule ? descriptor(rule) : factDescriptor(f));
    return i;
  };
  // Stable order: by rule id, so that two runs over the same code produce the same file.
  for (const f of [...all].sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0))) describe(f);

  const seen = new Map<string, number>();
  const results: Sarif.Result[] = all.map((f) => {
    const key = `${f.ruleId}\u0000${f.location.file}\u0000${normalise(f.evidence)}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    const result: Sarif.Result = {
      ruleId: f.ruleId,
      ruleIndex: describe(f),
      level: LEVEL[f.severity],
      message: { text: `${f.message}\nFix: ${f.fix}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: encodePath(f.location.file), uriBaseId: SRCROOT },
            region: region(f),
          },
        },
      ],
      // The rule, the file and the code itself (not its line), so moving code does not make a new alert.
      partialFingerprints: { [FINGERPRINT]: `${sha(key)}:${n}` },
      properties: { hazard: f.hazard, components: f.components, findingId: f.id },
    };
    if ('suppression' in f)
      result.suppressions = [
        {
          kind: 'inSource',
          status: 'accepted',
          justification: f.suppression.reason,
          location: {
            physicalLocation: {
              artifactLocation: { uri: encodePath(f.suppression.location.file), uriBaseId: SRCROOT },
              region: { startLine: f.suppression.location.line, startColumn: f.suppression.location.column },
            },
          },
        },
      ];
    return result;
  });

  const notifications: Sarif.Notification[] = [
    ...(report.problems ?? []).map((p): Sarif.Notification => ({
      level: p.severity === 'warning' ? 'warning' : 'error',
      message: { text: p.fix ? `${p.message} ${p.fix}` : p.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: encodePath(p.file), ...(isAbsolute(p.file) ? {} : { uriBaseId: SRCROOT }) },
            region: { startLine: Math.max(1, p.line), startColumn: Math.max(1, p.column) },
          },
        },
      ],
    })),
    ...report.stats.skipped.map((s): Sarif.Notification => ({
      level: 'note',
      message: { text: `not analysed: ${s.reason}` },
      locations: [{ physicalLocation: { artifactLocation: { uri: encodePath(s.file), uriBaseId: SRCROOT } } }],
    })),
  ];

  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: 'https://github.com/serverless-advisor/serverless-advisor',
            rules: descriptors,
          },
        },
        // Paths are relative to the analysed folder; a consumer maps SRCROOT to its checkout.
        originalUriBaseIds: { [SRCROOT]: { description: { text: 'The analysed folder.' } } },
        results,
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        columnKind: 'utf16CodeUnits',
        properties: { components: report.components.length, files: report.stats.files },
      },
    ],
  };
}

function descriptor(rule: Rule): Sarif.ReportingDescriptor {
  return {
    id: rule.id,
    name: pascal(rule.id),
    shortDescription: { text: rule.description },
    fullDescription: { text: stripPlaceholders(rule.message) },
    help: {
      text: `${rule.fix}${rule.links?.length ? `\n\n${rule.links.join('\n')}` : ''}`,
      markdown: `${rule.fix}${rule.links?.length ? `\n\n${rule.links.map((l) => `- <${l}>`).join('\n')}` : ''}`,
    },
    ...(rule.links?.[0] ? { helpUri: rule.links[0] } : {}),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { hazard: rule.hazard, tags: ['serverless', rule.hazard], source: rule.source },
  };
}

/** A finding the analyzer reports in its own words (no rule file): its first sentence describes it. */
function factDescriptor(f: Finding): Sarif.ReportingDescriptor {
  return {
    id: f.ruleId,
    name: pascal(f.ruleId),
    shortDescription: { text: firstSentence(f.message.replace(/`/g, ''), 200) },
    help: { text: f.fix },
    defaultConfiguration: { level: LEVEL[f.severity] },
    properties: { hazard: f.hazard, tags: ['serverless', f.hazard] },
  };
}

function region(f: Finding): Sarif.Region {
  const r: Sarif.Region = { startLine: f.location.line, startColumn: f.location.column };
  if (f.location.endLine !== undefined) r.endLine = f.location.endLine;
  if (f.location.endColumn !== undefined) r.endColumn = f.location.endColumn;
  r.snippet = { text: f.evidence };
  return r;
}

const pascal = (id: string): string =>
  id
    .split(/[^a-z0-9]+/i)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');

const stripPlaceholders = (s: string): string => s.replace(/\{\{\s*([a-zA-Z]+)\s*\}\}/g, '<$1>');
const normalise = (s: string): string => s.replace(/\s+/g, ' ').trim();
const sha = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 32);
const isAbsolute = (p: string): boolean => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);

/** A root-relative path as a URI reference: each segment percent-encoded, '/' kept. */
function encodePath(p: string): string {
  if (isAbsolute(p))
    return `file://${p.startsWith('/') ? '' : '/'}${p.split(/[\\/]/).map(encodeURIComponent).join('/')}`;
  return p.split('/').map(encodeURIComponent).join('/');
}
