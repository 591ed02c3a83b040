import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { isNode, type Document, type LineCounter } from 'yaml';
import { packageRoot } from '../packageRoot';
import { parseYamlText } from '../yamlText';
import { ruleFiles } from './files';
import { KNOWN_FACTS } from './facts';
import { MATCHERS } from './matchers/registry';
import { checkGlob, checkRegex } from './regex';
import type { Condition, Problem, Rule } from './types';

const MAX_RULE_BYTES = 256 * 1024;

export interface RuleSet {
  rules: Rule[];
  problems: Problem[];
}

export interface LoadRulesOptions {
  /** The built-in catalogue; defaults to the package's rules/ folder. Pass null to load none. */
  builtinDir?: string | null;
  /** Folders of custom rules (a workspace's .serverless-advisor/rules, the CLI's --rules). */
  userDirs?: string[];
  /** How file names appear in problems: relative to this folder when under it. */
  displayRoot?: string;
}

let validator: ValidateFunction | undefined;
function validate(): ValidateFunction {
  if (validator) return validator;
  const schema = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'rules', 'schema.json'), 'utf8')) as object;
  const ajv = new Ajv({ allErrors: true, strict: false });
  return (validator = ajv.compile(schema));
}

export function builtinRulesDir(): string {
  return path.join(packageRoot(), 'rules');
}

/**
 * Loads the built-in rules, then each custom folder's. A broken file (bad YAML, unknown field, wrong type, unknown
 * matcher or fact, unsafe regex, duplicate id) is reported with its file, line and column; the others still load.
 */
export function loadRules(options: LoadRulesOptions = {}): RuleSet {
  const rules: Rule[] = [];
  const problems: Problem[] = [];
  const seen = new Map<string, string>();
  const display = (abs: string): string => {
    const root = options.displayRoot;
    const rel = root ? path.relative(root, abs) : '';
    return root && rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : abs;
  };
  const builtinDir = options.builtinDir === undefined ? builtinRulesDir() : options.builtinDir;
  const sources: { dir: string; builtin: boolean }[] = [];
  if (builtinDir) sources.push({ dir: builtinDir, builtin: true });
  for (const d of options.userDirs ?? []) sources.push({ dir: d, builtin: false });
  for (const { dir, builtin } of sources) {
    for (const abs of ruleFiles(dir)) {
      const file = builtin ? `rules/${path.relative(dir, abs).split(path.sep).join('/')}` : display(abs);
      const r = loadRuleFile(abs, file, builtin);
      problems.push(...r.problems);
      if (!r.rule) continue;
      const prev = seen.get(r.rule.id);
      if (prev) {
        problems.push({
          ...r.idPos!,
          file,
          message: `duplicate rule id '${r.rule.id}': ${prev} already defines it; rename one of them`,
        });
        continue;
      }
      seen.set(r.rule.id, file);
      rules.push(r.rule);
    }
  }
  return { rules, problems };
}

/** Built-in rule files parsed once per process, keyed by path and modification time. */
const parsed = new Map<string, { mtime: number; result: ReturnType<typeof loadRuleFileUncached> }>();

export function loadRuleFile(abs: string, file: string, builtin: boolean): ReturnType<typeof loadRuleFileUncached> {
  if (!builtin) return loadRuleFileUncached(abs, file, builtin);
  let mtime = -1;
  try {
    mtime = fs.statSync(abs).mtimeMs;
  } catch {
    // reported by the load
  }
  const hit = parsed.get(abs);
  if (hit && hit.mtime === mtime) return hit.result;
  const result = loadRuleFileUncached(abs, file, builtin);
  parsed.set(abs, { mtime, result });
  return result;
}

