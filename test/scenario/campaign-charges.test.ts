import type { Campaign } from '../../src/domain/campaign.js';
import { deliverDue } from '../../src/deliver/outbox.js';
import { parseProfileRecords } from '../../src/ingest/profile-records.js';
import { drainOutbox, inlineQueue } from '../../src/deliver/run-now.js';
import { planManual } from '../../src/decide/plan-occurrence.js';
import type { Channel } from '../../src/ports/channel.js';
import { campaignReport } from '../../src/track/reports.js';
import { deliveryKey } from '../../src/domain/delivery.js';
import { contactPoint } from '../../src/domain/profile.js';
import { campaignSection } from '../../src/report/html-campaign.js';
import { campaignText } from '../../src/report/text.js';
import { budgetsCollection } from '../../src/store/budgets.js';
import { grantsCollection } from '../../src/store/grants.js';
import { ledgerOf, openWorld, seedUsers, testCampaign, type World } from '../support/campaign-world.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const USERS = 6;
const PACKET_FEN = 2000;
/** Exactly enough for everyone once: a second charge for anyone does not fit. */
const campaign = (): Campaign =>
  testCampaign({
    channels: ['push'],
    template: 'first-purchase',
    incentive: { type: 'red-packet', amount: PACKET_FEN / 100, minPurchase: 1000, expiryDays: 7 },
    budget: { cap: (USERS * PACKET_FEN) / 100 },
  });

async function world(label: string): Promise<World> {
  w = await openWorld({ campaigns: [campaign()], label });
  await seedUsers(
    w,
    Array.from({ length: USERS }, (_, i) => ({ id: `u${i}`, consent: ['push' as const] })),
  );
  await planManual({ ...w.rt.run, queue: inlineQueue(w.rt.run) }, 'test-picks');
  return w;
}

const killed = (): Promise<never> => Promise.reject(new Error('worker killed'));

/** Spent, what the issued grants are worth, and the receipts the budget still holds. */
async function books(x: World): Promise<{ spentFen: number; grantedFen: number; receipts: string[] }> {
  const budget = await budgetsCollection(x.db).findOne({ _id: 'test-picks' });
  const issued = await grantsCollection(x.db).find({ campaignId: 'test-picks', status: 'issued' }).toArray();
  return {
    spentFen: budget?.spentFen ?? -1,
    grantedFen: issued.reduce((s, g) => s + g.grant.costFen, 0),
    receipts: (budget as { receipts?: string[] } | null)?.receipts ?? [],
  };
}

/** Past every claim's lease: what a dead sender held is reconciled. */
const pastLeases = (x: World): void => x.clock.advance(5001);

test('a sender killed between the charge and the grants: the retry finds its charge, nobody is refused for the budget', async () => {
  const x = await world('charges_before_grant');
  // The pass charges its wave, then dies before the grants are written (nothing is sent).
  await expect(deliverDue({ ...x.rt.deliver, grants: { ...x.rt.deliver.grants, issueMany: killed } })).rejects.toThrow(
    'worker killed',
  );
  expect(await books(x)).toMatchObject({ spentFen: USERS * PACKET_FEN, grantedFen: 0 });
  expect(x.receivers.push.received).toHaveLength(0);
  // Meanwhile one user opts out: their send is skipped at send time and their charge comes back.
  await x.tf.profiles.updateMany(
    parseProfileRecords([
      { userId: 'u0', consent: { push: { granted: false, at: '2026-11-20T01:00:00Z', source: 'push-settings' } } },
    ]),
    x.clock(),
  );
  pastLeases(x);
  await drainOutbox(x.rt.deliver);

  const ledger = await ledgerOf(x, 'test-picks');
  expect([...ledger.values()].filter((d) => d.state === 'skipped').map((d) => [d.userId, d.reason])).toEqual([
    ['u0', 'unsubscribed'],
  ]);
  expect([...ledger.values()].filter((d) => d.state === 'sent')).toHaveLength(USERS - 1);
  expect(x.receivers.push.received).toHaveLength(USERS - 1);
  expect(await books(x)).toEqual({
    spentFen: (USERS - 1) * PACKET_FEN,
    grantedFen: (USERS - 1) * PACKET_FEN,
    receipts: [],
  });
});

test('a sender killed after sending, before the outcomes: looked up, kept as spent, receipts settled', async () => {
  const x = await world('charges_before_outcome');
  await expect(deliverDue({ ...x.rt.deliver, ledger: { ...x.rt.deliver.ledger, settleMany: killed } })).rejects.toThrow(
    'worker killed',
  );
  expect(x.receivers.push.received).toHaveLength(USERS);
  pastLeases(x);
  await drainOutbox(x.rt.deliver);
  const ledger = await ledgerOf(x, 'test-picks');
  expect([...ledger.values()].map((d) => d.state)).toEqual(Array(USERS).fill('sent'));
  expect(x.receivers.push.received).toHaveLength(USERS);
  expect(await books(x)).toEqual({ spentFen: USERS * PACKET_FEN, grantedFen: USERS * PACKET_FEN, receipts: [] });
});

