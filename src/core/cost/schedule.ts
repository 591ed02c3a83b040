/** Seconds in the month the cost model bills: 730 hours, the convention of AWS's and Google's monthly figures. */
export const SECONDS_PER_MONTH = 730 * 3600;
const DAYS_PER_MONTH = SECONDS_PER_MONTH / 86400;

const UNIT_SECONDS: Record<string, number> = {
  ms: 0.001,
  millisecond: 0.001,
  s: 1,
  sec: 1,
  second: 1,
  m: 60,
  min: 60,
  minute: 60,
  h: 3600,
  hour: 3600,
  d: 86400,
  day: 86400,
  w: 604800,
  week: 604800,
};

const MACROS: Record<string, number> = {
  '@yearly': 1 / 12,
  '@annually': 1 / 12,
  '@monthly': 1,
  '@weekly': DAYS_PER_MONTH / 7,
  '@daily': DAYS_PER_MONTH,
  '@midnight': DAYS_PER_MONTH,
  '@hourly': DAYS_PER_MONTH * 24,
};

/**
 * Runs per month of a schedule as the detectors report it: cron (5 or 6 fields), `@daily`-style macros,
 * `rate(5 minutes)`, `every 60000 ms`, agenda's `5 minutes`. undefined when it cannot tell (then the kind's default
 * applies). Day-of-month and day-of-week restrictions are averaged over a 730-hour month.
 */
export function runsPerMonth(schedule: string): number | undefined {
  const s = schedule
    .trim()
    .replace(/^['"`]|['"`]$/g, '')
    .trim();
  const macro = MACROS[s.toLowerCase()];
  if (macro !== undefined) return macro;
  const interval = /^(?:rate\()?(?:every\s+)?(\d+(?:\.\d+)?)\s*([a-z]+)\)?$/i.exec(s);
  if (interval) {
    const word = interval[2]!.toLowerCase();
    const unit = UNIT_SECONDS[word] ?? UNIT_SECONDS[word.replace(/s$/, '')];
    const n = Number(interval[1]);
    return unit !== undefined && n > 0 ? SECONDS_PER_MONTH / (n * unit) : undefined;
  }
  const cronExpr = /^cron\((.*)\)$/i.exec(s)?.[1] ?? s;
  const fields = cronExpr.split(/\s+/);
  if (fields.length < 5 || fields.length > 7) return undefined;
  // AWS cron(min hour dom month dow year) and 6-field node-cron (sec min hour dom month dow).
  let sec = ['0'];
  let rest = fields;
  if (/^cron\(/i.test(s)) rest = fields.slice(0, 5);
  else if (fields.length >= 6) {
    sec = [fields[0]!];
    rest = fields.slice(1, 6);
  }
  const [min, hour, dom, month, dow] = rest as [string, string, string, string, string];
  const nSec = count(sec[0]!, 0, 59);
  const nMin = count(min, 0, 59);
  const nHour = count(hour, 0, 23);
  const nMonth = count(month, 1, 12);
  const domAny = dom === '*' || dom === '?';
  const dowAny = dow === '*' || dow === '?';
  const nDom = domAny ? undefined : count(dom, 1, 31);
  const nDow = dowAny ? undefined : count(dow, 0, 7);
  if (
    [nSec, nMin, nHour, nMonth].some((n) => n === undefined) ||
    (!domAny && nDom === undefined) ||
    (!dowAny && nDow === undefined)
  )
    return undefined;
  let days: number;
  if (domAny && dowAny) days = DAYS_PER_MONTH;
  else if (!domAny && dowAny) days = Math.min(nDom!, 31) * (DAYS_PER_MONTH / 30.4375);
  else if (domAny) days = (Math.min(nDow!, 7) / 7) * DAYS_PER_MONTH;
  // Both restricted: cron runs when either matches.
  else days = Math.min(DAYS_PER_MONTH, nDom! * (DAYS_PER_MONTH / 30.4375) + (Math.min(nDow!, 7) / 7) * DAYS_PER_MONTH);
  return nSec! * nMin! * nHour! * days * (nMonth! / 12);
}

/** How many values a cron field matches in [lo, hi]: `*`, lists, ranges, steps, names (MON, JAN) count as values. */
function count(field: string, lo: number, hi: number): number | undefined {
  if (field === '*' || field === '?') return hi - lo + 1;
  let total = 0;
  for (const part of field.split(',')) {
    const m = /^(\*|(\d+|[a-z]{3})(?:-(\d+|[a-z]{3}))?)(?:\/(\d+))?$/i.exec(part);
    if (!m) return undefined;
    const step = m[4] ? Number(m[4]) : 1;
    if (step <= 0) return undefined;
    let a = lo;
    let b = hi;
    if (m[1] !== '*') {
      a = /^\d+$/.test(m[2]!) ? Number(m[2]) : lo;
      b = m[3] ? (/^\d+$/.test(m[3]) ? Number(m[3]) : hi) : m[4] ? hi : a;
    }
    if (b < a) return undefined;
    total += Math.floor((b - a) / step) + 1;
  }
  return total;
}
