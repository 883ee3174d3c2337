import {
  attribute,
  redeemedAt,
  TRIAL_FUNDS_ACTIVATED,
  type GoalHitEvent,
  type Touch,
  type TouchOutcome,
} from '../domain/attribution.js';
import type { Campaign } from '../domain/campaign.js';
import type { Goal } from '../domain/campaign-goal.js';
import type { Delivery } from '../domain/delivery.js';
import { isRandomised } from '../domain/campaign-report.js';
import type { DeliveryOutcome } from '../domain/report-outcome.js';
import {
  CONVERSION_FIELDS,
  type MeasuredDelivery,
  type ConversionMark,
  type ConversionStore,
} from '../ports/conversion-store.js';

export interface ConversionPorts {
  conversions: ConversionStore;
  /** @defaultValue 500 */
  pageSize?: number;
}

const DAY_MS = 86_400_000;
/** The longest goal window a campaign may have (Goal.withinDays): how far back a competing contact can reach. */
const LONGEST_WINDOW_MS = 90 * DAY_MS;

export function isContacted(d: Pick<Delivery, 'state'>): boolean {
  return d.state === 'sent' || d.state === 'unknown';
}

/** When a delivery's goal window opens: the send for a contacted user, the decision otherwise. */
export function windowStart(d: MeasuredDelivery): Date {
  return isContacted(d) ? (d.sentAt ?? d.sendAt ?? d.decidedAt) : d.decidedAt;
}

function touchOf(d: MeasuredDelivery, goals: ReadonlyMap<string, Goal | undefined>): Touch {
  return {
    deliveryId: d._id,
    campaignId: d.campaignId,
    start: windowStart(d),
    goal: goals.get(d.campaignId),
    contacted: isContacted(d),
  };
}

/** Measures every delivery of `campaign`; `goals` holds the goal of every campaign (for last touch). Returns deliveries changed. */
export async function measureConversions(
  ports: ConversionPorts,
  campaign: Campaign,
  goals: ReadonlyMap<string, Goal | undefined>,
): Promise<number> {
  if (!campaign.goal) return 0;
  let after: string | undefined;
  let changed = 0;
  for (;;) {
    const page = await ports.conversions.page(campaign.id, after, ports.pageSize ?? 500);
    if (page.length === 0) return changed;
    after = page[page.length - 1]?._id;
    changed += await measurePage(ports, page.filter(isRandomised), goals);
  }
}

async function measurePage(
  ports: ConversionPorts,
  page: readonly MeasuredDelivery[],
  goals: ReadonlyMap<string, Goal | undefined>,
): Promise<number> {
  if (page.length === 0) return 0;
  const users = [...new Set(page.map((d) => d.userId))];
  const starts = page.map((d) => windowStart(d).getTime());
  const since = new Date(Math.min(...starts));
  const until = new Date(Math.max(...starts) + LONGEST_WINDOW_MS);
  const types = new Set<string>(['purchase', TRIAL_FUNDS_ACTIVATED]);
  for (const g of goals.values()) if (g) types.add(g.event);
  const [others, events] = await Promise.all([
    ports.conversions.contacts(users, new Date(since.getTime() - LONGEST_WINDOW_MS), until),
    ports.conversions.events(users, [...types], since, until),
  ]);
  const byUser = <T extends { userId: string }>(rows: readonly T[]): Map<string, T[]> => {
    const m = new Map<string, T[]>();
    for (const r of rows) (m.get(r.userId) ?? (m.set(r.userId, []).get(r.userId) as T[])).push(r);
    return m;
  };
  const own = byUser(page);
  const contacts = byUser(others);
  const eventsOf = byUser(events);
  const marks: { id: string; mark: ConversionMark }[] = [];
  for (const [userId, deliveries] of own) {
    const touches = new Map<string, Touch>();
    for (const d of [...deliveries, ...(contacts.get(userId) ?? [])]) touches.set(d._id, touchOf(d, goals));
    const userEvents = eventsOf.get(userId) ?? [];
    const outcomes = attribute([...touches.values()], userEvents);
    for (const d of deliveries) {
      const mark = markOf(d, outcomes.get(d._id), userEvents);
      if (!sameMark(d.outcome ?? {}, mark)) marks.push({ id: d._id, mark });
    }
  }
  if (marks.length > 0) await ports.conversions.mark(marks);
  return marks.length;
}

function markOf(d: MeasuredDelivery, o: TouchOutcome | undefined, events: readonly GoalHitEvent[]): ConversionMark {
  const mark: ConversionMark = {};
  if (!o) return mark;
  if (o.windowEnd) mark.windowEnd = o.windowEnd;
  if (o.goal.count > 0) Object.assign(mark, { goal: 1, goalAmount: cents(o.goal.amount) });
  if (o.converted.count > 0) {
    Object.assign(mark, {
      converted: 1,
      convertedAmount: cents(o.converted.amount),
      convertedAt: o.converted.firstAt,
      convertedEventId: o.converted.firstEventId,
    });
  }
  const redeemed = isContacted(d) && d.incentive ? redeemedAt(d.incentive, windowStart(d), events) : undefined;
  if (redeemed && d.incentive)
    Object.assign(mark, { redeemed: 1, redeemedAt: redeemed, redeemedFen: d.incentive.costFen });
  return mark;
}

const cents = (yuan: number): number => Math.round(yuan * 100) / 100;

function sameMark(stored: DeliveryOutcome, mark: ConversionMark): boolean {
  return CONVERSION_FIELDS.every((k) => {
    const a = stored[k];
    const b = mark[k];
    return a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;
  });
}
