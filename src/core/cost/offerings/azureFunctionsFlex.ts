import { afterFree, billedMs, MB_PER_GB, num, type Charges, type OfferingCalculator } from '../offering';
import { amount, table, unitPrice, type PricingSnapshot } from '../pricing';
import { SECONDS_PER_MONTH } from '../schedule';
import type { ComponentUsage } from '../types';

/** The smallest Flex instance size that holds the configured memory (the largest when none does). */
export function flexInstanceMb(s: PricingSnapshot, memoryMb: number): number {
  const sizes = table(s, 'azure-functions-flex.instance-memory-mb')
    .map((r) => Number(r.memoryMb))
    .sort((a, b) => a - b);
  return sizes.find((m) => m >= memoryMb) ?? sizes[sizes.length - 1]!;
}

/**
 * Average billed milliseconds per execution. The activity period is rounded up to 100 ms with a 1,000 ms minimum;
 * when another execution arrives within the minimum (probability 1 - e^-rate x 1 s for Poisson arrivals) the periods
 * merge and only the rounded duration is added.
 */
export function flexBilledMs(s: PricingSnapshot, u: ComponentUsage): number {
  const d = billedMs(u.durationMs, amount(s, 'azure-functions-flex.rounding-ms'));
  const min = amount(s, 'azure-functions-flex.minimum-billed-ms');
  const rate = u.requestsPerMonth / SECONDS_PER_MONTH;
  return d + Math.max(0, min - d) * Math.exp(-rate * (min / 1000));
}

/**
 * Azure Functions Flex Consumption, on demand: billed on the instance memory size (not the memory used) while
 * executing, each execution at least 1,000 ms and then in 100 ms steps; free grant 100,000 GB-s and 250,000
 * executions per subscription.
 */
export const azureFunctionsFlex: OfferingCalculator = {
  id: 'azure-functions-flex',
  provider: 'azure',
  role: 'function',
  figures: [
    'azure-functions-flex.gb-s',
    'azure-functions-flex.executions',
    'azure-functions-flex.free-gb-s',
    'azure-functions-flex.free-executions',
    'azure-functions-flex.minimum-billed-ms',
    'azure-functions-flex.rounding-ms',
    'azure-functions-flex.instance-memory-mb',
  ],
  applies: () => true,
  meter(u: ComponentUsage, _c, s) {
    return {
      executions: u.requestsPerMonth,
      gbSeconds: u.requestsPerMonth * (flexBilledMs(s, u) / 1000) * (flexInstanceMb(s, u.memoryMb) / MB_PER_GB),
    };
  },
  charge(m, s, mode): Charges {
    return {
      lines: {
        executions:
          afterFree(m.executions!, amount(s, 'azure-functions-flex.free-executions'), mode) *
          unitPrice(s, 'azure-functions-flex.executions'),
        duration:
          afterFree(m.gbSeconds!, amount(s, 'azure-functions-flex.free-gb-s'), mode) *
          unitPrice(s, 'azure-functions-flex.gb-s'),
      },
    };
  },
  assumptions(u, _c, s) {
    return [
      `On-demand Flex Consumption, East US; billed on the ${num(flexInstanceMb(s, u.memoryMb))} MB instance size that holds ${num(u.memoryMb)} MB.`,
      `${num(u.durationMs)} ms rounded up to 100 ms; an activity period is billed at least 1,000 ms, and periods merge when the next execution arrives within one (Poisson arrivals at the average rate): ${num(flexBilledMs(s, u))} ms billed per execution on average.`,
      'One execution per instance at a time: overlapping executions on one instance (HTTP concurrency) would share billed time, so busy apps may pay less.',
    ];
  },
  accountAssumptions(s, mode) {
    return [
      mode.freeTier
        ? `Flex free grant applied once per subscription: ${num(amount(s, 'azure-functions-flex.free-gb-s'))} GB-s and ${num(amount(s, 'azure-functions-flex.free-executions'))} executions a month.`
        : 'Flex free grant not applied (freeTier: false).',
    ];
  },
};
