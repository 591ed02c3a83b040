import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from '../ts';
import type { SkippedFile } from '../model';
import type { PathAlias } from '../scan/resolve';

export interface Manifests {
  /** Runtime dependencies of every package.json in the tree (name -> version range). */
  dependencies: Map<string, string>;
  devDependencies: Map<string, string>;
  /** Where each package.json was found (root-relative folder), for sizing node_modules. */
  packageDirs: string[];
  aliases: PathAlias[];
  /** Every package.json, parsed, by root-relative folder ('' for the root): detectors read them from here. */
  packageJsons: Map<string, Record<string, unknown>>;
  /** Workspace package name -> entry file, for monorepos importing their own packages. */
  workspacePackages: Map<string, string[]>;
}

function readJson(
  abs: string,
  rel: string,
  skipped: SkippedFile[],
  jsonc = false,
): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (e) {
    skipped.push({ file: rel, reason: `unreadable: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
    return undefined;
  }
  if (jsonc) {
    const r = ts.parseConfigFileTextToJson(rel, text);
    if (r.error) {
      skipped.push({ file: rel, reason: `invalid JSON: ${ts.flattenDiagnosticMessageText(r.error.messageText, ' ')}` });
      return undefined;
    }
    return r.config as Record<string, unknown>;
  }
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch (e) {
    skipped.push({ file: rel, reason: `invalid JSON: ${(e as Error).message}` });
    return undefined;
  }
}

/**
 * The name in the folder's own package.json, or undefined when it has none or it cannot be read (the skeletons name
 * their service after it; the CLI and the editor's export both ask here).
 */
export function packageName(root: string): string | undefined {
  const name = readJson(path.join(root, 'package.json'), 'package.json', [])?.name;
  return typeof name === 'string' && name ? name : undefined;
}

function entryOf(dir: string, pkg: Record<string, unknown>): string[] {
  const out: string[] = [];
  const join = (p: string): string => path.posix.normalize(dir ? `${dir}/${p}` : p).replace(/\.(c|m)?js$/, '');
  for (const k of ['source', 'types', 'main', 'module']) {
    const v = pkg[k];
    if (typeof v === 'string') out.push(join(v));
  }
  out.push(join('src/index'), join('index'));
  return out;
}

export function readManifests(root: string, manifests: string[], skipped: SkippedFile[]): Manifests {
  const dependencies = new Map<string, string>();
  const devDependencies = new Map<string, string>();
  const packageJsons = new Map<string, Record<string, unknown>>();
  const packageDirs: string[] = [];
  const aliases: PathAlias[] = [];
  const workspacePackages = new Map<string, string[]>();
  for (const rel of manifests) {
    const base = path.posix.basename(rel);
    const dir = path.posix.dirname(rel) === '.' ? '' : path.posix.dirname(rel);
    if (base === 'package.json') {
      const pkg = readJson(path.join(root, rel), rel, skipped);
      if (!pkg) continue;
      packageDirs.push(dir);
      packageJsons.set(dir, pkg);
      for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies']) {
        const deps = pkg[field];
        if (!deps || typeof deps !== 'object') continue;
        for (const [name, range] of Object.entries(deps as Record<string, unknown>)) {
          if (!dependencies.has(name)) dependencies.set(name, String(range));
        }
      }
      const dev = pkg.devDependencies;
      if (dev && typeof dev === 'object') {
        for (const [name, range] of Object.entries(dev as Record<string, unknown>)) {
          if (!devDependencies.has(name)) devDependencies.set(name, String(range));
        }
      }
      if (typeof pkg.name === 'string' && dir) {
        // Resolved lazily against the files found; the resolver probes extensions.
        workspacePackages.set(pkg.name, entryOf(dir, pkg));
      }
    } else if ((base === 'tsconfig.json' || base === 'jsconfig.json') && dir === '') {
      const cfg = readJson(path.join(root, rel), rel, skipped, true);
      const co = cfg?.compilerOptions as { baseUrl?: string; paths?: Record<string, string[]> } | undefined;
      if (!co?.paths) continue;
      const baseUrl = path.posix.normalize(co.baseUrl ?? '.');
      for (const [pattern, targets] of Object.entries(co.paths)) {
        if (!Array.isArray(targets)) continue;
        const star = pattern.indexOf('*');
        const split = (s: string): { prefix: string; suffix: string } => {
          const i = s.indexOf('*');
          const full = path.posix.normalize(`${baseUrl}/${i < 0 ? s : s.slice(0, i)}`);
          const prefix =
            i < 0 ? full : full === '.' ? '' : full.replace(/\/?$/, s.slice(0, i).endsWith('/') ? '/' : '');
          return { prefix, suffix: i < 0 ? '' : s.slice(i + 1) };
        };
        aliases.push({
          prefix: star < 0 ? pattern : pattern.slice(0, star),
          suffix: star < 0 ? '' : pattern.slice(star + 1),
          exact: star < 0,
          targets: targets.map(split),
        });
      }
    }
  }
  return { dependencies, devDependencies, packageDirs, packageJsons, aliases, workspacePackages };
}
