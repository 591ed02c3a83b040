import { wildcard } from '../regex';
import type { Matcher } from '../sites';

/**
 * `calls: <callee>`: calls whose callee is `module.export` of an import (`child_process.spawn`, `fs.*`,
 * `execa`) or a local name (`sendMail`, `this.repo.save` as written). Only the call sites of the patterns that
 * rules use are recorded during the scan.
 */
export const callsMatcher: Matcher = {
  name: 'calls',
  role: 'site',
  evaluate(value, _condition, ctx) {
    const re = wildcard(String(value).replace(/^node:/, ''));
    return {
      kind: 'sites',
      matches: ctx.index.calls.filter((s) => namesOf(s).some((n) => re.test(n))).map((site) => ({ site })),
    };
  },
};

export function namesOf(s: { attrs: Record<string, string | number | boolean> }): string[] {
  return String(s.attrs.names ?? '')
    .split('\n')
    .filter(Boolean);
}
