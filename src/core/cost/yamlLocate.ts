import type { ErrorObject } from 'ajv';
import { isMap, isNode, isPair, isScalar, type Document, type LineCounter, type Node as YamlNode } from 'yaml';

export interface Position {
  line: number;
  column: number;
}

/** The path of an ajv instancePath (`/offerings/aws-lambda/figures/0`), unescaped, numbers as numbers. */
export function pointerPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** 1-based line and column of the node at `path`; with `key`, of that key inside the map at `path`. */
export function locate(doc: Document, lc: LineCounter, path: (string | number)[], key?: string): Position {
  let node: unknown = doc.contents;
  let last: YamlNode | undefined = isNode(node) ? node : undefined;
  for (const seg of path) {
    const next: unknown = isNode(node)
      ? (node as { get?: (k: unknown, keep: boolean) => unknown }).get?.(seg, true)
      : undefined;
    if (!isNode(next)) break;
    node = next;
    last = next;
  }
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
    if (pair && isNode(pair.key) && pair.key.range) return pos(lc, pair.key.range[0]);
  }
  return pos(lc, last?.range?.[0] ?? 0);
}

/** Position of the key of the entry at `path` (where a reader looks for "this setting"), else of its value. */
export function locateKey(doc: Document, lc: LineCounter, path: (string | number)[]): Position {
  const parent = path.slice(0, -1);
  const k = path[path.length - 1];
  return typeof k === 'string' ? locate(doc, lc, parent, k) : locate(doc, lc, path);
}

function pos(lc: LineCounter, offset: number): Position {
  const p = lc.linePos(offset);
  return { line: p.line, column: p.col };
}

/** A readable sentence for one ajv error, naming the setting. */
export function describeAjvError(e: ErrorObject): { path: (string | number)[]; key?: string; message: string } {
  const path = pointerPath(e.instancePath);
  const where = path.length ? path.join('.') : 'the file';
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return {
        path,
        key: String(params.additionalProperty),
        message: `unknown field "${String(params.additionalProperty)}" in ${where}`,
      };
    case 'required':
      return { path, message: `${where} is missing the required field "${String(params.missingProperty)}"` };
    case 'enum':
      return {
        path,
        message: `${where} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'propertyNames':
      return {
        path,
        key: String(params.propertyName),
        message: `invalid name "${String(params.propertyName)}" in ${where}`,
      };
    default:
      return { path, message: `${where} ${e.message ?? 'is invalid'}` };
  }
}
