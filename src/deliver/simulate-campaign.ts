import { toFen, type BudgetState } from '../domain/budget.js';
import type { Campaign } from '../domain/campaign.js';
import { manualOccurrence } from '../domain/delivery.js';
import { historySince } from '../domain/gates.js';
import type { Profile } from '../domain/profile.js';
import { buildMessage, type MessageContext } from './build-message.js';
import {
  decideBatch,
  ledgerRow,
  routable,
  type DecideContext,
  type Decided,
  type CampaignOccurrence,
} from '../decide/decide-batch.js';
import type { CampaignDirectory } from '../decide/campaign-directory.js';
import { bump, emptyTally, formatFen, type CampaignTally } from '../decide/campaign-tally.js';
import type { Clock } from '../ports/clock.js';
import type { Audience, ProfileBatch } from '../ports/audience.js';
import type { BudgetStore } from '../ports/budget-store.js';
import type { DeliveryLedger } from '../ports/delivery-ledger.js';
import { smsLength, type SmsLength } from '../domain/sms-length.js';

export interface SimulatePorts extends DecideContext, MessageContext {
  campaigns: Pick<CampaignDirectory, 'get'>;
  audience: Audience;
  ledger: Pick<DeliveryLedger, 'history' | 'reservedFen'>;
  budgets: Pick<BudgetStore, 'get'>;
  profiles: ProfileBatch;
  clock: Clock;
}

export interface SimulateOptions {
  /** @defaultValue the clock's now */
  now?: Date;
  /** Sample users shown with their decision (and rendered message, for sends). @defaultValue 3 */
  samples?: number;
  /** Also list every user who would be contacted. @defaultValue false */
  listContacted?: boolean;
  /** Users decided per batch. @defaultValue 500 */
  batch?: number;
}

export interface SimulationSample {
  userId: string;
  decision: 'send' | 'skip';
  channel?: string;
  reason?: string;
  detail?: string;
  sendAt?: string;
  product?: string;
  incentive?: string;
  message?: { subject?: string; text: string };
  /** An SMS's encoding, length and parts, as carriers bill it. */
  sms?: SmsLength;
  /** A send whose message would not render. */
  renderError?: string;
}

/** The users skipped for one reason: how many, and the first few with what held each back. */
export interface SkipGroup {
  reason: string;
  count: number;
  users: { userId: string; detail?: string }[];
}

export interface Simulation {
  campaignId: string;
  now: string;
  tally: CampaignTally;
  /** Would-be sends, rendered. */
  samples: SimulationSample[];
  /** Skips by reason, most frequent first, each with up to `samples` (at least 3) user ids. */
  skips: SkipGroup[];
  /** With `listContacted`: who would be contacted, sorted. */
  contacted?: string[];
}

/**
 * The dry run: the same sweep and the same decisions as a run at `now`, reading the ledger's
 * history and the budget but writing nothing, sending nothing and granting nothing. The budget is
 * consumed in memory as sends are decided, as a run's planning consumes it.
 */
export async function simulateCampaign(
  ports: SimulatePorts,
  campaignId: string,
  opts: SimulateOptions = {},
): Promise<Simulation> {
  const campaign = await ports.campaigns.get(campaignId);
  routable(campaign, ports.channels);
  const now = opts.now ?? ports.clock();
  // The occurrence `tideflow run --now` at this instant makes: samples carry its links, as sent.
  const ev: CampaignOccurrence = { campaign, occurrence: manualOccurrence(now), now };
  const tally = emptyTally(campaign.id);
  const acc = {
    budget: await budgetNow(ports, campaign),
    samples: [] as SimulationSample[],
    skips: new Map<string, SkipGroup>(),
    contacted: [] as string[],
  };
  let batch: string[] = [];
  const flush = async (): Promise<void> => {
    const { decided, profiles } = await decideSome(ports, ev, batch, acc.budget);
    for (const d of decided) account(ports, ev, d, tally, { ...opts, acc, profiles });
    batch = [];
  };
  for await (const userId of ports.audience.members(campaign, now)) {
    batch.push(userId);
    if (batch.length >= (opts.batch ?? 500)) await flush();
  }
  if (batch.length > 0) await flush();
  if (acc.budget) tally.budget = { capFen: acc.budget.capFen, spentFen: acc.budget.spentFen };
  return {
    campaignId: campaign.id,
    now: now.toISOString(),
    tally,
    samples: acc.samples,
    skips: [...acc.skips.values()].sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1)),
    ...(opts.listContacted ? { contacted: acc.contacted.sort() } : {}),
  };
}

