import type { Classification, Component, ComponentKind, Hazard, Target } from '../model';
import { TARGETS } from '../model';
import type { RuledFinding } from '../rules/engine';

/**
 * The decision procedure, in one place:
 *
 * 1. Each component kind starts with base votes (a request handler leans to a function, a websocket server to a
 *    container, a cron job to a managed scheduler, a CLI to `keep`).
 * 2. `edge` is eligible only where the framework runs on Web-standard APIs (Hono, Next.js route handlers,
 *    Cloudflare Workers); there it starts ahead of `faas`.
 * 3. Every finding that reaches the component adds its rule's votes once per rule, and its rule's blocks rule
 *    targets out (an in-memory session store blocks `faas` and `edge` until it moves to a shared store).
 * 4. The target is the highest score among the targets not blocked (ties go to the cheaper, simpler target in
 *    the order faas, edge, baas, container, keep); when everything is blocked, `container` (it runs anything).
 * 5. Confidence grows with the margin over the runner-up and shrinks with the number of blockers overcome.
 * 6. Effort is the kind's base (wrapping a handler) plus each finding's rule effort.
 * 7. When the target is `baas`, the reasons name the managed service: the scheduler or websocket gateway for those
 *    kinds, and otherwise the fix of each rule that voted for `baas` (a home-grown login route's rule names
 *    Cognito / Entra External ID / Identity Platform / Auth0). Before this, an HTTP route classified `baas` got
 *    no word on what would replace it.
 */

const BASE: Record<ComponentKind, Partial<Record<Target, number>>> = {
  'http-route': { faas: 3, container: 1 },
  'route-group': { faas: 3, container: 1 },
  graphql: { faas: 2, container: 1 },
  'queue-consumer': { faas: 3, container: 1 },
  'scheduled-job': { baas: 3, faas: 1, container: 1 },
  websocket: { container: 3, baas: 2 },
  worker: { container: 3, faas: 1 },
  function: { faas: 4 },
  cli: { keep: 4 },
};

const BASE_WHY: Record<ComponentKind, string> = {
  'http-route': 'a request/response handler: the shape a function runs best',
  'route-group': 'request/response handlers: the shape functions run best',
  graphql: 'a GraphQL endpoint: one function can serve it, though long resolvers and subscriptions need care',
  'queue-consumer': 'a message handler: queue-triggered functions scale it with the backlog',
  'scheduled-job': 'an in-process schedule: a managed scheduler can trigger the job body as a function',
  websocket: 'persistent connections: a long-lived process, or a managed websocket gateway in front of functions',
  worker: 'a long-lived process: a container unless its work splits into triggered jobs',
  function: 'already a serverless function',
  cli: 'a command-line tool: not deployed',
};

const BASE_EFFORT: Record<ComponentKind, number> = {
  'http-route': 1,
  'route-group': 2,
  graphql: 2,
  'queue-consumer': 1,
  'scheduled-job': 1,
  websocket: 5,
  worker: 3,
  function: 0,
  cli: 0,
};

const EDGE_FRAMEWORKS = new Set(['hono', 'nextjs', 'cloudflare-workers']);

/** Managed services that replace home-grown pieces, per provider (AWS, Azure, Google Cloud, Cloudflare). */
export const MANAGED_SERVICES: Partial<Record<Hazard | 'scheduler' | 'websocket-gateway', string>> = {
  scheduler: 'EventBridge Scheduler / Azure Functions timer trigger / Cloud Scheduler / Cron Triggers',
  'websocket-gateway':
    'API Gateway WebSocket APIs / Azure Web PubSub / Firebase Realtime Database or a Cloud Run service / Durable Objects',
  'in-memory-session': 'DynamoDB or ElastiCache / Azure Cache for Redis / Memorystore / Workers KV',
  'in-memory-cache': 'ElastiCache / Azure Cache for Redis / Memorystore / Workers KV',
  'local-fs-write': 'S3 / Blob Storage / Cloud Storage / R2',
  'local-fs-read': 'S3 / Blob Storage / Cloud Storage / R2',
  'module-state': 'DynamoDB / Cosmos DB / Firestore / Durable Objects or D1',
};

const ORDER: Target[] = ['faas', 'edge', 'baas', 'container', 'keep'];

export interface ClassifyResult {
  classification: Classification;
  effort: { points: number };
}

