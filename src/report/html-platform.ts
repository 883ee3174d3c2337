import { FUNNEL_STEPS, QUADRANTS, type FunnelStats, type FunnelStep } from '../domain/funnel.js';
import type { EngagementReport, FunnelReport } from '../track/reports.js';
import { barChart, dailyChart, quadrantChart } from './html-charts.js';
import { esc, int, pct, table, yuan } from './html-format.js';

/** The platform parts of the HTML report: funnel, channel quadrant, engagement. */

const STEP_LABELS: Record<FunnelStep, string> = {
  visit: 'visit (UV)',
  register: 'register',
  realName: 'real-name',
  cardBound: 'bind card',
  firstPurchase: 'first purchase',
};

function funnelBars(s: FunnelStats): { key: string; label: string; value: number; note?: string }[] {
  return FUNNEL_STEPS.map((step) => {
    const rate = s.stepRates[step];
    return {
      key: step,
      label: STEP_LABELS[step],
      value: s.counts[step],
      ...(rate !== null ? { note: pct(rate) } : {}),
    };
  });
}

export function funnelSection(f: FunnelReport): string {
  const o = f.overall;
  const formula = `${int(o.counts.visit)} UV × ${pct(o.registerRate)} register × ${pct(o.investRate)} invest × ${yuan(o.averageTicket)} average ticket = ${yuan(o.investment)}`;
  const rows = (f.channels ?? []).map((c) => [
    esc(c.channel),
    int(c.stats.counts.visit),
    int(c.stats.counts.register),
    pct(c.stats.registerRate),
    int(c.stats.counts.firstPurchase),
    pct(c.stats.investRate),
    yuan(c.stats.averageTicket),
    yuan(c.stats.investment),
    c.point ? esc(QUADRANTS[c.point.quadrant]) : '–',
  ]);
  const located = (f.channels ?? []).flatMap((c) => (c.point ? [{ ...c.point, key: c.channel }] : []));
  const channels = f.channels
    ? `<h3>Acquisition channels</h3>${quadrantChart('channel-quadrant', 'Channels: traffic × quality', located, f.split?.traffic ?? 0, f.split?.quality ?? 0)}
${table(['channel', 'UV', 'register', 'reg. rate', 'first purchase', 'invest rate', 'avg ticket', 'investment', 'strategy'], rows, 'numbers')}`
    : '';
  return `<section id="funnel"><h2>Platform funnel <small>${esc(f.range.first)} – ${esc(f.range.last)}</small></h2>
<p class="note">Visitors active in the range; the cohort registered in it, and its steps by the range end.</p>
${barChart('platform-funnel', 'Platform funnel', funnelBars(o))}
<p class="formula">${esc(formula)}</p>
${channels}
</section>`;
}

export function engagementSection(e: EngagementReport): string {
  return `<section id="engagement"><h2>Engagement <small>${esc(e.range.first)} – ${esc(e.range.last)}</small></h2>
${dailyChart('dau', 'Daily active users', e.daily)}
${table(
  ['', ''],
  [
    ['DAU (last day)', int(e.dau)],
    ['MAU (30 days)', int(e.mau)],
    ['DAU / MAU', pct(e.dauMau)],
    [
      '7-day retention of new users',
      `${pct(e.retention7.rate)} (${int(e.retention7.retained)} of ${int(e.retention7.cohort)})`,
    ],
    ['push reachable users', `${pct(e.push.reachRate)} (${int(e.push.reachable)} of ${int(e.push.users)})`],
    [
      'pushes delivered',
      `${pct(e.pushDelivery.rate)} (${int(e.pushDelivery.delivered)} of ${int(e.pushDelivery.sent)} sent)`,
    ],
  ],
  'kv',
)}
</section>`;
}
