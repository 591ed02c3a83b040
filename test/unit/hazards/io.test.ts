import * as assert from 'node:assert/strict';
import { analyzeFiles, findingKeys, hazardsOf } from '../helpers';

describe('local disk, connection pools and sessions', () => {
  it('flags disk writes and request-time reads, not temp-dir writes or bundled assets', () => {
    const r = analyzeFiles({
      'files.ts': `
import fs from 'node:fs';
import { writeFile, readFile } from 'fs/promises';
import * as os from 'os';
import path from 'path';
const TMP = path.join(os.tmpdir(), 'work');
export async function save(data: string) {
  await writeFile('data/out.json', data);
  fs.appendFileSync('/var/log/app.log', data);
  await fs.promises.mkdir('uploads', { recursive: true });
  await writeFile(path.join(os.tmpdir(), 'x'), data);
  await writeFile(TMP + '/y', data);
  await writeFile('/tmp/z', data);
  const tpl = await readFile(path.join(__dirname, 'template.html'), 'utf8');
  return readFile('data/in.json', 'utf8') + tpl;
}
const banner = fs.readFileSync('banner.txt', 'utf8'); // module init: bundled with the function
export { banner };
`,
    });
    assert.deepEqual(
      [...findingKeys(r, 'local-fs-write'), ...findingKeys(r, 'local-fs-read')].sort(),
      [
        'files.ts:8 local-fs-write',
        'files.ts:9 local-fs-write',
        'files.ts:10 local-fs-write',
        'files.ts:15 local-fs-read',
      ].sort(),
    );
  });

  it('flags multer disk storage and sharp toFile, not memory storage or tmpdir destinations', () => {
    const r = analyzeFiles({
      'up.ts': `
import multer from 'multer';
import sharp from 'sharp';
import os from 'os';
export const a = multer({ dest: 'uploads/' });
export const b = multer({ storage: multer.memoryStorage() });
export const c = multer({ storage: multer.diskStorage({ destination: os.tmpdir() }) });
export const d = multer({ storage: multer.diskStorage({ destination: (_r, _f, cb) => cb(null, 'files/') }) });
export async function thumb(p: string) {
  await sharp(p).resize(10).toFile('public/t.png');
  await sharp(p).resize(10).toFile(os.tmpdir() + '/t.png');
  return sharp(p).toBuffer();
}
`,
    });
    assert.deepEqual(
      findingKeys(r, 'local-fs-write'),
      ['up.ts:5 multer-disk-storage', 'up.ts:8 multer-disk-storage', 'up.ts:10 local-fs-write'].sort(),
    );
  });

  it('flags per-instance pools of the usual drivers, and attributes them through the code that uses them', () => {
    const r = analyzeFiles({
      'db.ts': `
import { Pool } from 'pg';
import mysql from 'mysql2/promise';
import Redis from 'ioredis';
import { PrismaClient } from '@prisma/client';
import mongoose from 'mongoose';
import type { PoolConfig } from 'pg';
export const pool = new Pool({ max: 20 });
export const my = mysql.createPool({ uri: 'x' });
export const redis = new Redis();
export const prisma = new PrismaClient();
export const cfg: PoolConfig = {};
export async function connect() { await mongoose.connect('mongodb://x'); }
`,
      'app.ts': `
import express from 'express';
import { pool } from './db';
const app = express();
app.get('/n', async (_q, s) => s.json(await pool.query('select 1')));
app.get('/z', (_q, s) => s.end());
`,
    });
    assert.deepEqual(
      findingKeys(r, 'connection-pool'),
      [
        'db.ts:8 connection-pool-per-instance',
        'db.ts:9 connection-pool-per-instance',
        'db.ts:10 connection-pool-per-instance',
        'db.ts:11 connection-pool-per-instance',
        'db.ts:13 connection-pool-per-instance',
      ].sort(),
    );
    assert.deepEqual(hazardsOf(r, 'http:GET:/n', ['connection-pool']), ['connection-pool']);
    assert.deepEqual(hazardsOf(r, 'http:GET:/z', ['connection-pool']), []);
  });

  it('flags express-session without a store or with MemoryStore, not with a shared store', () => {
    const r = analyzeFiles({
      's.ts': `
import session from 'express-session';
import RedisStore from 'connect-redis';
export const a = session({ secret: 's' });
export const b = session({ secret: 's', store: new session.MemoryStore() });
export const c = session({ secret: 's', store: new RedisStore({}) });
const opts = { secret: 's' };
export const d = session(opts);
`,
    });
    assert.deepEqual(
      findingKeys(r, 'in-memory-session'),
      ['s.ts:4 in-memory-session-store', 's.ts:5 in-memory-session-store'].sort(),
    );
    assert.equal(r.findings[0]!.severity, 'error');
  });

  it('flags SSE, streamed responses, long-running libraries and CPU-heavy sync calls; not module-init or non-response pipes', () => {
    const r = analyzeFiles({
      'l.ts': `
import crypto from 'crypto';
import puppeteer from 'puppeteer';
import { createReadStream, createWriteStream } from 'fs';
const KEY = crypto.pbkdf2Sync('a', 'b', 1, 32, 'sha256');
export function sse(req: any, res: any) {
  res.setHeader('Content-Type', 'text/event-stream');
  createReadStream('/tmp/a').pipe(res);
  createReadStream('/tmp/a').pipe(createWriteStream('/tmp/b'));
}
export async function pdf() {
  const browser = await puppeteer.launch();
  return crypto.pbkdf2Sync('p', 's', 100000, 64, 'sha512') && browser && KEY;
}
`,
    });
    assert.deepEqual(
      findingKeys(r, 'long-running'),
      [
        'l.ts:7 server-sent-events',
        'l.ts:8 streamed-response',
        'l.ts:12 long-running-library',
        'l.ts:13 cpu-heavy-sync-call',
      ].sort(),
    );
  });

  it('reads latency objectives from comments and attributes them to the routes that run that code', () => {
    const r = analyzeFiles({
      'app.ts': `
import express from 'express';
const app = express();
// SLO: p99 < 80ms
function auth(_q: unknown, _s: unknown, next: () => void) { next(); }
// this comment mentions nothing relevant
function plain(_q: unknown, s: { end(): void }) { s.end(); }
app.get('/a', auth, plain);
app.get('/b', plain);
`,
    });
    assert.deepEqual(findingKeys(r, 'latency-critical'), ['app.ts:5 latency-critical-annotation'].sort());
    assert.deepEqual(hazardsOf(r, 'http:GET:/a', ['latency-critical']), ['latency-critical']);
    assert.deepEqual(hazardsOf(r, 'http:GET:/b', ['latency-critical']), []);
  });
});
