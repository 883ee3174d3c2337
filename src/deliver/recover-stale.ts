import { randomUUID } from 'node:crypto';
import { contactPoint } from '../domain/profile.js';
import type { Delivery } from '../domain/delivery.js';
import { assertNever } from '../errors.js';
import type { Channels, LookupResult } from '../ports/channel.js';
import type { DeliveryLedger } from '../ports/delivery-ledger.js';
import type { ProfileBatch } from '../ports/audience.js';
import type { GrantStore } from '../ports/grant-store.js';

export interface RecoverPorts {
  ledger: Pick<DeliveryLedger, 'stale' | 'settle' | 'takeOver'>;
  profiles: ProfileBatch;
  channels: Channels;
  grants: Pick<GrantStore, 'existing'>;
}

/**
 * Deliveries left `sending` past their lease belong to a sender that died (or hangs past every
 * timeout) after claiming them: the message may have left. They are never resent blindly. A claim
 * on a channel that announces its handover and never recorded one was not sent, nor was one with an
 * incentive whose grant was never issued (grants go out before their sends); otherwise a channel
 * that can look the delivery up decides: found → sent; not found → planned again (safe to send);
 * otherwise → `unknown` (interrupted). Returns how many were reconciled.
 */
export async function recoverStale(ports: RecoverPorts, now: Date, limit = 200): Promise<number> {
  const stale = await ports.ledger.stale(now, limit);
  if (stale.length === 0) return 0;
  const profiles = new Map(
    (await ports.profiles.getMany([...new Set(stale.map((d) => d.userId))])).map((p) => [p._id, p]),
  );
  const granted = await ports.grants.existing(stale.filter((d) => d.incentive).map((d) => d._id));
  let done = 0;
  for (const old of stale) {
    if (!old.lease?.token) continue;
    // Fenced first: a sender that was slow, not dead, can no longer hand the message over.
    const token = randomUUID();
    const d = await ports.ledger.takeOver(old._id, old.lease.token, token);
    if (!d) continue;
    const profile = profiles.get(d.userId);
    const to = profile && d.channel ? contactPoint(profile, d.channel) : undefined;
    // A grant is issued before its message is sent: a delivery with an incentive and no grant never left.
    const found: LookupResult =
      d.incentive && !granted.has(d._id) ? { kind: 'not-found' } : await lookup(ports.channels, d, to);
    switch (found.kind) {
      case 'found':
        await ports.ledger.settle(d._id, token, { state: 'sent', providerId: found.providerId, sentAt: now }, now);
        break;
      case 'not-found':
        await ports.ledger.settle(
          d._id,
          token,
          { state: 'planned', dueAt: now, detail: 'sender interrupted before the provider took it' },
          now,
        );
        break;
      case 'unsupported':
        await ports.ledger.settle(
          d._id,
          token,
          { state: 'unknown', reason: 'interrupted', detail: found.reason ?? 'sender stopped after claiming it' },
          now,
        );
        break;
      default:
        assertNever(found);
    }
    done++;
  }
  return done;
}

async function lookup(channels: Channels, d: Delivery, to: string | undefined): Promise<LookupResult> {
  const channel = d.channel ? channels[d.channel] : undefined;
  // The channel would have recorded the handover before the provider could take the message.
  if (channel?.announcesHandover && d.lease?.at && !d.lease.handedOverAt) return { kind: 'not-found' };
  if (!channel?.lookup)
    return { kind: 'unsupported', reason: `${d.channel ?? 'the channel'} cannot be asked whether it took the message` };
  // A claim from before leases carried their time: the message could have gone any time since the decision.
  const since = d.lease?.at ?? d.decidedAt;
  return channel.lookup({
    deliveryId: d._id,
    since,
    ...(to ? { to } : {}),
    ...(d.lease?.fingerprint ? { fingerprint: d.lease.fingerprint } : {}),
  });
}
