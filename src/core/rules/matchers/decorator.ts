import { wildcard } from '../regex';
import type { Matcher } from '../sites';
import { namesOf } from './calls';

/** `decorator: <name>`: `@Cron(...)`, or `@nestjs/schedule.Cron` to insist on where it comes from. */
export const decoratorMatcher: Matcher = {
  name: 'decorator',
  role: 'site',
  evaluate(value, _condition, ctx) {
    const re = wildcard(String(value).replace(/^@(?=[A-Z])/, ''));
    return {
      kind: 'sites',
      matches: ctx.index.decorators.filter((s) => namesOf(s).some((n) => re.test(n))).map((site) => ({ site })),
    };
  },
};
