import { afterFree, num, tieredCost, type OfferingCalculator } from '../offering';
import { amount, unitTiers } from '../pricing';

/** API requests per message: send, receive, delete. */
export const SQS_REQUESTS_PER_MESSAGE = 3;

/** Amazon SQS standard queue for a queue consumer: 3 requests per message, each 64 KB chunk a request. */
export const awsSqs: OfferingCalculator = {
  id: 'aws-sqs',
  provider: 'aws',
  role: 'baas',
  figures: ['aws-sqs.requests', 'aws-sqs.free-requests', 'aws-sqs.chunk-kb'],
  applies: (c) => c.kind === 'queue-consumer',
  meter: (u, _c, s) => ({
    requests:
      u.requestsPerMonth *
      SQS_REQUESTS_PER_MESSAGE *
      Math.max(1, Math.ceil(u.payloadKb / amount(s, 'aws-sqs.chunk-kb') - 1e-9)),
  }),
  charge: (m, s, mode) => ({
    lines: {
      requests: tieredCost(
        afterFree(m.requests!, amount(s, 'aws-sqs.free-requests'), mode),
        unitTiers(s, 'aws-sqs.requests'),
      ),
    },
  }),
  assumptions: (u) => [
    `SQS standard queue: ${SQS_REQUESTS_PER_MESSAGE} API requests (send, receive, delete) per message of ${num(u.payloadKb)} KB, each 64 KB chunk billed as a request; no batching.`,
  ],
  accountAssumptions: (s, mode) => [
    mode.freeTier
      ? `SQS free tier applied once: ${num(amount(s, 'aws-sqs.free-requests'))} requests a month.`
      : 'SQS free tier not applied.',
  ],
};
