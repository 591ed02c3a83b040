import type { Detector, FileContext } from '../scan/detector';
import { locationOf, evidenceOf } from '../scan/project';
import { ts } from '../ts';
import { wildcard, type Wildcard } from './regex';
import type { Site } from './sites';
import type { Condition, Rule } from './types';

const SK = ts.SyntaxKind;

export const RULE_SITES = 'rule-sites';

interface Patterns {
  calls: Wildcard[];
  news: Wildcard[];
  decorators: Wildcard[];
}

function collect(c: Condition, p: Patterns): void {
  if ('all' in c) c.all.forEach((x) => collect(x, p));
  else if ('any' in c) c.any.forEach((x) => collect(x, p));
  else if ('not' in c) collect(c.not, p);
  else if ('reaches' in c) collect(c.reaches, p);
  else if ('calls' in c) p.calls.push(wildcard(c.calls.replace(/^node:/, '')));
  else if ('new' in c) p.news.push(wildcard(c.new.replace(/^node:/, '')));
  else if ('decorator' in c) p.decorators.push(wildcard(c.decorator.replace(/^@(?=[A-Z])/, '')));
}

/** The names a callee goes by: `module.export` when imported, and the code as written (`a.b.c`). */
export function calleeNames(ctx: FileContext, expr: ts.Expression): string[] {
  const names: string[] = [];
  const imp = ctx.importOf(expr);
  if (imp) {
    const mod = imp.module.replace(/^node:/, '');
    names.push(imp.name === 'default' || imp.name === '*' ? mod : `${mod}.${imp.name}`);
  }
  let e: ts.Expression = expr;
  const parts: string[] = [];
  while (e.kind === SK.PropertyAccessExpression && parts.length < 6) {
    parts.unshift((e as ts.PropertyAccessExpression).name.text);
    e = (e as ts.PropertyAccessExpression).expression;
  }
  if (e.kind === SK.Identifier) parts.unshift((e as ts.Identifier).text);
  else if (e.kind === SK.ThisKeyword) parts.unshift('this');
  else return names;
  const text = parts.join('.');
  if (!names.includes(text)) names.push(text);
  return names;
}

/**
 * Records the calls, instantiations and decorators that the loaded rules ask for, during the same single pass:
 * only when some rule uses `calls:`, `new:` or `decorator:`, and only the sites that match.
 */
export function ruleSitesDetector(rules: readonly Rule[]): Detector | undefined {
  const p: Patterns = { calls: [], news: [], decorators: [] };
  for (const r of rules) collect(r.when, p);
  if (!p.calls.length && !p.news.length && !p.decorators.length) return undefined;
  // Cheap prefilter: a callee is worth naming in full only if its own last name could end a pattern, or if it
  // comes from an import (whose module-level name, `execa` or `fs.writeFile`, may be what a pattern names).
  const lastNames = new Set<string>();
  let wildLast = false;
  for (const { glob } of [...p.calls, ...p.news, ...p.decorators]) {
    const last = glob.slice(glob.lastIndexOf('.') + 1);
    if (last.includes('*')) wildLast = true;
    else lastNames.add(last);
  }
  const worthNaming = (ctx: FileContext, expr: ts.Expression): boolean => {
    if (wildLast) return true;
    let e = expr;
    if (e.kind === SK.PropertyAccessExpression && lastNames.has((e as ts.PropertyAccessExpression).name.text))
      return true;
    if (e.kind === SK.Identifier && lastNames.has((e as ts.Identifier).text)) return true;
    while (e.kind === SK.PropertyAccessExpression) e = (e as ts.PropertyAccessExpression).expression;
    return e.kind === SK.Identifier && ctx.index.imports.has((e as ts.Identifier).text);
  };
  const kinds: ts.SyntaxKind[] = [];
  if (p.calls.length) kinds.push(SK.CallExpression);
  if (p.news.length) kinds.push(SK.NewExpression);
  if (p.decorators.length) kinds.push(SK.Decorator);
  const record = (ctx: FileContext, list: 'calls' | 'news' | 'decorators', node: ts.Node, names: string[]): void => {
    const location = locationOf(ctx.sf, node, ctx.file);
    const site: Site = {
      key: `${ctx.file}:${location.line}:${location.column}`,
      file: ctx.file,
      location: { file: location.file, line: location.line, column: location.column },
      evidence: evidenceOf(ctx.sf, node),
      owner: ctx.unit(),
      pos: node.pos,
      end: node.end,
      attrs: { names: names.join('\n'), callee: names[0] ?? '' },
    };
    const recorded = ctx.data<Record<'calls' | 'news' | 'decorators', Site[]>>(() => ({
      calls: [],
      news: [],
      decorators: [],
    }));
    recorded[list].push(site);
  };
  return {
    id: RULE_SITES,
    kinds,
    visit(node, ctx) {
      if (node.kind === SK.CallExpression) {
        if (!worthNaming(ctx, (node as ts.CallExpression).expression)) return;
        const names = calleeNames(ctx, (node as ts.CallExpression).expression);
        if (names.some((n) => p.calls.some((re) => re.test(n)))) record(ctx, 'calls', node, names);
      } else if (node.kind === SK.NewExpression) {
        if (!worthNaming(ctx, (node as ts.NewExpression).expression)) return;
        const names = calleeNames(ctx, (node as ts.NewExpression).expression);
        if (names.some((n) => p.news.some((re) => re.test(n)))) record(ctx, 'news', node, names);
      } else if (node.kind === SK.Decorator) {
        let e = (node as ts.Decorator).expression;
        if (e.kind === SK.CallExpression) e = (e as ts.CallExpression).expression;
        const names = calleeNames(ctx, e);
        if (names.some((n) => p.decorators.some((re) => re.test(n)))) record(ctx, 'decorators', node, names);
      }
    },
  };
}
