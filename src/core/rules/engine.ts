import { createHash } from 'node:crypto';
import type { Component, Finding } from '../model';
import { MATCHERS } from './matchers/registry';
import type { Evaluated, Match, MatchContext, Site, SiteIndex } from './sites';
import type { Condition, Problem, Rule } from './types';

/** A finding with the rule that made it, for classification (votes, blocks, effort). */
export interface RuledFinding {
  finding: Finding;
  rule: Rule;
}

export function evaluateCondition(c: Condition, ctx: MatchContext): Evaluated {
  if ('all' in c) {
    const parts = c.all.map((x) => evaluateCondition(x, ctx));
    return combineAll(parts);
  }
  if ('any' in c) {
    const parts = c.any.map((x) => evaluateCondition(x, ctx));
    const siteParts = parts.filter((p) => p.kind === 'sites');
    if (siteParts.length) {
      const byKey = new Map<string, Match>();
      for (const p of siteParts) {
        for (const m of p.matches) {
          const prev = byKey.get(m.site.key);
          if (!prev) byKey.set(m.site.key, m);
          else if (prev.compOk || m.compOk) {
            const a = prev.compOk;
            const b = m.compOk;
            byKey.set(m.site.key, { site: prev.site, compOk: (x) => (a ? a(x) : true) || (b ? b(x) : true) });
          }
        }
      }
      return { kind: 'sites', matches: [...byKey.values()] };
    }
    const filters = parts as Extract<Evaluated, { kind: 'filter' }>[];
    return {
      kind: 'filter',
      scoped: filters.some((f) => f.scoped),
      ok: (s, comp) => filters.some((f) => f.ok(s, comp)),
    };
  }
  if ('not' in c) {
    const inner = evaluateCondition(c.not, ctx);
    if (inner.kind === 'sites') {
      const keys = new Set(inner.matches.map((m) => m.site.key));
      return { kind: 'filter', ok: (s) => !s || !keys.has(s.key) };
    }
    return { kind: 'filter', scoped: inner.scoped, ok: (s, comp) => !inner.ok(s, comp) };
  }
  const name = Object.keys(c).find((k) => k in MATCHERS)!;
  const matcher = MATCHERS[name]!;
  const withEval: MatchContext = ctx.evaluate ? ctx : { ...ctx, evaluate: (x) => evaluateCondition(x, withEval) };
  const fields = c as Record<string, unknown>;
  const run = matcher.role === 'site' ? runs.get(ctx.index) : undefined;
  if (run) {
    return run.siteCondition(c, (index) =>
      matcher.evaluate(fields[name], fields, index ? { ...withEval, index } : withEval),
    );
  }
  return matcher.evaluate(fields[name], fields, withEval);
}

/**
 * What an incremental session keeps of the rules between runs: for each site condition (a `when` leaf that a 'site'
 * matcher answers: fact, imports, calls, new, decorator), the sites it matched. A site matcher picks sites one by
 * one, by the site and the condition alone; so in the next run its answer is the sites it matched that are still
 * there, plus those it matches among the sites that are new (the files that changed, the facts of the link step),
 * in the index's order. An answer of another shape (a match with a component filter, a scoped one) is not kept:
 * that condition is always evaluated in full.
 */
export class RuleMemory {
  /** Every site of the last run's index, by its position in it. */
  positions = new Map<Site, number>();
  /** Site condition (as JSON) -> the sites it matched in the last run, or null when it is always evaluated in full. */
  readonly matched = new Map<string, Site[] | null>();
}

/** One run of the rules with a memory: the index's sites by position, and those new since the last run. */
class MemoRun {
  readonly positions = new Map<Site, number>();
  readonly fresh: SiteIndex;
  private readonly used = new Set<string>();

  constructor(
    private readonly memory: RuleMemory,
    index: SiteIndex,
  ) {
    const previous = memory.positions;
    const positions = this.positions;
    const freshOf = (sites: readonly Site[]): Site[] => {
      const out: Site[] = [];
      for (const site of sites) {
        positions.set(site, positions.size);
        if (!previous.has(site)) out.push(site);
      }
      return out;
    };
    const facts = new Map<string, Site[]>();
    for (const [name, sites] of index.facts) facts.set(name, freshOf(sites));
    this.fresh = {
      facts,
      imports: freshOf(index.imports),
      calls: freshOf(index.calls),
      news: freshOf(index.news),
      decorators: freshOf(index.decorators),
    };
  }

