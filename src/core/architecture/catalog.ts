// The services outside the code that the architecture model knows by their client packages: what each package
// talks to, and how the diagrams name and draw it. Data, not logic: add a package here to have it recognised.
import type { Provider } from '../model';

export type ServiceKind = 'database' | 'cache' | 'queue' | 'storage' | 'search' | 'email' | 'api' | 'cloud';

export interface ServiceInfo {
  /** The catalogue key, as in `ServiceUse.service`. */
  key: string;
  label: string;
  kind: ServiceKind;
  /** The cloud it belongs to, for services that are one cloud's managed service. */
  provider?: Provider;
  /** What a managed service of the proposal stands in for (see providers.ts). */
  role?: 'queue' | 'storage' | 'kv' | 'cache' | 'identity' | 'scheduler';
  /** The label of an arrow to it. */
  edge: string;
  /** SQL engines: the connection pool a function needs a proxy for. */
  sql?: boolean;
}

const S = (
  key: string,
  label: string,
  kind: ServiceKind,
  edge: string,
  more: Partial<ServiceInfo> = {},
): ServiceInfo => ({ key, label, kind, edge, ...more });

export const SERVICES: Record<string, ServiceInfo> = Object.fromEntries(
  [
    S('postgres', 'PostgreSQL', 'database', 'SQL', { sql: true }),
    S('mysql', 'MySQL', 'database', 'SQL', { sql: true }),
    S('sqlserver', 'SQL Server', 'database', 'SQL', { sql: true }),
    S('oracle', 'Oracle Database', 'database', 'SQL', { sql: true }),
    S('sqlite', 'SQLite (a local file)', 'database', 'SQL'),
    S('sql', 'SQL database', 'database', 'SQL', { sql: true }),
    S('mongodb', 'MongoDB', 'database', 'queries'),
    S('redis', 'Redis', 'cache', 'commands', { role: 'cache' }),
    S('memcached', 'Memcached', 'cache', 'get / set', { role: 'cache' }),
    S('elasticsearch', 'Elasticsearch / OpenSearch', 'search', 'search'),
    S('bullmq', 'BullMQ (on Redis)', 'queue', 'enqueue', { role: 'queue' }),
    S('bull', 'Bull (on Redis)', 'queue', 'enqueue', { role: 'queue' }),
    S('bee-queue', 'Bee-Queue (on Redis)', 'queue', 'enqueue', { role: 'queue' }),
    S('kafka', 'Kafka', 'queue', 'produce'),
    S('amqp', 'RabbitMQ (AMQP)', 'queue', 'publish'),
    S('nats', 'NATS', 'queue', 'publish'),
    S('sqs', 'Amazon SQS', 'queue', 'messages', { provider: 'aws', role: 'queue' }),
    S('sns', 'Amazon SNS', 'queue', 'publish', { provider: 'aws' }),
    S('s3', 'Amazon S3', 'storage', 'objects', { provider: 'aws', role: 'storage' }),
    S('dynamodb', 'Amazon DynamoDB', 'database', 'items', { provider: 'aws', role: 'kv' }),
    S('ses', 'Amazon SES', 'email', 'e-mail', { provider: 'aws' }),
    S('cognito', 'Amazon Cognito', 'cloud', 'users', { provider: 'aws', role: 'identity' }),
    S('eventbridge', 'Amazon EventBridge', 'queue', 'events', { provider: 'aws' }),
    S('gcs', 'Cloud Storage', 'storage', 'objects', { provider: 'gcp', role: 'storage' }),
    S('pubsub', 'Pub/Sub', 'queue', 'publish', { provider: 'gcp', role: 'queue' }),
    S('firestore', 'Firestore', 'database', 'documents', { provider: 'gcp', role: 'kv' }),
    S('bigquery', 'BigQuery', 'database', 'queries', { provider: 'gcp' }),
    S('firebase', 'Firebase', 'cloud', 'calls', { provider: 'gcp' }),
    S('azure-blob', 'Azure Blob Storage', 'storage', 'blobs', { provider: 'azure', role: 'storage' }),
    S('service-bus', 'Azure Service Bus', 'queue', 'messages', { provider: 'azure', role: 'queue' }),
    S('cosmos', 'Azure Cosmos DB', 'database', 'items', { provider: 'azure', role: 'kv' }),
    S('azure-queue', 'Azure Queue Storage', 'queue', 'messages', { provider: 'azure' }),
    S('event-hubs', 'Azure Event Hubs', 'queue', 'events', { provider: 'azure' }),
    S('smtp', 'SMTP server', 'email', 'SMTP'),
    S('sendgrid', 'SendGrid', 'email', 'e-mail'),
    S('stripe', 'Stripe API', 'api', 'HTTPS'),
    S('twilio', 'Twilio API', 'api', 'HTTPS'),
    S('slack', 'Slack API', 'api', 'HTTPS'),
    S('openai', 'OpenAI API', 'api', 'HTTPS'),
    S('anthropic', 'Anthropic API', 'api', 'HTTPS'),
    S('http', 'HTTP API', 'api', 'HTTPS'),
  ].map((s) => [s.key, s]),
);

