// An analysis kept alive between runs, for the editor's re-analyse on save: the first run is a full analysis that
// keeps what later updates can reuse; an update re-reads, re-parses and re-scans only the files that changed, then
// redoes the cross-file phases over the kept per-file results, with caches that keep exactly what the edit did not
// touch. The contract: `update()` returns the report a fresh `analyze()` of the same tree would.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ts } from './ts';
import {
  checkRoot,
  detectorsFor,
  discoverSources,
  finishAnalysis,
  loadSource,
  projectIndexFor,
  ruleSetFor,
  RunClock,
  scanSource,
  type AnalyzeOptions,
  type AnalyzeProgress,
  type LoadedSource,
  type PipelineMemory,
} from './analyze';
import { newEstimateMemory } from './cost/estimate';
import { PROFILE_FILE } from './cost/usage';
import { ReachMemory } from './link/attribute';
import { isSourceFile, MANIFEST_NAMES, type Discovered } from './load/discover';
import { readManifests, type Manifests } from './load/manifests';
import type { Report, SkippedFile } from './model';
import { RuleMemory } from './rules/engine';
import type { RuleSet } from './rules/load';
import type { Rule } from './rules/types';
import type { Detector } from './scan/detector';
import type { ProjectIndex } from './scan/project';
import type { ComponentDraft, Fact, FileIndex, Unit } from './scan/types';

/** Per call: progress and cancellation belong to one run, not to the session. */
export interface AnalyzeControl {
  onProgress?: (p: AnalyzeProgress) => void;
  isCancelled?: () => boolean;
}

export type SessionOptions = Omit<AnalyzeOptions, 'onProgress' | 'isCancelled'>;

/**
 * More changed files than this in one update and a full run is as quick (the cross-file phases are redone either way)
 * and simpler to trust: a branch switch or a formatter over the tree.
 */
const MAX_INCREMENTAL_FILES = 50;

/** What one source file contributed to the last assembled index: its scan, kept whole until the file changes. */
interface FileSlot {
  /** The text it was read from; absent when it could not be read. */
  text?: string;
  sf?: ts.SourceFile;
  /** Why it is left out of the analysis (unreadable, syntax error, a detector that failed on it). */
  reason?: string;
  index?: FileIndex;
  /** The ids of the units its scan made. */
  units: number[];
  facts: Fact[];
  drafts: ComponentDraft[];
  /** Per detector: what it kept for this file for its link step. */
  data: [string, unknown][];
}

/** Everything a full run established, that updates build on. */
interface State {
  ruleSet: RuleSet;
  detectors: Detector[];
  found: Discovered;
  manifests: Manifests;
  manifestSkipped: SkippedFile[];
  /** Every unit by id, shared by the index of every run; dead ids hold DEAD. */
  units: Unit[];
  dead: number;
  slots: Map<string, FileSlot>;
  /** The index of the last run: its facts name the units whose fact lists the next assembly resets. */
  project: ProjectIndex;
}

/**
 * What is left at the id of a unit whose file changed or went away and whose id no new unit took. Nothing refers to
 * it any more (the caches forget what read that file); it only keeps the ids of live units stable.
 */
const DEAD: Unit = Object.freeze({
  id: -1,
  file: '',
  kind: 'statement' as const,
  node: undefined as unknown as ts.Node,
  children: Object.freeze([]) as unknown as number[],
  refs: new Set<string>(),
  memberRefs: Object.freeze([]) as unknown as Unit['memberRefs'],
  facts: Object.freeze([]) as unknown as number[],
});

/**
 * One analysed folder, analysed again as files change. Keeps: the syntax tree and scan results of every file, the
 * rules, the per-unit reference edges and per-component reach (with the files each was computed from), import
 * sites, and costs per component shape. The reports it returns share objects with these caches: treat them as
 * read-only (post, serialise or copy them).
 */
export class AnalysisSession {
  readonly root: string;
  private state: State | undefined;
  private memory: PipelineMemory = newMemory();
  private last: 'full' | 'incremental' | undefined;

  constructor(private readonly options: SessionOptions) {
    this.root = path.resolve(options.root);
  }

