import { assertNever } from '../errors.js';
import { budgetCharge, canCharge, toFen, type BudgetState } from './budget.js';
import { isTriggerStale, type Campaign, type CampaignStatus } from './campaign.js';
import { DEFAULT_LIMITS, effectiveLimits, type EffectiveLimits } from './campaign-limits.js';
import { capExceeded, type SendRecord } from './caps.js';
import { CHANNEL_FAILURES, channelFailure, channelGate, type ChannelFailure } from './channel-gate.js';
import { dayKey } from './day.js';
import { skip, type Decision, type Recipient, type Skip } from './decision.js';
import { inHoldout } from './holdout.js';
import { incentiveFor, type Grant } from './incentive.js';
import { recommendProduct, type ProductCatalog } from './product.js';
import type { Channel } from './profile.js';

/** Platform-wide settings the gates apply to every campaign. */
export interface Policy {
  limits: EffectiveLimits;
  /** Cost of one message per channel, fen. */
  messageCostFen: Readonly<Record<Channel, number>>;
}

/** DEFAULT_LIMITS; an SMS costs 5 fen, email and push nothing. */
export const DEFAULT_POLICY: Policy = { limits: DEFAULT_LIMITS, messageCostFen: { sms: 5, email: 0, push: 0 } };

/**
 * How far back a user's `history` must reach for `decide`: the longest of a week (caps count ISO
 * weeks in the user's zone; 8 days covers any zone) and the campaign's cooldowns. Sends planned
 * for after `now` belong in the history too.
 */
export function historySince(c: Campaign, now: Date, policy: Policy = DEFAULT_POLICY): Date {
  const limits = effectiveLimits(c.limits, policy.limits);
  const back = Math.max(8 * 86_400_000, limits.cooldownMs ?? 0, limits.incentiveCooldownMs ?? 0);
  return new Date(now.getTime() - back);
}

/** The event that started a triggered evaluation. */
export interface TriggerContext {
  type: string;
  at: Date;
  /** The event's amount, yuan: what tiered incentives read. */
  amount?: number | undefined;
}

export interface DecideInput {
  campaign: Campaign;
  recipient: Recipient;
  /** The evaluation time: a send goes out at `now` unless quiet hours postpone it. */
  now: Date;
  trigger?: TriggerContext | undefined;
  /** The user's sends by every campaign, far enough back for the limits (see historySince). */
  history: readonly SendRecord[];
  /** The campaign's budget as last read; absent = nothing spent yet. */
  budget?: BudgetState | undefined;
  catalog: ProductCatalog;
  /** @defaultValue DEFAULT_POLICY */
  policy?: Policy;
}

/**
 * One matched user's decision. Gates in order, the first that fails names the skip: status,
 * trigger expiry, holdout, channel (consent, contact, suppression), cooldown, frequency caps,
 * priority, incentive, budget, suitability. Quiet hours never skip: they move `sendAt`.
 */
export function decide(input: DecideInput): Decision {
  const { campaign: c, recipient: r, now } = input;
  const policy = input.policy ?? DEFAULT_POLICY;
  const limits = effectiveLimits(c.limits, policy.limits);
  const early = statusGate(c.status) ?? triggerGate(c, input.trigger, now) ?? holdoutGate(c, r);
  if (early) return early;
  const route = chooseChannel(c.channels, r);
  if (typeof route !== 'string') return route;
  const open = channelGate(route, r, now, limits);
  if (open.kind === 'skip') return open;
  const sendAt = open.sendAt;
  const crowded = historyGate(c, r.timezone, route, sendAt, input.history, limits);
  if (crowded) return crowded;
  const grant = incentiveFor(c.incentive, input.trigger, sendAt);
  const incentiveSkip = incentiveGate(c, grant, input, sendAt, limits);
  if (incentiveSkip) return incentiveSkip;
  const messageCostFen = policy.messageCostFen[route];
  const budgetFen = c.budget ? budgetCharge(c.budget, grant?.costFen ?? 0, messageCostFen) : 0;
  if (c.budget) {
    const state = input.budget ?? { capFen: toFen(c.budget.cap), spentFen: 0 };
    if (!canCharge(state, budgetFen))
      return skip('budget', `needs ${budgetFen} fen, ${Math.max(0, state.capFen - state.spentFen)} left`);
  }
  const pick = c.product
    ? recommendProduct(input.catalog, c.product, { tolerance: r.riskTolerance, preferredCategory: r.preferredCategory })
    : undefined;
  if (pick?.kind === 'none') return skip(pick.reason, pick.detail);
  return {
    kind: 'send',
    channel: route,
    sendAt,
    postponed: sendAt.getTime() !== now.getTime(),
    ...(pick ? { product: pick.product } : {}),
    ...(grant ? { incentive: grant } : {}),
    messageCostFen,
    budgetFen,
  };
}

