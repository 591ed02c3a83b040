import type { Matcher } from '../sites';
import { callsMatcher } from './calls';
import { componentMatcher } from './component';
import { decoratorMatcher } from './decorator';
import { factMatcher } from './fact';
import { fileMatcher } from './file';
import { importsMatcher } from './imports';
import { newMatcher } from './new';
import { reachesMatcher } from './reaches';

/** The `when` vocabulary: every matcher in one table (all / any / not are the engine's). */
export const MATCHERS: Record<string, Matcher> = Object.fromEntries(
  [
    factMatcher,
    importsMatcher,
    callsMatcher,
    newMatcher,
    decoratorMatcher,
    componentMatcher,
    fileMatcher,
    reachesMatcher,
  ].map((m) => [m.name, m]),
);
