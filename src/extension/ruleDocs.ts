// Where a rule's documentation is: its YAML file (description, message, fix, links), built-in or the workspace's.
import * as path from 'node:path';
import { ruleFiles } from '../core/rules/files';

export class RuleDocs {
  private builtin: Map<string, string> | undefined;
  /** Custom folders, listed once per refresh (their files change while the user writes rules). */
  private readonly custom = new Map<string, Map<string, string>>();

  constructor(private readonly builtinDir: string) {}

  /** Forget the custom folders' listings: the next lookups read them again (once each). */
  reset(): void {
    this.custom.clear();
  }

  /** The rule file for an id: the workspace's custom folders first (as the engine loads them), then the catalogue. */
  find(id: string, customDirs: string[]): string | undefined {
    for (const d of customDirs) {
      let listing = this.custom.get(d);
      if (!listing) this.custom.set(d, (listing = walk(d)));
      const hit = listing.get(id);
      if (hit) return hit;
    }
    this.builtin ??= walk(this.builtinDir);
    return this.builtin.get(id);
  }
}

/** Rule files by id (the file name is the id; the first one wins, in the loader's order). */
function walk(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of ruleFiles(dir)) {
    const id = path.basename(p).replace(/\.ya?ml$/, '');
    if (!out.has(id)) out.set(id, p);
  }
  return out;
}
