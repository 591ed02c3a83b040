import type { Component, Hazard, Location, Severity } from '../model';
import type { Condition } from './types';

/** A place in the code a rule can point at: a fact, an import, a call, an instantiation, a decorator. */
export interface Site {
  /** file:line:column: what `all` intersects on. */
  key: string;
  file: string;
  location: Location;
  evidence: string;
  /** The unit around it, for attribution; undefined for component-level sites. */
  owner?: number;
  pos: number;
  end: number;
  attrs: Record<string, string | number | boolean>;
  /** The detector's own sentence and fix, for {{detail}} / {{detailFix}}. */
  detail?: string;
  detailFix?: string;
  basis?: string;
  /** Only a finding when some component reaches it. */
  requiresReach?: boolean;
  /** For component-level sites: the component itself. */
  component?: string;
  /** For facts: what the detector judged, used when no rule speaks for the fact. */
  hazard?: Hazard;
  severity?: Severity;
}

export interface SiteIndex {
  facts: Map<string, Site[]>;
  /** Import sites by module specifier as written, 'node:' prefix removed. */
  imports: Site[];
  /** Call, new and decorator sites recorded during the scan for the patterns the rules use. */
  calls: Site[];
  news: Site[];
  decorators: Site[];
}

export interface MatchContext {
  index: SiteIndex;
  components: Map<string, Component>;
  /** Components whose handlers reach the site. */
  componentsOf(site: Site): string[];
  /** Evaluates a nested condition (for matchers that take one, like `reaches`); the engine provides it. */
  evaluate?: (c: Condition) => Evaluated;
}

export interface Match {
  site: Site;
  /** Which of the site's components the finding may keep. */
  compOk?: (c: Component) => boolean;
}

export type Evaluated =
  | { kind: 'sites'; matches: Match[]; scoped?: boolean }
  | { kind: 'filter'; ok: (site: Site | undefined, comp: Component | undefined) => boolean; scoped?: boolean };

/** A `when` vocabulary entry: one file per matcher, listed in matchers/registry.ts. */
export interface Matcher {
  name: string;
  /** 'site' matchers find places; 'filter' matchers narrow them (by file, by component). */
  role: 'site' | 'filter';
  evaluate(value: unknown, condition: Record<string, unknown>, ctx: MatchContext): Evaluated;
}
