import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type ts } from 'ts-morph';
import { DETECTORS } from './detect/registry';
import { reachFrom } from './link/attribute';
import { discover } from './load/discover';
import { readManifests } from './load/manifests';
import { readSource } from './load/source';
import { REPORT_SCHEMA_VERSION, type Component, type Finding, type Report, type SkippedFile } from './model';
import type { Detector, LinkContext } from './scan/detector';
import { locationOf, ProjectIndex } from './scan/project';
import { Resolver } from './scan/resolve';
import { importOf, parseSource, scanFile, syntaxError } from './scan/scanner';
import type { ComponentDraft, Fact } from './scan/types';
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
  if (!st.isDirectory()) throw new AnalysisInputError(`${root}: not a folder (give the folder of the project to analyse)`);
  try {
    fs.readdirSync(root);
  } catch (e) {
    throw new AnalysisInputError(`${root}: cannot read the folder (${(e as Error).message})`);
  }
  const detectors = options.detectors ?? DETECTORS;
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

  const { components, findings } = buildComponentsAndFindings(project, resolver, cancelled);
  lap('attribute');
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
  };
  return { report, project };
}

function stableId(prefix: string, ...parts: (string | number)[]): string {
  return `${prefix}${createHash('sha1').update(parts.join('\0')).digest('hex').slice(0, 12)}`;
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

function buildComponentsAndFindings(
  project: ProjectIndex,
  resolver: Resolver,
  cancelled: () => boolean,
): { components: Component[]; findings: Finding[] } {
  const drafts = [...project.drafts].map((d) => {
    const sf = project.files.get(d.file)!.sf;
    return { d, loc: locationOf(sf, d.node, d.file) };
  });
  drafts.sort((a, b) => a.loc.file.localeCompare(b.loc.file) || a.loc.line - b.loc.line || a.loc.column - b.loc.column);

  const factsByFile = new Map<string, Fact[]>();
  for (const f of project.facts) {
    const list = factsByFile.get(f.location.file) ?? [];
    list.push(f);
    factsByFile.set(f.location.file, list);
  }
  const used = new Map<string, number>();
  const factComponents = new Map<number, Set<string>>();
  const components: Component[] = [];
  for (const { d, loc } of drafts) {
    if (cancelled()) throw new AnalysisCancelled();
    let id = componentId(d);
    const n = (used.get(id) ?? 0) + 1;
    used.set(id, n);
    if (n > 1) id = `${id}#${n}`;
    const handlerUnits = d.handlers.flatMap((h) => resolver.unitsOf(d.file, h));
    const reach = reachFrom(project, resolver, [...handlerUnits, ...(d.extraUnits ?? [])]);
    for (const cn of d.contextNodes ?? []) {
      for (const f of factsByFile.get(cn.file) ?? []) if (f.pos >= cn.node.pos && f.end <= cn.node.end) reach.facts.add(f.id);
    }
    for (const f of reach.facts) {
      let s = factComponents.get(f);
      if (!s) factComponents.set(f, (s = new Set()));
      s.add(id);
    }
    const { endLine: _e, endColumn: _c, ...location } = loc;
    const c: Component = { id, kind: d.kind, name: d.name, framework: d.framework, location, trigger: d.trigger, findings: [] };
    const hu = handlerUnits[handlerUnits.length - 1];
    if (hu !== undefined) {
      const u = project.units[hu]!;
      const hl = locationOf(project.files.get(u.file)!.sf, u.node, u.file);
      if (hl.file !== loc.file || hl.line !== loc.line) c.handler = { file: hl.file, line: hl.line, column: hl.column };
    }
    components.push(c);
  }

  // One finding per rule and location; the components of all its facts.
  const byKey = new Map<string, Finding>();
  for (const fact of project.facts) {
    const comps = factComponents.get(fact.id);
    if (fact.requiresReach && !comps?.size) continue;
    const key = `${fact.ruleId}\0${fact.location.file}\0${fact.location.line}\0${fact.location.column}`;
    let f = byKey.get(key);
    if (!f) {
      f = {
        id: stableId('f-', fact.ruleId, fact.location.file, fact.location.line, fact.location.column),
        ruleId: fact.ruleId,
        hazard: fact.hazard,
        severity: fact.severity,
        message: fact.message,
        location: fact.location,
        evidence: fact.evidence,
        components: [],
        fix: fact.fix,
        ...(fact.basis ? { basis: fact.basis } : {}),
      };
      byKey.set(key, f);
    }
    for (const c of comps ?? []) if (!f.components.includes(c)) f.components.push(c);
  }
  const findings = [...byKey.values()].sort(
    (a, b) =>
      a.location.file.localeCompare(b.location.file) ||
      a.location.line - b.location.line ||
      a.location.column - b.location.column ||
      a.ruleId.localeCompare(b.ruleId),
  );
  const byComponent = new Map(components.map((c) => [c.id, c]));
  for (const f of findings) {
    f.components.sort();
    for (const c of f.components) byComponent.get(c)!.findings.push(f.id);
  }
  return { components, findings };
}