/** Package -> catalogue key. ORMs map to `sql` and are refined by the drivers installed (`ormEngine`). */
const PACKAGES: Record<string, string> = {
  pg: 'postgres',
  'pg-pool': 'postgres',
  postgres: 'postgres',
  'pg-promise': 'postgres',
  slonik: 'postgres',
  '@neondatabase/serverless': 'postgres',
  '@vercel/postgres': 'postgres',
  mysql: 'mysql',
  mysql2: 'mysql',
  '@planetscale/database': 'mysql',
  mssql: 'sqlserver',
  tedious: 'sqlserver',
  oracledb: 'oracle',
  'better-sqlite3': 'sqlite',
  sqlite3: 'sqlite',
  sqlite: 'sqlite',
  mongodb: 'mongodb',
  mongoose: 'mongodb',
  '@prisma/client': 'sql',
  knex: 'sql',
  sequelize: 'sql',
  typeorm: 'sql',
  'drizzle-orm': 'sql',
  kysely: 'sql',
  '@mikro-orm/core': 'sql',
  redis: 'redis',
  ioredis: 'redis',
  '@redis/client': 'redis',
  '@upstash/redis': 'redis',
  memcached: 'memcached',
  memjs: 'memcached',
  '@elastic/elasticsearch': 'elasticsearch',
  '@opensearch-project/opensearch': 'elasticsearch',
  bullmq: 'bullmq',
  bull: 'bull',
  'bee-queue': 'bee-queue',
  kafkajs: 'kafka',
  'node-rdkafka': 'kafka',
  '@confluentinc/kafka-javascript': 'kafka',
  amqplib: 'amqp',
  'amqp-connection-manager': 'amqp',
  nats: 'nats',
  '@aws-sdk/client-s3': 's3',
  '@aws-sdk/lib-storage': 's3',
  '@aws-sdk/s3-request-presigner': 's3',
  '@aws-sdk/client-sqs': 'sqs',
  'sqs-consumer': 'sqs',
  '@aws-sdk/client-sns': 'sns',
  '@aws-sdk/client-dynamodb': 'dynamodb',
  '@aws-sdk/lib-dynamodb': 'dynamodb',
  dynamoose: 'dynamodb',
  '@aws-sdk/client-ses': 'ses',
  '@aws-sdk/client-sesv2': 'ses',
  '@aws-sdk/client-cognito-identity-provider': 'cognito',
  '@aws-sdk/client-eventbridge': 'eventbridge',
  '@google-cloud/storage': 'gcs',
  '@google-cloud/pubsub': 'pubsub',
  '@google-cloud/firestore': 'firestore',
  '@google-cloud/bigquery': 'bigquery',
  'firebase-admin': 'firebase',
  '@azure/storage-blob': 'azure-blob',
  '@azure/service-bus': 'service-bus',
  '@azure/cosmos': 'cosmos',
  '@azure/storage-queue': 'azure-queue',
  '@azure/event-hubs': 'event-hubs',
  nodemailer: 'smtp',
  '@sendgrid/mail': 'sendgrid',
  stripe: 'stripe',
  twilio: 'twilio',
  '@slack/web-api': 'slack',
  openai: 'openai',
  '@anthropic-ai/sdk': 'anthropic',
};

/** Scoped packages that are SDK plumbing or runtimes, not a service of their own. */
const NOT_SERVICES = new Set([
  '@aws-sdk/types',
  '@aws-sdk/credential-providers',
  '@aws-sdk/credential-provider-node',
  '@aws-sdk/util-dynamodb',
  '@aws-sdk/smithy-client',
  '@azure/identity',
  '@azure/functions',
  '@azure/core-auth',
  '@azure/core-rest-pipeline',
  '@azure/abort-controller',
  '@google-cloud/functions-framework',
]);

