import { randomUUID } from 'node:crypto';
import type { Campaign } from '../domain/campaign.js';
import { effectiveLimits } from '../domain/campaign-limits.js';
import { retryDelayMs, type Delivery, type Lease, type RetryPolicy } from '../domain/delivery.js';
import type { Policy } from '../domain/gates.js';
import type { Profile } from '../domain/profile.js';
import { nextAllowedTime } from '../domain/quiet-hours.js';
import { assertNever } from '../errors.js';
import type { Channel, Channels, OutgoingMessage, SendResult } from './channel-port.js';
import { buildMessage, type MessageContext } from './deliver-message.js';
import { recoverStale } from './deliver-recover.js';
import type { Clock } from './ports.js';
import type { CampaignDirectory } from './run-campaigns.js';
import type { BudgetStore, DeliveryLedger, GrantStore, ProfileBatch, Settlement } from './run-ports.js';

export interface DeliverPorts extends MessageContext {
  ledger: DeliveryLedger;
  grants: GrantStore;
  budgets: Pick<BudgetStore, 'charge' | 'release'>;
  profiles: ProfileBatch;
  channels: Channels;
  campaigns: Pick<CampaignDirectory, 'list'>;
  clock: Clock;
  policy: Policy;
  retry: RetryPolicy;
  /** How long a sender holds a claimed delivery; past it the delivery is reconciled. Longer than a provider timeout. */
  leaseMs: number;
  /** Sends in flight at once. */
  concurrency: number;
}

export type DeliverOutcome = Settlement['state'] | 'lost' | 'postponed';

export interface DeliverCounts {
  picked: number;
  sent: number;
  failed: number;
  unknown: number;
  skipped: number;
  /** Back to planned: a retryable answer, or quiet hours. */
  later: number;
  /** Another sender claimed them first. */
  lost: number;
  /** Stale claims reconciled before sending. */
  reconciled: number;
}

/**
 * One pass of the outbox: reconcile deliveries left `sending` by a dead sender, then claim and
 * send up to `limit` planned deliveries that are due, of campaigns that are active.
 */
export async function deliverDue(ports: DeliverPorts, limit = 200): Promise<DeliverCounts> {
  const counts: DeliverCounts = { picked: 0, sent: 0, failed: 0, unknown: 0, skipped: 0, later: 0, lost: 0, reconciled: 0 };
  counts.reconciled = await recoverStale(ports, ports.clock());
  const active = (await ports.campaigns.list()).filter((c) => c.status === 'active');
  const byId = new Map(active.map((c) => [c.id, c]));
  const due = await ports.ledger.due(ports.clock(), limit, [...byId.keys()]);
  counts.picked = due.length;
  const profiles = new Map((await ports.profiles.getMany([...new Set(due.map((d) => d.userId))])).map((p) => [p._id, p]));
  await inPool(due, ports.concurrency, async (d) => {
    const outcome = await deliverOne(ports, byId.get(d.campaignId) as Campaign, d, profiles.get(d.userId));
    tally(counts, outcome);
  });
  return counts;
}

function tally(counts: DeliverCounts, outcome: DeliverOutcome): void {
  switch (outcome) {
    case 'sent': case 'failed': case 'unknown': case 'skipped': counts[outcome]++; return;
    case 'planned': case 'postponed': counts.later++; return;
    case 'lost': counts.lost++; return;
    default: assertNever(outcome);
  }
}

/** Runs `work` over `items` with at most `size` in flight. */
export async function inPool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, lane));
}

/**
 * Sends one planned delivery. In order: quiet hours (still allowed now?), consent and the rendered
 * message, the claim (one sender wins), the budget charge, the grant, the provider, the outcome.
 * Nothing is charged or granted for a message that cannot be built.
 */
