import { Job, Worker } from 'bullmq';
import { config } from '../config';
import { redis as connection } from '../db/redis';
import { sendTemplate } from '../services/mailer';
import { childLogger } from '../utils/logger';
import type { EmailJob } from './queues';

const log = childLogger('email-worker');

export const emailWorker = new Worker<EmailJob, { messageId: string }>(
  'emails',
  async (job: Job<EmailJob>) => {
    const { template, to, data } = job.data;
    const info = await sendTemplate(template, to, data);
    log.info({ jobId: job.id, template, messageId: info.messageId }, 'email sent');
    return { messageId: info.messageId };
  },
  {
    connection,
    concurrency: config.emailConcurrency,
    limiter: { max: 50, duration: 1_000 },
  },
);

emailWorker.on('failed', (job, err) => {
  log.error({ jobId: job?.id, attemptsMade: job?.attemptsMade, err }, 'email job failed');
});

emailWorker.on('error', (err) => {
  log.error({ err }, 'email worker error');
});

export async function closeEmailWorker(): Promise<void> {
  await emailWorker.close();
}