  /** How the last report was made: a full run (run(), or an update that needed one), or incrementally. */
  /** The rules of the last run (the reports name each rule's help and document the findings with them). */
  get rules(): readonly Rule[] {
    return this.state?.ruleSet.rules ?? [];
  }

  get lastRun(): 'full' | 'incremental' | undefined {
    return this.last;
  }

  /** Full analysis; keeps what later updates can reuse. */
  run(control: AnalyzeControl = {}): Report {
    const previous = this.state;
    // Whatever happens below, an old state must not outlive a failed run: the next update starts afresh.
    this.state = undefined;
    const clock = new RunClock(control, this.options.timings);
    const options: AnalyzeOptions = { ...this.options, root: this.root };
    const root = checkRoot(this.root);
    const ruleSet = ruleSetFor(options, root);
    const detectors = detectorsFor(options, ruleSet);

    clock.progress({ phase: 'discover', done: 0, total: 0 });
    const found = discoverSources(root, options);
    clock.lap('discover');
    const manifestSkipped: SkippedFile[] = [];
    const manifests = readManifests(root, found.manifests, manifestSkipped);
    const units: Unit[] = [];
    const project = projectIndexFor(root, found, manifests, units);
    clock.lap('manifests');

    const slots = new Map<string, FileSlot>();
    const scanSkipped: SkippedFile[] = [];
    let analysed = 0;
    const total = found.files.length;
    for (let i = 0; i < total; i++) {
      clock.checkCancelled();
      const file = found.files[i]!;
      if (i % 25 === 0) clock.progress({ phase: 'scan', done: i, total, file });
      const slot = scanSlot(project, file, loadSource(root, file, treeOf(previous?.slots.get(file))), detectors);
      slots.set(file, slot);
      if (slot.reason === undefined) analysed++;
      else scanSkipped.push({ file, reason: slot.reason });
    }
    clock.lap('scan');

    // Unit ids start afresh: what was kept by id is void. Costs are kept by their inputs, which ids do not enter.
    this.memory = { ...newMemory(), costs: this.memory.costs };
    const result = finishAnalysis(
      {
        root,
        options,
        ruleSet,
        detectors,
        project,
        manifests,
        skipped: [...found.skipped, ...manifestSkipped, ...scanSkipped],
        analysed,
        total,
      },
      clock,
      this.memory,
    );
    this.state = { ruleSet, detectors, found, manifests, manifestSkipped, units, dead: 0, slots, project };
    this.last = 'full';
    return result.report;
  }

  /**
   * Files changed, created or deleted on disk (absolute or root-relative paths). Returns exactly the report a fresh
   * full analysis would produce now (stats.durationMs / stats.timings aside).
   */
  update(files: string[], control: AnalyzeControl = {}): Report {
    const state = this.state;
    if (!state || needsFullRun(this.root, this.options, files, state)) return this.run(control);
    try {
      return this.updateFrom(state, files, control);
    } catch (e) {
      // A failure half-way (cancellation included) leaves slots and caches out of step: the next call runs afresh.
      this.state = undefined;
      throw e;
    }
  }