  siteCondition(c: Condition, evaluate: (index: SiteIndex | undefined) => Evaluated): Evaluated {
    const key = JSON.stringify(c);
    this.used.add(key);
    const before = this.memory.matched.get(key);
    if (before === null) return evaluate(undefined);
    const ev = evaluate(before ? this.fresh : undefined);
    if (ev.kind !== 'sites' || ev.scoped || ev.matches.some((m) => m.compOk)) {
      this.memory.matched.set(key, null);
      return before ? evaluate(undefined) : ev;
    }
    let sites = ev.matches.map((m) => m.site);
    if (before) {
      const positions = this.positions;
      sites = [...before.filter((site) => positions.has(site)), ...sites];
      sites.sort((a, b) => positions.get(a)! - positions.get(b)!);
    }
    this.memory.matched.set(key, sites);
    return before ? { kind: 'sites', matches: sites.map((site) => ({ site })) } : ev;
  }

  /** The memory after this run: this index's positions, and only the conditions this run asked about. */
  finish(): void {
    this.memory.positions = this.positions;
    for (const key of this.memory.matched.keys()) if (!this.used.has(key)) this.memory.matched.delete(key);
  }
}

/** The memo of the run in progress, by its site index (runRules passes the context through matchers it does not own). */
const runs = new WeakMap<SiteIndex, MemoRun>();

/** `all`: site conditions must hold at the same place; filters narrow the places and their components. */
function combineAll(parts: Evaluated[]): Evaluated {
  const siteParts = parts.filter((p): p is Extract<Evaluated, { kind: 'sites' }> => p.kind === 'sites');
  const filters = parts.filter((p): p is Extract<Evaluated, { kind: 'filter' }> => p.kind === 'filter');
  if (!siteParts.length) {
    return {
      kind: 'filter',
      scoped: filters.some((f) => f.scoped),
      ok: (s, comp) => filters.every((f) => f.ok(s, comp)),
    };
  }
  let current = new Map<string, Match>(siteParts[0]!.matches.map((m) => [m.site.key, m]));
  for (const p of siteParts.slice(1)) {
    const next = new Map<string, Match>();
    for (const m of p.matches) {
      const prev = current.get(m.site.key);
      if (!prev) continue;
      const a = prev.compOk;
      const b = m.compOk;
      next.set(m.site.key, { site: prev.site, compOk: a && b ? (x) => a(x) && b(x) : (a ?? b) });
    }
    current = next;
  }
  const siteFilters = filters.filter((f) => !f.scoped);
  const compFilters = filters.filter((f) => f.scoped);
  const matches: Match[] = [];
  for (const m of current.values()) {
    if (!siteFilters.every((f) => f.ok(m.site, undefined))) continue;
    if (!compFilters.length) {
      matches.push(m);
      continue;
    }
    const prev = m.compOk;
    const site = m.site;
    matches.push({ site, compOk: (x) => (prev ? prev(x) : true) && compFilters.every((f) => f.ok(site, x)) });
  }
  return { kind: 'sites', matches, scoped: compFilters.length > 0 || siteParts.some((p) => p.scoped) };
}

export function renderTemplate(template: string, site: Site, extra: Record<string, string> = {}): string {
  return template.replace(/\{\{\s*([A-Za-z][\w.-]*)\s*\}\}/g, (whole, key: string) => {
    if (key in extra) return extra[key]!;
    switch (key) {
      case 'detail':
        return site.detail ?? '';
      case 'detailFix':
        return site.detailFix ?? '';
      case 'file':
        return site.location.file;
      case 'line':
        return String(site.location.line);
      case 'evidence':
        return site.evidence;
      case 'basis':
        return site.basis ?? '';
    }
    const v = site.attrs[key];
    return v === undefined ? whole : String(v);
  });
}

function findingId(ruleId: string, site: Site): string {
  const h = createHash('sha1').update(
    [ruleId, site.location.file, site.location.line, site.location.column].join('\0'),
  );
  return `f-${h.digest('hex').slice(0, 12)}`;
}

/**
 * Runs every rule over the sites: one finding per rule and place, with the components it reaches (kept when a
 * `component:` filter allows them). A rule made only of filters applies to each matching component itself.
 */
