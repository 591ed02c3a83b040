import * as assert from 'node:assert/strict';
import { ts } from 'ts-morph';
import { fastifyDetector } from '../../../src/core/detect/fastify';
import type { Report } from '../../../src/core/model';
import type { Detector } from '../../../src/core/scan/detector';
import { analyzeFiles } from '../helpers';

const probe: Detector = {
  id: 'test-touch',
  mentions: ['touch('],
  visit(node, ctx) {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'touch') {
      ctx.fact({ ruleId: 'test-touch', hazard: 'module-state', severity: 'info', message: 'touched', fix: 'none', node, requiresReach: true });
    }
  },
};
const run = (files: Record<string, string>): Report => analyzeFiles(files, { detectors: [fastifyDetector, probe] });
const summary = (r: Report): string[] => r.components.map((c) => `${c.id} | ${c.name} | ${c.framework} | ${c.location.file}:${c.location.line}:${c.location.column}`);
const touched = (r: Report): string[] => r.findings.map((f) => `${f.location.file}:${f.location.line} -> ${f.components.join(', ')}`);

describe('scratch', () => {
  it('dumps', () => {
    const r = run({
      'src/server.ts': `import Fastify from 'fastify';
import fp from 'fastify-plugin';
import users from './users';
const app = Fastify({ logger: true });
app.get('/health', async () => ({ ok: true }));
app.route({ method: ['GET', 'POST'], url: '/items', preHandler: [auth], handler: items });
app.register(users, { prefix: '/v1/users' });
app.register(async (api) => { api.get('/ping', async () => 'pong'); }, { prefix: '/api' });
app.register(fp(async (f) => { f.get('/fp', async () => 1); }), { prefix: '/ignored' });
function auth() { touch(); }
function items() {}
`,
      'src/users.ts': `export default async function (fastify, opts) {
  fastify.get('/', async () => []);
  fastify.register(require('./posts'), { prefix: '/:id/posts' });
}
`,
      'src/posts.js': `module.exports = async function (app) { app.post('/', async () => { touch(); }); };
`,
    });
    console.log(summary(r).join('\n'));
    console.log(touched(r).join('\n'));
    console.log(JSON.stringify(r.stats.skipped));
  });
});
