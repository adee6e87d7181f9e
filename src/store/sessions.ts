/**
 * Login sessions and the audit log of the local API. Tokens are random 32-byte values handed
 * to the client once; only their SHA-256 is stored.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './db.ts';

/** A user as the API sees it. */
export interface SessionUser {
  id: string;
  name: string;
  role: 'cashier' | 'manager' | 'technician' | 'admin';
}

/** The stored form of a bearer token (SHA-256, hex): what sessions, tickets and sockets are keyed by. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Creates a session and returns the bearer token (shown once, never stored). */
export function createSession(db: Db, userId: string, now: Date, ttlMs: number): { token: string; expiresAt: string } {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
  db.prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
    .run(hashToken(token), userId, now.toISOString(), expiresAt);
  return { token, expiresAt };
}

/** A live session: its user (never a disabled one), the token's hash and when it ends. */
export interface LiveSession {
  user: SessionUser;
  tokenHash: string;
  expiresAt: string;
}

/** The live session of a token's hash, or undefined (unknown, expired, or its user disabled). */
export function liveSessionByHash(db: Db, tokenHash: string, now: Date): LiveSession | undefined {
  const row = db.prepare(`SELECT u.id, u.name, u.role, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL`).get(tokenHash, now.toISOString()) as
    (SessionUser & { expires_at: string }) | undefined;
  return row ? { user: { id: row.id, name: row.name, role: row.role }, tokenHash, expiresAt: row.expires_at } : undefined;
}

/** The user of a live session, or undefined for an unknown or expired token or a disabled user. */
export function sessionUser(db: Db, token: string, now: Date): SessionUser | undefined {
  return liveSessionByHash(db, hashToken(token), now)?.user;
}

/** Ends a session by its token's hash (logout). Returns false when there was none. */
export function deleteSessionByHash(db: Db, tokenHash: string): boolean {
  return db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash).changes > 0;
}

/** Ends a session (logout). */
export function deleteSession(db: Db, token: string): void {
  deleteSessionByHash(db, hashToken(token));
}

/** Ends every session of a user (disabled, PIN reset), but the one whose hash is `except`; returns how many. */
export function deleteUserSessions(db: Db, userId: string, except?: string): number {
  return db.prepare('DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ?').run(userId, except ?? null).changes;
}

/** Removes expired sessions; returns how many. */
export function purgeExpiredSessions(db: Db, now: Date): number {
  return db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now.toISOString()).changes;
}

/** One audit record. `details` must never contain secrets (PINs, tokens). */
export interface AuditEntry {
  at: string;
  user: SessionUser | null;
  userName?: string;
  action: string;
  outcome: 'ok' | 'denied' | 'failed';
  details?: Record<string, unknown>;
  remote?: string | null;
}

/** Appends to the audit log. */
export function appendAudit(db: Db, e: AuditEntry): void {
  db.prepare('INSERT INTO audit_log (at, user_id, user_name, role, action, outcome, details, remote) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(e.at, e.user?.id ?? null, e.user?.name ?? e.userName ?? null, e.user?.role ?? null, e.action, e.outcome, JSON.stringify(e.details ?? {}), e.remote ?? null);
}

/** A stored audit record. */
export interface AuditRecord {
  seq: number;
  at: string;
  userName: string | null;
  role: string | null;
  action: string;
  outcome: string;
  details: Record<string, unknown>;
  remote: string | null;
}

/** Newest first. */
export function listAudit(db: Db, limit = 200, action?: string): AuditRecord[] {
  const rows = (action
    ? db.prepare('SELECT * FROM audit_log WHERE action = ? ORDER BY seq DESC LIMIT ?').all(action, limit)
    : db.prepare('SELECT * FROM audit_log ORDER BY seq DESC LIMIT ?').all(limit)) as {
    seq: number; at: string; user_name: string | null; role: string | null; action: string; outcome: string; details: string; remote: string | null;
  }[];
  return rows.map((r) => ({ seq: r.seq, at: r.at, userName: r.user_name, role: r.role, action: r.action, outcome: r.outcome, details: JSON.parse(r.details) as Record<string, unknown>, remote: r.remote }));
}
