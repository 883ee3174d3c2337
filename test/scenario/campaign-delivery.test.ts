// The outbox: quiet hours across midnight in two time zones, provider outcomes (retryable, failed,
// unknown) recorded as such, stale claims reconciled, and a budget no number of senders overspends.
import type { Campaign } from '../../src/domain/campaign.js';
import { deliveryKey } from '../../src/domain/delivery.js';
import { contactPoint } from '../../src/domain/profile.js';
import { planManual } from '../../src/decide/plan-occurrence.js';
import { drainOutbox, inlineQueue, runNow } from '../../src/deliver/run-now.js';
import type { Channel } from '../../src/ports/channel.js';
import type { PushFailure } from '../../src/receivers/push-gateway.js';
import { deliveriesCollection } from '../../src/store/deliveries.js';
import { ledgerOf, openWorld, seedUsers, testCampaign, type World } from '../support/campaign-world.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

async function world(campaigns: Campaign[], label: string, env: Record<string, string> = {}): Promise<World> {
  w = await openWorld({ campaigns, label, env });
  return w;
}

const RED_PACKET = {
  template: 'first-purchase',
  incentive: { type: 'red-packet' as const, amount: 20, minPurchase: 1000, expiryDays: 7 },
};

test('quiet hours postpone across midnight in Shanghai and New York, and the outbox sends when they end', async () => {
  const x = await world([testCampaign()], 'deliver_quiet');
  await seedUsers(x, [{ id: 'sh' }, { id: 'ny', timezone: 'America/New_York' }]);
  x.clock.set('2026-11-20T13:30:00Z'); // 21:30 Friday in Shanghai, 08:30 Friday in New York
  const first = await runNow(x.rt, 'test-picks');
  expect(first.tally).toMatchObject({ sent: { push: 1 }, pending: 1 });
  let ledger = await ledgerOf(x, 'test-picks');
  expect(ledger.get('ny')).toMatchObject({ state: 'sent', postponed: false });
  expect(ledger.get('sh')).toMatchObject({
    state: 'planned',
    postponed: true,
    sendAt: new Date('2026-11-21T00:00:00Z'),
  });
  x.clock.set('2026-11-20T23:59:00Z');
  expect((await drainOutbox(x.rt.deliver)).sent).toBe(0);
  x.clock.set('2026-11-21T00:00:00Z');
  expect((await drainOutbox(x.rt.deliver)).sent).toBe(1);

  x.clock.set('2026-11-21T03:30:00Z'); // 11:30 Saturday in Shanghai, 22:30 Friday in New York
  const second = await runNow(x.rt, 'test-picks');
  expect(second.tally).toMatchObject({ sent: { push: 1 }, pending: 1 });
  ledger = new Map(
    (await deliveriesCollection(x.db).find({ occurrence: second.run.occurrence }).toArray()).map((d) => [d.userId, d]),
  );
  expect(ledger.get('ny')).toMatchObject({ state: 'planned', sendAt: new Date('2026-11-21T13:00:00Z') });
  expect(x.receivers.push.received.map((p) => p.to)).toEqual(['push-token-ny', 'push-token-sh', 'push-token-sh']);
});

test('a send planned before quiet hours but picked up after they began waits for the morning', async () => {
  const x = await world([testCampaign()], 'deliver_late');
  await seedUsers(x, [{ id: 'sh' }]);
  x.clock.set('2026-11-20T12:59:00Z'); // 20:59 in Shanghai
  const run = await planManual({ ...x.rt.run, queue: inlineQueue(x.rt.run) }, 'test-picks');
  x.clock.set('2026-11-20T13:10:00Z');
  expect((await drainOutbox(x.rt.deliver)).later).toBe(1);
  const d = await x.rt.ledger.get(deliveryKey('test-picks', run.occurrence, 'sh'));
  expect(d).toMatchObject({ state: 'planned', dueAt: new Date('2026-11-21T00:00:00Z') });
  expect(x.receivers.push.received).toHaveLength(0);
});

