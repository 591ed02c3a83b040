import type { Location, SuppressedFinding } from '../model';
import type { RuledFinding } from './engine';
import type { Problem } from './types';

export const IGNORE_MARKER = 'serverless-advisor-ignore';
const IGNORE =
  /serverless-advisor-ignore(?:[ \t]+([a-z0-9*][a-z0-9*-]*(?:[ \t]*,[ \t]*[a-z0-9*][a-z0-9*-]*)*))?(?:[ \t]+--[ \t]*(.*?))?[ \t]*(?:\*\/)?[ \t]*$/;

interface Directive {
  rules: string[];
  reason: string;
  location: Location;
  /** After code on the same line: it speaks for that line only, not the next. */
  trailing: boolean;
}

/**
 * The ignore comments of a file by line (1-based). A comment on a line of its own applies to the next line (and its
 * own); one after code applies to that line only, so it cannot silence the line below by accident.
 */
function directives(file: string, text: string, problems: Problem[]): Map<number, Directive> {
  const out = new Map<number, Directive>();
  if (!text.includes(IGNORE_MARKER)) return out;
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    const at = line.indexOf(IGNORE_MARKER);
    if (at < 0) return;
    const before = line.slice(0, at);
    if (!/(\/\/|\/\*|\*)\s*$/.test(before)) return; // only in comments
    const m = IGNORE.exec(line.slice(at));
    const location = { file, line: i + 1, column: at + 1 };
    if (!m?.[1]) {
      problems.push({
        ...location,
        message: `${IGNORE_MARKER} names no rule: write \`// ${IGNORE_MARKER} <rule-id> -- <reason>\``,
      });
      return;
    }
    const reason = (m[2] ?? '').trim();
    if (!reason) {
      problems.push({
        ...location,
        message: `${IGNORE_MARKER} ${m[1]} has no reason: add \` -- <why this is fine>\` so reviewers know why it is suppressed`,
      });
    }
    const trailing = before.replace(/(\/\/|\/\*|\*)\s*$/, '').trim().length > 0;
    out.set(i + 1, { rules: m[1].split(',').map((s) => s.trim()), reason, location, trailing });
  });
  return out;
}

/**
 * Splits findings into kept and suppressed by `// serverless-advisor-ignore <rule-id> -- <reason>` comments on the
 * finding's line or the line above. Suppressed findings stay in the report with their reason; a suppression
 * without a reason is reported as a problem (and still suppresses, so the author sees one message, not two).
 */
export function applySuppressions(
  findings: RuledFinding[],
  textOf: (file: string) => string | undefined,
): { kept: RuledFinding[]; suppressed: SuppressedFinding[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const cache = new Map<string, Map<number, Directive>>();
  const kept: RuledFinding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const rf of findings) {
    const f = rf.finding;
    let d = cache.get(f.location.file);
    if (!d) {
      const text = textOf(f.location.file);
      cache.set(
        f.location.file,
        (d = text ? directives(f.location.file, text, problems) : new Map<number, Directive>()),
      );
    }
    const above = d.get(f.location.line - 1);
    const hit = [d.get(f.location.line), above?.trailing ? undefined : above].find(
      (x) => x && (x.rules.includes(f.ruleId) || x.rules.includes('*')),
    );
    if (hit) suppressed.push({ ...f, suppression: { reason: hit.reason, location: hit.location } });
    else kept.push(rf);
  }
  return { kept, suppressed, problems };
}
