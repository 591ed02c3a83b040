import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze, type AnalyzeOptions } from '../../src/core/analyze';
import type { Component, Finding, Report } from '../../src/core/model';
import { validateReport } from './schemaValidate';

export const FIXTURES = path.resolve(__dirname, '../fixtures');

/** Writes the files to a fresh temp folder and returns its path. */
export function writeTree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-test-'));
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }
  return dir;
}

/** Analyses an in-memory project (written to a temp folder). */
export function analyzeFiles(files: Record<string, string>, options: Partial<AnalyzeOptions> = {}): Report {
  const root = writeTree(files);
  try {
    // Every report a test produces is held to the public contract.
    return validateReport(analyze({ ...options, root }));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

export function analyzeFixture(name: string, options: Partial<AnalyzeOptions> = {}): Report {
  return validateReport(analyze({ ...options, root: path.join(FIXTURES, name) }));
}

/** `GET /api/x` style names of the components of a kind, sorted. */
export function names(report: Report, kind?: Component['kind']): string[] {
  return report.components
    .filter((c) => !kind || c.kind === kind)
    .map((c) => c.name)
    .sort();
}

export function findingsOf(report: Report, hazard?: Finding['hazard']): Finding[] {
  return report.findings.filter((f) => !hazard || f.hazard === hazard);
}

/** `file:line ruleId` of findings, sorted, for exact comparisons. */
export function findingKeys(report: Report, hazard?: Finding['hazard']): string[] {
  return findingsOf(report, hazard)
    .map((f) => `${f.location.file}:${f.location.line} ${f.ruleId}`)
    .sort();
}

export function component(report: Report, id: string): Component {
  const c = report.components.find((x) => x.id === id);
  if (!c) throw new Error(`no component ${id}; have: ${report.components.map((x) => x.id).join(', ')}`);
  return c;
}

/** The hazards that reach a component, sorted and de-duplicated; optionally only those in `only`. */
export function hazardsOf(report: Report, componentId: string, only?: Finding['hazard'][]): string[] {
  const c = component(report, componentId);
  const set = new Set(report.findings.filter((f) => c.findings.includes(f.id)).map((f) => f.hazard));
  return [...set].filter((h) => !only || only.includes(h)).sort();
}
