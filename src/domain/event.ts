import { z } from 'zod';

/** Event types Tideflow understands natively, roughly in funnel order. */
export const BUILTIN_EVENT_TYPES = [
  'register',
  'real_name_verified',
  'bank_card_bound',
  'app_open',
  'view_product_list',
  'view_product_detail',
  'click_invest',
  'click_submit',
  'purchase',
  'redeem',
  'mature',
] as const;
export type BuiltinEventType = (typeof BUILTIN_EVENT_TYPES)[number];

/**
 * Any other event type must be snake_case: a lowercase letter, then lowercase letters, digits or
 * underscores, 2–48 characters in all (e.g. `message_clicked`, `wechat_follow`).
 */
export const CUSTOM_EVENT_TYPE = /^[a-z][a-z0-9_]{1,47}$/;

export const CATEGORIES = ['bond', 'stock', 'money', 'index', 'mixed'] as const;
export const Category = z.enum(CATEGORIES);
export type Category = z.infer<typeof Category>;

/** Instants from outside are in 1970–2199: day keys have four-digit years and windows stay in range. */
export const INSTANT_RANGE = { min: Date.UTC(1970, 0, 1), max: Date.UTC(2200, 0, 1) } as const;

/**
 * An ISO-8601 instant with a zone offset or Z, from 1970 up to (not including) 2200, parsed to a
 * Date: the one schema for every timestamp and `now` a client or file gives.
 */
export const Instant = z.iso
  .datetime({ offset: true })
  // A string that is no instant at all has its one issue from the format check already.
  .refine(
    (s) => {
      const t = Date.parse(s);
      return Number.isNaN(t) || (t >= INSTANT_RANGE.min && t < INSTANT_RANGE.max);
    },
    { message: 'an instant from 1970 to 2199' },
  )
  .transform((s) => new Date(s));

/** Identifiers from clients: printable, no `$` or `.`, so they are safe as keys and in paths. */
export const Id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_:@+-][A-Za-z0-9_.:@+-]*$/, {
    message: 'ids are 1–128 characters of letters, digits and _ . : @ + - (not starting with .)',
  });

export const EventType = z.string().regex(CUSTOM_EVENT_TYPE, {
  message: 'event type must be snake_case (a-z, 0-9, _), 2–48 characters',
});

/**
 * A client-chosen field name (event props, profile attributes): an identifier of up to 64
 * characters, never a key that walks the prototype chain (`__proto__`, `constructor`, `prototype`).
 */
export const FieldName = z.string().regex(/^(?!(?:__proto__|constructor|prototype)$)[A-Za-z_][A-Za-z0-9_]{0,63}$/, {
  message: 'field names are identifiers (letters, digits, _), not __proto__, constructor or prototype',
});
const PropValue = z.union([z.string().max(1024), z.number().finite(), z.boolean(), z.null()]);

/** A behaviour event as clients send it. `id` is the client's event id: replays are no-ops. */
export const Event = z.strictObject({
  id: Id,
  userId: Id,
  type: EventType,
  /** ISO-8601 instant with a zone offset or Z. */
  ts: Instant,
  category: Category.optional(),
  productId: Id.optional(),
  /** Dwell time on the page, seconds. */
  durationSec: z.number().finite().min(0).max(86_400).optional(),
  /** Money amount in yuan (purchase, redeem, mature). */
  amount: z.number().finite().min(0).max(1e12).optional(),
  /** Acquisition channel (e.g. `baidu_sem`, `app_store`, `referral`). */
  channel: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/)
    .optional(),
  props: z.record(FieldName, PropValue).optional(),
});
export type EventInput = z.input<typeof Event>;
export type Event = z.infer<typeof Event>;

/** Money movements decide `fundsRedeemed`: money out of the platform's products or back in. */
export function moneyDirection(type: string): 'in' | 'out' | undefined {
  if (type === 'purchase') return 'in';
  if (type === 'redeem' || type === 'mature') return 'out';
  return undefined;
}
