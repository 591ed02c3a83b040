import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { OFFERINGS } from '../../../src/core/cost/catalog';
import { defaultPricingDir, figure, loadPricing } from '../../../src/core/cost/pricing';
import { comp, profile, run, shipped } from './costHelpers';

const DIR = defaultPricingDir();
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.yaml'));

describe('pricing data (rules/pricing)', () => {
  it('is found from the package root and loads without problems', () => {
    assert.equal(DIR, path.resolve(__dirname, '../../../rules/pricing'));
    assert.deepEqual(files.sort(), [
      'aws-containers.yaml',
      'aws-lambda.yaml',
      'aws-managed-services.yaml',
      'azure-functions.yaml',
      'cloudflare-workers.yaml',
      'gcp-cloud-run.yaml',
    ]);
    assert.equal(shipped().snapshotDate, '2026-11-27');
  });

  it('every shipped file passes schema.json, and every figure has a unit, source, as_of and verification', () => {
    const ajv = new Ajv2020({ strict: true, strictRequired: false, allowUnionTypes: true, allErrors: true });
    const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(DIR, 'schema.json'), 'utf8')) as object);
    for (const f of files) {
      const data = parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as {
        offerings: Record<string, { figures: Record<string, Record<string, unknown>> }>;
      };
      assert.ok(validate(data), `${f}: ${ajv.errorsText(validate.errors)}`);
      for (const [oid, o] of Object.entries(data.offerings)) {
        for (const [k, fig] of Object.entries(o.figures)) {
          for (const field of ['unit', 'source', 'as_of', 'verify', 'verified'])
            assert.ok(fig[field] !== undefined && fig[field] !== '', `${f} ${oid}.${k} has no ${field}`);
          // Only primary or agreeing secondary sources count as verified.
          if (fig.verified === true)
            assert.ok(
              ['primary', 'secondary_multi'].includes(fig.verify as string),
              `${oid}.${k} is verified on ${String(fig.verify)}`,
            );
        }
      }
    }
  });

  it('every figure a calculator reads exists in the shipped snapshot', () => {
    for (const o of OFFERINGS)
      for (const id of o.figures) assert.ok(figure(shipped(), id), `${o.id} reads missing ${id}`);
  });

  it('what is unverified in the data is listed in the result and in the assumptions of each figure using it', () => {
    const r = run([comp('http:GET:/x'), comp('schedule:x', 'scheduled-job')], profile({ requestsPerMonth: 1e6 }));
    assert.deepEqual(
      r.unverified.map((u) => u.id),
      [
        'azure-functions-flex.gb-s',
        'azure-functions-flex.executions',
        'gcp-cloud-run-functions.gib-s',
        'gcp-cloud-run-functions.requests',
        'aws-fargate-arm64.vcpu-hour',
        'aws-fargate-arm64.gb-hour',
        'aws-ec2.instance-hour',
        'aws-ec2.instance-shape',
        'gcp-cloud-run-instance.gib-s',
        'gcp-cloud-run-instance.requests',
        'gcp-cloud-run-instance.free-vcpu-s',
        'gcp-cloud-run-instance.free-gib-s',
        'aws-eventbridge-scheduler.invocations',
      ],
    );
    const flex = r.components[0]!.costs.find((c) => c.offering === 'azure-functions-flex')!;
    assert.ok(
      flex.assumptions.includes(
        'Unverified: azure-functions-flex.gb-s = 0.000026 USD per GB-s (secondary_multi; modal.com/blog/azure-function-pricing-guide (2025-05-22); a Retail Prices API lookup quoted in a GitHub repo (Sweden Central, USD); as of 2026-10-04): Not read on a Microsoft page; the Retail-API lookup is for Sweden Central, not East US.',
      ),
    );
    const lambda = r.components[0]!.costs.find((c) => c.offering === 'aws-lambda-x86')!;
    assert.equal(
      lambda.assumptions.some((a) => a.startsWith('Unverified')),
      false,
    );
  });

  it('a broken pricing file gives file:line:column, and the other files still load', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-pricing-'));
    fs.copyFileSync(path.join(DIR, 'schema.json'), path.join(dir, 'schema.json'));
    fs.copyFileSync(path.join(DIR, 'cloudflare-workers.yaml'), path.join(dir, 'cloudflare-workers.yaml'));
    fs.writeFileSync(
      path.join(dir, 'broken.yaml'),
      [
        'provider: aws', // 1
        'region: us-east-1', // 2
        'currency: USD', // 3
        'snapshot: "2026-11-27"', // 4
        'offerings:', // 5
        '  aws-thing:', // 6
        '    name: Thing', // 7
        '    figures:', // 8
        '      requests:', // 9
        '        price: -1', // 10
        '        per: 1000000', // 11
        '        unit: request', // 12
        '        source: somewhere', // 13
        '        as_of: "last year"', // 14
        '        verify: primary', // 15
        '        verified: true', // 16
        '      free:', // 17
        '        unit: request', // 18
        '        source: somewhere', // 19
        '        as_of: undated', // 20
        '        verify: maybe', // 21
        '        verified: true', // 22
        '        colour: red', // 23
        '',
      ].join('\n'),
    );
    fs.writeFileSync(path.join(dir, 'syntax.yaml'), 'provider: aws\noffering: [\n');
    const { snapshot, problems } = loadPricing(dir);
    assert.deepEqual(
      problems.map((p) => `${path.basename(p.file)}:${p.line}:${p.column} ${p.message}`),
      [
        'broken.yaml:10:16 offerings.aws-thing.figures.requests.price must be >= 0',
        'broken.yaml:14:16 offerings.aws-thing.figures.requests.as_of must match pattern "^(\\d{4}(-\\d{2}(-\\d{2})?)?|undated)$"',
        'broken.yaml:18:9 offerings.aws-thing.figures.free must have exactly one of price, tiers, amount, table, rule',
        'broken.yaml:21:17 offerings.aws-thing.figures.free.verify must be one of "primary", "secondary_multi", "secondary_single", "conflict", "unverified"',
        'broken.yaml:23:9 unknown field "colour" in offerings.aws-thing.figures.free',
        'syntax.yaml:3:1 YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
      ],
    );
    assert.deepEqual(Object.keys(snapshot.offerings), ['cloudflare-workers']);
  });
});
