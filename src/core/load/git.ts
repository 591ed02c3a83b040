import * as fs from 'node:fs';
import * as path from 'node:path';

/** The version control state of an analysed folder: what a report names so that a reader can find the code again. */
export interface GitSource {
  /** The full object name HEAD points to (SHA-1, or SHA-256 in repositories that use it). */
  commit?: string;
  /** The branch HEAD is on; absent when HEAD is detached. */
  branch?: string;
}

const OBJECT_NAME = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
/** Symbolic refs may point at other symbolic refs; git itself stops at 5 levels. */
const MAX_REF_DEPTH = 5;

/**
 * The commit and branch of the git checkout that holds `root` (the folder itself or one of its parents, as git finds
 * it), read from the files git keeps: never by running git, which may be missing, slow or configured to run hooks and
 * filters from the analysed repository. Anything missing or unexpected gives `undefined` (or leaves a field out);
 * it never throws, since the report is worth more than this line of it.
 */
export function readGitSource(root: string): GitSource | undefined {
  try {
    const gitDir = findGitDir(path.resolve(root));
    if (!gitDir) return undefined;
    const commonDir = readCommonDir(gitDir);
    const head = readText(path.join(gitDir, 'HEAD'))?.trim();
    if (!head) return undefined;
    if (OBJECT_NAME.test(head)) return { commit: head };
    const ref = symbolicRef(head);
    if (!ref) return undefined;
    const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
    const commit = resolveRef(gitDir, commonDir, ref, 0);
    if (!commit && !branch) return undefined;
    return { ...(commit ? { commit } : {}), ...(branch ? { branch } : {}) };
  } catch {
    return undefined;
  }
}

/**
 * The nearest `.git` from `dir` up: a folder (a normal checkout) or a file `gitdir: <path>` (a linked worktree or a
 * submodule), whose path is relative to the folder holding the file.
 */
function findGitDir(dir: string): string | undefined {
  for (let at = dir; ;) {
    const dotGit = path.join(at, '.git');
    const stat = statOf(dotGit);
    if (stat?.isDirectory()) return dotGit;
    if (stat?.isFile()) {
      const m = /^gitdir:\s*(.+?)\s*$/m.exec(readText(dotGit) ?? '');
      if (!m) return undefined;
      const target = path.resolve(at, m[1]!);
      return statOf(target)?.isDirectory() ? target : undefined;
    }
    const up = path.dirname(at);
    if (up === at) return undefined;
    at = up;
  }
}

/** A worktree's own folder holds HEAD; branches and packed-refs live in the main repository's (its `commondir`). */
function readCommonDir(gitDir: string): string {
  const rel = readText(path.join(gitDir, 'commondir'))?.trim();
  if (!rel) return gitDir;
  const dir = path.resolve(gitDir, rel);
  return statOf(dir)?.isDirectory() ? dir : gitDir;
}

/** `ref: refs/heads/main` -> `refs/heads/main`, refusing names that would lead out of the git folder. */
function symbolicRef(text: string): string | undefined {
  const m = /^ref:\s*(\S+)$/.exec(text);
  const ref = m?.[1];
  if (!ref || !ref.startsWith('refs/') || ref.split('/').some((p) => p === '..' || p === '.' || p === ''))
    return undefined;
  return ref;
}

function resolveRef(gitDir: string, commonDir: string, ref: string, depth: number): string | undefined {
  if (depth > MAX_REF_DEPTH) return undefined;
  for (const dir of gitDir === commonDir ? [gitDir] : [gitDir, commonDir]) {
    const text = readText(path.join(dir, ...ref.split('/')))?.trim();
    if (!text) continue;
    if (OBJECT_NAME.test(text)) return text;
    const next = symbolicRef(text);
    return next ? resolveRef(gitDir, commonDir, next, depth + 1) : undefined;
  }
  // Refs that git has packed: `<object name> <ref>` lines, `^<object name>` for peeled tags, `#` for the header.
  const packed = readText(path.join(commonDir, 'packed-refs'));
  for (const line of packed?.split('\n') ?? []) {
    const [name, r] = line.trim().split(' ');
    if (r === ref && name && OBJECT_NAME.test(name)) return name;
  }
  return undefined;
}

function statOf(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}

function readText(p: string): string | undefined {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

/** The report's `source` field: present only when something was read, so reports outside git keep their shape. */
export function gitSourceField(root: string): { source?: GitSource } {
  const source = readGitSource(root);
  return source ? { source } : {};
}
