import { randomUUID } from 'node:crypto';
import type { Campaign } from '../domain/campaign.js';
import { retryDelayMs, type Delivery, type Lease, type RetryPolicy } from '../domain/delivery.js';
import type { Policy } from '../domain/gates.js';
import { maskKnown } from '../domain/mask.js';
import type { Profile } from '../domain/profile.js';
import { assertNever } from '../errors.js';
import type { Channels, SendResult } from '../ports/channel.js';
import { chargeAll, createSettler, grantAll, type Attempt, type Prepared } from './charge-and-grant.js';
import { buildMessage, type MessageContext } from './build-message.js';
import { smsCostByParts, type SmsCost } from '../domain/sms-cost.js';
import { smsLength } from '../domain/sms-length.js';
import { recoverStale } from './recover-stale.js';
import type { CampaignDirectory } from '../decide/campaign-directory.js';
import type { Clock } from '../ports/clock.js';
import type { BudgetStore } from '../ports/budget-store.js';
import type { ClaimRequest, DeliveryLedger, Settlement } from '../ports/delivery-ledger.js';
import type { GrantStore } from '../ports/grant-store.js';
import type { ProfileBatch } from '../ports/audience.js';
import { settleReceipts, passReceipts, type PassReceipts } from './deliver-receipts.js';
import { capRequests, checkAtSendTime, type SendTimeCheck } from './deliver-gate.js';
import type { ContactCaps } from '../ports/contact-caps.js';

export interface DeliverPorts extends MessageContext {
  ledger: DeliveryLedger;
  grants: GrantStore;
  budgets: Pick<BudgetStore, 'charge' | 'release' | 'keep' | 'receipts'>;
  profiles: ProfileBatch;
  /** The frequency-cap slots planning holds; a send going out on another day takes that day's. */
  contactCaps?: ContactCaps;
  channels: Channels;
  campaigns: Pick<CampaignDirectory, 'list'>;
  clock: Clock;
  policy: Policy;
  retry: RetryPolicy;
  /** How long a sender holds a claimed delivery; past it the delivery is reconciled. Longer than a provider timeout. */
  leaseMs: number;
  /** Sends in flight at once. */
  concurrency: number;
  /**
   * Longest a provider call runs before it gives up (TIDEFLOW_CHANNEL_TIMEOUT_MS): a claimed message
   * is sent only while its lease outlasts it. @defaultValue leaseMs / 2
   */
  sendTimeoutMs?: number;
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
 * One pass of the outbox: reconcile deliveries left `sending` by a dead sender, then send up to
 * `limit` planned deliveries that are due, of campaigns that are active. In order: the channel
 * gates again, as planning applies them (consent, contact point, suppression, quiet hours, the cap
 * periods of the day: deliver-gate.ts), the rendered message, the claims (one sender wins each), the
 * budget charges, the grants, the sends, the outcomes. The claims, charges and grants of a pass are
 * written in bulk before its sends (see deliver-batch.ts), the outcomes in groups while they go
 * on. Nothing is charged or granted for a message that cannot be built.
 */
export async function deliverDue(ports: DeliverPorts, limit = 200): Promise<DeliverCounts> {
  const counts: DeliverCounts = {
    picked: 0,
    sent: 0,
    failed: 0,
    unknown: 0,
    skipped: 0,
    later: 0,
    lost: 0,
    reconciled: 0,
  };
  counts.reconciled = await recoverStale(ports, ports.clock());
  await settleReceipts(ports, ports.clock());
  const active = (await ports.campaigns.list()).filter((c) => c.status === 'active');
  const byId = new Map(active.map((c) => [c.id, c]));
  const due = await ports.ledger.due(ports.clock(), limit, [...byId.keys()]);
  counts.picked = due.length;
  if (due.length === 0) return counts;
  const profiles = new Map(
    (await ports.profiles.getMany([...new Set(due.map((d) => d.userId))])).map((p) => [p._id, p]),
  );
  const settler = createSettler(ports.ledger, ports.clock);
  const receipts = passReceipts();
  const settle = async (a: Attempt, o: Settlement): Promise<void> => {
    // Reached no one: what this or an earlier attempt took goes back (the money after the outcome is recorded).
    if (o.state === 'failed' || o.state === 'skipped') await giveBack(ports, a.held, receipts);
    else if (o.state !== 'planned') receipts.keep(a.held);
    const { charge, grantId } = a.held;
    settler.add({
      id: a.held._id,
      token: a.token,
      outcome: o,
      taken: { ...(charge === 'done' || charge === 'released' ? { charge } : {}), ...(grantId ? { grantId } : {}) },
    });
    tally(counts, o.state);
  };
  // Claimed a few sends per lane ahead, so a claim is sent soon after it is taken.
  const waves = inWaves(due, ports.concurrency * 2, async (wave) => {
    const attempts = await claimDue(
      ports,
      wave.map((d) => ({ c: byId.get(d.campaignId) as Campaign, d, profile: profiles.get(d.userId) })),
      counts,
    );
    const ready = [];
    for (const a of attempts) {
      if (a.ready.ok) ready.push(a);
      else await settle(a, a.ready.settlement);
    }
    const charged = await chargeAll(ports.budgets, ready, (a) =>
      settle(a, {
        state: 'skipped',
        reason: 'budget',
        detail: `${a.held.budgetFen ?? 0} fen did not fit at send time`,
      }),
    );
    await grantAll(ports.grants, charged, ports.clock());
    return charged;
  });
  await inPool(waves, ports.concurrency, async (a) => settle(a, await send(ports, a)));
  await settler.finish();
  await receipts.apply(ports.budgets);
  return counts;
}

/**
 * The items prepared `size` at a time by `prepare`, as one list the pool takes from; the next wave
 * is prepared while the current one is taken, before it runs out.
 */
function inWaves<T, R>(items: readonly T[], size: number, prepare: (wave: T[]) => Promise<R[]>): AsyncIterable<R> {
  return {
    async *[Symbol.asyncIterator]() {
      let next = 0;
      const wave = (): Promise<R[]> | undefined => {
        if (next >= items.length) return undefined;
        const p = prepare(items.slice(next, (next += size)));
        // Awaited below; until then a failure must not count as unhandled.
        p.catch(() => undefined);
        return p;
      };
      let coming = wave();
      while (coming) {
        const current = await coming;
        coming = undefined;
        for (let i = 0; i < current.length; i++) {
          // Half way through this wave, the next one is claimed.
          if (!coming && i >= current.length / 2) coming = wave();
          yield current[i] as R;
        }
        coming ??= wave();
      }
    },
  };
}

function tally(counts: DeliverCounts, outcome: DeliverOutcome): void {
  switch (outcome) {
    case 'sent':
    case 'failed':
    case 'unknown':
    case 'skipped':
      counts[outcome]++;
      return;
    case 'planned':
    case 'postponed':
      counts.later++;
      return;
    case 'lost':
      counts.lost++;
      return;
    default:
      assertNever(outcome);
  }
}

/** Runs `work` over `items` (a list, or a stream taken from as lanes free up) with at most `size` in flight. */
export async function inPool<T>(
  items: readonly T[] | AsyncIterable<T>,
  size: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  if (Array.isArray(items)) {
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < items.length) await work(items[next++] as T);
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, lane));
    return;
  }
  // An async generator answers its callers' next() one after another, in order.
  const it = (items as AsyncIterable<T>)[Symbol.asyncIterator]();
  const lane = async (): Promise<void> => {
    for (let r = await it.next(); !r.done; r = await it.next()) await work(r.value);
  };
  await Promise.all(Array.from({ length: Math.max(1, size) }, lane));
}

