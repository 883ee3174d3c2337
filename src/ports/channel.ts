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
export type LookupResult =
  { kind: 'found'; providerId: string } | { kind: 'not-found' } | { kind: 'unsupported'; reason?: string };

/** What recovery knows of a delivery whose sender died after claiming it: enough to ask the provider. */
export interface SentRef {
  /** The delivery's ledger key (the idempotency key of providers that take one). */
  deliveryId: string;
  /** The user's contact point for the channel now; absent when the profile no longer has one. */
  to?: string;
  /** When the sender claimed it: a message it handed over was taken after this. */
  since: Date;
  /** The channel's fingerprint of the message, recorded with the claim (see `Channel.fingerprint`). */
  fingerprint?: string;
}

/**
 * Records that the sender is about to hand the message over for good (the last step after which the
 * provider may take it), and resolves once that is durable; rejects if the sender lost its claim.
 */
export type Handover = () => Promise<void>;

/** A message provider behind the port. Implementations never throw for provider outcomes. */
export interface Channel {
  readonly name: ChannelName;
  /** How long `send` waits for the provider's answer; a sender starts no send its claim may not outlast. */
  readonly timeoutMs?: number;
  /** Cost of one message in yuan (SMS costs money; email and push nearly nothing). */
  readonly costPerMessage: number;
  /**
   * Sends one message. A channel that `announcesHandover` calls `handover` right before its point
   * of no return and waits for it; if it rejects, nothing is sent (`retryable`).
   */
  send(message: OutgoingMessage, handover?: Handover): Promise<SendResult>;
  /**
   * True when `send` calls `handover` before the provider can take the message: a claim whose
   * sender died without recording the handover was provably never sent, so sending it is safe.
   */
  readonly announcesHandover?: boolean;
  /**
   * A short digest of what `send` would hand the provider, recorded with the claim before sending,
   * for providers that can be searched by content but take no idempotency key (SMS). Optional.
   */
  fingerprint?(message: OutgoingMessage): string;
  /**
   * Asks the provider about a delivery, to reconcile a send whose sender died before recording the
   * answer. Optional: without it such a delivery is recorded `unknown` and never resent.
   */
  lookup?(ref: SentRef): Promise<LookupResult>;
  /** Releases sockets and pools. */
  close(): Promise<void>;
}

/** The channels configured in this process, by name; a missing one is not configured. */
export type Channels = Partial<Record<ChannelName, Channel>>;
