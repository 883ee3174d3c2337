import { z } from 'zod';
import { assertNever } from '../errors.js';
import { Yuan, toFen } from './budget.js';

const DAY_MS = 86_400_000;
const Days = z.number().int().min(1).max(366);
const PositiveYuan = Yuan.refine((v) => v > 0, { message: 'an amount above 0' });

/** A cash coupon credited on a purchase of at least `minPurchase`, valid `expiryDays`. */
export const RedPacket = z.strictObject({
  type: z.literal('red-packet'),
  amount: PositiveYuan,
  minPurchase: Yuan,
  expiryDays: Days,
});
export type RedPacket = z.infer<typeof RedPacket>;

/** Trial funds granted when the triggering purchase is at least `minPurchase` yuan. */
export const TrialFundsTier = z.strictObject({ minPurchase: Yuan, amount: PositiveYuan });
export type TrialFundsTier = z.infer<typeof TrialFundsTier>;

/**
 * Virtual principal that earns real yield at `annualRate` for `days` days: a fixed `amount`, or
 * `tiers` by the triggering purchase's amount (more the more the user invests).
 */
export const TrialFunds = z
  .strictObject({
    type: z.literal('trial-funds'),
    amount: PositiveYuan.optional(),
    tiers: z.array(TrialFundsTier).min(1).max(20).optional(),
    /** Days the principal earns. */
    days: Days,
    /** Annual rate paid on the principal, as a fraction (0.08 is 8%). */
    annualRate: z.number().gt(0).max(1),
    /** Days the user has to activate the grant. @defaultValue 7 */
    expiryDays: Days.default(7),
  })
  .superRefine((t, ctx) => {
    if ((t.amount === undefined) === (t.tiers === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['amount'], message: 'give either amount or tiers' });
    }
    t.tiers?.forEach((tier, i) => {
      const prev = t.tiers?.[i - 1];
      if (prev && !(tier.minPurchase > prev.minPurchase && tier.amount > prev.amount)) {
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', i],
          message: 'tiers rise: each has a larger minPurchase and a larger amount than the one before',
        });
      }
    });
  });
export type TrialFunds = z.infer<typeof TrialFunds>;

/** A voucher of face value `value` (e.g. a fee waiver), usable on a purchase of at least `minPurchase`. */
export const Voucher = z.strictObject({
  type: z.literal('voucher'),
  value: PositiveYuan,
  /** @defaultValue 0 */
  minPurchase: Yuan.default(0),
  expiryDays: Days,
  /** What the voucher is for, as the user reads it. */
  description: z.string().min(1).max(64).optional(),
});
export type Voucher = z.infer<typeof Voucher>;

export const INCENTIVE_TYPES = ['red-packet', 'trial-funds', 'voucher'] as const;
export const Incentive = z.discriminatedUnion('type', [RedPacket, TrialFunds, Voucher]);
export type Incentive = z.infer<typeof Incentive>;

/**
 * The terms of one grant. Amounts in yuan as the user sees them; `costFen` is what the grant can
 * cost the platform at most, the figure charged to the campaign budget.
 */
export type Grant =
  | { type: 'red-packet'; amount: number; minPurchase: number; expiresAt: Date; costFen: number }
  | { type: 'trial-funds'; principal: number; days: number; annualRate: number; expiresAt: Date; costFen: number }
  | { type: 'voucher'; value: number; minPurchase: number; description?: string; expiresAt: Date; costFen: number };

/** The event that triggered the evaluation, as far as incentives care. */
export interface TriggerAmount {
  amount?: number | undefined;
}

/** The tier for a purchase amount: the highest one whose minPurchase it reaches. */
export function tierFor(tiers: readonly TrialFundsTier[], purchase: number): TrialFundsTier | undefined {
  let found: TrialFundsTier | undefined;
  for (const t of tiers) if (purchase >= t.minPurchase && (!found || t.minPurchase > found.minPurchase)) found = t;
  return found;
}

/**
 * Cost of trial funds: the yield the platform pays, principal × annualRate × days / 365, rounded up
 * to the fen so the budget never under-counts. The principal itself is virtual and costs nothing.
 */
export function trialFundsCostFen(principal: number, annualRate: number, days: number): number {
  return Math.ceil((toFen(principal) * annualRate * days) / 365 - 1e-9);
}

/**
 * The grant a campaign's incentive gives for this trigger, with its expiry counted from `at` (the
 * send time). Undefined when the campaign has no incentive or a tiered one the purchase does not reach.
 * Red packets and vouchers cost their face value: the budget counts the most a grant can cost.
 */
export function incentiveFor(
  incentive: Incentive | undefined,
  trigger: TriggerAmount | undefined,
  at: Date,
): Grant | undefined {
  if (!incentive) return undefined;
  const expiresAt = new Date(at.getTime() + incentive.expiryDays * DAY_MS);
  switch (incentive.type) {
    case 'red-packet':
      return {
        type: 'red-packet',
        amount: incentive.amount,
        minPurchase: incentive.minPurchase,
        expiresAt,
        costFen: toFen(incentive.amount),
      };
    case 'voucher':
      return {
        type: 'voucher',
        value: incentive.value,
        minPurchase: incentive.minPurchase,
        expiresAt,
        costFen: toFen(incentive.value),
        ...(incentive.description ? { description: incentive.description } : {}),
      };
    case 'trial-funds': {
      const principal = incentive.tiers ? tierFor(incentive.tiers, trigger?.amount ?? -1)?.amount : incentive.amount;
      if (principal === undefined) return undefined;
      const costFen = trialFundsCostFen(principal, incentive.annualRate, incentive.days);
      return {
        type: 'trial-funds',
        principal,
        days: incentive.days,
        annualRate: incentive.annualRate,
        expiresAt,
        costFen,
      };
    }
    default:
      return assertNever(incentive);
  }
}
