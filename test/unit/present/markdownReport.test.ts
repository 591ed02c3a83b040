import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze } from '../../../src/core/analyze';
import { offeringLabel, usd } from '../../../src/core/labels';
import { readGitSource } from '../../../src/core/load/git';
import type { Report } from '../../../src/core/model';
import { renderMarkdown } from '../../../src/core/present/markdown';
import { loadRules } from '../../../src/core/rules/load';
import { checkMermaid } from '../architecture/mermaidCheck';
import { analyzeFiles, analyzeFixture, writeTree } from '../helpers';
import { validateReport } from '../schemaValidate';
import {
  expectedPhase,
  headings,
  mdLinks,
  outsideFences,
  PHASES,
  section,
  SECTIONS,
  tables,
  unescapeMd,
} from './reportText';

const EXAMPLE = path.resolve(__dirname, '../../../examples/shop-api');

/** The ```mermaid blocks of a Markdown text. */
function mermaidBlocks(md: string): string[] {
  return [...md.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

/** The components an evidence subsection lists: `- **name** at ...`. */
function evidenceNames(md: string, phase: string): string[] {
  const part = section(section(md, 'Evidence per component'), phase, 3);
  return [...part.matchAll(/^- \*\*(.+?)\*\* at /gm)].map((m) => unescapeMd(m[1]!));
}

describe('the Markdown migration report', () => {
  let report: Report;
  let md: string;
  let rules: ReturnType<typeof loadRules>['rules'];

  before(() => {
    report = validateReport(analyze({ root: EXAMPLE }));
    rules = loadRules({}).rules;
    // Written next to the example, as a team would keep it in the repository: links are relative to it.
    md = renderMarkdown(report, { rules, outFile: path.join(EXAMPLE, 'MIGRATION.md') });
  });

  describe('the example app (examples/shop-api)', () => {
    it('starts like every report of ours, with the tool version, the commit and the pricing date', () => {
      assert.match(md, /^# Serverless Advisor report: migration plan for shop-api\n/);
      const header = md.split('\n')[2]!;
      assert.ok(header.includes(`serverless-advisor ${report.tool.version}`), header);
      assert.ok(header.includes(`pricing snapshot of ${report.totals!.snapshotDate}`), header);
      assert.ok(header.includes('analysed folder `.`'), header);
      if (report.source?.commit) assert.ok(header.includes(`commit \`${report.source.commit}\``), header);
      else assert.ok(!header.includes('commit'), header);
      assert.ok(!md.includes(report.root), 'no absolute path: reports travel');
    });

    it('has the sections of a plan, in order, and the phases in the order to migrate', () => {
      assert.deepEqual(headings(md, 2), SECTIONS);
      const plan = section(md, 'Migration plan');
      assert.deepEqual(headings(plan, 3), PHASES);
      assert.deepEqual(headings(section(md, 'Risks'), 3), [
        'Cold starts on latency-critical paths',
        'Connection storms on the databases',
        'Vendor lock-in',
      ]);
    });

    it('opens with a summary of three to five lines that names the count, the moves, the effort and the cost', () => {
      const lines = section(md, 'Summary')
        .split('\n')
        .filter((l) => l.startsWith('- '));
      assert.ok(lines.length >= 3 && lines.length <= 5, `${lines.length} summary lines`);
      const text = unescapeMd(lines.join('\n'));
      assert.match(text, new RegExp(`has ${report.components.length} deployable components`));
      assert.match(text, /The plan moves 4 of them: 1 to a function as it is \(phase 1\) and 3 onto managed services/);
      assert.match(
        text,
        /Fixing `in-memory-session-store` at \[src\/server\.ts:31\]\(src\/server\.ts#L31\) would remove/,
      );
      assert.match(text, /Effort for phases 1 to 3: about [\d.]+ points/);
      assert.match(text, /On AWS, before free tiers, the proposal costs about \$[\d.,]+ a month/);
    });

    it('draws today and the proposal as Mermaid blocks that hold to the subset we write', () => {
      const blocks = mermaidBlocks(md);
      assert.equal(blocks.length, 2);
      const [today, proposed] = blocks.map((b) => checkMermaid(b));
      assert.deepEqual([...today!.nodes.keys()].sort(), report.architecture!.current.nodes.map((n) => n.id).sort());
      assert.deepEqual([...proposed!.nodes.keys()].sort(), report.architecture!.proposed.nodes.map((n) => n.id).sort());
      assert.ok(section(md, 'Today').includes('```mermaid'));
      assert.ok(section(md, 'Proposed on AWS').includes('```mermaid'));
    });

    it('puts each component in the phase its target and findings call for', () => {
      for (const phase of [...PHASES]) {
        const expected = report.components.filter((c) => expectedPhase(report, c) === phase).map((c) => c.name);
        const listed = phase === 'Phase 2: Small fixes' ? [] : evidenceNames(md, phase);
        assert.deepEqual(listed.sort(), expected.sort(), phase);
      }
      // The phase tables of the plan list the same components.
      const plan = section(md, 'Migration plan');
      const quick = tables(section(plan, 'Phase 1: Quick wins', 3))[0]!;
      assert.deepEqual(
        quick.slice(1).map((r) => unescapeMd(r[0]!)),
        ['bullmq worker "emails"'],
      );
      const managed = tables(section(plan, 'Phase 3: Managed services', 3))[0]!;
      assert.deepEqual(
        managed
          .slice(1)
          .map((r) => unescapeMd(r[0]!))
          .sort(),
        report.components
          .filter((c) => c.classification?.target === 'baas')
          .map((c) => c.name)
          .sort(),
      );
      assert.match(section(plan, 'Phase 2: Small fixes', 3), /^\s*None\.\s*$/);
      // Each managed component says which managed services carry it, from the proposed graph.
      assert.ok(managed.slice(1).every((r) => r[3]!.includes('EventBridge Scheduler (schedule)')));
    });

    it('says why the containers stay and which single fix would open functions to most of them', () => {
      const stays = unescapeMd(section(section(md, 'Migration plan'), 'Stays in containers', 3));
      assert.match(
        stays,
        /and 18 more: functions are ruled out by `in-memory-session-store` at \[src\/server\.ts:31\]/,
      );
      assert.match(stays, /ws \/ws: functions are ruled out by `websocket-connection-limits`/);
      assert.match(stays, /Fixing `in-memory-session-store` at .* removes the only block for 24 components/);
    });

    it('gives each phase its effort from the components` estimates, each shared fix counted once', () => {
      const plan = section(md, 'Migration plan');
      const effort = (phase: string): number =>
        Number(/Effort: about ([\d.]+) points?/.exec(unescapeMd(section(plan, phase, 3)))![1]);
      assert.equal(effort('Phase 1: Quick wins'), 1);
      const managed = report.components.filter((c) => c.classification?.target === 'baas');
      const sum = managed.reduce((a, c) => a + c.effort!.points, 0);
      // The pg pool reaches two of the three jobs: its fix counts once, so the phase takes less than the sum.
      assert.ok(effort('Phase 3: Managed services') < sum, `${effort('Phase 3: Managed services')} < ${sum}`);
      // Without the rules, the components' figures are added up, and the report says it is an upper bound.
      const plain = renderMarkdown(report);
      const p3 = unescapeMd(section(section(plain, 'Migration plan'), 'Phase 3: Managed services', 3));
      assert.match(p3, new RegExp(`Effort: about ${sum} points if the components' estimates are added up`));
    });

    it('quotes the totals of the report: today`s shape, every component on functions, and every offering', () => {
      const cost = section(md, 'Cost');
      const t = report.totals!;
      const [headline, offerings, breakEven] = tables(cost);
      const row = (label: string): string[] => headline!.find((r) => unescapeMd(r[0]!).startsWith(label))!;
      const fargate = t.offerings.find((o) => o.offering === 'aws-fargate-arm64')!;
      const lambda = t.offerings.find((o) => o.offering === 'aws-lambda-arm64-http-api')!;
      const before = (o: typeof fargate, k: 'low' | 'likely' | 'high'): string =>
        usd(Math.round((o.components[k] + o.accountAdjustment[k]) * 100) / 100);
      for (const [i, k] of (['low', 'likely', 'high'] as const).entries()) {
        assert.equal(unescapeMd(row("Today's shape")[2 + i]!), before(fargate, k));
        assert.equal(unescapeMd(row('Everything on functions')[2 + i]!), before(lambda, k));
      }
      assert.equal(unescapeMd(row("Today's shape")[1]!), 'Fargate arm64');
      // Every offering priced, with the bill of the totals.
      assert.equal(offerings!.length - 1, t.offerings.length);
      for (const o of t.offerings) {
        const r = offerings!.find((x) => unescapeMd(x[0]!) === offeringLabel(o.offering));
        assert.ok(r, o.offering);
        assert.deepEqual(
          r.slice(1).map(unescapeMd),
          [o.provider, o.role, usd(o.monthlyUsd.low), usd(o.monthlyUsd.likely), usd(o.monthlyUsd.high)],
          o.offering,
        );
      }
      assert.equal(breakEven!.length - 1, t.breakEven.length);
      // The break-even sentence is the report's for the pair compared above.
      const b = t.breakEven.find((x) => x.serverless === lambda.offering && x.container === fargate.offering)!;
      assert.ok(
        unescapeMd(cost).includes(`from about ${b.requestsPerMonth!.toLocaleString('en-US')} requests a month`),
        'break-even volume',
      );
      // The proposal is the sum of its parts.
      const parts = [...unescapeMd(cost).matchAll(/^- .*: \$([\d.,]+) – \$([\d.,]+) \(likely \$([\d.,]+)\)$/gm)];
      assert.equal(parts.length, 3);
      const likely = parts.reduce((a, m) => a + Number(m[3]!.replace(/,/g, '')), 0);
      assert.equal(unescapeMd(row('The proposal')[3]!), usd(Math.round(likely * 100) / 100));
      assert.match(unescapeMd(cost), /usage comes from defaults by component kind/i);
      assert.match(
        unescapeMd(cost),
        new RegExp(`${t.unverified.length} prices in these figures could not be verified`),
      );
    });

    it('names the risks from the findings: latency-critical paths, the pools and the cloud-specific services', () => {
      const risks = unescapeMd(section(md, 'Risks'));
      assert.match(risks, /25 components are on paths the code marks latency-critical/);
      assert.match(risks, /None of them moves in this plan/);
      assert.match(risks, /~2003 ms/);
      assert.match(
        risks,
        /`pg` opens a connection pool .* 1 component that moves to functions reaches it \(cron "0 3 \* \* \*"\)/,
      );
      assert.match(risks, /The proposal puts RDS Proxy in front of the database/);
      assert.match(
        risks,
        /The proposal uses services of AWS: Lambda, SQS, EventBridge Scheduler, DynamoDB and RDS Proxy/,
      );
      assert.match(risks, /`@aws-sdk\/client-s3` at \[src\/services\/storage\.ts:11\]/);
      assert.match(risks, /Knative or OpenFaaS/);
      assert.match(risks, /Ports and adapters/);
    });

    it('links every place to a real file and line of the example, relative to the report', () => {
      const links = mdLinks(md);
      assert.ok(links.length > 50, `${links.length} links`);
      for (const { text, href } of links) {
        const m = /^([^#]+)#L(\d+)$/.exec(href);
        assert.ok(m, href);
        const file = path.join(EXAMPLE, decodeURIComponent(m[1]!));
        assert.ok(fs.existsSync(file), href);
        const lines = fs.readFileSync(file, 'utf8').split('\n').length;
        assert.ok(Number(m[2]) >= 1 && Number(m[2]) <= lines, `${href}: the file has ${lines} lines`);
        assert.equal(unescapeMd(text), `${decodeURIComponent(m[1]!)}:${m[2]}`);
      }
      // Every finding's place is linked, in the findings list.
      const findings = section(md, 'Findings');
      for (const f of report.findings) assert.ok(findings.includes(`(${f.location.file}#L${f.location.line})`), f.id);
    });

    it('lists every finding once under its severity', () => {
      const findings = section(md, 'Findings');
      const titles = { error: 'Errors', warning: 'Warnings', info: 'Information' };
      for (const [sev, title] of Object.entries(titles)) {
        const n = report.findings.filter((f) => f.severity === sev).length;
        const part = section(findings, `${title} (${n})`, 3);
        assert.equal([...part.matchAll(/^- \*\*/gm)].length, n, title);
      }
    });

    it('keeps every table valid: each row has as many cells as its header', () => {
      for (const t of tables(md)) for (const r of t) assert.equal(r.length, t[0]!.length, r.join(' | '));
    });

    it('writes plain `file:line` places, not links, when it does not know where it will be read', () => {
      const plain = renderMarkdown(report);
      assert.deepEqual(mdLinks(plain), []);
      assert.ok(plain.includes('`src/server.ts:31`'));
      assert.ok(plain.includes('analysed folder `shop-api`'));
    });
  });

  describe('edge cases', () => {
    it('an empty folder: says there is nothing to migrate, every section still there', () => {
      const empty = analyzeFiles({});
      const text = renderMarkdown(empty);
      assert.deepEqual(headings(text, 2), SECTIONS);
      assert.match(
        section(text, 'Summary'),
        /no deployable components were found in 0 files, so there is nothing to migrate/,
      );
      assert.match(section(section(text, 'Migration plan'), 'Phase 1: Quick wins', 3), /None\./);
      assert.match(section(section(text, 'Migration plan'), 'Stays in containers', 3), /Nothing stays in containers\./);
      assert.match(section(text, 'Evidence per component'), /No deployable components were found\./);
      for (const t of tables(text)) for (const r of t) assert.equal(r.length, t[0]!.length);
    });

    it('everything in containers: nothing moves, the phases say so, the risks say the paths stay warm', () => {
      const all = structuredClone(report);
      for (const c of all.components) c.classification!.target = 'container';
      // The graphs are drawn again from the classification.
      delete all.architecture;
      const text = renderMarkdown(all, { rules });
      assert.match(unescapeMd(section(text, 'Summary')), /Nothing moves yet: all 29 components stay in containers/);
      for (const p of PHASES.slice(0, 3))
        assert.match(section(section(text, 'Migration plan'), p, 3), /^\s*None\.\s*$/);
      assert.deepEqual(evidenceNames(text, 'Stays in containers').length, 29);
      assert.match(unescapeMd(section(text, 'Risks')), /None of them moves in this plan/);
      assert.ok(!/Effort for phases 1 to 3/.test(section(text, 'Summary')));
    });

    it('no costs (--no-costs): the cost section says so and the plan still reads', () => {
      const text = renderMarkdown(validateReport(analyze({ root: EXAMPLE, costs: false })));
      assert.match(section(text, 'Cost'), /Costs were not computed for this report/);
      assert.ok(text.split('\n')[2]!.includes('no costs computed'));
      assert.deepEqual(headings(text, 2), SECTIONS);
    });

    it('hostile names (test/fixtures/architecture-hostile) stay text: no markup, no early fence, valid tables', () => {
      const h = analyzeFixture('architecture-hostile');
      const text = renderMarkdown(h, { outFile: path.join(os.tmpdir(), 'r.md') });
      const blocks = mermaidBlocks(text);
      assert.equal(blocks.length, 2);
      for (const b of blocks) checkMermaid(b);
      assert.equal((text.match(/^```/gm) ?? []).length, 4, 'only our fences');
      // Outside code: every `<` is escaped, no heading but ours, no raw pipe that would add a cell.
      const prose = outsideFences(text)
        .map((l) => l.replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, ''))
        .join('\n');
      assert.ok(!/(?<!\\)</.test(prose), 'an unescaped < outside code');
      assert.deepEqual(
        outsideFences(text).filter((l) => /^#/.test(l) && !/^#{1,3} /.test(l)),
        [],
      );
      assert.deepEqual(headings(text, 2), SECTIONS);
      for (const t of tables(text)) for (const r of t) assert.equal(r.length, t[0]!.length, r.join(' | '));
      // The names are there, as text.
      assert.ok(unescapeMd(text).includes('<img src=x onerror=alert(1)>'));
    });
  });

  describe('the analysed commit (load/git.ts reads .git without running git)', () => {
    const SHA = '0123456789abcdef0123456789abcdef01234567';
    const OTHER = 'fedcba9876543210fedcba9876543210fedcba98';
    let dirs: string[] = [];
    const tree = (files: Record<string, string>): string => {
      const d = writeTree(files);
      dirs.push(d);
      return d;
    };
    afterEach(() => {
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
      dirs = [];
    });

    it('follows HEAD to a loose branch ref, from the folder or any folder inside the checkout', () => {
      const d = tree({ '.git/HEAD': 'ref: refs/heads/main\n', '.git/refs/heads/main': `${SHA}\n`, 'pkg/a.ts': '' });
      assert.deepEqual(readGitSource(d), { commit: SHA, branch: 'main' });
      assert.deepEqual(readGitSource(path.join(d, 'pkg')), { commit: SHA, branch: 'main' });
    });

    it('finds a packed ref, a detached HEAD, and a branch with no commit yet', () => {
      const packed = tree({
        '.git/HEAD': 'ref: refs/heads/feature/x\n',
        '.git/packed-refs': `# pack-refs with: peeled fully-peeled sorted\n${OTHER} refs/heads/main\n${SHA} refs/heads/feature/x\n^${OTHER}\n`,
      });
      assert.deepEqual(readGitSource(packed), { commit: SHA, branch: 'feature/x' });
      assert.deepEqual(readGitSource(tree({ '.git/HEAD': `${SHA}\n` })), { commit: SHA });
      assert.deepEqual(readGitSource(tree({ '.git/HEAD': 'ref: refs/heads/main\n', '.git/refs/.keep': '' })), {
        branch: 'main',
      });
    });

    it('follows a `.git` file to a linked worktree`s folder, and its commondir for the refs', () => {
      const main = tree({
        'repo/.git/HEAD': 'ref: refs/heads/main\n',
        'repo/.git/refs/heads/main': `${OTHER}\n`,
        'repo/.git/refs/heads/topic': `${SHA}\n`,
        'repo/.git/worktrees/wt/HEAD': 'ref: refs/heads/topic\n',
        'repo/.git/worktrees/wt/commondir': '../..\n',
        'wt/.git': 'gitdir: ../repo/.git/worktrees/wt\n',
      });
      assert.deepEqual(readGitSource(path.join(main, 'wt')), { commit: SHA, branch: 'topic' });
    });

    it('gives nothing, and never throws, for what is missing or odd', () => {
      assert.equal(readGitSource(tree({ 'a.ts': '' })), undefined);
      assert.equal(readGitSource(path.join(os.tmpdir(), 'sa-no-such-folder-here')), undefined);
      assert.equal(readGitSource(tree({ '.git/HEAD': 'garbage\n' })), undefined);
      assert.equal(readGitSource(tree({ '.git': 'gitdir: /no/such/place\n' })), undefined);
      // A ref that would lead out of the git folder is refused, not read.
      const out = tree({ '.git/HEAD': 'ref: refs/../../secret\n', secret: `${SHA}\n` });
      assert.equal(readGitSource(out), undefined);
      // A ref whose file holds something else than an object name: the branch, no commit.
      assert.deepEqual(
        readGitSource(tree({ '.git/HEAD': 'ref: refs/heads/main\n', '.git/refs/heads/main': 'nope\n' })),
        {
          branch: 'main',
        },
      );
    });

    it('lands in the report (report.source) and in the header of the Markdown report', () => {
      const d = tree({
        '.git/HEAD': 'ref: refs/heads/main\n',
        '.git/refs/heads/main': `${SHA}\n`,
        'package.json': '{"dependencies":{"express":"4"}}',
        'app.ts': "import express from 'express';\nconst app = express();\napp.get('/n', (_q, s) => { s.json(1); });\n",
      });
      const r = validateReport(analyze({ root: d }));
      assert.deepEqual(r.source, { commit: SHA, branch: 'main' });
      assert.ok(renderMarkdown(r).split('\n')[2]!.includes(`commit \`${SHA}\` on \`main\``));
      assert.ok(!r.components.some((c) => c.location.file.startsWith('.git')));
    });
  });
});
