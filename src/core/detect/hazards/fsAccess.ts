import { ts } from '../../ts';
import type { Detector, FileContext } from '../../scan/detector';
import { insideFunction, objectProp } from '../util';

/** Read once: the compiler API's exports are getters, too slow for per-node checks. */
const SK = ts.SyntaxKind;

const FS_MODULES = new Set(['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'fs-extra', 'graceful-fs']);
const WRITES = new Set([
  'writeFile',
  'writeFileSync',
  'appendFile',
  'appendFileSync',
  'createWriteStream',
  'mkdir',
  'mkdirSync',
  'rename',
  'renameSync',
  'unlink',
  'unlinkSync',
  'rm',
  'rmSync',
  'rmdir',
  'rmdirSync',
  'copyFile',
  'copyFileSync',
  'cp',
  'cpSync',
  'truncate',
  'truncateSync',
  'symlink',
  'symlinkSync',
  'outputFile',
  'outputFileSync',
  'outputJson',
  'outputJsonSync',
  'writeJson',
  'writeJsonSync',
  'ensureDir',
  'ensureDirSync',
  'move',
  'moveSync',
  'remove',
  'removeSync',
  'emptyDir',
  'emptyDirSync',
]);
const READS = new Set([
  'readFile',
  'readFileSync',
  'createReadStream',
  'readdir',
  'readdirSync',
  'readJson',
  'readJsonSync',
  'opendir',
]);
const STATIC_SERVERS: Record<string, string> = {
  'express.static': 'express',
  'serve-static.default': 'serve-static',
  'serve-static.*': 'serve-static',
  'koa-static.default': 'koa-static',
  'koa-static.*': 'koa-static',
};

/**
 * Whether a path expression points under the OS temp dir (writable in functions, if small and short-lived):
 * `os.tmpdir()`, '/tmp/...', or a const of the same file built from those.
 */
function isTempPath(ctx: FileContext, expr: ts.Node | undefined, depth = 0): boolean {
  if (!expr || depth > 4) return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n)) {
      const imp = ctx.importOf(n.expression);
      if (imp && (imp.module === 'os' || imp.module === 'node:os') && imp.name === 'tmpdir') found = true;
      if (ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'tmpdir') found = true;
    } else if (ts.isStringLiteralLike(n) && /^\/tmp(\/|$)/.test(n.text)) found = true;
    else if (ts.isTemplateHead(n) && /^\/tmp(\/|$)/.test(n.text)) found = true;
    else if (ts.isIdentifier(n) && !ts.isPropertyAccessExpression(n.parent)) {
      const decl = findConst(n);
      if (decl?.initializer && isTempPath(ctx, decl.initializer, depth + 1)) found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(expr);
  return found;
}

/** The nearest declaration of an identifier in the enclosing blocks or at the top of the file. */
function findConst(id: ts.Identifier): ts.VariableDeclaration | undefined {
  for (let n: ts.Node | undefined = id.parent; n; n = n.parent) {
    const statements = ts.isBlock(n) || ts.isSourceFile(n) ? n.statements : undefined;
    if (!statements) continue;
    for (const st of statements) {
      if (!ts.isVariableStatement(st)) continue;
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && d.name.text === id.text) return d;
    }
  }
  return undefined;
}

function usesDirname(expr: ts.Node | undefined): boolean {
  if (!expr) return false;
  const t = expr.getText();
  return /__dirname|import\.meta\.(url|dirname)|process\.cwd\(\)/.test(t) && !/upload|data|storage/i.test(t);
}

