import { LineCounter, parseDocument, type Document } from 'yaml';

export interface ParsedYaml {
  doc: Document;
  lineCounter: LineCounter;
  /** Syntax errors at 1-based line and column, first line of the parser's message. */
  errors: { line: number; column: number; message: string }[];
}

/**
 * Parses YAML keeping positions, so that every problem in a rule, a pricing file or a usage profile can name its
 * line and column. Duplicate keys are errors: in a rule or a profile the second silently winning is a bug.
 */
export function parseYamlText(text: string): ParsedYaml {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  // Line starts from the text itself: the parser's own count (its lineCounter option) skips the line breaks inside a
  // token it rejects, and then places every later problem lines too high, past the end of a shorter line.
  const lineCounter = new LineCounter();
  lineCounter.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
  const errors = doc.errors.map((e) => {
    const p = lineCounter.linePos(e.pos[0]);
    return {
      line: p.line,
      column: p.col,
      message: e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
    };
  });
  return { doc, lineCounter, errors };
}
