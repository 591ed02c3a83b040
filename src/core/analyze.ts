import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ts } from './ts';
import { describeArchitecture } from './architecture/describe';
import { classify } from './classify/classify';
import { DETECTORS } from './detect/registry';
import { reachFrom, type ReachMemory } from './link/attribute';
import { discover, type Discovered } from './load/discover';
import { gitSourceField } from './load/git';
import { readManifests, type Manifests } from './load/manifests';
import { readSource } from './load/source';
import { estimateColdStart } from './cost/coldStart';
import { estimate, type EstimateMemory } from './cost/estimate';
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
import { importOf, parseSource, scanFile, syntaxError, type UnitIds } from './scan/scanner';
import type { ComponentDraft, Fact, FileIndex, Unit } from './scan/types';
import { runRules, uncoveredFactRules, type RuledFinding, type RuleMemory } from './rules/engine';
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
  /** Only source files matching these globs (root-relative); empty or absent means all. */
  include?: string[];
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
  const run = new RunClock(options, options.timings);
  const root = checkRoot(options.root);
  const ruleSet = ruleSetFor(options, root);
  const detectors = detectorsFor(options, ruleSet);

  run.progress({ phase: 'discover', done: 0, total: 0 });
  const found = discoverSources(root, options);
  const skipped: SkippedFile[] = [...found.skipped];
  run.lap('discover');

  const manifests = readManifests(root, found.manifests, skipped);
  const project = projectIndexFor(root, found, manifests);
  run.lap('manifests');

  const total = found.files.length;
  let analysed = 0;
  for (let i = 0; i < total; i++) {
    run.checkCancelled();
    const file = found.files[i]!;
    if (i % 25 === 0) run.progress({ phase: 'scan', done: i, total, file });
    const loaded = loadSource(root, file);
    const reason = loaded.sf ? scanSource(project, file, loaded.sf, detectors) : loaded.reason;
    if (reason === undefined) analysed++;
    else skipped.push({ file, reason });
  }
  run.lap('scan');

  return finishAnalysis({ root, options, ruleSet, detectors, project, manifests, skipped, analysed, total }, run);
}

/** A run's clock (stats.timings), progress and cancellation: one per call, whether full or incremental. */
export class RunClock {
  readonly started = performance.now();
  readonly timings: Record<string, number> = {};
  private mark = this.started;
  readonly progress: (p: AnalyzeProgress) => void;
  private readonly cancelled: () => boolean;

  constructor(
    control: Pick<AnalyzeOptions, 'onProgress' | 'isCancelled'>,
    readonly keepTimings = false,
  ) {
    this.progress = control.onProgress ?? (() => undefined);
    this.cancelled = control.isCancelled ?? (() => false);
  }

  lap(name: string): void {
    const now = performance.now();
    this.timings[name] = Math.round((this.timings[name] ?? 0) + now - this.mark);
    this.mark = now;
  }

  checkCancelled(): void {
    if (this.cancelled()) throw new AnalysisCancelled();
  }
}

/** The absolute root, or AnalysisInputError when it cannot be analysed at all. */
export function checkRoot(given: string): string {
  const root = path.resolve(given);
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
  return root;
}

/** The rules given, or the built-ins with the workspace's .serverless-advisor/rules and the extra folders. */
export function ruleSetFor(options: Pick<AnalyzeOptions, 'rules' | 'rulesDirs'>, root: string): RuleSet {
  return (
    options.rules ??
    loadRules({
      userDirs: [
        path.join(root, '.serverless-advisor', 'rules'),
        ...(options.rulesDirs ?? []).map((d) => path.resolve(d)),
      ],
      displayRoot: root,
    })
  );
}

/** The detectors of the single pass: the registry's (or the given ones), and the recorder of what the rules ask for. */
export function detectorsFor(options: Pick<AnalyzeOptions, 'detectors'>, ruleSet: RuleSet): Detector[] {
  const siteDetector = ruleSitesDetector(ruleSet.rules);
  return [...(options.detectors ?? DETECTORS), ...(siteDetector ? [siteDetector] : [])];
}

/** The source files and manifests the analysis options select. */
export function discoverSources(
  root: string,
  options: Pick<AnalyzeOptions, 'exclude' | 'include' | 'maxFiles'>,
): Discovered {
  return discover(root, { exclude: options.exclude, include: options.include, maxFiles: options.maxFiles });
}

