/**
 * Users who may sign in and approve things at the register. PINs are stored only as scrypt
 * hashes with a per-user salt. Hashing is slow on purpose (tens of milliseconds), so the
 * functions a request waits on hash in the thread pool (`verifyUserPin`, `pinInUse`) and do not
 * stall the scans of the same process.
 */
import { randomBytes, randomUUID, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Db } from './db.ts';
import { prepared } from './cache-codes.ts';

/** A user without secrets. */
export interface User {
  id: string;
  name: string;
  role: UserRole;
  createdAt: string;
  /** When an administrator disabled the user (UTC), or null for an active user (migration 9). */
  disabledAt: string | null;
}

/** Roles (migration 4 added technician and admin for the local API). */
export type UserRole = 'cashier' | 'manager' | 'technician' | 'admin';

const KEYLEN = 32;
const scryptAsync = promisify(scrypt) as (pin: string, salt: Buffer, keylen: number) => Promise<Buffer>;

interface Row { id: string; name: string; role: UserRole; pin_hash: string; pin_salt: string; created_at: string; disabled_at: string | null }

const COLUMNS = 'id, name, role, pin_hash, pin_salt, created_at, disabled_at';

function fromRow(r: Row): User {
  return { id: r.id, name: r.name, role: r.role, createdAt: r.created_at, disabledAt: r.disabled_at };
}

function checkFormat(pin: string): void {
  if (!/^\d{4,12}$/.test(pin)) throw new Error('PIN must be 4 to 12 digits');
}

function sameHash(expectedHex: string, actual: Buffer): boolean {
  const expected = Buffer.from(expectedHex, 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * Adds a user with a PIN of 4 to 12 digits. Strength and uniqueness are the caller's policy
 * (the API checks both before calling; see `pinInUse`).
 */
export function addUser(db: Db, user: { name: string; role: UserRole; pin: string; at: string }): User {
  checkFormat(user.pin);
  const salt = randomBytes(16);
  const id = randomUUID();
  prepared(db, 'INSERT INTO users (id, name, role, pin_hash, pin_salt, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(id, user.name, user.role, scryptSync(user.pin, salt, KEYLEN).toString('hex'), salt.toString('hex'), user.at);
  return { id, name: user.name, role: user.role, createdAt: user.at, disabledAt: null };
}

/** Replaces a user's PIN (new salt). Returns false for an unknown id. */
export function setUserPin(db: Db, userId: string, pin: string): boolean {
  checkFormat(pin);
  const salt = randomBytes(16);
  return prepared(db, 'UPDATE users SET pin_hash = ?, pin_salt = ? WHERE id = ?')
    .run(scryptSync(pin, salt, KEYLEN).toString('hex'), salt.toString('hex'), userId).changes === 1;
}

/** Disables a user (`at` = when) or enables them again (`at` = null). Returns false for an unknown id. */
export function setUserDisabled(db: Db, userId: string, at: string | null): boolean {
  return prepared(db, 'UPDATE users SET disabled_at = ? WHERE id = ?').run(at, userId).changes === 1;
}

/** Every user, without secrets, by name. */
export function listUsers(db: Db): User[] {
  return (prepared(db, `SELECT ${COLUMNS} FROM users ORDER BY name`).all() as Row[]).map(fromRow);
}

/** How a name is compared: trimmed, NFC, lower case in any script ("Дана" = "дана"). */
export function userNameKey(name: string): string {
  return name.trim().normalize('NFC').toLocaleLowerCase();
}

/**
 * The row of a name: the exact name first, else the one user whose name differs only in case
 * (a cashier types "marat" for "Marat"). Two such users (made before names were compared this
 * way) match only exactly.
 */
function rowByName(db: Db, name: string): Row | undefined {
  const exact = prepared(db, `SELECT ${COLUMNS} FROM users WHERE name = ?`).get(name) as Row | undefined;
  if (exact) return exact;
  const key = userNameKey(name);
  const same = (prepared(db, `SELECT ${COLUMNS} FROM users`).all() as Row[]).filter((r) => userNameKey(r.name) === key);
  return same.length === 1 ? same[0] : undefined;
}

/** A user by name, case-insensitively (see {@link userNameKey}). */
export function userByName(db: Db, name: string): User | undefined {
  const r = rowByName(db, name);
  return r ? fromRow(r) : undefined;
}

/** A user by id. */
export function userById(db: Db, id: string): User | undefined {
  const r = prepared(db, `SELECT ${COLUMNS} FROM users WHERE id = ?`).get(id) as Row | undefined;
  return r ? fromRow(r) : undefined;
}

/**
 * The user with this name if the PIN is theirs, disabled or not (the caller decides what a
 * disabled user may do). Constant-time comparison; an unknown name is hashed too, so the
 * timing does not tell which names exist.
 */
export async function verifyUserPin(db: Db, name: string, pin: string): Promise<User | undefined> {
  const r = rowByName(db, name);
  const actual = await scryptAsync(pin, r ? Buffer.from(r.pin_salt, 'hex') : Buffer.alloc(16), KEYLEN);
  return r && sameHash(r.pin_hash, actual) ? fromRow(r) : undefined;
}

/**
 * True when another user (any but `exceptUserId`, disabled ones included) already has this PIN.
 * Costs one hash per user: an administrator's action, not a cashier's.
 */
export async function pinInUse(db: Db, pin: string, exceptUserId?: string): Promise<boolean> {
  const rows = prepared(db, `SELECT ${COLUMNS} FROM users`).all() as Row[];
  for (const r of rows) {
    if (r.id === exceptUserId) continue;
    if (sameHash(r.pin_hash, await scryptAsync(pin, Buffer.from(r.pin_salt, 'hex'), KEYLEN))) return true;
  }
  return false;
}