/** aws-sdk v2: `new AWS.S3()` names the service by its member. */
const AWS_V2: Record<string, string> = {
  S3: 's3',
  SQS: 'sqs',
  SNS: 'sns',
  DynamoDB: 'dynamodb',
  'DynamoDB.DocumentClient': 'dynamodb',
  SES: 'ses',
  CognitoIdentityServiceProvider: 'cognito',
  EventBridge: 'eventbridge',
};

/** Packages that make HTTP requests; a call counts as a service use only when its URL's host is a literal. */
export const HTTP_CLIENTS = new Set([
  'axios',
  'node-fetch',
  'got',
  'undici',
  'ky',
  'superagent',
  'cross-fetch',
  'isomorphic-fetch',
  'http',
  'https',
  'node:http',
  'node:https',
]);

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function titleCase(s: string): string {
  return s
    .split('-')
    .filter(Boolean)
    .map((w) => (w.length <= 3 ? w.toUpperCase() : w[0]!.toUpperCase() + w.slice(1)))
    .join(' ');
}

/**
 * The service a module specifier talks to, or undefined when it is not a service client. `member` is the imported
 * name (`S3` of aws-sdk v2). Cloud SDKs not in the table get a generic entry of their cloud (`aws-kinesis`).
 */
export function serviceOfModule(specifier: string, member?: string): ServiceInfo | undefined {
  const pkg = packageOf(specifier);
  if (NOT_SERVICES.has(pkg)) return undefined;
  const key = PACKAGES[pkg];
  if (key) return SERVICES[key];
  if (pkg === 'aws-sdk') {
    const k = member ? AWS_V2[member] : undefined;
    return k ? SERVICES[k] : S('aws', 'AWS (aws-sdk v2)', 'cloud', 'API calls', { provider: 'aws' });
  }
  const cloud = /^@(aws-sdk|google-cloud|azure)\/(?:client-)?([a-z0-9-]+)$/.exec(pkg);
  if (cloud) {
    const [, scope, name] = cloud;
    if (!name || name.startsWith('core-') || name.startsWith('util-') || name.startsWith('middleware-'))
      return undefined;
    const provider: Provider = scope === 'aws-sdk' ? 'aws' : scope === 'azure' ? 'azure' : 'gcp';
    const prefix = provider === 'aws' ? 'AWS' : provider === 'azure' ? 'Azure' : 'Google Cloud';
    return S(`${provider}-${name}`, `${prefix} ${titleCase(name)}`, 'cloud', 'API calls', { provider });
  }
  return undefined;
}

const SQL_ENGINES = new Set(['postgres', 'mysql', 'sqlserver', 'oracle', 'sqlite']);

/** An ORM's engine, from the SQL drivers the project installs; `sql` when none or several. */
export function ormEngine(dependencies: ReadonlyMap<string, string>): ServiceInfo {
  const engines = new Set<string>();
  for (const name of dependencies.keys()) {
    const key = PACKAGES[name];
    if (key && SQL_ENGINES.has(key)) engines.add(key);
  }
  return engines.size === 1 ? SERVICES[[...engines][0]!]! : SERVICES.sql!;
}

/** A service the catalogue does not list (generic cloud SDKs): rebuilt from its key. */
export function serviceInfo(key: string): ServiceInfo {
  const known = SERVICES[key];
  if (known) return known;
  const m = /^(aws|azure|gcp)-(.+)$/.exec(key);
  if (m) {
    const prefix = m[1] === 'aws' ? 'AWS' : m[1] === 'azure' ? 'Azure' : 'Google Cloud';
    return S(key, `${prefix} ${titleCase(m[2]!)}`, 'cloud', 'API calls', { provider: m[1] as Provider });
  }
  if (key === 'aws') return S('aws', 'AWS (aws-sdk v2)', 'cloud', 'API calls', { provider: 'aws' });
  return S(key, key, 'api', 'calls');
}

/** The host of a URL text (`https://api.x.com/v1?...` -> `api.x.com`), undefined for loopback and non-URLs. */
export function hostOf(url: string): string | undefined {
  const m = /^(?:https?|wss?):\/\/(?:[^@/?#\s]*@)?(\[[^\]]+\]|[^/:?#\s]+)/i.exec(url.trim());
  if (!m) return undefined;
  const host = m[1]!.toLowerCase();
  if (host === 'localhost' || host === '127.0.0.1' || host === '0.0.0.0' || host === '[::1]') return undefined;
  // `https://${process.env.HOST}` leaves a placeholder, not a host.
  if (!/^[a-z0-9.[\]:-]+$/.test(host) || !/[a-z0-9]/.test(host)) return undefined;
  return host;
}
