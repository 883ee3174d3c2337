import type { Goal } from '../domain/campaign-goal.js';
import { type DayWindow, addDays } from '../domain/day.js';
import {
  addToFunnel,
  channelQuadrants,
  emptyFunnel,
  funnelStats,
  quadrantSplit,
  type ChannelPoint,
  type FunnelCounts,
  type FunnelStats,
} from '../domain/funnel.js';
import {
  addToEngagement,
  emptyEngagement,
  engagementDays,
  engagementStats,
  type EngagementStats,
} from '../domain/funnel-engagement.js';
import { campaignSections, type CampaignReport, type DeliveryGroup } from '../domain/campaign-report.js';
import { dayRange, dayStart, rangeInstants, type ReportRangeInput } from '../domain/report-range.js';
import type { CampaignDirectory } from '../decide/campaign-directory.js';
import { measureConversions } from './conversions.js';
import type { Clock } from '../ports/clock.js';
import type { ConversionStore } from '../ports/conversion-store.js';
import type { ReportStore } from '../ports/report-store.js';

export interface ReportPorts {
  store: ReportStore;
  conversions: ConversionStore;
  campaigns(): Promise<Pick<CampaignDirectory, 'get' | 'list'>>;
  clock: Clock;
  /** Platform time zone (TIDEFLOW_TZ): report days are calendar days here. */
  tz: string;
}

/**
 * A campaign's report: conversions measured first (so late goal events count), then the ledger
 * grouped and folded into per-occurrence and cumulative sections. `from`/`to` limit it to the
 * decisions made on those days.
 */
export async function campaignReport(
  ports: ReportPorts,
  campaignId: string,
  range: ReportRangeInput = {},
): Promise<CampaignReport> {
  const directory = await ports.campaigns();
  const campaign = await directory.get(campaignId);
  const goals = new Map<string, Goal | undefined>((await directory.list()).map((c) => [c.id, c.goal]));
  await measureConversions({ conversions: ports.conversions }, campaign, goals);
  const decided = {
    ...(range.from ? { from: dayStart(range.from, ports.tz) } : {}),
    ...(range.to ? { to: dayStart(addDays(range.to, 1), ports.tz) } : {}),
  };
  const groups: DeliveryGroup[] = [];
  for await (const g of ports.store.campaignGroups(campaignId, decided)) groups.push(g);
  const users = await ports.store.campaignUsers(campaignId, decided);
  const now = ports.clock();
  const sections = campaignSections(groups, { now, tz: ports.tz, hasIncentive: campaign.incentive !== undefined });
  const budget = campaign.budget ? await ports.store.budgetBooks(campaignId) : null;
  return {
    campaignId,
    name: campaign.name,
    goal: campaign.goal,
    holdoutPercent: campaign.holdout ?? 0,
    ...(range.from || range.to ? { range: { from: range.from, to: range.to } } : {}),
    generatedAt: now,
    ...(budget ? { budget } : {}),
    users,
    ...sections,
  };
}

export interface ChannelFunnelRow {
  channel: string;
  stats: FunnelStats;
  /** Its place in the traffic × quality quadrant; none for users without an acquisition channel. */
  point?: ChannelPoint;
}

export interface FunnelReport {
  range: DayWindow;
  generatedAt: Date;
  overall: FunnelStats;
  /** Per acquisition channel, with its quadrant (`--by channel`). */
  channels?: ChannelFunnelRow[];
  /** Where the quadrant splits traffic and quality (with `channels`). */
  split?: { traffic: number; quality: number };
}

export interface EngagementReport extends EngagementStats {
  range: DayWindow;
  generatedAt: Date;
  /** Pushes sent in the range and how many the gateway reported delivered. */
  pushDelivery: { sent: number; delivered: number; rate: number | null };
}

export interface PlatformReport {
  funnel: FunnelReport;
  engagement: EngagementReport;
}

/** Profiles without an acquisition channel are grouped under this name. */
export const NO_CHANNEL = '(none)';

/** The funnel and the engagement of a range, in one pass over the profiles. */
export async function platformReport(ports: ReportPorts, input: ReportRangeInput = {}): Promise<PlatformReport> {
  const range = dayRange(input, ports.clock(), ports.tz);
  const byChannel = new Map<string, FunnelCounts>();
  const overall = emptyFunnel();
  const engagement = emptyEngagement();
  for await (const p of ports.store.profiles(engagementDays(range))) {
    const key = p.acquisitionChannel ?? NO_CHANNEL;
    const counts = byChannel.get(key) ?? (byChannel.set(key, emptyFunnel()).get(key) as FunnelCounts);
    addToFunnel(counts, p, range, ports.tz);
    addToFunnel(overall, p, range, ports.tz);
    addToEngagement(engagement, p, range, ports.tz);
  }
  const rows = [...byChannel]
    .map(([channel, counts]) => ({ channel, counts }))
    .sort((a, b) => b.counts.visit - a.counts.visit || (a.channel < b.channel ? -1 : 1));
  const located = rows.filter((r) => r.channel !== NO_CHANNEL);
  const points = new Map(channelQuadrants(located).map((p) => [p.channel, p]));
  const { from, to } = rangeInstants(range, ports.tz);
  const push = await ports.store.channelOutcomes('push', from, to);
  const generatedAt = ports.clock();
  return {
    funnel: {
      range,
      generatedAt,
      overall: funnelStats(overall),
      channels: rows.map((r) => {
        const point = points.get(r.channel);
        return { channel: r.channel, stats: funnelStats(r.counts), ...(point ? { point } : {}) };
      }),
      split: quadrantSplit(located),
    },
    engagement: {
      ...engagementStats(engagement, range),
      range,
      generatedAt,
      pushDelivery: { ...push, rate: push.sent > 0 ? push.delivered / push.sent : null },
    },
  };
}

/** The platform funnel of a range; per acquisition channel with `by: 'channel'`. */
export async function funnelReport(
  ports: ReportPorts,
  input: ReportRangeInput & { by?: 'channel' } = {},
): Promise<FunnelReport> {
  const { by, ...range } = input;
  const { funnel } = await platformReport(ports, range);
  if (by === 'channel') return funnel;
  const { channels: _channels, split: _split, ...overall } = funnel;
  return overall;
}

export async function engagementReport(ports: ReportPorts, input: ReportRangeInput = {}): Promise<EngagementReport> {
  return (await platformReport(ports, input)).engagement;
}
