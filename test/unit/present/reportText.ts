// Readers of the migration reports for the golden tests: they pull the structure and the figures out of the text,
// so the tests hold the reports to what they say, not to their whitespace.
import type { Component, Report } from '../../../src/core/model';

/** Markdown text back to the plain text it escapes (`\$58` -> `$58`). */
export function unescapeMd(s: string): string {
  return s.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** The lines of a Markdown text outside its fenced code blocks. */
export function outsideFences(md: string): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const line of md.split('\n')) {
    if (/^```/.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (!fenced) out.push(line);
  }
  return out;
}

/** `## ` headings (or `### ` with level 3), in order, outside code blocks. */
export function headings(md: string, level: number): string[] {
  const prefix = `${'#'.repeat(level)} `;
  return outsideFences(md)
    .filter((l) => l.startsWith(prefix))
    .map((l) => unescapeMd(l.slice(prefix.length)));
}

/** The text of a section: from its heading to the next heading of the same or a higher level. */
export function section(md: string, heading: string, level = 2): string {
  const lines = md.split('\n');
  const prefix = `${'#'.repeat(level)} `;
  const start = lines.findIndex((l) => l.startsWith(prefix) && unescapeMd(l.slice(prefix.length)) === heading);
  if (start < 0) throw new Error(`no heading ${prefix}${heading}`);
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i++) {
    const m = /^(#+) /.exec(lines[i]!);
    if (m && m[1]!.length <= level) {
      end = i;
      break;
    }
  }
  return lines.slice(start + 1, end).join('\n');
}

/** The cells of a Markdown table row, split on the pipes that are not escaped. */
export function cells(row: string): string[] {
  const parts = row.trim().split(/(?<!\\)\|/);
  return parts.slice(1, -1).map((c) => c.trim());
}

/** The tables of a Markdown text, each as its rows of cells (header first, the delimiter row left out). */
export function tables(md: string): string[][][] {
  const out: string[][][] = [];
  let current: string[][] | undefined;
  for (const line of outsideFences(md)) {
    if (line.startsWith('|')) {
      if (/^\|(?:-+\|)+$/.test(line.trim())) continue;
      current ??= [];
      current.push(cells(line));
    } else if (current) {
      out.push(current);
      current = undefined;
    }
  }
  if (current) out.push(current);
  return out;
}

/** Every `[text](href)` link outside code blocks. */
export function mdLinks(md: string): { text: string; href: string }[] {
  const out: { text: string; href: string }[] = [];
  for (const line of outsideFences(md)) {
    for (const m of line.matchAll(/(?<!\\)\[((?:\\.|[^\]\\])*)\]\(([^)\s]+)\)/g))
      out.push({ text: m[1]!, href: m[2]! });
  }
  return out;
}

/** The phase each component belongs to, derived from the report alone (the rule the plan states). */
export function expectedPhase(report: Report, c: Component): string {
  const byId = new Map(report.findings.map((f) => [f.id, f]));
  const t = c.classification?.target;
  const needsWork = c.findings.some((id) => byId.get(id)?.severity !== 'info');
  if (t === 'faas' || t === 'edge') return needsWork ? 'Phase 2: Small fixes' : 'Phase 1: Quick wins';
  if (t === 'baas') return 'Phase 3: Managed services';
  if (t === 'keep') return 'Not deployed';
  return 'Stays in containers';
}

/** The sections of the migration plan, in order, as both renderers title them (the example priced on AWS). */
export const SECTIONS = [
  'Summary',
  'Today',
  'Proposed on AWS',
  'Cost',
  'Migration plan',
  'Risks',
  'Evidence per component',
  'Findings',
  'Assumptions',
  'About this analysis',
];
/** The phases of the plan, in order. */
export const PHASES = [
  'Phase 1: Quick wins',
  'Phase 2: Small fixes',
  'Phase 3: Managed services',
  'Stays in containers',
];
