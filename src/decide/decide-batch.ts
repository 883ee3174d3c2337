import { type BudgetState, toFen } from '../domain/budget.js';
import type { Campaign } from '../domain/campaign.js';
import { capSlots, type SendRecord } from '../domain/caps.js';
import { effectiveLimits } from '../domain/campaign-limits.js';
import { recipientOf, skip, type Decision } from '../domain/decision.js';
import { deliveryKey, type Delivery, type TriggerRecord } from '../domain/delivery.js';
import { decide, historySince, type Policy } from '../domain/gates.js';
import type { ProductCatalog } from '../domain/product.js';
import type { Channel, Profile } from '../domain/profile.js';
import type { Scoring } from '../domain/intent-scoring.js';
import { ConfigError } from '../errors.js';
import type { BudgetStore } from '../ports/budget-store.js';
import type { DeliveryLedger } from '../ports/delivery-ledger.js';
import type { ProfileBatch } from '../ports/audience.js';
import type { CapRequest, ContactCaps } from '../ports/contact-caps.js';

/** What deciding needs, shared by planning (which writes) and simulation (which does not). */
export interface DecideContext {
  scoring: Scoring;
  /** Platform time zone (TIDEFLOW_TZ). */
  tz: string;
  policy: Policy;
  /** The product catalog in force. */
  products(): ProductCatalog;
  /** Channels configured in this process; a campaign routes only over these. */
  channels: readonly Channel[];
}

export interface PlanPorts extends DecideContext {
  ledger: Pick<DeliveryLedger, 'existing' | 'insert' | 'history' | 'reservedFen'>;
  contactCaps: ContactCaps;
  budgets: Pick<BudgetStore, 'ensure'>;
  profiles: ProfileBatch;
}

/** One occurrence of a campaign, evaluated at an instant, for a trigger or not. */
export interface CampaignOccurrence {
  /** With its status in force (the database's pause overrides the file). */
  campaign: Campaign;
  occurrence: string;
  now: Date;
  trigger?: TriggerRecord;
}

/**
 * The campaign as it can be routed here: its channels narrowed to the configured ones, in its
 * order of preference. A campaign none of whose channels is configured cannot run.
 */
export function routable(c: Campaign, configured: readonly Channel[]): Campaign {
  const channels = c.channels.filter((ch) => configured.includes(ch));
  if (channels.length === 0)
    throw new ConfigError(`campaign ${c.id} sends on ${c.channels.join(', ')}; none of these channels is configured`);
  return channels.length === c.channels.length ? c : { ...c, channels };
}

/** A decision per user, in order; sends count against the budget as they are decided. */
export interface Decided {
  userId: string;
  timezone: string;
  decision: Decision;
}

/**
 * Decides for a batch of users: each through the gates with their history, and the budget seen
 * as `budget` plus what this batch has already planned. Pure given its inputs.
 */
export function decideBatch(
  ctx: DecideContext,
  ev: CampaignOccurrence,
  userIds: readonly string[],
  profiles: ReadonlyMap<string, Profile>,
  history: ReadonlyMap<string, SendRecord[]>,
  budget: BudgetState | undefined,
): Decided[] {
  const campaign = routable(ev.campaign, ctx.channels);
  const catalog = ctx.products();
  let planned = 0;
  return userIds.map((userId) => {
    const profile = profiles.get(userId);
    if (!profile) return { userId, timezone: ctx.tz, decision: skip('not-eligible', 'no profile') };
    const recipient = recipientOf(profile, { platformTz: ctx.tz, now: ev.now, scoring: ctx.scoring });
    const state = budget ? { capFen: budget.capFen, spentFen: budget.spentFen + planned } : undefined;
    const decision = decide({
      campaign,
      recipient,
      now: ev.now,
      history: history.get(userId) ?? [],
      budget: state,
      catalog,
      policy: ctx.policy,
      ...(ev.trigger ? { trigger: { type: ev.trigger.type, at: ev.trigger.at, amount: ev.trigger.amount } } : {}),
    });
    if (decision.kind === 'send') planned += decision.budgetFen;
    return { userId, timezone: recipient.timezone, decision };
  });
}

