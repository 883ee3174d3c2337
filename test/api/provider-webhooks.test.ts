// Email and push delivery reports over HTTP: the local push gateway posts signed receipts for what
// it took, an email provider's bounces and complaints are posted the same way. Signatures are
// checked; reports move deliveries forward, confirm sends recorded unknown, and put dead contact
// points on the suppression list that the campaign gates read on the next run.
import type { RequestListener } from 'node:http';
import { createApp } from '../../src/api/app.js';
import { providerSignature, type ProviderEvent } from '../../src/domain/provider-report.js';
import { runNow } from '../../src/deliver/run-now.js';
import { startPushGateway, type PushGateway } from '../../src/receivers/push-gateway.js';
import { eventsCollection, profilesCollection } from '../../src/store/collections.js';
import { outcomesCollection } from '../../src/store/outcomes.js';
import { lateServer, type LateServer } from '../support/http.js';
import { openWorld, seedUsers, testCampaign, type World } from '../support/campaign-world.js';

const EMAIL_SECRET = 'email-webhook-secret-0123456789';
const PUSH_SECRET = 'push-webhook-secret-0123456789';
const DAY = 86_400_000;

let server: LateServer;
let base: string;
let w: World;
let gateway: PushGateway;

beforeAll(async () => {
  server = await lateServer();
  base = server.url;
  gateway = await startPushGateway({
    reports: { url: `${base}/v1/webhooks/push`, secret: PUSH_SECRET, clock: () => w.clock() },
  });
  w = await openWorld({
    label: 'provider_webhooks',
    campaigns: [
      testCampaign({ id: 'mail-picks', channels: ['email'] }),
      testCampaign({ id: 'push-picks', channels: ['push'], priority: 5 }),
    ],
    env: {
      TIDEFLOW_PUBLIC_URL: base,
      TIDEFLOW_LINK_SECRET: 'k'.repeat(40),
      PUSH_GATEWAY_URL: gateway.url,
      PUSH_GATEWAY_TOKEN: gateway.token,
      TIDEFLOW_EMAIL_WEBHOOK_SECRET: EMAIL_SECRET,
      TIDEFLOW_PUSH_WEBHOOK_SECRET: PUSH_SECRET,
    },
  });
  server.handle(
    createApp({ ...w.tf, outcomes: w.tf.outcomes }, { report: () => undefined }) as unknown as RequestListener,
  );
  await seedUsers(w, [
    { id: 'ann', consent: ['email'] },
    { id: 'amy', consent: ['email'] },
    { id: 'art', consent: ['email'] },
    { id: 'bob', consent: ['push'] },
    { id: 'ben', consent: ['push'] },
  ]);
  gateway.markInvalid('push-token-ben');
  await runNow(w.rt, 'mail-picks');
  await runNow(w.rt, 'push-picks');
  await gateway.reported();
});
afterAll(async () => {
  await w.close();
  await gateway.close();
  await server.close();
});

const deliveryOf = async (campaignId: string, userId: string) =>
  (await outcomesCollection(w.db).findOne({ campaignId, userId }))!;
const eventsOf = (type: string, userId: string) => eventsCollection(w.db).find({ type, userId }).toArray();

function postReport(
  channel: 'email' | 'push',
  events: ProviderEvent[],
  secret = EMAIL_SECRET,
  at = w.clock(),
): Promise<Response> {
  const body = JSON.stringify({ events });
  return fetch(`${base}/v1/webhooks/${channel}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-tideflow-signature': providerSignature(secret, body, at) },
  });
}

test('the push gateway reports what it delivered; a dead token is suppressed', async () => {
  expect(await gateway.reported()).toEqual([200, 200]);
  expect((await deliveryOf('push-picks', 'bob')).outcome).toMatchObject({ status: 'delivered', delivered: 1 });
  expect(await eventsOf('message_delivered', 'bob')).toHaveLength(1);
  expect((await deliveryOf('push-picks', 'ben')).outcome).toMatchObject({ status: 'failed' });
  expect(await eventsOf('message_failed', 'ben')).toHaveLength(1);
  expect((await w.tf.profiles.get('ben'))?.suppressions?.push).toEqual({
    to: 'push-token-ben',
    reason: 'dead-contact',
    at: w.clock(),
  });
  expect((await w.tf.profiles.get('bob'))?.suppressions).toBeUndefined();
});

test("a bad, stale, missing or other channel's signature gets 403 and changes nothing", async () => {
  const d = await deliveryOf('mail-picks', 'ann');
  const bounce: ProviderEvent = { type: 'bounced', deliveryId: d._id, recipient: 'ann@example.com' };
  expect((await postReport('email', [bounce], 'wrong-secret-0123456789')).status).toBe(403);
  expect((await postReport('email', [bounce], PUSH_SECRET)).status).toBe(403);
  expect((await postReport('email', [bounce], EMAIL_SECRET, new Date(w.clock().getTime() - 10 * 60_000))).status).toBe(
    403,
  );
  const unsigned = await fetch(`${base}/v1/webhooks/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ events: [bounce] }),
  });
  expect(unsigned.status).toBe(403);
  // Signed, then altered.
  const body = JSON.stringify({ events: [{ ...bounce, type: 'delivered' }] });
  const altered = await fetch(`${base}/v1/webhooks/email`, {
    method: 'POST',
    body: body.replace('delivered', 'complained'),
    headers: { 'x-tideflow-signature': providerSignature(EMAIL_SECRET, body, w.clock()) },
  });
  expect(altered.status).toBe(403);
  expect((await deliveryOf('mail-picks', 'ann')).outcome).toBeUndefined();
  expect((await w.tf.profiles.get('ann'))?.suppressions).toBeUndefined();
});

