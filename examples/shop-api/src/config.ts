export const PORT = Number(process.env.PORT ?? 3000);
export const APP_VERSION = process.env.APP_VERSION ?? '0.0.0-dev';
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const SUPPORTED_CURRENCIES = ['USD', 'EUR', 'GBP', 'CHF'] as const;
export type Currency = (typeof SUPPORTED_CURRENCIES)[number];
export const ALLOWED_IMAGE_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/webp'];

const isProduction = process.env.NODE_ENV === 'production';

function required(name: string, devFallback: string): string {
  const value = process.env[name] ?? (isProduction ? undefined : devFallback);
  if (value === undefined || value === '') {
    throw new Error(`Missing required environment variable ${name}`);
  }
  return value;
}

export const config = Object.freeze({
  isProduction,
  sessionSecret: required('SESSION_SECRET', 'dev-session-secret'),
  jwtSecret: required('JWT_SECRET', 'dev-jwt-secret'),
  jwtTtlSeconds: 60 * 60 * 24,
  sessionTtlMs: 1000 * 60 * 60 * 24 * 7,
  bcryptRounds: 12,
  articleCacheTtlMs: 30_000,
  wsHeartbeatMs: 30_000,
  emailConcurrency: 5,
  awsRegion: process.env.AWS_REGION ?? 'eu-west-1',
  mediaBucket: process.env.MEDIA_BUCKET ?? 'acme-shop-media',
  cdnBaseUrl: process.env.CDN_BASE_URL ?? 'https://cdn.acme-shop.example',
  publicBaseUrl: process.env.PUBLIC_BASE_URL ?? 'https://www.acme-shop.example',
  exchangeRateUrl: process.env.EXCHANGE_RATE_URL ?? 'https://api.exchangerate.host/latest',
  mailFrom: 'Acme Shop <no-reply@acme-shop.example>',
  companyName: 'Acme Shop Ltd.',
  companyAddress: Object.freeze(['12 Market Street', 'Bristol BS1 4DJ', 'United Kingdom']),
  imageWidths: Object.freeze([320, 800, 1600]) as readonly number[],
});

export type AppConfig = typeof config;
