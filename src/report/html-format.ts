/** Text for the HTML report: escaping and the number formats operators read. */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and attribute values. */
export function esc(v: unknown): string {
  return String(v).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** 12,345 */
export function int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A share as a percentage with one decimal: `12.5%`; `–` when there is none. */
export function pct(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : `${(v * 100).toFixed(digits)}%`;
}

/** A difference of shares in percentage points: `+2.1 pt`. */
export function points(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  return `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(1)} pt`;
}

/** Yuan with two decimals and grouping: `¥1,234.50`; `–` when there is none. */
export function yuan(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  return `¥${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** Fen as yuan. */
export function fen(v: number): string {
  return yuan(v / 100);
}

/** A plain number for a data attribute (full precision, `null` spelled out). */
export function num(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? 'null' : String(v);
}

/** A table: header cells and rows of already-escaped cells. */
export function table(head: readonly string[], rows: readonly (readonly string[])[], cls = ''): string {
  const th = head.map((h) => `<th>${esc(h)}</th>`).join('');
  const trs = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table class="${esc(cls)}"><thead><tr>${th}</tr></thead><tbody>${trs}</tbody></table>`;
}
