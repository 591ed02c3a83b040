import { ts } from '../ts';

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'options', 'head', 'all'] as const;

/**
 * The text of a string-ish expression: literals, templates (substitutions become `{expr}`), `a + b` of those,
 * and top-level `const X = '...'` of the same file. Undefined when it cannot be told statically.
 */
export function stringValue(node: ts.Node | undefined, sf?: ts.SourceFile, depth = 0): string | undefined {
  if (!node || depth > 5) return undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) {
    let s = node.head.text;
    for (const span of node.templateSpans) {
      s += stringValue(span.expression, sf, depth + 1) ?? `{${span.expression.getText()}}`;
      s += span.literal.text;
    }
    return s;
  }
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) return stringValue(node.expression, sf, depth + 1);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const l = stringValue(node.left, sf, depth + 1);
    const r = stringValue(node.right, sf, depth + 1);
    return l !== undefined && r !== undefined ? l + r : undefined;
  }
  if (ts.isIdentifier(node) && sf) {
    for (const st of sf.statements) {
      if (!ts.isVariableStatement(st) || !(st.declarationList.flags & ts.NodeFlags.Const)) continue;
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.name.text === node.text) return stringValue(d.initializer, sf, depth + 1);
      }
    }
  }
  return undefined;
}

/** Joins URL path segments the way routers mount them: no doubled or trailing slashes, '/' for the root. */
export function joinPaths(...parts: string[]): string {
  const joined = parts
    .map((p) => p.trim())
    .filter((p) => p && p !== '/')
    .map((p) => `/${p.replace(/^\/+|\/+$/g, '')}`)
    .join('');
  return joined || '/';
}

/** `a.b.c(...)` -> 'c'; `f(...)` -> 'f'. */
export function calleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const e = call.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

/** The object literal property `name` of an options argument, when the argument is an object literal. */
export function objectProp(obj: ts.Node | undefined, name: string): ts.Expression | undefined {
  if (!obj || !ts.isObjectLiteralExpression(obj)) return undefined;
  for (const p of obj.properties) {
    if (
      ts.isPropertyAssignment(p) &&
      p.name &&
      (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) &&
      p.name.text === name
    ) {
      return p.initializer;
    }
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) return p.name;
  }
  return undefined;
}

export function hasObjectProp(obj: ts.Node | undefined, name: string): boolean {
  if (!obj || !ts.isObjectLiteralExpression(obj)) return false;
  return obj.properties.some(
    (p) => p.name !== undefined && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name,
  );
}

/** True when the node sits inside a function body (not at module initialisation). */
export function insideFunction(node: ts.Node): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n)) return true;
    if (ts.isSourceFile(n)) return false;
  }
  return false;
}

/** The leading comments of a node and of the statement around it, as text. */
export function leadingComments(node: ts.Node, sf: ts.SourceFile): string {
  let st: ts.Node = node;
  while (st.parent && !ts.isSourceFile(st.parent) && !ts.isBlock(st.parent) && !ts.isClassLike(st.parent))
    st = st.parent;
  const ranges = ts.getLeadingCommentRanges(sf.text, st.getFullStart()) ?? [];
  return ranges.map((r) => sf.text.slice(r.pos, r.end)).join('\n');
}
