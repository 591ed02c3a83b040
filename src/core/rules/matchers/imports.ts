import { wildcard } from '../regex';
import type { Matcher } from '../sites';

/** `imports: <module>`: every import or require of it; `*` is a wildcard (`@aws-sdk/*`). `node:fs` and `fs` are one. */
export const importsMatcher: Matcher = {
  name: 'imports',
  role: 'site',
  evaluate(value, _condition, ctx) {
    const want = String(value).replace(/^node:/, '');
    const re = wildcard(want);
    const matches = ctx.index.imports
      .filter((s) => {
        const mod = String(s.attrs.module).replace(/^node:/, '');
        return re.test(mod) || re.test(String(s.attrs.package));
      })
      .map((site) => ({ site }));
    return { kind: 'sites', matches };
  },
};
