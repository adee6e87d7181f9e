/**
 * What happened to a scanner burst that could not go where scans go (a window open, the cursor
 * in a text field): one clear message above everything, dialogs included, with the code, so a
 * scan is never lost without a word. Also the "repaired: …" note for a scan the decoder mended.
 */
import { useEffect } from 'preact/hooks';
import { useT } from '../shared/context.ts';
import { Code } from '../shared/code.tsx';
import type { WedgeRepair } from '../shared/wedge.ts';

/** A burst that was not added, numbered so that each one is a message of its own. */
export interface ScanNoticeState { seq: number; code: string; reason: 'dialog' | 'field' }

/** How long a notice stays up (ms); the next scan replaces it sooner. */
const NOTICE_MS = 12_000;

export function ScanNotice(props: { notice: ScanNoticeState | null; onDismiss(): void }) {
  const t = useT();
  const n = props.notice;
  const { onDismiss } = props;
  useEffect(() => {
    if (!n) return undefined;
    const timer = setTimeout(onDismiss, NOTICE_MS);
    return () => clearTimeout(timer);
  }, [n, onDismiss]);
  if (!n) return null;
  return (
    <div class="scan-notice" role="alert" data-testid="scan-notice" data-seq={n.seq} data-code={n.code} data-reason={n.reason}>
      <p>{t(n.reason === 'dialog' ? 'scan.notice.dialog' : 'scan.notice.field')}</p>
      <p class="small"><Code raw={n.code} /></p>
    </div>
  );
}

/** The kinds of repair the decoder made, once each, in order. */
export function repairKinds(repairs: readonly WedgeRepair[]): Array<WedgeRepair['kind']> {
  return [...new Set(repairs.map((r) => r.kind))];
}

/** "repaired: keyboard layout, GS from Ctrl+]" in the UI's language; nothing when none. */
export function RepairNote(props: { kinds: ReadonlyArray<WedgeRepair['kind']> | undefined }) {
  const t = useT();
  if (!props.kinds || props.kinds.length === 0) return null;
  const what = props.kinds.map((k) => t(`scan.repair.${k}`)).join(', ');
  return <div class="small repaired" data-testid="repaired">{t('scan.repaired', { what })}</div>;
}