/** An empty index of the project, with what the manifests say (dependencies, package.json files). */
export function projectIndexFor(
  root: string,
  found: { manifests: string[] },
  manifests: Manifests,
  units?: Unit[],
): ProjectIndex {
  const project = new ProjectIndex(root, units);
  for (const [k, v] of manifests.dependencies) project.dependencies.set(k, v);
  for (const [k, v] of manifests.devDependencies) project.devDependencies.set(k, v);
  project.manifests = found.manifests;
  project.packageJsons = manifests.packageJsons;
  return project;
}

/** One source file read and parsed, or why it is skipped (with its text when it could be read). */
export type LoadedSource =
  { text: string; sf: ts.SourceFile; reason?: undefined } | { text?: string; sf?: undefined; reason: string };

/** Reads and parses one file; `kept` is a tree parsed earlier, reused when the text has not changed. */
export function loadSource(root: string, file: string, kept?: { text: string; sf: ts.SourceFile }): LoadedSource {
  const src = readSource(path.join(root, file));
  if (!src.ok) return { reason: src.reason };
  let sf: ts.SourceFile;
  if (kept && kept.text === src.text) sf = kept.sf;
  else {
    try {
      sf = parseSource(file, src.text);
    } catch (e) {
      return { text: src.text, reason: `could not be parsed: ${(e as Error).message}` };
    }
  }
  const err = syntaxError(sf);
  if (err) return { text: src.text, reason: err };
  return { text: src.text, sf };
}

/** Scans one parsed file into the project; returns why it is skipped when a detector failed on it. */
export function scanSource(
  project: ProjectIndex,
  file: string,
  sf: ts.SourceFile,
  detectors: readonly Detector[],
  ids?: UnitIds,
): string | undefined {
  const facts0 = project.facts.length;
  const drafts0 = project.drafts.length;
  try {
    scanFile(project, file, sf, detectors, ids);
    return undefined;
  } catch (e) {
    // A detector bug on one odd file (or a tree too deep to walk) must not cost the user the rest of the report.
    // What the scan recorded before it failed goes with the file: a later phase must never meet a component, a fact
    // or a detector's record of a file that is not in the index (it would point into a skipped file, or crash).
    project.files.delete(file);
    project.facts.length = facts0;
    project.drafts.length = drafts0;
    for (const byFile of project.detectorData.values()) byFile.delete(file);
    return `analysis error: ${(e as Error).message}`;
  }
}

/**
 * What an incremental session keeps between runs for the phases after the scan (session.ts); a plain analysis
 * passes none, and each phase then works as if from scratch. Every entry only ever saves work: a run with memory
 * gives the report a run without it would.
 */
export interface PipelineMemory {
  /** Module resolutions (Resolver): valid while the set of analysed files and the manifests stay the same. */
  modules: Map<string, string | undefined>;
  /** Reference edges per unit and reach per handler set, with the files they were computed from. */
  reach: ReachMemory;
  /** Import sites per scanned file, fact sites per fact: the same sites from run to run while their file is. */
  importSites: WeakMap<FileIndex, Site[]>;
  factSites: WeakMap<Fact, Site>;
  /** What each site condition of the rules matched (rules/engine.ts). */
  rules: RuleMemory;
  /** Costs per component shape and system totals (cost/estimate.ts). */
  costs: EstimateMemory;
  /** Project-level detector data (file key ''), such as the node_modules lookups: carried from run to run. */
  projectData: Map<string, unknown>;
}

/** The scanned project and what the phases after the scan need, for a full or an incremental run. */
export interface ScannedProject {
  root: string;
  options: AnalyzeOptions;
  ruleSet: RuleSet;
  detectors: readonly Detector[];
  project: ProjectIndex;
  manifests: Manifests;
  /** Discovery's, the manifests' and the scan's skipped files, in that order. */
  skipped: SkippedFile[];
  analysed: number;
  total: number;
}

