import { QUADRANTS, type Quadrant } from '../domain/funnel.js';
import { esc, num } from './html-format.js';
import { int, points as pts } from './number-format.js';

/**
 * Inline SVG charts. Each mark carries its number in a data attribute (`data-value`, `data-lift`,
 * `data-traffic`…), so what a chart shows can be checked against the report's JSON.
 */

const W = 720;

function svg(chart: string, height: number, title: string, body: string): string {
  return `<svg class="chart" data-chart="${esc(chart)}" viewBox="0 0 ${W} ${height}" width="100%" role="img" aria-label="${esc(title)}" xmlns="http://www.w3.org/2000/svg"><title>${esc(title)}</title>${body}</svg>`;
}

export interface Bar {
  key: string;
  label: string;
  value: number;
  /** Printed after the value (e.g. the step rate). */
  note?: string;
}

/** Horizontal bars, longest = largest value: funnels. */
export function barChart(chart: string, title: string, bars: readonly Bar[]): string {
  const rowH = 30;
  const left = 170;
  const span = W - left - 200;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rows = bars.map((b, i) => {
    const y = 8 + i * rowH;
    const w = Math.max(b.value > 0 ? 2 : 0, (span * b.value) / max);
    return (
      `<g class="row"><text x="${left - 10}" y="${y + 16}" text-anchor="end">${esc(b.label)}</text>` +
      `<rect class="bar" data-key="${esc(b.key)}" data-value="${num(b.value)}" x="${left}" y="${y}" width="${w.toFixed(1)}" height="${rowH - 10}" rx="3"/>` +
      `<text class="value" x="${(left + w + 8).toFixed(1)}" y="${y + 16}">${esc(int(b.value))}${b.note ? ` · ${esc(b.note)}` : ''}</text></g>`
    );
  });
  return svg(chart, bars.length * rowH + 12, title, rows.join(''));
}

export interface LiftRow {
  key: string;
  label: string;
  /** Absolute lift (difference of conversion rates) and its interval; null: not measured. */
  absolute: number | null;
  low: number | null;
  high: number | null;
}

/**
 * The lift chart's axis: a zero line labelled 0, and the ends labelled in points where they are
 * not zero. Nothing when no campaign was measured: an empty axis would read as "no effect".
 */
function liftAxis(
  x: (v: number) => number,
  range: { lo: number; hi: number; pad: number },
  height: number,
  measured: boolean,
): string {
  const { lo, hi, pad } = range;
  if (!measured) return '';
  const end = (v: number, at: number, anchor: string): string =>
    v === 0
      ? ''
      : `<text class="axis" x="${x(at).toFixed(1)}" y="${height - 10}" text-anchor="${anchor}">${esc(pts(v))}</text>`;
  return (
    `<line class="zero" x1="${x(0).toFixed(1)}" x2="${x(0).toFixed(1)}" y1="4" y2="${height - 28}"/>` +
    `<text class="axis" x="${x(0).toFixed(1)}" y="${height - 10}" text-anchor="middle">0</text>` +
    end(lo, lo - pad, 'start') +
    end(hi, hi + pad, 'end')
  );
}

/** One campaign's mark: its point and interval, or `not measured` in words (no point at zero). */
function liftMark(r: LiftRow, y: number, x: (v: number) => number, left: number, right: number): string {
  const label = `<g class="row"><text x="${left - 10}" y="${y + 5}" text-anchor="end">${esc(r.label)}</text>`;
  if (r.absolute === null)
    return `${label}<text class="value not-measured" data-key="${esc(r.key)}" x="${W - right + 8}" y="${y + 5}">not measured</text></g>`;
  const ci =
    r.low !== null && r.high !== null
      ? `<line class="ci" x1="${x(r.low).toFixed(1)}" x2="${x(r.high).toFixed(1)}" y1="${y}" y2="${y}"/>` +
        `<line class="ci" x1="${x(r.low).toFixed(1)}" x2="${x(r.low).toFixed(1)}" y1="${y - 6}" y2="${y + 6}"/>` +
        `<line class="ci" x1="${x(r.high).toFixed(1)}" x2="${x(r.high).toFixed(1)}" y1="${y - 6}" y2="${y + 6}"/>`
      : '';
  return (
    `${label}${ci}` +
    `<circle class="point" data-key="${esc(r.key)}" data-lift="${num(r.absolute)}" data-low="${num(r.low)}" data-high="${num(r.high)}" cx="${x(r.absolute).toFixed(1)}" cy="${y}" r="6"/>` +
    `<text class="value" x="${W - right + 8}" y="${y + 5}">${esc(pts(r.absolute))}</text></g>`
  );
}

