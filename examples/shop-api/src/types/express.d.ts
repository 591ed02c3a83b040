import type { JwtPayload } from 'jsonwebtoken';
import type { Role, User } from '../services/userService';

declare global {
  namespace Express {
    interface Request {
      /** Set by the authenticate middleware when a session or bearer token is present. */
      user?: User;
      /** Decoded claims when the request was authenticated with a bearer token. */
      tokenClaims?: JwtPayload;
    }
  }
}

declare module 'express-session' {
  interface SessionData {
    userId: string;
    role: Role;
  }
}

export {};
