/**
 * Tickets: what a browser puts in a URL where it cannot send a header (the WebSocket, an image).
 * A ticket is random, names one purpose, lives for seconds, opens one connection, and dies with
 * its session. Only its SHA-256 is kept; it is never a bearer token for anything else.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { TicketPurpose } from '../contract/index.ts';

interface Ticket {
  purpose: TicketPurpose;
  tokenHash: string;
  userId: string;
  expiresAt: number;
}

const hash = (ticket: string) => createHash('sha256').update(ticket).digest('hex');

/** Outstanding tickets, in memory (a restart voids them; the page asks again). */
export class Tickets {
  private readonly byHash = new Map<string, Ticket>();

  constructor(readonly ttlMs = 30_000, private readonly max = 10_000) {}

  /** A new ticket for a session. */
  issue(session: { tokenHash: string; userId: string }, purpose: TicketPurpose, now: Date): { ticket: string; expiresAt: string } {
    this.prune(now.getTime());
    if (this.byHash.size >= this.max) this.byHash.delete(this.byHash.keys().next().value as string);
    const ticket = randomBytes(24).toString('base64url');
    const expiresAt = now.getTime() + this.ttlMs;
    this.byHash.set(hash(ticket), { purpose, tokenHash: session.tokenHash, userId: session.userId, expiresAt });
    return { ticket, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** Uses a ticket up: its session's token hash if it is live and of this purpose, else undefined. */
  take(ticket: string, purpose: TicketPurpose, now: Date): { tokenHash: string; userId: string } | undefined {
    const key = hash(ticket);
    const t = this.byHash.get(key);
    if (!t) return undefined;
    this.byHash.delete(key);
    if (t.purpose !== purpose || t.expiresAt <= now.getTime()) return undefined;
    return { tokenHash: t.tokenHash, userId: t.userId };
  }

  /** Voids the tickets of one session (logout). */
  revokeSession(tokenHash: string): void {
    for (const [k, t] of this.byHash) if (t.tokenHash === tokenHash) this.byHash.delete(k);
  }

  /** Voids the tickets of every session of a user (disabled, PIN reset). */
  revokeUser(userId: string, exceptTokenHash?: string): void {
    for (const [k, t] of this.byHash) if (t.userId === userId && t.tokenHash !== exceptTokenHash) this.byHash.delete(k);
  }

  private prune(now: number): void {
    for (const [k, t] of this.byHash) if (t.expiresAt <= now) this.byHash.delete(k);
  }
}
