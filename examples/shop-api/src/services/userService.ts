import { LRUCache } from 'lru-cache';
import { pool } from '../db/pool';

export type Role = 'customer' | 'editor' | 'admin';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: Date;
}

export interface UserWithHash extends User {
  passwordHash: string;
}

// Hot path for the auth middleware: avoids a database round-trip on every request.
const userCache = new LRUCache<string, User>({ max: 5_000, ttl: 60_000 });

const USER_COLUMNS = `id, email, name, role, password_hash AS "passwordHash", created_at AS "createdAt"`;
const SELECT_USER = `SELECT ${USER_COLUMNS} FROM users`;

function toPublic({ passwordHash: _hash, ...user }: UserWithHash): User {
  return user;
}

export async function findById(id: string): Promise<User | null> {
  const cached = userCache.get(id);
  if (cached) {
    return cached;
  }
  const { rows } = await pool.query<UserWithHash>(`${SELECT_USER} WHERE id = $1 AND deleted_at IS NULL`, [id]);
  if (rows.length === 0) {
    return null;
  }
  const user = toPublic(rows[0]);
  userCache.set(id, user);
  return user;
}

export async function findByEmail(email: string): Promise<UserWithHash | null> {
  const { rows } = await pool.query<UserWithHash>(
    `${SELECT_USER} WHERE lower(email) = lower($1) AND deleted_at IS NULL`,
    [email],
  );
  return rows[0] ?? null;
}

export async function create(input: { email: string; name: string; passwordHash: string }): Promise<User> {
  const { rows } = await pool.query<UserWithHash>(
    `INSERT INTO users (email, name, password_hash, role)
     VALUES ($1, $2, $3, 'customer')
     RETURNING ${USER_COLUMNS}`,
    [input.email.toLowerCase(), input.name, input.passwordHash],
  );
  return toPublic(rows[0]);
}

export async function list(options: { page: number; pageSize: number; q?: string }): Promise<{ items: User[]; total: number }> {
  const offset = (options.page - 1) * options.pageSize;
  const search = options.q ? `%${options.q}%` : null;
  const { rows } = await pool.query<UserWithHash & { total: number }>(
    `SELECT ${USER_COLUMNS}, count(*) OVER ()::int AS total FROM users
     WHERE deleted_at IS NULL AND ($3::text IS NULL OR email ILIKE $3 OR name ILIKE $3)
     ORDER BY created_at DESC LIMIT $1 OFFSET $2`,
    [options.pageSize, offset, search],
  );
  return { items: rows.map(({ total: _total, ...row }) => toPublic(row)), total: rows[0]?.total ?? 0 };
}

export async function setRole(id: string, role: Role): Promise<User | null> {
  const { rows } = await pool.query<UserWithHash>(
    `UPDATE users SET role = $2, updated_at = now() WHERE id = $1 AND deleted_at IS NULL
     RETURNING ${USER_COLUMNS}`,
    [id, role],
  );
  userCache.delete(id);
  return rows[0] ? toPublic(rows[0]) : null;
}

export async function softDelete(id: string): Promise<boolean> {
  const result = await pool.query('UPDATE users SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL', [id]);
  userCache.delete(id);
  return (result.rowCount ?? 0) > 0;
}
