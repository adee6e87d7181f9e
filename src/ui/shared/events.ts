/**
 * The live event stream (WebSocket /api/events) with reconnection. Browsers cannot set headers
 * on a WebSocket, so each connection is opened with a fresh one-use ticket (POST /api/tickets)
 * in the URL — never the session token. A dropped connection is retried with growing delays
 * (0.5 s doubling to 10 s) until {@link EventStream.close}; a close with code 4401 means the
 * session is over (logout, expiry, user disabled): no retry, the `onEnded` listeners are told.
 */
import type { ServerEvent } from '../../server/contract/index.ts';

/** Every event the UI listens to (the contract's union: session, checkout, sync, cache, devices). */
export type UiEvent = ServerEvent;

export type StreamStatus = 'connecting' | 'open' | 'closed';

function isServerEvent(v: unknown): v is UiEvent {
  return v !== null && typeof v === 'object' && typeof (v as { type?: unknown }).type === 'string';
}

/** A self-reconnecting subscription to server events. */
export class EventStream {
  private socket: WebSocket | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private delay = 500;
  private closed = false;
  private readonly listeners = new Set<(e: UiEvent) => void>();
  private readonly statusListeners = new Set<(s: StreamStatus) => void>();
  private readonly endedListeners = new Set<(reason: string) => void>();
  status: StreamStatus = 'connecting';

  /** `url` gives the address of each new connection (with a fresh ticket). */
  constructor(private readonly url: () => Promise<string>) {
    void this.connect();
  }

  /** Subscribes to the end of the session (close code 4401); returns the unsubscribe function. */
  onEnded(listener: (reason: string) => void): () => void {
    this.endedListeners.add(listener);
    return () => this.endedListeners.delete(listener);
  }

  /** Subscribes to events; returns the unsubscribe function. */
  on(listener: (e: UiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Subscribes to connection status changes; returns the unsubscribe function. */
  onStatus(listener: (s: StreamStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.socket?.close();
    this.socket = null;
    this.setStatus('closed');
  }

  private setStatus(s: StreamStatus): void {
    this.status = s;
    for (const l of this.statusListeners) l(s);
  }

  private retry(): void {
    this.setStatus('closed');
    this.timer = setTimeout(() => void this.connect(), this.delay);
    this.delay = Math.min(this.delay * 2, 10_000);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    this.setStatus('connecting');
    let url: string;
    try {
      url = await this.url();
    } catch {
      // No ticket (the core is down, or the session ended: the API client handles a 401).
      if (!this.closed) this.retry();
      return;
    }
    if (this.closed) return;
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      this.delay = 500;
      this.setStatus('open');
    };
    socket.onmessage = (message) => {
      let data: unknown;
      try {
        data = JSON.parse(String(message.data));
      } catch {
        return; // Not ours to interpret; the server only sends JSON.
      }
      if (isServerEvent(data)) for (const l of this.listeners) l(data);
    };
    socket.onclose = (e) => {
      if (this.socket !== socket || this.closed) return;
      this.socket = null;
      if (e.code === SESSION_ENDED) {
        this.closed = true;
        this.setStatus('closed');
        for (const l of this.endedListeners) l(e.reason);
        return;
      }
      this.retry();
    };
  }
}

/** The close code with which the core ends the socket of a session that is over. */
export const SESSION_ENDED = 4401;

/** The events URL for the page's origin, with a one-use ticket (never the session token). */
export function eventsUrl(location: { protocol: string; host: string }, ticket: string): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/api/events?ticket=${encodeURIComponent(ticket)}`;
}
