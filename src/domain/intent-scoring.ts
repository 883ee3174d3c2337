import { z } from 'zod';
import { EventType } from './event.js';

/** A weight with at most two decimals (kept as integer hundredths so sums are exact). */
const Weight = z
  .number()
  .min(0)
  .max(1000)
  .refine((w) => Math.abs(Math.round(w * 100) - w * 100) < 1e-9, {
    message: 'weights have at most two decimals (e.g. 0.05)',
  });

/** rules/scoring.json: how intent is scored and how long behaviour is kept. */
export const Scoring = z
  .strictObject({
    intent: z.strictObject({
      /** Default window of `intentScore` when a rule gives no `days`. @defaultValue 14 */
      windowDays: z.number().int().min(1).max(366).default(14),
      /** Weight per event type; types not listed weigh 0. Order them by closeness to paying. */
      weights: z.record(EventType, Weight),
    }),
    preference: z
      .strictObject({
        /** Default window of `categoryShare`. @defaultValue 30 */
        windowDays: z.number().int().min(1).max(366).default(30),
        /** Share of detail-page dwell above which a category is a clear preference. @defaultValue 0.4 */
        threshold: z.number().gt(0).lt(1).default(0.4),
      })
      .default({ windowDays: 30, threshold: 0.4 }),
    /** Day buckets older than this many days are pruned; no rule may use a longer window. @defaultValue 90 */
    retentionDays: z.number().int().min(1).max(732).default(90),
  })
  .superRefine((s, ctx) => {
    for (const [path, days] of [
      [['intent', 'windowDays'], s.intent.windowDays],
      [['preference', 'windowDays'], s.preference.windowDays],
    ] as const) {
      if (days > s.retentionDays)
        ctx.addIssue({
          code: 'custom',
          path: [...path],
          message: `window longer than retentionDays (${s.retentionDays})`,
        });
    }
  });
export type Scoring = z.infer<typeof Scoring>;

/** Intent weights as integer hundredths, the form metrics compute with. */
export function weightsInHundredths(scoring: Scoring): Map<string, number> {
  return new Map(Object.entries(scoring.intent.weights).map(([t, w]) => [t, Math.round(w * 100)]));
}

/** The defaults shipped in rules/scoring.json; order matters more than values (DOMAIN.md). */
export const DEFAULT_SCORING: Scoring = {
  intent: {
    windowDays: 14,
    weights: {
      app_open: 0.02,
      view_product_list: 0.05,
      view_product_detail: 0.2,
      click_invest: 0.8,
      click_submit: 1.5,
    },
  },
  preference: { windowDays: 30, threshold: 0.4 },
  retentionDays: 90,
};