  private updateFrom(state: State, files: string[], control: AnalyzeControl): Report {
    const clock = new RunClock(control, this.options.timings);
    const options: AnalyzeOptions = { ...this.options, root: this.root };
    const root = checkRoot(this.root);
    const { detectors, manifests } = state;

    // Which source files to read again. Discovery is redone only when a file may have come or gone.
    const named = new Set<string>();
    for (const f of files) {
      const rel = relativeTo(root, f);
      if (rel !== undefined && isSourceFile(path.posix.basename(rel))) named.add(rel);
    }
    let found = state.found;
    let mayHaveComeOrGone = false;
    for (const rel of named) {
      if (state.slots.has(rel) !== isFile(path.join(root, rel))) mayHaveComeOrGone = true;
    }
    let fileSetChanged = false;
    const changed = new Set<string>();
    if (mayHaveComeOrGone) {
      found = discoverSources(root, options);
      if (!sameList(found.manifests, state.found.manifests)) {
        // A manifest appeared or went with the files (a new package): everything it says may have changed.
        return this.run(control);
      }
      // A file saved where discovery does not look (ignored, excluded, over the limit) changes nothing.
      fileSetChanged = !sameList(found.files, state.found.files);
      const before = new Set(state.found.files);
      const after = new Set(found.files);
      for (const f of found.files) if (!before.has(f)) changed.add(f);
      for (const f of state.found.files) if (!after.has(f)) changed.add(f);
      for (const rel of named) if (before.has(rel) || after.has(rel)) changed.add(rel);
      state.found = found;
      clock.lap('discover');
    } else {
      for (const rel of named) if (state.slots.has(rel)) changed.add(rel);
    }

    // Read, parse and scan what changed, each into an index of its own that shares the units.
    const live = new Set(found.files);
    // Which files made it through the scan decides how imports resolve (a file with a syntax error resolves as
    // nothing), as much as which files exist.
    let analysedSetChanged = fileSetChanged;
    const rescanned = new Set<string>();
    const forgottenUnits: number[] = [];
    const total = changed.size;
    let done = 0;
    for (const file of changed) {
      clock.checkCancelled();
      clock.progress({ phase: 'scan', done: done++, total, file });
      const old = state.slots.get(file);
      if (!live.has(file)) {
        if (old) {
          this.bury(state, old.units);
          forgottenUnits.push(...old.units);
          state.slots.delete(file);
          rescanned.add(file);
        }
        continue;
      }
      const loaded = loadSource(root, file, treeOf(old));
      if (old && loaded.text !== undefined && loaded.text === old.text && loaded.sf === old.sf) continue;
      const scratch = projectIndexFor(root, found, manifests, state.units);
      const slot = scanSlot(scratch, file, loaded, detectors, old?.units);
      if (!old || !old.index !== !slot.index) analysedSetChanged = true;
      if (old) {
        const given = new Set(slot.units);
        this.bury(
          state,
          old.units.filter((u) => !given.has(u)),
        );
        forgottenUnits.push(...old.units);
      }
      state.slots.set(file, slot);
      rescanned.add(file);
    }

    if (analysedSetChanged) {
      // Any import may now resolve elsewhere: nothing resolved before can be trusted.
      this.memory.modules.clear();
      this.memory.reach.clear();
    } else this.memory.reach.forget(rescanned, forgottenUnits);

    const { project, skipped, analysed } = this.assemble(state, root, found);
    state.project = project;
    clock.lap('scan');
    const result = finishAnalysis(
      {
        root,
        options,
        ruleSet: state.ruleSet,
        detectors,
        project,
        manifests,
        skipped,
        analysed,
        total: found.files.length,
      },
      clock,
      this.memory,
    );
    this.last = 'incremental';
    return result.report;
  }

  /**
   * The index a full run would have built after its scan: every file's kept results in discovery order, so that
   * facts, drafts and detector data come in the same order (fact ids are positions, and they are renumbered here).
   */
  private assemble(
    state: State,
    root: string,
    found: Discovered,
  ): { project: ProjectIndex; skipped: SkippedFile[]; analysed: number } {
    const units = state.units;
    const project = projectIndexFor(root, found, state.manifests, units);
    // Fact lists of units hold positions of the last index (and, for re-scanned files, of their own index).
    const reset = (f: Fact): void => {
      const u = units[f.owner];
      if (u && u !== DEAD) u.facts.length = 0;
    };
    for (const f of state.project.facts) reset(f);
    for (const slot of state.slots.values()) for (const f of slot.facts) reset(f);

    const scanSkipped: SkippedFile[] = [];
    let analysed = 0;
    for (const file of found.files) {
      const slot = state.slots.get(file)!;
      if (slot.index) {
        project.files.set(file, slot.index);
        analysed++;
      } else scanSkipped.push({ file, reason: slot.reason! });
      for (const f of slot.facts) {
        f.id = project.facts.length;
        project.facts.push(f);
        units[f.owner]?.facts.push(f.id);
      }
      for (const d of slot.drafts) project.drafts.push(d);
      for (const [id, value] of slot.data) {
        let byFile = project.detectorData.get(id);
        if (!byFile) project.detectorData.set(id, (byFile = new Map<string, unknown>()));
        byFile.set(file, value);
      }
    }
    return {
      project,
      skipped: [...found.skipped, ...state.manifestSkipped, ...scanSkipped],
      analysed,
    };
  }

