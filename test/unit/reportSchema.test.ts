import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyze } from '../../src/core/analyze';
import {
  ARCHITECTURE_TIERS,
  COMPONENT_KINDS,
  HAZARDS,
  REPORT_SCHEMA_VERSION,
  SEVERITIES,
  TARGETS,
  type ArchitectureCluster,
  type ArchitectureGraph,
  type ArchitectureNode,
  type Classification,
  type Component,
  type CostRange,
  type DeployedProcess,
  type Finding,
  type Location,
  type Report,
  type ServiceUse,
  type SkippedFile,
  type Trigger,
} from '../../src/core/model';
import { analyzeFiles } from './helpers';
import { reportSchema, validateReport } from './schemaValidate';

type SchemaNode = Record<string, unknown>;

/** Follows a JSON pointer ('#/$defs/Component/properties/id') into the schema, resolving a `$ref` at the end. */
function at(pointer: string): SchemaNode {
  let node: unknown = reportSchema;
  for (const part of pointer.replace(/^#\/?/, '').split('/').filter(Boolean)) {
    node = (node as SchemaNode)[part];
    assert.ok(node !== undefined, `schema has no ${pointer}`);
  }
  const ref = (node as SchemaNode).$ref;
  return typeof ref === 'string' ? at(ref) : (node as SchemaNode);
}

// Each key of a model type, marked required or optional. Typing the tables below with it makes `tsc` fail as soon as
// the model gains, loses or changes the optionality of a field, so the schema comparison cannot silently go stale.
type Shape<T> = {
  [K in keyof T]-?: Partial<Pick<T, K>> extends Pick<T, K> ? 'optional' : 'required';
};
type Item<T> = T extends readonly (infer U)[] ? U : never;
type Variant<K extends Trigger['type']> = Extract<Trigger, { type: K }>;

const LOCATION: Shape<Location> = {
  file: 'required',
  line: 'required',
  column: 'required',
  endLine: 'optional',
  endColumn: 'optional',
};
const COST_RANGE: Shape<CostRange> = {
  low: 'required',
  likely: 'required',
  high: 'required',
};
const GRAPH: Shape<ArchitectureGraph> = {
  nodes: 'required',
  edges: 'required',
  clusters: 'optional',
  provider: 'optional',
  notes: 'optional',
};

const SHAPES: [pointer: string, shape: Record<string, 'required' | 'optional'>][] = [
  [
    '#',
    {
      schemaVersion: 'required',
      tool: 'required',
      root: 'required',
      source: 'optional',
      stats: 'required',
      components: 'required',
      findings: 'required',
      suppressed: 'optional',
      problems: 'optional',
      architecture: 'optional',
      totals: 'optional',
      processes: 'optional',
    } satisfies Shape<Report>,
  ],
  ['#/properties/tool', { name: 'required', version: 'required' } satisfies Shape<Report['tool']>],
  ['#/properties/source', { commit: 'optional', branch: 'optional' } satisfies Shape<NonNullable<Report['source']>>],
  [
    '#/properties/stats',
    {
      files: 'required',
      skipped: 'required',
      durationMs: 'required',
      timings: 'optional',
    } satisfies Shape<Report['stats']>,
  ],
  [
    '#/properties/stats/properties/skipped/items',
    { file: 'required', reason: 'required' } satisfies Shape<SkippedFile>,
  ],
  [
    '#/properties/architecture',
    { current: 'required', proposed: 'required' } satisfies Shape<NonNullable<Report['architecture']>>,
  ],
  ['#/properties/architecture/properties/current', GRAPH],
  ['#/properties/architecture/properties/proposed', GRAPH],
  [
    '#/$defs/ArchitectureGraph/properties/nodes/items',
    {
      id: 'required',
      label: 'required',
      kind: 'required',
      tier: 'optional',
      style: 'optional',
      parent: 'optional',
      details: 'optional',
      components: 'optional',
      group: 'optional',
      cost: 'optional',
      coldStartMs: 'optional',
      service: 'optional',
      location: 'optional',
    } satisfies Shape<ArchitectureNode>,
  ],
  [
    '#/$defs/ArchitectureGraph/properties/nodes/items/properties/group',
    { id: 'required', count: 'required', targets: 'required' } satisfies Shape<NonNullable<ArchitectureNode['group']>>,
  ],
  [
    '#/$defs/ArchitectureGraph/properties/nodes/items/properties/cost',
    { offering: 'required', monthlyUsd: 'required', basis: 'required' } satisfies Shape<
      NonNullable<ArchitectureNode['cost']>
    >,
  ],
  [
    '#/$defs/ArchitectureGraph/properties/clusters/items',
    { id: 'required', label: 'required', tier: 'required', details: 'optional' } satisfies Shape<ArchitectureCluster>,
  ],
  [
    '#/$defs/ServiceUse',
    {
      service: 'required',
      via: 'required',
      resource: 'optional',
      operation: 'optional',
      location: 'required',
    } satisfies Shape<ServiceUse>,
  ],
  ['#/$defs/ServiceUse/properties/location', LOCATION],
  [
    '#/$defs/DeployedProcess',
    {
      id: 'required',
      name: 'required',
      entry: 'optional',
      basis: 'required',
      components: 'required',
    } satisfies Shape<DeployedProcess>,
  ],
  [
    '#/$defs/ArchitectureGraph/properties/edges/items',
    { from: 'required', to: 'required', label: 'optional' } satisfies Shape<Item<ArchitectureGraph['edges']>>,
  ],
  [
    '#/properties/totals',
    {
      snapshotDate: 'required',
      currency: 'required',
      scenarios: 'required',
      freeTier: 'required',
      usedDefaults: 'required',
      monthlyUsd: 'required',
      offerings: 'required',
      breakEven: 'required',
      curves: 'required',
      unverified: 'required',
      assumptions: 'required',
    } satisfies Shape<NonNullable<Report['totals']>>,
  ],
  ['#/properties/totals/properties/monthlyUsd/additionalProperties', COST_RANGE],
  [
    '#/properties/components/items',
    {
      id: 'required',
      kind: 'required',
      name: 'required',
      framework: 'required',
      location: 'required',
      handler: 'optional',
      trigger: 'required',
      findings: 'required',
      classification: 'optional',
      effort: 'optional',
      coldStart: 'optional',
      cost: 'optional',
      usage: 'optional',
      breakEven: 'optional',
      uses: 'optional',
    } satisfies Shape<Component>,
  ],
  ['#/$defs/Component/properties/location', LOCATION],
  ['#/$defs/Component/properties/handler', LOCATION],
  [
    '#/$defs/Component/properties/classification',
    {
      target: 'required',
      confidence: 'required',
      reasons: 'required',
      blockers: 'required',
      alternatives: 'required',
    } satisfies Shape<Classification>,
  ],
  [
    '#/$defs/Classification/properties/alternatives/items',
    { target: 'required', why: 'required' } satisfies Shape<Item<Classification['alternatives']>>,
  ],
  ['#/$defs/Component/properties/effort', { points: 'required' } satisfies Shape<NonNullable<Component['effort']>>],
  [
    '#/$defs/Component/properties/coldStart',
    {
      estimateMs: 'required',
      bundleKb: 'required',
      basis: 'required',
    } satisfies Shape<NonNullable<Component['coldStart']>>,
  ],
  [
    '#/$defs/OfferingCost',
    {
      offering: 'required',
      provider: 'required',
      role: 'required',
      monthlyUsd: 'required',
      breakdown: 'required',
      assumptions: 'required',
    } satisfies Shape<Item<NonNullable<Component['cost']>>>,
  ],
  ['#/$defs/OfferingCost/properties/monthlyUsd', COST_RANGE],
  [
    '#/properties/findings/items',
    {
      id: 'required',
      ruleId: 'required',
      hazard: 'required',
      severity: 'required',
      message: 'required',
      location: 'required',
      evidence: 'required',
      components: 'required',
      fix: 'required',
      basis: 'optional',
    } satisfies Shape<Finding>,
  ],
  ['#/$defs/Finding/properties/location', LOCATION],
];

const TRIGGERS: { [K in Trigger['type']]: Shape<Variant<K>> } = {
  http: { type: 'required', method: 'required', path: 'required' },
  graphql: { type: 'required', path: 'optional' },
  queue: { type: 'required', system: 'required', queue: 'required' },
  schedule: { type: 'required', system: 'required', schedule: 'required' },
  websocket: { type: 'required', path: 'optional', event: 'optional' },
  process: { type: 'required', system: 'required' },
  function: { type: 'required', platform: 'required', event: 'optional' },
  cli: { type: 'required', command: 'optional' },
};

function assertShape(pointer: string, shape: Record<string, 'required' | 'optional'>): void {
  const node = at(pointer);
  assert.equal(node.type, 'object', `${pointer} type`);
  assert.equal(node.additionalProperties, false, `${pointer} must forbid additional properties`);
  assert.deepEqual(
    Object.keys(node.properties as SchemaNode).sort(),
    Object.keys(shape).sort(),
    `${pointer} properties`,
  );
  const required = Object.keys(shape).filter((k) => shape[k] === 'required');
  assert.deepEqual([...(node.required as string[])].sort(), required.sort(), `${pointer} required`);
}

/** A report that uses every part of the model, optional parts included. Typed as Report so it follows the model. */
function fullReport(): Report {
  const range: CostRange = { low: 0.4, likely: 2.1, high: 9.8 };
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'serverless-advisor', version: '0.1.0' },
    root: '/home/dev/shop',
    source: { commit: '0123456789abcdef0123456789abcdef01234567', branch: 'main' },
    stats: {
      files: 3,
      skipped: [
        {
          file: 'src/bad.ts',
          reason: 'syntax error at 3:7: Expression expected.',
        },
      ],
      durationMs: 231,
      timings: { discover: 4, scan: 180, link: 2, attribute: 45 },
    },
    components: [
      {
        id: 'http:GET:/api/articles',
        kind: 'http-route',
        name: 'GET /api/articles',
        framework: 'express',
        location: { file: 'src/routes/articles.ts', line: 30, column: 1 },
        handler: { file: 'src/controllers/articles.ts', line: 12, column: 8 },
        trigger: { type: 'http', method: 'GET', path: '/api/articles' },
        findings: ['f-0123456789ab'],
        classification: {
          target: 'faas',
          confidence: 0.86,
          reasons: ['stateless request handler'],
          blockers: [],
          alternatives: [{ target: 'edge', why: 'no Node-only APIs' }],
        },
        effort: { points: 3 },
        coldStart: {
          estimateMs: 240,
          bundleKb: 1800,
          basis: 'node20 arm64, 41 modules imported',
        },
        cost: [
          {
            offering: 'aws-lambda-arm64',
            provider: 'aws',
            role: 'function',
            monthlyUsd: range,
            breakdown: { requests: 0.2, compute: 1.9 },
            assumptions: ['128 MB, 200 ms'],
          },
        ],
        uses: [
          { service: 'postgres', via: 'pg', location: { file: 'src/db.ts', line: 4, column: 21 } },
          {
            service: 'bullmq',
            via: 'bullmq',
            resource: 'emails',
            operation: 'enqueue',
            location: { file: 'src/jobs/queues.ts', line: 19, column: 27 },
          },
          {
            service: 'http',
            via: 'fetch',
            resource: 'api.exchangerate.host',
            location: { file: 'src/rates.ts', line: 8, column: 9 },
          },
        ],
      },
      {
        id: 'queue:bullmq:emails',
        kind: 'queue-consumer',
        name: 'bullmq worker "emails"',
        framework: 'bullmq',
        location: { file: 'src/jobs/emailWorker.ts', line: 5, column: 16 },
        trigger: { type: 'queue', system: 'bullmq', queue: 'emails' },
        findings: [],
      },
      {
        id: 'schedule:node-cron:src/jobs/nightly.js:0 3 * * *',
        kind: 'scheduled-job',
        name: 'cron "0 3 * * *"',
        framework: 'node-cron',
        location: { file: 'src/jobs/nightly.js', line: 3, column: 1 },
        trigger: {
          type: 'schedule',
          system: 'node-cron',
          schedule: '0 3 * * *',
        },
        findings: ['f-0123456789ab'],
      },
    ],
    findings: [
      {
        id: 'f-0123456789ab',
        ruleId: 'module-state-written-in-handler',
        hazard: 'in-memory-cache',
        severity: 'warning',
        message: 'The cache lives in module scope; function instances do not share memory.',
        location: {
          file: 'src/cache.ts',
          line: 3,
          column: 7,
          endLine: 3,
          endColumn: 30,
        },
        evidence: 'const cache = new Map();',
        components: ['http:GET:/api/articles', 'schedule:node-cron:src/jobs/nightly.js:0 3 * * *'],
        fix: 'Keep it in a managed store (DynamoDB, Redis).',
        basis: 'heuristic: Map written in a handler',
      },
    ],
    processes: [
      {
        id: 'process:src/server.ts',
        name: 'shop',
        entry: 'src/server.ts',
        basis: 'package.json main',
        components: ['http:GET:/api/articles', 'queue:bullmq:emails'],
      },
    ],
    architecture: {
      current: {
        nodes: [
          { id: 'app', label: 'shop (container)', kind: 'container' },
          {
            id: 'grp_routes_api_1abcdef',
            label: '/api/articles',
            kind: 'group',
            tier: 'containers',
            style: 'container',
            parent: 'prc_server_0abcdef',
            details: ['faas 2 · container 1', '3 routes'],
            components: ['http:GET:/api/articles'],
            group: { id: 'routes:/api/articles', count: 3, targets: { faas: 2, container: 1 } },
            cost: { offering: 'aws-lambda-arm64', monthlyUsd: range, basis: 'before free tiers' },
            coldStartMs: 240,
            location: { file: 'src/routes/articles.ts', line: 30, column: 1 },
          },
          {
            id: 'svc_postgres',
            label: 'PostgreSQL',
            kind: 'database',
            tier: 'services',
            style: 'external',
            service: 'postgres',
          },
        ],
        edges: [],
        clusters: [
          { id: 'prc_server_0abcdef', label: 'shop (src/server.ts)', tier: 'containers', details: ['3 components'] },
        ],
        notes: ['1 group of components'],
      },
      proposed: {
        nodes: [
          { id: 'fn', label: 'GET /api/articles', kind: 'function' },
          { id: 'db', label: 'Postgres', kind: 'store' },
        ],
        edges: [
          { from: 'fn', to: 'db', label: 'SQL' },
          { from: 'fn', to: 'db' },
        ],
        provider: 'aws',
      },
    },
    totals: {
      snapshotDate: '2026-11-27',
      currency: 'USD',
      scenarios: { low: 0.25, likely: 1, high: 4 },
      freeTier: true,
      usedDefaults: false,
      monthlyUsd: { 'aws-lambda-arm64': range },
      offerings: [],
      breakEven: [],
      curves: [],
      unverified: [],
      assumptions: [],
    },
  };
}

