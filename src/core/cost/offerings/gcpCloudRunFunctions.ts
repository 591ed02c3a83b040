import { afterFree, billedMs, num, type Charges, type OfferingCalculator } from '../offering';
import { amount, table, unitPrice, type PricingSnapshot } from '../pricing';

/** Memory rounded up to a Cloud Run functions setting, with the vCPU Google allocates to it by default. */
export function gcpShape(s: PricingSnapshot, memoryMb: number): { memoryMb: number; vcpu: number } {
  const rows = table(s, 'gcp-cloud-run-functions.vcpu-by-memory')
    .map((r) => ({ memoryMb: Number(r.memoryMb), vcpu: Number(r.vcpu) }))
    .sort((a, b) => a.memoryMb - b.memoryMb);
  return rows.find((r) => r.memoryMb >= memoryMb) ?? rows[rows.length - 1]!;
}

/**
 * Google Cloud Run functions, billed as Cloud Run with request-based billing: vCPU-s and GiB-s of instance time
 * while serving (rounded up to 100 ms), plus requests; free tier per billing account.
 */
export const gcpCloudRunFunctions: OfferingCalculator = {
  id: 'gcp-cloud-run-functions',
  provider: 'gcp',
  role: 'function',
  figures: [
    'gcp-cloud-run-functions.vcpu-s',
    'gcp-cloud-run-functions.gib-s',
    'gcp-cloud-run-functions.requests',
    'gcp-cloud-run-functions.free-vcpu-s',
    'gcp-cloud-run-functions.free-gib-s',
    'gcp-cloud-run-functions.free-requests',
    'gcp-cloud-run-functions.rounding-ms',
    'gcp-cloud-run-functions.vcpu-by-memory',
  ],
  applies: () => true,
  meter(u, _c, s) {
    const shape = gcpShape(s, u.memoryMb);
    const seconds =
      u.requestsPerMonth * (billedMs(u.durationMs, amount(s, 'gcp-cloud-run-functions.rounding-ms')) / 1000);
    return {
      requests: u.requestsPerMonth,
      vcpuSeconds: seconds * shape.vcpu,
      gibSeconds: seconds * (shape.memoryMb / 1024),
    };
  },
  charge(m, s, mode): Charges {
    return {
      lines: {
        requests:
          afterFree(m.requests!, amount(s, 'gcp-cloud-run-functions.free-requests'), mode) *
          unitPrice(s, 'gcp-cloud-run-functions.requests'),
        cpu:
          afterFree(m.vcpuSeconds!, amount(s, 'gcp-cloud-run-functions.free-vcpu-s'), mode) *
          unitPrice(s, 'gcp-cloud-run-functions.vcpu-s'),
        memory:
          afterFree(m.gibSeconds!, amount(s, 'gcp-cloud-run-functions.free-gib-s'), mode) *
          unitPrice(s, 'gcp-cloud-run-functions.gib-s'),
      },
    };
  },
  assumptions(u, _c, s) {
    const shape = gcpShape(s, u.memoryMb);
    return [
      `Tier 1 region; ${num(u.memoryMb)} MB -> the ${num(shape.memoryMb)} MiB setting with its default ${num(shape.vcpu)} vCPU; ${num(u.durationMs)} ms rounded up to 100 ms.`,
      'One request per instance at a time (concurrency 1), so every request is billed its own instance time; raising concurrency would lower this.',
    ];
  },
  accountAssumptions(s, mode) {
    return [
      mode.freeTier
        ? `Cloud Run free tier applied once per billing account: ${num(amount(s, 'gcp-cloud-run-functions.free-vcpu-s'))} vCPU-s, ${num(amount(s, 'gcp-cloud-run-functions.free-gib-s'))} GiB-s, ${num(amount(s, 'gcp-cloud-run-functions.free-requests'))} requests a month.`
        : 'Cloud Run free tier not applied (freeTier: false).',
    ];
  },
};