/** Lift with its 95% interval per campaign, against a zero line (a forest plot). */
export function liftChart(chart: string, title: string, rows: readonly LiftRow[]): string {
  const rowH = 34;
  const left = 230;
  const right = 90;
  const values = rows.flatMap((r) =>
    r.absolute === null ? [] : [r.absolute, r.low ?? r.absolute, r.high ?? r.absolute],
  );
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const pad = (hi - lo) * 0.08 || 0.01;
  const x = (v: number): number => left + ((v - (lo - pad)) / (hi - lo + 2 * pad)) * (W - left - right);
  const height = rows.length * rowH + 40;
  const marks = rows.map((r, i) => liftMark(r, 20 + i * rowH, x, left, right));
  return svg(chart, height, title, liftAxis(x, { lo, hi, pad }, height, values.length > 0) + marks.join(''));
}

export interface QuadrantPoint {
  key: string;
  traffic: number;
  quality: number;
  quadrant: Quadrant;
}

/** Channels on traffic (x) × quality (y), split at the mean traffic and the platform rate. */
export function quadrantChart(
  chart: string,
  title: string,
  pointsIn: readonly QuadrantPoint[],
  xMid: number,
  yMid: number,
): string {
  const h = 380;
  const [l, r, t, b] = [60, 20, 20, 40];
  const xMax = Math.max(1, xMid, ...pointsIn.map((p) => p.traffic)) * 1.15;
  const yMax = Math.max(0.01, yMid, ...pointsIn.map((p) => p.quality)) * 1.15;
  const x = (v: number): number => l + (v / xMax) * (W - l - r);
  const y = (v: number): number => h - b - (v / yMax) * (h - t - b);
  const frame =
    `<rect class="frame" x="${l}" y="${t}" width="${W - l - r}" height="${h - t - b}"/>` +
    `<line class="mid" x1="${x(xMid).toFixed(1)}" x2="${x(xMid).toFixed(1)}" y1="${t}" y2="${h - b}"/>` +
    `<line class="mid" x1="${l}" x2="${W - r}" y1="${y(yMid).toFixed(1)}" y2="${y(yMid).toFixed(1)}"/>` +
    `<text class="axis" x="${(W + l) / 2}" y="${h - 8}" text-anchor="middle">traffic (visitors) →</text>` +
    `<text class="axis" x="14" y="${(h - b + t) / 2}" transform="rotate(-90 14 ${(h - b + t) / 2})" text-anchor="middle">quality (invest rate) →</text>`;
  const corner = (q: Quadrant, cx: number, cy: number, anchor: string): string =>
    `<text class="quadrant" x="${cx}" y="${cy}" text-anchor="${anchor}">${esc(QUADRANTS[q].split(':')[1]?.trim() ?? q)}</text>`;
  const labels =
    corner('grow-carefully', l + 8, t + 16, 'start') +
    corner('keep-investing', W - r - 8, t + 16, 'end') +
    corner('watch', l + 8, h - b - 8, 'start') +
    corner('target-better', W - r - 8, h - b - 8, 'end');
  const marks = pointsIn.map(
    (p) =>
      `<g class="row"><circle class="point q-${esc(p.quadrant)}" data-channel="${esc(p.key)}" data-traffic="${num(p.traffic)}" data-quality="${num(p.quality)}" data-quadrant="${esc(p.quadrant)}" cx="${x(p.traffic).toFixed(1)}" cy="${y(p.quality).toFixed(1)}" r="8"/>` +
      `<text x="${(x(p.traffic) + 12).toFixed(1)}" y="${(y(p.quality) + 4).toFixed(1)}">${esc(p.key)}</text></g>`,
  );
  return svg(chart, h, title, frame + labels + marks.join(''));
}

/** Vertical bars per day: daily active users. */
export function dailyChart(chart: string, title: string, days: readonly { day: string; active: number }[]): string {
  const h = 200;
  const [l, b] = [40, 30];
  const max = Math.max(1, ...days.map((d) => d.active));
  const step = (W - l - 10) / Math.max(1, days.length);
  const bars = days.map((d, i) => {
    const bh = ((h - b - 10) * d.active) / max;
    return `<rect class="bar" data-key="${esc(d.day)}" data-value="${d.active}" x="${(l + i * step + 1).toFixed(1)}" y="${(h - b - bh).toFixed(1)}" width="${Math.max(1, step - 2).toFixed(1)}" height="${bh.toFixed(1)}"><title>${esc(d.day)}: ${d.active}</title></rect>`;
  });
  const first = days[0]?.day ?? '';
  const last = days[days.length - 1]?.day ?? '';
  const axis =
    `<text class="axis" x="${l}" y="${h - 8}">${esc(first)}</text><text class="axis" x="${W - 10}" y="${h - 8}" text-anchor="end">${esc(last)}</text>` +
    `<text class="axis" x="${l - 6}" y="16" text-anchor="end">${esc(int(max))}</text>`;
  return svg(chart, h, title, bars.join('') + axis);
}
