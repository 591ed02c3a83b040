import * as assert from 'node:assert/strict';
import { analyzeFiles, component } from './helpers';

const APP = {
  'package.json': '{"dependencies":{"express":"4"}}',
  'app.ts':
    "import express from 'express';\nconst app = express();\napp.get('/a', (_q, s) => s.send('ok'));\napp.listen(3000);\n",
};

describe('costs in the report', () => {
  it('prices a route from the usage profile, per component before free tiers, with the arithmetic of the research', () => {
    const r = analyzeFiles({
      ...APP,
      'serverless-advisor.yaml':
        'defaults:\n  requestsPerMonth: 100000000\n  durationMs: 200\n  memoryMb: 128\nfreeTier: false\n',
    });
    const c = component(r, 'http:GET:/a');
    const arm = c.cost!.find((x) => x.offering === 'aws-lambda-arm64')!;
    // 100M requests x $0.20 per million = $20; 100M x 0.2 s x 0.125 GB = 2.5M GB-s x $0.0000133334 = $33.3335.
    assert.equal(arm.breakdown.requests, 20);
    assert.equal(arm.breakdown.duration, 33.3335);
    assert.ok(arm.breakdown.init! > 0 && arm.breakdown.init! < 1, 'INIT billing of the estimated cold starts');
    assert.ok(Math.abs(arm.monthlyUsd.likely - (20 + 33.3335 + arm.breakdown.init!)) < 1e-6);
    // The high scenario is four times the volume: every line scales.
    assert.ok(Math.abs(arm.monthlyUsd.high - 4 * arm.monthlyUsd.likely) < 0.01);
    // API Gateway HTTP API adds $1.00 per million requests: $100.
    const api = c.cost!.find((x) => x.offering === 'aws-lambda-arm64-http-api')!;
    assert.equal(api.breakdown.gateway, 100);
    assert.equal(r.totals!.usedDefaults, false);
    assert.equal(c.usage!.origin.requestsPerMonth, 'profile:defaults');
    assert.ok(c.coldStart!.estimateMs > 0 && /Estimate, not a measurement/.test(c.coldStart!.basis));
  });

  it('applies the free tier once, to the total, and keeps totals equal to the sum of their parts', () => {
    const r = analyzeFiles({
      ...APP,
      'b.ts': "import express from 'express';\nconst app = express();\napp.get('/b', (_q, s) => s.send('ok'));\n",
      'serverless-advisor.yaml':
        'defaults:\n  requestsPerMonth: 1000000\n  durationMs: 100\n  memoryMb: 512\nfreeTier: true\n',
    });
    const t = r.totals!.offerings.find((o) => o.offering === 'aws-lambda-x86')!;
    const sum = r.components.reduce(
      (a, c) => a + c.cost!.find((x) => x.offering === 'aws-lambda-x86')!.monthlyUsd.likely,
      0,
    );
    assert.ok(Math.abs(t.components.likely - sum) < 1e-6);
    assert.ok(
      Math.abs(t.monthlyUsd.likely - (t.components.likely + t.accountAdjustment.likely + t.freeTier.likely)) < 1e-6,
    );
    // 2M requests and 100,000 GB-s fit in Lambda's monthly free tier: the account pays nothing but INIT time.
    assert.ok(t.freeTier.likely < 0);
    assert.ok(t.monthlyUsd.likely >= 0 && t.monthlyUsd.likely < 0.5, String(t.monthlyUsd.likely));
    assert.equal(r.totals!.snapshotDate, '2026-11-27');
  });

  it('says when defaults by kind were used, and reports profile problems with file, line and column', () => {
    const r = analyzeFiles({
      ...APP,
      'serverless-advisor.yaml': 'components:\n  "http:GET:/nope": { durationMs: -5 }\n',
    });
    assert.equal(r.totals!.usedDefaults, true);
    const msgs = (r.problems ?? []).map((p) => `${p.file}:${p.line}:${p.column} ${p.severity}`);
    assert.ok(
      msgs.some((m) => m.startsWith('serverless-advisor.yaml:2:')),
      msgs.join('; '),
    );
    assert.ok(r.totals!.assumptions.some((a) => /defaults were used/i.test(a)));
  });

  it('leaves costs out when asked', () => {
    const r = analyzeFiles(APP, { costs: false });
    assert.equal(r.totals, undefined);
    assert.equal(r.components[0]!.cost, undefined);
  });
});
