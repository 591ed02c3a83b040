import { ts } from '../../ts';
import type { Detector, FileContext } from '../../scan/detector';
import { insideFunction } from '../util';

/** Read once: the compiler API's exports are getters, too slow for per-node checks. */
const SK = ts.SyntaxKind;

/** CPU-bound synchronous calls that block the event loop for their whole run. */
const SYNC_CPU: Record<string, string[]> = {
  crypto: ['pbkdf2Sync', 'scryptSync', 'generateKeyPairSync', 'generatePrimeSync'],
  'node:crypto': ['pbkdf2Sync', 'scryptSync', 'generateKeyPairSync', 'generatePrimeSync'],
  zlib: ['gzipSync', 'gunzipSync', 'deflateSync', 'inflateSync', 'brotliCompressSync', 'brotliDecompressSync'],
  'node:zlib': ['gzipSync', 'gunzipSync', 'deflateSync', 'inflateSync', 'brotliCompressSync', 'brotliDecompressSync'],
  bcrypt: ['hashSync'],
  bcryptjs: ['hashSync'],
};

/** Libraries whose work typically runs for seconds to minutes (media, browsers). */
const LONG_LIBS: Record<string, { names: string[]; what: string }> = {
  'fluent-ffmpeg': { names: ['default', '*'], what: 'ffmpeg transcoding' },
  puppeteer: { names: ['launch'], what: 'a headless Chrome' },
  'puppeteer-core': { names: ['launch'], what: 'a headless Chrome' },
  playwright: { names: ['chromium.launch', 'firefox.launch', 'webkit.launch'], what: 'a headless browser' },
  'playwright-core': { names: ['chromium.launch', 'firefox.launch', 'webkit.launch'], what: 'a headless browser' },
};

function isEventStream(node: ts.Node): boolean {
  return (
    (node.kind === SK.StringLiteral || node.kind === SK.NoSubstitutionTemplateLiteral) &&
    /^text\/event-stream/.test((node as ts.StringLiteralLike).text)
  );
}

function visit(n: ts.Node, ctx: FileContext): void {
  if (isEventStream(n) && insideFunction(n)) {
    ctx.fact({
      ruleId: 'server-sent-events',
      hazard: 'long-running',
      severity: 'warning',
      message:
        'This response is a Server-Sent Events stream held open for as long as the client listens; functions bill for the whole time and stop at their timeout (29 s behind API Gateway, 15 min on Lambda).',
      fix: 'Push events through a managed channel (API Gateway WebSockets, AppSync subscriptions, Azure Web PubSub, Cloudflare Durable Objects), or keep this endpoint in a container.',
      node: n,
    });
    return;
  }
  if (n.kind !== SK.CallExpression) return;
  const node = n as ts.CallExpression;
  const imp = ctx.importOf(node.expression);
  if (imp) {
    const sync = SYNC_CPU[imp.module];
    if (sync?.includes(imp.name) && insideFunction(node)) {
      ctx.fact({
        ruleId: 'cpu-heavy-sync-call',
        hazard: 'long-running',
        severity: 'info',
        message: `\`${imp.name}\` is CPU-bound and synchronous: it blocks the instance for its whole run, and functions bill that time (Cloudflare Workers cap CPU time per request).`,
        fix: 'Use the asynchronous variant, raise the function memory (CPU scales with it on Lambda), or move the work to a queue-triggered function.',
        node,
      });
      return;
    }
    const lib = LONG_LIBS[imp.module];
    if (lib?.names.includes(imp.name)) {
      ctx.fact({
        ruleId: 'long-running-library',
        hazard: 'long-running',
        severity: 'warning',
        message: `This starts ${lib.what}, which runs for seconds to minutes and needs much memory; behind an HTTP function it meets the gateway timeout (29 s on API Gateway, 230 s on Azure).`,
        fix: 'Run it asynchronously: enqueue a job for a queue-triggered function (up to 15 min on Lambda) or a container task (Fargate, Cloud Run jobs), and return 202 with a status URL.',
        node,
      });
    }
    return;
  }
  // source.pipe(res): a streamed HTTP response.
  const callee = node.expression;
  if (
    callee.kind === SK.PropertyAccessExpression &&
    (callee as ts.PropertyAccessExpression).name.text === 'pipe' &&
    node.arguments.length >= 1
  ) {
    const dest = node.arguments[0]!;
    if (ts.isIdentifier(dest) && /^(res|response|reply)$/.test(dest.text) && isHandlerParam(dest)) {
      ctx.fact({
        ruleId: 'streamed-response',
        hazard: 'long-running',
        severity: 'info',
        message:
          'This streams its response; API Gateway and most function front doors buffer responses (6 MB on Lambda, 4.5 MB on Vercel), so large or slow streams fail or wait for the end.',
        fix: 'Generate the file into object storage and return a pre-signed URL, or use Lambda response streaming with a function URL.',
        node,
      });
    }
  }
}

/** The identifier is a parameter of an enclosing function (the response object of a handler). */
function isHandlerParam(id: ts.Identifier): boolean {
  for (let n: ts.Node | undefined = id.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n) && n.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === id.text))
      return true;
  }
  return false;
}

export const longRunningDetector: Detector = {
  id: 'long-running',
  mentions: ['event-stream', 'Sync', 'ffmpeg', 'puppeteer', 'playwright', 'pipe'],
  kinds: [SK.StringLiteral, SK.NoSubstitutionTemplateLiteral, SK.CallExpression],
  visit,
};