export function statusGate(status: CampaignStatus): Skip | undefined {
  switch (status) {
    case 'active':
      return undefined;
    case 'paused':
      return skip('paused');
    case 'draft':
      return skip('draft');
    default:
      return assertNever(status);
  }
}

export function triggerGate(c: Campaign, trigger: TriggerContext | undefined, now: Date): Skip | undefined {
  if (!trigger || !isTriggerStale(c, trigger.at, now)) return undefined;
  return skip(
    'trigger-expired',
    `${trigger.type} at ${trigger.at.toISOString()}, due within ${c.trigger?.within ?? ''}`,
  );
}

export function holdoutGate(c: Campaign, r: Recipient): Skip | undefined {
  return inHoldout(c.id, r.userId, c.holdout) ? skip('holdout') : undefined;
}

/** The first listed channel with consent, a contact point and no suppression. */
export function chooseChannel(channels: readonly Channel[], r: Recipient): Channel | Skip {
  const failures: ChannelFailure[] = [];
  for (const ch of channels) {
    const failure = channelFailure(ch, r);
    if (!failure) return ch;
    failures.push(failure);
  }
  const furthest = Math.max(...failures.map((f) => CHANNEL_FAILURES.indexOf(f)));
  return skip(CHANNEL_FAILURES[furthest] ?? 'no-consent', channels.map((ch, i) => `${ch}: ${failures[i]}`).join(', '));
}

export function historyGate(
  c: Campaign,
  tz: string,
  channel: Channel,
  sendAt: Date,
  history: readonly SendRecord[],
  limits: EffectiveLimits,
): Skip | undefined {
  const cooldown = limits.cooldownMs;
  const previous =
    cooldown === undefined
      ? undefined
      : history.find((h) => h.campaignId === c.id && Math.abs(h.at.getTime() - sendAt.getTime()) < cooldown);
  if (previous) return skip('cooldown', `sent ${previous.at.toISOString()}`);
  const cap = capExceeded(history, channel, sendAt, tz, limits.perDay, limits.perWeek);
  if (cap) return skip('frequency-cap', cap);
  const day = dayKey(sendAt, tz);
  const rival = history.find(
    (h) => h.campaignId !== c.id && (h.priority ?? 0) > c.priority && dayKey(h.at, tz) === day,
  );
  return rival ? skip('priority', `${rival.campaignId} (priority ${rival.priority ?? 0}) the same day`) : undefined;
}

export function incentiveGate(
  c: Campaign,
  grant: Grant | undefined,
  input: DecideInput,
  sendAt: Date,
  limits: EffectiveLimits,
): Skip | undefined {
  if (c.incentive && !grant)
    return skip(
      'no-incentive',
      `a ${input.trigger?.type ?? 'missing trigger'} of ${input.trigger?.amount ?? 0} reaches no tier`,
    );
  const window = limits.incentiveCooldownMs;
  if (!grant || window === undefined) return undefined;
  const recent = input.history.find((h) => h.incentive && Math.abs(h.at.getTime() - sendAt.getTime()) < window);
  return recent ? skip('incentive-limit', `${recent.campaignId} granted ${recent.at.toISOString()}`) : undefined;
}