function loadRuleFileUncached(
  abs: string,
  file: string,
  builtin: boolean,
): { rule?: Rule; problems: Problem[]; idPos?: { line: number; column: number } } {
  const at = (line: number, column: number, message: string): Problem => ({ file, line, column, message });
  let text: string;
  try {
    const st = fs.statSync(abs);
    if (st.size > MAX_RULE_BYTES)
      return { problems: [at(1, 1, `rule file is ${st.size} bytes; the limit is ${MAX_RULE_BYTES}`)] };
    text = fs.readFileSync(abs, 'utf8');
  } catch (e) {
    return { problems: [at(1, 1, `cannot read the rule file: ${(e as Error).message}`)] };
  }
  const { doc, lineCounter: lc, errors } = parseYamlText(text);
  if (errors.length) {
    return { problems: errors.map((e) => at(e.line, e.column, `invalid YAML: ${e.message}`)) };
  }
  const posOf = (p: (string | number)[]): { line: number; column: number } => {
    for (let n = p.length; n >= 0; n--) {
      const node = doc.getIn(p.slice(0, n), true);
      if (isNode(node) && node.range) {
        const pos = lc.linePos(node.range[0]);
        return { line: pos.line, column: pos.col };
      }
      // A key's own position reads better for missing or mistyped values.
      const keyPos = keyPosition(doc, p.slice(0, n), lc);
      if (keyPos) return keyPos;
    }
    return { line: 1, column: 1 };
  };
  // An unknown field or matcher is pointed at by its name, not its value.
  const keyPosOf = (p: (string | number)[]): { line: number; column: number } => keyPosition(doc, p, lc) ?? posOf(p);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    return { problems: [at(1, 1, `invalid YAML: ${(e as Error).message}`)] };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return {
      problems: [
        at(1, 1, 'a rule file holds one mapping (id, description, hazard, severity, when, effect, message, fix)'),
      ],
    };
  }
  const problems: Problem[] = [];
  // The `when` tree gets its own checker: ajv's oneOf errors would not say which matcher is unknown.
  const obj = value as Record<string, unknown>;
  if ('when' in obj) {
    for (const p of checkCondition(obj.when, ['when'])) {
      problems.push({
        file,
        ...(p.message.startsWith('unknown matcher') ? keyPosOf(p.path) : posOf(p.path)),
        message: p.message,
      });
    }
  }
  const whenChecked = problems.length > 0;
  const v = validate();
  if (!v(value)) {
    const errors = usefulErrors(v.errors ?? []);
    for (const e of errors) {
      const p = pathOf(e);
      if (p[0] === 'when') continue;
      problems.push({
        file,
        ...(e.keyword === 'additionalProperties' ? keyPosOf(p) : posOf(p)),
        message: describe(e, p),
      });
    }
    // The `when` tree's own checker speaks for it (ajv's oneOf lists every branch). Should the schema still refuse a
    // tree that checker let through, the deepest of ajv's complaints says where: a rule never loads against it.
    const inWhen = errors.filter((e) => pathOf(e)[0] === 'when');
    if (!whenChecked && inWhen.length) {
      const e = inWhen.reduce((a, b) => (pathOf(b).length > pathOf(a).length ? b : a));
      const p = pathOf(e);
      problems.push({
        file,
        ...(e.keyword === 'additionalProperties' ? keyPosOf(p) : posOf(p)),
        message: describe(e, p),
      });
    }
  }
  const idPos = posOf(['id']);
  const expected = path.basename(abs).replace(/\.ya?ml$/, '');
  if (typeof obj.id === 'string' && obj.id !== expected) {
    problems.push({
      file,
      ...idPos,
      message: `the id '${obj.id}' differs from the file name '${expected}'; rename one so they match`,
    });
  }
  if (problems.length) return { problems };
  const rule = { ...(value as Omit<Rule, 'source' | 'builtin'>), source: file, builtin };
  rule.effect ??= {};
  return { rule, problems, idPos };
}

function keyPosition(
  doc: Document,
  p: (string | number)[],
  lc: LineCounter,
): { line: number; column: number } | undefined {
  if (!p.length) return undefined;
  const parent = doc.getIn(p.slice(0, -1), true) as { items?: { key?: unknown }[] } | undefined;
  const key = p[p.length - 1];
  const pair = parent?.items?.find((it) => isNode(it.key) && (it.key as { value?: unknown }).value === key);
  if (pair && isNode(pair.key) && pair.key.range) {
    const pos = lc.linePos(pair.key.range[0]);
    return { line: pos.line, column: pos.col };
  }
  return undefined;
}

function pathOf(e: ErrorObject): (string | number)[] {
  const parts = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  if (e.keyword === 'additionalProperties') parts.push((e.params as { additionalProperty: string }).additionalProperty);
  return parts;
}

/** Keeps the errors a person can act on: drops the echoes of oneOf branches. */
function usefulErrors(errors: ErrorObject[]): ErrorObject[] {
  const out: ErrorObject[] = [];
  for (const e of errors) {
    if (e.keyword === 'oneOf' || e.keyword === 'if') continue;
    if (out.some((o) => o.instancePath === e.instancePath && o.keyword === e.keyword)) continue;
    out.push(e);
  }
  return out;
}

