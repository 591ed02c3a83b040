import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import picomatch from 'picomatch';
import { visit, type Document, type LineCounter } from 'yaml';
import type { ComponentKind } from '../model';
import { packageRoot } from '../packageRoot';
import { parseYamlText } from '../yamlText';
import { runsPerMonth } from './schedule';
import type { ComponentUsage, CostComponentInput, CostProblem, Scenario, UsageOrigin } from './types';
import { checkGlob, isStarsOnly, wildcard } from '../rules/regex';
import { describeAjvError, locate, locateKey } from './yamlLocate';

import { PROFILE_FILE } from './profileFile';
export { PROFILE_FILE };
export const USAGE_FIELDS = [
  'requestsPerMonth',
  'durationMs',
  'cpuMs',
  'memoryMb',
  'payloadKb',
  'peakToAverage',
  'concurrency',
  'provisionedConcurrency',
  'dbReadsPerRequest',
  'dbWritesPerRequest',
  'objectGetsPerRequest',
  'objectPutsPerRequest',
  'storageGb',
  'monthlyActiveUsers',
  'stateTransitionsPerRequest',
] as const satisfies readonly (keyof ComponentUsage)[];

export type UsageOverrides = Partial<ComponentUsage>;

/** One `components:` entry of the profile. */
export interface ProfileOverride {
  pattern: string;
  glob: boolean;
  usage: UsageOverrides;
}

export interface UsageProfile {
  /** The profile file, when there is one. */
  file?: string;
  defaults: UsageOverrides;
  scenarios: Record<Scenario, number>;
  freeTier: boolean;
  /** In file order; exact ids are applied after globs. */
  components: ProfileOverride[];
}

export const DEFAULT_SCENARIOS: Record<Scenario, number> = { low: 0.25, likely: 1, high: 4 };

export function emptyProfile(): UsageProfile {
  return { defaults: {}, scenarios: { ...DEFAULT_SCENARIOS }, freeTier: true, components: [] };
}

// Per-kind defaults. What is taken from "Serverless in the Wild" (Shahrad et al., USENIX ATC 2020; the whole Azure
// Functions workload, two weeks of July 2019), exactly:
// - Volume: one invocation per minute (43,800 a month) is the rate that 81% of applications do not exceed. It is
//   scaled per trigger by that trigger's share of invocations divided by its share of functions (HTTP 36/55, queue
//   33.5/15.2, timer 2/15.6, other 1/5), i.e. how busy a function of that trigger is compared with the average one.
// - Duration: 680 ms, e^-0.38 s, the median of the per-function average execution times (log-normal fit, log mean
//   -0.38; 50% of functions average under 1 s).
// - Memory: 256 MB, the smallest common setting above the median application's maximum allocation (50% of apps
//   allocate at most 170 MB; 90% at most 400 MB).
// Not from the trace: cpuMs 7 (Cloudflare's own pricing example: 7 ms CPU per request), payload 4 KB,
// peak-to-average 3 (the trace reports bursty arrivals, 40% of apps with an inter-arrival CV above 1, but no peak
// ratio), container concurrency 80 in flight per vCPU (Cloud Run's default per-instance concurrency).
const PER_MINUTE = 43_800;
const TRIGGER_SCALE = { http: 36 / 55, queue: 33.5 / 15.2, timer: 2 / 15.6, other: 1 / 5 };
const KIND_TRIGGER: Record<ComponentKind, keyof typeof TRIGGER_SCALE> = {
  'http-route': 'http',
  'route-group': 'http',
  graphql: 'http',
  websocket: 'http',
  function: 'http',
  'queue-consumer': 'queue',
  'scheduled-job': 'timer',
  worker: 'other',
  cli: 'other',
};

export const KIND_DEFAULTS_BASIS =
  'Defaults by kind from "Serverless in the Wild" (Shahrad et al., USENIX ATC 2020, Azure Functions trace of July 2019): ' +
  "43,800 invocations/month (once a minute, the rate 81% of apps do not exceed) scaled by the trigger's share of " +
  'invocations over its share of functions (HTTP 36/55, queue 33.5/15.2, timer 2/15.6, other 1/5); 680 ms (median ' +
  'average execution time, e^-0.38 s); 256 MB (above the median app allocation of 170 MB). Not from the trace: 7 ms ' +
  'CPU (Cloudflare pricing example), 4 KB payload, peak-to-average 3, 80 requests in flight per container vCPU.';

