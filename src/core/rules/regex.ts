/** Longest pattern a rule may carry, and longest text a pattern is tried on. */
export const MAX_PATTERN = 200;
export const MAX_SUBJECT = 2000;

/**
 * Why a rule's regular expression is unsafe, or undefined when it is fine. JavaScript has no regex timeout, so a
 * hostile pattern (`(a+)+$`) could hang the analysis: we refuse back-references, lookbehind, and quantified groups
 * that themselves contain a quantifier (star height above one), the shapes behind catastrophic backtracking.
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
  // Star height: a quantified group containing a quantifier.
  const stack: boolean[] = [];
  let escaped = false;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (escaped) {
      escaped = false;
      continue;
    }
    if (ch === '\\') {
      escaped = true;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === '(') stack.push(false);
    else if (ch === ')') {
      const hadQuantifier = stack.pop() ?? false;
      const next = pattern[i + 1];
      const quantified = next === '*' || next === '+' || next === '?' || next === '{';
      if (quantified && hadQuantifier) {
        return 'nested quantifiers like (a+)+ are not allowed in rule patterns (catastrophic backtracking); simplify the pattern';
      }
      if (stack.length && (hadQuantifier || quantified)) stack[stack.length - 1] = true;
    } else if ((ch === '*' || ch === '+' || ch === '{' || ch === '?') && stack.length) {
      stack[stack.length - 1] = true;
    }
  }
  return undefined;
}

const compiled = new Map<string, RegExp>();

/** Tests a pattern already accepted by checkRegex, on at most MAX_SUBJECT characters. */
export function safeTest(pattern: string, subject: string): boolean {
  let re = compiled.get(pattern);
  if (!re) compiled.set(pattern, (re = new RegExp(pattern, 'u')));
  return re.test(subject.length > MAX_SUBJECT ? subject.slice(0, MAX_SUBJECT) : subject);
}

/** A `*` wildcard pattern (module and callee names) as an anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${body}$`);
}