test('a retryable answer backs off and tries again; too many fail for good and give the budget back', async () => {
  const c = testCampaign({ ...RED_PACKET, budget: { cap: 100 } });
  const x = await world([c], 'deliver_retry', { TIDEFLOW_SEND_ATTEMPTS: '2', TIDEFLOW_RETRY_DELAY_MS: '30000' });
  await seedUsers(x, [{ id: 'a', consent: ['push'] }]);
  x.receivers.push.setMode('throttle', 1);
  const { run } = await runNow(x.rt, 'test-picks');
  const key = deliveryKey('test-picks', run.occurrence, 'a');
  expect(await x.rt.ledger.get(key)).toMatchObject({
    state: 'planned',
    attempts: 1,
    charge: 'done',
    dueAt: new Date(x.clock().getTime() + 30_000),
  });
  expect(await x.rt.budgets.get('test-picks')).toMatchObject({ spentFen: 2000 });
  x.clock.advance(30_000);
  await drainOutbox(x.rt.deliver);
  expect(await x.rt.ledger.get(key)).toMatchObject({ state: 'sent', attempts: 2 });
  expect(await x.rt.budgets.get('test-picks')).toMatchObject({ spentFen: 2000 });

  x.receivers.push.setMode('throttle');
  x.clock.advance(86_400_000);
  const again = await runNow(x.rt, 'test-picks');
  x.clock.advance(30_000);
  await drainOutbox(x.rt.deliver);
  const failed = await x.rt.ledger.get(deliveryKey('test-picks', again.run.occurrence, 'a'));
  expect(failed).toMatchObject({ state: 'failed', reason: 'retries-exhausted', attempts: 2, charge: 'released' });
  expect(await x.rt.budgets.get('test-picks')).toMatchObject({ spentFen: 2000, remainingFen: 8000 });
});

/** The push channel, with the gateway told how to answer each recipient's next request. */
function pushAnswering(x: World, modes: Record<string, PushFailure>): Channel {
  const push = x.rt.channels.push as Channel;
  return {
    ...push,
    send: (m) => {
      const mode = modes[m.to];
      if (mode) x.receivers.push.setMode(mode, 1);
      return push.send(m);
    },
  };
}

test('a refusal is recorded failed, a lost answer unknown; neither is sent again', async () => {
  const x = await world(
    [testCampaign({ ...RED_PACKET, budget: { cap: 100 }, channels: ['push', 'email'] })],
    'deliver_outcomes',
  );
  await seedUsers(x, [
    { id: 'refused', consent: ['push'] },
    { id: 'hung', consent: ['push'] },
    { id: 'dropped', consent: ['email'] },
  ]);
  x.receivers.smtp.setMode('drop-after-data', 1);
  const push = pushAnswering(x, { 'push-token-refused': 'reject', 'push-token-hung': 'hang' });
  const run = await planManual({ ...x.rt.run, queue: inlineQueue(x.rt.run) }, 'test-picks');
  await drainOutbox({ ...x.rt.deliver, concurrency: 1, channels: { ...x.rt.channels, push } });
  const ledger = await ledgerOf(x, 'test-picks');
  expect(ledger.get('refused')).toMatchObject({ state: 'failed', reason: 'rejected', charge: 'released' });
  expect(ledger.get('refused')?.detail).toContain('InvalidToken');
  expect(ledger.get('hung')).toMatchObject({ state: 'unknown', reason: 'no-answer', charge: 'done' });
  expect(ledger.get('dropped')).toMatchObject({ state: 'unknown', reason: 'no-answer' });
  // The refused grant is revoked and its charge returned; the unknown ones count as spent.
  expect(await x.rt.budgets.get('test-picks')).toMatchObject({ spentFen: 4000 });
  expect(await x.rt.grants.count({ campaignId: 'test-picks' })).toBe(3);
  x.clock.advance(3_600_000);
  expect((await drainOutbox(x.rt.deliver)).picked).toBe(0);
  expect(x.receivers.smtp.received).toHaveLength(1);
  expect(x.receivers.push.received).toHaveLength(0);
  expect(run.matched).toBe(3);
});