test('a refused send whose money was not yet given back when the sender died: the next pass gives it back, once', async () => {
  const x = await world('charges_before_release');
  x.receivers.push.setMode('reject', 2);
  const dying = { ...x.rt.deliver, concurrency: 1, budgets: { ...x.rt.deliver.budgets, release: killed } };
  await expect(deliverDue(dying)).rejects.toThrow('worker killed');
  const refused = [...(await ledgerOf(x, 'test-picks')).values()].filter((d) => d.state === 'failed');
  expect(refused).toHaveLength(2);
  // The outcomes are recorded, the grants revoked; the money is still out.
  expect(await books(x)).toMatchObject({ spentFen: USERS * PACKET_FEN, grantedFen: (USERS - 2) * PACKET_FEN });
  // Two senders pick up after it at once: the money comes back exactly once.
  await Promise.all([drainOutbox(x.rt.deliver), drainOutbox(x.rt.deliver)]);
  expect(await books(x)).toEqual({
    spentFen: (USERS - 2) * PACKET_FEN,
    grantedFen: (USERS - 2) * PACKET_FEN,
    receipts: [],
  });
  expect(await x.rt.budgets.get('test-picks')).toEqual({
    _id: 'test-picks',
    capFen: USERS * PACKET_FEN,
    spentFen: (USERS - 2) * PACKET_FEN,
    remainingFen: 2 * PACKET_FEN,
  });
});

test('the campaign report shows unknown sends per channel and the budget money nothing accounts for as written off', async () => {
  const c = testCampaign({ ...campaign(), channels: ['email'] });
  const x = (w = await openWorld({ campaigns: [c], label: 'charges_report' }));
  await seedUsers(x, [
    { id: 'ok', consent: ['email'] },
    { id: 'refused', consent: ['email'] },
    { id: 'silent', consent: ['email'] },
  ]);
  // The server refuses one recipient at RCPT TO (550) and never answers the message of another.
  const modes = { 'refused@example.com': 'reject-recipient', 'silent@example.com': 'hang-after-data' } as const;
  const email = x.rt.channels.email as Channel;
  const answering: Channel = {
    ...email,
    send: (m, handover) => {
      x.receivers.smtp.setMode(modes[m.to as keyof typeof modes] ?? 'accept', 1);
      return email.send(m, handover);
    },
  };
  await planManual({ ...x.rt.run, queue: inlineQueue(x.rt.run) }, 'test-picks');
  await drainOutbox({ ...x.rt.deliver, concurrency: 1, channels: { email: answering } });
  const ledger = await ledgerOf(x, 'test-picks');
  expect([...ledger.values()].map((d) => [d.userId, d.state, d.reason])).toEqual([
    ['ok', 'sent', undefined],
    ['refused', 'failed', 'rejected'],
    ['silent', 'unknown', 'no-answer'],
  ]);
  // The refusal at RCPT TO costs nothing: its grant is revoked and its charge returned.
  expect(await books(x)).toEqual({ spentFen: 2 * PACKET_FEN, grantedFen: 2 * PACKET_FEN, receipts: [] });
  // A charge no delivery accounts for (as older versions lost on a crashed retry).
  await budgetsCollection(x.db).updateOne({ _id: 'test-picks' }, { $inc: { spentFen: 500, remainingFen: -500 } });

  const report = await campaignReport(x.tf.outcomes.reports, 'test-picks');
  expect(report.cumulative.channels.email).toMatchObject({ contacted: 2, unknown: 1 });
  expect(report.budget).toEqual({
    capFen: USERS * PACKET_FEN,
    spentFen: 2 * PACKET_FEN + 500,
    keptFen: 2 * PACKET_FEN,
    inFlightFen: 0,
    writtenOffFen: 500,
  });
  const text = campaignText(report, 'Asia/Shanghai').join('\n');
  expect(text).toContain('email 2/1/');
  expect(text).toContain('¥5.00 written off');
  const html = campaignSection(report, 'Asia/Shanghai');
  expect(html).toContain('<td>written off</td><td><strong>¥5.00</strong></td>');
  expect(html).toMatch(/<td>email<\/td><td>2<\/td><td>1<\/td>/);
});

test('a claim with an incentive whose grant was never issued never left: sent again even where the provider cannot tell', async () => {
  const c = testCampaign({ ...campaign(), channels: ['sms'] });
  const x = (w = await openWorld({ campaigns: [c], label: 'charges_no_grant' }));
  await seedUsers(x, [{ id: 'u0', consent: ['sms'] }]);
  const run = await planManual({ ...x.rt.run, queue: inlineQueue(x.rt.run) }, 'test-picks');
  const key = deliveryKey('test-picks', run.occurrence, 'u0');
  const [profile] = await x.rt.deliver.profiles.getMany(['u0']);
  const to = contactPoint(profile!, 'sms')!;
  const sms = x.rt.channels.sms as Channel;
  // A sender claims it, with the fingerprint of its message, and dies before the grants.
  const lease = { token: 'dead-sender', until: new Date(x.clock().getTime() + 5000), at: x.clock(), fingerprint: 'x' };
  expect(await x.rt.ledger.claimMany([{ id: key, lease, announceCharge: true }], x.clock())).toEqual(new Set([key]));
  // Another message reaches the number meanwhile: the provider's list cannot tell them apart.
  const other = { deliveryId: 'other', to, text: '您的基金已赎回到账', unsubscribeUrl: 'http://x/u' };
  expect((await sms.send(other)).kind).toBe('sent');
  pastLeases(x);
  await drainOutbox(x.rt.deliver);
  expect(await x.rt.ledger.get(key)).toMatchObject({ state: 'sent', attempts: 2 });
  expect(x.receivers.sms.received).toHaveLength(2);
  expect(await books(x)).toEqual({ spentFen: PACKET_FEN, grantedFen: PACKET_FEN, receipts: [] });
});