function kindDefaults(kind: ComponentKind): ComponentUsage {
  return {
    requestsPerMonth: Math.round(PER_MINUTE * TRIGGER_SCALE[KIND_TRIGGER[kind]]),
    durationMs: 680,
    cpuMs: 7,
    memoryMb: 256,
    payloadKb: 4,
    peakToAverage: 3,
    concurrency: 80,
    provisionedConcurrency: 0,
    dbReadsPerRequest: 0,
    dbWritesPerRequest: 0,
    objectGetsPerRequest: 0,
    objectPutsPerRequest: 0,
    storageGb: 0,
    monthlyActiveUsers: 0,
    stateTransitionsPerRequest: kind === 'worker' ? 4 : 0,
  };
}

/** Fields whose absence counts as "defaults used": the ones every estimate depends on. */
const CORE_FIELDS = ['requestsPerMonth', 'durationMs', 'memoryMb'] as const;

/**
 * The usage of one component: kind defaults (refined by its schedule and hazards), then the profile's `defaults`,
 * then matching globs in file order, then its exact id. `origin` says where each figure came from.
 */
export function resolveUsage(
  c: CostComponentInput,
  profile: UsageProfile,
): { usage: ComponentUsage; origin: UsageOrigin; usedDefaults: boolean } {
  const usage = kindDefaults(c.kind);
  const origin = Object.fromEntries(USAGE_FIELDS.map((f) => [f, `default:${c.kind}`])) as UsageOrigin;
  if (c.trigger.type === 'schedule') {
    const runs = runsPerMonth(c.trigger.schedule);
    if (runs !== undefined) {
      usage.requestsPerMonth = runs;
      origin.requestsPerMonth = `schedule:${c.trigger.schedule}`;
    }
  }
  const hz = new Set(c.hazards ?? []);
  // What the hazard would move to a managed store: state and sessions read and write it once per request.
  if (hz.has('module-state') || hz.has('in-memory-session') || hz.has('in-memory-cache')) {
    usage.dbReadsPerRequest = 1;
    usage.dbWritesPerRequest =
      hz.has('in-memory-cache') && !hz.has('module-state') && !hz.has('in-memory-session') ? 0.1 : 1;
    origin.dbReadsPerRequest = origin.dbWritesPerRequest = 'default:hazard';
  }
  if (hz.has('local-fs-read')) {
    usage.objectGetsPerRequest = 1;
    origin.objectGetsPerRequest = 'default:hazard';
  }
  if (hz.has('local-fs-write')) {
    usage.objectPutsPerRequest = 1;
    origin.objectPutsPerRequest = 'default:hazard';
  }
  const apply = (o: UsageOverrides, from: string): void => {
    for (const f of USAGE_FIELDS) {
      const v = o[f];
      if (v !== undefined) {
        usage[f] = v;
        origin[f] = from;
      }
    }
  };
  apply(profile.defaults, 'profile:defaults');
  for (const o of profile.components) if (o.glob && matcher(o.pattern)(c.id)) apply(o.usage, `profile:${o.pattern}`);
  for (const o of profile.components) if (!o.glob && o.pattern === c.id) apply(o.usage, `profile:${o.pattern}`);
  // CPU time cannot exceed wall-clock time for one Node.js thread: a default never contradicts the profile.
  if (usage.cpuMs > usage.durationMs && !origin.cpuMs.startsWith('profile')) usage.cpuMs = usage.durationMs;
  const usedDefaults = CORE_FIELDS.some((f) => origin[f].startsWith('default'));
  return { usage, origin, usedDefaults };
}

const matchers = new Map<string, (id: string) => boolean>();
/**
 * Globs over component ids: `*` matches any run of characters, '/' and ':' included (ids contain both). A glob of
 * stars only is matched in linear time; ids come from the code (a route path can be any length), and picomatch's
 * regular expression for `*a*b*c` backtracks for minutes on a long one. The others were bounded by checkGlob.
 */
function matcher(glob: string): (id: string) => boolean {
  let m = matchers.get(glob);
  if (!m) matchers.set(glob, (m = isStarsOnly(glob) ? wildcardTest(glob) : picomatch(glob, { bash: true, dot: true })));
  return m;
}

function wildcardTest(glob: string): (id: string) => boolean {
  const w = wildcard(glob);
  return (id) => w.test(id);
}

/** Longest glob in `components:` (an exact id may be longer). */
const MAX_PROFILE_GLOB = 1000;

export function isGlob(pattern: string): boolean {
  return /[*?[\]{}!]/.test(pattern);
}

