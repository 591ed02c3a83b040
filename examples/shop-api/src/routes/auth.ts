import express, { Request, Response } from 'express';
import bcrypt from 'bcrypt';
import jwt from 'jsonwebtoken';
import { randomUUID } from 'crypto';
import { z } from 'zod';
import { config } from '../config';
import { redis } from '../db/redis';
import { enqueueEmail } from '../jobs/queues';
import { REVOKED_TOKEN_PREFIX, requireAuth } from '../middleware/auth';
import * as userService from '../services/userService';

const router = express.Router();

const credentials = z.object({
  email: z.string().trim().email(),
  password: z.string().min(8).max(128),
});
const registration = credentials.extend({ name: z.string().trim().min(1).max(100) });

function issueToken(user: userService.User): string {
  return jwt.sign({ sub: user.id, role: user.role }, config.jwtSecret, {
    expiresIn: config.jwtTtlSeconds,
    jwtid: randomUUID(),
  });
}

function regenerateSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
}

router.post('/register', async (req: Request, res: Response) => {
  const parsed = registration.safeParse(req.body);
  if (!parsed.success) {
    return res.status(400).json({ error: 'Invalid registration', issues: parsed.error.issues });
  }
  const { email, password, name } = parsed.data;
  if (await userService.findByEmail(email)) {
    return res.status(409).json({ error: 'An account with this email already exists' });
  }
  const passwordHash = await bcrypt.hash(password, config.bcryptRounds);
  const user = await userService.create({ email, name, passwordHash });
  await enqueueEmail({ template: 'welcome', to: user.email, data: { name: user.name } });

  await regenerateSession(req);
  req.session.userId = user.id;
  req.session.role = user.role;
  res.status(201).json({ user, token: issueToken(user) });
});

router.post('/login', async (req: Request, res: Response) => {
  const parsed = credentials.safeParse(req.body);
  if (!parsed.success) {
    return res.status(400).json({ error: 'Email and password are required' });
  }
  const account = await userService.findByEmail(parsed.data.email);
  const valid = account ? await bcrypt.compare(parsed.data.password, account.passwordHash) : false;
  if (!account || !valid) {
    return res.status(401).json({ error: 'Invalid email or password' });
  }
  const { passwordHash: _hash, ...user } = account;

  await regenerateSession(req);
  req.session.userId = user.id;
  req.session.role = user.role;
  res.json({ user, token: issueToken(user) });
});

router.post('/logout', requireAuth, async (req: Request, res: Response) => {
  const claims = req.tokenClaims;
  if (claims?.jti && claims.exp) {
    const ttl = Math.max(1, claims.exp - Math.floor(Date.now() / 1000));
    await redis.set(`${REVOKED_TOKEN_PREFIX}${claims.jti}`, '1', 'EX', ttl);
  }
  req.session.destroy((err) => {
    if (err) {
      req.log.warn({ err }, 'failed to destroy session');
    }
    res.clearCookie('acme.sid').status(204).end();
  });
});

router.get('/me', requireAuth, (req: Request, res: Response) => {
  res.json({ user: req.user });
});

export default router;
