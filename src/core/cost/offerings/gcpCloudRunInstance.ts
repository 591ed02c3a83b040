import { fleetAssumption, fleetInstances, fleetMeters } from '../fleet';
import { afterFree, type Charges, type OfferingCalculator } from '../offering';
import { amount, unitPrice } from '../pricing';
import { SECONDS_PER_MONTH } from '../schedule';

/** The instance every fleet runs: 1 vCPU / 2 GiB, matching the Fargate task. */
export const CLOUD_RUN_INSTANCE = { vcpu: 1, memoryGib: 2 };

/**
 * Google Cloud Run with instance-based billing ("CPU always allocated"), instances kept running all month: vCPU-s
 * and GiB-s of every instance-second, free tier per billing account in the total.
 */
export const gcpCloudRunInstance: OfferingCalculator = {
  id: 'gcp-cloud-run-instance',
  provider: 'gcp',
  role: 'container',
  figures: [
    'gcp-cloud-run-instance.vcpu-s',
    'gcp-cloud-run-instance.gib-s',
    'gcp-cloud-run-instance.requests',
    'gcp-cloud-run-instance.free-vcpu-s',
    'gcp-cloud-run-instance.free-gib-s',
    'gcp-cloud-run-instance.concurrency',
  ],
  applies: () => true,
  meter: (u) => fleetMeters(u, CLOUD_RUN_INSTANCE.vcpu),
  charge(m, s, mode): Charges {
    const instances = fleetInstances(m);
    const seconds = instances * SECONDS_PER_MONTH;
    return {
      instances,
      lines: {
        cpu:
          afterFree(seconds * CLOUD_RUN_INSTANCE.vcpu, amount(s, 'gcp-cloud-run-instance.free-vcpu-s'), mode) *
          unitPrice(s, 'gcp-cloud-run-instance.vcpu-s'),
        memory:
          afterFree(seconds * CLOUD_RUN_INSTANCE.memoryGib, amount(s, 'gcp-cloud-run-instance.free-gib-s'), mode) *
          unitPrice(s, 'gcp-cloud-run-instance.gib-s'),
        requests: m.requests! * unitPrice(s, 'gcp-cloud-run-instance.requests'),
      },
    };
  },
  assumptions: (u) => [
    fleetAssumption(
      u,
      'Cloud Run instances (instance-based billing) of 1 vCPU / 2 GiB, Tier 1, min instances kept running',
      CLOUD_RUN_INSTANCE.vcpu,
    ),
  ],
  accountAssumptions: (s, mode) => [
    'All components share one service in the total (at least 2 instances), sized for the sum of their peaks.',
    mode.freeTier
      ? `Instance-based free tier applied once per billing account: ${amount(s, 'gcp-cloud-run-instance.free-vcpu-s').toLocaleString('en-US')} vCPU-s and ${amount(s, 'gcp-cloud-run-instance.free-gib-s').toLocaleString('en-US')} GiB-s a month.`
      : 'Cloud Run free tier not applied (freeTier: false).',
  ],
};
