// The starting point of a custom rule ("New Custom Rule"): a rule file that loads and a fixture that passes
// `serverless-advisor rules test`, so the author edits something that works.
import type { Hazard, Severity } from '../model';

export const RULE_ID = /^[a-z0-9][a-z0-9-]*$/;

export function ruleTemplate(id: string, hazard: Hazard, severity: Severity = 'warning'): string {
  return `# A Serverless Advisor rule: the format is in rules/schema.json (the editor completes and checks it).
# Test it with: npx serverless-advisor rules test .serverless-advisor/rules
id: ${id}
description: 'Describe what this rule finds, in one line'
hazard: ${hazard}
severity: ${severity}
# Conditions: fact, imports, calls, new, decorator, component, file, reaches, combined with all / any / not.
# \`serverless-advisor rules facts\` lists the facts the analyzer reports.
when:
  imports: 'legacy-session-store'
effect:
  # How a finding moves its components' classification, which targets it rules out, and story points to fix it.
  votes: { container: 1 }
  blocks: []
  effort: 1
message: '\`{{package}}\` is imported here: say why it stands in the way of serverless.'
fix: 'Say how to fix it.'
links: []
`;
}

/** A fixture for the template: one line where the rule must fire, one look-alike where it must not. */
export function ruleFixture(id: string): { file: string; text: string }[] {
  return [
    {
      file: 'package.json',
      text:
        JSON.stringify(
          {
            name: `${id}-fixture`,
            private: true,
            dependencies: { 'legacy-session-store': '1.0.0', express: '4.21.2' },
          },
          null,
          2,
        ) + '\n',
    },
    {
      file: 'src/app.ts',
      text: `import express from 'express';
// ruleid: ${id}
import { store } from 'legacy-session-store';
// ok: ${id}
import { other } from 'modern-session-store';

const app = express();
app.get('/profile', (req, res) => {
  res.json({ user: store.get(req.query.id), other });
});
`,
    },
  ];
}