const DELETE = Symbol('delete');

/** A copy of the full report with the value at `where` replaced (or removed). */
function broken(where: (string | number)[], value: unknown): unknown {
  const report = structuredClone(fullReport()) as unknown;
  let node = report as Record<string | number, unknown>;
  for (const key of where.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = where[where.length - 1]!;
  if (value === DELETE) delete node[last];
  else node[last] = value;
  return report;
}

function rejects(report: unknown, error: RegExp): void {
  assert.throws(() => validateReport(report), error);
}

describe('report.schema.json', () => {
  describe('mirrors src/core/model.ts', () => {
    it('has the enums of the model, in the same order', () => {
      assert.deepEqual(at('#/$defs/ComponentKind').enum, [...COMPONENT_KINDS]);
      assert.deepEqual(at('#/$defs/Target').enum, [...TARGETS]);
      assert.deepEqual(at('#/$defs/Hazard').enum, [...HAZARDS]);
      assert.deepEqual(at('#/$defs/Severity').enum, [...SEVERITIES]);
      assert.deepEqual(at('#/$defs/ArchitectureTier').enum, [...ARCHITECTURE_TIERS]);
    });

    it('uses those enums where the model uses the vocabularies', () => {
      assert.equal(at('#/$defs/Component/properties/kind').enum, at('#/$defs/ComponentKind').enum);
      assert.equal(at('#/$defs/Finding/properties/hazard').enum, at('#/$defs/Hazard').enum);
      assert.equal(at('#/$defs/Finding/properties/severity').enum, at('#/$defs/Severity').enum);
      assert.equal(at('#/$defs/Classification/properties/target').enum, at('#/$defs/Target').enum);
      assert.equal(
        at('#/$defs/Classification/properties/alternatives/items/properties/target').enum,
        at('#/$defs/Target').enum,
      );
    });

    it('describes schema version REPORT_SCHEMA_VERSION', () => {
      assert.equal(at('#/properties/schemaVersion').const, REPORT_SCHEMA_VERSION);
    });

    it('has the fields of every object of the model, with the same required ones, and no others', () => {
      for (const [pointer, shape] of SHAPES) assertShape(pointer, shape);
    });

    it('has one Trigger variant per trigger type of the model, discriminated by `type`', () => {
      const trigger = at('#/$defs/Trigger');
      const variants = trigger.oneOf as SchemaNode[];
      const types = Object.keys(TRIGGERS);
      assert.deepEqual((trigger.properties as Record<string, SchemaNode>).type!.enum, types);
      assert.deepEqual(
        variants.map((v) => (v.properties as Record<string, SchemaNode>).type!.const),
        types,
      );
      variants.forEach((_, i) => assertShape(`#/$defs/Trigger/oneOf/${i}`, TRIGGERS[types[i] as Trigger['type']]));
    });

    it('gives every property and definition a title and a description (editors show them)', () => {
      const missing: string[] = [];
      const check = (where: string, node: SchemaNode): void => {
        if (typeof node.title !== 'string' || !node.title) missing.push(`${where} title`);
        if (typeof node.description !== 'string' || !node.description) missing.push(`${where} description`);
      };
      const walk = (where: string, node: unknown): void => {
        if (!node || typeof node !== 'object') return;
        if (Array.isArray(node)) return node.forEach((n, i) => walk(`${where}/${i}`, n));
        const obj = node as SchemaNode;
        for (const key of ['properties', '$defs'] as const) {
          const map = obj[key];
          if (map && typeof map === 'object')
            for (const [k, v] of Object.entries(map)) check(`${where}/${key}/${k}`, v as SchemaNode);
        }
        for (const [k, v] of Object.entries(obj)) walk(`${where}/${k}`, v);
      };
      walk('#', reportSchema);
      assert.deepEqual(missing, []);
    });
  });

  describe('validateReport', () => {
    it('accepts a report that uses every optional part of the model', () => {
      validateReport(fullReport());
    });

    it('accepts the reports of real analyses', () => {
      const projects: Record<string, string>[] = [
        {},
        {
          'src/bad.ts': 'const x = ;\n',
          'src/ok.ts': 'export const ok = 1;\n',
        },
        {
          'package.json': JSON.stringify({
            dependencies: {
              express: '^5.1.0',
              pg: '^8.12.0',
              bullmq: '^5.12.0',
              'node-cron': '^3.0.3',
            },
          }),
          'src/app.ts': [
            "import express from 'express';",
            "import users from './routes/users';",
            "const orders = require('./legacy/orders');",
            'const app = express();',
            "app.use('/api/users', users);",
            "app.use('/api/orders', orders);",
            'app.listen(3000);',
            '',
          ].join('\n'),
          'src/routes/users.ts': [
            "import { Router } from 'express';",
            "import { findUser, cache } from '../db';",
            'const router = Router();',
            "router.get('/:id', async (req, res) => {",
            '  const user = await findUser(req.params.id);',
            '  cache.set(req.params.id, user);',
            '  res.json(user);',
            '});',
            'export default router;',
            '',
          ].join('\n'),
          'src/db.ts': [
            "import { Pool } from 'pg';",
            'const pool = new Pool({ max: 10 });',
            'export const cache = new Map<string, unknown>();',
            'export async function findUser(id: string) {',
            "  const { rows } = await pool.query('select * from users where id = $1', [id]);",
            '  return rows[0];',
            '}',
            '',
          ].join('\n'),
          'src/legacy/orders.js': [
            "const express = require('express');",
            "const fs = require('fs');",
            'const router = express.Router();',
            "router.post('/', (req, res) => {",
            "  fs.writeFileSync('/tmp/last-order.json', JSON.stringify(req.body));",
            '  res.status(201).end();',
            '});',
            'module.exports = router;',
            '',
          ].join('\n'),
          'src/jobs/worker.ts': [
            "import { Worker } from 'bullmq';",
            "export const worker = new Worker('emails', async (job) => job.data, { connection: { host: 'redis' } });",
            '',
          ].join('\n'),
          'src/jobs/nightly.js': [
            "const cron = require('node-cron');",
            "cron.schedule('0 3 * * *', () => { setInterval(() => console.log('tick'), 1000); });",
            '',
          ].join('\n'),
          'src/odd folder/name with spaces.ts': 'export const when = Date.now();\n',
        },
      ];
      for (const files of projects) {
        const report = analyzeFiles(files, { timings: true });
        validateReport(report);
        assert.equal(
          report.stats.files + report.stats.skipped.length,
          Object.keys(files).filter((f) => !f.endsWith('.json')).length,
        );
      }
    });

    it('accepts the report of the example app', () => {
      const report = analyze({
        root: path.resolve(__dirname, '../../examples/shop-api'),
      });
      validateReport(report);
      // 28 files, of which src/types/express.d.ts is a declaration file and not analysed.
      assert.equal(report.stats.files, 27);
      assert.deepEqual(report.stats.skipped, []);
    });

    const REJECTED: [what: string, where: (string | number)[], value: unknown, error: RegExp][] = [
      [
        'a kind outside the vocabulary',
        ['components', 0, 'kind'],
        'lambda',
        /report\/components\/0\/kind must be equal to one of the allowed values/,
      ],
      [
        'a component without id',
        ['components', 1, 'id'],
        DELETE,
        /report\/components\/1 must have required property 'id'/,
      ],
      [
        'a finding without fix',
        ['findings', 0, 'fix'],
        DELETE,
        /report\/findings\/0 must have required property 'fix'/,
      ],
      ['an extra property on the report', ['extra'], true, /report must NOT have additional properties/],
      [
        'a commit that is not an object name',
        ['source', 'commit'],
        'HEAD~1',
        /report\/source\/commit must match pattern/,
      ],
      [
        'an extra property on a component',
        ['components', 0, 'owner'],
        'me',
        /report\/components\/0 must NOT have additional properties/,
      ],
      [
        'an extra property on a finding',
        ['findings', 0, 'line'],
        3,
        /report\/findings\/0 must NOT have additional properties/,
      ],
      [
        'an extra property on a location',
        ['findings', 0, 'location', 'offset'],
        12,
        /report\/findings\/0\/location must NOT have additional properties/,
      ],
      [
        'a location with line 0',
        ['findings', 0, 'location', 'line'],
        0,
        /report\/findings\/0\/location\/line must be >= 1/,
      ],
      [
        'a location with column 0',
        ['components', 0, 'handler', 'column'],
        0,
        /report\/components\/0\/handler\/column must be >= 1/,
      ],
      [
        'a fractional line',
        ['components', 1, 'location', 'line'],
        5.5,
        /report\/components\/1\/location\/line must be integer/,
      ],
      [
        'a Windows path',
        ['components', 0, 'location', 'file'],
        'src\\routes\\articles.ts',
        /report\/components\/0\/location\/file must match pattern/,
      ],
      [
        'an absolute path',
        ['findings', 0, 'location', 'file'],
        '/home/dev/shop/src/cache.ts',
        /report\/findings\/0\/location\/file must match pattern/,
      ],
      [
        'a hazard outside the vocabulary',
        ['findings', 0, 'hazard'],
        'global-state',
        /report\/findings\/0\/hazard must be equal to one of the allowed values/,
      ],
      [
        'a severity outside the vocabulary',
        ['findings', 0, 'severity'],
        'fatal',
        /report\/findings\/0\/severity must be equal to one of the allowed values/,
      ],
      [
        'a ruleId that is not kebab-case',
        ['findings', 0, 'ruleId'],
        'moduleState',
        /report\/findings\/0\/ruleId must match pattern/,
      ],
      [
        'a target outside the vocabulary',
        ['components', 0, 'classification', 'target'],
        'lambda',
        /classification\/target must be equal to one of the allowed values/,
      ],
      [
        'a confidence above 1',
        ['components', 0, 'classification', 'confidence'],
        1.5,
        /classification\/confidence must be <= 1/,
      ],
      ['another schema version', ['schemaVersion'], 2, /report\/schemaVersion must be equal to constant/],
      [
        'a trigger type outside the union',
        ['components', 0, 'trigger'],
        { type: 'sqs', queue: 'a' },
        /report\/components\/0\/trigger\/type must be equal to one of the allowed values/,
      ],
      [
        'an http trigger without method',
        ['components', 0, 'trigger'],
        { type: 'http', path: '/a' },
        /report\/components\/0\/trigger must have required property 'method'/,
      ],
      [
        'a field of another trigger variant',
        ['components', 1, 'trigger', 'path'],
        '/q',
        /report\/components\/1\/trigger must NOT have additional properties/,
      ],
      [
        'a finding listed twice on a component',
        ['components', 0, 'findings'],
        ['f-0123456789ab', 'f-0123456789ab'],
        /report\/components\/0\/findings must NOT have duplicate items/,
      ],
      [
        'a duration that is not a number (NaN)',
        ['stats', 'durationMs'],
        Number.NaN,
        /report\/stats\/durationMs must be number/,
      ],
      [
        'a cost without its range',
        ['components', 0, 'cost', 0, 'monthlyUsd'],
        DELETE,
        /report\/components\/0\/cost\/0 must have required property 'monthlyUsd'/,
      ],
      [
        'a cold start without its basis',
        ['components', 0, 'coldStart', 'basis'],
        DELETE,
        /report\/components\/0\/coldStart must have required property 'basis'/,
      ],
      [
        'an architecture edge with an extra field',
        ['architecture', 'proposed', 'edges', 0, 'weight'],
        2,
        /report\/architecture\/proposed\/edges\/0 must NOT have additional properties/,
      ],
      [
        'a service use with an operation outside the vocabulary',
        ['components', 0, 'uses', 1, 'operation'],
        'consume',
        /report\/components\/0\/uses\/1\/operation must be equal to one of the allowed values/,
      ],
      [
        'an architecture node drawn with a style outside the vocabulary',
        ['architecture', 'current', 'nodes', 1, 'style'],
        'lambda',
        /report\/architecture\/current\/nodes\/1\/style must be equal to one of the allowed values/,
      ],
      [
        'a process without its components',
        ['processes', 0, 'components'],
        DELETE,
        /report\/processes\/0 must have required property 'components'/,
      ],
    ];
    for (const [what, where, value, error] of REJECTED) {
      it(`rejects ${what}`, () => rejects(broken(where, value), error));
    }

    it('rejects what is not a report at all', () => {
      rejects(undefined, /report must be object/);
      rejects([], /report must be object/);
    });
  });
});