/** The ledger row of one decision. */
export function ledgerRow(ev: CampaignOccurrence, d: Decided): Delivery {
  const { campaign: c, occurrence, now, trigger } = ev;
  const base: Delivery = {
    _id: deliveryKey(c.id, occurrence, d.userId),
    campaignId: c.id,
    occurrence,
    userId: d.userId,
    state: 'planned',
    decidedAt: now,
    updatedAt: now,
    priority: c.priority,
    ...(trigger ? { trigger } : {}),
  };
  const x = d.decision;
  if (x.kind === 'skip')
    return { ...base, state: 'skipped', reason: x.reason, ...(x.detail ? { detail: x.detail } : {}) };
  return {
    ...base,
    channel: x.channel,
    sendAt: x.sendAt,
    postponed: x.postponed,
    dueAt: x.sendAt,
    timezone: d.timezone,
    ...(x.product ? { product: x.product } : {}),
    ...(x.incentive ? { incentive: x.incentive } : {}),
    messageCostFen: x.messageCostFen,
    budgetFen: x.budgetFen,
    attempts: 0,
  };
}

/**
 * The gates read the caps from the ledger's history, which another campaign planning the same user
 * at the same instant cannot see yet; the sends decided take their slots atomically, and a send
 * that finds the last slot taken is skipped for the cap after all.
 */
async function holdCaps(
  ports: Pick<PlanPorts, 'contactCaps' | 'policy'>,
  ev: CampaignOccurrence,
  decided: Decided[],
): Promise<Decided[]> {
  const limits = effectiveLimits(ev.campaign.limits, ports.policy.limits);
  const requests: CapRequest[] = [];
  for (const d of decided) {
    if (d.decision.kind !== 'send') continue;
    const slots = capSlots(d.decision.channel, d.decision.sendAt, d.timezone, limits.perDay, limits.perWeek);
    if (slots.length > 0)
      requests.push({
        key: deliveryKey(ev.campaign.id, ev.occurrence, d.userId),
        userId: d.userId,
        channel: d.decision.channel,
        slots,
      });
  }
  if (requests.length === 0) return decided;
  const held = await ports.contactCaps.reserve(requests, ev.now);
  const refused = new Set(requests.filter((r) => !held.has(r.key)).map((r) => r.userId));
  return decided.map((d) =>
    refused.has(d.userId)
      ? { ...d, decision: skip('frequency-cap', 'another campaign took the last slot at the same time') }
      : d,
  );
}

/** The campaign's budget as decisions should see it: spent, plus planned and not yet charged. */
export async function budgetView(
  ports: Pick<PlanPorts, 'budgets' | 'ledger'>,
  c: Campaign,
): Promise<BudgetState | undefined> {
  if (!c.budget) return undefined;
  const [stored, reserved] = await Promise.all([
    ports.budgets.ensure(c.id, toFen(c.budget.cap)),
    ports.ledger.reservedFen(c.id),
  ]);
  return { capFen: stored.capFen, spentFen: Math.min(stored.capFen, stored.spentFen + reserved) };
}

export interface PlanResult {
  /** Users decided by this call. */
  decided: number;
  /** Of them, planned sends. */
  sends: number;
  /** Users whose decision was in the ledger already (a re-run chunk). */
  already: number;
}

/**
 * Decides for `userIds` and writes one ledger row per user. Users already decided for this
 * occurrence are left alone, so re-running a chunk (a crashed or duplicated job) changes nothing.
 */
export async function planUsers(
  ports: PlanPorts,
  ev: CampaignOccurrence,
  userIds: readonly string[],
): Promise<PlanResult> {
  const c = ev.campaign;
  const known = await ports.ledger.existing(userIds.map((u) => deliveryKey(c.id, ev.occurrence, u)));
  const todo = userIds.filter((u) => !known.has(deliveryKey(c.id, ev.occurrence, u)));
  if (todo.length === 0) return { decided: 0, sends: 0, already: userIds.length };
  const [profiles, history, budget] = await Promise.all([
    ports.profiles.getMany(todo),
    ports.ledger.history(todo, historySince(c, ev.now, ports.policy)),
    budgetView(ports, c),
  ]);
  const decided = await holdCaps(
    ports,
    ev,
    decideBatch(ports, ev, todo, new Map(profiles.map((p) => [p._id, p])), history, budget),
  );
  await ports.ledger.insert(decided.map((d) => ledgerRow(ev, d)));
  return {
    decided: decided.length,
    sends: decided.filter((d) => d.decision.kind === 'send').length,
    already: known.size,
  };
}
