import { Pool, PoolClient } from 'pg';
import { logger } from '../utils/logger';

export const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });

pool.on('error', (err) => {
  logger.error({ err }, 'unexpected error on idle PostgreSQL client');
});

/** Runs `fn` inside BEGIN/COMMIT on a dedicated client, rolling back on any error. */
export async function withTransaction<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

export async function closePool(): Promise<void> {
  await pool.end();
}
