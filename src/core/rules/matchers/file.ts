import picomatch from 'picomatch';
import type { Matcher } from '../sites';

/** `file: <glob>`: sites in files matching the glob (root-relative, `src/scripts/**`). */
export const fileMatcher: Matcher = {
  name: 'file',
  role: 'filter',
  evaluate(value) {
    const isMatch = picomatch(String(value), { dot: true });
    return { kind: 'filter', ok: (site, comp) => isMatch(site?.file ?? comp?.location.file ?? '') };
  },
};
