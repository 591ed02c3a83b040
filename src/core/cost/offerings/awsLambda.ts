import {
  afterFree,
  billedMs,
  MB_PER_GB,
  num,
  tieredCost,
  type ChargeMode,
  type Charges,
  type Meters,
  type OfferingCalculator,
} from '../offering';
import { amount, unitPrice, unitTiers } from '../pricing';
import { SECONDS_PER_MONTH } from '../schedule';
import type { Arch, ComponentUsage, CostSubject } from '../types';

/** HTTP-facing kinds: those that need an HTTP endpoint (function URL or API Gateway). */
export const HTTP_KINDS = new Set(['http-route', 'route-group', 'graphql']);

/**
 * Cold starts per month: every invocation while the function is idler than the keep-alive (about 10 minutes, so at
 * most 4,380 idle gaps a month), plus AWS's "under 1% of invocations" for busy functions.
 */
export function coldStartsPerMonth(invocations: number, share: number): number {
  return Math.min(invocations, SECONDS_PER_MONTH / 600 + share * invocations);
}

/** Provisioned concurrency for a component: the profile's, else (latency-critical) enough for its peak. */
export function provisioned(u: ComponentUsage, c: CostSubject): number {
  if (u.provisionedConcurrency > 0) return u.provisionedConcurrency;
  if (!c.latencyCritical) return 0;
  const avg = (u.requestsPerMonth * u.durationMs) / 1000 / SECONDS_PER_MONTH;
  return Math.max(1, Math.ceil(avg * u.peakToAverage - 1e-9));
}

/**
 * AWS Lambda on one architecture; `gateway` puts HTTP components behind API Gateway HTTP API (else a function URL,
 * which costs nothing extra). Duration is rounded up to 1 ms per invocation; tiers and the free tier (1M requests,
 * 400,000 GB-s, shared by both architectures) apply to the account's monthly total.
 */
export function awsLambda(arch: Arch, gateway: boolean): OfferingCalculator {
  const durationTiers = `aws-lambda.duration-${arch}`;
  const pc = `aws-lambda.pc-${arch}`;
  const pcDuration = `aws-lambda.pc-duration-${arch}`;
  return {
    id: `aws-lambda-${arch}${gateway ? '-http-api' : ''}`,
    provider: 'aws',
    role: 'function',
    figures: [
      'aws-lambda.requests',
      durationTiers,
      'aws-lambda.duration-rounding',
      'aws-lambda.free-requests',
      'aws-lambda.free-gb-s',
      pc,
      pcDuration,
      'aws-lambda.init-billing',
      'aws-lambda.init-share',
      gateway ? 'aws-api-gateway-http.requests' : 'aws-lambda-function-url.requests',
      ...(gateway ? ['aws-api-gateway-http.metering-increment'] : []),
    ],
    applies: () => true,
    meter(u, c, s): Meters {
      const gb = u.memoryMb / MB_PER_GB;
      const perInvocationGbs = (billedMs(u.durationMs, amount(s, 'aws-lambda.duration-rounding')) / 1000) * gb;
      const all = u.requestsPerMonth * perInvocationGbs;
      const pcCount = provisioned(u, c);
      // Environments kept warm serve up to their whole month of time; what exceeds them runs on demand.
      const pcCapacity = pcCount * gb * SECONDS_PER_MONTH;
      const pcServed = Math.min(all, pcCapacity);
      const onDemandShare = all > 0 ? (all - pcServed) / all : 1;
      const init = c.coldStart
        ? coldStartsPerMonth(u.requestsPerMonth * onDemandShare, amount(s, 'aws-lambda.init-share')) *
          (billedMs(c.coldStart.estimateMs, 1) / 1000) *
          gb
        : 0;
      const http = HTTP_KINDS.has(c.kind);
      return {
        requests: u.requestsPerMonth,
        gbSeconds: all - pcServed,
        initGbSeconds: init,
        pcGbSeconds: pcCapacity,
        pcDurationGbSeconds: pcServed,
        gatewayRequests:
          gateway && http
            ? u.requestsPerMonth *
              Math.max(1, Math.ceil(u.payloadKb / amount(s, 'aws-api-gateway-http.metering-increment') - 1e-9))
            : 0,
      };
    },
    charge(m, s, mode): Charges {
      const tiers = unitTiers(s, durationTiers);
      const gbs = afterFree(m.gbSeconds! + m.initGbSeconds!, amount(s, 'aws-lambda.free-gb-s'), mode);
      const duration = tieredCost(gbs, tiers);
      // INIT is billed as duration: shown as its own line, priced at the margin of the same tiers.
      const withoutInit = tieredCost(Math.max(0, gbs - m.initGbSeconds!), tiers);
      const lines: Record<string, number> = {
        requests:
          afterFree(m.requests!, amount(s, 'aws-lambda.free-requests'), mode) * unitPrice(s, 'aws-lambda.requests'),
        duration: withoutInit,
      };
      if (m.initGbSeconds) lines.init = duration - withoutInit;
      if (m.pcGbSeconds) {
        lines.provisionedConcurrency = m.pcGbSeconds * unitPrice(s, pc);
        lines.provisionedDuration = m.pcDurationGbSeconds! * unitPrice(s, pcDuration);
      }
      if (gateway) lines.gateway = tieredCost(m.gatewayRequests!, unitTiers(s, 'aws-api-gateway-http.requests'));
      return { lines };
    },
    assumptions(u, c, s) {
      const out = [
        `${arch} at ${num(u.memoryMb)} MB, ${num(u.durationMs)} ms per invocation rounded up to 1 ms; us-east-1 on-demand prices.`,
      ];
      if (HTTP_KINDS.has(c.kind)) {
        out.push(
          gateway
            ? `HTTP through API Gateway HTTP API, metered per ${amount(s, 'aws-api-gateway-http.metering-increment')} KB of payload (${num(u.payloadKb)} KB assumed); its 12-month new-customer free tier is not applied.`
            : 'HTTP through a Lambda function URL: no charge beyond Lambda requests and duration.',
        );
      } else if (c.kind === 'websocket')
        out.push('WebSocket connections need API Gateway WebSocket APIs, which this estimate does not price.');
      const p = provisioned(u, c);
      if (p > 0) {
        out.push(
          `${p} provisioned concurrent environment(s) kept warm all month (${u.provisionedConcurrency > 0 ? 'from the profile' : 'latency-critical: sized for the peak'}); invocations they can serve are billed at the provisioned duration rate, the rest on demand; the free tier does not cover them.`,
        );
      }
      if (c.coldStart) {
        out.push(
          `INIT billed (since 2025-08-01, ZIP on a managed runtime): ${num(c.coldStart.estimateMs)} ms estimated cold start on min(invocations, 4,380 idle gaps of ~10 min + ${amount(s, 'aws-lambda.init-share') * 100}% of invocations).`,
        );
      }
      return out;
    },
    accountAssumptions(s, mode: ChargeMode) {
      return [
        mode.freeTier
          ? `Lambda free tier applied once to the account: ${num(amount(s, 'aws-lambda.free-requests'))} requests and ${num(amount(s, 'aws-lambda.free-gb-s'))} GB-s a month (shared by x86 and arm64).`
          : 'Lambda free tier not applied (freeTier: false).',
        "Duration tiers apply to the account's monthly GB-s per architecture.",
      ];
    },
  };
}
