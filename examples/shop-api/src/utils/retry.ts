import { logger } from './logger';

export interface RetryOptions {
  retries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  shouldRetry?: (err: unknown) => boolean;
}

/**
 * Runs `fn`, retrying failures with exponential backoff and jitter.
 * The delay is awaited inline, so nothing keeps running after the call settles.
 */
export async function withRetry<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { retries = 3, baseDelayMs = 200, maxDelayMs = 5_000, shouldRetry = () => true } = options;
  let attempt = 0;

  for (;;) {
    try {
      return await fn();
    } catch (err) {
      attempt += 1;
      if (attempt > retries || !shouldRetry(err)) {
        throw err;
      }
      const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      const ms = Math.round(backoff * (0.5 + Math.random() / 2));
      logger.warn({ err, attempt, delayMs: ms }, 'operation failed, retrying');
      await new Promise((r) => setTimeout(r, ms));
    }
  }
}
