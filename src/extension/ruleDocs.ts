// Where a rule's documentation is: its YAML file (description, message, fix, links), built-in or the workspace's.
import * as fs from 'node:fs';
import * as path from 'node:path';

const MAX_FILES = 2000;

export class RuleDocs {
  private builtin: Map<string, string> | undefined;

  constructor(private readonly builtinDir: string) {}

  /** The rule file for an id: the workspace's custom folders first (as the engine loads them), then the catalogue. */
  find(id: string, customDirs: string[]): string | undefined {
    for (const d of customDirs) {
      const hit = walk(d).get(id);
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
