import type { Component } from '../../model';
import { wildcard } from '../regex';
import type { Matcher } from '../sites';
import type { ComponentTest } from '../types';

function oneOf(want: string | string[] | undefined, have: string | undefined): boolean {
  if (want === undefined) return true;
  return (Array.isArray(want) ? want : [want]).includes(have ?? '');
}

export function componentMatches(t: ComponentTest, c: Component): boolean {
  if (!oneOf(t.kind, c.kind) || !oneOf(t.framework, c.framework)) return false;
  const tr = t.trigger;
  if (!tr) return true;
  const ct = c.trigger as Record<string, string | undefined>;
  if (tr.type !== undefined && ct.type !== tr.type) return false;
  if (tr.method !== undefined && (ct.method ?? '').toUpperCase() !== tr.method.toUpperCase()) return false;
  if (tr.path !== undefined && !wildcard(tr.path).test(ct.path ?? '')) return false;
  return true;
}

/**
 * `component: { kind, framework, trigger }`: keeps findings on matching components only. On its own (or with other
 * filters only) a rule applies to each matching component itself, at its registration.
 */
export const componentMatcher: Matcher = {
  name: 'component',
  role: 'filter',
  evaluate(value) {
    const t = value as ComponentTest;
    return { kind: 'filter', scoped: true, ok: (_site, comp) => comp !== undefined && componentMatches(t, comp) };
  },
};
