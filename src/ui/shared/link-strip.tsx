/**
 * The header's strip of links (OFD, marking system, status cache, printer, scanner), each with
 * its real state in words and a shape that does not rely on colour, and the header's one-line
 * summary of them. Loaded from the dashboard on connect, then kept current by the core's `sync`
 * and `device-health` events, so a message goes away when its cause does.
 */
import { useEffect, useState } from 'preact/hooks';
import type { CacheFreshnessView, DeviceHealthView, MarkingHealthView, OnlineCheckView, ReachabilityView, SyncStatusView } from '../../server/contract/index.ts';
import { useApp, useT } from './context.ts';
import type { MessageKey } from './i18n.ts';
import { linkStates, linkSummary, mergeDevice, type LinkLevel, type LinkState } from './links.ts';

const MARK: Record<LinkLevel, string> = { ok: '●', warn: '◐', down: '✕', off: '○', unknown: '…' };

/** The links' states, or null when the page has no event stream (not logged in). */
export function useLinkStates(): LinkState[] | null {
  const { api, events } = useApp();
  const [status, setStatus] = useState<SyncStatusView | null>(null);
  const [cache, setCache] = useState<CacheFreshnessView | null>(null);
  const [devices, setDevices] = useState<DeviceHealthView[] | null>(null);
  const [trainingMode, setTrainingMode] = useState(false);
  const [lastCheck, setLastCheck] = useState<OnlineCheckView | null>(null);
  const [ofdProbe, setOfdProbe] = useState<ReachabilityView | null>(null);
  const [marking, setMarking] = useState<MarkingHealthView[] | null>(null);
  useEffect(() => {
    if (!events) return undefined;
    const load = () => api.syncStatus().then((d) => {
      setStatus(d.status); setCache(d.cache); setDevices(d.devices); setTrainingMode(d.trainingMode);
      setLastCheck(d.lastCheck ?? null); setOfdProbe(d.ofdProbe ?? null); setMarking(d.marking ?? null);
    }, () => undefined);
    void load();
    return events.on((e) => {
      if (e.type === 'hello') void load();
      else if (e.type === 'sync' && 'cache' in e) {
        setStatus(e.status); setCache(e.cache);
        if (e.lastCheck !== undefined) setLastCheck(e.lastCheck);
        if (e.ofdProbe !== undefined) setOfdProbe(e.ofdProbe);
        if (e.marking) setMarking(e.marking);
      } else if (e.type === 'device-health') setDevices((d) => mergeDevice(d, e.health));
    });
  }, [api, events]);
  if (!events) return null;
  return linkStates({ status, cache, devices, trainingMode, lastCheck, ofdProbe, marking });
}

/** The strip under the header. */
export function LinkStrip(props: { links: readonly LinkState[] }) {
  const t = useT();
  return (
    <ul class="link-strip" aria-label={t('link.title')} data-testid="links">
      {props.links.map((l) => (
        <li key={l.name} class={`link link-${l.level}`} data-link={l.name} data-level={l.level}>
          <span aria-hidden="true">{MARK[l.level]}</span> {t(`link.${l.name}` as MessageKey)}: {t(l.key as MessageKey, l.params)}
        </li>
      ))}
    </ul>
  );
}

/**
 * The header's summary: the worst link and which ones, or that the core itself is unreachable.
 * Without links (before login) it says only whether the page reaches the core.
 */
export function LinkSummaryBadge(props: { links: readonly LinkState[] | null; connected: boolean }) {
  const t = useT();
  const s = props.links ? linkSummary(props.links, props.connected) : props.connected ? { level: 'ok' as const, key: 'link.summary.core' as const, names: [] } : linkSummary([], false);
  const names = s.names.map((n) => t(`link.${n}` as MessageKey)).join(', ');
  const text = t(s.key as MessageKey, { names });
  return (
    <span class={`conn conn-${s.level}`} data-testid="connection" data-level={s.level} data-core={props.connected ? 'connected' : 'disconnected'} role="status" title={text}>
      <span aria-hidden="true">{MARK[s.level]}</span> {text}
    </span>
  );
}
