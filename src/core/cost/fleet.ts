import { num, type Charges, type Meters } from './offering';
import { SECONDS_PER_MONTH } from './schedule';
import type { ComponentUsage } from './types';

/** Instances kept for availability, however small the load. */
export const MIN_INSTANCES = 2;
/** CPU share an instance is sized to run at, at the peak, leaving headroom for GC and bursts. */
export const TARGET_CPU = 0.7;

/**
 * Load of one component in instance-equivalents of `vcpu` vCPUs: in-flight requests over the concurrency the
 * instance holds (`concurrency` per vCPU), or CPU demand over its vCPUs at TARGET_CPU, whichever is larger. Peaks of
 * different components are assumed to coincide (summing them is the safe side).
 */
export function fleetMeters(u: ComponentUsage, vcpu: number): Meters {
  const avgRps = u.requestsPerMonth / SECONDS_PER_MONTH;
  const share = (rps: number): number =>
    Math.max((rps * u.durationMs) / 1000 / (u.concurrency * vcpu), (rps * u.cpuMs) / 1000 / (vcpu * TARGET_CPU));
  return { peakInstances: share(avgRps * u.peakToAverage), avgInstances: share(avgRps), requests: u.requestsPerMonth };
}

export function fleetInstances(m: Meters): number {
  return Math.max(MIN_INSTANCES, Math.ceil(m.peakInstances! - 1e-9));
}

/** Charges of `instances` running the whole month at `hourly` USD, split into lines. */
export function fleetCharges(m: Meters, hourlyLines: Record<string, number>): Charges {
  const instances = fleetInstances(m);
  const lines: Record<string, number> = {};
  for (const [k, v] of Object.entries(hourlyLines)) lines[k] = instances * v * (SECONDS_PER_MONTH / 3600);
  return { lines, instances };
}

export function fleetAssumption(u: ComponentUsage, shape: string, vcpu: number): string {
  return (
    `Always-on ${shape}: instances = max(${MIN_INSTANCES} for availability, ceil(peak requests/s x duration / (${num(u.concurrency)} in flight per vCPU x ${num(vcpu)} vCPU)), ` +
    `ceil(peak requests/s x CPU s / (${num(vcpu)} vCPU at ${TARGET_CPU * 100}%))), peak = ${num(u.peakToAverage)} x average; billed 730 h a month.`
  );
}
