import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ts } from './ts';
import { classify } from './classify/classify';
import { DETECTORS } from './detect/registry';
import { reachFrom } from './link/attribute';
import { discover } from './load/discover';
import { readManifests } from './load/manifests';
import { readSource } from './load/source';
import { estimateColdStart } from './cost/coldStart';
import { estimate } from './cost/estimate';
import { loadPricing } from './cost/pricing';
import type { Arch, Provider } from './cost/types';
import { loadUsageProfile } from './cost/usage';
import {
  REPORT_SCHEMA_VERSION,
  type Component,
  type CostTotals,
  type Finding,
  type Problem,
  type Report,
  type SkippedFile,
} from './model';
import type { Detector, LinkContext } from './scan/detector';
import { evidenceOf, locationOf, ProjectIndex } from './scan/project';
import { Resolver } from './scan/resolve';
import { importOf, parseSource, scanFile, syntaxError } from './scan/scanner';
import type { ComponentDraft } from './scan/types';
import { runRules, uncoveredFactRules, type RuledFinding } from './rules/engine';
import { loadRules, type RuleSet } from './rules/load';
import { RULE_SITES, ruleSitesDetector } from './rules/siteDetector';
import type { MatchContext, Site, SiteIndex } from './rules/sites';
import { applySuppressions } from './rules/suppress';
import { TOOL_VERSION } from './version';

export interface AnalyzeProgress {
  phase: 'discover' | 'scan' | 'link' | 'report';
  done: number;
  total: number;
  file?: string;
}

export interface AnalyzeOptions {
  root: string;
  /** Extra ignore patterns, gitignore syntax. */
  exclude?: string[];
  maxFiles?: number;
  onProgress?: (p: AnalyzeProgress) => void;
  /** Polled between files; returning true stops the analysis with an AnalysisCancelled error. */
  isCancelled?: () => boolean;
  /** Record where the time went (stats.timings). */
  timings?: boolean;
  detectors?: readonly Detector[];
  /** Rules already loaded (the worker keeps them between runs); otherwise the built-ins and the workspace's. */
  rules?: RuleSet;
  /** More folders of custom rules (the CLI's --rules). */
  rulesDirs?: string[];
  /** The usage profile: a file, or a folder holding serverless-advisor.yaml (default: the analysed root). */
  usage?: string;
  /** Which clouds to price (default all). */
  providers?: Provider[];
  arch?: Arch;
  /** Leave costs out (faster; for tests of other parts). */
  costs?: boolean;
}

/** The root cannot be analysed at all (missing, not a folder, unreadable): the CLI's exit code 2. */
export class AnalysisInputError extends Error {}
export class AnalysisCancelled extends Error {
  constructor() {
    super('analysis cancelled');
  }
}

export interface AnalysisResult {
  report: Report;
  project: ProjectIndex;
}

export function analyze(options: AnalyzeOptions): Report {
  return analyzeProject(options).report;
}

