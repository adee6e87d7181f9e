/** A failure shown to people: the cause in the UI's language, the raw detail in a secondary line. */
import { useT } from './context.ts';
import { failureReason } from './failure.ts';

export function FailureText(props: { raw: string | null }) {
  const t = useT();
  if (props.raw === null || props.raw === '') return <>—</>;
  const r = failureReason(props.raw);
  return (
    <span class="failure" data-failure={r.key.slice('failure.'.length)}>
      <span class="failure-reason">{t(r.key, r.params)}</span>
      <span class="failure-raw small muted" lang="en" translate={false}>{props.raw}</span>
    </span>
  );
}
