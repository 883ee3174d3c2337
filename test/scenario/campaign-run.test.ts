// A manual run end to end: sweep → decisions in the ledger → rendered messages at the local
// receivers, then a second run of the same occurrence's chunks sends nothing again.
import { runNow } from '../../src/deliver/run-now.js';
import { planChunk } from '../../src/decide/plan-occurrence.js';
import { inlineQueue } from '../../src/deliver/run-now.js';
import { browsing, ledgerOf, openWorld, seedUsers, testCampaign, type World } from '../support/campaign-world.js';

let w: World;

beforeAll(async () => {
  w = await openWorld({ campaigns: [testCampaign()], label: 'campaign_run' });
  await seedUsers(w, [
    { id: 'u-push' },
    { id: 'u-bond', riskTolerance: 'R3', events: browsing('bond') },
    { id: 'u-email', consent: ['email'] },
    { id: 'u-none', consent: [] },
    { id: 'u-unsub', withdrawn: ['push', 'email'] },
  ]);
});
afterAll(async () => {
  await w.close();
});

test('every matched user gets one decision; sends reach the receivers rendered, skips carry their reason', async () => {
  const { tally, run } = await runNow(w.rt, 'test-picks');
  expect(run.matched).toBe(5);
  expect(tally).toMatchObject({
    matched: 5,
    sent: { push: 2, email: 1 },
    skipped: { 'no-consent': 1, unsubscribed: 1 },
    pending: 0,
  });
  const ledger = await ledgerOf(w, 'test-picks');
  expect([...ledger.keys()].sort()).toEqual(['u-bond', 'u-email', 'u-none', 'u-push', 'u-unsub']);
  expect(ledger.get('u-push')).toMatchObject({
    state: 'sent',
    channel: 'push',
    product: { id: 'money-plus' },
    attempts: 1,
  });
  expect(ledger.get('u-bond')).toMatchObject({ state: 'sent', channel: 'push', product: { id: 'bond-enhanced' } });
  expect(ledger.get('u-email')).toMatchObject({ state: 'sent', channel: 'email' });
  expect(ledger.get('u-none')).toMatchObject({ state: 'skipped', reason: 'no-consent' });
  expect(ledger.get('u-unsub')).toMatchObject({ state: 'skipped', reason: 'unsubscribed' });

  const pushes = new Map(w.receivers.push.received.map((p) => [p.to, p]));
  expect(pushes.get('push-token-u-bond')?.title).toContain('增强收益债券');
  expect(pushes.get('push-token-u-bond')?.body).toContain('基金有风险，投资需谨慎');
  expect(pushes.get('push-token-u-push')?.idempotencyKey).toBe(ledger.get('u-push')?._id);
  const [mail] = w.receivers.smtp.received;
  expect(mail?.to).toEqual(['u-email@example.com']);
  expect(mail?.headers['list-unsubscribe']).toContain(`/u/${encodeURIComponent(ledger.get('u-email')?._id ?? '')}`);
});

test('re-running a chunk of the occurrence decides and sends nothing twice', async () => {
  const before = w.receivers.push.received.length + w.receivers.smtp.received.length;
  const runs = await w.rt.runs.list('test-picks', { limit: 10, offset: 0 });
  const run = runs[0];
  if (!run) throw new Error('no run');
  const again = await planChunk(
    { ...w.rt.run, queue: inlineQueue(w.rt.run) },
    {
      runId: run._id,
      campaignId: 'test-picks',
      occurrence: run.occurrence,
      index: 0,
      userIds: ['u-push', 'u-bond', 'u-email', 'u-none', 'u-unsub'],
    },
  );
  expect(again).toEqual({ decided: 0, sends: 0, already: 5 });
  expect(w.receivers.push.received.length + w.receivers.smtp.received.length).toBe(before);
});
