import { builtinModules } from 'node:module';
import * as path from 'node:path';
import type { Component, DeployedProcess } from '../model';
import type { ProjectIndex } from '../scan/project';
import type { Resolver } from '../scan/resolve';

// The processes a codebase deploys today. An entry is a file that starts a process: the root package.json's `main`,
// `bin` and the files its scripts run with node / tsx / ts-node / nodemon, then any source file that no other
// (non-test) file imports. A component runs in the first entry, in that order, whose imports reach its file.
// Existing functions (Lambda, Workers, Vercel, Netlify handlers) are deployed on their own, not in a process; Next.js
// route handlers are one Next.js app.

const BUILTINS = new Set(builtinModules);

/** More entry files than this are not followed (each costs a walk of the import graph). */
const MAX_ENTRIES = 64;

const TESTISH =
  /(^|\/)(test|tests|__tests__|__mocks__|spec|e2e|cypress|fixtures?)\/|\.(test|spec|stories)\.[cm]?[jt]sx?$/;
const BUILD_DIRS = /^(dist|build|lib|out|\.build)\//;
const SOURCE_EXTS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** The analysed source file a built or given path stands for: `dist/server.js` -> `src/server.ts`. */
function sourceFor(project: ProjectIndex, given: string): string | undefined {
  const p = path.posix.normalize(given.replace(/^\.\//, ''));
  const stem = p.replace(/\.[cm]?[jt]sx?$/, '');
  const stems = [stem];
  if (BUILD_DIRS.test(stem)) {
    const rest = stem.replace(BUILD_DIRS, '');
    stems.push(`src/${rest}`, rest);
  }
  if (project.files.has(p)) return p;
  for (const s of stems) {
    for (const e of SOURCE_EXTS) if (project.files.has(s + e)) return s + e;
    for (const e of SOURCE_EXTS) if (project.files.has(`${s}/index${e}`)) return `${s}/index${e}`;
  }
  return undefined;
}

/** Files the root package.json starts, in order, with why. */
function packageEntries(project: ProjectIndex): { file: string; basis: string }[] {
  const pkg = project.packageJsons.get('');
  if (!pkg) return [];
  const out: { file: string; basis: string }[] = [];
  const add = (p: unknown, basis: string): void => {
    if (typeof p !== 'string') return;
    const file = sourceFor(project, p);
    if (file && !out.some((o) => o.file === file)) out.push({ file, basis });
  };
  add(pkg.main, 'package.json main');
  const scripts = (pkg.scripts ?? {}) as Record<string, unknown>;
  for (const name of [
    'start',
    ...Object.keys(scripts)
      .filter((n) => n !== 'start')
      .sort(),
  ]) {
    const cmd = scripts[name];
    if (typeof cmd !== 'string') continue;
    for (const m of cmd.matchAll(
      /\b(?:node|tsx|ts-node|ts-node-dev|nodemon|bun)\b(?:\s+(?:watch|--?[\w-]+(?:[= ][^\s-][^\s]*)?))*\s+([\w./@-]+\.[cm]?[jt]sx?)\b/g,
    ))
      add(m[1], `package.json scripts.${name}`);
  }
  const bin = pkg.bin;
  if (typeof bin === 'string') add(bin, 'package.json bin');
  else if (bin && typeof bin === 'object') for (const v of Object.values(bin)) add(v, 'package.json bin');
  return out;
}

function nameOf(project: ProjectIndex, file: string, basis: string): string {
  const pkgName = project.packageJsons.get('')?.name;
  if (basis === 'package.json main' && typeof pkgName === 'string' && pkgName) return pkgName;
  const base = path.posix.basename(file).replace(/\.[cm]?[jt]sx?$/, '');
  if (base === 'index' || base === 'main') {
    const dir = path.posix.basename(path.posix.dirname(file));
    if (dir && dir !== '.' && dir !== 'src') return dir;
    return typeof pkgName === 'string' && pkgName ? pkgName : base;
  }
  return base;
}

export function deployedProcesses(
  project: ProjectIndex,
  resolver: Resolver,
  components: readonly Component[],
): DeployedProcess[] {
  const placed = components.filter((c) => c.kind !== 'function' && c.kind !== 'cli');
  if (!placed.length) return [];
  const processes: DeployedProcess[] = [];
  const nextApp = placed.filter((c) => c.framework === 'nextjs');
  if (nextApp.length) {
    processes.push({
      id: 'process:nextjs',
      name: 'Next.js app',
      basis: 'Next.js file-system routes',
      components: nextApp.map((c) => c.id),
    });
  }
  const rest = placed.filter((c) => c.framework !== 'nextjs');
  if (!rest.length) return processes;

  // The import graph of the analysed files.
  const deps = new Map<string, string[]>();
  const imported = new Set<string>();
  // Installed packages and built-ins are not analysed files: no need to ask the resolver about them. Packages of the
  // same workspace are (they are dependencies too).
  const local = new Set<unknown>([...project.packageJsons.values()].map((p) => p.name));
  const external = (spec: string): boolean => {
    if (spec.startsWith('node:')) return true;
    const parts = spec.split('/');
    const name = spec.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
    if (local.has(name)) return false;
    return project.dependencies.has(name) || project.devDependencies.has(name) || BUILTINS.has(name);
  };
  for (const fi of project.files.values()) {
    const out = new Set<string>();
    for (const m of fi.modules) {
      const c = m.module.charCodeAt(0);
      if (c !== 46 /* . */ && c !== 47 /* / */ && external(m.module)) continue;
      const target = resolver.resolveModule(fi.file, m.module);
      if (target && target !== fi.file) out.add(target);
    }
    deps.set(fi.file, [...out]);
    if (!TESTISH.test(fi.file)) for (const t of out) imported.add(t);
  }
  const entries = packageEntries(project);
  const roots = [...project.files.keys()]
    .filter((f) => !imported.has(f) && !TESTISH.test(f) && !f.endsWith('.d.ts'))
    .filter((f) => !entries.some((e) => e.file === f))
    .sort()
    .map((file) => ({ file, basis: 'not imported by other files' }));

  const componentFiles = new Map<string, Component[]>();
  for (const c of rest) {
    const list = componentFiles.get(c.location.file) ?? [];
    list.push(c);
    componentFiles.set(c.location.file, list);
  }
  const assigned = new Map<string, string>();
  // One walk for all entries, in order: a file an earlier entry reached was explored in full then, so what a later
  // entry reaches through it is already assigned, and its walk can stop there.
  const seen = new Set<string>();
  for (const entry of [...entries, ...roots].slice(0, MAX_ENTRIES)) {
    if (seen.has(entry.file)) continue;
    seen.add(entry.file);
    const queue = [entry.file];
    const mine: Component[] = [];
    while (queue.length) {
      const f = queue.pop()!;
      for (const c of componentFiles.get(f) ?? []) if (!assigned.has(c.id)) mine.push(c);
      for (const d of deps.get(f) ?? []) {
        if (!seen.has(d)) {
          seen.add(d);
          queue.push(d);
        }
      }
    }
    if (!mine.length) continue;
    const id = `process:${entry.file}`;
    for (const c of mine) assigned.set(c.id, id);
    processes.push({
      id,
      name: nameOf(project, entry.file, entry.basis),
      entry: entry.file,
      basis: entry.basis,
      components: rest.filter((c) => assigned.get(c.id) === id).map((c) => c.id),
    });
  }
  const orphans = rest.filter((c) => !assigned.has(c.id));
  if (orphans.length) {
    const pkgName = project.packageJsons.get('')?.name;
    processes.push({
      id: 'process:app',
      name: typeof pkgName === 'string' && pkgName ? pkgName : 'app',
      basis: 'no entry file was found that loads these components',
      components: orphans.map((c) => c.id),
    });
  }
  return processes;
}
