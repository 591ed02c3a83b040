import express, { Request, Response } from 'express';
import { spawn } from 'child_process';
import { createGzip } from 'zlib';
import { z } from 'zod';
import { pool } from '../db/pool';
import { requireAdmin } from '../middleware/auth';

const router = express.Router();

const EXPORT_TABLES = ['orders', 'order_lines', 'products', 'articles'] as const;
const FORECAST_DAYS = 30;

const summaryQuery = z.object({
  days: z.coerce.number().int().min(7).max(365).default(90),
  simulations: z.coerce.number().int().min(1_000).max(200_000).default(50_000),
});

router.use(requireAdmin);

router.get('/export', (req: Request, res: Response) => {
  const table = z.enum(EXPORT_TABLES).safeParse(req.query.table);
  if (!table.success) {
    return res.status(400).json({ error: `table must be one of: ${EXPORT_TABLES.join(', ')}` });
  }
  const dump = spawn(
    'pg_dump',
    ['--dbname', process.env.DATABASE_URL ?? '', '--table', table.data, '--data-only', '--column-inserts'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const date = new Date().toISOString().slice(0, 10);
  res.setHeader('Content-Type', 'application/gzip');
  res.setHeader('Content-Disposition', `attachment; filename="${table.data}-${date}.sql.gz"`);

  dump.stdout.pipe(createGzip()).pipe(res);
  dump.stderr.on('data', (chunk: Buffer) => req.log.warn({ table: table.data }, chunk.toString().trim()));
  dump.on('close', (code) => {
    if (code !== 0) {
      req.log.error({ code, table: table.data }, 'pg_dump exited with an error');
      res.destroy();
    }
  });
  res.on('close', () => {
    if (!res.writableFinished) dump.kill('SIGTERM');
  });
});

router.get('/sales-summary', async (req: Request, res: Response) => {
  const parsed = summaryQuery.safeParse(req.query);
  if (!parsed.success) {
    return res.status(400).json({ error: 'Invalid query', issues: parsed.error.issues });
  }
  const { days, simulations } = parsed.data;
  const { rows } = await pool.query<{ total_cents: string }>(
    `SELECT sum(total_cents) AS total_cents FROM orders
      WHERE status <> 'cancelled' AND created_at > now() - make_interval(days => $1)
      GROUP BY date_trunc('day', created_at) ORDER BY date_trunc('day', created_at)`,
    [days],
  );
  const daily = rows.map((row) => Number(row.total_cents));
  if (daily.length === 0) {
    return res.json({ days, totalCents: 0, averageDailyCents: 0, forecast: null });
  }

  // Bootstrap a 30-day revenue forecast by resampling observed daily totals.
  const outcomes = new Float64Array(simulations);
  for (let s = 0; s < simulations; s++) {
    let total = 0;
    for (let d = 0; d < FORECAST_DAYS; d++) {
      total += daily[Math.floor(Math.random() * daily.length)];
    }
    outcomes[s] = total;
  }
  outcomes.sort();
  const percentile = (p: number): number => Math.round(outcomes[Math.min(simulations - 1, Math.floor(p * simulations))]);

  const totalCents = daily.reduce((sum, value) => sum + value, 0);
  res.json({
    days,
    totalCents,
    averageDailyCents: Math.round(totalCents / daily.length),
    forecast: { horizonDays: FORECAST_DAYS, simulations, p10: percentile(0.1), p50: percentile(0.5), p90: percentile(0.9) },
  });
});

export default router;