export function classify(component: Component, findings: RuledFinding[]): ClassifyResult {
  const score = new Map<Target, number>(TARGETS.map((t) => [t, 0]));
  const why = new Map<Target, string[]>(TARGETS.map((t) => [t, []]));
  const add = (t: Target, n: number, reason: string): void => {
    score.set(t, score.get(t)! + n);
    if (n > 0) why.get(t)!.push(reason);
  };
  for (const [t, n] of Object.entries(BASE[component.kind]) as [Target, number][]) add(t, n, BASE_WHY[component.kind]);
  const edgeEligible =
    EDGE_FRAMEWORKS.has(component.framework) ||
    (component.trigger.type === 'function' && component.trigger.platform === 'cloudflare-workers');
  if (edgeEligible && component.kind !== 'cli')
    add('edge', 4, `${component.framework} runs on Web-standard APIs, so edge runtimes can host it`);

  const reasons: string[] = [BASE_WHY[component.kind]];
  /** Per blocked target: what blocks it (the rule, when a rule does) and the sentence to show. */
  const blocked = new Map<Target, { rule?: string; text: string }[]>();
  const seenRules = new Set<string>();
  let effort = BASE_EFFORT[component.kind];
  const hazards = new Set<Hazard>();
  const baasFixes: string[] = [];
  for (const { finding, rule } of findings) {
    effort += rule.effect.effort ?? 0;
    hazards.add(finding.hazard);
    if (seenRules.has(rule.id)) continue;
    seenRules.add(rule.id);
    const votes = Object.entries(rule.effect.votes ?? {}) as [Target, number][];
    const where = `${finding.location.file}:${finding.location.line}`;
    for (const [t, n] of votes) add(t, n, `${rule.id} at ${where}`);
    if ((rule.effect.votes?.baas ?? 0) > 0) baasFixes.push(`${rule.id}: ${finding.fix}`);
    if (votes.length || rule.effect.blocks?.length) {
      const moves = votes.map(([t, n]) => `${n > 0 ? '+' : ''}${n} ${t}`).join(', ');
      reasons.push(
        `${rule.id} (${where})${moves ? `: ${moves}` : ''}${rule.effect.blocks?.length ? `; blocks ${rule.effect.blocks.join(', ')}` : ''}`,
      );
    }
    for (const t of rule.effect.blocks ?? []) {
      const list = blocked.get(t) ?? [];
      list.push({ rule: rule.id, text: `${rule.id} (${where}): ${finding.message}` });
      blocked.set(t, list);
    }
  }
  if (!edgeEligible)
    blocked.set('edge', [
      ...(blocked.get('edge') ?? []),
      { text: `${component.framework} needs Node.js APIs that edge runtimes lack` },
    ]);

  const open = ORDER.filter((t) => !blocked.has(t) || t === 'container');
  open.sort((a, b) => score.get(b)! - score.get(a)! || ORDER.indexOf(a) - ORDER.indexOf(b));
  const target = open[0] ?? 'container';
  const runnerUp = open[1];
  const top = score.get(target)!;
  const second = runnerUp ? score.get(runnerUp)! : 0;
  const margin = (top - second) / (Math.abs(top) + Math.abs(second) + 2);
  const overcome = [...blocked.entries()].filter(([t]) => t !== 'edge' && score.get(t)! >= top).length;
  const confidence = Math.round(Math.min(0.95, Math.max(0.35, 0.55 + 0.4 * margin - 0.05 * overcome)) * 100) / 100;

  // Managed services to name: for `baas`, and for any hazard a managed service removes.
  if (target === 'baas' && component.kind === 'scheduled-job')
    reasons.push(
      `replace the in-process schedule with ${MANAGED_SERVICES.scheduler}, triggering the job body as a function`,
    );
  if (target === 'baas' && component.kind === 'websocket')
    reasons.push(`front it with ${MANAGED_SERVICES['websocket-gateway']}, with message handlers as functions`);
  if (target === 'baas') for (const f of baasFixes) reasons.push(`replace it with a managed service: ${f}`);
  for (const h of hazards) {
    const svc = MANAGED_SERVICES[h];
    if (svc) reasons.push(`${h}: move it to ${svc}`);
  }

  const alternatives = open
    .filter((t) => t !== target && score.get(t)! > 0 && score.get(t)! >= top - 3)
    .map((t) => ({ target: t, why: why.get(t)![0] ?? `scores ${score.get(t)} against ${top}` }));
  // A blocked target that would otherwise lead is what the team gets by fixing the blockers: say so.
  for (const t of ['faas', 'edge'] as Target[]) {
    const list = blocked.get(t);
    if (!list || t === target || score.get(t)! < top - 2 || (t === 'edge' && !edgeEligible)) continue;
    const rules = [...new Set(list.flatMap((l) => (l.rule ? [l.rule] : [])))];
    const points = findings
      .filter((f) => f.rule.effect.blocks?.includes(t))
      .reduce((a, f) => a + (f.rule.effect.effort ?? 0), 0);
    alternatives.unshift({
      target: t,
      why: `once ${rules.join(', ')} ${rules.length > 1 ? 'are' : 'is'} fixed (about ${points} points)`,
    });
  }
  const blockers = [...blocked.entries()]
    .filter(([t]) => t !== target)
    .flatMap(([t, list]) => list.map((l) => `${t}: ${l.text}`));
  return {
    classification: { target, confidence, reasons, blockers, alternatives },
    effort: { points: Math.round(effort * 10) / 10 },
  };
}
