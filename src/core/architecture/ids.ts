// Node ids for the diagrams: stable across runs and machines (derived from component ids, route prefixes and service
// names, never from ordering), unique, and safe as Mermaid ids whatever the code names things.

/** What a Mermaid flowchart takes as a node id without quoting. */
export const SAFE_ID = /^[A-Za-z][A-Za-z0-9_]*$/;

/** FNV-1a, 32 bits, in base 36: a short, stable fingerprint of a key. */
export function fingerprint(key: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36).padStart(7, '0');
}

/** Letters and digits of a key, lower-cased, `_` between words, at most `max` characters. */
export function slug(key: string, max = 24): string {
  return key
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, max)
    .replace(/_+$/, '');
}

/**
 * `prefix_words_fingerprint`: readable, and unique by the fingerprint of the whole key. The prefix is ours (a few
 * lower-case letters), so no id starts with `o` or `x` (Mermaid reads `A --o B` as a circle edge) or is a keyword.
 */
export function nodeId(prefix: string, key: string): string {
  const words = slug(key);
  return `${prefix}_${words ? `${words}_` : ''}${fingerprint(key)}`;
}
