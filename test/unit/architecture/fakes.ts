import type { Component, CostRange, Report, Target } from '../../../src/core/model';
import { REPORT_SCHEMA_VERSION } from '../../../src/core/model';

// Reports made by hand, for the model's grouping and bounds at sizes no fixture app should have to reach.

const range = (likely: number): CostRange => ({ low: likely / 4, likely, high: likely * 4 });

export function route(method: string, path: string, target: Target = 'faas', file = 'src/app.ts'): Component {
  return {
    id: `http:${method}:${path}`,
    kind: 'http-route',
    name: `${method} ${path}`,
    framework: 'express',
    location: { file, line: 1, column: 1 },
    trigger: { type: 'http', method, path },
    findings: [],
    classification: { target, confidence: 0.8, reasons: [], blockers: [], alternatives: [] },
    coldStart: { estimateMs: 200, bundleKb: 900, basis: 'test' },
    cost: [
      {
        offering: 'aws-lambda-arm64-http-api',
        provider: 'aws',
        role: 'function',
        monthlyUsd: range(1),
        breakdown: {},
        assumptions: [],
      },
      {
        offering: 'aws-fargate-arm64',
        provider: 'aws',
        role: 'container',
        monthlyUsd: range(57.67),
        breakdown: {},
        assumptions: [],
      },
    ],
  };
}

export function job(n: number, target: Target = 'baas'): Component {
  return {
    id: `schedule:node-cron:src/jobs/job${n}.ts:0 ${n % 24} * * *`,
    kind: 'scheduled-job',
    name: `cron "0 ${n % 24} * * *"`,
    framework: 'node-cron',
    location: { file: `src/jobs/job${n}.ts`, line: 3, column: 1 },
    trigger: { type: 'schedule', system: 'node-cron', schedule: `0 ${n % 24} * * *` },
    findings: [],
    classification: { target, confidence: 0.7, reasons: [], blockers: [], alternatives: [] },
  };
}

export function fakeReport(components: Component[]): Report {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'serverless-advisor', version: '0.0.0-test' },
    root: '/tmp/app',
    stats: { files: 1, skipped: [], durationMs: 1 },
    components,
    findings: [],
    processes: [
      {
        id: 'process:src/server.ts',
        name: 'app',
        entry: 'src/server.ts',
        basis: 'package.json main',
        components: components.map((c) => c.id),
      },
    ],
  };
}
