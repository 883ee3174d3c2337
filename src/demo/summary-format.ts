import { INTENT_BANDS, type PopulationSummary } from '../metrics/population-summary.js';
import { formatInstant } from '../domain/time-format.js';

/** The population summary as the lines `tideflow demo` prints. Deterministic: no times, no locale. */

export function grouped(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '–';
}

function row(label: string, n: number, note = ''): string {
  return `  ${label.padEnd(24)}${grouped(n).padStart(8)}${note ? `  ${note}` : ''}`;
}

function score(s: number | null): string {
  return s === null ? 'none' : `≥ ${s.toFixed(2)}`;
}

export function formatPopulationSummary(
  s: PopulationSummary,
  tz: string,
  seeded?: { users: number; events: number },
): string[] {
  const l = s.lifecycle;
  const lines = [
    `Synthetic platform at ${formatInstant(s.now, tz)}`,
    ...(seeded ? [`  seeded ${grouped(seeded.users)} users and ${grouped(seeded.events)} events through ingest`] : []),
    '',
    'Lifecycle',
    row('users', s.users),
    row('registered', l.registered, percent(l.registered, s.users)),
    row('real-name verified', l.realName, percent(l.realName, s.users)),
    row('bank card bound', l.cardBound, percent(l.cardBound, s.users)),
    row('purchased', l.purchased, percent(l.purchased, s.users)),
    row('new customers', l.newCustomers, 'never purchased'),
    row('old customers', l.oldCustomers, 'purchased'),
    row('  funds redeemed', l.fundsRedeemed, `${percent(l.fundsRedeemed, l.oldCustomers)} of old customers`),
    '',
    ...intentLines(s),
    '',
    `Preference (detail-page dwell share > ${Math.round(s.preference.threshold * 100)}% over ${s.preference.windowDays} days)`,
    ...Object.entries(s.preference.byCategory).map(([c, n]) => row(`prefers ${c}`, n, percent(n, s.users))),
    row('no clear preference', s.preference.none, 'browsed, no category above the threshold'),
    '',
    `Acquisition channels ${'users'.padStart(15)}  purchased`,
    ...Object.entries(s.channels)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, c]) => row(name, c.users, `${grouped(c.purchased)} (${percent(c.purchased, c.users)})`)),
    '',
    `Churn watch: ${grouped(s.churnWatch.highValue)} customers purchased ≥ ¥${grouped(s.churnWatch.minPurchased)}, ` +
      `${grouped(s.churnWatch.quiet)} of them quiet for ${s.churnWatch.quietDays}+ days`,
  ];
  return lines;
}

function intentLines(s: PopulationSummary): string[] {
  const i = s.intent;
  const labels = INTENT_BANDS.map((upper, k) => (k === 0 ? 'score 0' : `score ${INTENT_BANDS[k - 1]}–${upper}`));
  labels.push(`score > ${INTENT_BANDS[INTENT_BANDS.length - 1]}`);
  return [
    `Intent (score over ${i.windowDays} days, weights from rules/scoring.json)`,
    ...labels.map((label, k) => row(label, i.bands[k] ?? 0, percent(i.bands[k] ?? 0, s.users))),
    row('active', i.active, 'any event in the window'),
    row(
      `strong (score > ${i.threshold})`,
      i.strong,
      `${percent(i.strong, i.active)} of active, ${percent(i.strong, s.users)} of all users`,
    ),
    `  percentile cut-offs: all users p60 ${score(i.cutoffs.all.p60)}, p80 ${score(i.cutoffs.all.p80)}; ` +
      `active users p60 ${score(i.cutoffs.active.p60)}, p80 ${score(i.cutoffs.active.p80)}`,
  ];
}
