import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { ts } from '../ts';
import type { Detector, FileContext, LinkContext } from '../scan/detector';
import type { ProjectIndex } from '../scan/project';
import { Resolver } from '../scan/resolve';
import { HEAVY_PACKAGES_AS_OF, heavyPackage } from './data/heavyPackages';
import { NATIVE_PACKAGES_AS_OF, nativePackage } from './data/nativePackages';

/** Read once: the compiler API's exports are getters, too slow for per-node checks. */
const SK = ts.SyntaxKind;

/** An install counts as heavy from here (either figure). */
export const HEAVY_BYTES = 5 * 1024 * 1024;
export const HEAVY_FILES = 1000;
/** Above this the finding is a warning: it alone eats a good part of a cold start and of the package limits. */
export const HEAVY_WARNING_BYTES = 50 * 1024 * 1024;
/** The size walk stops here, so a huge node_modules cannot stall the analysis. */
export const MAX_WALK_FILES = 50_000;

const BUILTINS = new Set(builtinModules);

/** A module loaded by one import site: the static ones come from the file index, dynamic `import()` from visit. */
export interface ImportSite {
  module: string;
  node: ts.Node;
  unit: number;
}

/**
 * True when the import is erased by the compiler: `import type`, `export type ... from`, `import type x = require()`,
 * and imports whose every name is `type`-marked (TypeScript elides those unless verbatimModuleSyntax is on).
 */
export function isTypeOnlyImport(node: ts.Node): boolean {
  if (ts.isImportDeclaration(node)) {
    const clause = node.importClause;
    if (!clause) return false;
    if (clause.isTypeOnly) return true;
    if (clause.name) return false;
    const nb = clause.namedBindings;
    return !!nb && ts.isNamedImports(nb) && nb.elements.length > 0 && nb.elements.every((e) => e.isTypeOnly);
  }
  if (ts.isExportDeclaration(node)) {
    if (node.isTypeOnly) return true;
    const ec = node.exportClause;
    return !!ec && ts.isNamedExports(ec) && ec.elements.length > 0 && ec.elements.every((e) => e.isTypeOnly);
  }
  if (ts.isImportEqualsDeclaration(node)) return node.isTypeOnly;
  return false;
}

/** `import('x')` with a literal specifier: the module it loads. */
export function dynamicImportModule(node: ts.Node): string | undefined {
  if (node.kind !== SK.CallExpression || (node as ts.CallExpression).expression.kind !== SK.ImportKeyword)
    return undefined;
  const arg = (node as ts.CallExpression).arguments[0];
  return arg && (arg.kind === SK.StringLiteral || arg.kind === SK.NoSubstitutionTemplateLiteral)
    ? (arg as ts.StringLiteralLike).text
    : undefined;
}

/** Every place the file loads a module at run time: static imports and requires, and literal dynamic imports. */
export function importSites(modules: readonly ImportSite[], dynamic: readonly ImportSite[]): ImportSite[] {
  return [...modules.filter((m) => !isTypeOnlyImport(m.node)), ...dynamic];
}

/** The npm package a specifier names, or undefined for relative paths, built-ins, URLs and `#internal` imports. */
export function packageOf(specifier: string): string | undefined {
  if (!specifier || specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('#'))
    return undefined;
  // node:fs, cloudflare:sockets, bun:sqlite, https://..., virtual:... are not npm packages.
  if (specifier.includes(':')) return undefined;
  if (BUILTINS.has(specifier)) return undefined;
  const name = Resolver.packageName(specifier);
  if (name.startsWith('@') && !name.includes('/')) return undefined;
  if (BUILTINS.has(name)) return undefined;
  return name;
}

interface Measure {
  bytes: number;
  files: number;
  /** Packages counted besides the package itself. */
  deps: number;
  truncated: boolean;
}

interface NativeEvidence {
  basis: string;
}

interface Installed {
  /** Root-relative folder of the package as found by Node's lookup from the importing file. */
  rel: string;
  real: string;
  pkgJson: Record<string, unknown> | undefined;
  native?: NativeEvidence | null;
  own?: Measure;
  measure?: Measure;
}

