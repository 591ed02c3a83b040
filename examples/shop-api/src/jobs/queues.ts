import { JobsOptions, Queue } from 'bullmq';
import { redis as connection } from '../db/redis';

export type EmailTemplate = 'welcome' | 'order-confirmation' | 'password-reset';

export interface EmailJob {
  template: EmailTemplate;
  to: string;
  data: Record<string, unknown>;
}

const defaultJobOptions: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 24 * 3600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export const emailQueue = new Queue<EmailJob>('emails', { connection, defaultJobOptions });

/** Adds an e-mail to the queue; returns the BullMQ job id. */
export async function enqueueEmail(job: EmailJob, options?: JobsOptions): Promise<string | undefined> {
  const added = await emailQueue.add(job.template, job, options);
  return added.id;
}