export function runRules(
  rules: readonly Rule[],
  ctx: MatchContext,
  memory?: RuleMemory,
): { findings: RuledFinding[]; problems: Problem[] } {
  const run = memory ? new MemoRun(memory, ctx.index) : undefined;
  if (run) runs.set(ctx.index, run);
  try {
    return runAll(rules, ctx);
  } finally {
    if (run) {
      runs.delete(ctx.index);
      run.finish();
    }
  }
}

function runAll(rules: readonly Rule[], ctx: MatchContext): { findings: RuledFinding[]; problems: Problem[] } {
  const out = new Map<string, RuledFinding>();
  const problems: Problem[] = [];
  for (const rule of rules) {
    let ev: Evaluated;
    try {
      ev = evaluateCondition(rule.when, ctx);
    } catch (e) {
      problems.push({
        file: rule.source,
        line: 1,
        column: 1,
        message: `rule '${rule.id}' failed and was skipped: ${(e as Error).message}`,
      });
      continue;
    }
    const emit = (site: Site, components: string[]): void => {
      const id = findingId(rule.id, site);
      const prev = out.get(id);
      if (prev) {
        for (const c of components) if (!prev.finding.components.includes(c)) prev.finding.components.push(c);
        return;
      }
      const finding: Finding = {
        id,
        ruleId: rule.id,
        hazard: rule.hazard,
        severity: rule.severity,
        message: renderTemplate(rule.message, site),
        location: site.location,
        evidence: site.evidence,
        components: [...components],
        fix: renderTemplate(rule.fix, site),
        ...(site.basis ? { basis: site.basis } : {}),
      };
      out.set(id, { finding, rule });
    };
    if (ev.kind === 'sites') {
      for (const m of ev.matches) {
        let comps = m.site.component ? [m.site.component] : ctx.componentsOf(m.site);
        if (m.compOk) comps = comps.filter((id) => m.compOk!(ctx.components.get(id)!));
        if (!comps.length && (m.site.requiresReach || ev.scoped)) continue;
        emit(m.site, comps);
      }
    } else {
      for (const c of ctx.components.values()) {
        if (!ev.ok(undefined, c)) continue;
        emit(componentSite(c), [c.id]);
      }
    }
  }
  const findings = [...out.values()];
  for (const f of findings) f.finding.components.sort();
  findings.sort(
    (a, b) =>
      a.finding.location.file.localeCompare(b.finding.location.file) ||
      a.finding.location.line - b.finding.location.line ||
      a.finding.location.column - b.finding.location.column ||
      a.finding.ruleId.localeCompare(b.finding.ruleId),
  );
  return { findings, problems };
}

/** A component as a place: its registration, for rules about components as a whole (websockets, long jobs). */
export function componentSite(c: Component): Site {
  return {
    key: `${c.location.file}:${c.location.line}:${c.location.column}`,
    file: c.location.file,
    location: c.location,
    evidence: c.name,
    pos: -1,
    end: -1,
    attrs: { name: c.name, kind: c.kind, framework: c.framework },
    component: c.id,
  };
}

function factsNamed(c: Condition, out: Set<string>): void {
  if ('all' in c) c.all.forEach((x) => factsNamed(x, out));
  else if ('any' in c) c.any.forEach((x) => factsNamed(x, out));
  else if ('not' in c) factsNamed(c.not, out);
  else if ('reaches' in c) factsNamed(c.reaches, out);
  else if ('fact' in c) out.add(c.fact);
}

/**
 * A fact that no loaded rule speaks for still becomes a finding, in the detector's own words and with no effect
 * on the classification: nothing the analyzer sees is lost when a catalogue lags behind a detector. (The
 * catalogue meta-test keeps every built-in fact covered.)
 */
export function uncoveredFactRules(rules: readonly Rule[], index: SiteIndex): Rule[] {
  const named = new Set<string>();
  for (const r of rules) factsNamed(r.when, named);
  const out: Rule[] = [];
  for (const [name, sites] of index.facts) {
    if (named.has(name) || !sites.length) continue;
    const first = sites[0]!;
    out.push({
      id: name,
      description: `Reported by the analyzer (no rule file speaks for the fact '${name}')`,
      hazard: first.hazard ?? 'module-state',
      severity: first.severity ?? 'info',
      when: { fact: name },
      effect: {},
      message: '{{detail}}',
      fix: '{{detailFix}}',
      source: 'detector',
      builtin: true,
    });
  }
  return out;
}
