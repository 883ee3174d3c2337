import { goalDeadline, meetsGoal, type Goal, type GoalEvent } from './campaign-goal.js';
import type { Grant } from './incentive.js';

/**
 * Which goal events count for which delivery. Two questions, answered separately on purpose:
 *
 * - **Goal met** (for lift): did the user meet the campaign's goal within `withinDays` of the
 *   delivery's start — the send for a contacted user, the decision for a holdout user or one who
 *   was to be contacted and was not? Every group is measured the same way, whoever else contacted
 *   the user, so the comparison with the holdout stays fair.
 * - **Converted** (for the campaign funnel): a contacted user's goal event is credited to the
 *   LATEST delivery, of any campaign, whose goal it meets within that delivery's window. Two
 *   campaigns touching the same user never both claim one purchase.
 */

/** A goal event with its id. */
export interface GoalHitEvent extends GoalEvent {
  id: string;
}

/** One delivery as attribution sees it. */
export interface Touch {
  deliveryId: string;
  campaignId: string;
  /** When its goal window opens: the send (contacted) or the decision (not contacted). */
  start: Date;
  /** The campaign's goal; a campaign without one claims nothing. */
  goal?: Goal | undefined;
  /** Contacted (sent, or possibly sent): only these compete for conversions. */
  contacted: boolean;
}

/** What one delivery's window holds. */
export interface TouchOutcome {
  /** The goal window's end; undefined without a goal. */
  windowEnd?: Date;
  /** Goal events in the window, whoever gets the credit. */
  goal: { count: number; amount: number; firstAt?: Date };
  /** Goal events credited to this delivery (contacted deliveries only). */
  converted: { count: number; amount: number; firstAt?: Date; firstEventId?: string };
}

/** Later start wins; a tie goes to the larger delivery id, so the answer never depends on order. */
function later(a: Touch, b: Touch): Touch {
  const d = a.start.getTime() - b.start.getTime();
  if (d !== 0) return d > 0 ? a : b;
  return a.deliveryId > b.deliveryId ? a : b;
}

/** The contacted touch that gets the credit for `event`, if any. */
export function creditedTouch(touches: readonly Touch[], event: GoalHitEvent): Touch | undefined {
  let best: Touch | undefined;
  for (const t of touches) {
    if (!t.contacted || !t.goal || !meetsGoal(t.goal, event, t.start)) continue;
    best = best ? later(best, t) : t;
  }
  return best;
}

function emptyOutcome(t: Touch): TouchOutcome {
  return {
    ...(t.goal ? { windowEnd: goalDeadline(t.goal, t.start) } : {}),
    goal: { count: 0, amount: 0 },
    converted: { count: 0, amount: 0 },
  };
}

/**
 * Outcomes of one user's deliveries (all campaigns, so last-touch can be decided) given that
 * user's events. Events are taken in time order.
 */
export function attribute(touches: readonly Touch[], events: readonly GoalHitEvent[]): Map<string, TouchOutcome> {
  const out = new Map<string, TouchOutcome>(touches.map((t) => [t.deliveryId, emptyOutcome(t)]));
  const ordered = [...events].sort(
    (a, b) => a.ts.getTime() - b.ts.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  for (const e of ordered) {
    for (const t of touches) {
      if (!t.goal || !meetsGoal(t.goal, e, t.start)) continue;
      const g = (out.get(t.deliveryId) as TouchOutcome).goal;
      g.count++;
      g.amount += e.amount ?? 0;
      g.firstAt ??= e.ts;
    }
    const credited = creditedTouch(touches, e);
    if (!credited) continue;
    const c = (out.get(credited.deliveryId) as TouchOutcome).converted;
    c.count++;
    c.amount += e.amount ?? 0;
    if (c.firstAt === undefined) {
      c.firstAt = e.ts;
      c.firstEventId = e.id;
    }
  }
  return out;
}

/** The event a platform sends when a user activates trial funds. */
export const TRIAL_FUNDS_ACTIVATED = 'trial_funds_activated';

/**
 * When the incentive sent at `sentAt` was used, if it was: a red packet or voucher by a purchase
 * of at least its minimum before it expired (the platform credits it on that purchase); trial
 * funds by a `trial_funds_activated` event before they expired.
 */
export function redeemedAt(grant: Grant, sentAt: Date, events: readonly GoalEvent[]): Date | undefined {
  const inTime = (e: GoalEvent): boolean =>
    e.ts.getTime() > sentAt.getTime() && e.ts.getTime() <= grant.expiresAt.getTime();
  let first: Date | undefined;
  for (const e of events) {
    if (!inTime(e)) continue;
    const uses =
      grant.type === 'trial-funds'
        ? e.type === TRIAL_FUNDS_ACTIVATED
        : e.type === 'purchase' && (e.amount ?? 0) >= grant.minPurchase;
    if (uses && (first === undefined || e.ts < first)) first = e.ts;
  }
  return first;
}
