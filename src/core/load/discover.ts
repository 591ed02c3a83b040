import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import type { SkippedFile } from '../model';

export const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** Folders never descended into: dependencies, build output, coverage, vendored code, VCS metadata. */
export const EXCLUDED_DIRS = new Set([
  'node_modules',
  'dist',
  'build',
  'out',
  'coverage',
  'vendor',
  'third_party',
  '.git',
  '.hg',
  '.svn',
  '.next',
  '.nuxt',
  '.svelte-kit',
  '.turbo',
  '.cache',
  '.serverless',
  '.aws-sam',
  '.vercel',
  '.netlify',
  '.wrangler',
  'cdk.out',
  'bower_components',
  'jspm_packages',
]);

export interface DiscoverOptions {
  /** Extra ignore patterns (gitignore syntax), relative to the root. */
  exclude?: string[];
  /** Stop after this many source files; the rest is reported as skipped. */
  maxFiles?: number;
  /**
   * Only source files matching one of these globs (root-relative) are analysed; empty or absent means all.
   * Manifests (package.json, serverless.yml, ...) are always read: they describe the project, not its code.
   */
  include?: string[];
}

export interface Discovered {
  /** Root-relative '/'-separated paths of source files, sorted. */
  files: string[];
  /** Non-source files that detectors read: package.json, serverless.yml, template.yaml, tsconfig.json, ... */
  manifests: string[];
  skipped: SkippedFile[];
}

export const MANIFEST_NAMES = new Set([
  'package.json',
  'tsconfig.json',
  'jsconfig.json',
  'serverless.yml',
  'serverless.yaml',
  'template.yaml',
  'template.yml',
  'wrangler.toml',
  'wrangler.json',
  'wrangler.jsonc',
  'vercel.json',
  'netlify.toml',
]);

export function isSourceFile(name: string): boolean {
  if (name.endsWith('.d.ts') || name.endsWith('.d.mts') || name.endsWith('.d.cts')) return false;
  if (/\.min\.(c|m)?js$/.test(name)) return false;
  return SOURCE_EXTENSIONS.includes(path.extname(name));
}

/**
 * Walks the root once, honouring .gitignore files at every level, never following a symlink out of the root
 * or into a loop (real paths are tracked), and listing what it could not read with the reason.
 */
export function discover(root: string, options: DiscoverOptions = {}): Discovered {
  const files: string[] = [];
  const manifests: string[] = [];
  const skipped: SkippedFile[] = [];
  const maxFiles = options.maxFiles ?? Number.POSITIVE_INFINITY;
  const realRoot = fs.realpathSync(root);
  const seenDirs = new Set<string>();
  const base = ignore();
  if (options.exclude?.length) base.add(options.exclude);
  const included = options.include?.length ? picomatch(options.include, { dot: true }) : undefined;

  interface Frame {
    dir: string; // absolute
    rel: string; // root-relative, '' for the root
    ignores: { prefix: string; ig: Ignore }[];
  }
  const stack: Frame[] = [{ dir: realRoot, rel: '', ignores: [{ prefix: '', ig: base }] }];

  const isIgnored = (frame: Frame, rel: string, isDir: boolean): boolean => {
    for (const { prefix, ig } of frame.ignores) {
      const sub = prefix ? rel.slice(prefix.length + 1) : rel;
      if (!sub) continue;
      if (ig.ignores(isDir ? `${sub}/` : sub)) return true;
    }
    return false;
  };

  while (stack.length) {
    const frame = stack.pop()!;
    let real: string;
    try {
      real = fs.realpathSync(frame.dir);
    } catch (e) {
      skipped.push({ file: frame.rel || '.', reason: `unreadable folder: ${errCode(e)}` });
      continue;
    }
    if (seenDirs.has(real)) {
      skipped.push({ file: frame.rel, reason: 'symlink loop: this folder was already visited' });
      continue;
    }
    seenDirs.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(frame.dir, { withFileTypes: true });
    } catch (e) {
      skipped.push({ file: frame.rel || '.', reason: `unreadable folder: ${errCode(e)}` });
      continue;
    }
    let ignores = frame.ignores;
    const gi = entries.find((e) => e.name === '.gitignore' && e.isFile());
    if (gi) {
      try {
        const ig = ignore().add(fs.readFileSync(path.join(frame.dir, '.gitignore'), 'utf8'));
        ignores = [...ignores, { prefix: frame.rel, ig }];
      } catch {
        // An unreadable .gitignore only means we analyse a little more than asked.
      }
    }
    const here: Frame = { ...frame, ignores };
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: Frame[] = [];
    for (const entry of entries) {
      const rel = frame.rel ? `${frame.rel}/${entry.name}` : entry.name;
      const abs = path.join(frame.dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        let target: string;
        try {
          target = fs.realpathSync(abs);
        } catch {
          skipped.push({ file: rel, reason: 'broken symlink or symlink loop' });
          continue;
        }
        if (target !== realRoot && !target.startsWith(realRoot + path.sep)) {
          skipped.push({ file: rel, reason: 'symlink points outside the analysed folder' });
          continue;
        }
        try {
          const st = fs.statSync(target);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch (e) {
          skipped.push({ file: rel, reason: `unreadable symlink target: ${errCode(e)}` });
          continue;
        }
      }
      if (isDir) {
        if (EXCLUDED_DIRS.has(entry.name)) continue;
        if (isIgnored(here, rel, true)) continue;
        subdirs.push({ dir: abs, rel, ignores });
      } else if (isFile) {
        if (MANIFEST_NAMES.has(entry.name)) {
          if (!isIgnored(here, rel, false)) manifests.push(rel);
          continue;
        }
        if (!isSourceFile(entry.name)) continue;
        if (isIgnored(here, rel, false)) continue;
        if (included && !included(rel)) continue;
        if (files.length >= maxFiles) {
          skipped.push({ file: rel, reason: `file limit of ${maxFiles} source files reached` });
          continue;
        }
        files.push(rel);
      } else if (!isDir && isSourceFile(entry.name) && !isIgnored(here, rel, false)) {
        // A FIFO, socket or device named like a source file: reading it could block for ever.
        skipped.push({ file: rel, reason: 'not a regular file (a FIFO, socket or device)' });
      }
    }
    // Depth-first in name order, so that a file limit keeps the same files on every machine.
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }
  files.sort();
  manifests.sort();
  return { files, manifests, skipped };
}

export function errCode(e: unknown): string {
  if (e && typeof e === 'object' && 'code' in e && typeof e.code === 'string') return e.code;
  return e instanceof Error ? e.message : String(e);
}