/** The budget as a run at this moment would see it: spent plus planned, capped. */
export async function budgetNow(
  ports: Pick<SimulatePorts, 'budgets' | 'ledger'>,
  c: Campaign,
): Promise<BudgetState | undefined> {
  if (!c.budget) return undefined;
  const [stored, reserved] = await Promise.all([ports.budgets.get(c.id), ports.ledger.reservedFen(c.id)]);
  const capFen = toFen(c.budget.cap);
  return { capFen, spentFen: Math.min(capFen, (stored?.spentFen ?? 0) + reserved) };
}

async function decideSome(
  ports: SimulatePorts,
  ev: CampaignOccurrence,
  userIds: string[],
  budget: BudgetState | undefined,
): Promise<{ decided: Decided[]; profiles: Map<string, Profile> }> {
  const [found, history] = await Promise.all([
    ports.profiles.getMany(userIds),
    ports.ledger.history(userIds, historySince(ev.campaign, ev.now, ports.policy)),
  ]);
  const profiles = new Map(found.map((p) => [p._id, p]));
  return { decided: decideBatch(ports, ev, userIds, profiles, history, budget), profiles };
}

interface Accumulated {
  budget: BudgetState | undefined;
  samples: SimulationSample[];
  skips: Map<string, SkipGroup>;
  contacted: string[];
}

interface Accounting extends SimulateOptions {
  acc: Accumulated;
  profiles: ReadonlyMap<string, Profile>;
}

function account(
  ports: SimulatePorts,
  ev: CampaignOccurrence,
  d: Decided,
  tally: CampaignTally,
  opts: Accounting,
): void {
  const { acc } = opts;
  tally.matched++;
  const x = d.decision;
  if (x.kind === 'skip') {
    bump(tally.skipped, x.reason);
    const group = acc.skips.get(x.reason) ?? { reason: x.reason, count: 0, users: [] };
    acc.skips.set(x.reason, group);
    group.count++;
    if (group.users.length < Math.max(3, opts.samples ?? 3))
      group.users.push({ userId: d.userId, ...(x.detail ? { detail: x.detail } : {}) });
    return;
  }
  bump(tally.sent, x.channel);
  tally.messageCostFen += x.messageCostFen;
  tally.incentiveFen += x.incentive?.costFen ?? 0;
  if (acc.budget) acc.budget = { capFen: acc.budget.capFen, spentFen: acc.budget.spentFen + x.budgetFen };
  if (opts.listContacted) acc.contacted.push(d.userId);
  const profile = opts.profiles.get(d.userId);
  if (profile && acc.samples.filter((s) => s.decision === 'send').length < (opts.samples ?? 3))
    acc.samples.push(sampleOf(ports, ev, d, profile));
}

/** A would-be send with its message rendered exactly as the sender would render it. */
function sampleOf(ports: SimulatePorts, ev: CampaignOccurrence, d: Decided, profile: Profile): SimulationSample {
  const row = ledgerRow(ev, d);
  const sample: SimulationSample = { userId: d.userId, decision: 'send' };
  if (row.channel) sample.channel = row.channel;
  if (row.sendAt) sample.sendAt = row.sendAt.toISOString();
  if (row.product) sample.product = row.product.id;
  if (row.incentive) sample.incentive = `${row.incentive.type}, costs up to ${formatFen(row.incentive.costFen)} yuan`;
  const built = buildMessage(ports, ev.campaign, row, profile);
  if (built.ok) {
    sample.message = {
      ...(built.message.subject !== undefined ? { subject: built.message.subject } : {}),
      text: built.message.text,
    };
    if (row.channel === 'sms') sample.sms = smsLength(built.message.text);
  } else sample.renderError = built.detail;
  return sample;
}