/** Link, attribute, rules, classification and costs over a scanned project: the report. */
export function finishAnalysis(input: ScannedProject, run: RunClock, memory?: PipelineMemory): AnalysisResult {
  const { root, options, ruleSet, detectors, project, manifests, skipped, analysed, total } = input;
  run.progress({ phase: 'link', done: total, total });
  if (memory) {
    for (const [id, value] of memory.projectData) project.data(id, '', () => value);
  }
  const resolver = new Resolver(project, manifests.aliases, manifests.workspacePackages, memory?.modules);
  for (const d of detectors) {
    if (!d.link) continue;
    run.checkCancelled();
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
  if (memory) {
    for (const [id, byFile] of project.detectorData) if (byFile.has('')) memory.projectData.set(id, byFile.get(''));
  }
  run.lap('link');

  const built = buildComponents(project, resolver, run, memory?.reach);
  const { components } = built;
  run.lap('attribute');
  const byId = new Map(components.map((c) => [c.id, c]));
  const matchCtx: MatchContext = {
    index: buildSiteIndex(project, memory),
    components: byId,
    componentsOf: (site) => {
      const ids = new Set(site.owner === undefined ? [] : (built.unitComponents.get(site.owner) ?? []));
      for (const r of built.contextRanges.get(site.file) ?? [])
        if (site.pos >= r.pos && site.end <= r.end) ids.add(r.id);
      return [...ids];
    },
  };
  const ran = runRules(
    [...ruleSet.rules, ...uncoveredFactRules(ruleSet.rules, matchCtx.index)],
    matchCtx,
    memory?.rules,
  );
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
  run.lap('rules');

  let totals: CostTotals | undefined;
  if (options.costs !== false) {
    totals = priceComponents(project, built, components, findings, options, root, problems, memory?.costs);
    run.lap('cost');
  }
  run.progress({ phase: 'report', done: total, total });

  const allSkipped = [...skipped, ...project.skipped];
  allSkipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'serverless-advisor', version: TOOL_VERSION },
    root,
    ...gitSourceField(root),
    stats: {
      files: analysed,
      skipped: allSkipped,
      durationMs: Math.round(performance.now() - run.started),
      ...(run.keepTimings ? { timings: run.timings } : {}),
    },
    components,
    findings,
    suppressed: sup.suppressed,
    problems,
    ...(totals ? { totals } : {}),
  };
  describeArchitecture(report, { project, resolver, reached: built.unitComponents, provider: options.providers?.[0] });
  run.lap('architecture');
  // The clock stops when the report is complete: the architecture is described from the report itself.
  report.stats.durationMs = Math.round(performance.now() - run.started);
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

function buildComponents(project: ProjectIndex, resolver: Resolver, run: RunClock, memory?: ReachMemory): Built {
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
    run.checkCancelled();
    let id = componentId(d);
    const n = (used.get(id) ?? 0) + 1;
    used.set(id, n);
    if (n > 1) id = `${id}#${n}`;
    const handlerUnits = d.handlers.flatMap((h) =>
      memory ? memory.unitsOf(resolver, d.file, h) : resolver.unitsOf(d.file, h),
    );
    const reach = reachFrom(project, resolver, [...handlerUnits, ...(d.extraUnits ?? [])], memory);
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
  memory?.prune();
  return { components, unitComponents, contextRanges, files };
}

/** Facts, imports and the rule-requested calls as places rules can match. */
function buildSiteIndex(project: ProjectIndex, memory?: PipelineMemory): SiteIndex {
  const importSites = memory?.importSites;
  const factSites = memory?.factSites;
  const facts = new Map<string, Site[]>();
  for (const f of project.facts) {
    const kept = factSites?.get(f);
    const site: Site = kept ?? {
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
    if (factSites && !kept) factSites.set(f, site);
    const list = facts.get(f.ruleId) ?? [];
    list.push(site);
    facts.set(f.ruleId, list);
  }
  const imports: Site[] = [];
  for (const fi of project.files.values()) {
    const kept = importSites?.get(fi);
    if (kept) {
      for (const site of kept) imports.push(site);
      continue;
    }
    const from = imports.length;
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
    importSites?.set(fi, imports.slice(from));
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

/** Per file, the packages its imports name (bare specifiers), in import order: every component reaching it asks. */
const importedPackages = new WeakMap<FileIndex, string[]>();

function packagesImportedBy(fi: FileIndex): string[] {
  let names = importedPackages.get(fi);
  if (!names) {
    names = [];
    for (const m of fi.modules) {
      if (m.module.startsWith('.') || m.module.startsWith('/') || m.module.startsWith('node:')) continue;
      names.push(Resolver.packageName(m.module));
    }
    importedPackages.set(fi, names);
  }
  return names;
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
    for (const name of packagesImportedBy(fi)) {
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
  memory?: EstimateMemory,
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
  const result = estimate(
    inputs,
    usage.profile,
    pricing.snapshot,
    {
      providers: options.providers,
      arch: options.arch,
    },
    memory,
  );
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
