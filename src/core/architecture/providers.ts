// What each cloud calls the pieces of the proposed architecture, and which priced offerings quote them.
import type { Provider } from '../model';

export interface ProviderNames {
  name: string;
  gateway: string;
  functions: string;
  edge: string;
  containers: string;
  queue: string;
  scheduler: string;
  /** A key-value / document store for state and sessions. */
  kv: string;
  storage: string;
  identity: string;
  workflow: string;
  websocket: string;
  cache: string;
  /** What pools database connections for functions; undefined where the cloud has nothing managed for it. */
  dbProxy: (engine: string) => string | undefined;
  /** Offerings (rules/pricing) quoted for a function, an HTTP function behind the gateway, an edge function, a container. */
  offerings: { function: string[]; http: string[]; edge: string[]; container: string[] };
  /** Priced managed services (role `baas`) by what they stand for. */
  managed: Partial<Record<'queue' | 'scheduler' | 'kv' | 'storage' | 'identity' | 'workflow', string>>;
}

export const PROVIDERS: Record<Provider, ProviderNames> = {
  aws: {
    name: 'AWS',
    gateway: 'API Gateway',
    functions: 'Lambda',
    edge: 'Lambda@Edge / CloudFront Functions',
    containers: 'Fargate',
    queue: 'SQS',
    scheduler: 'EventBridge Scheduler',
    kv: 'DynamoDB',
    storage: 'S3',
    identity: 'Cognito',
    workflow: 'Step Functions',
    websocket: 'API Gateway WebSocket API',
    cache: 'ElastiCache',
    dbProxy: (engine) => (engine === 'postgres' || engine === 'mysql' || engine === 'sql' ? 'RDS Proxy' : undefined),
    offerings: {
      function: ['aws-lambda-arm64', 'aws-lambda-x86'],
      http: ['aws-lambda-arm64-http-api', 'aws-lambda-x86-http-api', 'aws-lambda-arm64', 'aws-lambda-x86'],
      edge: ['aws-lambda-arm64', 'aws-lambda-x86'],
      container: ['aws-fargate-arm64', 'aws-fargate-x86', 'aws-ec2'],
    },
    managed: {
      queue: 'aws-sqs',
      scheduler: 'aws-eventbridge-scheduler',
      kv: 'aws-dynamodb',
      storage: 'aws-s3',
      identity: 'aws-cognito',
      workflow: 'aws-step-functions',
    },
  },
  azure: {
    name: 'Azure',
    gateway: 'API Management',
    functions: 'Azure Functions',
    edge: 'Front Door + Functions',
    containers: 'Container Apps',
    queue: 'Service Bus',
    scheduler: 'Timer trigger',
    kv: 'Cosmos DB',
    storage: 'Blob Storage',
    identity: 'Entra ID',
    workflow: 'Durable Functions',
    websocket: 'Web PubSub',
    cache: 'Azure Cache for Redis',
    dbProxy: (engine) => (engine === 'postgres' ? 'PgBouncer (built into Flexible Server)' : undefined),
    offerings: {
      function: ['azure-functions-flex'],
      http: ['azure-functions-flex'],
      edge: ['azure-functions-flex'],
      container: [],
    },
    managed: {},
  },
  gcp: {
    name: 'Google Cloud',
    gateway: 'API Gateway',
    functions: 'Cloud Run functions',
    edge: 'Cloud CDN + Cloud Run functions',
    containers: 'Cloud Run',
    queue: 'Pub/Sub',
    scheduler: 'Cloud Scheduler',
    kv: 'Firestore',
    storage: 'Cloud Storage',
    identity: 'Identity Platform',
    workflow: 'Workflows',
    websocket: 'Cloud Run (websockets)',
    cache: 'Memorystore',
    dbProxy: () => undefined,
    offerings: {
      function: ['gcp-cloud-run-functions'],
      http: ['gcp-cloud-run-functions'],
      edge: ['gcp-cloud-run-functions'],
      container: ['gcp-cloud-run-instance'],
    },
    managed: {},
  },
  cloudflare: {
    name: 'Cloudflare',
    gateway: 'Workers routes',
    functions: 'Workers',
    edge: 'Workers',
    containers: 'Containers',
    queue: 'Queues',
    scheduler: 'Cron Triggers',
    kv: 'D1 / KV',
    storage: 'R2',
    identity: 'Access',
    workflow: 'Workflows',
    websocket: 'Durable Objects',
    cache: 'KV',
    dbProxy: (engine) => (engine === 'postgres' || engine === 'mysql' || engine === 'sql' ? 'Hyperdrive' : undefined),
    offerings: {
      function: ['cloudflare-workers'],
      http: ['cloudflare-workers'],
      edge: ['cloudflare-workers'],
      container: [],
    },
    managed: {},
  },
};
