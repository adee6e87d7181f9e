/** The administrator's start screen: every screen, one big button each. */
import { useT } from '../shared/context.ts';
import type { MessageKey } from '../shared/i18n.ts';
import type { View } from '../shared/session.ts';
import { Icon, type IconName } from '../shared/icons.tsx';

const ICONS: Record<Exclude<View, 'chooser'>, IconName> = { cashier: 'cart', manager: 'chart', technician: 'wrench', users: 'users' };

export function Chooser(props: { onView(view: View): void }) {
  const t = useT();
  const views = ['cashier', 'manager', 'technician', 'users'] as const;
  return (
    <main class="page" id="chooser">
      <h1>{t('chooser.title')}</h1>
      <div class="chooser">
        {views.map((v) => (
          <button type="button" key={v} class="choice" id={`choose-${v}`} onClick={() => props.onView(v)}>
            <span class="choice-icon"><Icon name={ICONS[v]} size={40} /></span>
            <span class="choice-title">{t(`view.${v}` as MessageKey)}</span>
            <span class="choice-text">{t(`chooser.${v}` as MessageKey)}</span>
          </button>
        ))}
      </div>
    </main>
  );
}
