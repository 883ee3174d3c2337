import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { assertNever } from '../errors.js';

/**
 * Delivery reports of the email provider (deliveries, bounces, complaints) and the push gateway
 * (deliveries, failures such as an invalid device token), posted to Tideflow as signed JSON —
 * the shape of a typical ESP event webhook:
 *
 * ```
 * POST /v1/webhooks/email            (or /v1/webhooks/push)
 * Content-Type: application/json
 * X-Tideflow-Signature: t=1763604000,v1=<hex HMAC-SHA256(secret, "1763604000.<raw body>")>
 *
 * { "events": [ { "id": "evt-1", "type": "bounced", "deliveryId": "…", "bounce": "hard",
 *                 "recipient": "a@example.com", "at": "2026-11-20T02:00:00Z", "reason": "550 5.1.1" } ] }
 * ```
 */

export const PROVIDER_REPORT_TYPES = ['delivered', 'bounced', 'complained', 'failed'] as const;

/** Failure codes that mean the contact point is dead: it goes on the suppression list. */
export const DEAD_CONTACT_CODES = ['invalid-token', 'unregistered'] as const;

export const ProviderEvent = z.strictObject({
  /** The provider's event id (for its logs; duplicates are recognised by what they say). */
  id: z.string().min(1).max(200).optional(),
  type: z.enum(PROVIDER_REPORT_TYPES),
  /** Tideflow's delivery id: the email's `X-Tideflow-Delivery` header, the push `data.deliveryId`. */
  deliveryId: z.string().min(1).max(300),
  /** The provider's message id; a report naming another message than the delivery's is ignored. */
  providerId: z.string().min(1).max(300).optional(),
  /** The address or device token the report is about. @defaultValue the user's current one */
  recipient: z.string().min(1).max(512).optional(),
  /** `hard` (the address does not exist: suppressed) or `soft` (full mailbox…). @defaultValue hard */
  bounce: z.enum(['hard', 'soft']).optional(),
  /** Machine-readable failure, e.g. `invalid-token` or `unregistered` (push): suppressed. */
  code: z.string().min(1).max(64).optional(),
  reason: z.string().max(500).optional(),
  at: z.iso.datetime({ offset: true }).optional(),
});
export type ProviderEvent = z.infer<typeof ProviderEvent>;

export const ProviderReport = z.strictObject({ events: z.array(ProviderEvent).min(1).max(1000) });
export type ProviderReport = z.infer<typeof ProviderReport>;

/** What one report means for the delivery and the contact point. */
export interface ReportEffect {
  /** The provider status to record (report-outcome.ts ranks it). */
  status: 'delivered' | 'bounced' | 'complained' | 'failed';
  /** Why the contact point goes on the suppression list, if it does. */
  suppress?: 'hard-bounce' | 'complaint' | 'dead-contact';
}

export function reportEffect(e: ProviderEvent): ReportEffect {
  switch (e.type) {
    case 'delivered':
      return { status: 'delivered' };
    case 'bounced':
      return e.bounce === 'soft' ? { status: 'bounced' } : { status: 'bounced', suppress: 'hard-bounce' };
    case 'complained':
      return { status: 'complained', suppress: 'complaint' };
    case 'failed':
      return (DEAD_CONTACT_CODES as readonly string[]).includes(e.code ?? '')
        ? { status: 'failed', suppress: 'dead-contact' }
        : { status: 'failed' };
    default:
      return assertNever(e.type);
  }
}

/** How far a signature's time may lie from now: a captured request cannot be replayed later. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** The `X-Tideflow-Signature` header of `body` sent at `at`. */
export function providerSignature(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${hmac(secret, `${t}.${body}`)}`;
}

/** Whether `header` signs `body` with `secret`, within the tolerance of `now`. */
export function verifyProviderSignature(
  secret: string | undefined,
  header: string | undefined,
  body: string,
  now: Date,
): boolean {
  if (!secret || !header) return false;
  const parts = new Map(
    header.split(',').map((p) => {
      const i = p.indexOf('=');
      return [p.slice(0, i).trim(), p.slice(i + 1).trim()] as const;
    }),
  );
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1');
  if (!Number.isInteger(t) || !v1 || Math.abs(now.getTime() / 1000 - t) > SIGNATURE_TOLERANCE_SECONDS) return false;
  const want = Buffer.from(hmac(secret, `${t}.${body}`));
  const got = Buffer.from(v1);
  return got.length === want.length && timingSafeEqual(got, want);
}

function hmac(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('hex');
}

/** Ids of suppression reasons, as the profile keeps them. */
export type SuppressionReason = NonNullable<ReportEffect['suppress']>;
