import { num, type OfferingCalculator } from '../offering';
import { unitPrice } from '../pricing';

/** S3 Standard for files a component reads or writes on local disk today. */
export const awsS3: OfferingCalculator = {
  id: 'aws-s3',
  provider: 'aws',
  role: 'baas',
  figures: ['aws-s3.storage', 'aws-s3.put-requests', 'aws-s3.get-requests'],
  applies: (_c, u) => u.objectGetsPerRequest > 0 || u.objectPutsPerRequest > 0,
  meter: (u) => ({
    gets: u.requestsPerMonth * u.objectGetsPerRequest,
    puts: u.requestsPerMonth * u.objectPutsPerRequest,
    storageGb: u.storageGb,
  }),
  charge: (m, s) => ({
    lines: {
      gets: m.gets! * unitPrice(s, 'aws-s3.get-requests'),
      puts: m.puts! * unitPrice(s, 'aws-s3.put-requests'),
      storage: m.storageGb! * unitPrice(s, 'aws-s3.storage'),
    },
  }),
  assumptions: (u) => [
    `S3 Standard: ${num(u.objectGetsPerRequest)} GET(s) and ${num(u.objectPutsPerRequest)} PUT(s) per invocation, ${num(u.storageGb)} GB stored; no data transfer.`,
  ],
  accountAssumptions: () => ['S3 has no always-free tier in this snapshot (its 12-month offer is not applied).'],
};
