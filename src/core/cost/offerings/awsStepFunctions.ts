import { afterFree, num, type OfferingCalculator } from '../offering';
import { amount, unitPrice } from '../pricing';

/** Step Functions Standard workflows for workers and orchestration, priced per state transition. */
export const awsStepFunctions: OfferingCalculator = {
  id: 'aws-step-functions',
  provider: 'aws',
  role: 'baas',
  figures: ['aws-step-functions.state-transitions', 'aws-step-functions.free-transitions'],
  applies: (_c, u) => u.stateTransitionsPerRequest > 0,
  meter: (u) => ({ transitions: u.requestsPerMonth * u.stateTransitionsPerRequest }),
  charge: (m, s, mode) => ({
    lines: {
      transitions:
        afterFree(m.transitions!, amount(s, 'aws-step-functions.free-transitions'), mode) *
        unitPrice(s, 'aws-step-functions.state-transitions'),
    },
  }),
  assumptions: (u) => [`Step Functions Standard: ${num(u.stateTransitionsPerRequest)} state transitions per run.`],
  accountAssumptions: (s, mode) => [
    mode.freeTier
      ? `Step Functions free tier applied once: ${num(amount(s, 'aws-step-functions.free-transitions'))} transitions a month.`
      : 'Step Functions free tier not applied.',
  ],
};
