/** A marking code as scanned, with GS shown as a visible "GS" mark (fonts rarely draw U+241D). */
import { Fragment } from 'preact';
import { GS_SYMBOL, showCode } from './format.ts';

export function Code(props: { raw: string; testId?: string }) {
  const parts = showCode(props.raw).split(GS_SYMBOL);
  return (
    <code data-testid={props.testId}>
      {parts.map((part, i) => (
        <Fragment key={i}>
          {i > 0 && <abbr class="gs" title="Group Separator (0x1D)">GS</abbr>}
          {part}
        </Fragment>
      ))}
    </code>
  );
}
