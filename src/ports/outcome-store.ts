import type { Delivery } from '../domain/delivery.js';
import type { Channel, Suppression } from '../domain/profile.js';

/** What tracking reads of a delivery. */
export type TrackedDelivery = Pick<Delivery, '_id' | 'campaignId' | 'userId' | 'state' | 'channel' | 'providerId'>;

/**
 * Outcome marks on the ledger (`deliveries`), kept apart from the sending states: a provider's
 * report or a click never changes whether Tideflow sent a message, only what became of it.
 */
export interface OutcomeStore {
  delivery(id: string): Promise<TrackedDelivery | null>;
  /**
   * Sets the provider status if it ranks above the stored one (statuses only move forward);
   * returns the status stored afterwards.
   */
  advanceStatus(id: string, status: string, rank: number, at: Date): Promise<string | undefined>;
  /** Keeps the first click's time and counts every click. */
  recordClick(id: string, at: Date): Promise<void>;
  recordUnsubscribe(id: string, at: Date): Promise<void>;
  /**
   * A provider proved a delivery recorded `unknown` left (its delivery report): it becomes `sent`.
   * True when it was `unknown`; any other state is left as it is.
   */
  confirmSent(id: string, at: Date, providerId: string | undefined): Promise<boolean>;
  /**
   * Puts `to` on the user's suppression list for `channel` (profile `suppressions`) unless that
   * contact point is there already; true when it changed.
   */
  suppress(userId: string, channel: Channel, s: Suppression): Promise<boolean>;
  /** Users whose phone is `phone` (E.164). */
  usersByPhone(phone: string): Promise<string[]>;
  /** Removes a push topic from a user's topics; true when it was there. */
  removeTopic(userId: string, topic: string, at: Date): Promise<boolean>;
}
