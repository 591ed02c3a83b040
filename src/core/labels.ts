// Short labels shared by the editor (CodeLens, tree, hovers) and the reports: one wording everywhere.
import type { Component, CostRange, OfferingCost, Target } from './model';

export const TARGET_LABELS: Record<Target, string> = {
  faas: 'serverless function',
  edge: 'edge function',
  baas: 'managed service',
  container: 'container',
  keep: 'not deployed',
};

const OFFERING_LABELS: Record<string, string> = {
  'aws-lambda-x86': 'Lambda x86',
  'aws-lambda-x86-http-api': 'Lambda x86 + HTTP API',
  'aws-lambda-arm64': 'Lambda arm64',
  'aws-lambda-arm64-http-api': 'Lambda arm64 + HTTP API',
  'azure-functions-flex': 'Azure Functions Flex',
  'gcp-cloud-run-functions': 'Cloud Run functions',
  'cloudflare-workers': 'Cloudflare Workers',
  'aws-fargate-x86': 'Fargate x86',
  'aws-fargate-arm64': 'Fargate arm64',
  'aws-ec2': 'EC2',
  'gcp-cloud-run-instance': 'Cloud Run (instance)',
  'aws-dynamodb': 'DynamoDB',
  'aws-sqs': 'SQS',
  'aws-s3': 'S3',
  'aws-eventbridge-scheduler': 'EventBridge Scheduler',
  'aws-cognito': 'Cognito',
  'aws-step-functions': 'Step Functions',
};

export function offeringLabel(id: string): string {
  return OFFERING_LABELS[id] ?? id;
}

/**
 * `$0.24`, `$2.10`, `$1,234`: cents below $100, whole dollars above. Without Intl, whose formatter costs a fraction of
 * a millisecond per call (every box of every diagram on every save); rounded on the decimal digits JavaScript prints
 * (0.145 -> 0.15), as Intl does, not on the binary value.
 */
export function usd(n: number): string {
  if (n > 0 && n < 0.01) return '<$0.01';
  if (n < 100) {
    const cents = Number(`${n}e2`);
    return `$${(Math.round(Number.isFinite(cents) ? cents : n * 100) / 100).toFixed(2)}`;
  }
  return `$${String(Math.round(n)).replace(/\B(?=(\d{3})+$)/g, ',')}`;
}

export function usdRange(r: CostRange): string {
  return `${usd(r.low)} – ${usd(r.high)} (likely ${usd(r.likely)})`;
}

/**
 * The offering to quote for a component: the preferred one when priced; else, for a container target, the cheapest
 * container; else the cheapest function offering.
 */
export function quotedCost(c: Component, preferred: string): OfferingCost | undefined {
  const costs = c.cost ?? [];
  const pref = costs.find((x) => x.offering === preferred);
  if (pref) return pref;
  const role = c.classification?.target === 'container' ? 'container' : 'function';
  return costs
    .filter((x) => x.role === role)
    .sort((a, b) => a.monthlyUsd.likely - b.monthlyUsd.likely || a.offering.localeCompare(b.offering))[0];
}

/** "faas · ~$2.10/mo on Lambda arm64 · cold start ~240 ms": the one-line summary of a component. */
export function componentSummary(c: Component, preferred: string): string {
  const parts: string[] = [c.classification?.target ?? 'unclassified'];
  const cost = quotedCost(c, preferred);
  if (cost) parts.push(`~${usd(cost.monthlyUsd.likely)}/mo on ${offeringLabel(cost.offering)}`);
  if (c.coldStart) parts.push(`cold start ~${c.coldStart.estimateMs} ms`);
  return parts.join(' · ');
}

/** The first sentence of a message, for one-line lists. */
export function firstSentence(text: string, max = 120): string {
  const m = /^(.+?[.!?:])(\s|$)/.exec(text);
  const s = (m ? m[1]! : text).replace(/[.:]$/, '');
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}
