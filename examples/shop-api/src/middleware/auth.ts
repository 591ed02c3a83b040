import { NextFunction, Request, Response } from 'express';
import jwt, { JwtPayload } from 'jsonwebtoken';
import { config } from '../config';
import { redis } from '../db/redis';
import * as userService from '../services/userService';
import type { Role } from '../services/userService';

export const REVOKED_TOKEN_PREFIX = 'revoked-jti:';

// latency-critical: p99 budget 50ms
export async function authenticate(req: Request, res: Response, next: NextFunction): Promise<void> {
  try {
    let userId: string | undefined = req.session?.userId;
    const header = req.headers.authorization;

    if (header?.startsWith('Bearer ')) {
      const claims = jwt.verify(header.slice('Bearer '.length), config.jwtSecret) as JwtPayload;
      if (claims.jti && (await redis.exists(`${REVOKED_TOKEN_PREFIX}${claims.jti}`))) {
        res.status(401).json({ error: 'Token has been revoked' });
        return;
      }
      req.tokenClaims = claims;
      userId = claims.sub;
    }

    if (userId) {
      const user = await userService.findById(userId);
      if (user) {
        req.user = user;
      }
    }
    next();
  } catch (err) {
    if (err instanceof jwt.JsonWebTokenError) {
      res.status(401).json({ error: err instanceof jwt.TokenExpiredError ? 'Token expired' : 'Invalid token' });
      return;
    }
    next(err);
  }
}

export function requireAuth(req: Request, res: Response, next: NextFunction): void {
  if (!req.user) {
    res.status(401).json({ error: 'Authentication required' });
    return;
  }
  next();
}

export function requireRole(...roles: Role[]) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!req.user) {
      res.status(401).json({ error: 'Authentication required' });
      return;
    }
    if (!roles.includes(req.user.role)) {
      res.status(403).json({ error: 'Insufficient permissions' });
      return;
    }
    next();
  };
}

export const requireAdmin = requireRole('admin');
