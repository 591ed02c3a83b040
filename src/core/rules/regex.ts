import { RE2JS, RE2JSException, RE2JSSyntaxException } from 're2js';

/** Longest pattern a rule may carry. */
export const MAX_PATTERN = 200;

/**
 * Longest text a pattern is tried on: a cost cap, not a safety bound. RE2 matches in time linear in the text, but the
 * factor is the size of the compiled pattern when its automaton outgrows RE2JS's DFA cache (`a{0,1000}a{0,1000}!`:
 * about 0.4 s on 2,000 characters, 5 s on 50,000), and the analysed code can hold names of any length.
 */
export const MAX_SUBJECT = 2000;

/** Most compiled patterns kept (see `safeTest`); rules bring a handful, so this only stops unbounded growth. */
const MAX_COMPILED = 256;

/** What every refusal says: the syntax rule patterns use, and why it lacks what it lacks. */
const RE2_SYNTAX =
  'rule patterns run on RE2, in time linear in the text, and RE2 syntax has no back-references (\\1, \\k<name>) ' +
  'and no lookaround ((?=, (?!, (?<=, (?<!)';

function compile(pattern: string): RE2JS {
  // No flags, as the JavaScript RegExp (`u` flag only) that rule patterns ran on before: case-sensitive, `^` and `$`
  // at the ends of the text, `.` stops at a newline. Inline flags ((?i), (?s), (?m), (?i:...)) are RE2 syntax.
  return RE2JS.compile(pattern);
}

/**
 * Why a rule's regular expression is refused, or undefined when it is fine. Patterns run on re2js, a port of RE2:
 * matching takes time linear in the text whatever the pattern (`(a+)+$`, `.*a.*!` included), so the only refusals
 * are the length limit and what RE2 does not compile: syntax errors and the constructs that need backtracking
 * (back-references, lookahead and lookbehind).
 */
export function checkRegex(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN)
    return `the regular expression is ${pattern.length} characters; the limit is ${MAX_PATTERN}`;
  try {
    compile(pattern);
  } catch (e) {
    if (!(e instanceof RE2JSSyntaxException)) {
      if (e instanceof RE2JSException) return `invalid regular expression: ${e.message} (${RE2_SYNTAX})`;
      throw e;
    }
    const at = e.getPattern() ?? '';
    if (/^\\(?:[1-9]|k)/.test(at))
      return `the back-reference ${at === '\\k' ? '\\k<name>' : at} is not allowed: ${RE2_SYNTAX}`;
    const look = /^\(\?<?[=!]/.exec(at);
    if (look) return `the lookaround ${look[0]} is not allowed: ${RE2_SYNTAX}`;
    const hint = at === '\\u' ? '; write a code point as \\x{20AC}, not \\u20AC' : '';
    return `invalid regular expression: ${e.getDescription()}${at ? ` at ${at}` : ''} (${RE2_SYNTAX}${hint})`;
  }
  return undefined;
}

const compiled = new Map<string, RE2JS>();

/**
 * Tests a pattern already accepted by checkRegex on at most MAX_SUBJECT characters: true when it matches anywhere in
 * the text, as `RegExp.prototype.test` does. Each pattern is compiled once; the cache forgets its oldest entry when
 * full.
 */
export function safeTest(pattern: string, subject: string): boolean {
  let re = compiled.get(pattern);
  if (!re) {
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
    compiled.set(pattern, (re = compile(pattern)));
  }
  return re.test(subject.length > MAX_SUBJECT ? subject.slice(0, MAX_SUBJECT) : subject);
}

/** A `*` wildcard pattern (module and callee names, route paths), matched in linear time. */
export interface Wildcard {
  readonly glob: string;
  test(subject: string): boolean;
}

/**
 * `*` is any run of characters, everything else is itself. Not a regular expression: `.*a.*a.*b` backtracks for
 * minutes on a long import path, and a rule's pattern meets whatever names the analysed code holds. Placing each
 * piece between stars at its first occurrence after the previous one is exact for stars-only patterns.
 */