/** Per analysis: package folders already looked at, so each is read and walked once. */
interface Cache {
  lookups: Map<string, Installed | null>;
  installs: Map<string, Installed>;
}

function cacheOf(project: ProjectIndex): Cache {
  return project.data<Cache>('packages/node_modules', '', () => ({ lookups: new Map(), installs: new Map() }));
}

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function isInside(root: string, p: string): boolean {
  const r = path.relative(root, p);
  return r === '' || (!r.startsWith('..') && !path.isAbsolute(r));
}

/**
 * Node's lookup of `pkg` from a folder: `<dir>/node_modules/<pkg>` in the folder and each parent, up to the root
 * (never above it: what lies outside the analysed folder is not this project's install).
 */
function findInstalled(root: string, realRoot: string, fromDir: string, pkg: string, cache: Cache): Installed | null {
  const key = `${fromDir}\0${pkg}`;
  const hit = cache.lookups.get(key);
  if (hit !== undefined) return hit;
  const base = (p: string): string | undefined =>
    isInside(root, p) ? root : isInside(realRoot, p) ? realRoot : undefined;
  let found: Installed | null = null;
  for (let dir = fromDir; base(dir) !== undefined;) {
    const candidate = path.join(dir, 'node_modules', pkg);
    let real: string | undefined;
    try {
      if (fs.statSync(candidate).isDirectory()) real = fs.realpathSync(candidate);
    } catch {
      real = undefined;
    }
    // pnpm links into node_modules/.pnpm under the root; a link out of the root is not followed.
    if (real && base(real) !== undefined) {
      found = cache.installs.get(real) ?? null;
      if (!found) {
        const rel = path.relative(base(candidate)!, candidate).split(path.sep).join('/');
        found = { rel, real, pkgJson: readJson(path.join(real, 'package.json')) };
        cache.installs.set(real, found);
      }
      break;
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  cache.lookups.set(key, found);
  return found;
}

/** Files and bytes under a folder, without following links and without its nested node_modules. */
function walk(dir: string, m: Measure, onFile?: (abs: string) => void): void {
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (m.files >= MAX_WALK_FILES) {
        m.truncated = true;
        return;
      }
      const abs = path.join(d, e.name);
      if (e.isDirectory()) {
        // Nested installs are dependencies: counted once each, through Node's lookup, by the caller.
        if (e.name !== 'node_modules') stack.push(abs);
      } else if (e.isFile()) {
        try {
          m.bytes += fs.lstatSync(abs).size;
        } catch {
          continue;
        }
        m.files++;
        onFile?.(abs);
      }
    }
  }
}

function dependencyNames(pkgJson: Record<string, unknown> | undefined): string[] {
  const out: string[] = [];
  for (const field of ['dependencies', 'optionalDependencies']) {
    const deps = pkgJson?.[field];
    if (deps && typeof deps === 'object') out.push(...Object.keys(deps));
  }
  return out;
}

/** The package folder alone, walked once per analysis however many packages depend on it. */
function ownSize(inst: Installed): Measure {
  if (!inst.own) {
    inst.own = { bytes: 0, files: 0, deps: 0, truncated: false };
    walk(inst.real, inst.own);
  }
  return inst.own;
}

/**
 * The installed size of a package with the dependencies Node would load for it (found the way Node finds them,
 * each real folder counted once), as an install-size listing would give it.
 */
function measure(root: string, realRoot: string, inst: Installed, cache: Cache): Measure {
  if (inst.measure) return inst.measure;
  const m: Measure = { bytes: 0, files: 0, deps: 0, truncated: false };
  const seen = new Set<string>([inst.real]);
  const queue: Installed[] = [inst];
  while (queue.length) {
    const p = queue.shift()!;
    const own = ownSize(p);
    m.bytes += own.bytes;
    m.files += own.files;
    if (own.truncated || m.files >= MAX_WALK_FILES) {
      m.truncated = true;
      break;
    }
    for (const dep of dependencyNames(p.pkgJson)) {
      const d = findInstalled(root, realRoot, p.real, dep, cache);
      if (!d || seen.has(d.real)) continue;
      seen.add(d.real);
      m.deps++;
      queue.push(d);
    }
  }
  inst.measure = m;
  return m;
}

