import type { DayWindow } from '../domain/day.js';
import type { FunnelProfile } from '../domain/funnel.js';
import type { EngagementProfile } from '../domain/funnel-engagement.js';
import type { Channel } from '../domain/profile.js';
import type { CampaignUsers, DeliveryGroup } from '../domain/campaign-report.js';
import type { BudgetBooks } from '../domain/report-budget.js';

/** What the platform reports read of a profile. */
export interface ReportProfile extends FunnelProfile, EngagementProfile {
  acquisitionChannel?: string | undefined;
}

/** The reads of the report verbs (src/store implements them with cursors and aggregations). */
export interface ReportStore {
  /** A campaign's deliveries grouped by occurrence, state, reason and channel; only decisions in [from, to) when given. */
  campaignGroups(campaignId: string, decided?: { from?: Date; to?: Date }): AsyncIterable<DeliveryGroup>;
  /** Distinct users a campaign decided about (and contacted), each once however many occurrences it ran. */
  campaignUsers(campaignId: string, decided?: { from?: Date; to?: Date }): Promise<CampaignUsers>;
  /** Every profile with its lifecycle, acquisition channel, push reach and the buckets of `days` only. */
  profiles(days: DayWindow): AsyncIterable<ReportProfile>;
  /** A campaign budget's books (spent, kept, in flight, written off); null without a budget. */
  budgetBooks(campaignId: string): Promise<BudgetBooks | null>;
  /** Messages on a channel sent in [from, to), and how many the provider reported delivered. */
  channelOutcomes(channel: Channel, from: Date, to: Date): Promise<{ sent: number; delivered: number }>;
}
