/**
 * The marking systems on the sync tab: each provider of the chain with its state and when it
 * last failed or recovered. The core re-probes a failed provider on its own, so a fallback that
 * came back turns "Answering" without a sale; an old error is never shown beside a newer success.
 */
import type { MarkingHealthView } from '../../server/contract/index.ts';
import { useApp, useT } from '../shared/context.ts';
import { formatTime } from '../shared/format.ts';
import type { MessageKey } from '../shared/i18n.ts';

/** What the times line says about one provider (pure, for the tests). */
export function markingTimesLine(h: MarkingHealthView): { key: MessageKey; at: string | null; failedAt: string | null } {
  if (h.state !== 'ok' && h.lastFailureAt !== null) return { key: 'sync.marking.lastFailed', at: h.lastFailureAt, failedAt: null };
  if (h.state === 'ok' && h.lastFailureAt !== null && h.lastSuccessAt !== null && h.lastSuccessAt >= h.lastFailureAt) {
    return { key: 'sync.marking.recovered', at: h.lastSuccessAt, failedAt: h.lastFailureAt };
  }
  if (h.lastSuccessAt !== null) return { key: 'sync.marking.lastAnswer', at: h.lastSuccessAt, failedAt: null };
  return { key: 'sync.marking.notAsked', at: null, failedAt: null };
}

function stateKey(state: MarkingHealthView['state']): MessageKey {
  if (state === 'ok' || state === 'failing' || state === 'unknown') return `sync.marking.state.${state}`;
  return 'sync.marking.state.other';
}

/** The panel (nothing when no marking system is configured). */
export function MarkingHealthPanel(props: { marking: MarkingHealthView[] }) {
  const { lang } = useApp();
  const t = useT();
  if (props.marking.length === 0) return null;
  return (
    <section aria-labelledby="marking-health-title" class="panel">
      <h2 id="marking-health-title">{t('sync.markingSystems')}</h2>
      <table data-testid="marking-systems">
        <tbody>
          {props.marking.map((h) => {
            const line = markingTimesLine(h);
            const text = t(line.key, { at: line.at ? formatTime(line.at, lang) : '—', failedAt: line.failedAt ? formatTime(line.failedAt, lang) : '—' });
            const level = h.state === 'ok' ? 'connected' : h.state === 'unknown' ? 'reconnecting' : 'failed';
            return (
              <tr key={`${h.provider}-${h.target}`} data-provider={h.provider} data-state={h.state}>
                <td>{h.provider} <span class="small muted">{h.target}</span></td>
                <td><span class={`health health-${level}`}>{t(stateKey(h.state))}</span></td>
                <td class="details small" data-testid="marking-times">{text}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