export function analyzeProject(options: AnalyzeOptions): AnalysisResult {
  const started = performance.now();
  const timings: Record<string, number> = {};
  let mark = started;
  const lap = (name: string): void => {
    const now = performance.now();
    timings[name] = Math.round((timings[name] ?? 0) + now - mark);
    mark = now;
  };
  const root = path.resolve(options.root);
  let st: fs.Stats;
  try {
    st = fs.statSync(root);
  } catch {
    throw new AnalysisInputError(`${root}: no such folder`);
  }
  if (!st.isDirectory())
    throw new AnalysisInputError(`${root}: not a folder (give the folder of the project to analyse)`);
  try {
    fs.readdirSync(root);
  } catch (e) {
    throw new AnalysisInputError(`${root}: cannot read the folder (${(e as Error).message})`);
  }
  const ruleSet =
    options.rules ??
    loadRules({
      userDirs: [
        path.join(root, '.serverless-advisor', 'rules'),
        ...(options.rulesDirs ?? []).map((d) => path.resolve(d)),
      ],
      displayRoot: root,
    });
  const siteDetector = ruleSitesDetector(ruleSet.rules);
  const detectors = [...(options.detectors ?? DETECTORS), ...(siteDetector ? [siteDetector] : [])];
  const cancelled = options.isCancelled ?? (() => false);
  const progress = options.onProgress ?? (() => undefined);

  progress({ phase: 'discover', done: 0, total: 0 });
  const found = discover(root, { exclude: options.exclude, maxFiles: options.maxFiles });
  const skipped: SkippedFile[] = [...found.skipped];
  lap('discover');

  const project = new ProjectIndex(root);
  const manifests = readManifests(root, found.manifests, skipped);
  for (const [k, v] of manifests.dependencies) project.dependencies.set(k, v);
  for (const [k, v] of manifests.devDependencies) project.devDependencies.set(k, v);
  project.manifests = found.manifests;
  project.packageJsons = manifests.packageJsons;
  lap('manifests');

  const total = found.files.length;
  let analysed = 0;
  for (let i = 0; i < total; i++) {
    if (cancelled()) throw new AnalysisCancelled();
    const file = found.files[i]!;
    if (i % 25 === 0) progress({ phase: 'scan', done: i, total, file });
    const src = readSource(path.join(root, file));
    if (!src.ok) {
      skipped.push({ file, reason: src.reason });
      continue;
    }
    let sf: ts.SourceFile;
    try {
      sf = parseSource(file, src.text);
    } catch (e) {
      skipped.push({ file, reason: `could not be parsed: ${(e as Error).message}` });
      continue;
    }
    const err = syntaxError(sf);
    if (err) {
      skipped.push({ file, reason: err });
      continue;
    }
    try {
      scanFile(project, file, sf, detectors);
      analysed++;
    } catch (e) {
      // A detector bug on one odd file must not cost the user the rest of the report.
      project.files.delete(file);
      skipped.push({ file, reason: `analysis error: ${(e as Error).message}` });
    }
  }
  lap('scan');

  progress({ phase: 'link', done: total, total });
  const resolver = new Resolver(project, manifests.aliases, manifests.workspacePackages);
  for (const d of detectors) {
    if (!d.link) continue;
    if (cancelled()) throw new AnalysisCancelled();
    const ctx: LinkContext = {
      project,
      resolver,
      component: (draft) => project.drafts.push(draft),
      fact: (file, input, unit) => {
        project.addFact(file, input, unit);
      },
      data: <T>() => project.dataOf<T>(d.id),
      importOf: (file, expr) => {
        const fi = project.files.get(file);
        return fi ? importOf(fi, expr) : undefined;
      },
      skip: (file, reason) => {
        if (!project.skipped.some((s) => s.file === file)) project.skipped.push({ file, reason });
      },
    };
    d.link(ctx);
  }
  lap('link');

  const built = buildComponents(project, resolver, cancelled);
  const { components } = built;
  lap('attribute');
  const byId = new Map(components.map((c) => [c.id, c]));
  const matchCtx: MatchContext = {
    index: buildSiteIndex(project),
    components: byId,
    componentsOf: (site) => {
      const ids = new Set(site.owner === undefined ? [] : (built.unitComponents.get(site.owner) ?? []));
      for (const r of built.contextRanges.get(site.file) ?? [])
        if (site.pos >= r.pos && site.end <= r.end) ids.add(r.id);
      return [...ids];
    },
  };
  const ran = runRules([...ruleSet.rules, ...uncoveredFactRules(ruleSet.rules, matchCtx.index)], matchCtx);
  const sup = applySuppressions(ran.findings, (file) => project.files.get(file)?.sf.text);
  const findings = sup.kept.map((r) => r.finding);
  const perComponent = new Map<string, RuledFinding[]>();
  for (const rf of sup.kept) {
    for (const c of rf.finding.components) {
      const list = perComponent.get(c) ?? [];
      list.push(rf);
      perComponent.set(c, list);
    }
  }
  for (const c of components) {
    const mine = perComponent.get(c.id) ?? [];
    c.findings = mine.map((r) => r.finding.id);
    const { classification, effort } = classify(c, mine);
    c.classification = classification;
    c.effort = effort;
  }
  const problems: Problem[] = [...ruleSet.problems, ...ran.problems, ...sup.problems];
  lap('rules');

  let totals: CostTotals | undefined;
  if (options.costs !== false) {
    totals = priceComponents(project, built, components, findings, options, root, problems);
    lap('cost');
  }
  progress({ phase: 'report', done: total, total });

  skipped.push(...project.skipped);
  skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'serverless-advisor', version: TOOL_VERSION },
    root,
    stats: {
      files: analysed,
      skipped,
      durationMs: Math.round(performance.now() - started),
      ...(options.timings ? { timings } : {}),
    },
    components,
    findings,
    suppressed: sup.suppressed,
    problems,
    ...(totals ? { totals } : {}),
  };
  return { report, project };
}

export function componentId(d: ComponentDraft): string {
  if (d.id) return d.id;
  const t = d.trigger;
  switch (t.type) {
    case 'http':
      return `http:${t.method}:${t.path}`;
    case 'graphql':
      return `graphql:${t.path ?? d.file}`;
    case 'queue':
      return `queue:${t.system}:${t.queue}`;
    case 'schedule':
      return `schedule:${t.system}:${d.file}:${t.schedule}`;
    case 'websocket':
      return `websocket:${t.path ?? d.file}${t.event ? `:${t.event}` : ''}`;
    case 'process':
      return `worker:${t.system}:${d.file}`;
    case 'function':
      return `function:${t.platform}:${d.file}${t.event ? `#${t.event}` : ''}`;
    case 'cli':
      return `cli:${d.file}${t.command ? `#${t.command}` : ''}`;
  }
}

