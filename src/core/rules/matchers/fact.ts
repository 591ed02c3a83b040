import { safeTest } from '../regex';
import type { Matcher } from '../sites';
import type { AttrTest } from '../types';

/** `fact: <name>` with optional `attrs: { key: value | { matches: regex } }`. */
export const factMatcher: Matcher = {
  name: 'fact',
  role: 'site',
  evaluate(value, condition, ctx) {
    const attrs = (condition.attrs ?? {}) as Record<string, AttrTest>;
    const tests = Object.entries(attrs);
    const sites = ctx.index.facts.get(String(value)) ?? [];
    const matches = sites
      .filter((s) =>
        tests.every(([k, t]) => {
          const v = s.attrs[k];
          if (v === undefined) return false;
          if (t !== null && typeof t === 'object') return safeTest(t.matches, String(v));
          return String(v) === String(t);
        }),
      )
      .map((site) => ({ site }));
    return { kind: 'sites', matches };
  },
};
