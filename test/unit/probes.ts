import { ts } from '../../src/core/ts';
import type { Component, Report } from '../../src/core/model';
import type { Detector } from '../../src/core/scan/detector';
import { analyzeFiles } from './helpers';

// Stand-in hazard detectors and report formatters shared by the detector tests. A probe emits a fact with
// `requiresReach`, so it lands only on the components whose handlers reach it: the tests check what a detector's
// components reach, without depending on the details of the real hazard rules.

/**
 * Flags every top-level `new Map()` (rule `test-module-map`, a module-state warning): the module state that a
 * handler in another file shares across invocations, for the queue, schedule, websocket, NestJS, Next.js and
 * GraphQL tests.
 */
export const mapProbe: Detector = {
  id: 'test-module-map',
  mentions: ['new Map'],
  visit(node, ctx) {
    if (!ts.isVariableStatement(node) || node.parent !== ctx.sf) return;
    for (const d of node.declarationList.declarations) {
      const init = d.initializer;
      if (init && ts.isNewExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'Map') {
        ctx.fact({
          ruleId: 'test-module-map',
          hazard: 'module-state',
          severity: 'warning',
          message: 'module map',
          fix: 'move it',
          node: d,
          requiresReach: true,
        });
      }
    }
  },
};

/**
 * Flags every `touch()` call (rule `test-touch`, a module-state info): a marker the HTTP router tests put in
 * handlers, hooks and middleware to see exactly which routes reach which code.
 */
export const touchProbe: Detector = {
  id: 'test-touch',
  mentions: ['touch('],
  visit(node, ctx) {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'touch') {
      ctx.fact({
        ruleId: 'test-touch',
        hazard: 'module-state',
        severity: 'info',
        message: 'touched',
        fix: 'none',
        node,
        requiresReach: true,
      });
    }
  },
};

/**
 * Flags every `setInterval()` call (rule `probe-set-interval`, a background-timer warning): the functions tests use
 * it to check which deployed functions reach a timer, across files.
 */
export const timerProbe: Detector = {
  id: 'test-timer-probe',
  mentions: ['setInterval'],
  visit(node, ctx) {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'setInterval') {
      ctx.fact({
        ruleId: 'probe-set-interval',
        hazard: 'background-timer',
        severity: 'warning',
        message: 'a timer',
        fix: 'none',
        node,
        requiresReach: true,
      });
    }
  },
};

/**
 * Analyses in-memory projects with only `detectors` (a detector under test and its probe), so that other detectors'
 * components and findings stay out of the exact comparisons. `check` runs on every report (schema validation).
 */
export function analyzer(
  detectors: Detector[],
  options: { check?: (r: Report) => void } = {},
): (files: Record<string, string>) => Report {
  return (files) => {
    const r = analyzeFiles(files, { detectors });
    options.check?.(r);
    return r;
  };
}

/** A column of a summary line, between the component id and its location. */
export type SummaryColumn = 'kind' | 'name' | 'framework' | 'event';

function column(c: Component, col: SummaryColumn): string {
  switch (col) {
    case 'kind':
      return c.kind;
    case 'name':
      return c.name;
    case 'framework':
      return c.framework;
    case 'event':
      // The event of a deployed function's trigger, '-' when it has none.
      return (c.trigger.type === 'function' ? c.trigger.event : undefined) ?? '-';
  }
}

/**
 * A formatter of every component as one line `id | <columns> | file:line:column`, in report order, so that a test
 * compares all of a report's components, their order and their locations in one assertion. Each test file picks the
 * columns its detector is about: `summaryWith('kind', 'name')` gives `queue:bull:email | queue-consumer | bull queue
 * "email" | src/w.ts:4:1`.
 */
export function summaryWith(...columns: SummaryColumn[]): (r: Report) => string[] {
  return (r) =>
    r.components.map((c) =>
      [
        c.id,
        ...columns.map((col) => column(c, col)),
        `${c.location.file}:${c.location.line}:${c.location.column}`,
      ].join(' | '),
    );
}

/** `file:line -> component ids` of every finding, in report order: which components reach each probe's mark. */
export function reached(r: Report): string[] {
  return r.findings.map((f) => `${f.location.file}:${f.location.line} -> ${f.components.join(', ')}`);
}
