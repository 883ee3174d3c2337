import type { Channel as ChannelName } from '../domain/profile.js';

/**
 * The channel port: what the deliver stage needs from a message provider. Adapters live in
 * src/channels (email over SMTP, SMS through the Twilio API, push through an HTTP gateway).
 */

/** One rendered message for one user on one channel. */
export interface OutgoingMessage {
  /**
   * The delivery's ledger key. Providers that accept an idempotency key get it (push gateway:
   * `Idempotency-Key`; email: the Message-ID is derived from it), so a resend of the same delivery
   * is recognisable downstream.
   */
  deliveryId: string;
  /** Contact point: E.164 phone (sms), address (email) or device token (push). */
  to: string;
  /** Email subject or push title; ignored by SMS. */
  subject?: string;
  /** Plain text body (the whole SMS, the push body, the text part of an email). */
  text: string;
  /** HTML part of an email, already escaped by the renderer. */
  html?: string;
  /** Signed one-click unsubscribe link (email List-Unsubscribe, push data). */
  unsubscribeUrl: string;
  /** Passed through to providers that keep it (push data); never required for delivery. */
  metadata?: Record<string, string>;
}

/**
 * What happened to one send, as a value. The kinds map onto the ledger states:
 * - `sent`: the provider accepted the message; `providerId` is its id (Twilio SID, SMTP queue id…).
 * - `retryable`: the provider did not take the message (throttled, temporarily down, 4xx SMTP
 *   reply, connection refused). Nothing reached the user; the caller backs off and tries again.
 * - `failed`: the provider refused the message for good (unsubscribed recipient, invalid address,
 *   5xx SMTP reply). Recorded as failed; retrying would get the same answer.
 * - `unknown`: the request left and no answer came back (timeout after the request was sent,
 *   connection reset after the SMTP DATA terminator). The message may have been delivered, so it
 *   is recorded `unknown` and never resent blindly.
 */
export type SendResult =
  | { kind: 'sent'; providerId: string }
  | { kind: 'retryable'; reason: string }
  | { kind: 'failed'; reason: string; code?: string }
  | { kind: 'unknown'; reason: string };

/**
 * What a provider knows of a delivery it may have been handed: `found` (it took the message),
 * `not-found` (it never did: sending again is safe), `unsupported` (it cannot tell).
 */
export type LookupResult = { kind: 'found'; providerId: string } | { kind: 'not-found' } | { kind: 'unsupported'; reason?: string };

/** A message provider behind the port. Implementations never throw for provider outcomes. */
export interface Channel {
  readonly name: ChannelName;
  /** Cost of one message in yuan (SMS costs money; email and push nearly nothing). */
  readonly costPerMessage: number;
  send(message: OutgoingMessage): Promise<SendResult>;
  /**
   * Asks the provider about a delivery by its id (the idempotency key it was sent with), to
   * reconcile a send whose sender died before recording the answer. Optional: without it such a
   * delivery is recorded `unknown` and never resent.
   */
  lookup?(deliveryId: string): Promise<LookupResult>;
  /** Releases sockets and pools. */
  close(): Promise<void>;
}

/** The channels configured in this process, by name; a missing one is not configured. */
export type Channels = Partial<Record<ChannelName, Channel>>;
