import { afterFree, num, type OfferingCalculator } from '../offering';
import { amount, unitPrice } from '../pricing';

/** Cognito user pools (Essentials) for sign-in, priced per monthly active user when the profile gives MAU. */
export const awsCognito: OfferingCalculator = {
  id: 'aws-cognito',
  provider: 'aws',
  role: 'baas',
  figures: ['aws-cognito.essentials-mau', 'aws-cognito.free-mau'],
  applies: (_c, u) => u.monthlyActiveUsers > 0,
  // MAU do not scale with request volume: the same users sign in at every scenario.
  meter: (u) => ({ mau: u.monthlyActiveUsers }),
  charge: (m, s, mode) => ({
    lines: {
      users: afterFree(m.mau!, amount(s, 'aws-cognito.free-mau'), mode) * unitPrice(s, 'aws-cognito.essentials-mau'),
    },
  }),
  assumptions: (u) => [
    `Cognito Essentials: ${num(u.monthlyActiveUsers)} monthly active users (profile), the same in every scenario; users counted once per component that lists them.`,
  ],
  accountAssumptions: (s, mode) => [
    mode.freeTier
      ? `Cognito free tier applied once: ${num(amount(s, 'aws-cognito.free-mau'))} MAU a month.`
      : 'Cognito free tier not applied.',
  ],
};
