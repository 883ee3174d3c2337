/**
 * The one number formatter of every report an operator reads (CLI text, the demo, the HTML): the
 * same minus sign (U+2212 −) in counts, percentages, points, yuan and ratios, before any unit
 * (`−¥8,900.00`, `−63.9%`, `−10.6 pt`). JSON keeps plain numbers.
 */

export const MINUS = '\u2212';
/** What a missing number prints as. */
export const NONE = '–';

type Maybe = number | null | undefined;

const missing = (v: Maybe): v is null | undefined => v === null || v === undefined || !Number.isFinite(v);

/**
 * `digits` decimals with grouping; the sign of what is printed (a value rounding to zero has none,
 * unless `plus`, which marks zero and positive values with +).
 */
function signed(v: number, digits: number, plus: boolean, unit: (abs: string) => string): string {
  const abs = Math.abs(v).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const zero = /^[0.,]*$/.test(abs);
  const sign = v < 0 && !zero ? MINUS : plus ? '+' : '';
  return `${sign}${unit(abs)}`;
}

/** A count: `12,345`, `−3`. */
export function int(v: Maybe): string {
  return missing(v) ? NONE : signed(Math.round(v), 0, false, (a) => a);
}

/** A plain decimal: `6.6`, `−6.6`; `plus` marks positive values (`+6.6`). */
export function decimal(v: Maybe, digits = 1, plus = false): string {
  return missing(v) ? NONE : signed(v, digits, plus, (a) => a);
}

/** A share as a percentage: `12.5%`, `−63.9%`; `plus` marks positive values (`+12.5%`). */
export function pct(v: Maybe, digits = 1, plus = false): string {
  return missing(v) ? NONE : signed(v * 100, digits, plus, (a) => `${a}%`);
}

/** A difference of shares in percentage points, always signed: `+2.1 pt`, `−10.6 pt`. */
export function points(v: Maybe): string {
  return missing(v) ? NONE : signed(v * 100, 1, true, (a) => `${a} pt`);
}

/** Yuan with two decimals and grouping: `¥1,234.50`, `−¥8,900.00`. */
export function yuan(v: Maybe): string {
  return missing(v) ? NONE : signed(v, 2, false, (a) => `¥${a}`);
}

/** Fen as yuan. */
export function fen(v: Maybe): string {
  return missing(v) ? NONE : yuan(v / 100);
}

/** A lift in points, or `not measured` when nothing was compared (an empty holdout is no `+0.0 pt`). */
export function liftPoints(l: { absolute: number | null }): string {
  return l.absolute === null ? 'not measured' : points(l.absolute);
}