function describe(e: ErrorObject, p: (string | number)[]): string {
  const where = p.length ? `'${p.join('.')}'` : 'the rule';
  switch (e.keyword) {
    case 'additionalProperties':
      return `unknown field ${where}; the fields are id, description, hazard, severity, when, effect (votes, blocks, effort), message, fix, links`;
    case 'required':
      return `missing field '${(e.params as { missingProperty: string }).missingProperty}'${p.length ? ` in ${where}` : ''}`;
    case 'enum':
      return `${where} must be one of: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    case 'type':
      return `${where} must be ${(e.params as { type: string }).type}`;
    case 'pattern':
      return p[0] === 'id'
        ? `${where} must be kebab-case (lower-case words joined by '-')`
        : `${where} ${e.message ?? 'is malformed'}`;
    default:
      return `${where} ${e.message ?? 'is invalid'}`;
  }
}

/** Checks a `when` tree: known matchers, known facts, safe regular expressions and file globs. */
export function checkCondition(c: unknown, at: (string | number)[]): { path: (string | number)[]; message: string }[] {
  const out: { path: (string | number)[]; message: string }[] = [];
  const names = ['all', 'any', 'not', ...Object.keys(MATCHERS)];
  if (!c || typeof c !== 'object' || Array.isArray(c)) {
    return [{ path: at, message: `a condition is a mapping with one of: ${names.join(', ')}` }];
  }
  const keys = Object.keys(c);
  const obj = c as Record<string, unknown>;
  const main = keys.filter((k) => names.includes(k));
  const unknown = keys.filter((k) => !names.includes(k) && !(k === 'attrs' && 'fact' in obj));
  for (const k of unknown)
    out.push({ path: [...at, k], message: `unknown matcher '${k}'; use one of: ${names.join(', ')}` });
  if (unknown.length) return out;
  if (main.length !== 1) {
    return [
      {
        path: at,
        message: `a condition has exactly one matcher, here: ${main.join(', ')}; combine them with all: [...] or any: [...]`,
      },
    ];
  }
  const k = main[0]!;
  const v = obj[k];
  if (k === 'all' || k === 'any') {
    if (!Array.isArray(v) || !v.length)
      return [{ path: [...at, k], message: `'${k}' takes a non-empty list of conditions` }];
    v.forEach((item, i) => out.push(...checkCondition(item, [...at, k, i])));
    return out;
  }
  if (k === 'not' || k === 'reaches') return checkCondition(v, [...at, k]);
  if (k === 'component') {
    if (!v || typeof v !== 'object')
      return [{ path: [...at, k], message: `'component' takes { kind, framework, trigger }` }];
    return out; // the schema checks its fields
  }
  if (typeof v !== 'string' || !v) return [{ path: [...at, k], message: `'${k}' takes a non-empty string` }];
  if (k === 'file') {
    const err = checkGlob(v, { slashes: true });
    if (err) out.push({ path: [...at, k], message: err });
  }
  if (k === 'fact') {
    if (!KNOWN_FACTS.has(v)) {
      out.push({ path: [...at, k], message: `unknown fact '${v}'; run 'serverless-advisor rules facts' for the list` });
    }
    const attrs = obj.attrs;
    if (attrs !== undefined) {
      if (!attrs || typeof attrs !== 'object' || Array.isArray(attrs)) {
        out.push({
          path: [...at, 'attrs'],
          message: "'attrs' maps attribute names to a value or { matches: <regex> }",
        });
      } else {
        for (const [name, test] of Object.entries(attrs as Record<string, unknown>)) {
          const scalar = typeof test === 'string' || typeof test === 'number' || typeof test === 'boolean';
          const isPattern =
            !!test &&
            typeof test === 'object' &&
            !Array.isArray(test) &&
            Object.keys(test).length === 1 &&
            typeof (test as { matches?: unknown }).matches === 'string';
          if (!scalar && !isPattern) {
            out.push({
              path: [...at, 'attrs', name],
              message: `attribute '${name}' takes a value (string, number, true or false) or { matches: <regex> }`,
            });
          } else if (isPattern) {
            const err = checkRegex((test as { matches: string }).matches);
            if (err) out.push({ path: [...at, 'attrs', name, 'matches'], message: err });
          }
        }
      }
    }
  }
  return out;
}

export type { Condition };
