// Where rule files are: one walk shared by the loader and the editor's rule links (a module of its own so that the
// extension can use it without loading the rules engine).
import * as fs from 'node:fs';
import * as path from 'node:path';

const MAX_RULE_FILES = 2000;

/** Every .yaml / .yml file under a folder, sorted, skipping pricing data and hidden folders; no symlinks. */
export function ruleFiles(dir: string, out: string[] = []): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (out.length >= MAX_RULE_FILES) break;
    const p = path.join(dir, e.name);
    if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'pricing' && e.name !== 'fixtures') ruleFiles(p, out);
    else if (e.isFile() && /\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}
