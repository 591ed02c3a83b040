import { ts } from '../../ts';
import type { Detector, FileContext } from '../../scan/detector';

/** Read once: the compiler API's exports are getters, too slow for per-node checks. */
const SK = ts.SyntaxKind;

/** module -> export names that open a pool or a long-lived connection. 'default' is the module's callable itself. */
const POOLS: Record<string, { names: string[]; what: string; fix: string }> = {
  pg: {
    names: ['Pool', 'Client', 'default.Pool', 'default.Client'],
    what: 'a PostgreSQL connection pool (pg)',
    fix: 'Put RDS Proxy (or PgBouncer / Neon / Supabase pooler) in front of the database, keep `max` at 1-2 per instance, or use an HTTP data API (Aurora Data API, Neon serverless driver).',
  },
  'pg-pool': {
    names: ['default', '*'],
    what: 'a PostgreSQL connection pool (pg-pool)',
    fix: 'Put RDS Proxy or PgBouncer in front of the database and keep the pool at 1-2 connections per instance.',
  },
  postgres: {
    names: ['default', '*'],
    what: 'a PostgreSQL connection pool (postgres.js)',
    fix: 'Put RDS Proxy or PgBouncer in front of the database and set `max: 1`; or use an HTTP driver.',
  },
  mysql: {
    names: ['createPool', 'createConnection'],
    what: 'a MySQL connection (mysql)',
    fix: "Use RDS Proxy or PlanetScale's HTTP driver, and keep one connection per instance.",
  },
  mysql2: {
    names: ['createPool', 'createConnection', 'createPoolCluster'],
    what: 'a MySQL connection pool (mysql2)',
    fix: 'Use RDS Proxy or an HTTP driver (PlanetScale serverless driver), and keep one connection per instance.',
  },
  'mysql2/promise': {
    names: ['createPool', 'createConnection', 'createPoolCluster'],
    what: 'a MySQL connection pool (mysql2)',
    fix: 'Use RDS Proxy or an HTTP driver (PlanetScale serverless driver), and keep one connection per instance.',
  },
  mongoose: {
    names: ['connect', 'createConnection'],
    what: 'a MongoDB connection pool (mongoose)',
    fix: "Connect once outside the handler with `maxPoolSize` of 1-5, reuse it across invocations, and check the cluster's connection limit (Atlas serverless or Data API for spiky load).",
  },
  mongodb: {
    names: ['MongoClient'],
    what: 'a MongoDB connection pool (MongoClient)',
    fix: 'Create the client once outside the handler with a small `maxPoolSize`, and size the cluster for instances x pool size.',
  },
  ioredis: {
    names: ['default', '*', 'Redis', 'Cluster', 'default.Cluster'],
    what: 'a persistent Redis connection (ioredis)',
    fix: 'Reuse one connection per instance created outside the handler, or use an HTTP Redis (Upstash) that needs no connection.',
  },
  redis: {
    names: ['createClient', 'createCluster'],
    what: 'a persistent Redis connection (node-redis)',
    fix: 'Reuse one connection per instance created outside the handler, or use an HTTP Redis (Upstash) that needs no connection.',
  },
  '@prisma/client': {
    names: ['PrismaClient'],
    what: 'a Prisma client with its own connection pool',
    fix: 'Set `connection_limit=1` in the URL and put a pooler in front (RDS Proxy, Prisma Accelerate, PgBouncer).',
  },
  knex: {
    names: ['default', '*', 'knex'],
    what: 'a knex connection pool',
    fix: 'Set `pool: { min: 0, max: 1 }` and put RDS Proxy or PgBouncer in front of the database.',
  },
  sequelize: {
    names: ['Sequelize'],
    what: 'a Sequelize connection pool',
    fix: "Set `pool: { max: 2, min: 0, idle: 0, acquire: 3000, evict: <function timeout> }` (Sequelize's Lambda guide) and use RDS Proxy.",
  },
  typeorm: {
    names: ['DataSource', 'createConnection'],
    what: 'a TypeORM connection pool',
    fix: 'Initialise the DataSource once per instance with a small pool and put RDS Proxy in front of the database.',
  },
  'generic-pool': {
    names: ['createPool'],
    what: 'a resource pool (generic-pool)',
    fix: 'Size the pool for one request at a time per instance, and move shared resources behind a proxy or managed service.',
  },
  amqplib: {
    names: ['connect'],
    what: 'a persistent AMQP connection',
    fix: 'Publish through a managed queue API (SQS, Service Bus, Pub/Sub) or Amazon MQ with one connection per instance.',
  },
};

function visit(n: ts.Node, ctx: FileContext): void {
  if (n.kind !== SK.NewExpression && n.kind !== SK.CallExpression) return;
  const node = n as ts.NewExpression | ts.CallExpression;
  const imp = ctx.importOf(node.expression);
  if (!imp) return;
  const spec = POOLS[imp.module];
  if (!spec || !spec.names.includes(imp.name)) return;
  // `Pool` named only as a type or a plain reference is not a pool; require a call or `new`.
  ctx.fact({
    ruleId: 'connection-pool-per-instance',
    hazard: 'connection-pool',
    severity: 'warning',
    message: `This opens ${spec.what}. Every function instance opens its own, and instances scale out by the hundreds, so the database runs out of connections under load; connections idle in frozen instances too.`,
    fix: spec.fix,
    node,
    attrs: { library: imp.module },
  });
}

export const poolsDetector: Detector = {
  id: 'connection-pools',
  mentions: Object.keys(POOLS),
  kinds: [SK.NewExpression, SK.CallExpression],
  visit,
};
