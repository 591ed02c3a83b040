import type { ComponentKind, Hazard, Severity, Target } from '../model';

/** A `when` condition: one matcher, or a combination. See rules/schema.json for the exact shapes. */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { reaches: Condition }
  | { fact: string; attrs?: Record<string, AttrTest> }
  | { imports: string }
  | { calls: string }
  | { new: string }
  | { decorator: string }
  | { component: ComponentTest }
  | { file: string };

/** An attribute equals a value, or (for strings) matches a bounded regular expression. */
export type AttrTest = string | number | boolean | { matches: string };

export interface ComponentTest {
  kind?: ComponentKind | ComponentKind[];
  framework?: string | string[];
  trigger?: { type?: string; method?: string; path?: string };
}

export interface RuleEffect {
  /** How a finding of this rule moves each target's score. */
  votes?: Partial<Record<Target, number>>;
  /** Targets this finding rules out. */
  blocks?: Target[];
  /** Story points to fix one finding. */
  effort?: number;
}

export interface Rule {
  id: string;
  description: string;
  hazard: Hazard;
  severity: Severity;
  when: Condition;
  effect: RuleEffect;
  message: string;
  fix: string;
  links?: string[];
  /** Root-relative or absolute path of the YAML file it came from. */
  source: string;
  builtin: boolean;
}

export type { Problem } from '../model';
