import { type Channel, contactPoint } from '../domain/profile.js';
import { reportEffect, type ProviderEvent } from '../domain/provider-report.js';
import { outcomeEventId, unsubscribeSource } from '../domain/report-outcome.js';
import { emit, recordStatus, type StatusOutcome, type TrackPorts } from './record-status.js';
import { withdrawConsent } from './unsubscribe.js';

/**
 * Delivery reports of the email provider and the push gateway (domain/provider-report.ts). Each
 * moves the delivery's status forward like a Twilio callback (a delivery report also confirms a
 * send recorded `unknown`), and a hard bounce, a complaint or a dead push token puts the contact
 * point on the user's suppression list, which the campaign gates read (`suppressed`). A complaint
 * also withdraws email consent: the user said they do not want these messages. Replays change
 * nothing: statuses only move forward, the list holds a contact point once, events have fixed ids.
 */
export async function recordProviderEvent(
  ports: TrackPorts,
  channel: Channel,
  e: ProviderEvent,
): Promise<StatusOutcome> {
  const d = await ports.outcomes.delivery(e.deliveryId);
  if (!d || d.channel !== channel) return 'ignored';
  const effect = reportEffect(e);
  const outcome = await recordStatus(ports, { deliveryId: d._id, providerId: e.providerId, status: effect.status });
  if (outcome === 'ignored' || !effect.suppress) return outcome;
  const to = e.recipient ?? contactOf(await ports.profiles.get(d.userId), channel);
  const now = ports.clock();
  if (to) await ports.outcomes.suppress(d.userId, channel, { to, reason: effect.suppress, at: now });
  if (effect.suppress === 'complaint') {
    await withdrawConsent(ports, d.userId, channel, unsubscribeSource(channel, 'complaint'));
    await emit(ports, d, 'unsubscribed', outcomeEventId('unsubscribed', d._id, 'complaint'), now, { how: 'complaint' });
  }
  return outcome;
}

function contactOf(profile: Parameters<typeof contactPoint>[0] | null, channel: Channel): string | undefined {
  return profile ? contactPoint(profile, channel) : undefined;
}
