import Redis from 'ioredis';
import { logger } from '../utils/logger';

// Shared by the session revocation list and BullMQ. BullMQ workers require
// maxRetriesPerRequest: null on their connection.
export const redis = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379', {
  maxRetriesPerRequest: null,
  enableReadyCheck: true,
  connectionName: 'acme-shop-api',
});

redis.on('error', (err) => {
  logger.error({ err }, 'redis connection error');
});

redis.on('reconnecting', (delay: number) => {
  logger.warn({ delay }, 'redis reconnecting');
});

export async function closeRedis(): Promise<void> {
  await redis.quit();
}
