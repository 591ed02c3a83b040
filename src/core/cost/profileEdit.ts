// Writing the usage profile for the user: a commented starting file, and an override for one component added to an
// existing file without disturbing the rest of it (comments, order and formatting kept by the `yaml` library).
import { isMap, isScalar, LineCounter, parseDocument, type Document, type YAMLMap } from 'yaml';
import { PROFILE_FILE } from './profileFile';

/** A new serverless-advisor.yaml: every field commented out, so the defaults by kind still apply until edited. */
export function profileTemplate(): string {
  return `# Serverless Advisor usage profile: how much each component is used, so that it can be priced.
# Every field is optional; what is left out comes from defaults by component kind, and the report says so.
# The editor completes and checks this file (JSON Schema: serverless-advisor.schema.json in the extension).

# Usage for every component, overriding the defaults by kind.
defaults:
  # requestsPerMonth: 100000   # invocations a month (the likely scenario)
  # durationMs: 120            # average wall time of one invocation
  # memoryMb: 512              # function memory
  # payloadKb: 4               # average request + response size
  # peakToAverage: 3           # busiest minute against the average one (sizes containers)

# Volume multipliers of the low / likely / high estimates.
scenarios:
  low: 0.25
  likely: 1
  high: 4

# Apply the providers' per-account free tiers, once, to the total.
freeTier: true

# Overrides per component: the key is a component id (as the Serverless Advisor view and the report show it) or a
# glob over ids ("queue:*"). An exact id wins over globs.
components:
  # "http:GET:/api/orders":
  #   requestsPerMonth: 2000000
  #   durationMs: 80
`;
}

/**
 * The profile text with an override block for `id` (the given figures, as a starting point to edit), and the
 * 1-based line of the id's key. When the id is already there, the text is returned unchanged with its line.
 * A file that does not parse is not touched: `error` says why.
 */
export function withComponentOverride(
  text: string,
  id: string,
  values: Record<string, number>,
): { text: string; line: number; changed: boolean } | { error: string } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, keepSourceTokens: true });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const at = e.linePos?.[0];
    return {
      error: `${PROFILE_FILE}${at ? `:${at.line}:${at.col}` : ''}: ${e.message.split('\n')[0]!.replace(/ at line \d+.*$/, '')}; fix it first`,
    };
  }
  if (doc.contents !== null && !isMap(doc.contents))
    return { error: `${PROFILE_FILE} must be a mapping (key: value lines); fix it first` };
  const existing = keyLine(doc, lc, id);
  if (existing) return { text, line: existing, changed: false };
  let components = doc.get('components');
  if (components !== undefined && components !== null && !isMap(components))
    return { error: `${PROFILE_FILE}: 'components' must be a mapping of component ids; fix it first` };
  if (!isMap(components)) {
    // `components:` with only comments under it: keep those comments after the new entry.
    const old: unknown = doc.get('components', true);
    const note = isScalar(old) ? old.comment : undefined;
    doc.set('components', doc.createNode({}));
    components = doc.get('components');
    if (note && isMap(components)) components.comment = note;
  }
  const map = components as YAMLMap;
  // A flow-style `components: {}` (as in the template) becomes a block once it has entries.
  map.flow = false;
  map.set(doc.createNode(id), doc.createNode(values));
  const out = doc.toString({ lineWidth: 0 });
  const lc2 = new LineCounter();
  const doc2 = parseDocument(out, { lineCounter: lc2, keepSourceTokens: true });
  return { text: out, line: keyLine(doc2, lc2, id) ?? 1, changed: true };
}

function keyLine(doc: Document, lc: LineCounter, id: string): number | undefined {
  const components = doc.get('components');
  if (!isMap(components)) return undefined;
  for (const pair of components.items) {
    if (isScalar(pair.key) && pair.key.value === id && pair.key.range) return lc.linePos(pair.key.range[0]).line;
  }
  return undefined;
}
