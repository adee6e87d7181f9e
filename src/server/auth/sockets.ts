/**
 * The open event sockets and the session each belongs to. A socket lives only as long as its
 * session: logout, expiry, a disabled user or a PIN reset close it (code 4401), and a sweep
 * every second re-checks every socket's session against the database, so a session ended any
 * other way is noticed too. Events go only to sockets whose session is live at that moment.
 */
import type { Role, ServerEvent } from '../contract/index.ts';
import { PERMISSIONS } from './permissions.ts';

/** Close code that tells the page its session is over (log in again; do not just reconnect). */
export const SESSION_ENDED_CLOSE = 4401;

/** The part of a WebSocket this module uses. */
export interface EventSocket {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  on(event: 'close', listener: () => void): unknown;
}

interface Peer {
  tokenHash: string;
  userId: string;
  role: Role;
  expiresAt: number;
}

const OPEN = 1;

/** Every open event socket with its session. */
export class LiveSockets {
  private readonly peers = new Map<EventSocket, Peer>();

  /** Registers a socket of a live session; it leaves the registry when it closes. */
  add(socket: EventSocket, session: { tokenHash: string; user: { id: string; role: Role }; expiresAt: string }): void {
    this.peers.set(socket, { tokenHash: session.tokenHash, userId: session.user.id, role: session.user.role, expiresAt: Date.parse(session.expiresAt) });
    socket.on('close', () => this.peers.delete(socket));
  }

  get size(): number {
    return this.peers.size;
  }

  /** Closes the sockets of one session. */
  closeSession(tokenHash: string, reason: string): number {
    return this.closeWhere((p) => p.tokenHash === tokenHash, reason);
  }

  /** Closes the sockets of every session of a user but `exceptTokenHash`. */
  closeUser(userId: string, reason: string, exceptTokenHash?: string): number {
    return this.closeWhere((p) => p.userId === userId && p.tokenHash !== exceptTokenHash, reason);
  }

  /** Closes the sockets whose session has expired or is no longer live. */
  sweep(now: Date, isLive: (tokenHash: string) => boolean): number {
    const t = now.getTime();
    const expired = this.closeWhere((p) => p.expiresAt <= t, 'session expired');
    return expired + this.closeWhere((p) => !isLive(p.tokenHash), 'session ended');
  }

  /** Sends an event to every socket of a live session; raw device bytes only to those who configure. */
  broadcast(event: ServerEvent, now: Date): void {
    const data = JSON.stringify(event);
    const roles = event.type === 'device-raw' ? (PERMISSIONS.configure as readonly Role[]) : null;
    const t = now.getTime();
    for (const [socket, p] of this.peers) {
      if (p.expiresAt <= t) {
        this.closeOne(socket, 'session expired');
        continue;
      }
      if (socket.readyState === OPEN && (roles === null || roles.includes(p.role))) socket.send(data);
    }
  }

  /** Closes every socket (server shutdown). */
  closeAll(reason: string): void {
    this.closeWhere(() => true, reason, 1001);
  }

  private closeWhere(pred: (p: Peer) => boolean, reason: string, code = SESSION_ENDED_CLOSE): number {
    let n = 0;
    for (const [socket, p] of [...this.peers]) {
      if (!pred(p)) continue;
      this.closeOne(socket, reason, code);
      n++;
    }
    return n;
  }

  private closeOne(socket: EventSocket, reason: string, code = SESSION_ENDED_CLOSE): void {
    this.peers.delete(socket);
    try {
      socket.close(code, reason);
    } catch {
      // Already closing: nothing more to do.
    }
  }
}