const PLATFORM_PACKAGE =
  /(^|[-/])(linux|darwin|win32|freebsd|android|sunos|openbsd)-(x64|arm64|ia32|arm|ppc64|s390x|riscv64|loong64)/;

/** What in the installed package shows it carries native code, or null when nothing does. */
function nativeEvidence(inst: Installed): NativeEvidence | null {
  if (inst.native !== undefined) return inst.native;
  const rel = inst.rel;
  let ev: NativeEvidence | null = null;
  if (fs.existsSync(path.join(inst.real, 'binding.gyp'))) ev = { basis: `${rel} has binding.gyp` };
  else if (inst.pkgJson?.gypfile === true) ev = { basis: `${rel}/package.json has "gypfile": true` };
  else if (inst.pkgJson?.napi && typeof inst.pkgJson.napi === 'object')
    ev = { basis: `${rel}/package.json has a "napi" section` };
  if (!ev) {
    for (const sub of ['build/Release', 'prebuilds']) {
      const m: Measure = { bytes: 0, files: 0, deps: 0, truncated: false };
      let addon: string | undefined;
      walk(path.join(inst.real, sub), m, (abs) => {
        if (!addon && abs.endsWith('.node')) addon = abs;
      });
      if (addon) {
        ev = { basis: `${rel} ships ${path.relative(inst.real, addon).split(path.sep).join('/')}` };
        break;
      }
    }
  }
  if (!ev) {
    const opt = inst.pkgJson?.optionalDependencies;
    const platform = opt && typeof opt === 'object' ? Object.keys(opt).filter((n) => PLATFORM_PACKAGE.test(n)) : [];
    if (platform.length)
      ev = {
        basis: `${rel} installs per-platform binary packages (${platform.slice(0, 2).join(', ')}${platform.length > 2 ? ', ...' : ''})`,
      };
  }
  inst.native = ev;
  return ev;
}

function mb(bytes: number): string {
  const v = bytes / (1024 * 1024);
  return v >= 10 ? `${Math.round(v)} MB` : `${v.toFixed(1)} MB`;
}

const COLD_START =
  'a function loads what its handler imports on every cold start, so start-up time and the deployment package grow with it';
const HEAVY_FIX =
  'Bundle and tree-shake (esbuild, Rollup) so only the code used ships; prefer modular clients (AWS SDK v3 `@aws-sdk/client-*` instead of `aws-sdk`); import it lazily (`await import()`) in the code path that needs it, or move that work to its own function.';

interface SiteContext {
  file: string;
  site: ImportSite;
  pkg: string;
}

function nativeFact(ctx: LinkContext, s: SiteContext, inst: Installed | null): void {
  const ev = inst ? nativeEvidence(inst) : null;
  const known = nativePackage(s.pkg);
  if (!ev && !known) return;
  const basis = ev ? ev.basis : `known native package (table of ${NATIVE_PACKAGES_AS_OF})`;
  const what = known ? ` (${known.what})` : '';
  const optional = !ev && known?.optional;
  const message =
    `\`${s.pkg}\` ships native code${what}; basis: ${basis}. A native build only runs on the OS, CPU and Node version it was built for, ` +
    'so the function package must be installed or built for the function platform (e.g. Linux arm64), not the laptop that bundles it; ' +
    (optional
      ? 'the native part is optional here and the package falls back to JavaScript where it is missing. '
      : 'edge runtimes (Cloudflare Workers, Vercel Edge) cannot load native addons at all, which blocks the edge target. ');
  ctx.fact(
    s.file,
    {
      ruleId: 'native-module-import',
      hazard: 'native-module',
      severity: optional ? 'info' : 'warning',
      message: message.trim(),
      fix:
        'Install dependencies for the target platform (`npm ci --os=linux --cpu=arm64` or a build in the Lambda image / a layer) and keep the package external to the bundler' +
        (known?.alternative
          ? `; for edge or to drop the native build: ${known.alternative}.`
          : '; for edge, replace it with a pure-JS or Wasm package, or call it through a service.'),
      node: s.site.node,
      basis,
      attrs: { package: s.pkg, source: ev ? 'node_modules' : 'table', optional: !!optional },
    },
    s.site.unit,
  );
}

