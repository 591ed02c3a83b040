import { num, type Charges, type OfferingCalculator } from '../offering';
import { amount, unitPrice } from '../pricing';

/**
 * Cloudflare Workers Paid, Standard usage model: requests and CPU milliseconds (wall-clock duration is free). The
 * $5 account subscription and the usage it includes (10M requests, 30M CPU-ms) belong to the account, so they
 * appear in the total only.
 */
export const cloudflareWorkers: OfferingCalculator = {
  id: 'cloudflare-workers',
  provider: 'cloudflare',
  role: 'function',
  figures: [
    'cloudflare-workers.subscription',
    'cloudflare-workers.requests',
    'cloudflare-workers.cpu-ms',
    'cloudflare-workers.included-requests',
    'cloudflare-workers.included-cpu-ms',
  ],
  applies: () => true,
  meter(u) {
    return { requests: u.requestsPerMonth, cpuMs: u.requestsPerMonth * u.cpuMs };
  },
  charge(m, s, mode): Charges {
    const incReq = mode.account ? amount(s, 'cloudflare-workers.included-requests') : 0;
    const incCpu = mode.account ? amount(s, 'cloudflare-workers.included-cpu-ms') : 0;
    const lines: Record<string, number> = {};
    if (mode.account) lines.subscription = unitPrice(s, 'cloudflare-workers.subscription');
    lines.requests = Math.max(0, m.requests! - incReq) * unitPrice(s, 'cloudflare-workers.requests');
    lines.cpu = Math.max(0, m.cpuMs! - incCpu) * unitPrice(s, 'cloudflare-workers.cpu-ms');
    return { lines };
  },
  assumptions(u, c) {
    const out = [`Workers Paid (Standard): ${num(u.cpuMs)} CPU-ms per request billed; wall-clock time is not.`];
    if (c.hazards?.includes('node-only-api') || c.hazards?.includes('native-module')) {
      out.push('Its code uses Node-only APIs or native modules, which Workers may not run without changes.');
    }
    return out;
  },
  accountAssumptions(s) {
    return [
      `$${unitPrice(s, 'cloudflare-workers.subscription')} a month per account, including ${num(amount(s, 'cloudflare-workers.included-requests'))} requests and ${num(amount(s, 'cloudflare-workers.included-cpu-ms'))} CPU-ms, applied once (whatever freeTier says: they come with the subscription). The Workers Free plan is not modelled.`,
    ];
  },
};
