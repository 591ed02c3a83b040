import { afterFree, num, type OfferingCalculator } from '../offering';
import { amount, unitPrice } from '../pricing';

/** DynamoDB on-demand for state a component keeps in memory today (module state, sessions, caches). */
export const awsDynamoDb: OfferingCalculator = {
  id: 'aws-dynamodb',
  provider: 'aws',
  role: 'baas',
  figures: [
    'aws-dynamodb.write-request-units',
    'aws-dynamodb.read-request-units',
    'aws-dynamodb.storage',
    'aws-dynamodb.free-storage',
  ],
  applies: (_c, u) => u.dbReadsPerRequest > 0 || u.dbWritesPerRequest > 0,
  meter: (u) => ({
    rru: u.requestsPerMonth * u.dbReadsPerRequest,
    wru: u.requestsPerMonth * u.dbWritesPerRequest,
    storageGb: u.storageGb,
  }),
  charge: (m, s, mode) => ({
    lines: {
      reads: m.rru! * unitPrice(s, 'aws-dynamodb.read-request-units'),
      writes: m.wru! * unitPrice(s, 'aws-dynamodb.write-request-units'),
      storage:
        afterFree(m.storageGb!, amount(s, 'aws-dynamodb.free-storage'), mode) * unitPrice(s, 'aws-dynamodb.storage'),
    },
  }),
  assumptions: (u) => [
    `DynamoDB on-demand, Standard table class: ${num(u.dbReadsPerRequest)} read(s) and ${num(u.dbWritesPerRequest)} write(s) per invocation, items up to 4 KB read / 1 KB written (one request unit each), ${num(u.storageGb)} GB stored.`,
  ],
  accountAssumptions: (s, mode) => [
    mode.freeTier
      ? `First ${num(amount(s, 'aws-dynamodb.free-storage'))} GB of DynamoDB storage free, applied once.`
      : 'DynamoDB free storage not applied.',
  ],
};
