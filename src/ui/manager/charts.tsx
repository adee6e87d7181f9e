/**
 * Small inline SVG charts (no chart library): stacked bars per hour and horizontal bars per
 * category. Every chart has a text alternative (a table for screen readers), and colours are
 * backed by a legend with the numbers, so nothing depends on colour alone.
 */
import { useApp } from '../shared/context.ts';
import { LOCALES } from '../shared/i18n.ts';

/** One series of a stacked chart. */
export interface Series<K extends string> {
  key: K;
  label: string;
  colour: string;
}

/** Scales a maximum to a round axis top (1, 2, 5 × 10^n). */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

/** Stacked bars over time: one bar per hour, one segment per series. */
export function StackedBars<K extends string>(props: {
  title: string;
  rows: ReadonlyArray<{ hour: string } & Record<K, number>>;
  series: ReadonlyArray<Series<K>>;
  testId: string;
  empty: string;
}) {
  const { lang } = useApp();
  const width = 460;
  const height = 160;
  const pad = { left: 34, right: 6, top: 8, bottom: 22 };
  const rows = props.rows;
  const totals = rows.map((r) => props.series.reduce((s, ser) => s + (r[ser.key] ?? 0), 0));
  const top = niceMax(Math.max(0, ...totals));
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const barW = rows.length > 0 ? plotW / rows.length : plotW;
  const hourLabel = (iso: string) => new Intl.DateTimeFormat(LOCALES[lang], { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
  const every = Math.max(1, Math.ceil(rows.length / 8));
  return (
    <figure class="chart" data-testid={props.testId}>
      <figcaption>{props.title}</figcaption>
      {totals.every((x) => x === 0) ? <p class="small muted chart-empty">{props.empty}</p> : (
        <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.title} preserveAspectRatio="none">
          {[0, 0.5, 1].map((f) => (
            <g key={f}>
              <line x1={pad.left} x2={width - pad.right} y1={pad.top + plotH * (1 - f)} y2={pad.top + plotH * (1 - f)} class="grid" />
              <text x={pad.left - 4} y={pad.top + plotH * (1 - f) + 4} text-anchor="end" class="axis">{Math.round(top * f)}</text>
            </g>
          ))}
          {rows.map((r, i) => {
            let y = pad.top + plotH;
            return (
              <g key={r.hour}>
                {props.series.map((ser) => {
                  const v = r[ser.key] ?? 0;
                  const h = (v / top) * plotH;
                  y -= h;
                  return v > 0 ? <rect key={ser.key} x={pad.left + i * barW + 1} y={y} width={Math.max(1, barW - 2)} height={h} fill={ser.colour}><title>{`${hourLabel(r.hour)} ${ser.label}: ${v}`}</title></rect> : null;
                })}
                {i % every === 0 && <text x={pad.left + i * barW + barW / 2} y={height - 6} text-anchor="middle" class="axis">{hourLabel(r.hour)}</text>}
              </g>
            );
          })}
        </svg>
      )}
      <ul class="legend">
        {props.series.map((ser) => (
          <li key={ser.key}><span class="swatch" style={{ background: ser.colour }} aria-hidden="true" />{ser.label}: {rows.reduce((s, r) => s + (r[ser.key] ?? 0), 0)}</li>
        ))}
      </ul>
    </figure>
  );
}

/** Horizontal bars, one per category, largest first. */
export function CategoryBars(props: { title: string; items: ReadonlyArray<{ label: string; count: number }>; testId: string; empty: string; colour?: string }) {
  const items = [...props.items].sort((a, b) => b.count - a.count).slice(0, 8);
  const top = Math.max(1, ...items.map((i) => i.count));
  return (
    <figure class="chart" data-testid={props.testId}>
      <figcaption>{props.title}</figcaption>
      {items.length === 0 ? <p class="small muted chart-empty">{props.empty}</p> : (
        <ul class="hbars">
          {items.map((item) => (
            <li key={item.label}>
              <span class="hbar-label" title={item.label}>{item.label}</span>
              <span class="hbar-track" aria-hidden="true"><span class="hbar" style={{ width: `${(item.count / top) * 100}%`, background: props.colour ?? '#b3261e' }} /></span>
              <span class="hbar-value">{item.count}</span>
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}