function heavyFact(ctx: LinkContext, s: SiteContext, m: Measure | undefined, inst: Installed | null): void {
  if (m && inst) {
    if (m.bytes < HEAVY_BYTES && m.files < HEAVY_FILES) return;
    const size = `${m.truncated ? 'at least ' : ''}${mb(m.bytes)} in ${m.files.toLocaleString('en-US')} files`;
    const withDeps = m.deps ? ` with its ${m.deps} ${m.deps === 1 ? 'dependency' : 'dependencies'}` : '';
    const basis = `measured: ${inst.rel}${withDeps}: ${size}`;
    ctx.fact(
      s.file,
      {
        ruleId: 'heavy-dependency-import',
        hazard: 'heavy-dependency',
        severity: m.bytes > HEAVY_WARNING_BYTES ? 'warning' : 'info',
        message: `\`${s.pkg}\` is a heavy dependency (${size} installed${withDeps}): ${COLD_START}.`,
        fix:
          HEAVY_FIX + (heavyPackage(s.pkg)?.alternative ? ` Lighter option: ${heavyPackage(s.pkg)!.alternative}.` : ''),
        node: s.site.node,
        basis,
        attrs: {
          package: s.pkg,
          source: 'node_modules',
          bytes: m.bytes,
          files: m.files,
          large: m.bytes > HEAVY_WARNING_BYTES,
        },
      },
      s.site.unit,
    );
    return;
  }
  const known = heavyPackage(s.pkg);
  if (!known) return;
  ctx.fact(
    s.file,
    {
      ruleId: 'heavy-dependency-import',
      hazard: 'heavy-dependency',
      severity: known.approxMb * 1024 * 1024 > HEAVY_WARNING_BYTES ? 'warning' : 'info',
      message: `\`${s.pkg}\` is a heavy dependency (about ${known.approxMb} MB installed: ${known.note}; table of ${HEAVY_PACKAGES_AS_OF}): ${COLD_START}.`,
      fix: HEAVY_FIX + (known.alternative ? ` Lighter option: ${known.alternative}.` : ''),
      node: s.site.node,
      basis: `known heavy package (table of ${HEAVY_PACKAGES_AS_OF}): ~${known.approxMb} MB, an approximate install size from public listings, not measured here`,
      attrs: {
        package: s.pkg,
        source: 'table',
        approxMb: known.approxMb,
        large: known.approxMb * 1024 * 1024 > HEAVY_WARNING_BYTES,
      },
    },
    s.site.unit,
  );
}

interface FileData {
  dynamic: ImportSite[];
}

function visit(node: ts.Node, ctx: FileContext): void {
  if (node.kind !== SK.CallExpression) return;
  const mod = dynamicImportModule(node);
  if (mod) ctx.data<FileData>(() => ({ dynamic: [] })).dynamic.push({ module: mod, node, unit: ctx.unit() });
}

function link(ctx: LinkContext): void {
  const project = ctx.project;
  const root = project.root;
  let realRoot = root;
  try {
    realRoot = fs.realpathSync(root);
  } catch {
    // keep the given root
  }
  const cache = cacheOf(project);
  const data = ctx.data<FileData>();
  for (const [file, fi] of project.files) {
    for (const site of importSites(fi.modules, data.get(file)?.dynamic ?? [])) {
      const pkg = packageOf(site.module);
      if (!pkg) continue;
      // tsconfig paths and packages of the same workspace resolve to analysed source, not to an install.
      if (ctx.resolver.resolveModule(file, site.module)) continue;
      const inst = findInstalled(root, realRoot, path.dirname(path.join(root, file)), pkg, cache);
      const s = { file, site, pkg };
      nativeFact(ctx, s, inst);
      heavyFact(ctx, s, inst ? measure(root, realRoot, inst, cache) : undefined, inst);
    }
  }
}

export const packagesDetector: Detector = {
  id: 'packages',
  mentions: ['import'],
  kinds: [SK.CallExpression],
  visit,
  link,
};
