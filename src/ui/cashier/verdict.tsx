/**
 * The verdict panel: colour, icon, a big word and the plain reason, so the verdict is seen from
 * a step away and does not depend on colour alone. `aria-live` reads it out for screen readers.
 */
import type { VerdictEvent } from '../../server/contract/index.ts';
import { useApp, useT } from '../shared/context.ts';
import { Code } from '../shared/code.tsx';
import type { Lang } from '../shared/i18n.ts';
import { Icon, type IconName } from '../shared/icons.tsx';
import type { WedgeRepair } from '../shared/wedge.ts';
import { RepairNote } from './scan-notice.tsx';

/** What the panel shows. */
export type VerdictState =
  | { kind: 'idle' }
  /** Sent to the core, no answer yet. */
  | { kind: 'pending'; raw: string; note: string | null }
  /** The core could not be asked or refused the request: not a verdict, so never green. */
  | { kind: 'error'; raw: string; note: string }
  | { kind: 'verdict'; verdict: VerdictEvent };

const ICON: Record<VerdictEvent['decision'], IconName> = { allow: 'check', warn: 'warn', refuse: 'stop' };

/** The reason in the UI's language, falling back to the register's primary language. */
export function verdictText(messages: Partial<Record<Lang, string>>, message: string, lang: Lang): string {
  return messages[lang] || message;
}

/** `compact`: refusals are listed below, so the panel takes less height and the basket stays in view. */
export function VerdictPanel(props: { state: VerdictState; repairs?: ReadonlyArray<WedgeRepair['kind']> | undefined; compact?: boolean }) {
  const t = useT();
  const { lang } = useApp();
  const s = props.state;
  const decision = s.kind === 'verdict' ? s.verdict.decision : s.kind;
  let icon: IconName = 'scan';
  let title = t('verdict.idle');
  let reason: string | null = null;
  let code: string | null = null;
  let name: string | null = null;
  if (s.kind === 'verdict') {
    icon = ICON[s.verdict.decision];
    title = t(`verdict.${s.verdict.decision}`);
    reason = verdictText(s.verdict.messages, s.verdict.message, lang) || s.verdict.reason;
    code = s.verdict.code;
    name = s.verdict.name;
  } else if (s.kind === 'pending') {
    icon = 'info';
    title = t('verdict.pending');
    reason = s.note;
    code = s.raw;
  } else if (s.kind === 'error') {
    icon = 'warn';
    title = t('verdict.error');
    reason = s.note;
    code = s.raw;
  }
  const source = s.kind === 'verdict' ? s.verdict.source : null;
  return (
    <section class={`verdict verdict-${decision}${props.compact ? ' verdict-compact' : ''}`} data-testid="verdict" data-decision={decision}
      data-reason={s.kind === 'verdict' ? s.verdict.reason : undefined} data-code={code ?? undefined} aria-live="assertive" aria-atomic="true">
      <Icon name={icon} size={72} class="verdict-icon" />
      <div class="verdict-text">
        <p class="verdict-title">{title}{name && <span class="verdict-name"> — {name}</span>}</p>
        {reason && <p class="verdict-reason" data-testid="verdict-reason">{reason}</p>}
        {code && <p class="verdict-code" data-testid="verdict-code"><Code raw={code} /></p>}
        <RepairNote kinds={props.repairs} />
        {source && <p class="verdict-source small">{t(`verdict.source.${source}`)}{s.kind === 'verdict' && s.verdict.scanSource !== 'wedge' && s.verdict.scanSource !== 'manual' ? ` · ${s.verdict.scanSource}` : ''}</p>}
      </div>
    </section>
  );
}
