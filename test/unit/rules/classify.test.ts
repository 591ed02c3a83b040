import * as assert from 'node:assert/strict';
import type { Report } from '../../../src/core/model';
import { analyzeFiles } from '../helpers';

/** The hard cases, each a small app: where its component should run, and why. */
const APPS: Record<string, Record<string, string>> = {
  crud: {
    'package.json': '{"dependencies":{"express":"4","pg":"8"}}',
    'src/app.ts':
      "import express from 'express';\nimport { pool } from './db';\nconst app = express();\napp.get('/api/articles/:id', async (req, res) => {\n  const r = await pool.query('select * from articles where id = $1', [req.params.id]);\n  res.json(r.rows[0]);\n});\napp.listen(3000);\n",
    'src/db.ts': "import { Pool } from 'pg';\nexport const pool = new Pool({ max: 2 });\n",
  },
  socketio: {
    'package.json': '{"dependencies":{"socket.io":"4"}}',
    'src/server.ts':
      "import { Server } from 'socket.io';\nconst io = new Server(3000);\nio.on('connection', (socket) => {\n  socket.on('chat', (msg) => io.emit('chat', msg));\n});\n",
  },
  hono: {
    'package.json': '{"dependencies":{"hono":"4"}}',
    'src/index.ts':
      "import { Hono } from 'hono';\nconst app = new Hono();\napp.get('/api/quote', async (c) => {\n  const r = await fetch('https://api.example.com/q');\n  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(await r.text()));\n  return c.json({ etag: [...new Uint8Array(digest)].length });\n});\nexport default app;\n",
  },
  login: {
    'package.json': '{"dependencies":{"express":"4","bcryptjs":"2","jsonwebtoken":"9"}}',
    'src/app.ts':
      "import express from 'express';\nimport bcrypt from 'bcryptjs';\nimport jwt from 'jsonwebtoken';\nimport { users } from './users';\nconst app = express();\napp.use(express.json());\napp.post('/login', async (req, res) => {\n  const user = await users.find(req.body.email);\n  if (!user || !(await bcrypt.compare(req.body.password, user.hash))) return res.sendStatus(401);\n  res.json({ token: jwt.sign({ sub: user.id }, process.env.SECRET!) });\n});\napp.listen(3000);\n",
    'src/users.ts':
      'export const users = { async find(_e: string): Promise<{ id: string; hash: string } | undefined> { return undefined; } };\n',
  },
  cron: {
    'package.json': '{"dependencies":{"node-cron":"3","pg":"8"}}',
    'src/jobs.ts':
      "import cron from 'node-cron';\nimport { Pool } from 'pg';\nconst pool = new Pool({ max: 1 });\ncron.schedule('0 3 * * *', async () => {\n  await pool.query(\"update sessions set expired = true where last_seen < now() - interval '30 days'\");\n});\n",
  },
  ffmpeg: {
    'package.json': '{"dependencies":{"bullmq":"5"}}',
    'src/transcode.ts':
      "import { Worker } from 'bullmq';\nimport { spawn } from 'node:child_process';\nnew Worker('videos', async (job) => {\n  await new Promise((ok) => spawn('ffmpeg', ['-i', job.data.input, 'out.mp4']).on('close', ok));\n});\n",
  },
  seed: {
    'package.json': '{"dependencies":{"pg":"8"}}',
    'scripts/seed.ts':
      "#!/usr/bin/env node\nimport { Pool } from 'pg';\nconst pool = new Pool();\nasync function main(): Promise<void> {\n  await pool.query(\"insert into users (email) values ('a@example.com')\");\n  await pool.end();\n}\nvoid main();\n",
  },
};

function only(r: Report): { id: string; target: string; reasons: string[]; blockers: string[]; rules: string[] } {
  assert.equal(r.components.length, 1, r.components.map((c) => c.id).join(', '));
  const c = r.components[0]!;
  const rules = r.findings.filter((f) => c.findings.includes(f.id)).map((f) => f.ruleId);
  return {
    id: c.id,
    target: c.classification!.target,
    reasons: c.classification!.reasons,
    blockers: c.classification!.blockers,
    rules: [...new Set(rules)].sort(),
  };
}

describe('rules: classification of the hard cases', function () {
  this.timeout(30_000);

  it('a stateless CRUD route over a pooled database: a function, with the pool flagged', () => {
    const c = only(analyzeFiles(APPS.crud!));
    assert.deepEqual(
      [c.id, c.target, c.rules],
      ['http:GET:/api/articles/:id', 'faas', ['connection-pool-per-instance']],
    );
    assert.ok(c.reasons.includes('connection-pool-per-instance (src/db.ts:2): +1 container; blocks edge'));
  });

  it('a socket.io server: a container', () => {
    const c = only(analyzeFiles(APPS.socketio!));
    assert.deepEqual([c.id, c.target], ['websocket:socket.io/', 'container']);
    assert.deepEqual(c.rules, ['websocket-connection-limits', 'websocket-latency', 'websocket-server']);
    assert.ok(c.blockers.some((b) => b.startsWith('faas: websocket-server (src/server.ts:2)')));
  });

  it('a Hono route using only fetch and Web Crypto: the edge', () => {
    const c = only(analyzeFiles(APPS.hono!));
    assert.deepEqual([c.id, c.target, c.rules, c.blockers], ['http:GET:/api/quote', 'edge', [], []]);
  });

  it('a login route that checks password hashes and mints tokens: a managed identity service', () => {
    const c = only(analyzeFiles(APPS.login!));
    assert.deepEqual([c.id, c.target, c.rules], ['http:POST:/login', 'baas', ['home-grown-password-auth']]);
    const named = c.reasons.find((x) => x.startsWith('replace it with a managed service: home-grown-password-auth: '))!;
    for (const svc of ['Amazon Cognito', 'Microsoft Entra External ID', 'Google Cloud Identity Platform', 'Auth0'])
      assert.ok(named.includes(svc), svc);
  });

  it('an in-process cron whose body is a short database update: a managed scheduler triggering a function', () => {
    const c = only(analyzeFiles(APPS.cron!));
    assert.deepEqual(
      [c.id, c.target, c.rules],
      ['schedule:node-cron:src/jobs.ts:0 3 * * *', 'baas', ['connection-pool-per-instance']],
    );
    assert.ok(
      c.reasons.includes(
        'replace the in-process schedule with EventBridge Scheduler / Azure Functions timer trigger / Cloud Scheduler / Cron Triggers, triggering the job body as a function',
      ),
    );
  });

  it('a queue consumer that spawns ffmpeg: a container', () => {
    const c = only(analyzeFiles(APPS.ffmpeg!));
    assert.deepEqual(
      [c.id, c.target, c.rules],
      ['queue:bullmq:videos', 'container', ['child-process-spawn', 'node-only-builtin']],
    );
  });

  it('a seed script: kept as a command-line tool', () => {
    const c = only(analyzeFiles(APPS.seed!));
    assert.deepEqual([c.id, c.target, c.rules], ['cli:scripts/seed.ts', 'keep', ['connection-pool-per-instance']]);
  });
});
