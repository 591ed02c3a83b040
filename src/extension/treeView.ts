// The "Serverless Advisor" view: components by target, each with its findings, cost and cold start; problems and
// skipped files after them. One folder node per analysed folder when there are several.
import * as vscode from 'vscode';
import { TARGETS, type Component, type Finding, type Target } from '../core/model';
import { firstSentence, offeringLabel, quotedCost, TARGET_LABELS, usd, usdRange } from '../core/labels';
import { describe } from './codeLens';
import { Config } from './config';
import { uriOf, type FolderResult, type Results } from './results';

export interface Node {
  key: string;
  parent?: Node;
  item: vscode.TreeItem;
  children?: () => Node[];
  /** Set on component nodes, for reveal. */
  componentId?: string;
  root?: string;
}

const TARGET_ICONS: Record<Target, string> = {
  faas: 'zap',
  edge: 'globe',
  baas: 'cloud',
  container: 'package',
  keep: 'tools',
};
const SEVERITY_ICONS: Record<Finding['severity'], vscode.ThemeIcon> = {
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
  warning: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  info: new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground')),
};

export class ComponentTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: Node[] = [];
  private readonly byComponent = new Map<string, Node>();

  constructor(private readonly results: Results) {}

  refresh(): void {
    this.byComponent.clear();
    const all = this.results.all();
    this.roots =
      all.length === 1
        ? this.folderChildren(all[0]!, undefined)
        : all.map((r) => {
            const n: Node = {
              key: `folder:${r.root}`,
              item: new vscode.TreeItem(vscode.Uri.file(r.root), vscode.TreeItemCollapsibleState.Expanded),
            };
            n.item.description = `${r.report.components.length} components · ${r.report.findings.length} findings`;
            n.item.iconPath = vscode.ThemeIcon.Folder;
            const kids = this.folderChildren(r, n);
            n.children = () => kids;
            return n;
          });
    this.changed.fire();
  }

  getTreeItem(n: Node): vscode.TreeItem {
    return n.item;
  }

  getChildren(n?: Node): Node[] {
    return n ? (n.children?.() ?? []) : this.roots;
  }

  getParent(n: Node): Node | undefined {
    return n.parent;
  }

  /** The node of a component, for TreeView.reveal (CodeLens clicks). */
  nodeOf(root: string, componentId: string): Node | undefined {
    return this.byComponent.get(`${root}\u0000${componentId}`);
  }

  private folderChildren(r: FolderResult, parent: Node | undefined): Node[] {
    const preferred = new Config(vscode.workspace.getWorkspaceFolder(vscode.Uri.file(r.root))).preferredOffering;
    const findings = new Map(r.report.findings.map((f) => [f.id, f]));
    const byTarget = new Map<Target, Component[]>();
    for (const c of r.report.components) {
      const t = c.classification?.target ?? 'container';
      const list = byTarget.get(t) ?? [];
      list.push(c);
      byTarget.set(t, list);
    }
    const out: Node[] = [];
    for (const t of TARGETS) {
      const list = byTarget.get(t);
      if (!list?.length) continue;
      const n: Node = {
        key: `${r.root}:target:${t}`,
        parent,
        item: new vscode.TreeItem(`${t} (${list.length})`, vscode.TreeItemCollapsibleState.Expanded),
      };
      n.item.description = TARGET_LABELS[t];
      n.item.iconPath = new vscode.ThemeIcon(TARGET_ICONS[t]);
      n.item.contextValue = 'target';
      const kids = list
        .slice()
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((c) => this.componentNode(r, c, n, preferred, findings));
      n.children = () => kids;
      out.push(n);
    }
    if (!r.report.components.length) {
      out.push(
        leaf(`${r.root}:none`, parent, 'No components found', {
          description: `${r.report.stats.files} files read`,
          tooltip:
            'No HTTP routes, queue consumers, scheduled jobs, websocket servers, workers or function handlers were recognised. ' +
            'Check the log for skipped files, and the files.include / files.exclude settings.',
          icon: 'info',
        }),
      );
    }
    const problems = r.report.problems ?? [];
    if (problems.length) {
      const n: Node = {
        key: `${r.root}:problems`,
        parent,
        item: new vscode.TreeItem(`Problems (${problems.length})`, vscode.TreeItemCollapsibleState.Collapsed),
      };
      n.item.iconPath = new vscode.ThemeIcon('warning');
      n.item.tooltip = 'Broken rules, ignore comments without a reason, usage profile errors';
      n.children = () =>
        problems.map((p, i) =>
          leaf(`${r.root}:problem:${i}`, n, firstSentence(p.message), {
            description: `${p.file}:${p.line}`,
            tooltip: p.fix ? `${p.message}\n\nFix: ${p.fix}` : p.message,
            icon: p.severity === 'warning' ? 'warning' : 'error',
            open: { root: r.root, file: p.file, line: p.line, column: p.column },
          }),
        );
      out.push(n);
    }
    const skipped = r.report.stats.skipped;
    if (skipped.length) {
      const n: Node = {
        key: `${r.root}:skipped`,
        parent,
        item: new vscode.TreeItem(`Skipped files (${skipped.length})`, vscode.TreeItemCollapsibleState.Collapsed),
      };
      n.item.iconPath = new vscode.ThemeIcon('circle-slash');
      n.item.tooltip = 'Files the analysis could not read or parse, with the reason';
      n.children = () =>
        skipped.slice(0, 500).map((s, i) =>
          leaf(`${r.root}:skipped:${i}`, n, s.file, {
            description: s.reason,
            tooltip: `${s.file}: ${s.reason}`,
            icon: 'file',
            open: { root: r.root, file: s.file, line: 1, column: 1 },
          }),
        );
      out.push(n);
    }
    return out;
  }

  private componentNode(
    r: FolderResult,
    c: Component,
    parent: Node,
    preferred: string,
    findings: ReadonlyMap<string, Finding>,
  ): Node {
    const n: Node = {
      key: `${r.root}:component:${c.id}`,
      parent,
      componentId: c.id,
      root: r.root,
      item: new vscode.TreeItem(c.name, vscode.TreeItemCollapsibleState.Collapsed),
    };
    n.item.id = n.key;
    // Short: the label is the route, the target is the group; the offering is in the tooltip and the CodeLens.
    const cost = quotedCost(c, preferred);
    n.item.description =
      [cost && `${usd(cost.monthlyUsd.likely)}/mo`, c.coldStart && `cold ~${c.coldStart.estimateMs} ms`]
        .filter(Boolean)
        .join(' · ') || c.kind;
    const tip = new vscode.MarkdownString(describe(c, preferred));
    tip.isTrusted = false;
    n.item.tooltip = tip;
    n.item.iconPath = new vscode.ThemeIcon(c.findings.length ? 'symbol-event' : 'symbol-method');
    n.item.contextValue = 'component';
    n.item.command = openCommand(r.root, c.handler ?? c.location);
    n.children = () => {
      const kids: Node[] = [];
      const mine = c.findings.map((id) => findings.get(id)).filter((f): f is Finding => !!f);
      if (mine.length) {
        const g: Node = {
          key: `${n.key}:findings`,
          parent: n,
          item: new vscode.TreeItem(`Findings (${mine.length})`, vscode.TreeItemCollapsibleState.Expanded),
        };
        g.item.iconPath = new vscode.ThemeIcon('list-unordered');
        g.children = () =>
          mine.map((f) => {
            const fn = leaf(`${g.key}:${f.id}`, g, firstSentence(f.message.replace(/`/g, '')), {
              description: `${f.location.file}:${f.location.line}`,
              tooltip: `${f.ruleId} (${f.severity})\n\n${f.message}\n\nFix: ${f.fix}`,
              open: { root: r.root, ...f.location },
            });
            fn.item.iconPath = SEVERITY_ICONS[f.severity];
            return fn;
          });
        kids.push(g);
      }
      const cls = c.classification;
      if (cls) {
        const g: Node = {
          key: `${n.key}:why`,
          parent: n,
          item: new vscode.TreeItem(
            `Why ${cls.target} (${Math.round(cls.confidence * 100)}%)`,
            vscode.TreeItemCollapsibleState.Collapsed,
          ),
        };
        g.item.iconPath = new vscode.ThemeIcon('lightbulb');
        g.children = () => [
          ...cls.reasons.map((x, i) => leaf(`${g.key}:r${i}`, g, x, { icon: 'check', tooltip: x })),
          ...cls.blockers.map((x, i) => leaf(`${g.key}:b${i}`, g, x, { icon: 'circle-slash', tooltip: x })),
          ...cls.alternatives.map((a, i) =>
            leaf(`${g.key}:a${i}`, g, `${a.target}: ${a.why}`, { icon: 'arrow-swap', tooltip: a.why }),
          ),
        ];
        kids.push(g);
      }
      if (c.cost?.length) {
        const g: Node = {
          key: `${n.key}:cost`,
          parent: n,
          item: new vscode.TreeItem('Cost per month', vscode.TreeItemCollapsibleState.Collapsed),
        };
        g.item.iconPath = new vscode.ThemeIcon('credit-card');
        const costs = c.cost;
        g.children = () =>
          costs.map((x) =>
            leaf(`${g.key}:${x.offering}`, g, offeringLabel(x.offering), {
              description: `${usd(x.monthlyUsd.likely)} (${x.role})`,
              tooltip: `${usdRange(x.monthlyUsd)}\n\n${x.assumptions.slice(0, 6).join('\n')}`,
              icon: x.role === 'container' ? 'package' : x.role === 'baas' ? 'cloud' : 'zap',
            }),
          );
        kids.push(g);
      }
      if (c.coldStart)
        kids.push(
          leaf(`${n.key}:cold`, n, `Cold start ~${c.coldStart.estimateMs} ms`, {
            description: `${c.coldStart.bundleKb} KB bundled`,
            tooltip: c.coldStart.basis,
            icon: 'clock',
          }),
        );
      return kids;
    };
    this.byComponent.set(`${r.root}\u0000${c.id}`, n);
    return n;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function leaf(
  key: string,
  parent: Node | undefined,
  label: string,
  o: {
    description?: string;
    tooltip?: string;
    icon?: string;
    open?: { root: string; file: string; line: number; column: number };
  },
): Node {
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.description = o.description;
  item.tooltip = o.tooltip;
  if (o.icon) item.iconPath = new vscode.ThemeIcon(o.icon);
  if (o.open) item.command = openCommand(o.open.root, o.open);
  return { key, parent, item };
}

function openCommand(root: string, at: { file: string; line: number; column: number }): vscode.Command {
  return {
    command: 'serverlessAdvisor.openLocation',
    title: 'Open Code',
    arguments: [uriOf(root, at.file), at.line, at.column],
  };
}
