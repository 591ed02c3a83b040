import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import { packageRoot } from '../packageRoot';
import { parseYamlText } from '../yamlText';
import type { CostProblem, FigureRef, Provider } from './types';
import { describeAjvError, locate } from './yamlLocate';

/** One priced or counted figure of the snapshot, exactly as the data file states it, plus where it is. */
export interface Figure {
  /** `<offering>.<key>` */
  id: string;
  price?: number;
  per: number;
  tiers?: { upTo: number | null; price: number }[];
  amount?: number;
  table?: Record<string, number | string>[];
  rule?: string;
  unit: string;
  source: string;
  asOf: string;
  verify: string;
  verified: boolean;
  /** false: shipped for reference only, no calculator applies it. */
  applies: boolean;
  note?: string;
  file: string;
  line: number;
}

export interface SnapshotOffering {
  id: string;
  provider: Provider;
  name: string;
  region: string;
  file: string;
  figures: Record<string, Figure>;
}

export interface PricingSnapshot {
  /** The latest `snapshot` date of the files. */
  snapshotDate: string;
  dir: string;
  offerings: Record<string, SnapshotOffering>;
}

/** The shipped rules/pricing folder of this package. */
export function defaultPricingDir(): string {
  return path.join(packageRoot(), 'rules', 'pricing');
}

let validator: ValidateFunction | undefined;
function compile(dir: string): ValidateFunction {
  // The schema ships with the package; a custom dir uses its own schema.json when it has one.
  const own = path.join(dir, 'schema.json');
  const file = fs.existsSync(own) ? own : path.join(defaultPricingDir(), 'schema.json');
  if (file === path.join(defaultPricingDir(), 'schema.json') && validator) return validator;
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allowUnionTypes: true, allErrors: true });
  const v = ajv.compile(JSON.parse(fs.readFileSync(file, 'utf8')) as object);
  if (file === path.join(defaultPricingDir(), 'schema.json')) validator = v;
  return v;
}

type RawFigure = {
  price?: number;
  per?: number;
  tiers?: { upTo: number | null; price: number }[];
  amount?: number;
  table?: Record<string, number | string>[];
  rule?: string;
  unit: string;
  source: string;
  as_of: string;
  verify: string;
  verified: boolean;
  applies?: boolean;
  note?: string;
};
type RawFile = {
  provider: Provider;
  region: string;
  snapshot: string;
  offerings: Record<string, { name: string; figures: Record<string, RawFigure> }>;
};

/**
 * Reads every `*.yaml` of the pricing folder, checks each against schema.json, and returns the snapshot with the
 * problems found (file, line, column). A broken file contributes nothing; the others still load.
 */
const loaded = new Map<string, { snapshot: PricingSnapshot; problems: CostProblem[]; stamp: string }>();

/** The shipped snapshot is read once per process (and again only when a file in the folder changes). */
export function loadPricing(dir: string = defaultPricingDir()): { snapshot: PricingSnapshot; problems: CostProblem[] } {
  let stamp = '';
  try {
    stamp = fs
      .readdirSync(dir)
      .map((f) => `${f}:${fs.statSync(path.join(dir, f)).mtimeMs}`)
      .join('|');
  } catch {
    // an unreadable folder is reported by the load below
  }
  const hit = loaded.get(dir);
  if (hit && hit.stamp === stamp && stamp) return { snapshot: hit.snapshot, problems: [...hit.problems] };
  const r = loadPricingUncached(dir);
  loaded.set(dir, { ...r, stamp });
  return r;
}

function loadPricingUncached(dir: string): { snapshot: PricingSnapshot; problems: CostProblem[] } {
  const problems: CostProblem[] = [];
  const snapshot: PricingSnapshot = { snapshotDate: '', dir, offerings: {} };
  let names: string[];
  try {
    names = fs
      .readdirSync(dir)
      .filter((n) => /\.ya?ml$/.test(n))
      .sort();
  } catch (e) {
    problems.push({
      file: dir,
      line: 1,
      column: 1,
      severity: 'error',
      message: `cannot read the pricing folder: ${(e as Error).message}`,
    });
    return { snapshot, problems };
  }
  const validate = compile(dir);
  for (const name of names) {
    const file = path.join(dir, name);
    const text = fs.readFileSync(file, 'utf8');
    const { doc, lineCounter: lc, errors } = parseYamlText(text);
    if (errors.length) {
      for (const err of errors) {
        problems.push({
          file,
          line: err.line,
          column: err.column,
          severity: 'error',
          message: `YAML: ${err.message}`,
          fix: 'Fix the YAML syntax.',
        });
      }
      continue;
    }
    const data: unknown = doc.toJS();
    if (!validate(data)) {
      for (const e of condense(validate.errors ?? [])) {
        const d = describeAjvError(e);
        const at = locate(doc, lc, d.path, d.key);
        problems.push({
          file,
          ...at,
          severity: 'error',
          message: d.message,
          fix: 'See rules/pricing/schema.json for the fields a figure takes.',
        });
      }
      continue;
    }
    const raw = data as RawFile;
    if (raw.snapshot > snapshot.snapshotDate) snapshot.snapshotDate = raw.snapshot;
    for (const [oid, o] of Object.entries(raw.offerings)) {
      if (snapshot.offerings[oid]) {
        const at = locate(doc, lc, ['offerings'], oid);
        problems.push({
          file,
          ...at,
          severity: 'error',
          message: `offering "${oid}" is already defined in ${snapshot.offerings[oid].file}`,
          fix: 'Give each offering one home file.',
        });
        continue;
      }
      const figures: Record<string, Figure> = {};
      for (const [key, f] of Object.entries(o.figures)) {
        const at = locate(doc, lc, ['offerings', oid, 'figures'], key);
        figures[key] = {
          id: `${oid}.${key}`,
          ...(f.price !== undefined && { price: f.price }),
          per: f.per ?? 1,
          ...(f.tiers && { tiers: f.tiers }),
          ...(f.amount !== undefined && { amount: f.amount }),
          ...(f.table && { table: f.table }),
          ...(f.rule && { rule: f.rule }),
          unit: f.unit,
          source: f.source,
          asOf: f.as_of,
          verify: f.verify,
          verified: f.verified,
          applies: f.applies ?? true,
          ...(f.note && { note: f.note }),
          file,
          line: at.line,
        };
      }
      snapshot.offerings[oid] = { id: oid, provider: raw.provider, name: o.name, region: raw.region, file, figures };
    }
  }
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
  return { snapshot, problems };
}