export async function deliverOne(ports: DeliverPorts, c: Campaign, d: Delivery, profile: Profile | undefined): Promise<DeliverOutcome> {
  const now = ports.clock();
  const window = d.channel ? effectiveLimits(c.limits, ports.policy.limits).quietHours[d.channel] : null;
  const allowed = nextAllowedTime(now, window, d.timezone ?? 'UTC');
  if (allowed.getTime() > now.getTime()) {
    await ports.ledger.postpone(d._id, allowed, now);
    return 'postponed';
  }
  const token = randomUUID();
  const ready = prepare(ports, c, d, profile);
  const fingerprint = ready.ok ? ready.channel.fingerprint?.(ready.message) : undefined;
  const lease: Lease = { token, until: new Date(now.getTime() + ports.leaseMs), at: now, ...(fingerprint ? { fingerprint } : {}) };
  // A first charge is announced with the claim itself (see dueCharge), saving a round trip.
  const announce = (d.budgetFen ?? 0) > 0 && d.charge === undefined;
  if (!(await ports.ledger.claim(d._id, lease, now, announce))) return 'lost';
  const held: Delivery = { ...d, attempts: (d.attempts ?? 0) + 1, ...(announce ? { charge: 'pending' as const } : {}) };
  const settle = async (o: Settlement): Promise<DeliverOutcome> => {
    // Reached no one: what this or an earlier attempt took goes back.
    if (o.state === 'failed' || o.state === 'skipped') await giveBack(ports, held, token);
    const taken = { ...(held.charge === 'done' ? { charge: held.charge } : {}), ...(held.grantId ? { grantId: held.grantId } : {}) };
    await ports.ledger.settle(d._id, token, o, ports.clock(), taken);
    return o.state;
  };
  if (!ready.ok) return settle(ready.settlement);
  const { channel, message } = ready;
  if (!(await ports.budgets.charge(held.campaignId, dueCharge(held)))) {
    return settle({ state: 'skipped', reason: 'budget', detail: `${held.budgetFen ?? 0} fen did not fit at send time` });
  }
  if (held.charge === 'pending') held.charge = 'done';
  if (held.incentive) {
    await ports.grants.issue({ _id: d._id, campaignId: d.campaignId, occurrence: d.occurrence, userId: d.userId, grant: held.incentive, status: 'issued', issuedAt: now });
    held.grantId = d._id;
  }
  const handover = async (): Promise<void> => {
    if (!(await ports.ledger.handover(d._id, token, ports.clock()))) throw new Error('the claim on this delivery was lost');
  };
  const result = await channel.send(message, channel.announcesHandover ? handover : undefined);
  return settle(settlementOf(ports, held, result));
}

type Prepared = { ok: true; channel: Channel; message: OutgoingMessage } | { ok: false; settlement: Settlement };

/**
 * Consent again at send time, the channel, the rendered message: all decided before the claim, so
 * the claim can carry the message's fingerprint; an answer other than ok settles the claim.
 */
function prepare(ports: DeliverPorts, c: Campaign, d: Delivery, profile: Profile | undefined): Prepared {
  const consent = d.channel ? profile?.consent?.[d.channel] : undefined;
  if (!profile || !consent?.granted) {
    return { ok: false, settlement: { state: 'skipped', reason: consent ? 'unsubscribed' : 'no-consent', detail: 'consent checked again at send time' } };
  }
  const channel = d.channel ? ports.channels[d.channel] : undefined;
  if (!channel) return { ok: false, settlement: { state: 'failed', reason: 'channel-unavailable', detail: `${d.channel ?? '?'} is not configured here` } };
  const built = buildMessage(ports, c, d, profile);
  if (!built.ok) return { ok: false, settlement: { state: 'failed', reason: built.reason, detail: built.detail } };
  return { ok: true, channel, message: built.message };
}

function settlementOf(ports: DeliverPorts, d: Delivery, r: SendResult): Settlement {
  const now = ports.clock();
  switch (r.kind) {
    case 'sent': return { state: 'sent', providerId: r.providerId, sentAt: now };
    case 'failed': return { state: 'failed', reason: 'rejected', detail: r.code ? `${r.code}: ${r.reason}` : r.reason };
    case 'unknown': return { state: 'unknown', reason: 'no-answer', detail: r.reason };
    case 'retryable': {
      const delay = retryDelayMs(d.attempts ?? 1, ports.retry);
      if (delay === null) return { state: 'failed', reason: 'retries-exhausted', detail: `${d.attempts ?? 1} attempts, last: ${r.reason}` };
      return { state: 'planned', dueAt: new Date(now.getTime() + delay), detail: `attempt ${d.attempts ?? 1}: ${r.reason}` };
    }
    default: return assertNever(r);
  }
}

/**
 * What this attempt charges to the budget: the send's cost while its charge is `pending`, nothing
 * once `done`. `pending` is written with the claim, `done` with the outcome, so a charge is made
 * once across retries. A `pending` left by a crash is charged again, since nobody knows whether
 * the first went through: counting one twice can only leave budget unspent, never overspend it.
 */
function dueCharge(d: Delivery): number {
  return d.charge === 'pending' ? (d.budgetFen ?? 0) : 0;
}

/**
 * A delivery that ends without reaching anyone gives back what an attempt of it took: the grant is
 * revoked and a charge known to be made is returned (an unclear one stays spent).
 */
async function giveBack(ports: DeliverPorts, d: Delivery, token: string): Promise<void> {
  if (d.incentive) await ports.grants.revoke(d._id, ports.clock());
  if (d.charge !== 'done') return;
  // Recorded before the money moves: a crash in between leaves it spent, never returned twice.
  await ports.ledger.mark(d._id, token, { charge: 'released' });
  d.charge = 'released';
  await ports.budgets.release(d.campaignId, d.budgetFen ?? 0);
}
