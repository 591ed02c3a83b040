import type { Location, SuppressedFinding } from '../model';
import type { RuledFinding } from './engine';
import type { Problem } from './types';

export const IGNORE_MARKER = 'serverless-advisor-ignore';
/** The rule ids after the marker: each list item can only end at a comma or a blank, so matching is linear. */
const RULE_LIST = /^[ \t]+([a-z0-9*][a-z0-9*-]*(?:[ \t]*,[ \t]*[a-z0-9*][a-z0-9*-]*)*)/;

/** As the editor and the TypeScript line map count lines: \r\n, \n, \r, U+2028 and U+2029 each end one. */
const LINE_BREAK = /\r\n|[\n\r\u2028\u2029]/;

function trimBlanks(s: string): string {
  let end = s.length;
  while (end > 0 && (s[end - 1] === ' ' || s[end - 1] === '\t')) end--;
  return s.slice(0, end);
}

/**
 * What follows the marker: `<rule-id>[, <rule-id>...] [-- <reason>]`, then maybe the comment's end. Undefined when it
 * is not of that shape. Read without one regular expression over the whole: the one that did backtracked for
 * seconds on a reason followed by a thousand blanks (a hang at ten thousand), since the lazy reason and the blanks
 * around the optional `*\/` could share them out in every way.
 */
function parseDirective(after: string): { rules?: string; reason?: string } | undefined {
  let rest = trimBlanks(after);
  if (rest.endsWith('*/')) rest = trimBlanks(rest.slice(0, -2));
  const m = RULE_LIST.exec(rest);
  const rules = m?.[1];
  if (m) rest = rest.slice(m[0].length);
  if (!rest) return { rules };
  const dash = /^[ \t]+--/.exec(rest);
  if (!dash) return undefined;
  return { rules, reason: rest.slice(dash[0].length) };
}

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
  const lines = text.split(LINE_BREAK);
  lines.forEach((line, i) => {
    const at = line.indexOf(IGNORE_MARKER);
    if (at < 0) return;
    const before = line.slice(0, at);
    if (!/(\/\/|\/\*|\*)\s*$/.test(before)) return; // only in comments
    const m = parseDirective(line.slice(at + IGNORE_MARKER.length));
    const location = { file, line: i + 1, column: at + 1 };
    if (!m?.rules) {
      problems.push({
        ...location,
        message: `${IGNORE_MARKER} names no rule: write \`// ${IGNORE_MARKER} <rule-id> -- <reason>\``,
      });
      return;
    }
    const reason = (m.reason ?? '').trim();
    if (!reason) {
      problems.push({
        ...location,
        message: `${IGNORE_MARKER} ${m.rules} has no reason: add \` -- <why this is fine>\` so reviewers know why it is suppressed`,
      });
    }
    const trailing = before.replace(/(\/\/|\/\*|\*)\s*$/, '').trim().length > 0;
    out.set(i + 1, { rules: m.rules.split(',').map((s) => s.trim()), reason, location, trailing });
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
