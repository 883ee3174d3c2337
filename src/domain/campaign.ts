import { z } from 'zod';
import { SmsSignature } from './sms-signature.js';
import { CampaignBudget } from './budget.js';
import { Goal } from './campaign-goal.js';
import { Limits } from './campaign-limits.js';
import { Schedule } from './campaign-schedule.js';
import { Duration, durationMs } from './duration.js';
import { EventType } from './event.js';
import { HoldoutPercent } from './holdout.js';
import { Incentive } from './incentive.js';
import { ProductChoice } from './product.js';
import { Channel } from './profile.js';

/** Ids of campaigns, segments and templates: kebab-case, as their file names. */
export const RuleId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, {
  message: 'ids are kebab-case: lowercase letters, digits and -, 1–64 characters',
});

/**
 * A behaviour event that starts an evaluation of one user. After `delay` (e.g. the settlement time
 * of a redemption) the user is evaluated, conditions re-checked; an evaluation more than `within`
 * after that due time is dropped as stale (`trigger-expired`) rather than sending late news.
 */
export const Trigger = z.strictObject({
  event: EventType,
  /** @defaultValue no delay */
  delay: Duration.optional(),
  /** @defaultValue no expiry */
  within: Duration.optional(),
  /**
   * The trigger marks a standing state (funds redeemed), so when the campaign is launched the users
   * already in that state are reached too, by one occurrence over the audience (`tideflow run`):
   * a trigger alone reaches only users whose event comes after the launch. Not for one-off
   * rewards (a registration bonus would go to every registered user). The demo launches so.
   * @defaultValue false
   */
  backfill: z.boolean().optional(),
});
export type Trigger = z.infer<typeof Trigger>;

export const CAMPAIGN_STATUSES = ['draft', 'active', 'paused'] as const;
export const CampaignStatus = z.enum(CAMPAIGN_STATUSES);
export type CampaignStatus = z.infer<typeof CampaignStatus>;

/** One file of rules/campaigns/: whom, when, how, with what, within which limits. */
export const Campaign = z
  .strictObject({
    id: RuleId,
    name: z.string().min(1).max(120),
    description: z.string().max(1000).optional(),
    /** The segment whose members are the audience. */
    segment: RuleId,
    /** Extra conditions in the segment rule language, all of which must also hold. */
    conditions: z.record(z.string(), z.unknown()).optional(),
    schedule: Schedule.optional(),
    trigger: Trigger.optional(),
    /** In order of preference: the first the user consented to and can be reached on is used. */
    channels: z
      .array(Channel)
      .min(1)
      .refine((cs) => new Set(cs).size === cs.length, { message: 'a channel is listed twice' }),
    /** Template id: templates/<template>.<channel>.<ext> exists for each channel. */
    template: RuleId,
    /** The SMS signature (in 【】 or not) in place of TIDEFLOW_SMS_SIGNATURE. */
    smsSignature: SmsSignature.optional(),
    /** Most SMS parts a message may take; `validate` renders sample users' SMS against it. @defaultValue 2 */
    maxSmsParts: z.number().int().min(1).max(10).optional(),
    /** The product offered; without it the message carries none. */
    product: ProductChoice.optional(),
    incentive: Incentive.optional(),
    limits: Limits.optional(),
    /** Percent of the audience kept as a control group (recorded, never contacted). @defaultValue 0 */
    holdout: HoldoutPercent.optional(),
    goal: Goal.optional(),
    /** Higher wins when campaigns compete for the same user on the same day. @defaultValue 0 */
    priority: z.number().int().min(-100).max(100).default(0),
    budget: CampaignBudget.optional(),
    status: CampaignStatus,
  })
  .superRefine((c, ctx) => {
    if (!c.schedule === !c.trigger) {
      ctx.addIssue({
        code: 'custom',
        path: c.schedule ? ['trigger'] : [],
        message: 'a campaign has either a schedule or a trigger',
      });
    }
  });
export type Campaign = z.infer<typeof Campaign>;
export type CampaignInput = z.input<typeof Campaign>;

/** When a triggered evaluation is due: the event's time plus the trigger's delay. */
export function triggerDueAt(c: Campaign, eventAt: Date): Date {
  return new Date(eventAt.getTime() + (c.trigger?.delay ? durationMs(c.trigger.delay) : 0));
}

/**
 * Whether an evaluation at `now` of the trigger that fired at `eventAt` is too late: more than
 * `within` after it was due. Stale evaluations are recorded (`trigger-expired`), never sent.
 */
export function isTriggerStale(c: Campaign, eventAt: Date, now: Date): boolean {
  if (!c.trigger?.within) return false;
  return now.getTime() > triggerDueAt(c, eventAt).getTime() + durationMs(c.trigger.within);
}

/** Whether an ingested event of `type` starts an evaluation of this campaign (status aside). */
export function isTriggeredBy(c: Campaign, type: string): boolean {
  return c.trigger?.event === type;
}
