import type { Channel } from './profile.js';

/**
 * A message the sandbox channels received instead of a user: what the user would have seen.
 * SMS: `from` and `text`; push: `title` and `text` (the body); email: `from`, `title` (the
 * subject) and `text` (the plain-text part).
 */
export interface InboxMessage {
  channel: Channel;
  /** The delivery it came from; the campaign and the user are read off its key. */
  deliveryId: string;
  campaignId: string;
  userId: string;
  /** Phone number, address or device token. */
  to: string;
  from?: string;
  title?: string;
  text: string;
  receivedAt: Date;
}

/** Filters of `tideflow inbox` and `GET /v1/inbox`. */
export interface InboxQuery {
  userId?: string;
  campaignId?: string;
  /** @defaultValue 200 */
  limit?: number;
}

/** Where the sandbox channels keep what they received, so that another command can show it. */
export interface SandboxInbox {
  add(message: InboxMessage): Promise<void>;
  /** Oldest first, at most `limit` (the newest ones when there are more). */
  list(query: InboxQuery): Promise<InboxMessage[]>;
}

/**
 * Campaign and user of a delivery key (`campaign~occurrence~user`, domain/delivery.ts): the first
 * and the last part. A key of another shape names no campaign and is kept whole as the user.
 */
export function deliveryParts(deliveryId: string): { campaignId: string; userId: string } {
  const parts = deliveryId.split('~');
  if (parts.length < 3) return { campaignId: '', userId: deliveryId };
  return { campaignId: parts[0] as string, userId: parts[parts.length - 1] as string };
}
