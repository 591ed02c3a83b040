import { wildcard } from '../regex';
import type { Matcher } from '../sites';
import { namesOf } from './calls';

/** `new: <class>`: instantiations of `module.Class` (`pg.Pool`) or a local class name. */
export const newMatcher: Matcher = {
  name: 'new',
  role: 'site',
  evaluate(value, _condition, ctx) {
    const re = wildcard(String(value).replace(/^node:/, ''));
    return {
      kind: 'sites',
      matches: ctx.index.news.filter((s) => namesOf(s).some((n) => re.test(n))).map((site) => ({ site })),
    };
  },
};
