import { NextFunction, Request, Response } from 'express';

let requestCount = 0;
let errorCount = 0;
const responsesByClass: Record<string, number> = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 };

/** Counts every request and its response class for the /metrics endpoint. */
export function requestCounter(_req: Request, res: Response, next: NextFunction): void {
  requestCount++;
  res.on('finish', () => {
    const bucket = `${Math.floor(res.statusCode / 100)}xx`;
    responsesByClass[bucket] = (responsesByClass[bucket] ?? 0) + 1;
    if (res.statusCode >= 500) {
      errorCount++;
    }
  });
  next();
}

export interface RequestMetrics {
  requestCount: number;
  errorCount: number;
  responsesByClass: Record<string, number>;
}

export function getMetrics(): RequestMetrics {
  return { requestCount, errorCount, responsesByClass: { ...responsesByClass } };
}