export function wildcard(glob: string): Wildcard {
  const parts = glob.split('*');
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  const middle = parts.slice(1, -1).filter(Boolean);
  const test =
    parts.length === 1
      ? (s: string) => s === glob
      : (s: string) => {
          if (s.length < first.length + last.length || !s.startsWith(first) || !s.endsWith(last)) return false;
          const end = s.length - last.length;
          let at = first.length;
          for (const piece of middle) {
            const found = s.indexOf(piece, at);
            if (found < 0 || found + piece.length > end) return false;
            at = found + piece.length;
          }
          return true;
        };
  return { glob, test };
}

/** Most `*` in one path segment of a slash-bounded glob, most `**` in one glob, most brace combinations. */
export const MAX_SEGMENT_STARS = 3;
export const MAX_GLOBSTARS = 2;
export const MAX_BRACE_WAYS = 64;

/**
 * Why a glob handed to picomatch is unsafe, or undefined when it is fine. picomatch turns a glob into a regular
 * expression whose parts backtrack against each other, and the text it meets comes from the analysed code: measured,
 * four `*` in one segment took 4 s on a 255-character file name, three `**` 0.7 s on a 200-character path,
 * `{a,a}` x 25 6 s, and each grows as a power of the length. So: no extglobs, at most MAX_BRACE_WAYS combinations of
 * braces, and for paths (`*` stops at '/') at most MAX_SEGMENT_STARS `*` per segment and MAX_GLOBSTARS `**`; where
 * `*` crosses '/' (`slashes: false`, component ids) at most one `*`, unless the glob is stars only (see `wildcard`).
 */
export function checkGlob(glob: string, options: { slashes: boolean; maxLength?: number }): string | undefined {
  const max = options.maxLength ?? MAX_PATTERN;
  if (glob.length > max) return `the glob is ${glob.length} characters; the limit is ${max}`;
  if (/[?*+@!]\(/.test(glob)) return 'extglobs such as +(a|b) are not allowed here; list the alternatives with {a,b}';
  // Innermost braces first, each then read as one character: {a,{b,c}} counts 2 x 2, at least its 3 alternatives.
  let braceWays = 1;
  for (let rest = glob, prev = ''; rest !== prev;) {
    prev = rest;
    rest = rest.replace(/\{[^{}]*\}/g, (group) => {
      braceWays *= group.split(',').length;
      return 'x';
    });
  }
  if (braceWays > MAX_BRACE_WAYS)
    return `the braces of the glob make ${braceWays} combinations; the limit is ${MAX_BRACE_WAYS}`;
  if (!options.slashes) {
    if (isStarsOnly(glob)) return undefined;
    const stars = (glob.match(/\*/g) ?? []).length;
    return stars > 1
      ? "a glob that uses ?, [...], {...} or ! may hold one '*' only (more make matching slow on long ids)"
      : undefined;
  }
  const segments = glob.split('/');
  const globstars = segments.filter((s) => s === '**').length;
  if (globstars > MAX_GLOBSTARS)
    return `the glob has ${globstars} '**'; the limit is ${MAX_GLOBSTARS} (more make matching slow on deep paths)`;
  for (const s of segments) {
    if (s === '**') continue;
    const stars = (s.match(/\*/g) ?? []).length;
    if (stars > MAX_SEGMENT_STARS)
      return `the glob segment '${s}' has ${stars} '*'; the limit is ${MAX_SEGMENT_STARS} per segment (more make matching slow on long names)`;
  }
  return undefined;
}

/** A glob with no syntax but `*` (no ?, [...], {...}, !, escapes): `wildcard` matches it exactly, in linear time. */
export function isStarsOnly(glob: string): boolean {
  return !/[?[\]{}!\\()]/.test(glob);
}
