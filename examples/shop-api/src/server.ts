import http from 'http';
import express, { NextFunction, Request, Response } from 'express';
import session from 'express-session';
import pinoHttp from 'pino-http';
import { config, PORT } from './config';
import { closePool } from './db/pool';
import { closeRedis } from './db/redis';
import { closeEmailWorker } from './jobs/emailWorker';
import './jobs/nightly';
import { authenticate, requireAdmin } from './middleware/auth';
import { requestCounter } from './middleware/requestCounter';
import { attachRealtime } from './realtime/notifications';
import adminRouter from './routes/admin';
import articlesRouter from './routes/articles';
import authRouter from './routes/auth';
import healthRouter from './routes/health';
import ordersRouter from './routes/orders';
import reportsRouter from './routes/reports';
import uploadsRouter from './routes/uploads';
import { logger } from './utils/logger';

const app = express();

app.set('trust proxy', 1);
app.disable('x-powered-by');

app.use(pinoHttp({ logger, autoLogging: { ignore: (req) => req.url === '/health' } }));
app.use(requestCounter);
app.use(express.json({ limit: '1mb' }));
app.use(
  session({
    name: 'acme.sid',
    secret: config.sessionSecret,
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure: config.isProduction, maxAge: config.sessionTtlMs },
  }),
);
app.use(authenticate);

app.use(healthRouter);
app.use('/api/auth', authRouter);
app.use('/api/articles', articlesRouter);
app.use('/api/uploads', uploadsRouter);
app.use('/api/orders', ordersRouter);
app.use('/api/reports', reportsRouter);
app.use('/api/admin', requireAdmin, adminRouter);
app.use(express.static('public', { maxAge: '1h', index: false }));

app.use((_req: Request, res: Response) => {
  res.status(404).json({ error: 'Not found' });
});

app.use((err: Error & { status?: number }, req: Request, res: Response, _next: NextFunction) => {
  const status = err.status ?? 500;
  if (status >= 500) {
    req.log.error({ err }, 'unhandled error');
  }
  res.status(status).json({ error: status >= 500 ? 'Internal server error' : err.message });
});

const server = http.createServer(app);
attachRealtime(server);

server.listen(PORT, () => {
  logger.info({ port: PORT, env: process.env.NODE_ENV ?? 'development' }, 'Acme Shop API listening');
});

async function shutdown(signal: string): Promise<void> {
  logger.info({ signal }, 'shutting down');
  server.close();
  await closeEmailWorker();
  await Promise.allSettled([closePool(), closeRedis()]);
  process.exit(0);
}

process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

export default app;