interface Built {
  components: Component[];
  /** Unit id -> ids of the components that reach it. */
  unitComponents: Map<number, string[]>;
  /** Per file: ranges whose sites apply to a component without being reached (middleware on the way). */
  contextRanges: Map<string, { pos: number; end: number; id: string }[]>;
  /** Per component: the files its handlers reach (they load with it). */
  files: Map<string, Set<string>>;
}

function buildComponents(project: ProjectIndex, resolver: Resolver, cancelled: () => boolean): Built {
  const drafts = [...project.drafts].map((d) => {
    const sf = project.files.get(d.file)!.sf;
    return { d, loc: locationOf(sf, d.node, d.file) };
  });
  drafts.sort((a, b) => a.loc.file.localeCompare(b.loc.file) || a.loc.line - b.loc.line || a.loc.column - b.loc.column);

  const used = new Map<string, number>();
  const unitComponents = new Map<number, string[]>();
  const contextRanges = new Map<string, { pos: number; end: number; id: string }[]>();
  const files = new Map<string, Set<string>>();
  const components: Component[] = [];
  for (const { d, loc } of drafts) {
    if (cancelled()) throw new AnalysisCancelled();
    let id = componentId(d);
    const n = (used.get(id) ?? 0) + 1;
    used.set(id, n);
    if (n > 1) id = `${id}#${n}`;
    const handlerUnits = d.handlers.flatMap((h) => resolver.unitsOf(d.file, h));
    const reach = reachFrom(project, resolver, [...handlerUnits, ...(d.extraUnits ?? [])]);
    files.set(id, new Set([d.file, ...reach.files]));
    for (const u of reach.units.keys()) {
      const list = unitComponents.get(u);
      if (list) list.push(id);
      else unitComponents.set(u, [id]);
    }
    for (const cn of d.contextNodes ?? []) {
      const list = contextRanges.get(cn.file) ?? [];
      list.push({ pos: cn.node.pos, end: cn.node.end, id });
      contextRanges.set(cn.file, list);
    }
    const { endLine: _e, endColumn: _c, ...location } = loc;
    const c: Component = {
      id,
      kind: d.kind,
      name: d.name,
      framework: d.framework,
      location,
      trigger: d.trigger,
      findings: [],
    };
    const hu = handlerUnits[handlerUnits.length - 1];
    if (hu !== undefined) {
      const u = project.units[hu]!;
      const hl = locationOf(project.files.get(u.file)!.sf, u.node, u.file);
      if (hl.file !== loc.file || hl.line !== loc.line) c.handler = { file: hl.file, line: hl.line, column: hl.column };
    }
    components.push(c);
  }
  return { components, unitComponents, contextRanges, files };
}

/** Facts, imports and the rule-requested calls as places rules can match. */
function buildSiteIndex(project: ProjectIndex): SiteIndex {
  const facts = new Map<string, Site[]>();
  for (const f of project.facts) {
    const site: Site = {
      key: `${f.location.file}:${f.location.line}:${f.location.column}`,
      file: f.location.file,
      location: f.location,
      evidence: f.evidence,
      owner: f.owner,
      pos: f.pos,
      end: f.end,
      attrs: f.attrs ?? {},
      detail: f.message,
      detailFix: f.fix,
      basis: f.basis,
      requiresReach: f.requiresReach,
      hazard: f.hazard,
      severity: f.severity,
    };
    const list = facts.get(f.ruleId) ?? [];
    list.push(site);
    facts.set(f.ruleId, list);
  }
  const imports: Site[] = [];
  for (const fi of project.files.values()) {
    for (const m of fi.modules) {
      const loc = locationOf(fi.sf, m.node, fi.file);
      imports.push({
        key: `${fi.file}:${loc.line}:${loc.column}`,
        file: fi.file,
        location: { file: fi.file, line: loc.line, column: loc.column },
        evidence: evidenceOf(fi.sf, m.node),
        owner: m.unit,
        pos: m.node.pos,
        end: m.node.end,
        attrs: { module: m.module, package: m.module.startsWith('.') ? m.module : Resolver.packageName(m.module) },
      });
    }
  }
  const recorded = project.dataOf<Record<'calls' | 'news' | 'decorators', Site[]>>(RULE_SITES);
  const all = [...recorded.values()];
  return {
    facts,
    imports,
    calls: all.flatMap((r) => r.calls),
    news: all.flatMap((r) => r.news),
    decorators: all.flatMap((r) => r.decorators),
  };
}

