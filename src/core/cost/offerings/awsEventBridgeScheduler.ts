import { afterFree, num, type OfferingCalculator } from '../offering';
import { amount, unitPrice } from '../pricing';

/** Amazon EventBridge Scheduler for a scheduled job: one invocation per run. */
export const awsEventBridgeScheduler: OfferingCalculator = {
  id: 'aws-eventbridge-scheduler',
  provider: 'aws',
  role: 'baas',
  figures: ['aws-eventbridge-scheduler.invocations', 'aws-eventbridge-scheduler.free-invocations'],
  applies: (c) => c.kind === 'scheduled-job',
  meter: (u) => ({ invocations: u.requestsPerMonth }),
  charge: (m, s, mode) => ({
    lines: {
      invocations:
        afterFree(m.invocations!, amount(s, 'aws-eventbridge-scheduler.free-invocations'), mode) *
        unitPrice(s, 'aws-eventbridge-scheduler.invocations'),
    },
  }),
  assumptions: (u) => [
    `EventBridge Scheduler triggers the function ${num(u.requestsPerMonth)} times a month (one schedule invocation per run).`,
  ],
  accountAssumptions: (s, mode) => [
    mode.freeTier
      ? `Scheduler free tier applied once: ${num(amount(s, 'aws-eventbridge-scheduler.free-invocations'))} invocations a month.`
      : 'Scheduler free tier not applied.',
  ],
};
