import { fleetAssumption, fleetCharges, fleetMeters } from '../fleet';
import type { OfferingCalculator } from '../offering';
import { table, unitPrice, type PricingSnapshot } from '../pricing';

function shape(s: PricingSnapshot): { instance: string; vcpu: number } {
  const row = table(s, 'aws-ec2.instance-shape')[0]!;
  return { instance: String(row.instance), vcpu: Number(row.vcpu) };
}

/** One EC2 instance type (m7g.large, non-burstable arm64) running around the clock, on-demand. */
export const awsEc2: OfferingCalculator = {
  id: 'aws-ec2',
  provider: 'aws',
  role: 'container',
  figures: ['aws-ec2.instance-hour', 'aws-ec2.instance-shape'],
  applies: () => true,
  meter: (u, _c, s) => fleetMeters(u, shape(s).vcpu),
  charge: (m, s) => fleetCharges(m, { instances: unitPrice(s, 'aws-ec2.instance-hour') }),
  assumptions: (u, _c, s) => [
    fleetAssumption(
      u,
      `EC2 ${shape(s).instance} instances (${shape(s).vcpu} vCPU), us-east-1 on-demand, no load balancer`,
      shape(s).vcpu,
    ),
  ],
  accountAssumptions: () => [
    'All components share one fleet in the total (at least 2 instances), sized for the sum of their peaks.',
  ],
};