  private bury(state: State, ids: readonly number[]): void {
    for (const id of ids) {
      if (state.units[id] === DEAD) continue;
      state.units[id] = DEAD;
      state.dead++;
    }
  }
}

function newMemory(): PipelineMemory {
  return {
    modules: new Map(),
    reach: new ReachMemory(),
    importSites: new WeakMap(),
    factSites: new WeakMap(),
    rules: new RuleMemory(),
    costs: newEstimateMemory(),
    projectData: new Map(),
  };
}

/** Scans one loaded file into `project`, recording what the scan added for this file. */
function scanSlot(
  project: ProjectIndex,
  file: string,
  loaded: LoadedSource,
  detectors: readonly Detector[],
  reuse?: readonly number[],
): FileSlot {
  if (!loaded.sf) return { text: loaded.text, reason: loaded.reason, units: [], facts: [], drafts: [], data: [] };
  const facts0 = project.facts.length;
  const drafts0 = project.drafts.length;
  const given: number[] = [];
  const reason = scanSource(project, file, loaded.sf, detectors, { reuse, given });
  const data: [string, unknown][] = [];
  for (const [id, byFile] of project.detectorData) if (byFile.has(file)) data.push([id, byFile.get(file)]);
  return {
    text: loaded.text,
    sf: loaded.sf,
    reason,
    // A detector that throws has its file dropped with what it recorded (scanSource removes both), as in a full run.
    index: reason === undefined ? project.files.get(file) : undefined,
    units: given,
    facts: project.facts.slice(facts0),
    drafts: project.drafts.slice(drafts0),
    data,
  };
}

function treeOf(slot: FileSlot | undefined): { text: string; sf: ts.SourceFile } | undefined {
  return slot?.sf && slot.text !== undefined ? { text: slot.text, sf: slot.sf } : undefined;
}

/**
 * When an update cannot be trusted to be incremental, and a full run is done instead:
 * - a manifest (package.json, tsconfig.json / jsconfig.json, serverless.yml, template.yaml, wrangler and vercel
 *   configs): dependencies, path aliases and workspace packages feed every file's scan and every resolution;
 * - a .gitignore: it decides which files are analysed at all;
 * - a rule file (.serverless-advisor/rules or an extra rules folder): the rules decide what the scan records;
 * - a folder, or a path that is neither a source file nor an existing file (a deleted folder);
 * - more than MAX_INCREMENTAL_FILES changed files;
 * - more dead unit ids than live ones (the ids of re-scanned files pile up: a full run numbers them afresh).
 * The usage profile needs none: every update reads it again. Other files (README, assets) are read by nothing.
 */
function needsFullRun(root: string, options: SessionOptions, files: string[], state: State): boolean {
  if (files.length > MAX_INCREMENTAL_FILES) return true;
  if (state.dead > state.units.length - state.dead) return true;
  // As ruleSetFor resolves them.
  const ruleDirs = [
    path.join(root, '.serverless-advisor', 'rules'),
    ...(options.rulesDirs ?? []).map((d) => path.resolve(d)),
  ];
  for (const f of files) {
    const abs = path.resolve(root, f);
    if (ruleDirs.some((d) => abs === d || abs.startsWith(d + path.sep))) return true;
    const rel = relativeTo(root, abs);
    if (rel === undefined) continue; // outside the folder: nothing of it is analysed
    const base = path.posix.basename(rel);
    if (MANIFEST_NAMES.has(base) || base === '.gitignore') return true;
    if (isSourceFile(base) || base === PROFILE_FILE) continue;
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(abs);
    } catch {
      st = undefined;
    }
    if (!st || st.isDirectory()) return true;
  }
  return false;
}

/** The root-relative '/'-separated path, or undefined outside the root. */
function relativeTo(root: string, file: string): string | undefined {
  const rel = path.relative(root, path.resolve(root, file));
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

function isFile(abs: string): boolean {
  try {
    return fs.statSync(abs).isFile();
  } catch {
    return false;
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
