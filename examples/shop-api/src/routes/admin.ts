import express, { Request, Response } from 'express';
import { pool } from '../db/pool';
import { emailQueue } from '../jobs/queues';
import { connectedClientCount } from '../realtime/notifications';
import usersRouter from './admin/users';

const adminRouter = express.Router();

adminRouter.use('/users', usersRouter);

adminRouter.get('/stats', async (_req: Request, res: Response) => {
  const [{ rows }, emailJobs] = await Promise.all([
    pool.query<{ users: number; ordersLast24h: number; publishedArticles: number }>(
      `SELECT (SELECT count(*) FROM users WHERE deleted_at IS NULL)::int AS users,
              (SELECT count(*) FROM orders WHERE created_at > now() - interval '24 hours')::int AS "ordersLast24h",
              (SELECT count(*) FROM articles WHERE published)::int AS "publishedArticles"`,
    ),
    emailQueue.getJobCounts('waiting', 'active', 'delayed', 'failed'),
  ]);
  res.json({ ...rows[0], emailJobs, websocketClients: connectedClientCount() });
});

adminRouter.post('/emails/retry-failed', async (req: Request, res: Response) => {
  const failed = await emailQueue.getFailed(0, 499);
  await Promise.all(failed.map((job) => job.retry()));
  req.log.info({ count: failed.length }, 'retried failed email jobs');
  res.json({ retried: failed.length });
});

export default adminRouter;
