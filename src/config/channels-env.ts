import { z } from 'zod';
import { SmsSignature } from '../domain/sms-signature.js';

/** A boolean environment variable: 1/true or 0/false. */
export const Bool = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');
const Yuan = z.coerce.number().min(0).max(100);
const Port = z.coerce.number().int().min(1).max(65535);

/**
 * The environment of the message channels, part of Config. A channel is configured when its
 * address is set: SMTP_HOST (email), TWILIO_ACCOUNT_SID (sms), PUSH_GATEWAY_URL (push).
 */
export const ChannelEnv = {
  /**
   * `sandbox`: every command that sends starts local receivers in place of the providers below and
   * keeps what they receive (`tideflow inbox`), as `--sandbox` does. @defaultValue providers
   */
  TIDEFLOW_CHANNELS: z.enum(['providers', 'sandbox']).default('providers'),
  /** Public base URL of this Tideflow: unsubscribe links and provider callbacks point here. @defaultValue http://localhost:8080 */
  TIDEFLOW_PUBLIC_URL: z.url({ protocol: /^https?$/ }).default('http://localhost:8080'),
  /** How long a channel waits for its provider before the outcome is unknown. @defaultValue 10000 */
  TIDEFLOW_CHANNEL_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),

  /** SMTP relay for the email channel. */
  SMTP_HOST: z.string().min(1).optional(),
  /** @defaultValue 587 */
  SMTP_PORT: Port.default(587),
  /** Implicit TLS (port 465); otherwise STARTTLS when offered. @defaultValue false */
  SMTP_SECURE: Bool.default(false),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASS: z.string().min(1).optional(),
  /** Sender of campaign email. @defaultValue Tideflow <noreply@tideflow.local> */
  SMTP_FROM: z.string().min(3).default('Tideflow <noreply@tideflow.local>'),
  /** Mailbox offered as `List-Unsubscribe: <mailto:…>` beside the one-click link. */
  SMTP_UNSUBSCRIBE_MAILTO: z.email().optional(),
  /** Yuan per email. @defaultValue 0 */
  TIDEFLOW_EMAIL_COST: Yuan.default(0),

  /** Twilio account for the SMS channel (`AC…`). */
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, { message: 'AC followed by 32 hex digits' })
    .optional(),
  TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  /** Sender number or alphanumeric sender id; or use TWILIO_MESSAGING_SERVICE_SID. */
  TWILIO_FROM: z.string().min(1).optional(),
  TWILIO_MESSAGING_SERVICE_SID: z
    .string()
    .regex(/^MG[0-9a-fA-F]{32}$/, { message: 'MG followed by 32 hex digits' })
    .optional(),
  /** Messages API base URL in place of https://api.twilio.com (a Twilio-compatible gateway or the local endpoint). */
  TWILIO_API_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** The sender's signature every SMS starts with, in 【】 (e.g. 潮汐基金); a campaign's smsSignature wins. */
  TIDEFLOW_SMS_SIGNATURE: SmsSignature.optional(),
  /** Yuan per SMS. @defaultValue 0.05 */
  TIDEFLOW_SMS_COST: Yuan.default(0.05),

  /** Push gateway endpoint for the push channel. */
  PUSH_GATEWAY_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Bearer token for the push gateway. */
  PUSH_GATEWAY_TOKEN: z.string().min(1).optional(),
  /** Yuan per push notification. @defaultValue 0 */
  TIDEFLOW_PUSH_COST: Yuan.default(0),
};
