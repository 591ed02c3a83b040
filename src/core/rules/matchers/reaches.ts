import type { Matcher } from '../sites';
import type { Condition } from '../types';

/**
 * `reaches: <condition>`: keeps the components whose code also reaches a place where the condition holds. `all`
 * intersects site conditions on one location; this asks about the component as a whole instead (password hashing
 * and token signing in the same login route, wherever each happens).
 */
export const reachesMatcher: Matcher = {
  name: 'reaches',
  role: 'filter',
  evaluate(value, _condition, ctx) {
    const inner = ctx.evaluate!(value as Condition);
    const ids = new Set<string>();
    if (inner.kind === 'sites') {
      for (const m of inner.matches) {
        let comps = m.site.component ? [m.site.component] : ctx.componentsOf(m.site);
        if (m.compOk) comps = comps.filter((id) => m.compOk!(ctx.components.get(id)!));
        for (const id of comps) ids.add(id);
      }
    } else {
      for (const c of ctx.components.values()) if (inner.ok(undefined, c)) ids.add(c.id);
    }
    return { kind: 'filter', scoped: true, ok: (_site, comp) => comp !== undefined && ids.has(comp.id) };
  },
};
