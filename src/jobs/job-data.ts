import { z } from 'zod';
import type { ChunkJob, TriggerJob } from '../ports/campaign-queue.js';

/** Data of a `campaign-plan` job: one occurrence to plan. */
export const PlanJobData = z.object({
  campaignId: z.string().min(1),
  kind: z.enum(['manual', 'scheduled']),
  occurrence: z.string().min(1),
});
export type PlanJobData = z.infer<typeof PlanJobData>;

/** Data of a `campaign-chunk` job: one chunk of an occurrence's audience. */
export const ChunkJobData = z.object({
  runId: z.string().min(1),
  campaignId: z.string().min(1),
  occurrence: z.string().min(1),
  index: z.number().int().min(0),
  userIds: z.array(z.string()),
}) satisfies z.ZodType<ChunkJob>;

/** Data of a `campaign-trigger` job: one triggered evaluation. */
export const TriggerJobData = z.object({
  campaignId: z.string().min(1),
  eventId: z.string().min(1),
  userId: z.string().min(1),
  type: z.string().min(1),
  at: z.iso.datetime({ offset: true }),
  amount: z.number().optional(),
}) satisfies z.ZodType<TriggerJob>;

/** Data of a `campaign-schedule:<id>` job. */
export const ScheduleJobData = z.object({ campaignId: z.string().min(1) });
export type ScheduleJobData = z.infer<typeof ScheduleJobData>;

/** Data of a `deliver-due` job: the periodic one or a kick. */
export const DeliverJobData = z.object({ kick: z.boolean().optional(), periodic: z.boolean().optional() });
export type DeliverJobData = z.infer<typeof DeliverJobData>;
