/**
 * Users who may authorise things at the register (managers' PINs for overrides). PINs are stored
 * only as scrypt hashes with a per-user salt.
 */
import { randomBytes, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Db } from './db.ts';
import { prepared } from './cache-codes.ts';

/** A user without secrets. */
export interface User {
  id: string;
  name: string;
  role: UserRole;
  createdAt: string;
}

/** Roles (migration 4 added technician and admin for the local API). */
export type UserRole = 'cashier' | 'manager' | 'technician' | 'admin';

const KEYLEN = 32;

function hashPin(pin: string, salt: Buffer): Buffer {
  return scryptSync(pin, salt, KEYLEN);
}

/** Adds a user with a PIN of at least 4 digits. */
export function addUser(db: Db, user: { name: string; role: UserRole; pin: string; at: string }): User {
  if (!/^\d{4,12}$/.test(user.pin)) throw new Error('PIN must be 4 to 12 digits');
  const salt = randomBytes(16);
  const id = randomUUID();
  prepared(db, 'INSERT INTO users (id, name, role, pin_hash, pin_salt, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(id, user.name, user.role, hashPin(user.pin, salt).toString('hex'), salt.toString('hex'), user.at);
  return { id, name: user.name, role: user.role, createdAt: user.at };
}

/** The user holding one of the given roles whose PIN this is, or undefined. */
export function findUserByPin(db: Db, pin: string, roles: UserRole | readonly UserRole[]): User | undefined {
  const wanted: readonly UserRole[] = typeof roles === 'string' ? [roles] : roles;
  const rows = (prepared(db, 'SELECT id, name, role, pin_hash, pin_salt, created_at FROM users').all() as { id: string; name: string; role: UserRole; pin_hash: string; pin_salt: string; created_at: string }[]).filter((r) => wanted.includes(r.role));
  for (const r of rows) {
    const expected = Buffer.from(r.pin_hash, 'hex');
    const actual = hashPin(pin, Buffer.from(r.pin_salt, 'hex'));
    if (expected.length === actual.length && timingSafeEqual(expected, actual)) return { id: r.id, name: r.name, role: r.role, createdAt: r.created_at };
  }
  return undefined;
}

/** Every user, without secrets. */
export function listUsers(db: Db): User[] {
  return (prepared(db, 'SELECT id, name, role, created_at FROM users ORDER BY name').all() as { id: string; name: string; role: UserRole; created_at: string }[])
    .map((r) => ({ id: r.id, name: r.name, role: r.role, createdAt: r.created_at }));
}

/** The user with this name if the PIN is theirs (login). Constant-time comparison of hashes. */
export function verifyUserPin(db: Db, name: string, pin: string): User | undefined {
  const r = prepared(db, 'SELECT id, name, role, pin_hash, pin_salt, created_at FROM users WHERE name = ?').get(name) as
    { id: string; name: string; role: UserRole; pin_hash: string; pin_salt: string; created_at: string } | undefined;
  // Hash even for an unknown name so that timing does not tell which names exist.
  const salt = r ? Buffer.from(r.pin_salt, 'hex') : Buffer.alloc(16);
  const actual = hashPin(pin, salt);
  if (!r) return undefined;
  const expected = Buffer.from(r.pin_hash, 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? { id: r.id, name: r.name, role: r.role, createdAt: r.created_at } : undefined;
}
