import type { IncomingMessage, Server } from 'http';
import jwt, { JwtPayload } from 'jsonwebtoken';
import { WebSocket, WebSocketServer } from 'ws';
import { config } from '../config';
import { childLogger } from '../utils/logger';

type ClientSocket = WebSocket & { isAlive?: boolean; userId?: string };

export interface NotificationEvent {
  type: string;
  [key: string]: unknown;
}

const log = childLogger('realtime');
const clients = new Set<WebSocket>();

function authenticateUpgrade(req: IncomingMessage): string | null {
  const token = new URL(req.url ?? '/', 'http://localhost').searchParams.get('token');
  if (!token) return null;
  try {
    return (jwt.verify(token, config.jwtSecret) as JwtPayload).sub ?? null;
  } catch {
    return null;
  }
}

export function attachRealtime(server: Server): WebSocketServer {
  const wss = new WebSocketServer({ server, path: '/ws' });

  wss.on('connection', (ws: ClientSocket, req: IncomingMessage) => {
    const userId = authenticateUpgrade(req);
    if (!userId) {
      ws.close(4401, 'Unauthorized');
      return;
    }
    ws.userId = userId;
    ws.isAlive = true;
    clients.add(ws);

    ws.on('pong', () => {
      ws.isAlive = true;
    });
    ws.on('close', () => {
      clients.delete(ws);
    });
    ws.on('error', (err) => log.warn({ err, userId }, 'websocket error'));
    ws.send(JSON.stringify({ type: 'hello', connectedAt: new Date().toISOString() }));
  });

  const heartbeat = setInterval(() => {
    for (const ws of clients as Set<ClientSocket>) {
      if (!ws.isAlive) {
        clients.delete(ws);
        ws.terminate();
        continue;
      }
      ws.isAlive = false;
      ws.ping();
    }
  }, config.wsHeartbeatMs);

  wss.on('close', () => clearInterval(heartbeat));
  log.info('websocket server attached at /ws');
  return wss;
}

/** Pushes an event to every connected socket, or only to `userId`'s sockets. */
export function broadcast(event: NotificationEvent, userId?: string): number {
  const payload = JSON.stringify(event);
  let delivered = 0;
  for (const ws of clients as Set<ClientSocket>) {
    if (ws.readyState === WebSocket.OPEN && (!userId || ws.userId === userId)) {
      ws.send(payload);
      delivered++;
    }
  }
  return delivered;
}

export function connectedClientCount(): number {
  return clients.size;
}