/** A figure's `oneOf` failure is one problem ("give exactly one of ..."), not one per branch. */
function condense(errors: ErrorObject[]): ErrorObject[] {
  const out: ErrorObject[] = [];
  for (const e of errors) {
    if (/\/oneOf\/\d+\//.test(e.schemaPath)) continue;
    if (e.keyword === 'oneOf') {
      out.push({ ...e, message: 'must have exactly one of price, tiers, amount, table, rule' });
      continue;
    }
    out.push(e);
  }
  return out;
}

/** Thrown when a calculator asks for a figure the snapshot does not have (a broken or partial pricing folder). */
export class MissingFigureError extends Error {}

/** Figures by full id, per snapshot: calculators ask for the same few figures thousands of times (break-even search). */
const byId = new WeakMap<PricingSnapshot, Map<string, Figure>>();
const tiersById = new WeakMap<PricingSnapshot, Map<string, { upTo: number | null; price: number }[]>>();

export function figure(s: PricingSnapshot, id: string): Figure {
  let cache = byId.get(s);
  if (!cache) byId.set(s, (cache = new Map<string, Figure>()));
  let f = cache.get(id);
  if (f) return f;
  const dot = id.indexOf('.');
  f = s.offerings[id.slice(0, dot)]?.figures[id.slice(dot + 1)];
  if (!f) throw new MissingFigureError(`pricing figure ${id} is missing from ${s.dir}`);
  cache.set(id, f);
  return f;
}

/** USD per single unit. */
export function unitPrice(s: PricingSnapshot, id: string): number {
  const f = figure(s, id);
  if (f.price === undefined) throw new MissingFigureError(`pricing figure ${id} has no price`);
  return f.price / f.per;
}

/** Tiers with USD per single unit. */
export function unitTiers(s: PricingSnapshot, id: string): { upTo: number | null; price: number }[] {
  let cache = tiersById.get(s);
  if (!cache) tiersById.set(s, (cache = new Map<string, { upTo: number | null; price: number }[]>()));
  const hit = cache.get(id);
  if (hit) return hit;
  const f = figure(s, id);
  if (!f.tiers) throw new MissingFigureError(`pricing figure ${id} has no tiers`);
  const tiers = f.tiers.map((t) => ({ upTo: t.upTo, price: t.price / f.per }));
  cache.set(id, tiers);
  return tiers;
}

export function amount(s: PricingSnapshot, id: string): number {
  const f = figure(s, id);
  if (f.amount === undefined) throw new MissingFigureError(`pricing figure ${id} has no amount`);
  return f.amount;
}

export function table(s: PricingSnapshot, id: string): Record<string, number | string>[] {
  const f = figure(s, id);
  if (!f.table) throw new MissingFigureError(`pricing figure ${id} has no table`);
  return f.table;
}

export function figureRef(f: Figure): FigureRef {
  return {
    id: f.id,
    value: f.price !== undefined ? f.price : (f.tiers?.[0]?.price ?? f.amount ?? null),
    unit:
      f.price !== undefined || f.tiers
        ? `USD per ${f.per === 1 ? '' : `${f.per.toLocaleString('en-US')} `}${f.unit}`
        : f.unit,
    source: f.source,
    asOf: f.asOf,
    verify: f.verify,
    ...(f.note && { note: f.note }),
  };
}

/** How an unverified figure reads in an assumptions list. */
export function unverifiedLine(f: Figure): string {
  const r = figureRef(f);
  return `Unverified: ${f.id} = ${r.value ?? '?'} ${r.unit} (${f.verify}; ${f.source}; as of ${f.asOf})${f.note ? `: ${f.note}` : ''}`;
}