/**
 * Postpones what quiet hours hold back, prepares the rest and claims it in one bulk write; returns
 * the attempts this pass holds (counting the postponed and those another sender claimed first).
 */
async function claimDue(
  ports: DeliverPorts,
  items: { c: Campaign; d: Delivery; profile: Profile | undefined }[],
  counts: DeliverCounts,
): Promise<Attempt[]> {
  const now = ports.clock();
  const wanted: Attempt[] = [];
  const claims: ClaimRequest[] = [];
  const checked = [];
  for (const item of items) {
    const check = checkAtSendTime(item.c, item.d, item.profile, now, ports.policy);
    if (check.kind !== 'later') {
      checked.push({ ...item, check });
      continue;
    }
    await ports.ledger.postpone(item.d._id, check.until, now);
    tally(counts, 'postponed');
  }
  const capped = await holdCapsAtSendTime(ports, checked, now);
  for (const { c, d, check } of checked) {
    const ready: Prepared =
      check.kind === 'stop'
        ? { ok: false, settlement: check.settlement }
        : capped.has(d._id)
          ? { ok: false, settlement: { state: 'skipped', reason: 'frequency-cap', detail: CAP_TAKEN } }
          : prepare(ports, c, d, check.profile);
    const fingerprint = ready.ok ? ready.channel.fingerprint?.(ready.message) : undefined;
    const lease: Lease = {
      token: randomUUID(),
      until: new Date(now.getTime() + ports.leaseMs),
      at: now,
      ...(fingerprint ? { fingerprint } : {}),
    };
    const cost = ready.ok && d.channel === 'sms' ? smsCostOf(c, d, ready.message.text) : undefined;
    const costed: Delivery = cost ? { ...d, ...cost } : d;
    // A first charge is announced with the claim itself (see dueCharge), saving a round trip.
    const announce = (costed.budgetFen ?? 0) > 0 && d.charge === undefined;
    claims.push({ id: d._id, lease, announceCharge: announce, ...(cost ? { cost } : {}) });
    const held: Delivery = {
      ...costed,
      attempts: (d.attempts ?? 0) + 1,
      ...(announce ? { charge: 'pending' as const } : {}),
    };
    wanted.push({ campaign: c, held, token: lease.token, ready, leaseUntil: lease.until });
  }
  const won = await ports.ledger.claimMany(claims, now);
  for (let i = won.size; i < wanted.length; i++) tally(counts, 'lost');
  return wanted.filter((a) => won.has(a.held._id));
}

