/** Longest pattern a rule may carry, and longest text a pattern is tried on. */
export const MAX_PATTERN = 200;
export const MAX_SUBJECT = 2000;

/**
 * The most ways a pattern may have to match from one position (see `waysOf`). A backtracking matcher tries at most
 * about that many paths from each of the MAX_SUBJECT start positions, so a test stays near 10^7 steps (milliseconds):
 * one unbounded repetition (`.*`, `\w+`) fits (2,001 ways), two in a row (`.*a.*`: 4 million ways, 4 s measured on
 * 2,000 characters) do not, nor do thirteen optional parts in a row (`a?` x 13: 8,192 ways).
 */
export const MAX_WAYS = 5000;

/**
 * Why a rule's regular expression is unsafe, or undefined when it is fine. JavaScript has no regex timeout, so a
 * hostile pattern could hang the analysis: we refuse back-references and lookbehind, repetitions of a part that can
 * itself match in more than one way (`(a+)+`, `(a|a)*`: exponential time), and patterns whose repetitions multiply
 * past MAX_WAYS (`a*a*a*$`, `.*a.*!`: polynomial time, seconds to hours on 2,000 characters).
 */
export function checkRegex(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN)
    return `the regular expression is ${pattern.length} characters; the limit is ${MAX_PATTERN}`;
  try {
    new RegExp(pattern, 'u');
  } catch (e) {
    return `invalid regular expression: ${(e as Error).message}`;
  }
  if (/\\[1-9]|\\k</.test(pattern))
    return 'back-references are not allowed in rule patterns (they can make matching take exponential time)';
  if (/\(\?<[=!]/.test(pattern)) return 'lookbehind is not allowed in rule patterns';
  try {
    const ways = new WaysParser(pattern).pattern();
    if (ways > MAX_WAYS) {
      return (
        'the pattern repeats too freely: repetitions in a row (such as .*a.* or a*a*) multiply the work of every ' +
        'failed match (catastrophic backtracking); keep at most one unbounded repetition (*, +, {n,}) per alternative'
      );
    }
  } catch (e) {
    if (e instanceof Unsafe) return e.message;
    throw e;
  }
  return undefined;
}

class Unsafe extends Error {}

/**
 * Reads a pattern (already known to compile with the `u` flag) and counts the ways it can match from one position:
 * one per character, class or assertion; a sequence multiplies, alternatives add, an optional part adds one, and a
 * repetition counts its possible lengths (MAX_SUBJECT + 1 when unbounded). A part repeated without bound must have
 * one way only; a bounded repetition of a part with several counts every combination.
 */
class WaysParser {
  private i = 0;

  constructor(private readonly src: string) {}

  pattern(): number {
    const ways = this.alternatives();
    if (this.i < this.src.length) throw new Unsafe(`unexpected '${this.src[this.i]}' in the regular expression`);
    return ways;
  }

  private alternatives(): number {
    let ways = this.sequence();
    while (this.src[this.i] === '|') {
      this.i++;
      ways += this.sequence();
    }
    return ways;
  }

  private sequence(): number {
    let ways = 1;
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const start = this.i;
      const atom = this.atom();
      ways *= this.quantified(atom, start);
    }
    return ways;
  }

  private atom(): number {
    const ch = this.src[this.i]!;
    if (ch === '(') {
      this.i++;
      if (this.src[this.i] === '?') {
        this.i++;
        const kind = this.src[this.i];
        if (kind === '<')
          this.i = this.src.indexOf('>', this.i) + 1; // a named group (lookbehind was refused)
        else this.i++; // (?: (?= (?!
      }
      const ways = this.alternatives();
      this.i++; // ')'
      return ways;
    }
    if (ch === '[') {
      this.i++;
      while (this.i < this.src.length && this.src[this.i] !== ']') this.i += this.src[this.i] === '\\' ? 2 : 1;
      this.i++;
      return 1;
    }
    if (ch === '\\') {
      const next = this.src[this.i + 1];
      this.i += 2;
      // \u{...}, \p{...}, \P{...}: the braces belong to the escape, not a quantifier.
      if ((next === 'u' || next === 'p' || next === 'P') && this.src[this.i] === '{')
        this.i = this.src.indexOf('}', this.i) + 1;
      return 1;
    }
    this.i++;
    return 1;
  }

  /** The ways of an atom with the quantifier that follows it, if any. */
  private quantified(atom: number, start: number): number {
    const q = this.src[this.i];
    let min: number;
    let max: number;
    if (q === '*' || q === '+' || q === '?') {
      this.i++;
      min = q === '+' ? 1 : 0;
      max = q === '?' ? 1 : Infinity;
    } else if (q === '{') {
      const close = this.src.indexOf('}', this.i);
      const [lo, hi] = this.src.slice(this.i + 1, close).split(',');
      min = Number(lo);
      max = hi === undefined ? min : hi === '' ? Infinity : Number(hi);
      this.i = close + 1;
    } else return atom;
    if (this.src[this.i] === '?') this.i++; // lazy: the same paths, in another order
    if (max <= 1) return atom + (min === 0 ? 1 : 0);
    if (atom > 1 && max <= MAX_PATTERN) {
      // A bounded repetition of an ambiguous part: (a|b){2,3} has 4 + 8 ways.
      let ways = 0;
      for (let k = min; k <= max && ways <= MAX_WAYS; k++) ways += atom ** k;
      return ways;
    }
    if (atom > 1) {
      const part = this.src.slice(start, this.i);
      throw new Unsafe(
        /[*+{]/.test(this.src.slice(start + 1, this.i - 1).replace(/\\./g, ''))
          ? 'nested quantifiers like (a+)+ are not allowed in rule patterns (catastrophic backtracking); simplify the pattern'
          : `the repeated part ${part} can match in more than one way (like (a|ab)*), which makes matching take ` +
              'exponential time; repeat a character class instead ([ab]*)',
      );
    }
    return Math.min(max, MAX_SUBJECT) - Math.min(min, MAX_SUBJECT) + 1;
  }
}

const compiled = new Map<string, RegExp>();

/** Tests a pattern already accepted by checkRegex, on at most MAX_SUBJECT characters. */
export function safeTest(pattern: string, subject: string): boolean {
  let re = compiled.get(pattern);
  if (!re) compiled.set(pattern, (re = new RegExp(pattern, 'u')));
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
