/**
 * The technician's "test the connections": COMMAND_INFO to the OFD (falling back to a TCP
 * probe when the OFD does not answer or a delivery is pending) and one online check against the
 * marking registry.
 */
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { buildInfo, type MarkingChain, type OfdClient, type OfdOutcome } from '../registry/index.ts';
import { PendingRequestError } from '../store/index.ts';
import type { OfdTarget } from '../sync/index.ts';
import type { ConnectionTestResult } from './contract/index.ts';

/** Whether a TCP connection opens within the time. */
export function tcpProbe(host: string, port: number, timeoutMs: number): Promise<{ ok: boolean; ms: number; error: string | null }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean, error: string | null): void => {
      socket.destroy();
      resolve({ ok, ms: Math.round(performance.now() - t0), error });
    };
    socket.setTimeout(timeoutMs, () => done(false, `no TCP connection within ${timeoutMs} ms`));
    socket.once('connect', () => done(true, null));
    socket.once('error', (err) => done(false, `${(err as NodeJS.ErrnoException).code ?? ''} ${err.message}`.trim()));
  });
}

function tcpText(probe: { ok: boolean; ms: number; error: string | null }): string {
  return `TCP ${probe.ok ? `connects in ${probe.ms} ms` : `fails: ${probe.error ?? ''}`}`;
}

/** Tries the OFD with COMMAND_INFO. */
export async function testOfd(client: OfdClient, target: OfdTarget): Promise<ConnectionTestResult> {
  const text = `${target.host}:${target.port}`;
  const t0 = performance.now();
  try {
    const outcome: OfdOutcome = await client.send(buildInfo());
    const ms = Math.round(performance.now() - t0);
    if (outcome.kind === 'ok') return { target: text, ok: true, skipped: false, latencyMs: ms, detail: `COMMAND_INFO answered OK (REQNUM ${outcome.reqNum})` };
    const probe = await tcpProbe(target.host, target.port, 3_000);
    const why = outcome.kind === 'transient' ? outcome.reason : `result ${outcome.code}: ${outcome.text}`;
    return { target: text, ok: false, skipped: false, latencyMs: probe.ok ? probe.ms : null, detail: `COMMAND_INFO: ${why}; ${tcpText(probe)}` };
  } catch (err) {
    // Another request is pending in the client (a delivery waiting to be resent): the
    // protocol forbids interleaving, so only the TCP connection is tried.
    const probe = await tcpProbe(target.host, target.port, 3_000);
    const why = err instanceof PendingRequestError ? 'a delivery is pending, so COMMAND_INFO was not sent' : (err as Error).message;
    return { target: text, ok: probe.ok, skipped: false, latencyMs: probe.ok ? probe.ms : null, detail: `${why}; ${tcpText(probe)}` };
  }
}

/** Tries every configured marking system (auth, reachability, one check of `probeCode`; any valid code will do). */
export async function testMarking(chain: MarkingChain | null, probeCode: string): Promise<ConnectionTestResult> {
  if (chain === null) return { target: null, ok: false, skipped: true, latencyMs: null, detail: 'no marking system is configured (registry.marking)' };
  const results = await chain.test({ timeoutMs: 3_000, probeCode });
  const ok = results.every((r) => r.ok);
  const latencies = results.map((r) => r.latencyMs).filter((ms): ms is number => ms !== null);
  return {
    target: results.map((r) => `${r.provider} ${r.target}`).join(', '), ok, skipped: false,
    latencyMs: ok && latencies.length > 0 ? Math.max(...latencies) : null,
    detail: results.map((r) => `${r.provider}: ${r.ok ? 'ok' : 'FAILED'} — ${r.detail}`).join(' | '),
  };
}
