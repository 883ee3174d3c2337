import { assertNever } from '../errors.js';
import type { Channels, LookupResult } from './channel-port.js';
import type { DeliveryLedger } from './run-ports.js';

export interface RecoverPorts {
  ledger: Pick<DeliveryLedger, 'stale' | 'settle'>;
  channels: Channels;
}

/**
 * Deliveries left `sending` past their lease belong to a sender that died (or hangs past every
 * timeout) after claiming them: the message may have left. They are never resent blindly. A
 * channel that can look the delivery up decides: found → sent; not found → planned again (safe
 * to send); otherwise → `unknown` (interrupted). Returns how many were reconciled.
 */
export async function recoverStale(ports: RecoverPorts, now: Date, limit = 200): Promise<number> {
  const stale = await ports.ledger.stale(now, limit);
  let done = 0;
  for (const d of stale) {
    const token = d.lease?.token;
    if (!token) continue;
    const channel = d.channel ? ports.channels[d.channel] : undefined;
    const found: LookupResult = channel?.lookup ? await channel.lookup(d._id) : { kind: 'unsupported' };
    switch (found.kind) {
      case 'found':
        await ports.ledger.settle(d._id, token, { state: 'sent', providerId: found.providerId, sentAt: now }, now);
        break;
      case 'not-found':
        await ports.ledger.settle(d._id, token, { state: 'planned', dueAt: now, detail: 'sender interrupted before the provider took it' }, now);
        break;
      case 'unsupported':
        await ports.ledger.settle(d._id, token, { state: 'unknown', reason: 'interrupted', detail: found.reason ?? 'sender stopped after claiming it' }, now);
        break;
      default:
        assertNever(found);
    }
    done++;
  }
  return done;
}
