import type { Campaign } from '../domain/campaign.js';
import { recipientOf, type Send } from '../domain/decision.js';
import { deliveryKey, manualOccurrence } from '../domain/delivery.js';
import { traceGates, type GateCheck } from '../domain/gate-trace.js';
import { historySince } from '../domain/gates.js';
import { incentiveFor } from '../domain/incentive.js';
import { recommendProduct } from '../domain/product.js';
import { contactPoint, type Channel, type Profile } from '../domain/profile.js';
import { smsLength, type SmsLength } from '../domain/sms-length.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { buildMessage, type MessageContext } from './build-message.js';
import {
  decideBatch,
  ledgerRow,
  routable,
  type DecideContext,
  type Decided,
  type CampaignOccurrence,
} from '../decide/decide-batch.js';
import type { Clock } from '../ports/clock.js';
import type { CampaignDirectory } from '../decide/campaign-directory.js';
import type { Audience, ProfileBatch } from '../ports/audience.js';
import type { BudgetStore } from '../ports/budget-store.js';
import type { DeliveryLedger } from '../ports/delivery-ledger.js';
import { budgetNow } from './simulate-campaign.js';

export interface PreviewPorts extends DecideContext, MessageContext {
  campaigns: Pick<CampaignDirectory, 'get'>;
  audience: Pick<Audience, 'includes'>;
  ledger: Pick<DeliveryLedger, 'history' | 'reservedFen'>;
  budgets: Pick<BudgetStore, 'get'>;
  profiles: ProfileBatch;
  clock: Clock;
}

export interface PreviewOptions {
  /** @defaultValue the clock's now */
  now?: Date;
  /** Render on this channel of the campaign. @defaultValue the channel the gates choose, else the first listed */
  channel?: Channel;
}

export interface Preview {
  campaignId: string;
  userId: string;
  now: string;
  /** The delivery a run at `now` (`tideflow run --now`) would make: its links are in the message. */
  deliveryId: string;
  /** In the campaign's segment and conditions at `now`: a run reaches only its audience. */
  inAudience: boolean;
  /** What a run at `now` would decide for this user. */
  decision: { kind: 'send'; channel: Channel; sendAt: string } | { kind: 'skip'; reason: string; detail?: string };
  /** Every gate on its own, in order (domain/gate-trace.ts). */
  gates: GateCheck[];
  /**
   * Listed channels not configured in this process. A run here routes around them; when none is
   * configured (`assumed`), the decision is made as if every listed channel were.
   */
  unconfigured?: { channels: Channel[]; assumed: boolean };
  channel: Channel;
  /** The message exactly as the outbox would hand it to the provider. */
  message?: { to: string; subject?: string; text: string; html?: string };
  renderError?: string;
  /** SMS only: encoding, length and parts as carriers bill them. */
  sms?: SmsLength;
}

/**
 * One user's message for a campaign, rendered by the same function the outbox sends with
 * (buildMessage) for the delivery a run at `now` would make, with the decision and every gate.
 * Writes, sends and grants nothing. A skipped user's message is still rendered, as it would read.
 */
export async function previewMessage(
  ports: PreviewPorts,
  campaignId: string,
  userId: string,
  opts: PreviewOptions = {},
): Promise<Preview> {
  const c = await ports.campaigns.get(campaignId);
  if (opts.channel && !c.channels.includes(opts.channel))
    throw new ValidationError('invalid arguments', [
      { path: 'channel', message: `campaign ${c.id} sends on ${c.channels.join(', ')}, not ${opts.channel}` },
    ]);
  const [profile] = await ports.profiles.getMany([userId]);
  if (!profile) throw new NotFoundError(`no profile for user "${userId}"`);
  const now = opts.now ?? ports.clock();
  const ev: CampaignOccurrence = { campaign: c, occurrence: manualOccurrence(now), now };
  const unconfigured = c.channels.filter((ch) => !ports.channels.includes(ch));
  const assumed = unconfigured.length === c.channels.length;
  const ctx = assumed ? { ...ports, channels: c.channels } : ports;
  const [history, budget, inAudience] = await Promise.all([
    ports.ledger.history([userId], historySince(c, now, ports.policy)),
    budgetNow(ports, c),
    ports.audience.includes(c, profile, now),
  ]);
  const [decided] = decideBatch(ctx, ev, [userId], new Map([[userId, profile]]), history, budget) as [Decided];
  const recipient = recipientOf(profile, { platformTz: ports.tz, now, scoring: ports.scoring });
  const gates = traceGates({
    campaign: routable(c, ctx.channels),
    recipient,
    now,
    history: history.get(userId) ?? [],
    budget,
    catalog: ports.products(),
    policy: ports.policy,
  });
  const x = decided.decision;
  const channel = opts.channel ?? (x.kind === 'send' ? x.channel : firstReachable(c, profile));
  const send = x.kind === 'send' && x.channel === channel ? x : wouldSend(ports, c, channel, recipient, now);
  const built = buildMessage(ports, c, ledgerRow(ev, { ...decided, decision: send }), profile);
  return {
    campaignId: c.id,
    userId,
    now: now.toISOString(),
    deliveryId: deliveryKey(c.id, ev.occurrence, userId),
    inAudience,
    decision:
      x.kind === 'send'
        ? { kind: 'send', channel: x.channel, sendAt: x.sendAt.toISOString() }
        : { kind: 'skip', reason: x.reason, ...(x.detail ? { detail: x.detail } : {}) },
    gates,
    ...(unconfigured.length > 0 ? { unconfigured: { channels: unconfigured, assumed } } : {}),
    channel,
    ...(built.ok
      ? {
          message: {
            to: built.message.to,
            ...(built.message.subject !== undefined ? { subject: built.message.subject } : {}),
            text: built.message.text,
            ...(built.message.html !== undefined ? { html: built.message.html } : {}),
          },
          ...(channel === 'sms' ? { sms: smsLength(built.message.text) } : {}),
        }
      : { renderError: built.detail }),
  };
}

/** The first listed channel the user has a contact point for, else the first listed. */
function firstReachable(c: Campaign, profile: Profile): Channel {
  return c.channels.find((ch) => contactPoint(profile, ch)) ?? (c.channels[0] as Channel);
}

/** The send a run would make on `channel` had every gate passed: the product and incentive it would offer. */
function wouldSend(
  ports: PreviewPorts,
  c: Campaign,
  channel: Channel,
  r: ReturnType<typeof recipientOf>,
  now: Date,
): Send {
  const pick = c.product
    ? recommendProduct(ports.products(), c.product, {
        tolerance: r.riskTolerance,
        preferredCategory: r.preferredCategory,
      })
    : undefined;
  const grant = incentiveFor(c.incentive, undefined, now);
  return {
    kind: 'send',
    channel,
    sendAt: now,
    postponed: false,
    ...(pick?.kind === 'product' ? { product: pick.product } : {}),
    ...(grant ? { incentive: grant } : {}),
    messageCostFen: ports.policy.messageCostFen[channel],
    budgetFen: 0,
  };
}