/** An SMS costs by its parts, as the claim records it before any charge (domain/sms-cost.ts). */
function smsCostOf(c: Campaign, d: Delivery, text: string): SmsCost | undefined {
  return smsCostByParts(d, smsLength(text).parts, c.budget?.includeMessageCost === true);
}

/**
 * Sends one claimed message. A claim whose lease would run out before the provider call could give
 * up is not sent but handed back as planned: past its lease another sender may reconcile it.
 */
async function send(ports: DeliverPorts, a: Attempt): Promise<Settlement> {
  if (!a.ready.ok) return a.ready.settlement;
  const { channel, message } = a.ready;
  const now = ports.clock();
  if (now.getTime() + (ports.sendTimeoutMs ?? ports.leaseMs / 2) >= a.leaseUntil.getTime()) {
    return { state: 'planned', dueAt: now, detail: 'its claim ran too short to send it' };
  }
  const handover = async (): Promise<void> => {
    if (!(await ports.ledger.handover(a.held._id, a.token, ports.clock())))
      throw new Error('the claim on this delivery was lost');
  };
  const result = await channel.send(message, channel.announcesHandover ? handover : undefined);
  return maskedDetail(settlementOf(ports, a.held, result), message.to);
}

/** A provider's text may echo the number, address or token it refused: masked before the ledger keeps it. */
function maskedDetail(s: Settlement, to: string): Settlement {
  return s.state !== 'sent' && s.detail ? { ...s, detail: maskKnown(s.detail, [to]) } : s;
}

const CAP_TAKEN = 'the day it goes out has no slot left under the caps, checked again at send time';

/**
 * Sends that go out in a cap period planning did not hold (a day later than planned) take its
 * slots now, atomically like planning; returns the delivery keys refused.
 */
async function holdCapsAtSendTime(
  ports: DeliverPorts,
  checked: { d: Delivery; check: SendTimeCheck }[],
  now: Date,
): Promise<Set<string>> {
  const requests = capRequests(checked);
  if (requests.length === 0 || !ports.contactCaps) return new Set();
  const held = await ports.contactCaps.reserve(requests, now);
  return new Set(requests.filter((r) => !held.has(r.key)).map((r) => r.key));
}

/**
 * The channel and the rendered message of a send the gates let through, decided before the claim
 * so the claim can carry the message's fingerprint; an answer other than ok settles the claim.
 */
function prepare(ports: DeliverPorts, c: Campaign, d: Delivery, profile: Profile): Prepared {
  const channel = d.channel ? ports.channels[d.channel] : undefined;
  if (!channel)
    return {
      ok: false,
      settlement: {
        state: 'failed',
        reason: 'channel-unavailable',
        detail: `${d.channel ?? '?'} is not configured here`,
      },
    };
  const built = buildMessage(ports, c, d, profile);
  if (!built.ok) return { ok: false, settlement: { state: 'failed', reason: built.reason, detail: built.detail } };
  return { ok: true, channel, message: built.message };
}

function settlementOf(ports: DeliverPorts, d: Delivery, r: SendResult): Settlement {
  const now = ports.clock();
  switch (r.kind) {
    case 'sent':
      return { state: 'sent', providerId: r.providerId, sentAt: now };
    case 'failed':
      return { state: 'failed', reason: 'rejected', detail: r.code ? `${r.code}: ${r.reason}` : r.reason };
    case 'unknown':
      return { state: 'unknown', reason: 'no-answer', detail: r.reason };
    case 'retryable': {
      const delay = retryDelayMs(d.attempts ?? 1, ports.retry);
      if (delay === null)
        return {
          state: 'failed',
          reason: 'retries-exhausted',
          detail: `${d.attempts ?? 1} attempts, last: ${r.reason}`,
        };
      return {
        state: 'planned',
        dueAt: new Date(now.getTime() + delay),
        detail: `attempt ${d.attempts ?? 1}: ${r.reason}`,
      };
    }
    default:
      return assertNever(r);
  }
}

/**
 * A delivery that ends without reaching anyone gives back what an attempt of it took: the grant is
 * revoked and its charge returned, by its receipt: whatever attempt made it (one a crash cut off
 * included), and nothing if none did. The return is recorded with the outcome and the money moves
 * after it; a crash in between leaves the receipt, which the next pass settles (deliver-receipts.ts).
 */
async function giveBack(ports: DeliverPorts, d: Delivery, receipts: PassReceipts): Promise<void> {
  if (d.incentive) await ports.grants.revoke(d._id, ports.clock());
  receipts.giveBack(d);
}
