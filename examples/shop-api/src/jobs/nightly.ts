import cron from 'node-cron';
import { promises as fs } from 'fs';
import path from 'path';
import { config, Currency, SUPPORTED_CURRENCIES } from '../config';
import { pool } from '../db/pool';
import { childLogger } from '../utils/logger';
import { withRetry } from '../utils/retry';

const log = childLogger('nightly');
const SITEMAP_PATH = path.join('public', 'sitemap.xml');

let exchangeRates: Record<Currency, number> = { USD: 1, EUR: 0.92, GBP: 0.79, CHF: 0.88 };
let ratesUpdatedAt: Date | null = null;

export function getExchangeRate(currency: Currency): number {
  return exchangeRates[currency];
}

export function exchangeRatesAgeSeconds(): number | null {
  return ratesUpdatedAt ? Math.round((Date.now() - ratesUpdatedAt.getTime()) / 1000) : null;
}

async function refreshExchangeRates(): Promise<void> {
  const url = `${config.exchangeRateUrl}?base=USD&symbols=${SUPPORTED_CURRENCIES.join(',')}`;
  const response = await withRetry(() => fetch(url, { signal: AbortSignal.timeout(5_000) }), { retries: 2 });
  if (!response.ok) {
    throw new Error(`exchange rate API responded with ${response.status}`);
  }
  const body = (await response.json()) as { rates: Partial<Record<Currency, number>> };
  exchangeRates = { ...exchangeRates, ...body.rates, USD: 1 };
  ratesUpdatedAt = new Date();
}

setInterval(() => {
  refreshExchangeRates().catch((err) => log.warn({ err }, 'exchange rate refresh failed, keeping previous rates'));
}, 60_000);

function escapeXml(value: string): string {
  return value.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function writeSitemap(): Promise<number> {
  const { rows } = await pool.query<{ slug: string; updated_at: Date }>(
    'SELECT slug, updated_at FROM articles WHERE published ORDER BY updated_at DESC LIMIT 50000',
  );
  const urls = rows.map(
    (row) =>
      `  <url><loc>${config.publicBaseUrl}/articles/${escapeXml(row.slug)}</loc>` +
      `<lastmod>${row.updated_at.toISOString()}</lastmod></url>`,
  );
  const xml = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ...urls,
    '</urlset>',
    '',
  ].join('\n');
  await fs.writeFile(SITEMAP_PATH, xml, 'utf8');
  return rows.length;
}

cron.schedule(
  '0 3 * * *',
  async () => {
    const started = Date.now();
    try {
      const carts = await pool.query("DELETE FROM carts WHERE updated_at < now() - interval '30 days'");
      const resets = await pool.query('DELETE FROM password_resets WHERE expires_at < now()');
      const sitemapUrls = await writeSitemap();
      log.info(
        { abandonedCarts: carts.rowCount, expiredResets: resets.rowCount, sitemapUrls, ms: Date.now() - started },
        'nightly maintenance finished',
      );
    } catch (err) {
      log.error({ err }, 'nightly maintenance failed');
    }
  },
  { timezone: 'Europe/London' },
);