test('a signed report with a bad shape is a 400 naming the field', async () => {
  const res = await postReport('email', [{ type: 'opened', deliveryId: 'x' } as unknown as ProviderEvent]);
  expect(res.status).toBe(400);
  expect(JSON.stringify(await res.json())).toContain('body.events.0.type');
});

test('a hard bounce fails the delivery and suppresses the address; replays and late reports change nothing', async () => {
  const d = await deliveryOf('mail-picks', 'ann');
  const bounce: ProviderEvent = {
    id: 'esp-1',
    type: 'bounced',
    bounce: 'hard',
    deliveryId: d._id,
    recipient: 'Ann@Example.com',
    reason: '550 5.1.1 no such user',
  };
  expect(await (await postReport('email', [bounce])).json()).toEqual({ recorded: 1, stale: 0, ignored: 0 });
  expect(await (await postReport('email', [bounce, { type: 'delivered', deliveryId: d._id }])).json()).toEqual({
    recorded: 1,
    stale: 1,
    ignored: 0,
  });
  expect((await deliveryOf('mail-picks', 'ann')).outcome).toMatchObject({ status: 'bounced' });
  expect((await deliveryOf('mail-picks', 'ann')).outcome?.delivered).toBeUndefined();
  expect(await eventsOf('message_failed', 'ann')).toHaveLength(1);
  expect((await w.tf.profiles.get('ann'))?.suppressions?.email).toMatchObject({
    to: 'Ann@Example.com',
    reason: 'hard-bounce',
  });
});

test('a soft bounce fails the delivery but keeps the address', async () => {
  const d = await deliveryOf('mail-picks', 'art');
  expect((await postReport('email', [{ type: 'bounced', bounce: 'soft', deliveryId: d._id }])).status).toBe(200);
  expect((await deliveryOf('mail-picks', 'art')).outcome).toMatchObject({ status: 'bounced' });
  expect((await w.tf.profiles.get('art'))?.suppressions).toBeUndefined();
});

test('a complaint suppresses the address and withdraws email consent, once', async () => {
  const d = await deliveryOf('mail-picks', 'amy');
  const complaint: ProviderEvent = { type: 'complained', deliveryId: d._id };
  await postReport('email', [{ type: 'delivered', deliveryId: d._id }]);
  await postReport('email', [complaint]);
  await postReport('email', [complaint]);
  expect((await deliveryOf('mail-picks', 'amy')).outcome).toMatchObject({ status: 'complained', delivered: 1 });
  const amy = await w.tf.profiles.get('amy');
  expect(amy?.suppressions?.email).toMatchObject({ to: 'amy@example.com', reason: 'complaint' });
  expect(amy?.consent?.email).toMatchObject({ granted: false, source: 'email-complaint' });
  expect(await eventsOf('unsubscribed', 'amy')).toHaveLength(1);
});

test('a report naming an email delivery on the push webhook, or no delivery, is ignored', async () => {
  const d = await deliveryOf('mail-picks', 'art');
  const res = await postReport(
    'push',
    [
      { type: 'delivered', deliveryId: d._id },
      { type: 'delivered', deliveryId: 'nope' },
    ],
    PUSH_SECRET,
  );
  expect(await res.json()).toEqual({ recorded: 0, stale: 0, ignored: 2 });
});

test('the next run skips suppressed contact points; a new address is reachable again', async () => {
  w.clock.advance(8 * DAY);
  await profilesCollection(w.db).updateOne(
    { _id: 'art' },
    { $set: { 'suppressions.email': { to: 'old-art@example.com', reason: 'hard-bounce', at: w.clock() } } },
  );
  await runNow(w.rt, 'mail-picks');
  await runNow(w.rt, 'push-picks');
  const latest = async (campaignId: string, userId: string) =>
    (await outcomesCollection(w.db).find({ campaignId, userId }).sort({ decidedAt: -1 }).limit(1).toArray())[0];
  expect(await latest('mail-picks', 'ann')).toMatchObject({ state: 'skipped', reason: 'suppressed' });
  expect(await latest('push-picks', 'ben')).toMatchObject({ state: 'skipped', reason: 'suppressed' });
  expect(await latest('mail-picks', 'art')).toMatchObject({ state: 'sent' });
  expect(await latest('push-picks', 'bob')).toMatchObject({ state: 'sent' });
  // amy withdrew consent with her complaint: that gate comes first.
  expect(await latest('mail-picks', 'amy')).toMatchObject({ state: 'skipped', reason: 'unsubscribed' });
  await w.tf.profiles.update('ann', { email: 'ann.new@example.com' }, w.clock());
  w.clock.advance(8 * DAY);
  await runNow(w.rt, 'mail-picks');
  expect(await latest('mail-picks', 'ann')).toMatchObject({ state: 'sent' });
});

test('a delivered report for a send recorded unknown makes it sent', async () => {
  w.clock.advance(8 * DAY);
  gateway.setMode('hang', 1);
  await runNow(w.rt, 'push-picks');
  await gateway.reported();
  const rows = await outcomesCollection(w.db).find({ campaignId: 'push-picks', state: 'unknown' }).toArray();
  expect(rows).toEqual([expect.objectContaining({ reason: 'no-answer', userId: 'bob' })]);
  const res = await postReport(
    'push',
    [{ type: 'delivered', deliveryId: rows[0]!._id, providerId: 'push_late' }],
    PUSH_SECRET,
  );
  expect(await res.json()).toEqual({ recorded: 1, stale: 0, ignored: 0 });
  const after = await outcomesCollection(w.db).findOne({ _id: rows[0]!._id });
  expect(after).toMatchObject({
    state: 'sent',
    providerId: 'push_late',
    sentAt: w.clock(),
    outcome: { status: 'delivered', delivered: 1 },
  });
  expect(after?.reason).toBeUndefined();
});
