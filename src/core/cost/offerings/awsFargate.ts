import { fleetAssumption, fleetCharges, fleetMeters } from '../fleet';
import type { OfferingCalculator } from '../offering';
import { unitPrice } from '../pricing';
import type { Arch } from '../types';

/** The task every component's fleet runs: 1 vCPU / 2 GB, the size research.md's break-even figures use. */
export const FARGATE_TASK = { vcpu: 1, memoryGb: 2 };

/** AWS Fargate on one architecture: always-on tasks billed per vCPU-hour and GB-hour, 730 hours a month. */
export function awsFargate(arch: Arch): OfferingCalculator {
  const id = `aws-fargate-${arch}`;
  return {
    id,
    provider: 'aws',
    role: 'container',
    figures: [`${id}.vcpu-hour`, `${id}.gb-hour`],
    applies: () => true,
    meter: (u) => fleetMeters(u, FARGATE_TASK.vcpu),
    charge: (m, s) =>
      fleetCharges(m, {
        vcpu: FARGATE_TASK.vcpu * unitPrice(s, `${id}.vcpu-hour`),
        memory: FARGATE_TASK.memoryGb * unitPrice(s, `${id}.gb-hour`),
      }),
    assumptions: (u) => [
      fleetAssumption(
        u,
        `Fargate ${arch === 'x86' ? 'Linux/x86' : 'Linux/ARM'} tasks of 1 vCPU / 2 GB, us-east-1`,
        FARGATE_TASK.vcpu,
      ),
    ],
    accountAssumptions: () => [
      'All components share one fleet in the total (at least 2 tasks), sized for the sum of their peaks.',
    ],
  };
}
