import type { Report } from '../model';

/** The report contract of design.md 3.2: stable key order comes from the model's construction. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
