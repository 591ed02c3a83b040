import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The folder holding the package's package.json, found by walking up from `from`. Shipped data (rules/pricing) sits
 * there, and this works both from src/core/cost (tests, tsx) and from the single esbuild bundle in dist/.
 */
export function packageRoot(from: string = __dirname): string {
  let dir = path.resolve(from);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
}
