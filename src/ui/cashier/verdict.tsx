/**
 * The verdict panel: colour, icon, a big word and the plain reason, so the verdict is seen from
 * a step away and does not depend on colour alone. `aria-live` reads it out for screen readers.
 */
import { useT } from '../shared/context.ts';
import { Code } from '../shared/code.tsx';
import { Icon, type IconName } from '../shared/icons.tsx';
import type { VerdictView } from '../shared/pending.ts';

/** What the panel shows. */
export type VerdictState =
  | { kind: 'idle' }
  | { kind: 'pending'; raw: string; note: string | null }
  | { kind: 'verdict'; verdict: VerdictView };

const ICON: Record<VerdictView['decision'], IconName> = { allow: 'check', warn: 'warn', refuse: 'stop' };

export function VerdictPanel(props: { state: VerdictState }) {
  const t = useT();
  const s = props.state;
  const decision = s.kind === 'verdict' ? s.verdict.decision : s.kind;
  let icon: IconName = 'scan';
  let title = t('verdict.idle');
  let reason: string | null = null;
  let code: string | null = null;
  if (s.kind === 'verdict') {
    icon = ICON[s.verdict.decision];
    title = t(`verdict.${s.verdict.decision}`);
    reason = s.verdict.message || s.verdict.reason;
    code = s.verdict.code;
  } else if (s.kind === 'pending') {
    icon = 'info';
    title = t('verdict.pending');
    reason = s.note;
    code = s.raw;
  }
  return (
    <section class={`verdict verdict-${decision}`} data-testid="verdict" data-decision={decision} aria-live="assertive" aria-atomic="true">
      <Icon name={icon} size={72} class="verdict-icon" />
      <div class="verdict-text">
        <p class="verdict-title">{title}</p>
        {reason && <p class="verdict-reason" data-testid="verdict-reason">{reason}</p>}
        {code && <p class="verdict-code" data-testid="verdict-code"><Code raw={code} /></p>}
      </div>
    </section>
  );
}
