/** Text for the HTML report: escaping and the number formats operators read. */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and attribute values. */
export function esc(v: unknown): string {
  return String(v).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

export { decimal, fen, int, pct, points, yuan } from './number-format.js';

/** A plain number for a data attribute (full precision, `null` spelled out). */
export function num(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? 'null' : String(v);
}

/**
 * A table: header cells and rows of already-escaped cells, in a wrapper that scrolls it sideways
 * inside its card when it is wider than the card (a phone, many columns).
 */
export function table(head: readonly string[], rows: readonly (readonly string[])[], cls = ''): string {
  const th = head.map((h) => `<th>${esc(h)}</th>`).join('');
  const trs = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<div class="table-wrap"><table class="${esc(cls)}"><thead><tr>${th}</tr></thead><tbody>${trs}</tbody></table></div>`;
}
