/**
 * The header's strip of links (OFD, marking system, status cache, printer, scanner), each with
 * its real state in words and a shape that does not rely on colour. Loaded from the dashboard
 * on connect, then kept current by the core's `sync` and `device-health` events, so a message
 * goes away when its cause does.
 */
import { useEffect, useState } from 'preact/hooks';
import type { CacheFreshnessView, DeviceHealthView, MarkingHealthView, SyncStatusView } from '../../server/contract/index.ts';
import { useApp, useT } from './context.ts';
import type { MessageKey } from './i18n.ts';
import { linkStates, mergeDevice, type LinkLevel } from './links.ts';

const MARK: Record<LinkLevel, string> = { ok: '●', warn: '◐', down: '✕', off: '○', unknown: '…' };

export function LinkStrip() {
  const { api, events } = useApp();
  const t = useT();
  const [status, setStatus] = useState<SyncStatusView | null>(null);
  const [cache, setCache] = useState<CacheFreshnessView | null>(null);
  const [devices, setDevices] = useState<DeviceHealthView[] | null>(null);
  const [trainingMode, setTrainingMode] = useState(false);
  const [marking, setMarking] = useState<MarkingHealthView[] | null>(null);
  useEffect(() => {
    if (!events) return undefined;
    const load = () => api.syncStatus().then((d) => { setStatus(d.status); setCache(d.cache); setDevices(d.devices); setTrainingMode(d.trainingMode); setMarking(d.marking ?? null); }, () => undefined);
    void load();
    return events.on((e) => {
      if (e.type === 'hello') void load();
      else if (e.type === 'sync' && 'cache' in e) { setStatus(e.status); setCache(e.cache); if (e.marking) setMarking(e.marking); }
      else if (e.type === 'device-health') setDevices((d) => mergeDevice(d, e.health));
    });
  }, [api, events]);
  if (!events) return null;
  return (
    <ul class="link-strip" aria-label={t('link.title')} data-testid="links">
      {linkStates({ status, cache, devices, trainingMode, marking }).map((l) => (
        <li key={l.name} class={`link link-${l.level}`} data-link={l.name} data-level={l.level}>
          <span aria-hidden="true">{MARK[l.level]}</span> {t(`link.${l.name}` as MessageKey)}: {t(l.key as MessageKey, l.params)}
        </li>
      ))}
    </ul>
  );
}
