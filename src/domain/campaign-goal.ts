import { z } from 'zod';
import { Yuan } from './budget.js';
import { Category, EventType } from './event.js';

const DAY_MS = 86_400_000;

/** What counts as a conversion: `event` within `withinDays` of the contact (or of the holdout decision). */
export const Goal = z.strictObject({
  event: EventType,
  withinDays: z.number().int().min(1).max(90),
  /** Only events with at least this amount, yuan. */
  minAmount: Yuan.optional(),
  /** Only events of this product category. */
  category: Category.optional(),
});
export type Goal = z.infer<typeof Goal>;

/** The part of an event a goal looks at. */
export interface GoalEvent {
  type: string;
  ts: Date;
  amount?: number | undefined;
  category?: string | undefined;
}

/** The instant a goal window opened at `since` closes (included). */
export function goalDeadline(goal: Goal, since: Date): Date {
  return new Date(since.getTime() + goal.withinDays * DAY_MS);
}

/**
 * Whether `event` meets the goal for a user contacted (or held out) at `since`: the right type,
 * after `since` and no later than `withinDays` × 24 h after it, and the amount and category asked for.
 */
export function meetsGoal(goal: Goal, event: GoalEvent, since: Date): boolean {
  if (event.type !== goal.event) return false;
  if (event.ts.getTime() <= since.getTime() || event.ts.getTime() > goalDeadline(goal, since).getTime()) return false;
  if (goal.minAmount !== undefined && (event.amount ?? 0) < goal.minAmount) return false;
  return goal.category === undefined || event.category === goal.category;
}
