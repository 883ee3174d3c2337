import { Channel } from '../domain/profile.js';
import { isSmsOptOut, outcomeEventId, unsubscribeSource, withdrawnConsent } from '../domain/report-outcome.js';
import { ingest } from '../ingest/ingest.js';
import { emit, type TrackPorts } from './record-status.js';
import type { TrackedDelivery } from '../ports/outcome-store.js';

/**
 * Unsubscribes: the signed one-click link of a message (email List-Unsubscribe, the link in push
 * data), an SMS reply (T, TD, 退订…) and a push topic opt-out. Each withdraws consent on the
 * profile (consent.<channel> = { granted: false, at, source }) through the profile store and is
 * recorded as an `unsubscribed` event.
 */

export type LinkCheck =
  { ok: true; delivery: TrackedDelivery } | { ok: false; reason: 'no-secret' | 'bad-signature' | 'no-delivery' };

/** Checks an unsubscribe link's signature and finds its delivery. */
export async function checkUnsubscribeLink(
  ports: TrackPorts,
  deliveryId: string,
  signature: string | undefined,
): Promise<LinkCheck> {
  if (!ports.signer) return { ok: false, reason: 'no-secret' };
  if (!ports.signer.verify('unsubscribe', deliveryId, signature)) return { ok: false, reason: 'bad-signature' };
  const delivery = await ports.outcomes.delivery(deliveryId);
  return delivery ? { ok: true, delivery } : { ok: false, reason: 'no-delivery' };
}

/**
 * Withdraws the user's consent on a channel unless it is withdrawn already (the first
 * withdrawal's time and source stay the evidence); true when it changed. The withdrawal is stamped
 * now, or with the stored grant's time when that is later (a grant stored before consent times
 * were held to the clock): at the same instant a withdrawal outranks a grant, so the user's
 * opt-out always takes effect.
 */
export async function withdrawConsent(
  ports: TrackPorts,
  userId: string,
  channel: Channel,
  source: string,
): Promise<boolean> {
  const profile = await ports.profiles.get(userId);
  const stored = profile?.consent?.[channel];
  if (stored?.granted === false) return false;
  const now = ports.clock();
  const at = stored && stored.at.getTime() > now.getTime() ? stored.at : now;
  await ports.profiles.update(userId, { consent: { [channel]: withdrawnConsent(at, source) } }, now);
  return true;
}

/** One-click unsubscribe from a delivery's channel (RFC 8058 POST, or the confirmation page's button). */
export async function unsubscribeDelivery(
  ports: TrackPorts,
  d: TrackedDelivery,
  how: 'one-click' | 'link',
): Promise<void> {
  const channel = Channel.safeParse(d.channel);
  if (!channel.success) return;
  const now = ports.clock();
  await withdrawConsent(ports, d.userId, channel.data, unsubscribeSource(channel.data, how));
  await ports.outcomes.recordUnsubscribe(d._id, now);
  await emit(ports, d, 'unsubscribed', outcomeEventId('unsubscribed', d._id), now, { how });
}

/** Push topic opt-out from a delivery's link: the topic leaves the user's topics; push consent stays. */
export async function optOutTopic(ports: TrackPorts, d: TrackedDelivery, topic: string): Promise<boolean> {
  const now = ports.clock();
  const removed = await ports.outcomes.removeTopic(d.userId, topic, now);
  await emit(ports, d, 'unsubscribed', outcomeEventId('unsubscribed', d._id, topic), now, {
    how: 'topic',
    topic,
    channel: 'push',
  });
  return removed;
}

/** An SMS someone sent to the platform's number. */
export interface InboundSms {
  /** The provider's id of the incoming message: the event id derives from it. */
  messageId: string;
  from: string;
  body: string;
}

/** An opt-out reply withdraws SMS consent of every user with that phone; returns how many users. */
export async function inboundSms(ports: TrackPorts, sms: InboundSms): Promise<number> {
  if (!isSmsOptOut(sms.body)) return 0;
  const users = await ports.outcomes.usersByPhone(sms.from);
  const now = ports.clock();
  for (const userId of users) {
    await withdrawConsent(ports, userId, 'sms', unsubscribeSource('sms', 'reply'));
    await ingest(ports.ingest, [
      {
        id: outcomeEventId('unsubscribed', 'sms-reply', sms.messageId, userId),
        userId,
        type: 'unsubscribed',
        ts: now.toISOString(),
        props: { channel: 'sms', how: 'reply', reply: sms.body.trim().slice(0, 32) },
      },
    ]);
  }
  return users.length;
}
