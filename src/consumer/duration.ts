/**
 * A duration in ns written in the largest unit its rounded figure stays under 1000 in: the unit
 * is chosen after rounding, so 999.96 µs is `1.0ms`, not `1000.0µs` (or `1.00e+3 µs`).
 * `figures`: three significant figures and a space, for sentences (the probe-effect line);
 * `column`: a fixed number of decimals per unit and no space, for `mscope top`'s columns.
 */
export type DurationStyle = 'figures' | 'column';

const UNITS = ['ns', 'µs', 'ms', 's'] as const;
const LAST = UNITS.length - 1;

export function formatDuration(ns: number, style: DurationStyle): string {
  if (Number.isNaN(ns)) return '-';
  const space = style === 'figures' ? ' ' : '';
  for (let u = 0; ; u++) {
    const text = figure(ns / 1000 ** u, u, style);
    if (u === LAST || Math.abs(Number(text)) < 1000) return `${text}${space}${UNITS[u]}`;
  }
}

function figure(value: number, unit: number, style: DurationStyle): string {
  if (style === 'column') return unit === 0 ? String(Math.round(value)) : value.toFixed(unit === LAST ? 2 : 1);
  // toPrecision writes 1000 s and more with an exponent.
  return unit === 0 || Math.abs(value) >= 999.5 ? value.toFixed(0) : value.toPrecision(3);
}
