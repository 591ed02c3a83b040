import express, { Request, Response } from 'express';
import { APP_VERSION } from '../config';
import { pool } from '../db/pool';
import { redis } from '../db/redis';
import { exchangeRatesAgeSeconds } from '../jobs/nightly';
import { getMetrics } from '../middleware/requestCounter';
import { connectedClientCount } from '../realtime/notifications';

const router = express.Router();

router.get('/health', async (_req: Request, res: Response) => {
  const [db, cache] = await Promise.allSettled([pool.query('SELECT 1'), redis.ping()]);
  const status = {
    db: db.status === 'fulfilled' ? 'ok' : 'down',
    redis: cache.status === 'fulfilled' ? 'ok' : 'down',
  };
  const healthy = status.db === 'ok' && status.redis === 'ok';
  res.status(healthy ? 200 : 503).json({ status: healthy ? 'ok' : 'degraded', version: APP_VERSION, ...status });
});

router.get('/metrics', (_req: Request, res: Response) => {
  const { requestCount, errorCount, responsesByClass } = getMetrics();
  const lines = [
    '# HELP http_requests_total Requests handled by this process.',
    '# TYPE http_requests_total counter',
    `http_requests_total ${requestCount}`,
    '# HELP http_server_errors_total Responses with a 5xx status.',
    '# TYPE http_server_errors_total counter',
    `http_server_errors_total ${errorCount}`,
    ...Object.entries(responsesByClass).map(([cls, n]) => `http_responses_total{class="${cls}"} ${n}`),
    '# TYPE websocket_clients gauge',
    `websocket_clients ${connectedClientCount()}`,
    '# TYPE db_pool_clients gauge',
    `db_pool_clients{state="total"} ${pool.totalCount}`,
    `db_pool_clients{state="idle"} ${pool.idleCount}`,
    `db_pool_clients{state="waiting"} ${pool.waitingCount}`,
    '# TYPE exchange_rates_age_seconds gauge',
    `exchange_rates_age_seconds ${exchangeRatesAgeSeconds() ?? -1}`,
  ];
  res.type('text/plain; version=0.0.4').send(`${lines.join('\n')}\n`);
});

export default router;