/** Installed size per package, from the heavy-dependency facts (measured in node_modules, or the dated table). */
function packageSizes(project: ProjectIndex): Map<string, { bytes?: number; files?: number }> {
  const sizes = new Map<string, { bytes?: number; files?: number }>();
  for (const f of project.facts) {
    if (f.ruleId !== 'heavy-dependency-import' || !f.attrs) continue;
    const a = f.attrs;
    const bytes =
      typeof a.bytes === 'number' ? a.bytes : typeof a.approxMb === 'number' ? a.approxMb * 1048576 : undefined;
    sizes.set(String(a.package), { bytes, files: typeof a.files === 'number' ? a.files : undefined });
  }
  return sizes;
}

/** What a component loads: npm packages (with their measured or tabled size when known) and its own files. */
function loadedBy(
  project: ProjectIndex,
  sizes: Map<string, { bytes?: number; files?: number }>,
  files: Set<string>,
): { packages: { name: string; bytes?: number; files?: number }[]; ownBytes: number; ownFiles: number } {
  const packages = new Map<string, { name: string; bytes?: number; files?: number }>();
  let ownBytes = 0;
  for (const file of files) {
    const fi = project.files.get(file);
    if (!fi) continue;
    ownBytes += fi.sf.text.length;
    for (const m of fi.modules) {
      if (m.module.startsWith('.') || m.module.startsWith('/') || m.module.startsWith('node:')) continue;
      const name = Resolver.packageName(m.module);
      if (!project.dependencies.has(name) && !sizes.has(name)) continue; // built-ins and unlisted modules
      packages.set(name, { name, ...sizes.get(name) });
    }
  }
  return { packages: [...packages.values()], ownBytes, ownFiles: files.size };
}

/**
 * Costs per component and for the system (design.md 3.4): cold starts from what each handler loads, the usage
 * profile (or defaults by kind), and the dated pricing snapshot. Profile and pricing problems join the report's.
 */
function priceComponents(
  project: ProjectIndex,
  built: Built,
  components: Component[],
  findings: Finding[],
  options: AnalyzeOptions,
  root: string,
  problems: Problem[],
): CostTotals | undefined {
  const pricing = loadPricing();
  problems.push(...pricing.problems);
  const priced = components.filter((c) => c.classification?.target !== 'keep' && c.kind !== 'cli');
  const usage = loadUsageProfile(
    options.usage ? path.resolve(options.usage) : root,
    priced.map((c) => c.id),
  );
  for (const p of usage.problems) {
    const rel = path.relative(root, p.file);
    problems.push({
      ...p,
      file: rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : p.file,
    });
  }
  const byId = new Map(findings.map((f) => [f.id, f]));
  const sizes = packageSizes(project);
  const inputs = priced.map((c) => {
    const hazards = [
      ...new Set(c.findings.map((id) => byId.get(id)?.hazard).filter((h): h is Finding['hazard'] => !!h)),
    ];
    const loads = loadedBy(project, sizes, built.files.get(c.id) ?? new Set());
    // Functions ship bundled (esbuild, SAM, the Serverless Framework): one file to load, its size what matters.
    const coldStart = estimateColdStart({
      runtime: 'nodejs20.x',
      memoryMb: 1024,
      arch: options.arch,
      bundled: true,
      ...loads,
    });
    c.coldStart = coldStart;
    return {
      id: c.id,
      kind: c.kind,
      trigger: c.trigger,
      hazards,
      latencyCritical: hazards.includes('latency-critical'),
      coldStart,
    };
  });
  if (!inputs.length) return undefined;
  const result = estimate(inputs, usage.profile, pricing.snapshot, {
    providers: options.providers,
    arch: options.arch,
  });
  const byComponent = new Map(result.components.map((r) => [r.id, r]));
  for (const c of priced) {
    const r = byComponent.get(c.id);
    if (!r) continue;
    c.cost = r.costs;
    c.usage = { values: { ...r.usage }, origin: { ...r.usageOrigin }, usedDefaults: r.usedDefaults };
    c.breakEven = r.breakEven;
  }
  return {
    snapshotDate: result.snapshotDate,
    currency: result.currency,
    scenarios: result.scenarios,
    freeTier: result.freeTier,
    usedDefaults: result.usedDefaults,
    monthlyUsd: Object.fromEntries(result.totals.map((t) => [t.offering, t.monthlyUsd])),
    offerings: result.totals,
    breakEven: result.breakEven,
    curves: result.curves,
    unverified: result.unverified,
    assumptions: result.assumptions,
  };
}