let validator: ValidateFunction | undefined;
function validate(): ValidateFunction {
  if (!validator) {
    const schema = JSON.parse(
      fs.readFileSync(path.join(packageRoot(), 'serverless-advisor.schema.json'), 'utf8'),
    ) as object;
    validator = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
  }
  return validator;
}

const SCHEMA_HELP = (): Record<string, string> => {
  const s = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'serverless-advisor.schema.json'), 'utf8')) as {
    definitions: { usage: { properties: Record<string, { description: string }> } };
  };
  return Object.fromEntries(Object.entries(s.definitions.usage.properties).map(([k, v]) => [k, v.description]));
};

/**
 * Reads a usage profile. `file` is the profile or the folder holding `serverless-advisor.yaml`; a missing profile is
 * not a problem (defaults by kind apply, and `usedDefaults` says so). Every problem names file, line and column and
 * what to change; a bad value is dropped and the rest of the profile still applies. Keys under `components` that
 * match no id of `componentIds` are warnings.
 */
export function loadUsageProfile(
  file: string,
  componentIds: readonly string[],
): { profile: UsageProfile; problems: CostProblem[]; usedDefaults: boolean } {
  const profile = emptyProfile();
  const problems: CostProblem[] = [];
  let target = file;
  try {
    if (fs.statSync(file).isDirectory()) target = path.join(file, PROFILE_FILE);
  } catch {
    // A named file that does not exist is reported below.
  }
  if (!fs.existsSync(target)) {
    if (target !== file) return { profile, problems, usedDefaults: true };
    problems.push({
      file,
      line: 1,
      column: 1,
      severity: 'error',
      message: `usage profile ${file} does not exist`,
      fix: `Create it, or pass the folder that holds ${PROFILE_FILE}.`,
    });
    return { profile, problems, usedDefaults: true };
  }
  profile.file = target;
  const text = fs.readFileSync(target, 'utf8');
  const { doc, lineCounter: lc, errors } = parseYamlText(text);
  if (errors.length) {
    for (const err of errors) {
      problems.push({
        file: target,
        line: err.line,
        column: err.column,
        severity: 'error',
        message: `YAML: ${err.message}`,
        fix: 'Fix the YAML syntax; until then the defaults by kind apply.',
      });
    }
    return { profile, problems, usedDefaults: true };
  }
  let data: unknown;
  try {
    // A `!!binary` value would be a Uint8Array, which passes for an object and whose entries cannot be dropped.
    data = doc.toJS({ reviver: (_key, value) => (ArrayBuffer.isView(value) ? '(binary data)' : value) }) ?? {};
  } catch (e) {
    // Too many aliases (the "billion laughs"): yaml refuses to expand them.
    let at = 0;
    visit(doc, {
      Alias(_key, node) {
        at = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    const p = lc.linePos(at);
    problems.push({
      file: target,
      line: p.line,
      column: p.col,
      severity: 'error',
      message: `YAML: ${(e as Error).message}`,
      fix: 'Write the values out instead of repeating aliases (*name); until then the defaults by kind apply.',
    });
    return { profile, problems, usedDefaults: true };
  }
  // A section whose entries are all commented out (`defaults:` then `# durationMs: 80`) is empty, not an error.
  if (data && typeof data === 'object' && !Array.isArray(data))
    for (const k of ['defaults', 'scenarios', 'components'] as const)
      if ((data as Record<string, unknown>)[k] === null) delete (data as Record<string, unknown>)[k];
  const v = validate();
  const help = SCHEMA_HELP();
  if (!v(data)) {
    for (const e of v.errors ?? []) {
      const d = describeAjvError(e);
      const at = d.key !== undefined ? locate(doc, lc, d.path, d.key) : locateKey(doc, lc, d.path);
      problems.push({
        file: target,
        ...at,
        severity: 'error',
        message: d.message,
        fix: fixFor(e.keyword, d.path, d.key, help),
      });
      // Drop the bad value so that the rest of the profile still applies.
      dropAt(data, d.key !== undefined ? [...d.path, d.key] : d.path);
    }
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    return { profile, problems, usedDefaults: true };
  const raw = data as {
    defaults?: UsageOverrides;
    scenarios?: Partial<Record<Scenario, number>>;
    freeTier?: boolean;
    components?: Record<string, UsageOverrides>;
  };
  if (raw.defaults && typeof raw.defaults === 'object') profile.defaults = raw.defaults;
  if (raw.scenarios && typeof raw.scenarios === 'object') {
    const sc = { ...DEFAULT_SCENARIOS, ...raw.scenarios };
    if (sc.low <= sc.likely && sc.likely <= sc.high) profile.scenarios = sc;
    else {
      const at = locateKey(doc, lc, ['scenarios']);
      problems.push({
        file: target,
        ...at,
        severity: 'error',
        message: `scenarios must satisfy low <= likely <= high (got ${sc.low}, ${sc.likely}, ${sc.high})`,
        fix: 'Order the multipliers, e.g. { low: 0.25, likely: 1, high: 4 }; the default multipliers apply until then.',
      });
    }
  }
  if (typeof raw.freeTier === 'boolean') profile.freeTier = raw.freeTier;
  cpuCheck(profile.defaults, ['defaults'], doc, lc, target, problems);
  const known = new Set(componentIds);
  for (const [pattern, usage] of Object.entries(raw.components ?? {})) {
    if (!usage || typeof usage !== 'object') continue;
    const glob = isGlob(pattern);
    const at = locate(doc, lc, ['components'], pattern);
    const unsafe = glob ? checkGlob(pattern, { slashes: false, maxLength: MAX_PROFILE_GLOB }) : undefined;
    if (unsafe) {
      problems.push({
        file: target,
        ...at,
        severity: 'error',
        message: `components: ${unsafe}: "${pattern.slice(0, 100)}"`,
        fix: 'Simplify the glob (globs of `*` only may hold any number of them); until then it applies to no component.',
      });
      continue;
    }
    if (glob ? !componentIds.some((id) => matcher(pattern)(id)) : !known.has(pattern)) {
      problems.push({
        file: target,
        ...at,
        severity: 'warning',
        message: glob
          ? `components: the glob "${pattern}" matches no component`
          : `components: unknown component id "${pattern}"`,
        fix: nearest(pattern, componentIds)
          ? `Did you mean "${nearest(pattern, componentIds)}"? Component ids are listed in the report.`
          : 'Use a component id from the report, or a glob such as "queue:*".',
      });
    }
    cpuCheck(usage, ['components', pattern], doc, lc, target, problems);
    profile.components.push({ pattern, glob, usage });
  }
  const usedDefaults = !CORE_FIELDS.every((f) => profile.defaults[f] !== undefined);
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return { profile, problems, usedDefaults };
}

function cpuCheck(
  u: UsageOverrides,
  at: string[],
  doc: Document,
  lc: LineCounter,
  file: string,
  problems: CostProblem[],
): void {
  if (u.cpuMs !== undefined && u.durationMs !== undefined && u.cpuMs > u.durationMs) {
    const pos = locate(doc, lc, at, 'cpuMs');
    problems.push({
      file,
      ...pos,
      severity: 'error',
      message: `${at.join('.')}.cpuMs (${u.cpuMs}) exceeds durationMs (${u.durationMs})`,
      fix: 'CPU time per request cannot exceed its wall-clock duration: lower cpuMs or raise durationMs.',
    });
    delete u.cpuMs;
  }
}

function fixFor(
  keyword: string,
  p: (string | number)[],
  key: string | undefined,
  help: Record<string, string>,
): string {
  const field = key ?? String(p[p.length - 1] ?? '');
  if (keyword === 'additionalProperties') {
    const inUsage = p[0] === 'defaults' || p[0] === 'components';
    const allowed =
      p[0] === 'scenarios'
        ? ['low', 'likely', 'high']
        : inUsage
          ? [...USAGE_FIELDS]
          : ['defaults', 'scenarios', 'freeTier', 'components'];
    const near = nearest(field, allowed);
    return `${near ? `Did you mean "${near}"? ` : ''}Remove "${field}" or use one of: ${allowed.join(', ')}.`;
  }
  if (help[field]) return `Set ${field} to a valid value: ${help[field]}`;
  if (p[0] === 'scenarios') return `Set ${field} to a multiplier above 0 and at most 1,000.`;
  if (field === 'freeTier') return 'Set freeTier to true or false.';
  return 'See serverless-advisor.schema.json.';
}

function dropAt(data: unknown, p: (string | number)[]): void {
  if (!p.length) return;
  let node: unknown = data;
  for (const seg of p.slice(0, -1)) {
    if (!node || typeof node !== 'object') return;
    node = (node as Record<string | number, unknown>)[seg];
  }
  if (node && typeof node === 'object') delete (node as Record<string | number, unknown>)[p[p.length - 1]!];
}

/** The closest candidate within a small edit distance, for "did you mean". */
function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(word.length / 4)) + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}