function visit(n: ts.Node, ctx: FileContext): void {
  if (n.kind !== SK.CallExpression) return;
  const node = n as ts.CallExpression;
  const imp = ctx.importOf(node.expression);
  if (imp) {
    const name = imp.name.replace(/^promises\./, '');
    if (FS_MODULES.has(imp.module)) {
      const pathArg = node.arguments[0];
      if (WRITES.has(name)) {
        if (isTempPath(ctx, pathArg)) return;
        ctx.fact({
          ruleId: 'local-fs-write',
          hazard: 'local-fs-write',
          severity: 'warning',
          message: `\`${name}\` writes to the local disk; function file systems are read-only (except a small, per-instance /tmp) and are lost when the instance is recycled, so other instances never see the file.`,
          fix: 'Write to object storage (S3, Azure Blob, GCS, R2) and keep only scratch files under os.tmpdir().',
          node,
        });
        return;
      }
      if (READS.has(name) && insideFunction(node)) {
        if (isTempPath(ctx, pathArg) || usesDirname(pathArg)) return;
        ctx.fact({
          ruleId: 'local-fs-read',
          hazard: 'local-fs-read',
          severity: 'info',
          message: `\`${name}\` reads from the local disk while handling work; a function only has the files of its own bundle, so data written at run time by other instances or by an earlier deploy is not there.`,
          fix: 'Read shared data from object storage or a database; bundle static assets with the function and read them relative to __dirname.',
          node,
        });
      }
      return;
    }
    const stat = STATIC_SERVERS[`${imp.module}.${imp.name}`];
    if (stat) {
      ctx.fact({
        ruleId: 'static-files-from-disk',
        hazard: 'local-fs-read',
        severity: 'info',
        message: `Static files are served from the local disk by ${stat}; behind functions, every asset request becomes a paid invocation and a cold start risk.`,
        fix: 'Serve static assets from object storage behind a CDN (S3 + CloudFront, Azure Static Web Apps, Cloudflare Pages / R2).',
        node,
      });
      return;
    }
    if (imp.module === 'multer') {
      // multer({ dest }) and multer.diskStorage({ destination }) store uploads on disk; bare multer() keeps them in memory.
      const opts = node.arguments[0];
      const dest =
        imp.name === 'diskStorage'
          ? objectProp(opts, 'destination')
          : imp.name === 'default' || imp.name === '*'
            ? objectProp(opts, 'dest')
            : undefined;
      const isDisk = imp.name === 'diskStorage' || dest !== undefined;
      if (!isDisk || isTempPath(ctx, dest) || (dest && isTempFn(ctx, dest))) return;
      ctx.fact({
        ruleId: 'multer-disk-storage',
        hazard: 'local-fs-write',
        severity: 'warning',
        message:
          'Uploads are stored on the local disk by multer; in a function the files disappear with the instance and payload limits (6 MB on Lambda, 4.5 MB on Vercel) cap what can be uploaded through it.',
        fix: 'Have clients upload straight to object storage with pre-signed URLs (S3, GCS, Azure SAS, R2), or use multer.memoryStorage() for small files and stream them to storage.',
        node,
      });
    }
    return;
  }
  // sharp(input)....toFile(path): the result is written to disk.
  if (ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'toFile') {
    let e: ts.Expression = node.expression.expression;
    while (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) e = e.expression.expression;
    if (
      ts.isCallExpression(e) &&
      ctx.importOf(e.expression)?.module === 'sharp' &&
      !isTempPath(ctx, node.arguments[0])
    ) {
      ctx.fact({
        ruleId: 'local-fs-write',
        hazard: 'local-fs-write',
        severity: 'warning',
        message:
          '`toFile` writes the image to the local disk; function file systems are read-only (except a small, per-instance /tmp) and are lost when the instance is recycled.',
        fix: 'Produce a buffer (`toBuffer()`) and put it in object storage (S3, GCS, Azure Blob, R2).',
        node,
      });
    }
  }
}

/** `destination: (req, file, cb) => cb(null, os.tmpdir())`. */
function isTempFn(ctx: FileContext, expr: ts.Expression): boolean {
  return (ts.isArrowFunction(expr) || ts.isFunctionExpression(expr)) && isTempPath(ctx, expr.body);
}

export const fsAccessDetector: Detector = {
  id: 'fs-access',
  mentions: ['fs', 'multer', 'static', 'toFile'],
  kinds: [SK.CallExpression],
  visit,
};
