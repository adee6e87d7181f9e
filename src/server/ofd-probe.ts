/**
 * Whether the OFD can be reached while nothing is being sent to it (issue 16): with an empty
 * queue the sender never talks to the OFD, so the header kept saying "online" with the OFD down.
 * A plain TCP connect, closed at once — no protocol message, so no REQNUM is spent and the OFD
 * sees no document. Runs every `intervalMs` and on demand (an emulator started or stopped).
 */
import { connect } from 'node:net';
import type { Clock } from '../clock.ts';
import type { OnlineCheckView, ReachabilityView } from './contract/index.ts';

/** What the probe needs. */
export interface OfdProbeDeps {
  target(): { host: string; port: number };
  clock: Clock;
  /** Told when the answer changes (reachable ↔ not). */
  changed(): void;
  /** Default 15 s. */
  intervalMs?: number;
  /** Connect timeout (default 3 s). */
  timeoutMs?: number;
}

/** The probe. */
export interface OfdProbe {
  /** The last answer (null before the first). */
  current(): ReachabilityView | null;
  /** Probes now (one at a time: a call while one runs gets that one's answer). */
  probeNow(): Promise<ReachabilityView>;
  start(): void;
  stop(): void;
}

/** Opens a TCP connection to host:port and closes it; resolves with why not when it cannot. */
export function tcpReachable(host: string, port: number, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (why: string | null) => { socket.destroy(); resolve(why); };
    socket.setTimeout(timeoutMs, () => done(`timeout: no connection within ${timeoutMs} ms`));
    socket.once('connect', () => done(null));
    socket.once('error', (err: NodeJS.ErrnoException) => done(`${err.code ?? 'error'}: ${err.message}`));
  });
}

/** Creates the probe (start() begins the schedule). */
export function createOfdProbe(deps: OfdProbeDeps): OfdProbe {
  let last: ReachabilityView | null = null;
  let running: Promise<ReachabilityView> | null = null;
  let timer: NodeJS.Timeout | null = null;
  const timeoutMs = deps.timeoutMs ?? 3_000;

  async function probe(): Promise<ReachabilityView> {
    const { host, port } = deps.target();
    const why = await tcpReachable(host, port, timeoutMs);
    const next: ReachabilityView = { reachable: why === null, at: deps.clock.now().toISOString(), detail: why };
    const flipped = last === null || last.reachable !== next.reachable;
    last = next;
    if (flipped) deps.changed();
    return next;
  }

  const api: OfdProbe = {
    current: () => last,
    probeNow() {
      running ??= probe().finally(() => { running = null; });
      return running;
    },
    start() {
      if (timer !== null) return;
      void api.probeNow();
      timer = setInterval(() => void api.probeNow(), deps.intervalMs ?? 15_000);
      timer.unref();
    },
    stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
    },
  };
  return api;
}

/** The header's live link facts kept in memory: the OFD probe and the last scan's online check. */
export interface LinkFacts {
  readonly probe: OfdProbe;
  lastCheck(): OnlineCheckView | null;
  /** A scan's online check asked a marking system: the newest word on that link, pushed at once. */
  checked(check: OnlineCheckView): void;
}

/** Creates the link facts; `changed` pushes the status to the UIs. */
export function createLinkFacts(deps: OfdProbeDeps): LinkFacts {
  let last: OnlineCheckView | null = null;
  return {
    probe: createOfdProbe(deps),
    lastCheck: () => last,
    checked(check) { last = check; deps.changed(); },
  };
}
