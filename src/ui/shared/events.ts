/**
 * The live event stream (WebSocket /api/events) with reconnection. Browsers cannot set headers
 * on a WebSocket, so the session token travels as ?token=. A dropped connection is retried
 * with growing delays (0.5 s doubling to 10 s) until {@link EventStream.close}.
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
  status: StreamStatus = 'connecting';

  constructor(private readonly url: string) {
    this.connect();
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

  private connect(): void {
    if (this.closed) return;
    this.setStatus('connecting');
    const socket = new WebSocket(this.url);
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
    socket.onclose = () => {
      if (this.socket !== socket || this.closed) return;
      this.socket = null;
      this.setStatus('closed');
      this.timer = setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, 10_000);
    };
  }
}

/** The events URL for the page's origin. */
export function eventsUrl(location: { protocol: string; host: string }, token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/api/events?token=${encodeURIComponent(token)}`;
}