test('a claim left by a dead sender: looked up where the channel can, resent where it provably never left, else unknown', async () => {
  const x = await world([testCampaign({ channels: ['push', 'sms', 'email'] })], 'deliver_stale');
  const channelOf = {
    took: 'push',
    never: 'push',
    texted: 'sms',
    untexted: 'sms',
    mailed: 'email',
    unmailed: 'email',
  } as const;
  const ids = Object.keys(channelOf) as (keyof typeof channelOf)[];
  await seedUsers(
    x,
    ids.map((id) => ({ id, consent: [channelOf[id]] })),
  );
  const run = await planManual({ ...x.rt.run, queue: inlineQueue(x.rt.run) }, 'test-picks');
  const key = (u: string): string => deliveryKey('test-picks', run.occurrence, u);
  const profiles = new Map((await x.rt.deliver.profiles.getMany(ids)).map((p) => [p._id, p]));
  const message = (u: keyof typeof channelOf) => ({
    deliveryId: key(u),
    to: contactPoint(profiles.get(u)!, channelOf[u])!,
    subject: '稳健债券A上新',
    text: '稳健债券A上新',
    unsubscribeUrl: 'http://x/u',
  });
  const channel = (u: keyof typeof channelOf): Channel => x.rt.channels[channelOf[u]] as Channel;
  // A sender claims all six and dies. Before dying it got a push to the gateway, an SMS to the
  // endpoint, and an email through SMTP after recording its handover.
  for (const u of ids) {
    const fingerprint = channel(u).fingerprint?.(message(u));
    const lease = {
      token: 'dead-sender',
      until: new Date(x.clock().getTime() + 5000),
      at: x.clock(),
      ...(fingerprint ? { fingerprint } : {}),
    };
    expect(await x.rt.ledger.claimMany([{ id: key(u), lease, announceCharge: false }], x.clock())).toEqual(
      new Set([key(u)]),
    );
  }
  for (const u of ['took', 'texted'] as const) expect((await channel(u).send(message(u))).kind).toBe('sent');
  const handover = async (): Promise<void> => {
    expect(await x.rt.ledger.handover(key('mailed'), 'dead-sender', x.clock())).toBe(true);
  };
  expect((await channel('mailed').send(message('mailed'), handover)).kind).toBe('sent');
  expect((await drainOutbox(x.rt.deliver)).reconciled).toBe(0);
  x.clock.advance(5001);
  await drainOutbox(x.rt.deliver);
  const ledger = await ledgerOf(x, 'test-picks');
  expect(Object.fromEntries(ids.map((u) => [u, [ledger.get(u)?.state, ledger.get(u)?.attempts]]))).toEqual({
    took: ['sent', 1],
    never: ['sent', 2],
    texted: ['sent', 1],
    untexted: ['sent', 2],
    mailed: ['unknown', 1],
    unmailed: ['sent', 2],
  });
  expect(ledger.get('mailed')).toMatchObject({ reason: 'interrupted' });
  // Everyone got exactly one message.
  expect(x.receivers.push.received.map((p) => p.to).sort()).toEqual(['push-token-never', 'push-token-took']);
  expect(x.receivers.sms.received.map((m) => m.to).sort()).toEqual(
    [message('texted').to, message('untexted').to].sort(),
  );
  expect(x.receivers.smtp.received.flatMap((m) => m.to).sort()).toEqual(['mailed@example.com', 'unmailed@example.com']);
});

test('an email whose handover cannot be recorded is not sent', async () => {
  const x = await world([testCampaign({ channels: ['email'] })], 'deliver_handover');
  const email = x.rt.channels.email as Channel;
  const refused = (): Promise<void> => Promise.reject(new Error('the claim on this delivery was lost'));
  const result = await email.send(
    { deliveryId: 'd-1', to: 'a@example.com', subject: 's', text: 't', unsubscribeUrl: 'http://x/u' },
    refused,
  );
  expect(result).toMatchObject({ kind: 'retryable', reason: expect.stringContaining('not handed over') });
  await new Promise((r) => setTimeout(r, 200));
  expect(x.receivers.smtp.received).toHaveLength(0);
});

test('many senders at once never spend past the cap', async () => {
  const x = await world([testCampaign({ ...RED_PACKET, budget: { cap: 1000 } })], 'deliver_budget');
  await seedUsers(
    x,
    Array.from({ length: 30 }, (_, i) => ({ id: `u${i}`, consent: ['push' as const] })),
  );
  await planManual({ ...x.rt.run, queue: inlineQueue(x.rt.run) }, 'test-picks');
  // Planned under a cap of 1,000 yuan; an operator lowers it to 100 before anything is sent.
  await x.rt.budgets.ensure('test-picks', 10_000);
  const senders = Array.from({ length: 4 }, () => drainOutbox({ ...x.rt.deliver, concurrency: 4 }));
  await Promise.all(senders);
  const ledger = [...(await ledgerOf(x, 'test-picks')).values()];
  expect(ledger.filter((d) => d.state === 'sent')).toHaveLength(5);
  expect(ledger.filter((d) => d.state === 'skipped' && d.reason === 'budget')).toHaveLength(25);
  expect(await x.rt.budgets.get('test-picks')).toEqual({
    _id: 'test-picks',
    capFen: 10_000,
    remainingFen: 0,
    spentFen: 10_000,
  });
  expect(await x.rt.grants.count({ campaignId: 'test-picks' })).toBe(5);
  expect(x.receivers.push.received).toHaveLength(5);
});
