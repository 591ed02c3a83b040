import { ts } from '../../ts';
import type { Detector, FileContext } from '../../scan/detector';
import { nodeUnit } from '../../scan/project';

/** Read once: the compiler API's exports are getters, too slow for per-node checks. */
const SK = ts.SyntaxKind;

// `SLO` only in capitals and as a word: "slow" is not an objective.
const MARKER = /\b(latency[- ]critical|latency budget|p9[059](\.9)?\s*(<|<=|budget|target|under|:))|\bSLO\b/i;
const SLO_CASE = /\bSLO\b/;

/** The function a commented declaration introduces, if any. */
function functionOf(node: ts.Node): ts.Node | undefined {
  if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) return node;
  if (ts.isVariableStatement(node)) {
    const init = node.declarationList.declarations[0]?.initializer;
    if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) return init;
  }
  return undefined;
}

/**
 * An explicit latency objective written next to the code (`// latency-critical`, `// SLO: p99 < 100ms`): cold
 * starts land on exactly these paths.
 */
function visit(node: ts.Node, ctx: FileContext): void {
  const k = node.kind;
  if (
    k !== SK.FunctionDeclaration &&
    k !== SK.MethodDeclaration &&
    k !== SK.VariableStatement &&
    k !== SK.ExpressionStatement
  )
    return;
  const ranges = ts.getLeadingCommentRanges(ctx.sf.text, node.getFullStart());
  if (!ranges) return;
  const text = ranges.map((r) => ctx.sf.text.slice(r.pos, r.end)).join('\n');
  const m = MARKER.exec(text);
  if (!m || (/^slo$/i.test(m[0]) && !SLO_CASE.test(text))) return;
  const fn = functionOf(node);
  const owner = fn ? nodeUnit.get(fn) : undefined;
  const line = text
    .split('\n')
    .find((l) => MARKER.test(l) && (!/\bslo\b/i.test(l) || SLO_CASE.test(l) || /latency|p9/i.test(l)))
    ?.replace(/^\s*(\/\/+|\/?\*+)\s*/, '')
    .trim();
  ctx.fact({
    ruleId: 'latency-critical-annotation',
    hazard: 'latency-critical',
    severity: 'info',
    message: `Marked latency-critical ("${line}"); a cold start (100 ms to seconds) on this path breaks that objective for the requests that meet it.`,
    fix: 'Keep the handler small (bundle, lazy-load heavy modules), use provisioned concurrency / minimum instances, or run it at the edge or in a warm container.',
    node,
    ...(owner !== undefined ? { owner } : {}),
  });
}

export const latencyDetector: Detector = {
  id: 'latency',
  mentions: ['latency', 'SLO', 'p99', 'p95', 'p90'],
  kinds: [SK.FunctionDeclaration, SK.MethodDeclaration, SK.VariableStatement, SK.ExpressionStatement],
  visit,
};
