// Where a rule's documentation is: its YAML file (description, message, fix, links), built-in or the workspace's.
import * as fs from 'node:fs';
import * as path from 'node:path';

const MAX_FILES = 2000;

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

/** Rule files by id (the file name is the id), skipping pricing data, fixtures and hidden folders; no symlinks. */
function walk(dir: string, out = new Map<string, string>(), budget = { n: 0 }): Map<string, string> {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    if (budget.n++ > MAX_FILES) break;
    const p = path.join(dir, e.name);
    if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'pricing' && e.name !== 'fixtures')
      walk(p, out, budget);
    else if (e.isFile() && /\.ya?ml$/.test(e.name)) {
      const id = e.name.replace(/\.ya?ml$/, '');
      if (!out.has(id)) out.set(id, p);
    }
  }
  return out;
}
