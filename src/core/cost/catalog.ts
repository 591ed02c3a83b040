import type { OfferingCalculator } from './offering';
import { awsCognito } from './offerings/awsCognito';
import { awsDynamoDb } from './offerings/awsDynamoDb';
import { awsEc2 } from './offerings/awsEc2';
import { awsEventBridgeScheduler } from './offerings/awsEventBridgeScheduler';
import { awsFargate } from './offerings/awsFargate';
import { awsLambda } from './offerings/awsLambda';
import { awsS3 } from './offerings/awsS3';
import { awsSqs } from './offerings/awsSqs';
import { awsStepFunctions } from './offerings/awsStepFunctions';
import { azureFunctionsFlex } from './offerings/azureFunctionsFlex';
import { cloudflareWorkers } from './offerings/cloudflareWorkers';
import { gcpCloudRunFunctions } from './offerings/gcpCloudRunFunctions';
import { gcpCloudRunInstance } from './offerings/gcpCloudRunInstance';

/** Every offering the cost model prices, in the order results list them. */
export const OFFERINGS: readonly OfferingCalculator[] = [
  awsLambda('x86', false),
  awsLambda('x86', true),
  awsLambda('arm64', false),
  awsLambda('arm64', true),
  azureFunctionsFlex,
  gcpCloudRunFunctions,
  cloudflareWorkers,
  awsFargate('x86'),
  awsFargate('arm64'),
  awsEc2,
  gcpCloudRunInstance,
  awsDynamoDb,
  awsSqs,
  awsS3,
  awsCognito,
  awsEventBridgeScheduler,
  awsStepFunctions,
];

export function offering(id: string): OfferingCalculator {
  const o = OFFERINGS.find((x) => x.id === id);
  if (!o) throw new Error(`unknown offering ${id}`);
  return o;
}
